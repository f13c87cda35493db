using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using MailSecurity.Dns;

namespace MailSecurity.Spf
{
    /// <summary>Limits and inputs of an SPF evaluation; the evaluator takes a snapshot.</summary>
    internal sealed class SpfEvaluatorOptions
    {
        /// <summary>DNS-querying terms allowed across the whole evaluation (RFC 7208 §4.6.4: 10).</summary>
        public int MaxDnsLookups { get; set; } = 10;

        /// <summary>Lookups allowed to return NXDOMAIN or no records (RFC 7208 §4.6.4: default 2).</summary>
        public int MaxVoidLookups { get; set; } = 2;

        /// <summary>MX records an mx mechanism may return before it is a permerror (RFC 7208 §4.6.4: 10).</summary>
        public int MaxMxNames { get; set; } = 10;

        /// <summary>PTR names considered by ptr and %{p}; the rest are ignored (RFC 7208 §4.6.4: 10).</summary>
        public int MaxPtrNames { get; set; } = 10;

        /// <summary>Time allowed for the whole evaluation before it is a temperror (RFC 7208 §4.6.4: at least 20 s). Default: 20 seconds.</summary>
        public TimeSpan EvaluationTimeout { get; set; } = TimeSpan.FromSeconds(20);

        /// <summary>The receiving host's name for the %{r} macro. Default: <c>unknown</c>.</summary>
        public string ReceiverName { get; set; } = "unknown";

        /// <summary>The time for the %{t} macro. Default: now.</summary>
        public DateTimeOffset? Timestamp { get; set; }
    }

    /// <summary>
    /// RFC 7208 check_host(): fetches and selects the record (§4.3–4.5), evaluates mechanisms left to right (§4.6, §5)
    /// with include result mapping (§5.2), redirect (§6.1), exp (§6.2), macros (§7), the global 10-lookup, void-lookup,
    /// MX and PTR limits (§4.6.4), and DNS failures as temperror. Every step is recorded in the trace.
    /// </summary>
    internal sealed class SpfEvaluator
    {
        private readonly IDnsLookup _dns;
        private readonly SpfEvaluatorOptions _options;

        /// <summary>Creates an evaluator over the run's DNS layer.</summary>
        internal SpfEvaluator(IDnsLookup dns, SpfEvaluatorOptions? options = null)
        {
            _dns = dns ?? throw new ArgumentNullException(nameof(dns));
            options ??= new SpfEvaluatorOptions();
            _options = new SpfEvaluatorOptions
            {
                MaxDnsLookups = options.MaxDnsLookups,
                MaxVoidLookups = options.MaxVoidLookups,
                MaxMxNames = options.MaxMxNames,
                MaxPtrNames = options.MaxPtrNames,
                EvaluationTimeout = options.EvaluationTimeout,
                ReceiverName = options.ReceiverName,
                Timestamp = options.Timestamp,
            };
        }

        /// <summary>
        /// Checks the MAIL FROM identity the way an MTA does (RFC 7208 §2.4, §4.3): the domain of <paramref name="mailFrom"/>,
        /// or, for an empty reverse-path, <c>postmaster@</c> the HELO name.
        /// </summary>
        public Task<SpfCheckResult> CheckMailFromAsync(IPAddress ip, string? mailFrom, string heloName, CancellationToken cancellationToken = default)
        {
            if (string.IsNullOrEmpty(mailFrom))
            {
                return CheckHostAsync(ip, heloName ?? string.Empty, "postmaster@" + heloName, heloName, cancellationToken);
            }

            var at = mailFrom!.LastIndexOf('@');
            var domain = at < 0 ? mailFrom : mailFrom.Substring(at + 1);
            return CheckHostAsync(ip, domain, mailFrom, heloName, cancellationToken);
        }

        /// <summary>Evaluates check_host(&lt;ip&gt;, &lt;domain&gt;, &lt;sender&gt;).</summary>
        /// <param name="ip">The client address; IPv4-mapped IPv6 addresses are evaluated as IPv4 (RFC 7208 §5).</param>
        /// <param name="domain">The domain whose policy is checked.</param>
        /// <param name="sender">The sender address for macros; default <c>postmaster@</c><paramref name="domain"/>.</param>
        /// <param name="heloName">The HELO/EHLO name for %{h}.</param>
        /// <param name="cancellationToken">Cancels the evaluation.</param>
        public async Task<SpfCheckResult> CheckHostAsync(IPAddress ip, string domain, string? sender = null, string? heloName = null, CancellationToken cancellationToken = default)
        {
            if (ip is null)
            {
                throw new ArgumentNullException(nameof(ip));
            }

            if (ip.IsIPv4MappedToIPv6)
            {
                ip = ip.MapToIPv4(); // §5: an IPv4-mapped IPv6 address is an IPv4 address.
            }

            ip = new IPAddress(ip.GetAddressBytes()); // drop any scope id
            domain ??= string.Empty;
            var state = new State(ip);
            var printableDomain = DomainName.Printable(domain);
            sender = string.IsNullOrEmpty(sender) ? "postmaster@" + domain : sender!;
            if (sender.StartsWith("@", StringComparison.Ordinal))
            {
                sender = "postmaster" + sender; // §4.3: an empty local-part becomes "postmaster".
            }

            // §4.3: a malformed or single-label domain, or a domain literal, gives "none" without any lookup.
            if (domain.StartsWith("[", StringComparison.Ordinal) || !DomainName.TryNormalize(domain, out var normalized, out var nameError) || DomainName.LabelCount(normalized) < 2)
            {
                var why = domain.StartsWith("[", StringComparison.Ordinal)
                    ? $"'{printableDomain}' is an address literal, not a domain"
                    : DomainName.TryNormalize(domain, out _, out nameError) ? $"'{printableDomain}' is a single label, not a fully qualified domain" : nameError.TrimEnd('.');
                state.Step(0, printableDomain, null, $"initial processing: {why}: result none (RFC 7208 §4.3).");
                state.Findings.Add(SpfFindings.DomainNotUsable.Create($"{why}; SPF cannot be evaluated for it.", printableDomain));
                return Finish(state, printableDomain, sender, heloName, new Outcome(SpfResult.None, why + "."));
            }

            var context = new SpfMacroContext(sender, normalized, ip, heloName, _options.ReceiverName, _options.Timestamp ?? DateTimeOffset.UtcNow);
            Outcome outcome;
            using (var timeout = new CancellationTokenSource(_options.EvaluationTimeout))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken))
            {
                try
                {
                    outcome = await CheckHostCoreAsync(normalized, 0, true, context, state, linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    var message = $"The evaluation did not finish within {_options.EvaluationTimeout.TotalSeconds:0.#} s.";
                    state.Step(0, normalized, null, message + " Result temperror (RFC 7208 §4.6.4).");
                    state.Findings.Add(SpfFindings.EvaluationTimeout.Create(message, normalized));
                    outcome = new Outcome(SpfResult.TempError, message);
                }
            }

            return Finish(state, normalized, sender, heloName, outcome);
        }

        private SpfCheckResult Finish(State state, string domain, string sender, string? heloName, Outcome outcome)
        {
            state.Step(0, domain, null, $"result {outcome.Result.ToString().ToLowerInvariant()}: {outcome.Reason}");
            return new SpfCheckResult(new SpfCheckResultBuilder
            {
                Domain = domain,
                IPAddress = state.Ip.ToString(),
                Sender = sender,
                HeloName = heloName,
                Result = outcome.Result,
                Reason = outcome.Reason,
                MatchedMechanism = outcome.Matched?.Text,
                MatchedDomain = outcome.MatchedDomain,
                Explanation = outcome.Explanation,
                DnsLookupCount = state.Lookups,
                VoidLookupCount = state.Voids,
                Trace = state.Trace.ToArray(),
                Record = state.TopRecord,
                Findings = state.Findings.ToArray(),
            });
        }

        private async Task<Outcome> CheckHostCoreAsync(string domain, int depth, bool computeExplanation, SpfMacroContext context, State state, CancellationToken cancellationToken)
        {
            var answer = await _dns.QueryAnyNameAsync(domain, QueryType.TXT, cancellationToken).ConfigureAwait(false);
            var shown = DomainName.Printable(domain);
            if (answer.Status == DnsLookupStatus.InvalidName)
            {
                state.Step(depth, shown, null, $"not a usable domain name ({answer.ErrorMessage?.TrimEnd('.')}): none (RFC 7208 §4.3).");
                return new Outcome(SpfResult.None, $"'{shown}' is not a usable domain name.");
            }

            if (answer.IsLookupError)
            {
                // §4.4: a TXT lookup error (RCODE other than 0 or 3, or a timeout) is temperror, never "no record".
                state.Step(depth, shown, null, $"{answer.Describe()} Result temperror (RFC 7208 §4.4).");
                state.Findings.Add(SpfFindings.LookupFailed.Create(answer.Describe(), shown));
                return new Outcome(SpfResult.TempError, $"The TXT lookup for {shown} failed ({answer.Status}).");
            }

            if (answer.Status == DnsLookupStatus.NxDomain)
            {
                state.Step(depth, shown, null, "the domain does not exist (NXDOMAIN): none (RFC 7208 §4.3).");
                return new Outcome(SpfResult.None, $"{shown} does not exist.");
            }

            var records = answer.TxtStrings.Where(SpfRecordParser.IsSpfRecord).ToList();
            if (records.Count == 0)
            {
                state.Step(depth, shown, null, $"no TXT record starts with 'v=spf1' ({answer.TxtStrings.Count} TXT record(s)): none (RFC 7208 §4.5).");
                return new Outcome(SpfResult.None, $"{shown} has no SPF record.");
            }

            if (records.Count > 1)
            {
                state.Step(depth, shown, null, $"{records.Count} SPF records published: permerror (RFC 7208 §4.5).");
                state.Findings.Add(SpfFindings.MultipleRecords.Create($"{shown} publishes {records.Count} SPF records.", shown));
                return new Outcome(SpfResult.PermError, $"{shown} publishes {records.Count} SPF records.");
            }

            var record = SpfRecordParser.Parse(records[0]);
            if (depth == 0)
            {
                state.TopRecord = record.Text;
            }

            state.Step(depth, shown, null, $"record: {DomainName.Printable(record.Text)}");
            if (!record.IsValid)
            {
                // §4.6: a syntax error anywhere in the record is a permerror before anything is evaluated.
                var first = record.Errors[0];
                state.Step(depth, shown, null, $"syntax error: {first} Result permerror (RFC 7208 §4.6).");
                state.Findings.Add(SpfFindings.SyntaxError.Create($"The SPF record of {shown}: {first}", shown));
                return new Outcome(SpfResult.PermError, $"The SPF record of {shown} has a syntax error: {first}");
            }

            foreach (var term in record.Mechanisms)
            {
                if (term.CountsAsDnsLookup && ++state.Lookups > _options.MaxDnsLookups)
                {
                    return TooManyLookups(state, depth, shown, term);
                }

                var m = await EvaluateMechanismAsync(term, domain, depth, context, state, cancellationToken).ConfigureAwait(false);
                if (m.Error != null)
                {
                    return m.Error;
                }

                if (!m.Matched)
                {
                    continue;
                }

                var result = term.QualifierResult;
                string? explanation = null;
                if (result == SpfResult.Fail && computeExplanation && record.Explanation?.DomainSpec != null)
                {
                    explanation = await ExplainAsync(record.Explanation.DomainSpec, domain, depth, context, state, cancellationToken).ConfigureAwait(false);
                }

                return new Outcome(result, $"'{term.Text}' in the record of {shown} matched {state.Ip}.", term, domain, explanation);
            }

            var redirect = record.Redirect;
            if (redirect?.DomainSpec != null)
            {
                // §6.1: redirect applies only when no mechanism matched (an "all" would have matched).
                if (++state.Lookups > _options.MaxDnsLookups)
                {
                    return TooManyLookups(state, depth, shown, redirect);
                }

                var target = await ExpandTargetAsync(redirect.DomainSpec, domain, context, state, cancellationToken).ConfigureAwait(false);
                state.Step(depth, shown, redirect.Text, $"no mechanism matched: redirect to {DomainName.Printable(target)}.");
                var sub = await CheckHostCoreAsync(target, depth + 1, computeExplanation, context.WithDomain(target), state, cancellationToken).ConfigureAwait(false);
                if (sub.Result == SpfResult.None)
                {
                    var why = $"The redirect target {DomainName.Printable(target)} has no SPF record (or is not a usable name)";
                    state.Step(depth, shown, redirect.Text, why + ": permerror, not none (RFC 7208 §6.1).");
                    state.Findings.Add(SpfFindings.RedirectNoRecord.Create(why + ".", target));
                    return new Outcome(SpfResult.PermError, why + ".");
                }

                return sub;
            }

            state.Step(depth, shown, null, "no mechanism matched and there is no redirect: default result neutral (RFC 7208 §4.7).");
            return new Outcome(SpfResult.Neutral, $"No mechanism in the record of {shown} matched {state.Ip}; the default result is neutral.");
        }

        private Outcome TooManyLookups(State state, int depth, string domain, SpfTerm term)
        {
            var message = $"'{term.Text}' would be DNS-querying term number {state.Lookups}; at most {_options.MaxDnsLookups} are allowed";
            state.Lookups = _options.MaxDnsLookups; // report the limit, not the term that was refused
            state.Step(depth, domain, term.Text, message + ": permerror (RFC 7208 §4.6.4).");
            state.Findings.Add(SpfFindings.TooManyLookups.Create(message + ".", domain));
            return new Outcome(SpfResult.PermError, $"More than {_options.MaxDnsLookups} DNS-querying terms are needed (limit reached at '{term.Text}' in {domain}).");
        }

        private async Task<MechanismOutcome> EvaluateMechanismAsync(SpfTerm term, string domain, int depth, SpfMacroContext context, State state, CancellationToken cancellationToken)
        {
            var shown = DomainName.Printable(domain);
            var ip = state.Ip;
            var v4 = ip.AddressFamily == AddressFamily.InterNetwork;
            switch (term.Kind)
            {
                case SpfTermKind.All:
                    state.Step(depth, shown, term.Text, "'all' matches every address.");
                    return MechanismOutcome.Match;

                case SpfTermKind.Ip4:
                case SpfTermKind.Ip6:
                {
                    var isV4Term = term.Kind == SpfTermKind.Ip4;
                    var prefix = isV4Term ? term.Ip4PrefixLength ?? 32 : term.Ip6PrefixLength ?? 128;
                    if (isV4Term != v4)
                    {
                        state.Step(depth, shown, term.Text, $"no match: {ip} is not an {(isV4Term ? "IPv4" : "IPv6")} address (RFC 7208 §5.6).");
                        return MechanismOutcome.NoMatch;
                    }

                    var network = IPAddress.Parse(term.Network!);
                    var inside = InNetwork(ip, network, prefix);
                    state.Step(depth, shown, term.Text, $"{(inside ? "match" : "no match")}: {ip} is {(inside ? string.Empty : "not ")}in {network}/{prefix}.");
                    return inside ? MechanismOutcome.Match : MechanismOutcome.NoMatch;
                }

                case SpfTermKind.A:
                {
                    var target = term.DomainSpec is null ? domain : await ExpandTargetAsync(term.DomainSpec, domain, context, state, cancellationToken).ConfigureAwait(false);
                    var type = v4 ? QueryType.A : QueryType.AAAA;
                    var answer = await _dns.QueryAnyNameAsync(target, type, cancellationToken).ConfigureAwait(false);
                    var failed = LookupOutcome(answer, state, depth, shown, term, countVoid: true);
                    if (failed != null)
                    {
                        return failed.Value;
                    }

                    var prefix = v4 ? term.Ip4PrefixLength ?? 32 : term.Ip6PrefixLength ?? 128;
                    var addresses = Addresses(answer).ToList();
                    var hit = addresses.FirstOrDefault(a => InNetwork(ip, a, prefix));
                    state.Step(depth, shown, term.Text, hit != null
                        ? $"match: {DomainName.Printable(target)} has {hit}, and {ip} is in {hit}/{prefix}."
                        : $"no match: {ip} is in none of the {addresses.Count} {type} record(s) of {DomainName.Printable(target)} (/{prefix}).");
                    return hit != null ? MechanismOutcome.Match : MechanismOutcome.NoMatch;
                }

                case SpfTermKind.Mx:
                    return await EvaluateMxAsync(term, domain, depth, context, state, cancellationToken).ConfigureAwait(false);

                case SpfTermKind.Ptr:
                {
                    var target = term.DomainSpec is null ? domain : await ExpandTargetAsync(term.DomainSpec, domain, context, state, cancellationToken).ConfigureAwait(false);
                    var (validated, note) = await ValidatedNamesAsync(state, cancellationToken).ConfigureAwait(false);
                    if (note != null)
                    {
                        state.Step(depth, shown, term.Text, note);
                    }

                    if (state.Voids > _options.MaxVoidLookups)
                    {
                        return VoidLimit(state, depth, shown, term);
                    }

                    var match = validated.FirstOrDefault(n => IsSameOrSubdomain(n, target));
                    state.Step(depth, shown, term.Text, match != null
                        ? $"match: the validated name {match} is {DomainName.Printable(target)} or below it."
                        : $"no match: none of the {validated.Count} validated name(s) of {ip} is {DomainName.Printable(target)} or below it.");
                    return match != null ? MechanismOutcome.Match : MechanismOutcome.NoMatch;
                }

                case SpfTermKind.Exists:
                {
                    var target = await ExpandTargetAsync(term.DomainSpec!, domain, context, state, cancellationToken).ConfigureAwait(false);
                    // §5.7: always an A lookup, even for an IPv6 client.
                    var answer = await _dns.QueryAnyNameAsync(target, QueryType.A, cancellationToken).ConfigureAwait(false);
                    var failed = LookupOutcome(answer, state, depth, shown, term, countVoid: true);
                    if (failed != null)
                    {
                        return failed.Value;
                    }

                    state.Step(depth, shown, term.Text, $"match: {DomainName.Printable(target)} has {answer.Records.Count} A record(s).");
                    return MechanismOutcome.Match;
                }

                case SpfTermKind.Include:
                {
                    var target = await ExpandTargetAsync(term.DomainSpec!, domain, context, state, cancellationToken).ConfigureAwait(false);
                    state.Step(depth, shown, term.Text, $"evaluating the record of {DomainName.Printable(target)}.");
                    var sub = await CheckHostCoreAsync(target, depth + 1, false, context.WithDomain(target), state, cancellationToken).ConfigureAwait(false);
                    // §5.2 table: pass matches; fail/softfail/neutral do not; temperror/permerror propagate; none is permerror.
                    switch (sub.Result)
                    {
                        case SpfResult.Pass:
                            state.Step(depth, shown, term.Text, $"match: {DomainName.Printable(target)} returned pass.");
                            return MechanismOutcome.Match;
                        case SpfResult.Fail:
                        case SpfResult.SoftFail:
                        case SpfResult.Neutral:
                            state.Step(depth, shown, term.Text, $"no match: {DomainName.Printable(target)} returned {sub.Result.ToString().ToLowerInvariant()} (RFC 7208 §5.2).");
                            return MechanismOutcome.NoMatch;
                        case SpfResult.None:
                        {
                            var why = $"The included domain {DomainName.Printable(target)} has no SPF record (or is not a usable name)";
                            state.Step(depth, shown, term.Text, why + ": permerror (RFC 7208 §5.2).");
                            state.Findings.Add(SpfFindings.IncludeNoRecord.Create(why + ".", target));
                            return MechanismOutcome.Fail(new Outcome(SpfResult.PermError, why + "."));
                        }

                        default:
                            state.Step(depth, shown, term.Text, $"{DomainName.Printable(target)} returned {sub.Result.ToString().ToLowerInvariant()}, which ends the evaluation (RFC 7208 §5.2).");
                            return MechanismOutcome.Fail(sub);
                    }
                }

                default:
                    return MechanismOutcome.NoMatch;
            }
        }

        private async Task<MechanismOutcome> EvaluateMxAsync(SpfTerm term, string domain, int depth, SpfMacroContext context, State state, CancellationToken cancellationToken)
        {
            var shown = DomainName.Printable(domain);
            var ip = state.Ip;
            var v4 = ip.AddressFamily == AddressFamily.InterNetwork;
            var target = term.DomainSpec is null ? domain : await ExpandTargetAsync(term.DomainSpec, domain, context, state, cancellationToken).ConfigureAwait(false);
            var answer = await _dns.QueryAnyNameAsync(target, QueryType.MX, cancellationToken).ConfigureAwait(false);
            // §5.4: no MX records means no match; never fall back to the target's own address records.
            var failed = LookupOutcome(answer, state, depth, shown, term, countVoid: true);
            if (failed != null)
            {
                return failed.Value;
            }

            var mx = answer.RecordsOf<MxRecord>().ToList();
            if (mx.Count > _options.MaxMxNames)
            {
                var why = $"{DomainName.Printable(target)} has {mx.Count} MX records; an mx mechanism may look up at most {_options.MaxMxNames}";
                state.Step(depth, shown, term.Text, why + ": permerror (RFC 7208 §4.6.4).");
                state.Findings.Add(SpfFindings.MxTooManyNames.Create(why + ".", target));
                return MechanismOutcome.Fail(new Outcome(SpfResult.PermError, why + "."));
            }

            var hosts = mx.OrderBy(r => r.Preference).Select(r => DomainName.FromResponse(r.Exchange)).Where(h => h.Length > 0).ToList();
            var type = v4 ? QueryType.A : QueryType.AAAA;
            var lookups = hosts.Select(h => _dns.QueryAnyNameAsync(h, type, cancellationToken)).ToList();
            var answers = await Task.WhenAll(lookups).ConfigureAwait(false);
            var prefix = v4 ? term.Ip4PrefixLength ?? 32 : term.Ip6PrefixLength ?? 128;
            for (var i = 0; i < hosts.Count; i++)
            {
                var a = answers[i];
                if (a.IsLookupError)
                {
                    state.Step(depth, shown, term.Text, $"{a.Describe()} Result temperror (RFC 7208 §5).");
                    state.Findings.Add(SpfFindings.LookupFailed.Create(a.Describe(), hosts[i]));
                    return MechanismOutcome.Fail(new Outcome(SpfResult.TempError, $"The {type} lookup for the MX host {hosts[i]} failed ({a.Status})."));
                }

                var hit = Addresses(a).FirstOrDefault(x => InNetwork(ip, x, prefix));
                if (hit != null)
                {
                    state.Step(depth, shown, term.Text, $"match: the MX host {hosts[i]} has {hit}, and {ip} is in {hit}/{prefix}.");
                    return MechanismOutcome.Match;
                }
            }

            state.Step(depth, shown, term.Text, hosts.Count == 0
                ? $"no match: {DomainName.Printable(target)} has no usable MX host (null MX)."
                : $"no match: {ip} is in none of the {type} records of the {hosts.Count} MX host(s) of {DomainName.Printable(target)} (/{prefix}).");
            return MechanismOutcome.NoMatch;
        }

        /// <summary>
        /// Handles the non-success cases of a mechanism's lookup: errors are temperror (§5), NXDOMAIN/NODATA are
        /// no match and count as void lookups (§4.6.4), an unusable name is no match. Returns null on success.
        /// </summary>
        private MechanismOutcome? LookupOutcome(DnsAnswer answer, State state, int depth, string domain, SpfTerm term, bool countVoid)
        {
            if (answer.Status == DnsLookupStatus.Success)
            {
                return null;
            }

            if (answer.Status == DnsLookupStatus.InvalidName)
            {
                state.Step(depth, domain, term.Text, $"no match: the target is not a usable DNS name ({answer.ErrorMessage?.TrimEnd('.')}).");
                return MechanismOutcome.NoMatch;
            }

            if (answer.IsLookupError)
            {
                state.Step(depth, domain, term.Text, $"{answer.Describe()} Result temperror (RFC 7208 §5).");
                state.Findings.Add(SpfFindings.LookupFailed.Create(answer.Describe(), answer.QueryName));
                return MechanismOutcome.Fail(new Outcome(SpfResult.TempError, $"The {answer.QueryType} lookup for {answer.QueryName} failed ({answer.Status})."));
            }

            state.Step(depth, domain, term.Text, $"no match: {answer.Describe()} (void lookup {state.Voids + 1}).");
            if (countVoid && ++state.Voids > _options.MaxVoidLookups)
            {
                return VoidLimit(state, depth, domain, term);
            }

            return MechanismOutcome.NoMatch;
        }

        private MechanismOutcome VoidLimit(State state, int depth, string domain, SpfTerm term)
        {
            var message = $"{state.Voids} lookups returned no answer; at most {_options.MaxVoidLookups} are allowed";
            state.Step(depth, domain, term.Text, message + ": permerror (RFC 7208 §4.6.4).");
            state.Findings.Add(SpfFindings.TooManyVoidLookups.Create(message + ".", domain));
            return MechanismOutcome.Fail(new Outcome(SpfResult.PermError, $"More than {_options.MaxVoidLookups} void lookups (limit reached at '{term.Text}' in {domain})."));
        }

        private async Task<string> ExpandTargetAsync(string domainSpec, string domain, SpfMacroContext context, State state, CancellationToken cancellationToken)
        {
            if (!SpfMacroExpander.HasMacros(domainSpec))
            {
                return SpfMacroExpander.ExpandDomain(domainSpec, context);
            }

            context = await WithValidatedDomainAsync(domainSpec, context, state, cancellationToken).ConfigureAwait(false);
            return SpfMacroExpander.ExpandDomain(domainSpec, context);
        }

        private async Task<SpfMacroContext> WithValidatedDomainAsync(string text, SpfMacroContext context, State state, CancellationToken cancellationToken)
        {
            if (!SpfMacroExpander.UsesLetter(text, 'p'))
            {
                return context;
            }

            // §7.3 %{p}: a validated name equal to <domain> is preferred, then one below it, then any; else "unknown".
            var (validated, _) = await ValidatedNamesAsync(state, cancellationToken, countVoid: false).ConfigureAwait(false);
            var chosen = validated.FirstOrDefault(n => string.Equals(n, context.Domain, StringComparison.OrdinalIgnoreCase))
                ?? validated.FirstOrDefault(n => IsSameOrSubdomain(n, context.Domain))
                ?? validated.FirstOrDefault()
                ?? "unknown";
            return context.WithValidatedDomain(chosen);
        }

        /// <summary>
        /// §5.5: the client's PTR names (the first 10), each kept only when its own address records contain the
        /// client address. DNS errors mean "not validated", never temperror.
        /// </summary>
        private async Task<(IReadOnlyList<string> Names, string? Note)> ValidatedNamesAsync(State state, CancellationToken cancellationToken, bool countVoid = true)
        {
            var ip = state.Ip;
            var reverse = SpfMacroExpander.ReverseName(ip);
            var ptr = await _dns.QueryAsync(reverse, QueryType.PTR, cancellationToken).ConfigureAwait(false);
            if (ptr.Status != DnsLookupStatus.Success)
            {
                if (countVoid && ptr.IsNoRecord)
                {
                    state.Voids++;
                }

                return (Array.Empty<string>(), $"PTR lookup for {reverse}: {ptr.Status}; no names to validate (RFC 7208 §5.5).");
            }

            var names = ptr.RecordsOf<PtrRecord>().Select(r => DomainName.FromResponse(r.PtrDomainName)).Where(n => n.Length > 0).ToList();
            string? note = null;
            if (names.Count > _options.MaxPtrNames)
            {
                note = $"{names.Count} PTR names; only the first {_options.MaxPtrNames} are considered (RFC 7208 §4.6.4).";
                names = names.Take(_options.MaxPtrNames).ToList();
            }

            var type = ip.AddressFamily == AddressFamily.InterNetwork ? QueryType.A : QueryType.AAAA;
            var answers = await Task.WhenAll(names.Select(n => _dns.QueryAnyNameAsync(n, type, cancellationToken))).ConfigureAwait(false);
            var validated = new List<string>();
            for (var i = 0; i < names.Count; i++)
            {
                if (answers[i].Status == DnsLookupStatus.Success && Addresses(answers[i]).Any(a => a.Equals(ip)))
                {
                    validated.Add(names[i]);
                }
            }

            return (validated, note);
        }

        private async Task<string?> ExplainAsync(string domainSpec, string domain, int depth, SpfMacroContext context, State state, CancellationToken cancellationToken)
        {
            var shown = DomainName.Printable(domain);
            // §6.2: exp lookups do not count against the limits; any problem means "no explanation".
            var target = await ExpandTargetAsync(domainSpec, domain, context, state, cancellationToken).ConfigureAwait(false);
            var answer = await _dns.QueryAnyNameAsync(target, QueryType.TXT, cancellationToken).ConfigureAwait(false);
            string? problem = null;
            string? text = null;
            if (answer.Status != DnsLookupStatus.Success)
            {
                problem = answer.Describe();
            }
            else if (answer.TxtStrings.Count != 1)
            {
                problem = $"{DomainName.Printable(target)} has {answer.TxtStrings.Count} TXT records; exactly one is needed";
            }
            else if (!SpfMacroExpander.TryValidate(answer.TxtStrings[0], SpfMacroSyntax.Explanation, out var error))
            {
                problem = $"the explanation text is invalid: {error}";
            }
            else
            {
                var expanded = SpfMacroExpander.Expand(answer.TxtStrings[0], SpfMacroSyntax.Explanation, await WithValidatedDomainAsync(answer.TxtStrings[0], context, state, cancellationToken).ConfigureAwait(false));
                if (expanded.Any(c => c < 0x20 || c > 0x7E))
                {
                    problem = "the expanded explanation is not printable US-ASCII";
                }
                else
                {
                    text = expanded;
                }
            }

            if (problem != null)
            {
                state.Step(depth, shown, "exp=" + DisplayText.Shorten(domainSpec), $"explanation ignored: {problem.TrimEnd('.')} (RFC 7208 §6.2).");
                state.Findings.Add(SpfFindings.ExplanationIgnored.Create($"The exp= explanation of {shown} was ignored: {problem.TrimEnd('.')}.", shown));
                return null;
            }

            // The explanation itself is kept whole (Explanation, at most SpfMacroExpander.MaxExpansionLength); the trace shows its start.
            var cut = text!.Length >= SpfMacroExpander.MaxExpansionLength ? $" (cut at {SpfMacroExpander.MaxExpansionLength} characters)" : string.Empty;
            state.Step(depth, shown, "exp=" + DisplayText.Shorten(domainSpec), $"explanation: {DisplayText.Shorten(text, DisplayText.MaxLength)}{cut}");
            return text;
        }

        private static IEnumerable<IPAddress> Addresses(DnsAnswer answer)
            => answer.RecordsOf<ARecord>().Select(r => r.Address).Concat(answer.RecordsOf<AaaaRecord>().Select(r => r.Address));

        internal static bool InNetwork(IPAddress ip, IPAddress network, int prefix)
        {
            var a = ip.GetAddressBytes();
            var b = network.GetAddressBytes();
            if (a.Length != b.Length)
            {
                return false;
            }

            var full = prefix / 8;
            for (var i = 0; i < full; i++)
            {
                if (a[i] != b[i])
                {
                    return false;
                }
            }

            var bits = prefix % 8;
            if (bits == 0)
            {
                return true;
            }

            var mask = (byte)(0xFF << (8 - bits));
            return (a[full] & mask) == (b[full] & mask);
        }

        private static bool IsSameOrSubdomain(string name, string domain)
        {
            var n = TrimDot(name);
            var d = TrimDot(domain);
            return string.Equals(n, d, StringComparison.OrdinalIgnoreCase) || n.EndsWith("." + d, StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>The A-label (wire) form: DnsClient's Value of a response name is the Unicode form.</summary>
        private static string TrimDot(string name) => name.EndsWith(".", StringComparison.Ordinal) ? name.Substring(0, name.Length - 1) : name;

        private sealed class State
        {
            public State(IPAddress ip) => Ip = ip;

            public IPAddress Ip { get; }

            public int Lookups { get; set; }

            public int Voids { get; set; }

            public string? TopRecord { get; set; }

            public List<SpfTraceStep> Trace { get; } = new List<SpfTraceStep>();

            public List<Finding> Findings { get; } = new List<Finding>();

            public void Step(int depth, string domain, string? term, string message)
            {
                lock (Trace)
                {
                    Trace.Add(new SpfTraceStep(depth, domain, term is null ? null : DomainName.Printable(term), message));
                }
            }
        }

        private sealed class Outcome
        {
            public Outcome(SpfResult result, string reason, SpfTerm? matched = null, string? matchedDomain = null, string? explanation = null)
            {
                Result = result;
                Reason = reason;
                Matched = matched;
                MatchedDomain = matchedDomain;
                Explanation = explanation;
            }

            public SpfResult Result { get; }

            public string Reason { get; }

            public SpfTerm? Matched { get; }

            public string? MatchedDomain { get; }

            public string? Explanation { get; }
        }

        private readonly struct MechanismOutcome
        {
            private MechanismOutcome(bool matched, Outcome? error)
            {
                Matched = matched;
                Error = error;
            }

            public static MechanismOutcome Match => new MechanismOutcome(true, null);

            public static MechanismOutcome NoMatch => new MechanismOutcome(false, null);

            public bool Matched { get; }

            public Outcome? Error { get; }

            public static MechanismOutcome Fail(Outcome outcome) => new MechanismOutcome(false, outcome);
        }
    }
}
