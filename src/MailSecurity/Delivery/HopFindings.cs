namespace MailSecurity.Delivery
{
    /// <summary>Finding codes of the per-MX hop verdict (Resolve-HopSecurity -Domain).</summary>
    [ReportColumn(Report.ReportCheck.HopLevel)]
    internal static class HopFindings
    {
        /// <summary>The domain receives no mail.</summary>
        public static readonly FindingDescriptor NoService = new FindingDescriptor(
            "Hop.NoService", Severity.Info,
            "The domain receives no mail (null MX, no MX and no address, or the domain does not exist), so there is no hop to protect.",
            "RFC 7505 §3; RFC 5321 §5.1",
            "Nothing to fix if the domain receives no mail; otherwise publish MX records.");

        /// <summary>MX lookup failed for the whole domain.</summary>
        public static readonly FindingDescriptor DomainUnreachable = new FindingDescriptor(
            "Hop.DomainUnreachable", Severity.Critical,
            "The MX lookup failed, so senders cannot determine where to deliver and queue the mail: every hop is unreachable until DNS answers.",
            "RFC 5321 §5.1; RFC 7672 §2.1.1",
            "Fix the DNS failure named in the message (DNSSEC signatures, DS records, authoritative servers).");

        /// <summary>An MX host that cannot be reached.</summary>
        public static readonly FindingDescriptor HostUnreachable = new FindingDescriptor(
            "Hop.HostUnreachable", Severity.Error,
            "The MX host has no usable address or does not answer SMTP, so senders skip it.",
            "RFC 5321 §5.1",
            "Publish A/AAAA records for the MX host and make sure it accepts connections on port 25.");

        /// <summary>Mail to this MX travels in cleartext.</summary>
        public static readonly FindingDescriptor Cleartext = new FindingDescriptor(
            "Hop.Cleartext", Severity.Error,
            "The MX host offers no working STARTTLS, so mail to it travels in cleartext.",
            "RFC 3207 §4; draft-ietf-emailcore-as §6.5",
            "Enable STARTTLS with a valid certificate on the MX host.");

        /// <summary>Opportunistic TLS only.</summary>
        public static readonly FindingDescriptor OpportunisticTlsOnly = new FindingDescriptor(
            "Hop.OpportunisticTlsOnly", Severity.Warning,
            "TLS works but no policy requires it: an active attacker can strip STARTTLS or present another certificate and senders will still deliver.",
            "draft-ietf-emailcore-as §6.1.2; RFC 8461 §1; RFC 7672 §1.3",
            "Publish DANE (DNSSEC + TLSA) or an MTA-STS policy in enforce mode.");

        /// <summary>MTA-STS testing mode only.</summary>
        public static readonly FindingDescriptor MtaStsTestingOnly = new FindingDescriptor(
            "Hop.MtaStsTestingOnly", Severity.Warning,
            "The MTA-STS policy is in testing mode: senders report failures but still deliver over an unauthenticated or stripped connection.",
            "RFC 8461 §5",
            "Move the policy to mode: enforce once TLS-RPT reports show no failures.");

        /// <summary>DANE authenticates the host, but the MX RRset is not signed.</summary>
        [ReportColumn(Report.ReportCheck.Dane)]
        public static readonly FindingDescriptor DaneWithInsecureMx = new FindingDescriptor(
            "Hop.DaneWithInsecureMx", Severity.Warning,
            "The MX host's TLSA records validate, but the domain's MX RRset is not DNSSEC-signed: an attacker can substitute the MX, so DANE does not protect delivery to this domain.",
            "RFC 7672 §2.2.1",
            "Sign the domain's zone with DNSSEC so the MX RRset is secure.");

        /// <summary>A DANE failure that MTA-STS does not override.</summary>
        [ReportColumn(Report.ReportCheck.Dane)]
        public static readonly FindingDescriptor DaneFailureNotOverridden = new FindingDescriptor(
            "Hop.DaneFailureNotOverridden", Severity.Error,
            "DANE validation fails for this MX; a passing MTA-STS result does not override a failing DANE validation, so a sender supporting both will not deliver here.",
            "RFC 8461 §2; RFC 7672 §2.2",
            "Fix the TLSA records or the certificate so that DANE validates.");

        /// <summary>Addresses of one host differ.</summary>
        public static readonly FindingDescriptor AddressesDiffer = new FindingDescriptor(
            "Hop.AddressesDiffer", Severity.Warning,
            "The addresses of this MX host do not all give the same protection; the level shown is the weakest, since a sender (or an attacker) may use any of them.",
            "RFC 5321 §5.1",
            "Configure TLS and certificates identically on every address of the host.");

        /// <summary>No TLS-RPT where a policy exists.</summary>
        [ReportColumn(Report.ReportCheck.TlsRpt)]
        public static readonly FindingDescriptor NoTlsRpt = new FindingDescriptor(
            "Hop.NoTlsRpt", Severity.Warning,
            "The domain uses DANE or MTA-STS but publishes no TLS-RPT record, so senders cannot report the TLS failures that make them refuse delivery.",
            "RFC 8460 §3",
            "Publish a TXT record at _smtp._tls.<domain> with v=TLSRPTv1 and a rua address.");

        /// <summary>The hop is authenticated by DANE.</summary>
        public static readonly FindingDescriptor DaneAuthenticated = new FindingDescriptor(
            "Hop.DaneAuthenticated", Severity.Info,
            "Senders that support DANE authenticate this MX through DNSSEC-validated TLSA records under a signed MX RRset: the hop resists downgrade.",
            "RFC 7672 §2.2, §3.2",
            string.Empty);

        /// <summary>The hop is authenticated by an enforced MTA-STS policy.</summary>
        public static readonly FindingDescriptor MtaStsEnforced = new FindingDescriptor(
            "Hop.MtaStsEnforced", Severity.Info,
            "An enforced MTA-STS policy covers this MX and its certificate is valid for its name: MTA-STS senders require authenticated TLS (trust on first use).",
            "RFC 8461 §4, §5",
            string.Empty);

        /// <summary>REQUIRETLS-ready (informational).</summary>
        public static readonly FindingDescriptor RequireTlsReady = new FindingDescriptor(
            "Hop.RequireTlsReady", Severity.Info,
            "Mail sent with REQUIRETLS can be delivered to this MX: TLS, an MX authenticated by DNSSEC or MTA-STS, a valid certificate, and REQUIRETLS advertised.",
            "RFC 8689 §2, §4.2.1",
            string.Empty);
    }
}
