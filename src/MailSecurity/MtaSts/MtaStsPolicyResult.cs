using System;
using System.Collections.Generic;
using System.Linq;
using MailSecurity.MtaSts;

namespace MailSecurity
{
    /// <summary>What a sender makes of a domain's MTA-STS publication (RFC 8461 §3, §5).</summary>
    public enum MtaStsStatus
    {
        /// <summary>A policy in enforce or testing mode was discovered, fetched and parsed.</summary>
        Valid = 0,
        /// <summary>A valid policy in mode none: the domain has no active policy (RFC 8461 §5).</summary>
        ModeNone,
        /// <summary>No v=STSv1 TXT record at _mta-sts: no MTA-STS.</summary>
        NoRecord,
        /// <summary>More than one v=STSv1 record: no available policy (RFC 8461 §3.1).</summary>
        MultipleRecords,
        /// <summary>The one v=STSv1 record has a syntax error (including a malformed id): no available policy.</summary>
        InvalidRecord,
        /// <summary>The TXT lookup failed (SERVFAIL, DNSSEC failure, timeout): unknown, never "no record".</summary>
        LookupFailed,
        /// <summary>The record is valid but the policy could not be fetched (reason in the findings): first-time senders apply no policy.</summary>
        FetchFailed,
        /// <summary>The policy was fetched but is not a valid policy: first-time senders apply no policy.</summary>
        InvalidPolicy,
    }

    /// <summary>The mode of an MTA-STS policy (RFC 8461 §5).</summary>
    public enum MtaStsMode
    {
        /// <summary>Senders must not deliver to an MX that fails validation.</summary>
        Enforce = 0,
        /// <summary>Senders report failures (TLS-RPT) but deliver anyway.</summary>
        Testing,
        /// <summary>No active policy.</summary>
        None,
    }

    /// <summary>The full result of Get-MtaStsPolicy for one domain. Immutable.</summary>
    public sealed class MtaStsPolicyResult
    {
        /// <summary>Creates the result.</summary>
        internal MtaStsPolicyResult(MtaStsPolicyResultBuilder b)
        {
            Domain = b.Domain;
            Status = b.Status;
            Discovery = b.Discovery;
            Fetch = b.Fetch;
            Policy = b.Policy;
            MxChecked = b.MxChecked;
            MxResults = ValueList.From(b.MxResults);
            TlsRpt = b.TlsRpt ?? throw new ArgumentNullException(nameof(b.TlsRpt));
            Drift = FindingList.From(b.Drift);
            Findings = FindingList.From(b.Findings);
            CheckedAt = b.CheckedAt;
            MxPatterns = ValueList.From(Policy?.MxPatterns);
        }

        /// <summary>The same result with findings about the input added (such as a wildcard accepted domain).</summary>
        internal MtaStsPolicyResult WithAddedFindings(IEnumerable<Finding> added)
            => new MtaStsPolicyResult(new MtaStsPolicyResultBuilder
            {
                Domain = Domain,
                Status = Status,
                Discovery = Discovery,
                Fetch = Fetch,
                Policy = Policy,
                MxChecked = MxChecked,
                MxResults = MxResults,
                TlsRpt = TlsRpt,
                Drift = Drift,
                Findings = ((FindingList)Findings).With(added),
                CheckedAt = CheckedAt,
            });

        /// <summary>The Policy Domain (lower-case A-labels).</summary>
        public string Domain { get; }

        /// <summary>What a sender makes of the publication.</summary>
        public MtaStsStatus Status { get; }

        /// <summary>The policy id from the TXT record (also when the policy could not be fetched), or null.</summary>
        public string? Id => Discovery.Id;

        /// <summary>The policy mode, or null when no policy was parsed.</summary>
        public MtaStsMode? Mode => Policy?.Mode;

        /// <summary>The policy's max_age, or null when no valid max_age was parsed.</summary>
        public TimeSpan? MaxAge => Policy?.MaxAgeSeconds is long s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null;

        /// <summary>The policy's max_age in seconds (flat column), or null.</summary>
        public long? MaxAgeSeconds => Policy?.MaxAgeSeconds;

        /// <summary>The policy's mx patterns, in policy order (invalid ones included, as written).</summary>
        public IReadOnlyList<string> MxPatterns { get; }

        /// <summary>Per MX host from DNS: coverage by the patterns and, when probed, TLS and certificate state. Empty without an active policy or with -SkipMxCheck.</summary>
        public IReadOnlyList<MtaStsMxResult> MxResults { get; }

        /// <summary>All findings, worst first.</summary>
        public IReadOnlyList<Finding> Findings { get; }

        /// <summary>Evidence of the TXT discovery: the <c>_mta-sts</c> record, raw and parsed, with its findings.</summary>
        public MtaStsTxtRecord Discovery { get; }

        /// <summary>Evidence of the HTTPS fetch, or null when discovery stopped before it.</summary>
        public MtaStsPolicyFetch? Fetch { get; }

        /// <summary>The parsed policy (also when invalid), or null when no body was obtained.</summary>
        public MtaStsPolicy? Policy { get; }

        /// <summary>True when the MX hosts were matched against an active policy (false with -SkipMxCheck or without an active policy).</summary>
        public bool MxChecked { get; }

        /// <summary>The domain's TLS-RPT record at _smtp._tls (RFC 8460 §3), raw and parsed, as Get-MailAuthRecords reports it.</summary>
        public TlsRptRecord TlsRpt { get; }

        /// <summary>True when reporters find a usable TLS-RPT record (exactly one v=TLSRPTv1 record, valid); null when the lookup failed.</summary>
        public bool? TlsRptPresent => TlsRpt.Status == TlsRptStatus.TempError ? (bool?)null : TlsRpt.Present;

        /// <summary>The v=TLSRPTv1 record text, when exactly one exists (valid or not).</summary>
        public string? TlsRptRecord => TlsRpt.Record;

        /// <summary>Changes against -PreviousPolicy (also listed in <see cref="Findings"/>); empty without a previous result.</summary>
        public IReadOnlyList<Finding> Drift { get; }

        /// <summary>When this check ran.</summary>
        public DateTimeOffset CheckedAt { get; }

        /// <summary>True when a first-time sender would apply an active policy (enforce or testing).</summary>
        public bool PolicyActive => Status == MtaStsStatus.Valid;

        /// <summary>True when a first-time sender would enforce the policy (Valid and mode enforce).</summary>
        public bool Enforced => Status == MtaStsStatus.Valid && Mode == MtaStsMode.Enforce;

        /// <summary>Summary: the mx patterns, comma-separated.</summary>
        public string MxPatternList => string.Join(", ", MxPatterns);

        /// <summary>Summary: MX hosts not matched by any pattern, comma-separated (empty when all are covered or not checked).</summary>
        public string UncoveredMx => string.Join(", ", MxResults.Where(m => !m.Covered).Select(m => m.MxHost));

        /// <summary>Summary: the HTTP status of the policy fetch, or null.</summary>
        public int? HttpStatusCode => Fetch?.StatusCode;

        /// <summary>Summary: whether the policy host's certificate passed PKIX validation, or null when no TLS handshake got that far.</summary>
        public bool? PolicyHostCertificateValid => Fetch?.CertificateValid;

        /// <summary>Summary: true when drift was found against -PreviousPolicy.</summary>
        public bool HasDrift => Drift.Count > 0;

        /// <summary>Summary: number of findings.</summary>
        public int FindingCount => Findings.Count;

        /// <summary>Summary: the worst severity among the findings (Info when there are none).</summary>
        public Severity WorstSeverity => Finding.Worst(Findings) ?? Severity.Info;

        /// <summary>Summary: the finding codes, separated by ";" (as every result type writes them).</summary>
        public string FindingCodes => Findings.ToString() ?? string.Empty;

        /// <inheritdoc />
        public override string ToString() => $"{Domain}: {Status}{(Mode is null ? string.Empty : " (" + Mode + ")")}";
    }

    /// <summary>A parsed MTA-STS policy body (RFC 8461 §3.2), valid or not, with its raw text.</summary>
    public sealed class MtaStsPolicy
    {
        /// <summary>Creates the policy.</summary>
        internal MtaStsPolicy(MtaStsPolicyBuilder b)
        {
            Text = b.Text;
            Version = b.Version;
            Mode = b.Mode;
            ModeText = b.ModeText;
            MaxAgeSeconds = b.MaxAgeSeconds;
            MxPatterns = b.MxPatterns;
            Extensions = b.Extensions;
            UsesCrlf = b.UsesCrlf;
            IsValid = b.IsValid;
        }

        /// <summary>The policy body as received (decoded as UTF-8; undecodable bytes replaced).</summary>
        public string Text { get; }

        /// <summary>The version field (first occurrence), or null.</summary>
        public string? Version { get; }

        /// <summary>The mode, or null when missing or unknown.</summary>
        public MtaStsMode? Mode { get; }

        /// <summary>The mode field as written (first occurrence), or null.</summary>
        public string? ModeText { get; }

        /// <summary>max_age in seconds when it is 1-10 digits (also when above the RFC maximum), or null.</summary>
        public long? MaxAgeSeconds { get; }

        /// <summary>Every mx value, in order, as written.</summary>
        public IReadOnlyList<string> MxPatterns { get; }

        /// <summary>Other fields (first occurrence of each), unknown keys included.</summary>
        public IReadOnlyDictionary<string, string> Extensions { get; }

        /// <summary>True when lines end in CRLF (RFC 8461 §3.2 accepts LF and CRLF; erratum 6253).</summary>
        public bool UsesCrlf { get; }

        /// <summary>True when a sender would accept the policy.</summary>
        public bool IsValid { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Mode?.ToString() ?? "?"} max_age={MaxAgeSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} mx={string.Join(",", MxPatterns)}";
    }

    /// <summary>One MX host of the domain, checked against the policy (RFC 8461 §4).</summary>
    public sealed class MtaStsMxResult
    {
        /// <summary>Creates the entry.</summary>
        internal MtaStsMxResult(MtaStsMxResultBuilder b)
        {
            MxHost = b.MxHost;
            Preference = b.Preference;
            Covered = b.Covered;
            MatchedPattern = b.MatchedPattern;
            Address = b.Address;
            TlsOk = b.TlsOk;
            CertificateValid = b.CertificateValid;
            WouldDeliver = b.WouldDeliver;
            Detail = b.Detail;
        }

        /// <summary>The MX host name from DNS (lower-case A-labels, no trailing dot).</summary>
        public string MxHost { get; }

        /// <summary>The MX preference.</summary>
        public ushort Preference { get; }

        /// <summary>True when an mx pattern of the policy matches the host name (RFC 8461 §4.1).</summary>
        public bool Covered { get; }

        /// <summary>The first pattern that matched, or null.</summary>
        public string? MatchedPattern { get; }

        /// <summary>The address probed, or null.</summary>
        public string? Address { get; }

        /// <summary>True when STARTTLS was offered and TLS negotiated; null when not probed.</summary>
        public bool? TlsOk { get; }

        /// <summary>True when the certificate is PKIX-valid for the MX host name; null when not probed.</summary>
        public bool? CertificateValid { get; }

        /// <summary>
        /// Whether a compliant sender applying the policy delivers to this MX. Enforce mode: only when covered, TLS works and
        /// the certificate is valid (null when that is unknown because the TLS check was not performed). Testing mode: true,
        /// since failures are only reported. Null when there is no active policy (mode none, or no valid policy).
        /// </summary>
        public bool? WouldDeliver { get; }

        /// <summary>What the probe reported, in plain words, or null.</summary>
        public string? Detail { get; }

        /// <inheritdoc />
        public override string ToString() => $"{MxHost} covered={Covered} tls={TlsOk?.ToString() ?? "?"} cert={CertificateValid?.ToString() ?? "?"}";
    }
}
