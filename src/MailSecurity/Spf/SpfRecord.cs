using MailSecurity.Dns;
using System;
using System.Collections.Generic;
using System.Linq;
using MailSecurity.Spf;

namespace MailSecurity
{
    /// <summary>The result of an SPF check_host() evaluation (RFC 7208 §2.6).</summary>
    public enum SpfResult
    {
        /// <summary>The client is authorised to use the domain.</summary>
        Pass,
        /// <summary>The client is explicitly not authorised.</summary>
        Fail,
        /// <summary>The client is probably not authorised; weak statement, do not reject on it alone.</summary>
        SoftFail,
        /// <summary>The domain makes no assertion; treated exactly like None.</summary>
        Neutral,
        /// <summary>No usable domain, or no SPF record.</summary>
        None,
        /// <summary>A transient (DNS) error; a later retry may succeed.</summary>
        TempError,
        /// <summary>The record(s) could not be interpreted: needs an administrator's fix.</summary>
        PermError,
    }

    /// <summary>A mechanism's qualifier (RFC 7208 §4.6.2).</summary>
    public enum SpfQualifier
    {
        /// <summary><c>+</c> (the default): pass.</summary>
        Pass,
        /// <summary><c>-</c>: fail.</summary>
        Fail,
        /// <summary><c>~</c>: softfail.</summary>
        SoftFail,
        /// <summary><c>?</c>: neutral.</summary>
        Neutral,
    }

    /// <summary>What a term of an SPF record is (RFC 7208 §5, §6).</summary>
    public enum SpfTermKind
    {
        /// <summary>A term that is neither a known mechanism nor a well-formed modifier.</summary>
        Invalid,
        /// <summary><c>all</c>.</summary>
        All,
        /// <summary><c>include:domain</c>.</summary>
        Include,
        /// <summary><c>a[:domain][/cidr]</c>.</summary>
        A,
        /// <summary><c>mx[:domain][/cidr]</c>.</summary>
        Mx,
        /// <summary><c>ptr[:domain]</c>.</summary>
        Ptr,
        /// <summary><c>ip4:network[/cidr]</c>.</summary>
        Ip4,
        /// <summary><c>ip6:network[/cidr]</c>.</summary>
        Ip6,
        /// <summary><c>exists:domain</c>.</summary>
        Exists,
        /// <summary><c>redirect=domain</c>.</summary>
        Redirect,
        /// <summary><c>exp=domain</c>.</summary>
        Explanation,
        /// <summary>Any other <c>name=value</c> modifier; ignored by evaluation.</summary>
        UnknownModifier,
    }

    /// <summary>One term of an SPF record, parsed. Immutable.</summary>
    public sealed class SpfTerm
    {
        /// <summary>Creates a parsed term.</summary>
        internal SpfTerm(SpfTermBuilder b)
        {
            Text = b.Text;
            Index = b.Index;
            Kind = b.Kind;
            Qualifier = b.Qualifier;
            DomainSpec = b.DomainSpec;
            Network = b.Network;
            Ip4PrefixLength = b.Ip4PrefixLength;
            Ip6PrefixLength = b.Ip6PrefixLength;
            ModifierName = b.ModifierName;
            ModifierValue = b.ModifierValue;
            Error = b.Error;
        }

        /// <summary>The term as written.</summary>
        public string Text { get; }

        /// <summary>Position of the term in the record (0 = first term after the version).</summary>
        public int Index { get; }

        /// <summary>What kind of term it is.</summary>
        public SpfTermKind Kind { get; }

        /// <summary>The qualifier (mechanisms only; <see cref="SpfQualifier.Pass"/> when none was written).</summary>
        public SpfQualifier Qualifier { get; }

        /// <summary>The domain-spec as written (may contain macros); <c>null</c> when the term has none.</summary>
        public string? DomainSpec { get; }

        /// <summary>The ip4/ip6 network address as written.</summary>
        public string? Network { get; }

        /// <summary>The IPv4 prefix length (ip4, a, mx), when written.</summary>
        public int? Ip4PrefixLength { get; }

        /// <summary>The IPv6 prefix length (ip6, a, mx), when written.</summary>
        public int? Ip6PrefixLength { get; }

        /// <summary>Modifier name in lower case (modifiers only).</summary>
        public string? ModifierName { get; }

        /// <summary>Modifier value as written (modifiers only).</summary>
        public string? ModifierValue { get; }

        /// <summary>Why the term violates the grammar; <c>null</c> when it is valid.</summary>
        public string? Error { get; }

        /// <summary>True for mechanisms (directives), false for modifiers.</summary>
        public bool IsMechanism => Kind != SpfTermKind.Redirect && Kind != SpfTermKind.Explanation && Kind != SpfTermKind.UnknownModifier && Kind != SpfTermKind.Invalid;

        /// <summary>True for the terms that count against the 10-lookup limit (RFC 7208 §4.6.4).</summary>
        public bool CountsAsDnsLookup => Kind == SpfTermKind.Include || Kind == SpfTermKind.A || Kind == SpfTermKind.Mx
            || Kind == SpfTermKind.Ptr || Kind == SpfTermKind.Exists || Kind == SpfTermKind.Redirect;

        /// <summary>The qualifier as its result.</summary>
        public SpfResult QualifierResult => Qualifier switch
        {
            SpfQualifier.Fail => SpfResult.Fail,
            SpfQualifier.SoftFail => SpfResult.SoftFail,
            SpfQualifier.Neutral => SpfResult.Neutral,
            _ => SpfResult.Pass,
        };

        /// <inheritdoc />
        public override string ToString() => Text;
    }

    /// <summary>A parsed SPF record: its terms and any grammar violations (RFC 7208 §4.6, §12). Immutable.</summary>
    internal sealed class SpfRecord
    {
        /// <summary>Creates a parsed record.</summary>
        public SpfRecord(string text, IReadOnlyList<SpfTerm> terms, IReadOnlyList<string> errors)
        {
            Text = text;
            Terms = terms;
            Errors = errors;
        }

        /// <summary>The record text (the TXT strings joined).</summary>
        public string Text { get; }

        /// <summary>The terms after <c>v=spf1</c>, in order.</summary>
        public IReadOnlyList<SpfTerm> Terms { get; }

        /// <summary>Every grammar violation, one sentence each; empty when the record is valid.</summary>
        public IReadOnlyList<string> Errors { get; }

        /// <summary>True when the record follows the grammar (otherwise any check of it is a permerror).</summary>
        public bool IsValid => Errors.Count == 0;

        /// <summary>The mechanisms, in evaluation order.</summary>
        public IEnumerable<SpfTerm> Mechanisms => Terms.Where(t => t.IsMechanism);

        /// <summary>The redirect modifier, if present (the first one when there are several, which is itself an error).</summary>
        public SpfTerm? Redirect => Terms.FirstOrDefault(t => t.Kind == SpfTermKind.Redirect);

        /// <summary>The exp modifier, if present.</summary>
        public SpfTerm? Explanation => Terms.FirstOrDefault(t => t.Kind == SpfTermKind.Explanation);

        /// <summary>The first <c>all</c> mechanism, if present.</summary>
        public SpfTerm? All => Terms.FirstOrDefault(t => t.Kind == SpfTermKind.All);

        /// <summary>Terms in this record that count against the 10-lookup limit (a redirect after <c>all</c> is never used and not counted).</summary>
        public int DnsLookupTermCount => Mechanisms.Count(t => t.CountsAsDnsLookup) + (Redirect != null && All is null ? 1 : 0);

        /// <inheritdoc />
        public override string ToString() => Text;
    }

    /// <summary>One step of an SPF evaluation, for the trace: what was evaluated and why it ended as it did.</summary>
    public sealed class SpfTraceStep
    {
        /// <summary>Creates a step.</summary>
        public SpfTraceStep(int depth, string domain, string? term, string message)
        {
            Depth = depth;
            Domain = domain;
            Term = term;
            Message = message;
        }

        /// <summary>Include/redirect nesting depth (0 = the domain checked).</summary>
        public int Depth { get; }

        /// <summary>The domain whose record was being evaluated.</summary>
        public string Domain { get; }

        /// <summary>The term evaluated, or <c>null</c> for record-level steps.</summary>
        public string? Term { get; }

        /// <summary>What happened, in one line.</summary>
        public string Message { get; }

        /// <inheritdoc />
        public override string ToString()
            => new string(' ', Depth * 2) + Domain + (Term is null ? ": " : " [" + Term + "]: ") + Message;
    }
}
