namespace MailSecurity.Dns
{
    /// <summary>Finding codes of the DNS layer's DNSSEC classification (RFC 4035 §3.2.3, RFC 7672 §2.1).</summary>
    [ReportColumn(Report.ReportCheck.Mx)]
    internal static class DnsFindings
    {
        /// <summary>The resolver does not validate.</summary>
        public static readonly FindingDescriptor ResolverNotValidating = new FindingDescriptor(
            "Dns.ResolverNotValidating", Severity.Warning,
            "The resolver returned DNSSEC signatures without validating them (no AD bit), so DNSSEC status cannot be determined through it.",
            "RFC 7672 §2.1; RFC 4035 §3.2.3",
            "Use -DnsServer with a validating resolver (for example a local Unbound).");

        /// <summary>The probe that settles a signed answer's DNSSEC state failed.</summary>
        public static readonly FindingDescriptor DnssecProbeFailed = new FindingDescriptor(
            "Dns.DnssecProbeFailed", Severity.Warning,
            "The DNSSEC state of an answer could not be determined: it is signed but carries no AD bit, and the probe that tells an island of security from a resolver that does not validate (DS questions up the tree) failed or did not finish in time. The answer itself is fine; only what depends on DNSSEC (DANE, the MX RRset's security) cannot be assessed.",
            "RFC 4035 §3.2.3, §4.3; RFC 7672 §2.1",
            "Find out why the resolver (or a middlebox in front of it) drops or delays DS questions, or use -DnsServer with a validating resolver that answers them.");
    }
}
