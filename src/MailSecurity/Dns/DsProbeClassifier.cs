using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using MailSecurity.Runtime;

namespace MailSecurity.Dns
{
    /// <summary>
    /// The DNSSEC classification behind a resolver whose answers carry signatures but no AD bit: a validating resolver
    /// does that for an island of security (signed, but no chain of trust: <see cref="DnssecStatus.Insecure"/>), a resolver
    /// that does not validate does it for everything (<see cref="DnssecStatus.ResolverNotValidating"/>). To tell them apart
    /// it walks DS questions up from the signer's zone, one zone cut at a time: a validating resolver sets AD on the first
    /// secure answer (a secure DS, or a secure proof that there is none), one that never does is not validating.
    /// </summary>
    /// <remarks>
    /// Each step is remembered per name for the run, so each zone cut is asked once however many answers and domains lead
    /// to it, and a failed step (a resolver or middlebox that drops DS questions) fails once, not once per answer. A failed
    /// step does not end the walk: a higher cut that shows AD still proves the resolver validates. Without that proof the
    /// state stays <see cref="DnssecStatus.Unvalidated"/> and the failure names the DS question (RFC 7672 §2.1.1 calls an
    /// indeterminate state a lookup failure; here the answer itself is fine and only the probe failed, so it is reported
    /// as "could not be determined", not as a failed lookup).
    /// </remarks>
    internal sealed class DsProbeClassifier : IDnssecClassifier
    {
        private readonly IDnsLookup _probe;
        private readonly TimeSpan _budget;
        private readonly CancellationToken _runToken;
        private readonly SharedTaskCache<string, ZoneProbe> _walk;
        private readonly ConcurrentDictionary<(string Name, QueryType Type), long> _pending = new ConcurrentDictionary<(string, QueryType), long>();

        /// <summary>Creates the classifier of one run.</summary>
        /// <param name="probe">Asks the DS (and single CNAME) questions: the run's cache, logged as <c>ds-probe</c>.</param>
        /// <param name="budget">
        /// Longest a walk from one zone may take; then it fails, naming the DS question still unanswered, and that failure
        /// is what every later answer of the zone gets at once (a walk through several dropped DS questions would otherwise
        /// cost one timeout per cut, and again for each caller that started waiting later).
        /// </param>
        /// <param name="runToken">Ends the shared walks with the run.</param>
        /// <param name="capacity">Most zones remembered (least recently used forgotten first).</param>
        public DsProbeClassifier(IDnsLookup probe, TimeSpan budget, CancellationToken runToken, int capacity = 20000)
        {
            _probe = probe ?? throw new ArgumentNullException(nameof(probe));
            _budget = budget;
            _runToken = runToken;
            _walk = new SharedTaskCache<string, ZoneProbe>(capacity, StringComparer.Ordinal);
        }

        /// <inheritdoc />
        public async Task<DnssecClassification> ClassifyAsync(DnsAnswer answer, CancellationToken cancellationToken)
        {
            if (answer is null)
            {
                throw new ArgumentNullException(nameof(answer));
            }

            var links = answer.CnameChain.Select(l => l.DnssecStatus).ToList();
            string? failure = null;
            var insecureFromHere = false;
            for (var i = 0; i < links.Count; i++)
            {
                if (insecureFromHere)
                {
                    links[i] = DnssecStatus.Insecure;
                    continue;
                }

                if (links[i] == DnssecStatus.Unvalidated)
                {
                    // The response's AD bit covers the whole answer; ask for this link alone to find where security ends (RFC 7672 §2.1.3).
                    var owner = answer.CnameChain[i].Name;
                    var single = await AskAsync(owner, QueryType.CNAME, cancellationToken).ConfigureAwait(false);
                    var (status, why) = single.IsLookupError
                        ? (DnssecStatus.Unvalidated, $"the CNAME question for {owner} failed: {single.Describe()}")
                        : single.AuthenticData
                            ? (DnssecStatus.Secure, null)
                            : await SignedWithoutAdAsync(single.Evidence.SignaturesOver(owner, QueryType.CNAME), cancellationToken).ConfigureAwait(false);
                    links[i] = status;
                    failure ??= why;
                }

                insecureFromHere = links[i] == DnssecStatus.Insecure;
            }

            var final = answer.DnssecStatus;
            if (insecureFromHere)
            {
                final = DnssecStatus.Insecure;
            }
            else if (final == DnssecStatus.Unvalidated)
            {
                var signatures = answer.Evidence.SignaturesOver(answer.CanonicalName, answer.Status == DnsLookupStatus.Success ? answer.QueryType : (QueryType?)null);
                var (status, why) = await SignedWithoutAdAsync(signatures.Count > 0 ? signatures : answer.Evidence.Signatures, cancellationToken).ConfigureAwait(false);
                final = status;
                failure ??= why;
            }

            return new DnssecClassification(final, links, DnssecSource.DsProbe, failure);
        }

        /// <inheritdoc />
        public bool ClassifiesSettledAnswers => false;

        /// <inheritdoc />
        public DnssecSource Source => DnssecSource.DsProbe;

        /// <inheritdoc />
        public string? DescribePending(DnsAnswer answer)
        {
            if (answer is null)
            {
                return null;
            }

            var names = new[] { answer.QueryName, answer.CanonicalName }
                .Concat(answer.CnameChain.Select(l => l.Name))
                .Concat(answer.Evidence.Signatures.Select(s => DomainName.FromResponse(s.SignersName)))
                .ToList();
            return DescribePending(names, answer.Server);
        }

        private string? DescribePending(IReadOnlyList<string> names, string? server)
        {
            var now = Stopwatch.GetTimestamp();
            var pending = _pending
                .Where(p => names.Any(n => IsSelfOrAncestor(p.Key.Name, n)))
                .OrderByDescending(p => p.Key.Name.Length)
                .Select(p => string.Format(CultureInfo.InvariantCulture, "the {0} question for {1}{2} unanswered after {3:0.0} s",
                    p.Key.Type, p.Key.Name.Length == 0 ? "." : p.Key.Name, server is null ? string.Empty : " to " + server, (now - p.Value) / (double)Stopwatch.Frequency))
                .ToList();
            return pending.Count == 0 ? null : string.Join("; ", pending);
        }

        /// <summary>Signed data without AD: insecure when the resolver validates at or above the signer's zone, else not validating.</summary>
        private async Task<(DnssecStatus, string?)> SignedWithoutAdAsync(IReadOnlyList<DnsClient.Protocol.RRSigRecord> signatures, CancellationToken cancellationToken)
        {
            if (signatures.Count == 0)
            {
                return (DnssecStatus.Insecure, null);
            }

            var zone = DomainName.FromResponse(signatures[0].SignersName);
            var probe = await SharedTaskCache<string, ZoneProbe>.WaitAsync(Walk(zone), cancellationToken).ConfigureAwait(false);
            return probe.Validates switch
            {
                true => (DnssecStatus.Insecure, null),
                false => (DnssecStatus.ResolverNotValidating, null),
                _ => (DnssecStatus.Unvalidated, probe.Failure),
            };
        }

        /// <summary>The shared walk from <paramref name="zone"/>, started (within the budget) by its first asker.</summary>
        private Task<ZoneProbe> Walk(string zone) => _walk.GetOrStart(zone, z => WalkWithinBudgetAsync(z), out _);

        private async Task<ZoneProbe> WalkWithinBudgetAsync(string zone)
        {
            // The budget ends the walk itself, not only the wait for it: no further DS question is sent for this zone.
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(_runToken);
            budget.CancelAfter(_budget);
            var progress = new WalkProgress();
            try
            {
                return await WalkAsync(zone, progress, budget.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!_runToken.IsCancellationRequested)
            {
                // Name what was still unanswered; when the budget ran out just as a step failed, name that step.
                var why = DescribePending(new[] { zone }, null) ?? progress.Failure ?? progress.DescribeLastQuestion();
                return ZoneProbe.Failed(string.Format(CultureInfo.InvariantCulture, "the DNSSEC probe did not finish within {0:0.#} s{1}", _budget.TotalSeconds, why is null ? string.Empty : " (" + why + ")"));
            }
        }

        /// <summary>Does the resolver validate at <paramref name="zone"/> or at a zone cut above it? One DS question per cut.</summary>
        private async Task<ZoneProbe> WalkAsync(string zone, WalkProgress progress, CancellationToken cancellationToken)
        {
            var ds = await AskAsync(zone, QueryType.DS, cancellationToken, progress).ConfigureAwait(false);
            if (ds.AuthenticData)
            {
                return ZoneProbe.Validating;
            }

            // No answer (dropped, timed out, unreachable, malformed) or SERVFAIL: this step cannot say whether AD would have
            // come. A refusal (REFUSED, NOTIMP) is an answer: the resolver will not vouch for this name, so no AD here.
            var failed = ds.IsLookupError && ds.Status != DnsLookupStatus.Refused;
            var here = failed ? $"the DS probe for {(zone.Length == 0 ? "." : zone)} failed: {ds.Describe()}" : null;
            progress.Failure ??= here;
            var next = NextCut(zone, ds);
            if (next is null)
            {
                return here is null ? ZoneProbe.NotValidating : ZoneProbe.Failed(here);
            }

            cancellationToken.ThrowIfCancellationRequested(); // out of budget: ask nothing further up
            var above = await SharedTaskCache<string, ZoneProbe>.WaitAsync(Walk(next), cancellationToken).ConfigureAwait(false);
            // A failed step could have been the one with AD: without AD higher up, the failure decides.
            return above.Validates == true || here is null ? above : ZoneProbe.Failed(here);
        }

        /// <summary>
        /// The next zone cut up: the zone that answered the DS question (its SOA in a denial, or the signer of the DS RRset)
        /// when that is a proper ancestor, else the parent name; <c>null</c> above a top-level name.
        /// </summary>
        internal static string? NextCut(string zone, DnsAnswer ds)
        {
            var answeredBy = ds.Evidence.AuthoritySection.OfType<DnsClient.Protocol.SoaRecord>().Select(s => DomainName.FromResponse(s.DomainName))
                .Concat(ds.Evidence.SignaturesOver(zone, QueryType.DS).Select(s => DomainName.FromResponse(s.SignersName)))
                .FirstOrDefault(z => z != zone && IsSelfOrAncestor(z, zone));
            return answeredBy ?? (zone.Length == 0 ? null : DomainName.Parent(zone));
        }

        private async Task<DnsAnswer> AskAsync(string name, QueryType type, CancellationToken cancellationToken, WalkProgress? progress = null)
        {
            // The question itself is shared and tied to the run (the run cache coalesces askers); it is tracked for
            // DescribePending until it is answered, whoever stops waiting for it first.
            var question = _probe.QueryAsync(name, type, _runToken);
            if (progress != null)
            {
                progress.Question = (name, question);
            }

            var key = (name, type);
            if (!question.IsCompleted && _pending.TryAdd(key, Stopwatch.GetTimestamp()))
            {
                _ = question.ContinueWith(_ => _pending.TryRemove(key, out long _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            try
            {
                return await SharedTaskCache<string, DnsAnswer>.WaitAsync(question, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (question.Status == TaskStatus.RanToCompletion)
            {
                // Answered just as this asker gave up: the answer (often the failure that used up the budget) is evidence.
                return question.Result;
            }
        }

        private static bool IsSelfOrAncestor(string ancestor, string name)
            => ancestor.Length == 0 || string.Equals(ancestor, name, StringComparison.Ordinal) || name.EndsWith("." + ancestor, StringComparison.Ordinal);

        /// <summary>What a walk has seen so far, for the message when its budget runs out.</summary>
        private sealed class WalkProgress
        {
            public string? Failure { get; set; }

            /// <summary>The DS question asked last, and its (shared) answer.</summary>
            public (string Name, Task<DnsAnswer> Answer)? Question { get; set; }

            /// <summary>The last question, when the budget ran out in the instant it failed (pending no more, not yet seen by the walk).</summary>
            public string? DescribeLastQuestion()
                => Question is (string name, Task<DnsAnswer> answer) && answer.Status == TaskStatus.RanToCompletion && answer.Result.IsLookupError
                    ? $"the DS probe for {(name.Length == 0 ? "." : name)} failed: {answer.Result.Describe()}"
                    : Question is (string asked, _) ? $"waiting for the DS question for {(asked.Length == 0 ? "." : asked)}" : null;
        }

        /// <summary>The outcome of a walk from one zone: validates, does not, or unknown with the failed probe.</summary>
        private sealed class ZoneProbe
        {
            public static readonly ZoneProbe Validating = new ZoneProbe(true, null);
            public static readonly ZoneProbe NotValidating = new ZoneProbe(false, null);

            private ZoneProbe(bool? validates, string? failure)
            {
                Validates = validates;
                Failure = failure;
            }

            public bool? Validates { get; }

            public string? Failure { get; }

            public static ZoneProbe Failed(string failure) => new ZoneProbe(null, failure);
        }
    }
}
