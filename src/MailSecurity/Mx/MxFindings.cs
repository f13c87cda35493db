

namespace MailSecurity.Mx
{
    /// <summary>Finding codes about a domain's MX RRset (RFC 5321 §5.1, RFC 7505, RFC 7672 §2.2).</summary>
    [ReportColumn(Report.ReportCheck.Mx)]
    internal static class MxFindings
    {
        // ---- The MX RRset (RFC 5321 §5.1, RFC 7505) ----

        /// <summary>Null MX published.</summary>
        public static readonly FindingDescriptor NullMx = new FindingDescriptor(
            "Mx.NullMx", Severity.Info,
            "The domain publishes a null MX (0 .): it declares that it accepts no mail.",
            "RFC 7505 §3",
            "Nothing to fix if the domain really receives no mail; otherwise publish real MX records instead.");

        /// <summary>Null MX mixed with other MX records.</summary>
        public static readonly FindingDescriptor NullMxWithOtherMx = new FindingDescriptor(
            "Mx.NullMxWithOtherMx", Severity.Error,
            "A null MX is published together with other MX records, which RFC 7505 forbids; senders may treat the domain as not accepting mail.",
            "RFC 7505 §3",
            "Remove the '0 .' record if the domain receives mail, or remove every other MX if it does not.");

        /// <summary>Null MX with a preference other than 0.</summary>
        public static readonly FindingDescriptor NullMxNonZeroPreference = new FindingDescriptor(
            "Mx.NullMxNonZeroPreference", Severity.Warning,
            "The null MX record has a preference other than 0.",
            "RFC 7505 §3",
            "Publish the null MX as '0 .'.");

        /// <summary>No MX: the domain's own address records are the implicit MX.</summary>
        public static readonly FindingDescriptor ImplicitMx = new FindingDescriptor(
            "Mx.ImplicitMx", Severity.Warning,
            "The domain has no MX records; senders deliver to the domain's own A/AAAA addresses (implicit MX).",
            "RFC 5321 §5.1",
            "Publish explicit MX records (or a null MX if the domain receives no mail).");

        /// <summary>No MX and no address: no mail service.</summary>
        public static readonly FindingDescriptor NoMailService = new FindingDescriptor(
            "Mx.NoMailService", Severity.Error,
            "The domain has neither MX nor A/AAAA records, so no mail can be delivered to it; a null MX would say so explicitly.",
            "RFC 5321 §5.1; RFC 7505 §4",
            "Publish MX records if the domain receives mail, or a null MX (0 .) if it does not.");

        /// <summary>NXDOMAIN.</summary>
        public static readonly FindingDescriptor DomainNotFound = new FindingDescriptor(
            "Mx.DomainNotFound", Severity.Error,
            "The domain does not exist in DNS (NXDOMAIN).",
            "RFC 5321 §5.1",
            "Check the spelling, or the delegation of the domain.");

        /// <summary>The MX lookup failed: the destination cannot be determined.</summary>
        public static readonly FindingDescriptor LookupFailed = new FindingDescriptor(
            "Mx.LookupFailed", Severity.Critical,
            "The MX lookup failed (SERVFAIL, DNSSEC failure, timeout or network error); senders cannot determine where to deliver and will queue mail. This is not 'no MX'.",
            "RFC 5321 §5.1; RFC 7672 §2.1.1",
            "Check the authoritative servers and, for a DNSSEC failure, the zone's signatures and DS records.");

        /// <summary>MX RRset is DNSSEC-signed and validated.</summary>
        public static readonly FindingDescriptor DnssecSecure = new FindingDescriptor(
            "Mx.DnssecSecure", Severity.Info,
            "The MX RRset is DNSSEC-validated, so DANE can apply to the MX hosts.",
            "RFC 7672 §2.2.1",
            string.Empty);

        /// <summary>MX RRset is not signed.</summary>
        public static readonly FindingDescriptor DnssecInsecure = new FindingDescriptor(
            "Mx.DnssecInsecure", Severity.Info,
            "The MX RRset is not DNSSEC-signed (insecure): DANE cannot protect delivery to this domain, and an attacker who controls DNS can redirect mail.",
            "RFC 7672 §2.2.1",
            "Sign the zone with DNSSEC and publish the DS record at the parent.");

        /// <summary>MX RRset signed, but the resolver did not validate it and this check did not probe further.</summary>
        public static readonly FindingDescriptor DnssecNotValidated = new FindingDescriptor(
            "Mx.DnssecNotValidated", Severity.Info,
            "The MX RRset is DNSSEC-signed but the resolver did not mark it validated (no AD bit); the record checks do not depend on DNSSEC and do not probe further, so whether the resolver validates is left to Test-DaneTlsa and Resolve-HopSecurity.",
            "RFC 4035 §3.2.3; RFC 7672 §2.2.1",
            "For the MX RRset's DNSSEC state, run Test-DaneTlsa or Resolve-HopSecurity, or use -DnsServer with a validating resolver.");

        /// <summary>An MX target written as an IP address.</summary>
        public static readonly FindingDescriptor TargetIsIpAddress = new FindingDescriptor(
            "Mx.TargetIsIpAddress", Severity.Error,
            "An MX record points to an IP address instead of a host name; many senders will not use it and DANE does not apply.",
            "RFC 5321 §5.1; RFC 7672 §2.2.1",
            "Point the MX at a host name that has A/AAAA records.");

        // ---- MX targets: the hosts the MX RRset points to (RFC 5321 §5.1, RFC 2181 §10.3) ----

        /// <summary>An MX target that is an alias.</summary>
        public static readonly FindingDescriptor TargetIsCname = new FindingDescriptor(
            "Mx.TargetIsCname", Severity.Warning,
            "An MX record points to a name that is a CNAME; RFC 2181 forbids this and some senders refuse or mishandle it (DANE uses the expanded name only when every link is secure).",
            "RFC 2181 §10.3; RFC 5321 §5.1; RFC 7672 §2.2.2",
            "Point the MX record at the canonical host name (the CNAME's target).");

        /// <summary>An MX target without A/AAAA.</summary>
        public static readonly FindingDescriptor TargetHasNoAddress = new FindingDescriptor(
            "Mx.TargetHasNoAddress", Severity.Error,
            "An MX record points to a host with no A or AAAA record (or that does not exist), so senders cannot deliver through it.",
            "RFC 5321 §5.1",
            "Publish address records for the host or remove the MX record.");

        /// <summary>The address lookup of an MX target failed.</summary>
        public static readonly FindingDescriptor TargetLookupFailed = new FindingDescriptor(
            "Mx.TargetLookupFailed", Severity.Warning,
            "The address lookup for an MX host failed (SERVFAIL, timeout, DNSSEC failure); senders skip the host and use others or defer. This is not 'no address'.",
            "RFC 5321 §5.1; RFC 7672 §2.1.1",
            "Check the authoritative servers of the MX host's zone.");
}
}
