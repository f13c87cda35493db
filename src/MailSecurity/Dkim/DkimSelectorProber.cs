using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using MailSecurity.Dns;
using MailSecurity.Records;

namespace MailSecurity.Dkim
{
    /// <summary>
    /// Looks up DKIM key records at given selectors, or at <see cref="DkimSelectors.Common"/>, all concurrently,
    /// following CNAMEs (Microsoft 365 selector1/selector2 point to the tenant's domain) and parsing each key.
    /// </summary>
    internal sealed class DkimSelectorProber
    {
        private readonly IDnsLookup _lookup;

        /// <summary>Creates a DkimSelectorProber over the run's DNS seam (the resolver, or a scripted zone in unit tests).</summary>
        /// <param name="dns">The run's DNS lookups.</param>
        /// <exception cref="ArgumentNullException"><paramref name="dns"/> is null.</exception>
        internal DkimSelectorProber(IDnsLookup dns) => _lookup = dns ?? throw new ArgumentNullException(nameof(dns));

        /// <summary>Probes the selectors of <paramref name="domain"/>.</summary>
        /// <param name="domain">The normalised domain.</param>
        /// <param name="selectors">Selectors to ask; null or empty for the built-in list.</param>
        /// <param name="cancellationToken">Cancels the lookups.</param>
        public async Task<DkimSummary> ProbeAsync(string domain, IReadOnlyList<string>? selectors = null, CancellationToken cancellationToken = default)
        {
            var source = selectors is null || selectors.Count == 0 ? DkimSelectorSource.BuiltInList : DkimSelectorSource.UserSupplied;
            var list = source == DkimSelectorSource.BuiltInList ? DkimSelectors.Common : selectors!;
            var findings = new List<Finding>();
            var results = new DkimSelectorResult?[list.Count];
            var keys = new IReadOnlyList<DkimKey>[list.Count];
            var pending = new List<(int Index, string Selector)>();
            var seen = source == DkimSelectorSource.UserSupplied ? new HashSet<string>(StringComparer.Ordinal) : null; // the built-in list is distinct (tested)
            var tooLong = 0;
            for (var i = 0; i < list.Count; i++)
            {
                var given = list[i];
                if (!(source == DkimSelectorSource.BuiltInList && BuiltIn.TryGet(i, domain, out var selector, out var error, out var warning))
                    && !TryValidate(given, domain, out selector, out error, out warning))
                {
                    if (source == DkimSelectorSource.BuiltInList)
                    {
                        // The built-in names are valid selectors; one fails only when <selector>._domainkey.<domain> exceeds
                        // the DNS name limit, where no key can exist. Not the user's input, so not an InvalidSelector error.
                        tooLong++;
                        results[i] = new DkimSelectorResult(given, string.Empty, DkimSelectorOutcome.InvalidSelector, error);
                        keys[i] = Array.Empty<DkimKey>();
                        continue;
                    }

                    findings.Add(DkimFindings.InvalidSelector.Create($"The selector '{DisplayText.Shorten(given ?? string.Empty)}' was not looked up: {error}", domain));
                    results[i] = new DkimSelectorResult(given ?? string.Empty, string.Empty, DkimSelectorOutcome.InvalidSelector, error);
                    keys[i] = Array.Empty<DkimKey>();
                    continue;
                }

                if (seen != null && !seen.Add(selector))
                {
                    keys[i] = Array.Empty<DkimKey>();
                    continue; // the same selector twice: asked once
                }

                if (warning != null)
                {
                    findings.Add(DkimFindings.SelectorSyntax.Create($"The selector '{selector}' {warning}.", selector + "._domainkey." + domain));
                }

                pending.Add((i, selector));
            }

            // RFC 8020 §2: an NXDOMAIN for _domainkey.<domain> proves that no name below it exists, so none of the common
            // selectors can hold a key: one question instead of one per selector. Only the built-in guesses are skipped
            // (selectors the user named are asked whatever happens), and only on that proof: a NOERROR (the usual empty
            // non-terminal, or a legacy DomainKeys policy record), a SERVFAIL, REFUSED or malformed answer (servers that
            // get RFC 8020 wrong) says nothing, and all selectors are asked as before. A resolver that did not answer at
            // all (timeout, network error) is not asked 27 more questions that would each wait out the same timeout.
            var node = source == DkimSelectorSource.BuiltInList && pending.Count > 0
                ? await AskDomainKeyNodeAsync(domain, cancellationToken).ConfigureAwait(false)
                : null;
            var proof = node is { Status: DnsLookupStatus.NxDomain } && node.CnameChain.Count == 0
                ? $"{node.QueryName} does not exist (NXDOMAIN): nothing below it (RFC 8020 §2)"
                : null;
            var unanswered = node is { Status: DnsLookupStatus.Timeout or DnsLookupStatus.NetworkError }
                ? $"not asked: {node.QueryName} got no answer ({node.Describe()})"
                : null;
            if (unanswered != null)
            {
                findings.Add(DkimFindings.LookupFailed.Create($"{node!.Describe()}; the common selectors were not asked.", node.QueryName));
            }

            var work = new List<(int Index, Task<(DkimSelectorResult, List<DkimKey>, List<Finding>)> Task)>();
            foreach (var (index, selector) in pending)
            {
                var name = selector + "._domainkey." + domain;
                if (proof != null || unanswered != null)
                {
                    results[index] = new DkimSelectorResult(selector, name, proof != null ? DkimSelectorOutcome.NotFound : DkimSelectorOutcome.LookupFailed, proof ?? unanswered!);
                    keys[index] = Array.Empty<DkimKey>();
                }
                else
                {
                    work.Add((index, ProbeOneAsync(domain, selector, source, cancellationToken)));
                }
            }

            await Task.WhenAll(work.Select(w => w.Task)).ConfigureAwait(false);
            foreach (var (index, task) in work)
            {
                var (result, found, f) = await task.ConfigureAwait(false);
                results[index] = result;
                keys[index] = found;
                findings.AddRange(f);
            }

            var allKeys = keys.SelectMany(k => k).ToList();
            var selectorResults = results.Where(r => r != null).Select(r => r!).ToList();
            DkimStatus status;
            if (allKeys.Count > 0)
            {
                status = DkimStatus.Found;
            }
            else if (selectorResults.Any(r => r.Outcome == DkimSelectorOutcome.LookupFailed))
            {
                status = DkimStatus.LookupFailed;
            }
            else
            {
                status = DkimStatus.NoneFound;
                var asked = selectorResults.Count(r => r.Outcome != DkimSelectorOutcome.InvalidSelector);
                var skipped = tooLong == 0 ? string.Empty
                    : $" ({tooLong} common selector(s) were not asked: with {domain} the <selector>._domainkey name would exceed 253 characters, so no key can be published there)";
                findings.Add(source == DkimSelectorSource.BuiltInList
                    ? DkimFindings.NoSelectorFound.Create(proof != null
                        ? $"_domainkey.{domain} does not exist (NXDOMAIN), so no DKIM selector is published below it (RFC 8020 §2); the {asked} common selectors were not asked one by one{skipped}."
                        : $"None of the {asked} common selectors probed has a DKIM key for {domain}{skipped}; the domain may still sign with another selector.", domain)
                    : DkimFindings.NoSelectorFound.Create($"None of the {asked} selector(s) given has a DKIM key for {domain}.", domain, asked == 0 ? Severity.Error : Severity.Warning));
            }

            return new DkimSummary(domain, status, source, selectorResults, allKeys, findings);
        }

        /// <summary>
        /// The built-in selectors validated once per process rather than once per domain (a bulk run validated all 27 for
        /// every domain, a tenth of its allocations, issue 16). Only the length of the whole name depends on the domain;
        /// where it might not fit, <see cref="TryValidate"/> decides as before.
        /// </summary>
        private static class BuiltIn
        {
            private const string Infix = "._domainkey.";

            private static readonly (bool Valid, string Selector, string? Warning)[] Checked = DkimSelectors.Common
                .Select(c => TryValidate(c, "a", out var selector, out _, out var warning) ? (true, selector, warning) : (false, string.Empty, (string?)null))
                .ToArray();

            public static bool TryGet(int index, string domain, out string selector, out string error, out string? warning)
            {
                var c = Checked[index];
                selector = c.Selector;
                warning = c.Warning;
                error = string.Empty;
                return c.Valid && c.Selector.Length + Infix.Length + domain.Length <= DomainName.MaxLength;
            }
        }

        /// <summary>Asks <c>_domainkey.&lt;domain&gt;</c> once (TXT, so the answer is shared with anything else asking it), or null when that name is too long to ask.</summary>
        private async Task<DnsAnswer?> AskDomainKeyNodeAsync(string domain, CancellationToken cancellationToken)
        {
            var name = "_domainkey." + domain;
            return DomainName.TryNormalize(name, out _, out _)
                ? await _lookup.QueryAsync(name, QueryType.TXT, cancellationToken).ConfigureAwait(false)
                : null;
        }

        /// <summary>
        /// Checks a selector: not empty, valid host-name labels (U-labels become A-labels), not a full _domainkey name,
        /// and the whole name within DNS limits. Underscores and edge hyphens are allowed with a warning.
        /// </summary>
        internal static bool TryValidate(string? given, string domain, out string selector, out string error, out string? warning)
        {
            selector = string.Empty;
            warning = null;
            if (given is null || DkimTagList.Trim(given).Length == 0)
            {
                error = "the selector is empty.";
                return false;
            }

            if (given.IndexOf("_domainkey", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                error = "give only the selector, not the _domainkey name.";
                return false;
            }

            if (given.IndexOf('*') >= 0)
            {
                error = "a selector cannot contain '*'.";
                return false;
            }

            if (!DomainName.TryNormalize(given, out selector, out var why))
            {
                error = why;
                return false;
            }

            if (!DomainName.TryNormalize(selector + "._domainkey." + domain, out _, out var lengthError))
            {
                error = $"the name {selector}._domainkey.{domain} is unusable: {lengthError}";
                return false;
            }

            foreach (var label in selector.Split('.'))
            {
                // RFC 6376 §3.1: selector = sub-domain *( "." sub-domain ), sub-domain = Let-dig [Ldh-str].
                if (label.IndexOf('_') >= 0 || label.StartsWith("-", StringComparison.Ordinal) || label.EndsWith("-", StringComparison.Ordinal))
                {
                    warning = "is not RFC 6376 selector syntax (letters, digits and inner hyphens only)";
                }
            }

            error = string.Empty;
            return true;
        }

        private async Task<(DkimSelectorResult, List<DkimKey>, List<Finding>)> ProbeOneAsync(string domain, string selector, DkimSelectorSource source, CancellationToken cancellationToken)
        {
            var name = selector + "._domainkey." + domain;
            var findings = new List<Finding>();
            var keys = new List<DkimKey>();
            var answer = await _lookup.QueryAsync(name, QueryType.TXT, cancellationToken).ConfigureAwait(false);
            var chain = answer.CnameChain.Select(l => $"{l.Name} -> {l.Target}").ToList();
            if (answer.IsLookupError)
            {
                findings.Add(DkimFindings.LookupFailed.Create(answer.Describe(), name));
                return (new DkimSelectorResult(selector, name, DkimSelectorOutcome.LookupFailed, answer.Describe()), keys, findings);
            }

            if (answer.CnameChain.Count > 0)
            {
                var target = answer.CanonicalName;
                var provider = target.EndsWith(".onmicrosoft.com", StringComparison.Ordinal) || target.IndexOf(".dkim.mail.microsoft", StringComparison.Ordinal) >= 0
                    ? " (Microsoft 365)" : string.Empty;
                if (answer.IsNoRecord)
                {
                    findings.Add(DkimFindings.DanglingCname.Create($"{name} is a CNAME to {target}{provider}, which has no key record ({answer.Status}).", name));
                    return (new DkimSelectorResult(selector, name, DkimSelectorOutcome.NotFound, $"CNAME to {target}, which has no TXT record"), keys, findings);
                }

                findings.Add(DkimFindings.SelectorIsCname.Create($"{name} is a CNAME to {target}{provider}.", name));
            }

            if (answer.IsNoRecord)
            {
                return (new DkimSelectorResult(selector, name, DkimSelectorOutcome.NotFound, answer.Describe()), keys, findings);
            }

            var txt = answer.TxtStrings;
            var keyRecords = txt.Where(DkimKeyRecordParser.IsKeyRecord).ToList();
            if (keyRecords.Count == 0)
            {
                // Probing common names through a wildcard TXT is expected noise; a selector the user named deserves a warning.
                findings.Add(DkimFindings.NotAKeyRecord.Create($"{name} has {txt.Count} TXT record(s) but no DKIM key record: '{DisplayText.Shorten(txt[0])}'.", name,
                    source == DkimSelectorSource.UserSupplied ? Severity.Warning : (Severity?)null));
                return (new DkimSelectorResult(selector, name, DkimSelectorOutcome.NotAKeyRecord, "TXT record(s) present, none a key"), keys, findings);
            }

            if (txt.Count > 1)
            {
                findings.Add(DkimFindings.MultipleKeyRecords.Create($"{name} has {txt.Count} TXT records; which key verifiers use is undefined.", name));
            }

            foreach (var record in keyRecords)
            {
                var key = DkimKeyRecordParser.Parse(domain, selector, record, chain, answer.CanonicalName, answer.DnssecStatus);
                keys.Add(key);
                findings.AddRange(key.Findings);
            }

            return (new DkimSelectorResult(selector, name, DkimSelectorOutcome.Found, $"{keyRecords.Count} key record(s)"), keys, findings);
        }
    }
}
