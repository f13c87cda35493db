using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;
using MailSecurity.Dane;

namespace MailSecurity
{
    /// <summary>How matching a TLSA RRset against a presented certificate chain ended.</summary>
    internal enum TlsaMatchStatus
    {
        /// <summary>A usable record authenticated the chain (and, where required, the name).</summary>
        Matched = 0,
        /// <summary>No usable record matches the chain.</summary>
        NoMatch,
        /// <summary>A record matched, but the server certificate names none of the reference identifiers (RFC 7672 §3.2.2).</summary>
        NameMismatch,
        /// <summary>A DANE-TA(2) trust anchor matched, but the chain to it is invalid: expired, not a CA, path length, or key usage.</summary>
        ChainInvalid,
        /// <summary>Generic profile: a PKIX-TA(0)/PKIX-EE(1) record matched, but no PKIX path reaches a trusted root.</summary>
        PkixUntrusted,
        /// <summary>The RRset has no usable record, so there is nothing to authenticate with.</summary>
        NoUsableRecords,
        /// <summary>The server presented no certificate.</summary>
        NoCertificate,
    }

    /// <summary>What became of one TLSA record during matching.</summary>
    public enum TlsaRecordOutcome
    {
        /// <summary>The record was used and matches the presented chain.</summary>
        Matched = 0,
        /// <summary>The record was used and matches nothing in the presented chain.</summary>
        NotMatched,
        /// <summary>The record is unusable (see <see cref="TlsaRecordInfo.UnusableReason"/>).</summary>
        Unusable,
        /// <summary>Ignored by digest agility: the same usage and selector also has a stronger digest (RFC 7671 §9).</summary>
        IgnoredWeakerDigest,
        /// <summary>Not evaluated: no certificate chain was available.</summary>
        NotEvaluated,
    }

    /// <summary>One TLSA record with what matching made of it.</summary>
    public sealed class TlsaRecordMatch
    {
        /// <summary>Creates the entry.</summary>
        public TlsaRecordMatch(TlsaRecordInfo record, TlsaRecordOutcome outcome, bool matchesChain, int? depth, string note)
        {
            Record = record;
            Outcome = outcome;
            MatchesChain = matchesChain;
            Depth = depth;
            Note = note ?? string.Empty;
        }

        /// <summary>
        /// The record. Internal: results list each record once (DaneResult.Records, in the same order as RecordMatches),
        /// and a match names its record by <see cref="Text"/> and <see cref="Parameters"/>.
        /// </summary>
        internal TlsaRecordInfo Record { get; }

        /// <summary>What became of it.</summary>
        public TlsaRecordOutcome Outcome { get; }

        /// <summary>
        /// True when the record, on its own, matches the chain in use (for DANE-TA(2): the anchor is found and the
        /// chain to it is valid). Evaluated for every usable record, including ones digest agility ignores, because
        /// each parameter combination must match on its own (RFC 7671 §8).
        /// </summary>
        public bool MatchesChain { get; }

        /// <summary>Chain position of the certificate it matched (0 = server certificate), or <c>null</c>.</summary>
        public int? Depth { get; }

        /// <summary>One sentence on how the record fared.</summary>
        public string Note { get; }

        /// <summary>Summary: the record in presentation format.</summary>
        public string Text => Record.Text;

        /// <summary>Summary: the record's usage, selector and matching type, e.g. <c>3 1 1</c>.</summary>
        public string Parameters => Record.Parameters;

        /// <inheritdoc />
        public override string ToString() => $"{Record.Parameters}: {Outcome}{(Depth.HasValue ? " at depth " + Depth.Value : string.Empty)}";
    }

    /// <summary>
    /// The outcome of matching a TLSA RRset against a presented certificate chain: which record matched at which
    /// depth, the reference identifier that matched, each record's fate, and findings explaining it.
    /// </summary>
    internal sealed class TlsaMatchResult
    {
        /// <summary>Creates the result.</summary>
        internal TlsaMatchResult(TlsaMatchResultBuilder b)
        {
            Status = b.Status;
            MatchedRecord = b.MatchedRecord;
            MatchDepth = b.MatchDepth;
            MatchedCertificate = b.MatchedCertificate;
            MatchedName = b.MatchedName;
            PresentedNames = b.PresentedNames;
            RecordMatches = b.RecordMatches;
            Explanation = b.Explanation ?? string.Empty;
            Findings = b.Findings;
        }

        /// <summary>How matching ended.</summary>
        public TlsaMatchStatus Status { get; }

        /// <summary>True when the chain is authenticated.</summary>
        public bool IsAuthenticated => Status == TlsaMatchStatus.Matched;

        /// <summary>
        /// The record that matched. Also set when authentication failed after the match (name mismatch, invalid chain,
        /// untrusted PKIX path), so the evidence shows what matched; <see cref="Status"/> says whether it counts.
        /// </summary>
        public TlsaRecordInfo? MatchedRecord { get; }

        /// <summary>
        /// Chain position of the matched certificate (0 = server certificate). A trust anchor certificate from a
        /// Full(0) record sits after the certificate it issued; a bare trust-anchor key (<c>2 1 0</c>) takes the
        /// depth of the certificate it signed (as OpenSSL reports it). <c>null</c> when nothing matched.
        /// </summary>
        public int? MatchDepth { get; }

        /// <summary>The certificate that matched (the presented one, or the one from DNS); <c>null</c> for a bare key.</summary>
        public X509Certificate2? MatchedCertificate { get; }

        /// <summary>The reference identifier the server certificate matched, when a name check was made and passed.</summary>
        public string? MatchedName { get; }

        /// <summary>The server certificate's names used for the name check: its DNS-IDs, or its CN when it has none.</summary>
        public IReadOnlyList<string> PresentedNames { get; }

        /// <summary>Every record with its fate, in RRset order.</summary>
        public IReadOnlyList<TlsaRecordMatch> RecordMatches { get; }

        /// <summary>One plain sentence explaining the outcome.</summary>
        public string Explanation { get; }

        /// <summary>Findings about the match (no match, name mismatch, stale records, ignored digests ...).</summary>
        public IReadOnlyList<Finding> Findings { get; }

        /// <inheritdoc />
        public override string ToString() => MatchDepth.HasValue ? $"{Status} ({MatchedRecord?.Parameters} at depth {MatchDepth})" : Status.ToString();
    }
}
