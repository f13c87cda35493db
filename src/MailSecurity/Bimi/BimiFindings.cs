namespace MailSecurity.Bimi
{
    /// <summary>Finding codes about BIMI assertion records (draft-brand-indicators-for-message-identification-12).</summary>
    [ReportColumn(Report.ReportCheck.Bimi)]
    internal static class BimiFindings
    {
        /// <summary>No record.</summary>
        public static readonly FindingDescriptor RecordMissing = new FindingDescriptor(
            "Bimi.RecordMissing", Severity.Info,
            "No BIMI assertion record is published at default._bimi for the domain or its Organizational Domain; mailbox providers show no brand logo.",
            "draft-brand-indicators-for-message-identification-12 §8.3",
            "Optional: publish 'v=BIMI1; l=https://<host>/logo.svg; a=https://<host>/vmc.pem' once DMARC is at quarantine or reject.");

        /// <summary>Explicit declination.</summary>
        public static readonly FindingDescriptor Declined = new FindingDescriptor(
            "Bimi.Declined", Severity.Info,
            "The BIMI record declines to publish an indicator (empty l= and a=).",
            "draft-brand-indicators-for-message-identification-12 §8.1 (Declination to Publish)",
            string.Empty);

        /// <summary>Several records.</summary>
        public static readonly FindingDescriptor MultipleRecords = new FindingDescriptor(
            "Bimi.MultipleRecords", Severity.Error,
            "More than one BIMI record is published at the selector, so receivers apply no BIMI.",
            "draft-brand-indicators-for-message-identification-12 §8.3",
            "Keep exactly one v=BIMI1 record per selector.");

        /// <summary>A required tag missing or malformed.</summary>
        public static readonly FindingDescriptor SyntaxError = new FindingDescriptor(
            "Bimi.SyntaxError", Severity.Error,
            "The BIMI record is malformed (required l= missing, bad tag-list, or a value receivers may not repair), so receivers treat it as an error.",
            "draft-brand-indicators-for-message-identification-12 §8.1",
            "Publish 'v=BIMI1; l=<https URI or empty>; a=<https URI or empty>' exactly.");

        /// <summary>A URI that is not a single HTTPS URI.</summary>
        public static readonly FindingDescriptor InvalidUri = new FindingDescriptor(
            "Bimi.InvalidUri", Severity.Error,
            "The l= or a= value is not a single HTTPS URI with a fully qualified host, or the logo is not SVG; receivers treat it as a permanent error.",
            "draft-brand-indicators-for-message-identification-12 §8.1",
            "Use one https:// URI per tag (encode commas) and an SVG Tiny PS logo.");

        /// <summary>No evidence document.</summary>
        public static readonly FindingDescriptor NoEvidence = new FindingDescriptor(
            "Bimi.NoEvidence", Severity.Info,
            "The BIMI record has no a= evidence document (VMC/CMC); most mailbox providers display logos only with one.",
            "draft-brand-indicators-for-message-identification-12 §8.1 (a=)",
            "Obtain a Verified Mark Certificate or Common Mark Certificate and publish its URL in a=.");

        /// <summary>A version near-miss.</summary>
        public static readonly FindingDescriptor RecordDiscarded = new FindingDescriptor(
            "Bimi.RecordDiscarded", Severity.Warning,
            "A TXT record at the BIMI selector looks like BIMI but does not begin with v=BIMI1 exactly; receivers must not repair it and ignore it.",
            "draft-brand-indicators-for-message-identification-12 §8.1 (v=)",
            "Begin the record with 'v=BIMI1;'.");

        /// <summary>BIMI without an enforcing DMARC policy.</summary>
        public static readonly FindingDescriptor DmarcNotEnforced = new FindingDescriptor(
            "Bimi.DmarcNotEnforced", Severity.Warning,
            "The domain publishes BIMI, but its DMARC policy is not quarantine or reject at full strength (none, sp=none, t=y lowering quarantine to none, quarantine with pct below 100, or no DMARC at all), so receivers skip BIMI.",
            "draft-brand-indicators-for-message-identification-12 §8.2; RFC 9989 §4.7",
            "Move DMARC to p=quarantine or p=reject (and sp likewise), without t=y or pct below 100.");

        /// <summary>An avp value receivers ignore.</summary>
        public static readonly FindingDescriptor InvalidTagValue = new FindingDescriptor(
            "Bimi.InvalidTagValue", Severity.Warning,
            "An optional BIMI tag (lps, avp) has a value outside its grammar; receivers ignore it.",
            "draft-brand-indicators-for-message-identification-12 §8.1",
            "Use avp=brand or avp=personal, and lps with 1-63 character letter/digit/hyphen prefixes.");

        /// <summary>Lookup failed.</summary>
        public static readonly FindingDescriptor LookupFailed = new FindingDescriptor(
            "Bimi.LookupFailed", Severity.Warning,
            "The BIMI record lookup failed (SERVFAIL, timeout, DNSSEC failure). This is not 'no record'.",
            "draft-brand-indicators-for-message-identification-12 §8.3",
            "Check the authoritative servers of the _bimi name.");
    }
}
