namespace MailSecurity.MtaSts
{
    /// <summary>Finding codes about the <c>_mta-sts</c> TXT record (RFC 8461 §3.1).</summary>
    public static class MtaStsTxtFindings
    {
        /// <summary>No record.</summary>
        public static readonly FindingDescriptor RecordMissing = new FindingDescriptor(
            "MtaSts.TxtRecordMissing", Severity.Info,
            "The domain publishes no _mta-sts TXT record, so senders apply no MTA-STS policy to it.",
            "RFC 8461 §3.1",
            "To protect inbound mail against downgrade, publish a policy at https://mta-sts.<domain>/.well-known/mta-sts.txt and 'v=STSv1; id=<id>' at _mta-sts.<domain>.");

        /// <summary>Several records.</summary>
        public static readonly FindingDescriptor MultipleRecords = new FindingDescriptor(
            "MtaSts.TxtMultipleRecords", Severity.Error,
            "More than one _mta-sts TXT record begins with v=STSv1, so senders treat the domain as having no available MTA-STS policy.",
            "RFC 8461 §3.1",
            "Keep exactly one v=STSv1 record.");

        /// <summary>Syntax error.</summary>
        public static readonly FindingDescriptor SyntaxError = new FindingDescriptor(
            "MtaSts.TxtSyntaxError", Severity.Error,
            "The _mta-sts TXT record does not follow the RFC 8461 grammar, so senders treat the domain as having no available MTA-STS policy.",
            "RFC 8461 §3.1",
            "Publish exactly 'v=STSv1; id=<1-32 letters or digits>'.");

        /// <summary>The id is missing or malformed.</summary>
        public static readonly FindingDescriptor InvalidId = new FindingDescriptor(
            "MtaSts.TxtInvalidId", Severity.Error,
            "The _mta-sts TXT record has no id, or an id that is not 1 to 32 letters and digits, so senders treat the domain as having no available policy.",
            "RFC 8461 §3.1 (sts-id)",
            "Use an id of 1-32 letters and digits, for example a timestamp like 20240131T1200 without punctuation.");

        /// <summary>Erratum 6285 decision: whitespace before ';'.</summary>
        public static readonly FindingDescriptor WhitespaceBeforeSeparator = new FindingDescriptor(
            "MtaSts.TxtWhitespaceBeforeSeparator", Severity.Warning,
            "The record has white space between v=STSv1 and ';'. This tool follows the ABNF, which allows it, but senders that apply the prose's literal 'v=STSv1;' prefix test discard the record (erratum 6285).",
            "RFC 8461 §3.1; erratum 6285 (Reported)",
            "Write 'v=STSv1;' with no space before the semicolon.");

        /// <summary>A record that looks like MTA-STS but is dropped.</summary>
        public static readonly FindingDescriptor RecordDiscarded = new FindingDescriptor(
            "MtaSts.TxtRecordDiscarded", Severity.Warning,
            "A TXT record at _mta-sts looks like an MTA-STS record but does not begin with the exact, case-sensitive 'v=STSv1', so senders ignore it.",
            "RFC 8461 §3.1",
            "Begin the record with 'v=STSv1;'.");

        /// <summary>A field repeated.</summary>
        public static readonly FindingDescriptor DuplicateField = new FindingDescriptor(
            "MtaSts.TxtDuplicateField", Severity.Warning,
            "A field appears more than once in the _mta-sts record; RFC 8461 does not say which counts (this tool uses the first).",
            "RFC 8461 §3.1",
            "Keep each field once.");

        /// <summary>Lookup failed.</summary>
        public static readonly FindingDescriptor LookupFailed = new FindingDescriptor(
            "MtaSts.TxtLookupFailed", Severity.Warning,
            "The _mta-sts TXT lookup failed (SERVFAIL, timeout, DNSSEC failure); senders cannot discover or refresh the policy and keep any cached one. This is not 'no record'.",
            "RFC 8461 §3.1, §5.1",
            "Check the authoritative servers of the _mta-sts name.");
    }
}
