using System;
using System.Collections.Generic;
using System.Linq;
using MailSecurity.Delivery;
using MailSecurity.Dns;

namespace MailSecurity
{
    /// <summary>
    /// The verdict for one MX host of a domain: the level a sender supporting DANE and MTA-STS reaches, the booleans
    /// scripts filter on, what would make such a sender refuse or defer delivery, and the evidence it was derived from.
    /// </summary>
    public sealed class HopSecurity
    {
        internal HopSecurity(HopSecurityBuilder b)
        {
            Domain = b.Domain;
            MxHost = b.MxHost;
            Preference = b.Preference;
            Level = b.Level;
            Reason = b.Reason;
            // The booleans restate the level, so they can never contradict it (an unreachable host is not "encrypted").
            Encrypted = b.Level >= HopSecurityLevel.OpportunisticTls;
            Authenticated = b.Level >= HopSecurityLevel.MtaStsEnforced;
            DowngradeResistant = b.Level == HopSecurityLevel.DaneAuthenticated;
            DeliveryRisks = new FindingList(b.DeliveryRisks);
            RequireTlsReady = b.RequireTlsReady;
            RequireTlsDetail = b.RequireTlsDetail;
            MxStatus = b.MxStatus;
            MxLookupStatus = b.MxLookupStatus;
            MxDnssecStatus = b.MxDnssecStatus;
            Addresses = new ValueList<string>(b.Addresses);
            Dane = b.Dane;
            MtaSts = b.MtaSts;
            Probes = new ValueList<SmtpTlsProbe>(b.Probes);
            TlsRptPresent = b.TlsRptPresent;
            // Every finding, delivery risks included, worst first; the sort is stable so related findings keep their order.
            Findings = FindingList.NoFindings.With(b.DeliveryRisks.Concat(b.Findings));
        }

        private HopSecurity(HopSecurity o, FindingList findings)
        {
            Domain = o.Domain;
            MxHost = o.MxHost;
            Preference = o.Preference;
            Level = o.Level;
            Reason = o.Reason;
            Encrypted = o.Encrypted;
            Authenticated = o.Authenticated;
            DowngradeResistant = o.DowngradeResistant;
            DeliveryRisks = o.DeliveryRisks;
            RequireTlsReady = o.RequireTlsReady;
            RequireTlsDetail = o.RequireTlsDetail;
            MxStatus = o.MxStatus;
            MxLookupStatus = o.MxLookupStatus;
            MxDnssecStatus = o.MxDnssecStatus;
            Addresses = o.Addresses;
            Dane = o.Dane;
            MtaSts = o.MtaSts;
            Probes = o.Probes;
            TlsRptPresent = o.TlsRptPresent;
            Findings = findings;
        }

        /// <summary>The same verdict with findings about the input added (such as a wildcard accepted domain).</summary>
        internal HopSecurity WithAddedFindings(IEnumerable<Finding> added) => new HopSecurity(this, FindingList.From(Findings).With(added));

        /// <summary>The domain (the next hop a sender resolves).</summary>
        public string Domain { get; }

        /// <summary>The MX host name; empty when the domain has no hop (null MX, no MX, MX lookup failure).</summary>
        public string MxHost { get; }

        /// <summary>MX preference (lower is tried first).</summary>
        public ushort Preference { get; }

        /// <summary>The protection a sender supporting DANE and MTA-STS reaches with this MX.</summary>
        public HopSecurityLevel Level { get; }

        /// <summary>Why this level, in one sentence.</summary>
        public string Reason { get; }

        /// <summary>A sender reaching this MX uses TLS on every address (the level is OpportunisticTls or stronger).</summary>
        public bool Encrypted { get; }

        /// <summary>The server is authenticated by a policy the sender enforces (the level is MtaStsEnforced or DaneAuthenticated).</summary>
        public bool Authenticated { get; }

        /// <summary>An active attacker cannot downgrade the hop (the level is DaneAuthenticated: DANE under a DNSSEC-signed MX RRset).</summary>
        public bool DowngradeResistant { get; }

        /// <summary>Conditions under which a policy-honouring sender will not deliver to this MX (mail loss or delay).</summary>
        public IReadOnlyList<Finding> DeliveryRisks { get; }

        /// <summary>A message sent with REQUIRETLS can be delivered here (RFC 8689 §2).</summary>
        public bool RequireTlsReady { get; }

        /// <summary>Which REQUIRETLS precondition holds or fails.</summary>
        public string RequireTlsDetail { get; }

        /// <summary>How the domain's MX lookup ended (Found, NullMx, ImplicitMx, NoMailService, DomainNotFound, LookupFailed).</summary>
        public MxStatus MxStatus { get; }

        /// <summary>How the decisive DNS question of the MX lookup ended (Timeout or NetworkError when the resolver was not reached).</summary>
        public DnsLookupStatus MxLookupStatus { get; }

        /// <summary>DNSSEC state of the domain's MX RRset.</summary>
        public DnssecStatus MxDnssecStatus { get; }

        /// <summary>The host's addresses that were probed.</summary>
        public IReadOnlyList<string> Addresses { get; }

        /// <summary>The DANE evaluation of this host as Test-DaneTlsa makes it (of the weakest address when they differ), or null when there is no host.</summary>
        public DaneResult? Dane { get; }

        /// <summary>What the domain's MTA-STS policy says about this host, or null when there is no host.</summary>
        public MtaStsHopEvidence? MtaSts { get; }

        /// <summary>The STARTTLS sessions of this host, one per address, with the host name as SNI: what Test-SmtpStartTls reports.</summary>
        public IReadOnlyList<SmtpTlsProbe> Probes { get; }

        /// <summary>The domain publishes a TLS-RPT record; null when the lookup failed.</summary>
        public bool? TlsRptPresent { get; }

        /// <summary>Every finding of this hop (delivery risks included), worst first.</summary>
        public IReadOnlyList<Finding> Findings { get; }

        /// <summary>Summary: the DANE verdict.</summary>
        public DaneVerdict? DaneVerdict => Dane?.Verdict;

        /// <summary>Summary: the MTA-STS mode in force (null without a usable policy).</summary>
        public MtaStsMode? MtaStsMode => MtaSts?.Mode;

        /// <summary>Summary: the MTA-STS policy covers this host.</summary>
        public bool? MtaStsCovered => MtaSts?.Covered;

        /// <summary>Summary: the TLS version negotiated (the lowest across addresses).</summary>
        public string? TlsVersion => Probes.Where(p => p.TlsProtocol.HasValue).Select(p => p.TlsProtocol!.Value).OrderBy(v => v).Select(v => v.ToString()).FirstOrDefault();

        /// <summary>Summary: the delivery-risk codes, semicolon-separated (a flat CSV column).</summary>
        public string DeliveryRiskCodes => DeliveryRisks.ToString() ?? string.Empty;

        /// <summary>Summary: number of findings.</summary>
        public int FindingCount => Findings.Count;

        /// <summary>Summary: the worst severity among the findings.</summary>
        public Severity WorstSeverity => Finding.Worst(Findings) ?? Severity.Info;

        /// <inheritdoc />
        public override string ToString() => MxHost.Length == 0 ? $"{Domain}: {Level}" : $"{Domain} -> {MxHost}: {Level}";
    }

    /// <summary>
    /// What the domain's MTA-STS check (Get-MtaStsPolicy's result) says about one MX host, as a sender that honours the
    /// policy sees it: the policy status and mode, and the host's coverage and TLS entry. Read from that result, never recomputed.
    /// </summary>
    public sealed class MtaStsHopEvidence
    {
        internal MtaStsHopEvidence(MtaStsPolicyResult result, MtaStsMxResult? mx)
        {
            Status = result.Status;
            Mode = result.Status == MtaStsStatus.Valid || result.Status == MtaStsStatus.ModeNone ? result.Mode : null;
            PolicyId = result.Id;
            Covered = mx?.Covered;
            MatchedPattern = mx?.MatchedPattern;
            TlsOk = mx?.TlsOk;
            CertificateValid = mx?.CertificateValid;
            WouldDeliver = mx?.WouldDeliver;
            Detail = mx?.Detail;
        }

        /// <summary>The domain's policy status.</summary>
        public MtaStsStatus Status { get; }

        /// <summary>The policy mode, or null without a usable policy.</summary>
        public MtaStsMode? Mode { get; }

        /// <summary>The policy id from the TXT record.</summary>
        public string? PolicyId { get; }

        /// <summary>An mx pattern of the policy matches this host (RFC 8461 §4.1); null when no active policy was checked against the MX hosts.</summary>
        public bool? Covered { get; }

        /// <summary>The pattern that matched.</summary>
        public string? MatchedPattern { get; }

        /// <summary>STARTTLS worked on every address; null when not checked (not covered, or no active policy).</summary>
        public bool? TlsOk { get; }

        /// <summary>The certificate is PKIX-valid with a DNS-ID for the host on every address; null when not checked.</summary>
        public bool? CertificateValid { get; }

        /// <summary>Whether a sender applying the policy delivers to this host (see <see cref="MtaStsMxResult.WouldDeliver"/>); null without an active policy.</summary>
        public bool? WouldDeliver { get; }

        /// <summary>What the check of the host found, in plain words, or null.</summary>
        public string? Detail { get; }

        /// <inheritdoc />
        public override string ToString() => Mode is null ? Status.ToString() : $"{Mode}, covered={Covered?.ToString() ?? "?"}";
    }
}
