using System;
using System.Collections.Generic;
using System.Linq;
using MailSecurity.Spf;

namespace MailSecurity
{
    /// <summary>The outcome of one SPF check_host() evaluation (Test-SpfRecord). Immutable.</summary>
    public sealed class SpfCheckResult
    {
        /// <summary>Creates the result.</summary>
        internal SpfCheckResult(SpfCheckResultBuilder b)
        {
            Domain = b.Domain;
            IPAddress = b.IPAddress;
            Sender = b.Sender;
            HeloName = b.HeloName;
            Result = b.Result;
            Reason = b.Reason;
            MatchedMechanism = b.MatchedMechanism;
            MatchedDomain = b.MatchedDomain;
            Explanation = b.Explanation;
            DnsLookupCount = b.DnsLookupCount;
            VoidLookupCount = b.VoidLookupCount;
            Trace = ValueList.From(b.Trace);
            Record = b.Record;
            Findings = FindingList.From(b.Findings);
        }

        /// <summary>The same result with findings about the input added (such as a wildcard accepted domain).</summary>
        internal SpfCheckResult WithAddedFindings(IEnumerable<Finding> added)
            => new SpfCheckResult(new SpfCheckResultBuilder
            {
                Domain = Domain,
                IPAddress = IPAddress,
                Sender = Sender,
                HeloName = HeloName,
                Result = Result,
                Reason = Reason,
                MatchedMechanism = MatchedMechanism,
                MatchedDomain = MatchedDomain,
                Explanation = Explanation,
                DnsLookupCount = DnsLookupCount,
                VoidLookupCount = VoidLookupCount,
                Trace = Trace,
                Record = Record,
                Findings = ((FindingList)Findings).With(added),
            });

        /// <summary>The domain whose policy was checked (the &lt;domain&gt; of check_host()).</summary>
        public string Domain { get; }

        /// <summary>The client IP address checked (an IPv4-mapped IPv6 address is shown as IPv4, as it is evaluated).</summary>
        public string IPAddress { get; }

        /// <summary>The sender (&lt;sender&gt;) used for macros; <c>postmaster@domain</c> when none was given.</summary>
        public string Sender { get; }

        /// <summary>The HELO/EHLO name used for the %{h} macro, if given.</summary>
        public string? HeloName { get; }

        /// <summary>The SPF result.</summary>
        public SpfResult Result { get; }

        /// <summary>Why the evaluation ended with this result, in one sentence.</summary>
        public string Reason { get; }

        /// <summary>The mechanism that decided the result (as written, with its qualifier); <c>null</c> when none matched.</summary>
        public string? MatchedMechanism { get; }

        /// <summary>The domain whose record holds <see cref="MatchedMechanism"/> (differs from Domain after a redirect).</summary>
        public string? MatchedDomain { get; }

        /// <summary>The explanation from <c>exp=</c> (only for a fail caused by a mechanism), or <c>null</c>.</summary>
        public string? Explanation { get; }

        /// <summary>DNS-querying terms evaluated across all includes and redirects (limit 10).</summary>
        public int DnsLookupCount { get; }

        /// <summary>Lookups that returned NXDOMAIN or no records (limit 2).</summary>
        public int VoidLookupCount { get; }

        /// <summary>Every step of the evaluation, one line each.</summary>
        public IReadOnlyList<SpfTraceStep> Trace { get; }

        /// <summary>The SPF record of <see cref="Domain"/>, when exactly one was found.</summary>
        public string? Record { get; }

        /// <summary>Findings explaining errors met during the evaluation.</summary>
        public IReadOnlyList<Finding> Findings { get; }

        /// <summary>
        /// The trace on one line, steps separated by " | " and nested steps marked with one '&gt;' per include/redirect level
        /// (a flat CSV column; <see cref="Trace"/> shows the indented steps one per line).
        /// </summary>
        public string TraceText => string.Join(" | ", Trace.Select(t => (t.Depth == 0 ? string.Empty : new string('>', t.Depth) + " ") + ValueList<SpfTraceStep>.OneLine(t.ToString())));

        /// <inheritdoc />
        public override string ToString() => $"{Result} ({Domain}, {IPAddress}): {Reason}";
    }

    /// <summary>The verdict on a domain's SPF policy as a whole (Get-MailAuthRecords).</summary>
    public enum SpfVerdict
    {
        /// <summary>One syntactically valid record whose include/redirect tree resolves within the limits.</summary>
        Valid,
        /// <summary>Checks against this policy end in permerror (syntax, several records, limits, broken includes).</summary>
        PermError,
        /// <summary>A DNS lookup needed by the policy failed: checks end in temperror. Not "no record".</summary>
        TempError,
        /// <summary>No SPF record (or no usable domain).</summary>
        None,
    }

    /// <summary>
    /// One record of the include/redirect tree of an SPF policy. Nodes are listed flat, depth first (<see cref="SpfPolicy.Tree"/>):
    /// <see cref="Depth"/> and <see cref="Parent"/> say where each hangs, so a tree of any depth serialises within
    /// ConvertTo-Json -Depth 5 and fits a CSV. Immutable.
    /// </summary>
    public sealed class SpfPolicyNode
    {
        /// <summary>Creates a node.</summary>
        internal SpfPolicyNode(SpfPolicyNodeBuilder b)
        {
            Domain = b.Domain;
            Via = b.Via;
            Depth = b.Depth;
            Parent = b.Parent;
            Status = b.Status;
            Record = b.Record;
            Terms = new ValueList<string>((b.Terms ?? Array.Empty<SpfTerm>()).Select(t => t.Text));
            DnsLookupTerms = b.DnsLookupTerms;
            VoidLookups = b.VoidLookups;
            Error = b.Error;
        }

        /// <summary>The domain of this node.</summary>
        public string Domain { get; }

        /// <summary>How it was reached: the term that leads here (<c>include:x</c>, <c>redirect=x</c>), or empty for the root.</summary>
        public string Via { get; }

        /// <summary>Nesting depth (0 = the domain analysed).</summary>
        public int Depth { get; }

        /// <summary>The domain of the record whose term led here; <c>null</c> for the root.</summary>
        public string? Parent { get; }

        /// <summary>The state of this node's record alone.</summary>
        public SpfVerdict Status { get; }

        /// <summary>The node's SPF record, when exactly one was found.</summary>
        public string? Record { get; }

        /// <summary>The terms of <see cref="Record"/> as written (the root's parsed terms are <see cref="SpfPolicy.Terms"/>).</summary>
        public IReadOnlyList<string> Terms { get; }

        /// <summary>Terms in this record that count against the 10-lookup limit.</summary>
        public int DnsLookupTerms { get; }

        /// <summary>Void lookups made for this record's own a/mx/exists targets.</summary>
        public int VoidLookups { get; }

        /// <summary>What went wrong at this node, if anything.</summary>
        public string? Error { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Domain} ({Status}, {DnsLookupTerms} lookup term(s))";
    }

    /// <summary>A domain's SPF policy for Get-MailAuthRecords: record, terms, include tree, limits and findings. Immutable.</summary>
    public sealed class SpfPolicy
    {
        /// <summary>Creates the policy result.</summary>
        internal SpfPolicy(SpfPolicyBuilder b)
        {
            Domain = b.Domain;
            Verdict = b.Verdict;
            Record = b.Record;
            Records = ValueList.From(b.Records);
            Terms = ValueList.From(b.Terms);
            Tree = ValueList.From(b.Tree);
            DnsLookupCount = b.DnsLookupCount;
            VoidLookupCount = b.VoidLookupCount;
            Findings = FindingList.From(b.Findings);
        }

        /// <summary>The domain analysed.</summary>
        public string Domain { get; }

        /// <summary>The overall verdict.</summary>
        public SpfVerdict Verdict { get; }

        /// <summary>The SPF record, when exactly one was found.</summary>
        public string? Record { get; }

        /// <summary>Every TXT record of the domain that starts with <c>v=spf1</c> (more than one is an error).</summary>
        public IReadOnlyList<string> Records { get; }

        /// <summary>The parsed terms of <see cref="Record"/>.</summary>
        public IReadOnlyList<SpfTerm> Terms { get; }

        /// <summary>
        /// The include/redirect tree: one node per record reached, the domain's own first, then depth first in record
        /// order (each node's Depth and Parent place it); empty when there is no record.
        /// </summary>
        public IReadOnlyList<SpfPolicyNode> Tree { get; }

        /// <summary>
        /// DNS-querying terms across the whole tree: what a check that matches nothing evaluates (limit 10). A lower bound
        /// when the tree is too deep or too large to follow to its end; <c>Spf.TooManyLookups</c> then says "at least".
        /// </summary>
        public int DnsLookupCount { get; }

        /// <summary>Void lookups found among the tree's a/mx/exists targets and includes (limit 2).</summary>
        public int VoidLookupCount { get; }

        /// <summary>Findings, worst first.</summary>
        public IReadOnlyList<Finding> Findings { get; }

        /// <summary>The <c>all</c> mechanism of the record (e.g. <c>-all</c>), or <c>null</c>.</summary>
        public string? AllMechanism => Terms.FirstOrDefault(t => t.Kind == SpfTermKind.All)?.Text;

        /// <summary>The worst finding severity, or <c>null</c> without findings.</summary>
        public Severity? WorstSeverity => Finding.Worst(Findings);

        /// <inheritdoc />
        public override string ToString() => Record is null ? Verdict.ToString() : $"{Verdict}: {Record}";
    }
}
