using System;
using System.Collections.Generic;
using System.Net;
using MailSecurity.Dns;

namespace MailSecurity.Delivery
{
    /// <summary>
    /// Everything a sender establishes about one MX host of a domain, gathered once per run (DESIGN §3 "Evidence, then
    /// verdicts"): the MX RRset and its DNSSEC state, the host's addresses (always resolved), one STARTTLS session per
    /// address, the TLSA lookup with the DANE results Test-DaneTlsa gives, and the domain's MTA-STS result as
    /// Get-MtaStsPolicy gives it. <see cref="HopDecision"/> turns it into the verdict without looking anything up. Immutable.
    /// </summary>
    internal sealed class HopEvidence
    {
        /// <summary>The domain (the next hop a sender resolves), lower-case A-labels.</summary>
        public string Domain { get; init; } = string.Empty;

        /// <summary>The domain's MX lookup (one per domain), with its status and findings as Get-MailAuthRecords reports them.</summary>
        public MxRecordSet Mx { get; init; } = null!;

        /// <summary>DNSSEC state of the MX RRset, the one DNSSEC state the level depends on besides the TLSA lookup's.</summary>
        public DnssecStatus MxDnssec { get; init; }

        /// <summary>The MX host this evidence is about; null when the domain has no hop (null MX, no mail service, NXDOMAIN, failed lookup).</summary>
        public MxHost? Host { get; init; }

        /// <summary>The host's A/AAAA lookup; null for an MX written as an IP address (and when there is no hop).</summary>
        public HostAddresses? AddressLookup { get; init; }

        /// <summary>The addresses a sender connects to, in connect order (IPv4, then IPv6).</summary>
        public IReadOnlyList<IPAddress> Addresses { get; init; } = Array.Empty<IPAddress>();

        /// <summary>One STARTTLS session per address with the host name as SNI (Test-SmtpStartTls's), in the order of <see cref="Addresses"/>.</summary>
        public IReadOnlyList<SmtpTlsProbe> Probes { get; init; } = Array.Empty<SmtpTlsProbe>();

        /// <summary>The host's TLSA discovery (RFC 7672 §2.2); null when there is no hop.</summary>
        public TlsaLookupResult? Tlsa { get; init; }

        /// <summary>The host's DANE results, one per group of addresses with the same outcome, as Test-DaneTlsa -Domain gives them.</summary>
        public IReadOnlyList<DaneResult> Dane { get; init; } = Array.Empty<DaneResult>();

        /// <summary>The domain's MTA-STS check as Get-MtaStsPolicy gives it (without drift); null when there is no hop.</summary>
        public MtaStsPolicyResult? MtaSts { get; init; }
    }
}
