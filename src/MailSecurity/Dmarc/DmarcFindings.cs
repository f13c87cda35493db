namespace MailSecurity.Dmarc
{
    /// <summary>
    /// Finding codes about DMARC policy records (RFC 9989, with RFC 7489 differences labelled "7489-strict") and
    /// report destinations (RFC 9990 §4, RFC 9991 §5).
    /// </summary>
    [ReportColumn(Report.ReportCheck.Dmarc)]
    internal static class DmarcFindings
    {
        /// <summary>No DMARC record applies to the domain.</summary>
        public static readonly FindingDescriptor NoRecord = new FindingDescriptor(
            "Dmarc.NoRecord", Severity.Warning,
            "No DMARC policy record applies to the domain (none at the domain, its Organizational Domain or its public suffix), so receivers apply no DMARC policy and send no reports.",
            "RFC 9989 §4.10.1",
            "Publish a TXT record at _dmarc.<domain>, starting with 'v=DMARC1; p=none; rua=mailto:...' and move to quarantine or reject once reports show all legitimate mail aligns.");

        /// <summary>A DMARC lookup failed: the policy cannot be determined.</summary>
        public static readonly FindingDescriptor LookupFailed = new FindingDescriptor(
            "Dmarc.LookupFailed", Severity.Error,
            "A DNS lookup needed for DMARC policy discovery failed (SERVFAIL, DNSSEC failure, timeout); receivers cannot determine the policy and may defer or accept mail. This is not 'no record'.",
            "RFC 9989 §4.10.1",
            "Check the authoritative servers of the _dmarc names listed and, for a DNSSEC failure, the zone's signatures.");

        /// <summary>Several DMARC records at one name: all are discarded.</summary>
        public static readonly FindingDescriptor MultipleRecords = new FindingDescriptor(
            "Dmarc.MultipleRecords", Severity.Error,
            "More than one TXT record at a _dmarc name starts with v=DMARC1; receivers discard all of them, as if none were published.",
            "RFC 9989 §4.10 step 2",
            "Keep exactly one v=DMARC1 record at the name and merge the others into it.");

        /// <summary>A TXT record that looks like DMARC but is not recognised as one.</summary>
        public static readonly FindingDescriptor RecordDiscarded = new FindingDescriptor(
            "Dmarc.RecordDiscarded", Severity.Warning,
            "A TXT record at a _dmarc name looks like a DMARC record but does not begin with the exact, case-sensitive version tag 'v=DMARC1', so receivers ignore it.",
            "RFC 9989 §4.7 (v); §4.8",
            "Begin the record with 'v=DMARC1;' exactly (upper-case DMARC, first tag).");

        /// <summary>Malformed parts of a record, discarded in favour of defaults.</summary>
        public static readonly FindingDescriptor SyntaxError = new FindingDescriptor(
            "Dmarc.SyntaxError", Severity.Warning,
            "Part of the DMARC record does not follow the tag=value grammar; receivers discard that part and use default values.",
            "RFC 9989 §4.8",
            "Correct the record so every element is tag=value, separated by semicolons.");

        /// <summary>A tag value outside its grammar (other than p/sp/np): the default applies.</summary>
        public static readonly FindingDescriptor InvalidTagValue = new FindingDescriptor(
            "Dmarc.InvalidTagValue", Severity.Warning,
            "A DMARC tag has a value outside its grammar; receivers discard it and use the tag's default.",
            "RFC 9989 §4.8",
            "Use one of the values RFC 9989 §4.7 defines for the tag.");

        /// <summary>An invalid p, sp or np value.</summary>
        public static readonly FindingDescriptor InvalidPolicy = new FindingDescriptor(
            "Dmarc.InvalidPolicy", Severity.Error,
            "The p, sp or np tag has an invalid value; receivers act as if p=none when rua has a valid URI, and apply no DMARC at all otherwise.",
            "RFC 9989 §4.10.1",
            "Set p (and sp/np if used) to none, quarantine or reject.");

        /// <summary>The record has no p tag.</summary>
        public static readonly FindingDescriptor PolicyMissing = new FindingDescriptor(
            "Dmarc.PolicyMissing", Severity.Warning,
            "The DMARC record has no p tag. This tool follows RFC 9989 §4.10.1: it counts as p=none when rua holds a valid URI and as no DMARC otherwise (§4.7 alone would always read p=none).",
            "RFC 9989 §4.7, §4.10.1 (SPEC §10)",
            "Add an explicit p tag.");

        /// <summary>7489-strict: p is not the second tag.</summary>
        public static readonly FindingDescriptor PolicyNotSecond = new FindingDescriptor(
            "Dmarc.PolicyNotSecond", Severity.Info,
            "7489-strict: the p tag is not the second tag. RFC 7489 required it there; RFC 9989 allows any order, but receivers still on RFC 7489 may reject the record.",
            "RFC 7489 §6.3, §6.4 (7489-strict); RFC 9989 §4.8",
            "Put p directly after v=DMARC1 for compatibility with older receivers.");

        /// <summary>9989: pct, rf or ri present.</summary>
        public static readonly FindingDescriptor ObsoleteTag = new FindingDescriptor(
            "Dmarc.ObsoleteTag", Severity.Info,
            "9989: the record uses a tag RFC 9989 removed (pct, rf or ri); RFC 9989 receivers ignore it while RFC 7489 receivers still honour it.",
            "RFC 9989 Appendix C.5.2, A.6; RFC 7489 §6.3",
            "Remove pct/rf/ri; use t=y instead of a pct below 100 to signal testing.");

        /// <summary>9989: a !size suffix on a report URI.</summary>
        public static readonly FindingDescriptor ObsoleteReportSize = new FindingDescriptor(
            "Dmarc.ObsoleteReportSize", Severity.Info,
            "9989: a report URI carries a '!size' limit, which RFC 9989 made obsolete; reporters ignore it.",
            "RFC 9989 §4.8 (obs-dmarc-uri); Appendix C.4",
            "Drop the '!size' suffix.");

        /// <summary>An unknown tag.</summary>
        public static readonly FindingDescriptor UnknownTag = new FindingDescriptor(
            "Dmarc.UnknownTag", Severity.Info,
            "The record contains a tag that is not in the DMARC tag registry; receivers ignore it.",
            "RFC 9989 §4.7",
            "Remove the tag or correct its spelling.");

        /// <summary>A tag that appears more than once.</summary>
        public static readonly FindingDescriptor DuplicateTag = new FindingDescriptor(
            "Dmarc.DuplicateTag", Severity.Warning,
            "A tag appears more than once in the record; RFC 9989 does not say which one counts, so receivers may disagree (this tool uses the first).",
            "RFC 9989 §4.8; RFC 6376 §3.2",
            "Keep each tag once.");

        /// <summary>p=none: monitoring only.</summary>
        public static readonly FindingDescriptor PolicyNone = new FindingDescriptor(
            "Dmarc.PolicyNone", Severity.Warning,
            "The policy that applies is none (monitoring mode): receivers take no action on mail that fails DMARC, so the domain can still be spoofed.",
            "RFC 9989 §3.2.12, §5.1.7",
            "Once aggregate reports show all legitimate mail passes, move to p=quarantine and then p=reject.");

        /// <summary>sp or np weaker than p.</summary>
        public static readonly FindingDescriptor SubdomainPolicyWeaker = new FindingDescriptor(
            "Dmarc.SubdomainPolicyWeaker", Severity.Warning,
            "The subdomain (sp) or non-existent subdomain (np) policy is weaker than p, so subdomains can be spoofed more easily than the domain itself.",
            "RFC 9989 §4.7 (sp, np)",
            "Set sp and np at least as strict as p, or remove them so p applies.");

        /// <summary>t=y: testing, one level lower.</summary>
        public static readonly FindingDescriptor TestingMode = new FindingDescriptor(
            "Dmarc.TestingMode", Severity.Warning,
            "The record has t=y (testing): receivers apply the policy one level lower (reject becomes quarantine, quarantine becomes none).",
            "RFC 9989 §4.7 (t)",
            "Remove t=y once testing is complete.");

        /// <summary>No rua: no aggregate reports.</summary>
        public static readonly FindingDescriptor NoAggregateReports = new FindingDescriptor(
            "Dmarc.NoAggregateReports", Severity.Warning,
            "The policy record has no valid rua URI, so receivers send no aggregate reports and the owner cannot see who sends mail as the domain.",
            "RFC 9989 §4.7 (rua); RFC 9990 §3",
            "Add rua=mailto:<mailbox> pointing to a mailbox or report-processing service.");

        /// <summary>An unparseable report URI.</summary>
        public static readonly FindingDescriptor InvalidReportUri = new FindingDescriptor(
            "Dmarc.InvalidReportUri", Severity.Warning,
            "A rua or ruf entry is not a valid URI (or a mailto URI without a valid address); receivers ignore it.",
            "RFC 9989 §4.8 (dmarc-uri); RFC 3986",
            "Write each destination as mailto:local@domain, separated by commas; percent-encode commas and '!' inside a URI.");

        /// <summary>A report URI with a scheme receivers need not support.</summary>
        public static readonly FindingDescriptor UnsupportedReportScheme = new FindingDescriptor(
            "Dmarc.UnsupportedReportScheme", Severity.Warning,
            "A rua or ruf URI uses a scheme other than mailto; receivers are only required to support mailto and MUST ignore schemes they do not support.",
            "RFC 9989 §4.7 (rua, ruf); RFC 9990 §3.5",
            "Use a mailto: destination.");

        /// <summary>fo without ruf.</summary>
        public static readonly FindingDescriptor FailureOptionsWithoutRuf = new FindingDescriptor(
            "Dmarc.FailureOptionsWithoutRuf", Severity.Info,
            "The record sets fo but has no ruf tag, so fo is ignored.",
            "RFC 9989 §4.7 (fo)",
            "Remove fo, or add ruf if failure reports are wanted.");

        /// <summary>Policy taken from the Organizational Domain.</summary>
        public static readonly FindingDescriptor InheritedPolicy = new FindingDescriptor(
            "Dmarc.InheritedPolicy", Severity.Info,
            "The domain has no DMARC record of its own; the Organizational Domain's record applies through its sp or np tag (or p when those are absent).",
            "RFC 9989 §4.10.1",
            "Nothing to fix when intended; publish _dmarc.<domain> to give the domain its own policy.");

        /// <summary>Policy taken from the public suffix domain.</summary>
        public static readonly FindingDescriptor PolicyFromPublicSuffix = new FindingDescriptor(
            "Dmarc.PolicyFromPublicSuffix", Severity.Warning,
            "Neither the domain nor its Organizational Domain publishes DMARC; the policy comes from the public suffix operator's record (psd=y), which the domain owner does not control.",
            "RFC 9989 §4.10.1, §3.2.15",
            "Publish a DMARC record for the Organizational Domain.");

        /// <summary>The domain does not exist: np applies.</summary>
        public static readonly FindingDescriptor DomainDoesNotExist = new FindingDescriptor(
            "Dmarc.DomainDoesNotExist", Severity.Info,
            "The domain does not exist (NXDOMAIN), so the inherited record's np tag (falling back to sp, then p) is the policy that applies.",
            "RFC 9989 §3.2.13, §4.10.1",
            string.Empty);

        /// <summary>A lookup error during the tree walk leaves the Organizational Domain uncertain.</summary>
        public static readonly FindingDescriptor TreeWalkIncomplete = new FindingDescriptor(
            "Dmarc.TreeWalkIncomplete", Severity.Warning,
            "A lookup in the DNS tree walk failed, so the Organizational Domain (used for relaxed alignment and report authorization) cannot be determined with certainty.",
            "RFC 9989 §4.10, §4.10.2",
            "Check the authoritative servers of the names whose lookup failed.");

        /// <summary>Name too long for _dmarc. prefix.</summary>
        public static readonly FindingDescriptor NameTooLong = new FindingDescriptor(
            "Dmarc.NameTooLong", Severity.Warning,
            "The _dmarc name for the domain exceeds DNS length limits, so no record can be published at it; only a parent's record can apply.",
            "RFC 1035 §2.3.4; RFC 9989 §4.10",
            "Use a shorter domain name for mail.");

        /// <summary>An external report destination without authorization.</summary>
        public static readonly FindingDescriptor DestinationNotAuthorized = new FindingDescriptor(
            "Dmarc.DestinationNotAuthorized", Severity.Error,
            "A report destination outside the Organizational Domain has not authorized the domain (no v=DMARC1 record at <domain>._report._dmarc.<destination>), so receivers MUST NOT send reports there.",
            "RFC 9990 §4; RFC 9991 §5",
            "Ask the report receiver to publish '<policy-domain>._report._dmarc.<destination-host> TXT \"v=DMARC1;\"' (or a wildcard), or use a destination inside the domain.");

        /// <summary>The authorization lookup failed.</summary>
        public static readonly FindingDescriptor DestinationLookupFailed = new FindingDescriptor(
            "Dmarc.DestinationLookupFailed", Severity.Warning,
            "The lookup of an external report destination's authorization record failed (temporary error), so whether reports may go there is unknown at the moment.",
            "RFC 9990 §4 step 5",
            "Check the destination's DNS servers.");

        /// <summary>The authorization name exceeds DNS limits.</summary>
        public static readonly FindingDescriptor DestinationNameTooLong = new FindingDescriptor(
            "Dmarc.DestinationNameTooLong", Severity.Error,
            "The authorization name <policy-domain>._report._dmarc.<destination> exceeds DNS length limits, so the external reporting relationship can never be confirmed and no reports are sent there.",
            "RFC 9990 §4 step 4",
            "Use a shorter policy domain or destination host.");

        /// <summary>The report receiver overrides the destination.</summary>
        public static readonly FindingDescriptor DestinationOverridden = new FindingDescriptor(
            "Dmarc.DestinationOverridden", Severity.Info,
            "The external report receiver's authorization record carries its own rua/ruf, which replaces the destination published by the domain.",
            "RFC 9990 §4 step 9",
            string.Empty);

        /// <summary>An override URI names another host: no reports at all.</summary>
        public static readonly FindingDescriptor DestinationOverrideHostMismatch = new FindingDescriptor(
            "Dmarc.DestinationOverrideHostMismatch", Severity.Error,
            "The external report receiver's override URI uses a different host than the destination, so receivers MUST NOT send reports to either URI.",
            "RFC 9990 §4",
            "The report receiver must use an override URI on the same destination host.");

        /// <summary>ruf in a psd=y record.</summary>
        public static readonly FindingDescriptor FailureReportsFromPsdIgnored = new FindingDescriptor(
            "Dmarc.FailureReportsFromPsdIgnored", Severity.Info,
            "The record that applies has psd=y; receivers ignore its ruf tag unless the parties have agreed otherwise.",
            "RFC 9991 §2; RFC 9990 §7.3",
            string.Empty);
    }
}
