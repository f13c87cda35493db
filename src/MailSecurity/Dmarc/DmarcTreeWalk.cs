using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using MailSecurity.Dkim;
using MailSecurity.Dns;

namespace MailSecurity.Dmarc
{
    /// <summary>What one walk found: the steps, the parsed records by domain, and findings about discarded records.</summary>
    internal sealed class DmarcWalkResult
    {
        public DmarcWalkResult(string start, IReadOnlyList<DmarcTreeWalkStep> steps, IReadOnlyDictionary<string, DmarcRecord> records, IReadOnlyList<Finding> findings)
        {
            Start = start;
            Steps = steps;
            Records = records;
            Findings = findings;
        }

        public string Start { get; }

        public IReadOnlyList<DmarcTreeWalkStep> Steps { get; }

        /// <summary>The single valid DMARC record per domain where one was found.</summary>
        public IReadOnlyDictionary<string, DmarcRecord> Records { get; }

        public IReadOnlyList<Finding> Findings { get; }

        public bool HasLookupError => Steps.Any(s => s.Outcome == DmarcWalkOutcome.LookupFailed);
    }

    /// <summary>
    /// The DMARC DNS Tree Walk (RFC 9989 §4.10) and the Organizational Domain selection built on it (§4.10.2).
    /// No public suffix list is used.
    /// </summary>
    public static class DmarcTreeWalk
    {
        /// <summary>The most queries one walk makes (RFC 9989 §4.10).</summary>
        public const int MaxQueries = 8;

        /// <summary>
        /// The domains whose <c>_dmarc</c> names a full walk from <paramref name="start"/> queries, in order: the start,
        /// then (with 8 or more labels) a jump to the last 7 labels, then one label less at a time down to the TLD
        /// (RFC 9989 §4.10 steps 3, 4 and 7). At most <see cref="MaxQueries"/> names.
        /// </summary>
        /// <param name="start">A normalised domain name.</param>
        public static IReadOnlyList<string> Names(string start)
        {
            var names = new List<string> { start };
            var labels = start.Split('.');
            // Step 4: x >= 8 drops labels until 7 remain; x < 8 drops one. Step 7: then one at a time.
            var next = labels.Length >= 8 ? 7 : labels.Length - 1;
            for (var count = next; count >= 1; count--)
            {
                names.Add(string.Join(".", labels, labels.Length - count, count));
            }

            return names;
        }

        /// <summary>
        /// Selects the Organizational Domain from a walk's records (RFC 9989 §4.10.2): from the longest name to the
        /// shortest, the first record with psd=n; else the first psd=y record other than the start, whose name one
        /// label below (towards the start) is chosen; else the record with the fewest labels; else the start itself.
        /// </summary>
        /// <param name="start">Where the walk started.</param>
        /// <param name="recordsByDomain">Domains with exactly one valid DMARC record, and each record's psd flag.</param>
        /// <param name="reason">Which rule chose it, in plain words.</param>
        public static string SelectOrganizationalDomain(string start, IReadOnlyList<KeyValuePair<string, DmarcPsdFlag>> recordsByDomain, out string reason)
        {
            var ordered = recordsByDomain.OrderByDescending(r => DomainName.LabelCount(r.Key)).ToList();
            foreach (var r in ordered)
            {
                if (r.Value == DmarcPsdFlag.No)
                {
                    reason = $"_dmarc.{r.Key} has psd=n (RFC 9989 §4.10.2 rule 1).";
                    return r.Key;
                }

                if (r.Value == DmarcPsdFlag.Yes && !string.Equals(r.Key, start, StringComparison.Ordinal))
                {
                    var labels = start.Split('.');
                    var count = DomainName.LabelCount(r.Key) + 1;
                    var below = string.Join(".", labels, labels.Length - count, count);
                    reason = $"_dmarc.{r.Key} has psd=y, so the name one label below it is the Organizational Domain (RFC 9989 §4.10.2 rule 2).";
                    return below;
                }
            }

            if (ordered.Count > 0)
            {
                var top = ordered[ordered.Count - 1].Key;
                reason = $"{top} is the name with the fewest labels that has a DMARC record (RFC 9989 §4.10.2 rule 3).";
                return top;
            }

            reason = "No DMARC record was found in the tree walk, so the domain is its own Organizational Domain (RFC 9989 §4.10.2).";
            return start;
        }

        /// <summary>Runs a walk from <paramref name="start"/>: all its queries at once, then evaluated in order until a psd=y/n stop.</summary>
        internal static async Task<DmarcWalkResult> WalkAsync(IDnsLookup lookup, string start, CancellationToken cancellationToken = default)
        {
            var names = Names(start);
            // The names are known up front and capped at 8, so ask them concurrently; only the evaluation is sequential.
            var tasks = names.Select(n => lookup.QueryAsync("_dmarc." + n, QueryType.TXT, cancellationToken)).ToList();
            await Task.WhenAll(tasks).ConfigureAwait(false);
            var steps = new List<DmarcTreeWalkStep>();
            var records = new Dictionary<string, DmarcRecord>(StringComparer.Ordinal);
            var findings = new List<Finding>();
            for (var i = 0; i < names.Count; i++)
            {
                var name = names[i];
                var answer = await tasks[i].ConfigureAwait(false);
                var step = Classify(name, answer, records, findings);
                steps.Add(step);
                if (step.Outcome == DmarcWalkOutcome.Record && step.Psd != DmarcPsdFlag.Undeclared)
                {
                    break; // RFC 9989 §4.10 steps 2 and 6: a single record with psd=y or psd=n stops the walk.
                }
            }

            return new DmarcWalkResult(start, steps, records, findings);
        }

        /// <summary>The Organizational Domain of a finished walk.</summary>
        internal static string SelectOrganizationalDomain(DmarcWalkResult walk, out string reason)
            => SelectOrganizationalDomain(walk.Start, walk.Records.Select(r => new KeyValuePair<string, DmarcPsdFlag>(r.Key, r.Value.Psd)).ToList(), out reason);

        private static DmarcTreeWalkStep Classify(string domain, DnsAnswer answer, Dictionary<string, DmarcRecord> records, List<Finding> findings)
        {
            var queryName = "_dmarc." + domain;
            if (answer.Status == DnsLookupStatus.InvalidName)
            {
                return new DmarcTreeWalkStep(domain, DmarcWalkOutcome.InvalidName, null, DmarcPsdFlag.Undeclared, answer.ErrorMessage ?? "invalid name");
            }

            if (answer.IsLookupError)
            {
                findings.Add(DmarcFindings.LookupFailed.Create(answer.Describe(), queryName));
                return new DmarcTreeWalkStep(domain, DmarcWalkOutcome.LookupFailed, null, DmarcPsdFlag.Undeclared, answer.Describe());
            }

            var txt = answer.TxtStrings;
            var dmarc = txt.Where(DmarcRecordParser.IsDmarcRecord).ToList();
            foreach (var other in txt)
            {
                var why = DmarcRecordParser.ExplainNearMiss(other);
                if (why != null)
                {
                    findings.Add(DmarcFindings.RecordDiscarded.Create($"The TXT record '{DisplayText.Shorten(other)}' at {queryName} is ignored: {why}.", queryName));
                }
            }

            if (dmarc.Count == 0)
            {
                var detail = answer.Status == DnsLookupStatus.Success ? $"{txt.Count} TXT record(s), none a DMARC record" : answer.Describe();
                return new DmarcTreeWalkStep(domain, DmarcWalkOutcome.NoRecord, null, DmarcPsdFlag.Undeclared, detail);
            }

            if (dmarc.Count > 1)
            {
                findings.Add(DmarcFindings.MultipleRecords.Create($"{queryName} has {dmarc.Count} DMARC records; receivers discard them all.", queryName));
                return new DmarcTreeWalkStep(domain, DmarcWalkOutcome.MultipleRecords, null, DmarcPsdFlag.Undeclared, $"{dmarc.Count} DMARC records, all discarded");
            }

            var record = DmarcRecordParser.Parse(domain, dmarc[0]);
            records[domain] = record;
            return new DmarcTreeWalkStep(domain, DmarcWalkOutcome.Record, record.Raw, record.Psd, "one DMARC record" + (answer.CnameChain.Count > 0 ? $" (via CNAME to {answer.CanonicalName})" : string.Empty));
        }
    }
}
