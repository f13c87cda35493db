namespace MailSecurity.Message
{
    /// <summary>Finding codes about reading a message as input (RFC 5322 §2.2, RFC 5321 §4.4).</summary>
    internal static class MessageFindings
    {
        /// <summary>The input could not be read as a message at all.</summary>
        public static readonly FindingDescriptor NoHeaders = new FindingDescriptor(
            "Message.NoHeaders", Severity.Error,
            "The input contains no message header fields, so there is no path to analyse.",
            "RFC 5322 §2.2",
            "Pass the full message (.eml) or the complete header block.");

        /// <summary>Leading text before the header block was dropped.</summary>
        public static readonly FindingDescriptor LeadingTextIgnored = new FindingDescriptor(
            "Message.LeadingTextIgnored", Severity.Info,
            "Lines before the first header field (such as 'Microsoft Mail Internet Headers Version 2.0' or an mbox 'From ' line) were ignored.",
            "RFC 5322 §2.2",
            string.Empty);

        /// <summary>No Received fields.</summary>
        public static readonly FindingDescriptor NoReceivedFields = new FindingDescriptor(
            "Message.NoReceivedFields", Severity.Warning,
            "The message has no Received fields, so its path cannot be traced (it was never relayed, or the fields were removed).",
            "RFC 5321 §4.4",
            "Analyse the message as the recipient received it, with all header fields.");

        /// <summary>Only headers were given: signatures over the body cannot be verified.</summary>
        public static readonly FindingDescriptor BodyUnavailable = new FindingDescriptor(
            "Message.BodyUnavailable", Severity.Info,
            "Only the header block was given, so DKIM and ARC-Message-Signature body hashes cannot be checked; header signatures are still verified.",
            "RFC 6376 §3.7",
            "Pass the complete message (.eml) to verify the body hashes.");

        /// <summary>Only part of the message is protected.</summary>
        public static readonly FindingDescriptor ProtectedPartOnly = new FindingDescriptor(
            "Message.ProtectedPartOnly", Severity.Info,
            "The signed or encrypted part sits inside a multipart/mixed with other parts (a mailing list or gateway added them): those parts are not covered by the protection.",
            "RFC 8551 §3.1; RFC 3156 §5",
            string.Empty);
    }
}
