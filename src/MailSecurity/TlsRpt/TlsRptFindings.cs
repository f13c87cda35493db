namespace MailSecurity.TlsRpt
{
    /// <summary>Finding codes about the <c>_smtp._tls</c> TXT record (RFC 8460 §3).</summary>
    [ReportColumn(Report.ReportCheck.TlsRpt)]
    internal static class TlsRptFindings
    {
        /// <summary>No record.</summary>
        public static readonly FindingDescriptor RecordMissing = new FindingDescriptor(
            "TlsRpt.RecordMissing", Severity.Info,
            "The domain publishes no TLS-RPT record, so sending MTAs do not report TLS or MTA-STS/DANE failures to it.",
            "RFC 8460 §3",
            "Publish 'v=TLSRPTv1; rua=mailto:<mailbox>' at _smtp._tls.<domain>.");

        /// <summary>Several records.</summary>
        public static readonly FindingDescriptor MultipleRecords = new FindingDescriptor(
            "TlsRpt.MultipleRecords", Severity.Error,
            "More than one _smtp._tls TXT record begins with v=TLSRPTv1, so reporters treat the domain as having no TLS-RPT policy.",
            "RFC 8460 §3",
            "Keep exactly one v=TLSRPTv1 record and list every destination in its rua.");

        /// <summary>Syntax error.</summary>
        public static readonly FindingDescriptor SyntaxError = new FindingDescriptor(
            "TlsRpt.SyntaxError", Severity.Error,
            "The TLS-RPT record does not follow the RFC 8460 grammar, so reporters may ignore it.",
            "RFC 8460 §3",
            "Publish 'v=TLSRPTv1; rua=<uri>[,<uri>]'.");

        /// <summary>rua missing.</summary>
        public static readonly FindingDescriptor RuaMissing = new FindingDescriptor(
            "TlsRpt.RuaMissing", Severity.Error,
            "The TLS-RPT record has no rua field, which is required; reporters have nowhere to send reports.",
            "RFC 8460 §3 (tlsrpt-rua)",
            "Add rua=mailto:<mailbox> or rua=https://<endpoint>.");

        /// <summary>An invalid report URI.</summary>
        public static readonly FindingDescriptor InvalidUri = new FindingDescriptor(
            "TlsRpt.InvalidUri", Severity.Error,
            "A rua entry is not a usable mailto: or https: URI (or contains an unencoded ',', '!' or ';'); reporters cannot use it.",
            "RFC 8460 §3 (tlsrpt-uri)",
            "Write each destination as mailto:local@domain or https://host/path, separated by commas, percent-encoding ',', '!' and ';'.");

        /// <summary>Whitespace before the first ';'.</summary>
        public static readonly FindingDescriptor WhitespaceBeforeSeparator = new FindingDescriptor(
            "TlsRpt.WhitespaceBeforeSeparator", Severity.Warning,
            "The record has white space between v=TLSRPTv1 and ';'. The ABNF allows it, but reporters that apply the literal 'v=TLSRPTv1;' prefix test drop the record.",
            "RFC 8460 §3",
            "Write 'v=TLSRPTv1;' with no space before the semicolon.");

        /// <summary>A near-miss record.</summary>
        public static readonly FindingDescriptor RecordDiscarded = new FindingDescriptor(
            "TlsRpt.RecordDiscarded", Severity.Warning,
            "A TXT record at _smtp._tls looks like TLS-RPT but does not begin with the exact, case-sensitive 'v=TLSRPTv1', so reporters ignore it.",
            "RFC 8460 §3",
            "Begin the record with 'v=TLSRPTv1;'.");

        /// <summary>Lookup failed.</summary>
        public static readonly FindingDescriptor LookupFailed = new FindingDescriptor(
            "TlsRpt.LookupFailed", Severity.Warning,
            "The _smtp._tls TXT lookup failed (SERVFAIL, timeout, DNSSEC failure). This is not 'no record'.",
            "RFC 8460 §3",
            "Check the authoritative servers of the _smtp._tls name.");
    }
}
