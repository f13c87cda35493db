using System;
using System.Collections.Generic;
using System.Linq;
using MailSecurity.Dns;

namespace MailSecurity
{
    /// <summary>
    /// The verdict for one MX host of a domain: the level a sender supporting DANE and MTA-STS reaches, the booleans
    /// scripts filter on, what would make such a sender refuse or defer delivery, and the evidence it was derived from.
    /// </summary>
    public sealed class HopSecurity
    {
        /// <summary>Creates the verdict.</summary>
        public HopSecurity(
            string domain,
            string mxHost,
            ushort preference,
            HopSecurityLevel level,
            string reason,
            bool encrypted,
            bool authenticated,
            bool downgradeResistant,
            IReadOnlyList<Finding> deliveryRisks,
            bool requireTlsReady,
            string requireTlsDetail,
            DnssecStatus mxDnssecStatus,
            IReadOnlyList<string> addresses,
            DaneResult? dane,
            MtaStsHopEvidence? mtaSts,
            IReadOnlyList<SmtpTlsProbe> probes,
            bool? tlsRptPresent,
            IReadOnlyList<Finding> findings,
            MxStatus mxStatus = MxStatus.Found,
            DnsLookupStatus mxLookupStatus = DnsLookupStatus.Success)
        {
            MxStatus = mxStatus;
            MxLookupStatus = mxLookupStatus;
            Domain = domain;
            MxHost = mxHost;
            Preference = preference;
            Level = level;
            Reason = reason;
            Encrypted = encrypted;
            Authenticated = authenticated;
            DowngradeResistant = downgradeResistant;
            DeliveryRisks = deliveryRisks ?? Array.Empty<Finding>();
            RequireTlsReady = requireTlsReady;
            RequireTlsDetail = requireTlsDetail;
            MxDnssecStatus = mxDnssecStatus;
            Addresses = addresses ?? Array.Empty<string>();
            Dane = dane;
            MtaSts = mtaSts;
            Probes = probes ?? Array.Empty<SmtpTlsProbe>();
            TlsRptPresent = tlsRptPresent;
            Findings = findings ?? Array.Empty<Finding>();
        }

        /// <summary>The same verdict with findings about the input added (such as a wildcard accepted domain).</summary>
        internal HopSecurity WithAddedFindings(IEnumerable<Finding> added)
            => new HopSecurity(Domain, MxHost, Preference, Level, Reason, Encrypted, Authenticated, DowngradeResistant, DeliveryRisks, RequireTlsReady, RequireTlsDetail,
                MxDnssecStatus, Addresses, Dane, MtaSts, Probes, TlsRptPresent, FindingList.From(Findings).With(added), MxStatus, MxLookupStatus);

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

        /// <summary>TLS was established on every address of the host.</summary>
        public bool Encrypted { get; }

        /// <summary>The server is authenticated by a policy the sender enforces (DANE or MTA-STS enforce).</summary>
        public bool Authenticated { get; }

        /// <summary>An active attacker cannot downgrade the hop (DANE with a DNSSEC-signed MX RRset).</summary>
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

        /// <summary>The DANE evaluation of this host (the weakest address), or null when there is no host.</summary>
        public DaneResult? Dane { get; }

        /// <summary>What the domain's MTA-STS policy says about this host, or null when there is no host.</summary>
        public MtaStsHopEvidence? MtaSts { get; }

        /// <summary>The STARTTLS probes of this host, one per address.</summary>
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
        public string DeliveryRiskCodes => string.Join(";", DeliveryRisks.Select(r => r.Code).Distinct());

        /// <summary>Summary: number of findings.</summary>
        public int FindingCount => Findings.Count;

        /// <summary>Summary: the worst severity among the findings.</summary>
        public Severity WorstSeverity => Finding.Worst(Findings) ?? Severity.Info;

        /// <inheritdoc />
        public override string ToString() => MxHost.Length == 0 ? $"{Domain}: {Level}" : $"{Domain} -> {MxHost}: {Level}";
    }

    /// <summary>The MTA-STS facts about one MX host, as a sender that honours the policy sees them.</summary>
    public sealed class MtaStsHopEvidence
    {
        /// <summary>Creates the evidence.</summary>
        public MtaStsHopEvidence(MtaStsStatus status, MtaStsMode? mode, string? policyId, bool covered, string? matchedPattern, bool? tlsOk, bool? certificateValid)
        {
            Status = status;
            Mode = mode;
            PolicyId = policyId;
            Covered = covered;
            MatchedPattern = matchedPattern;
            TlsOk = tlsOk;
            CertificateValid = certificateValid;
        }

        /// <summary>The domain's policy status.</summary>
        public MtaStsStatus Status { get; }

        /// <summary>The policy mode, or null without a usable policy.</summary>
        public MtaStsMode? Mode { get; }

        /// <summary>The policy id from the TXT record.</summary>
        public string? PolicyId { get; }

        /// <summary>An mx pattern of the policy matches this host (RFC 8461 §4.1).</summary>
        public bool Covered { get; }

        /// <summary>The pattern that matched.</summary>
        public string? MatchedPattern { get; }

        /// <summary>STARTTLS worked on every address.</summary>
        public bool? TlsOk { get; }

        /// <summary>The certificate is PKIX-valid with a DNS-ID for the host on every address.</summary>
        public bool? CertificateValid { get; }

        /// <inheritdoc />
        public override string ToString() => Mode is null ? Status.ToString() : $"{Mode}, covered={Covered}";
    }
}
