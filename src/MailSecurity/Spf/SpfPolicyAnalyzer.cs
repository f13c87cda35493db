using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using MailSecurity.Dns;

namespace MailSecurity.Spf
{
    /// <summary>
    /// Judges a domain's SPF policy without a client address (for Get-MailAuthRecords): record selection, grammar,
    /// the include/redirect tree resolved breadth-first with each level's lookups concurrent, the global lookup and
    /// void-lookup counts, the per-mx name limit, loops, and publishing advice (+all, ?all, ptr, broad ranges, length).
    /// </summary>
    internal sealed class SpfPolicyAnalyzer
    {
        private const int MaxNodes = 200;
        private const int MaxDepth = 20;
        private readonly IDnsLookup _lookup;
        private readonly SpfEvaluatorOptions _limits;

        /// <summary>Creates an analyzer over the run's DNS seam (its cache makes shared include providers cost one query per run).</summary>
        /// <param name="dns">The run's DNS lookups; SPF target names are asked with <see cref="IDnsLookup.QueryAnyNameAsync"/> (RFC 7208 §7.3).</param>
        /// <param name="limits">The processing limits (RFC 7208 §4.6.4); defaults when null.</param>
        /// <exception cref="ArgumentNullException"><paramref name="dns"/> is null.</exception>
        internal SpfPolicyAnalyzer(IDnsLookup dns, SpfEvaluatorOptions? limits = null)
        {
            _lookup = dns ?? throw new ArgumentNullException(nameof(dns));
            _limits = limits ?? new SpfEvaluatorOptions();
        }

        /// <summary>Analyses the SPF policy of <paramref name="domain"/>.</summary>
        public async Task<SpfPolicy> AnalyzeAsync(string domain, CancellationToken cancellationToken = default)
        {
            var findings = new List<Finding>();
            string? why = null;
            if (!DomainName.TryNormalize(domain, out var name, out var nameError))
            {
                why = nameError;
            }
            else if (DomainName.LabelCount(name) < 2)
            {
                why = $"'{name}' is a single label, not a fully qualified domain.";
            }

            if (why != null)
            {
                // RFC 7208 §4.3: such a domain has SPF result none without any lookup.
                var shown = DomainName.Printable(domain ?? string.Empty);
                findings.Add(SpfFindings.DomainNotUsable.Create(why, shown));
                return new SpfPolicy(new SpfPolicyBuilder
                {
                    Domain = shown,
                    Verdict = SpfVerdict.None,
                    Findings = findings,
                });
            }

            var root = await FetchAsync(name, cancellationToken).ConfigureAwait(false);

            // What every exit below reports; each sets its verdict and what it learned.
            var result = new SpfPolicyBuilder { Domain = name, Records = root.SpfRecords, Findings = findings };
            if (root.Answer.IsLookupError)
            {
                findings.Add(SpfFindings.LookupFailed.Create(root.Answer.Describe(), name));
                result.Verdict = SpfVerdict.TempError;
                return new SpfPolicy(result);
            }

            if (root.Answer.Status == DnsLookupStatus.NxDomain)
            {
                findings.Add(SpfFindings.DomainNotUsable.Create($"{name} does not exist (NXDOMAIN), so its SPF result is none.", name));
                result.Verdict = SpfVerdict.None;
                return new SpfPolicy(result);
            }

            if (root.SpfRecords.Count == 0)
            {
                findings.Add(SpfFindings.NoRecord.Create($"{name} has {root.Answer.TxtStrings.Count} TXT record(s) and none starts with 'v=spf1'.", name));
                result.Verdict = SpfVerdict.None;
                return new SpfPolicy(result);
            }

            if (root.SpfRecords.Count > 1)
            {
                findings.Add(SpfFindings.MultipleRecords.Create($"{name} publishes {root.SpfRecords.Count} SPF records; every check is a permerror.", name));
                result.Verdict = SpfVerdict.PermError;
                return new SpfPolicy(result);
            }

            var record = root.Record!;
            result.Record = record.Text;
            result.Terms = record.Terms;
            if (!record.IsValid)
            {
                foreach (var e in record.Errors)
                {
                    findings.Add(SpfFindings.SyntaxError.Create($"The SPF record of {name}: {e}", name));
                }

                var lone = new SpfPolicyNode(new SpfPolicyNodeBuilder
                {
                    Domain = name,
                    Status = SpfVerdict.PermError,
                    Record = record.Text,
                    Terms = record.Terms,
                    DnsLookupTerms = record.DnsLookupTermCount,
                    Error = record.Errors[0],
                });
                result.Verdict = SpfVerdict.PermError;
                result.Tree = new[] { lone };
                result.DnsLookupCount = record.DnsLookupTermCount;
                return new SpfPolicy(result);
            }

            AddTopLevelAdvice(name, record, findings);
            var (tree, truncated) = await BuildTreeAsync(name, root, findings, cancellationToken).ConfigureAwait(false);
            var lookups = tree.Sum(n => n.DnsLookupTerms);
            var voids = tree.Sum(n => n.VoidLookups);
            if (lookups > _limits.MaxDnsLookups || truncated)
            {
                // A tree cut off at MaxDepth/MaxNodes has more terms than were counted (and always more than 10).
                var count = truncated ? $"at least {lookups} DNS-querying terms (the tree is too deep or too large to follow to its end)" : $"{lookups} DNS-querying terms";
                findings.Add(SpfFindings.TooManyLookups.Create($"The policy of {name} has {count} across its include tree; at most {_limits.MaxDnsLookups} are allowed, so checks of addresses not matched earlier end in permerror.", name));
            }

            if (voids > _limits.MaxVoidLookups)
            {
                findings.Add(SpfFindings.TooManyVoidLookups.Create($"{voids} lookups of the policy of {name} return no answer; at most {_limits.MaxVoidLookups} are allowed.", name));
            }

            result.Verdict = Verdict(findings);
            result.Tree = tree;
            result.DnsLookupCount = lookups;
            result.VoidLookupCount = voids;
            result.Findings = findings.OrderByDescending(f => f.Severity).ToList();
            return new SpfPolicy(result);
        }

        private static SpfVerdict Verdict(IReadOnlyList<Finding> findings)
        {
            bool Has(FindingDescriptor d) => Finding.Contains(findings, d);
            if (Has(SpfFindings.LookupFailed))
            {
                return SpfVerdict.TempError; // a DNS failure in the tree is temperror, never "no record"
            }

            var perm = new[]
            {
                SpfFindings.SyntaxError, SpfFindings.MultipleRecords, SpfFindings.TooManyLookups, SpfFindings.TooManyVoidLookups,
                SpfFindings.IncludeLoop, SpfFindings.IncludeNoRecord, SpfFindings.RedirectNoRecord, SpfFindings.MxTooManyNames,
            };
            return perm.Any(Has) ? SpfVerdict.PermError : SpfVerdict.Valid;
        }

        private void AddTopLevelAdvice(string name, SpfRecord record, List<Finding> findings)
        {
            var all = record.All;
            if (all != null)
            {
                switch (all.Qualifier)
                {
                    case SpfQualifier.Pass:
                        findings.Add(SpfFindings.PassAll.Create($"The SPF record of {name} ends in '{all.Text}': every host may send as {name}.", name));
                        break;
                    case SpfQualifier.Neutral:
                        findings.Add(SpfFindings.NeutralAll.Create($"The SPF record of {name} ends in '{all.Text}'.", name));
                        break;
                    case SpfQualifier.SoftFail:
                        findings.Add(SpfFindings.SoftFailAll.Create($"The SPF record of {name} ends in '{all.Text}'.", name));
                        break;
                }

                var after = record.Mechanisms.SkipWhile(t => t.Kind != SpfTermKind.All).Skip(1).ToList();
                if (after.Count > 0)
                {
                    findings.Add(SpfFindings.TermsAfterAll.Create($"{after.Count} mechanism(s) after '{all.Text}' in the record of {name} are never evaluated: {string.Join(" ", after.Select(t => t.Text))}.", name));
                }

                if (record.Redirect != null)
                {
                    findings.Add(SpfFindings.RedirectIgnored.Create($"'{record.Redirect.Text}' in the record of {name} is never used because of '{all.Text}'.", name));
                }
            }
            else if (record.Redirect is null)
            {
                findings.Add(SpfFindings.NoAll.Create($"The SPF record of {name} has no 'all' and no redirect; unlisted hosts get neutral.", name));
            }
        }

        /// <summary>Publishing advice that matters wherever the record sits in the tree.</summary>
        private static void AddRecordAdvice(string name, SpfRecord record, int depth, List<Finding> findings)
        {
            if (record.Text.Length > 450)
            {
                findings.Add(SpfFindings.RecordTooLong.Create($"The SPF record of {name} is {record.Text.Length} characters long.", name));
            }

            foreach (var t in record.Terms)
            {
                switch (t.Kind)
                {
                    case SpfTermKind.Ptr:
                        findings.Add(SpfFindings.PtrUsed.Create($"The SPF record of {name} uses '{t.Text}'.", name));
                        break;
                    case SpfTermKind.Ip4 when t.Ip4PrefixLength < 16:
                        findings.Add(SpfFindings.BroadIp4Range.Create($"'{t.Text}' in the record of {name} authorises {Math.Pow(2, 32 - t.Ip4PrefixLength!.Value):N0} addresses.", name, t.Ip4PrefixLength < 8 ? Severity.Error : (Severity?)null));
                        break;
                    case SpfTermKind.Ip6 when t.Ip6PrefixLength < 32:
                        findings.Add(SpfFindings.BroadIp6Range.Create($"'{t.Text}' in the record of {name} authorises a /{t.Ip6PrefixLength} range.", name, t.Ip6PrefixLength < 16 ? Severity.Error : (Severity?)null));
                        break;
                    case SpfTermKind.UnknownModifier:
                        findings.Add(SpfFindings.UnknownModifier.Create($"'{DomainName.Printable(t.Text)}' in the record of {name} is not a modifier receivers know; it is ignored.", name));
                        break;
                    case SpfTermKind.All when depth > 0 && t.Qualifier == SpfQualifier.Pass:
                        findings.Add(SpfFindings.PassAll.Create($"The included record of {name} ends in '{t.Text}', so the include matches every host.", name));
                        break;
                }

                if (t.DomainSpec != null && SpfMacroExpander.UsesLetter(t.DomainSpec, 'p') && t.Kind != SpfTermKind.Ptr)
                {
                    findings.Add(SpfFindings.PtrUsed.Create($"'{t.Text}' in the record of {name} uses the %{{p}} macro.", name));
                }
            }
        }

        private async Task<(IReadOnlyList<SpfPolicyNode> Tree, bool Truncated)> BuildTreeAsync(string name, Fetched root, List<Finding> findings, CancellationToken cancellationToken)
        {
            var rootBuilder = new NodeBuilder(name, string.Empty, 0, null) { Fetched = root };
            var level = new List<NodeBuilder> { rootBuilder };
            var nodes = 1;
            var truncated = false;
            while (level.Count > 0)
            {
                // Finish this level: validate each node's own record, count its void lookups (concurrently).
                await Task.WhenAll(level.Select(n => InspectAsync(n, findings, cancellationToken))).ConfigureAwait(false);
                var next = new List<NodeBuilder>();
                foreach (var node in level)
                {
                    if (node.Record is null || !node.Record.IsValid)
                    {
                        continue;
                    }

                    var targets = node.Record.Mechanisms.Where(t => t.Kind == SpfTermKind.Include).ToList();
                    if (node.Record.Redirect != null && node.Record.All is null)
                    {
                        targets.Add(node.Record.Redirect);
                    }

                    foreach (var term in targets)
                    {
                        var spec = term.DomainSpec!;
                        if (SpfMacroExpander.HasMacros(spec))
                        {
                            Add(findings, SpfFindings.MacroTarget.Create($"'{term.Text}' in the record of {node.Domain} depends on the message and was not followed.", node.Domain));
                            continue;
                        }

                        var target = SpfMacroExpander.ExpandDomain(spec, StaticContext(node.Domain)).ToLowerInvariant();
                        if (node.Ancestry.Contains(target))
                        {
                            Add(findings, SpfFindings.IncludeLoop.Create($"'{term.Text}' in the record of {node.Domain} leads back to {target}, which is already being evaluated.", node.Domain));
                            node.Children.Add(new NodeBuilder(target, term.Text, node.Depth + 1, node) { Error = "loop: already being evaluated above", Status = SpfVerdict.PermError });
                            continue;
                        }

                        if (node.Depth + 1 > MaxDepth || nodes >= MaxNodes)
                        {
                            truncated = true;
                            node.Children.Add(new NodeBuilder(target, term.Text, node.Depth + 1, node) { Error = "not followed: the tree is too deep or too large", Status = SpfVerdict.PermError });
                            continue;
                        }

                        var child = new NodeBuilder(target, term.Text, node.Depth + 1, node);
                        node.Children.Add(child);
                        next.Add(child);
                        nodes++;
                    }
                }

                // The next level's records are fetched concurrently; the resolver's cache coalesces repeated names.
                var fetched = await Task.WhenAll(next.Select(n => FetchAsync(n.Domain, cancellationToken))).ConfigureAwait(false);
                for (var i = 0; i < next.Count; i++)
                {
                    next[i].Fetched = fetched[i];
                }

                level = next;
            }

            return (rootBuilder.Build().ToList(), truncated);
        }

        private async Task InspectAsync(NodeBuilder node, List<Finding> findings, CancellationToken cancellationToken)
        {
            var f = node.Fetched!;
            var isRedirect = node.Via.StartsWith("redirect", StringComparison.OrdinalIgnoreCase);
            if (node.Depth > 0)
            {
                if (f.Answer.IsLookupError)
                {
                    node.Status = SpfVerdict.TempError;
                    node.Error = f.Answer.Describe();
                    Add(findings, SpfFindings.LookupFailed.Create($"'{node.Via}': {f.Answer.Describe()}", node.Domain));
                    return;
                }

                if (f.SpfRecords.Count == 0)
                {
                    node.Status = SpfVerdict.None;
                    node.Error = f.Answer.Status == DnsLookupStatus.NxDomain ? "the domain does not exist" : f.Answer.Status == DnsLookupStatus.InvalidName ? "not a usable domain name" : "no SPF record";
                    if (f.Answer.IsNoRecord)
                    {
                        node.VoidLookups++;
                    }

                    var descriptor = isRedirect ? SpfFindings.RedirectNoRecord : SpfFindings.IncludeNoRecord;
                    Add(findings, descriptor.Create($"'{node.Via}' in the record of {node.Parent!.Domain}: {node.Domain}: {node.Error}; checks reaching it end in permerror.", node.Domain));
                    return;
                }

                if (f.SpfRecords.Count > 1)
                {
                    node.Status = SpfVerdict.PermError;
                    node.Error = $"{f.SpfRecords.Count} SPF records";
                    Add(findings, SpfFindings.MultipleRecords.Create($"{node.Domain} (reached by '{node.Via}') publishes {f.SpfRecords.Count} SPF records.", node.Domain));
                    return;
                }

                if (!f.Record!.IsValid)
                {
                    node.Status = SpfVerdict.PermError;
                    node.Error = f.Record.Errors[0];
                    foreach (var e in f.Record.Errors)
                    {
                        Add(findings, SpfFindings.SyntaxError.Create($"The SPF record of {node.Domain} (reached by '{node.Via}'): {e}", node.Domain));
                    }

                    return;
                }
            }

            node.Status = SpfVerdict.Valid;
            var record = f.Record!;
            var local = new List<Finding>();
            AddRecordAdvice(node.Domain, record, node.Depth, local);
            foreach (var x in local)
            {
                Add(findings, x);
            }

            // Void lookups and lookup failures of the record's own a/mx/exists targets (those without macros).
            var checks = record.Mechanisms
                .Where(t => t.Kind == SpfTermKind.A || t.Kind == SpfTermKind.Mx || t.Kind == SpfTermKind.Exists)
                .Where(t => t.DomainSpec is null || !SpfMacroExpander.HasMacros(t.DomainSpec))
                .Select(t => CheckTargetAsync(node, t, findings, cancellationToken));
            await Task.WhenAll(checks).ConfigureAwait(false);
        }

        private async Task CheckTargetAsync(NodeBuilder node, SpfTerm term, List<Finding> findings, CancellationToken cancellationToken)
        {
            var target = term.DomainSpec is null ? node.Domain : SpfMacroExpander.ExpandDomain(term.DomainSpec, StaticContext(node.Domain));
            IReadOnlyList<DnsAnswer> answers;
            if (term.Kind == SpfTermKind.A)
            {
                answers = await Task.WhenAll(
                    _lookup.QueryAnyNameAsync(target, QueryType.A, cancellationToken),
                    _lookup.QueryAnyNameAsync(target, QueryType.AAAA, cancellationToken)).ConfigureAwait(false);
            }
            else
            {
                answers = new[] { await _lookup.QueryAnyNameAsync(target, term.Kind == SpfTermKind.Mx ? QueryType.MX : QueryType.A, cancellationToken).ConfigureAwait(false) };
            }

            var failed = answers.FirstOrDefault(a => a.IsLookupError);
            if (failed != null)
            {
                Add(findings, SpfFindings.LookupFailed.Create($"'{term.Text}' in the record of {node.Domain}: {failed.Describe()}", failed.QueryName));
                return;
            }

            if (answers.All(a => a.IsNoRecord))
            {
                lock (node)
                {
                    node.VoidLookups++;
                }

                return;
            }

            if (term.Kind == SpfTermKind.Mx)
            {
                var count = answers[0].RecordsOf<MxRecord>().Count();
                if (count > _limits.MaxMxNames)
                {
                    Add(findings, SpfFindings.MxTooManyNames.Create($"'{term.Text}' in the record of {node.Domain}: {target} has {count} MX records; at most {_limits.MaxMxNames} may be looked up.", target));
                }
            }
        }

        private static void Add(List<Finding> findings, Finding finding)
        {
            lock (findings)
            {
                findings.Add(finding);
            }
        }

        private static SpfMacroContext StaticContext(string domain)
            => new SpfMacroContext("postmaster@" + domain, domain, IPAddress.Any, null, "unknown", DateTimeOffset.UtcNow);

        private async Task<Fetched> FetchAsync(string domain, CancellationToken cancellationToken)
        {
            var answer = await _lookup.QueryAnyNameAsync(domain, QueryType.TXT, cancellationToken).ConfigureAwait(false);
            var records = answer.Status == DnsLookupStatus.Success ? answer.TxtStrings.Where(SpfRecordParser.IsSpfRecord).ToList() : new List<string>();
            return new Fetched(answer, records, records.Count == 1 ? SpfRecordParser.Parse(records[0]) : null);
        }

        private sealed class Fetched
        {
            public Fetched(DnsAnswer answer, IReadOnlyList<string> spfRecords, SpfRecord? record)
            {
                Answer = answer;
                SpfRecords = spfRecords;
                Record = record;
            }

            public DnsAnswer Answer { get; }

            public IReadOnlyList<string> SpfRecords { get; }

            public SpfRecord? Record { get; }
        }

        private sealed class NodeBuilder
        {
            public NodeBuilder(string domain, string via, int depth, NodeBuilder? parent)
            {
                Domain = domain;
                Via = via;
                Depth = depth;
                Parent = parent;
                Ancestry = new HashSet<string>(parent?.Ancestry ?? Enumerable.Empty<string>(), StringComparer.OrdinalIgnoreCase) { domain };
            }

            public string Domain { get; }

            public string Via { get; }

            public int Depth { get; }

            public NodeBuilder? Parent { get; }

            public HashSet<string> Ancestry { get; }

            public Fetched? Fetched { get; set; }

            public SpfRecord? Record => Fetched?.Record;

            public SpfVerdict Status { get; set; } = SpfVerdict.Valid;

            public string? Error { get; set; }

            public int VoidLookups { get; set; }

            public List<NodeBuilder> Children { get; } = new List<NodeBuilder>();

            /// <summary>This node and every node below it, depth first in record order.</summary>
            public IEnumerable<SpfPolicyNode> Build()
            {
                yield return new SpfPolicyNode(new SpfPolicyNodeBuilder
                {
                    Domain = Domain,
                    Via = Via,
                    Depth = Depth,
                    Parent = Parent?.Domain,
                    Status = Status,
                    Record = Record?.Text ?? (Fetched?.SpfRecords.Count > 1 ? string.Join(" | ", Fetched.SpfRecords) : null),
                    Terms = Record?.Terms ?? (IReadOnlyList<SpfTerm>)Array.Empty<SpfTerm>(),
                    DnsLookupTerms = Record?.IsValid == true ? Record.DnsLookupTermCount : 0,
                    VoidLookups = VoidLookups,
                    Error = Error,
                });
                foreach (var node in Children.SelectMany(c => c.Build()))
                {
                    yield return node;
                }
            }
        }
    }
}
