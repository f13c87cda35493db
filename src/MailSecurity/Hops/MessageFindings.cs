namespace MailSecurity.Hops
{
    /// <summary>
    /// Finding codes about a message's authentication evidence: Authentication-Results fields (RFC 8601),
    /// DKIM signatures verified here (RFC 6376, RFC 8301, RFC 8463) and the ARC chain (RFC 8617).
    /// </summary>
    public static class MessageFindings
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

        /// <summary>Authentication-Results from an authserv-id outside the receiving ADMD.</summary>
        public static readonly FindingDescriptor UntrustedServer = new FindingDescriptor(
            "AuthResults.UntrustedServer", Severity.Info,
            "An Authentication-Results field was added by a server other than the receiving domain's own (a different authserv-id); its claims cannot be trusted unless you trust that domain.",
            "RFC 8601 §5, §7.1",
            "Base decisions only on Authentication-Results whose authserv-id is your own (use -TrustedAuthServId to name it).");

        /// <summary>Authentication-Results below every Received field.</summary>
        public static readonly FindingDescriptor AddedBeforeFirstHop = new FindingDescriptor(
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

        /// <summary>A DKIM signature verified here.</summary>
        public static readonly FindingDescriptor SignaturePassed = new FindingDescriptor(
            "Dkim.SignaturePassed", Severity.Info,
            "A DKIM signature was verified against the signer's published key: the signing domain takes responsibility for the message.",
            "RFC 6376 §6.1",
            string.Empty);

        /// <summary>A DKIM signature that failed.</summary>
        public static readonly FindingDescriptor SignatureFailed = new FindingDescriptor(
            "Dkim.SignatureFailed", Severity.Warning,
            "A DKIM signature does not verify (body or header hash mismatch, or a rejected key), so it gives the message no authentication.",
            "RFC 6376 §6.1.3; RFC 8301 §3",
            "If the signer is yours, check that nothing modifies the message after signing and that the published key matches the private key.");

        /// <summary>A DKIM signature that could not be processed.</summary>
        public static readonly FindingDescriptor SignaturePermError = new FindingDescriptor(
            "Dkim.SignaturePermError", Severity.Warning,
            "A DKIM signature cannot be processed (malformed signature, no key published, key revoked or unusable), a permanent failure.",
            "RFC 6376 §3.5, §6.1.1, §6.1.2",
            "If the signer is yours, publish the key at <selector>._domainkey.<domain> and sign with correct tags.");

        /// <summary>A DKIM key lookup failed temporarily.</summary>
        public static readonly FindingDescriptor SignatureTempError = new FindingDescriptor(
            "Dkim.SignatureTempError", Severity.Warning,
            "The DKIM key lookup failed (SERVFAIL, timeout): the signature could not be checked now. This is not 'no key'.",
            "RFC 6376 §6.1.2",
            "Retry later, or check the signer's DNS servers.");

        /// <summary>rsa-sha1 signature.</summary>
        public static readonly FindingDescriptor Sha1Signature = new FindingDescriptor(
            "Dkim.Sha1Signature", Severity.Warning,
            "A DKIM signature uses rsa-sha1, which RFC 8301 forbids for signing and verifying; it is treated as failed.",
            "RFC 8301 §3.1",
            "Sign with rsa-sha256 (or ed25519-sha256).");

        /// <summary>RSA key under 1024 bits.</summary>
        public static readonly FindingDescriptor KeyTooShort = new FindingDescriptor(
            "Dkim.SignatureKeyTooShort", Severity.Warning,
            "A DKIM signature's RSA key is shorter than 1024 bits, which verifiers MUST NOT accept; the signature is treated as failed.",
            "RFC 8301 §3.2",
            "Publish and sign with an RSA key of at least 2048 bits (1024 at the very least).");

        /// <summary>Key in testing mode.</summary>
        public static readonly FindingDescriptor KeyTesting = new FindingDescriptor(
            "Dkim.KeyTestingMode", Severity.Info,
            "The signer's key record has t=y (testing): verifiers treat the message as unsigned whatever the result.",
            "RFC 6376 §3.6.1",
            "Remove t=y from the key record once signing works.");

        /// <summary>The message has no DKIM signature.</summary>
        public static readonly FindingDescriptor NoSignature = new FindingDescriptor(
            "Dkim.NoSignature", Severity.Info,
            "The message carries no DKIM-Signature field.",
            "RFC 6376 §3.5",
            "Sign outgoing mail with DKIM.");

        /// <summary>More DKIM signatures than are verified.</summary>
        public static readonly FindingDescriptor TooManySignatures = new FindingDescriptor(
            "Dkim.TooManySignatures", Severity.Info,
            "The message carries more DKIM-Signature fields than are verified per message; the rest were not checked (a bound against hostile input).",
            "RFC 6376 §6.1 (verifiers may limit the signatures they evaluate)",
            string.Empty);

        /// <summary>ARC chain failed.</summary>
        public static readonly FindingDescriptor ArcChainFailed = new FindingDescriptor(
            "Arc.ChainFailed", Severity.Warning,
            "The ARC chain does not validate (structure, the newest ARC-Message-Signature or an ARC-Seal failed); it must be treated as if there were no chain.",
            "RFC 8617 §5.2, §5.2.1",
            "If an intermediary of yours seals messages, check its keys and that nothing modifies the message after sealing.");

        /// <summary>ARC chain passed.</summary>
        public static readonly FindingDescriptor ArcChainPassed = new FindingDescriptor(
            "Arc.ChainPassed", Severity.Info,
            "The ARC chain validates: each sealer's view of the authentication results is intact.",
            "RFC 8617 §5.2",
            string.Empty);

        /// <summary>ARC chain could only be partly checked.</summary>
        public static readonly FindingDescriptor ArcNotVerified = new FindingDescriptor(
            "Arc.ChainNotVerified", Severity.Info,
            "The ARC chain's structure and seals were checked, but the newest ARC-Message-Signature covers the body, which was not given, so the chain result is not known.",
            "RFC 8617 §5.2 step 4",
            "Pass the complete message to validate the chain.");
    }
}
