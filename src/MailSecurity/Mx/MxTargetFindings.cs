namespace MailSecurity.Mx
{
    /// <summary>Finding codes about the hosts an MX RRset points to (RFC 5321 §5.1, RFC 2181 §10.3).</summary>
    internal static class MxTargetFindings
    {
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
