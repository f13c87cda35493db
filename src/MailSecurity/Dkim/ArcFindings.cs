namespace MailSecurity.Dkim
{
    /// <summary>Finding codes about a message's ARC chain, validated here (RFC 8617).</summary>
    internal static class ArcFindings
    {
        /// <summary>ARC chain failed.</summary>
        public static readonly FindingDescriptor ChainFailed = new FindingDescriptor(
            "Arc.ChainFailed", Severity.Warning,
            "The ARC chain does not validate (structure, the newest ARC-Message-Signature or an ARC-Seal failed); it must be treated as if there were no chain.",
            "RFC 8617 §5.2, §5.2.1",
            "If an intermediary of yours seals messages, check its keys and that nothing modifies the message after sealing.");

        /// <summary>ARC chain passed.</summary>
        public static readonly FindingDescriptor ChainPassed = new FindingDescriptor(
            "Arc.ChainPassed", Severity.Info,
            "The ARC chain validates: each sealer's view of the authentication results is intact.",
            "RFC 8617 §5.2",
            string.Empty);

        /// <summary>ARC chain could only be partly checked.</summary>
        public static readonly FindingDescriptor ChainNotVerified = new FindingDescriptor(
            "Arc.ChainNotVerified", Severity.Info,
            "The ARC chain's structure and seals were checked, but the newest ARC-Message-Signature covers the body, which was not given, so the chain result is not known.",
            "RFC 8617 §5.2 step 4",
            "Pass the complete message to validate the chain.");
    }
}
