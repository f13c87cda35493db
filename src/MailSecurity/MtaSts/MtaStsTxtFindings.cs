namespace MailSecurity.MtaSts
{
    /// <summary>
    /// Finding codes of the <c>_mta-sts</c> TXT discovery (RFC 8461 §3.1), reported by Get-MtaStsPolicy and
    /// Get-MailAuthRecords alike, and <see cref="DuplicateKey"/>, which the TXT record and the policy body share.
    /// </summary>
    internal static class MtaStsTxtFindings
    {
        /// <summary>No v=STSv1 record.</summary>
        public static readonly FindingDescriptor NoRecord = new FindingDescriptor(
            "MtaSts.NoRecord", Severity.Info,
            "The domain publishes no v=STSv1 TXT record at _mta-sts, so senders apply no MTA-STS policy to it.",
            "RFC 8461 §3.1",
            "To require authenticated TLS from senders, publish a policy at https://mta-sts.<domain>/.well-known/mta-sts.txt and then 'v=STSv1; id=<id>' at _mta-sts.<domain>.");

        /// <summary>A TXT record that looks like an attempt at MTA-STS but is not one.</summary>
        public static readonly FindingDescriptor RecordIgnored = new FindingDescriptor(
            "MtaSts.RecordIgnored", Severity.Warning,
            "A TXT record at _mta-sts looks like an MTA-STS record (it mentions STSv1 or begins with v=sts in another case) but does not begin with the exact, case-sensitive 'v=STSv1', so senders ignore it.",
            "RFC 8461 §3.1",
            "Begin the record with 'v=STSv1;' followed by the id.");

        /// <summary>Several v=STSv1 records.</summary>
        public static readonly FindingDescriptor MultipleRecords = new FindingDescriptor(
            "MtaSts.MultipleRecords", Severity.Error,
            "More than one TXT record at _mta-sts begins with v=STSv1, so senders treat the domain as having no available MTA-STS policy.",
            "RFC 8461 §3.1",
            "Keep exactly one v=STSv1 record.");

        /// <summary>The one v=STSv1 record has a syntax error.</summary>
        public static readonly FindingDescriptor InvalidRecord = new FindingDescriptor(
            "MtaSts.InvalidRecord", Severity.Error,
            "The v=STSv1 TXT record does not follow the RFC 8461 grammar, so senders treat the domain as having no available MTA-STS policy.",
            "RFC 8461 §3.1",
            "Publish exactly 'v=STSv1; id=<1 to 32 letters or digits>'.");

        /// <summary>The id is missing or malformed.</summary>
        public static readonly FindingDescriptor InvalidId = new FindingDescriptor(
            "MtaSts.InvalidId", Severity.Error,
            "The v=STSv1 record has no id, or an id that is not 1 to 32 letters and digits (a hyphen, dot or underscore is not allowed), so senders treat the domain as having no available policy.",
            "RFC 8461 §3.1 (sts-id)",
            "Use an id of 1 to 32 letters and digits, for example a timestamp such as 20240131T120000.");

        /// <summary>Erratum 6285 decision: white space before ';' after v=STSv1.</summary>
        public static readonly FindingDescriptor RecordSpaceBeforeSemicolon = new FindingDescriptor(
            "MtaSts.RecordSpaceBeforeSemicolon", Severity.Warning,
            "White space separates v=STSv1 from the ';'. The ABNF allows it and this tool accepts the record, but senders that apply the prose's literal 'v=STSv1;' prefix test discard it (erratum 6285).",
            "RFC 8461 §3.1; erratum 6285 (Reported)",
            "Write 'v=STSv1;' with no space before the semicolon.");

        /// <summary>The TXT lookup failed.</summary>
        public static readonly FindingDescriptor RecordLookupFailed = new FindingDescriptor(
            "MtaSts.RecordLookupFailed", Severity.Error,
            "The _mta-sts TXT lookup failed (SERVFAIL, DNSSEC failure, timeout or network error); senders cannot discover or refresh the policy. This is not 'no record': senders keep a cached policy.",
            "RFC 8461 §3.1, §5.1",
            "Check the authoritative servers (and DNSSEC signatures) of the _mta-sts name.");

        /// <summary>A non-mx field repeated.</summary>
        public static readonly FindingDescriptor DuplicateKey = new FindingDescriptor(
            "MtaSts.DuplicateKey", Severity.Warning,
            "A field of the policy (other than mx) or of the TXT record appears more than once; senders use only the first occurrence.",
            "RFC 8461 §3.1, §3.2",
            "Keep each field (other than mx) once, and change the TXT id after editing the policy.");
    }
}
