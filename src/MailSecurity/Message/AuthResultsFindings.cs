namespace MailSecurity.Message
{
    /// <summary>Finding codes about a message's Authentication-Results fields (RFC 8601).</summary>
    internal static class AuthResultsFindings
    {
        /// <summary>Authentication-Results from an authserv-id outside the receiving ADMD.</summary>
        public static readonly FindingDescriptor UntrustedServer = new FindingDescriptor(
            "AuthResults.UntrustedServer", Severity.Info,
            "An Authentication-Results field was added by a server other than the receiving domain's own (a different authserv-id); its claims cannot be trusted unless you trust that domain.",
            "RFC 8601 §5, §7.1",
            "Base decisions only on Authentication-Results whose authserv-id is your own (use -TrustedAuthServId to name it).");

        /// <summary>Authentication-Results below every Received field.</summary>
        public static readonly FindingDescriptor BeforeFirstHop = new FindingDescriptor(
            "AuthResults.BeforeFirstHop", Severity.Warning,
            "An Authentication-Results field sits below every Received field, so it was present before the first recorded hop: the sender wrote it, and it proves nothing.",
            "RFC 8601 §5, §7.2",
            "Ignore it; a receiving MTA should delete Authentication-Results that claim its own authserv-id on arrival.");

        /// <summary>Authentication-Results that cannot be parsed.</summary>
        public static readonly FindingDescriptor Unparsable = new FindingDescriptor(
            "AuthResults.Unparsable", Severity.Warning,
            "An Authentication-Results field does not follow the RFC 8601 grammar; it is kept raw and ignored.",
            "RFC 8601 §2.2",
            "If the field comes from your own server, fix its output.");

        /// <summary>A result value not defined for the method.</summary>
        public static readonly FindingDescriptor UnknownResult = new FindingDescriptor(
            "AuthResults.UnknownResult", Severity.Info,
            "An Authentication-Results entry has a result value that is not defined for its method; RFC 8601 says such entries MUST be ignored.",
            "RFC 8601 §2.7",
            string.Empty);
    }
}
