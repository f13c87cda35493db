namespace MailSecurity.Dkim
{
    /// <summary>Finding codes about the DKIM signatures of a message, verified here (RFC 6376, RFC 8301, RFC 8463).</summary>
    internal static class DkimSignatureFindings
    {
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
        public static readonly FindingDescriptor SignatureKeyTooShort = new FindingDescriptor(
            "Dkim.SignatureKeyTooShort", Severity.Warning,
            "A DKIM signature's RSA key is shorter than 1024 bits, which verifiers MUST NOT accept; the signature is treated as failed.",
            "RFC 8301 §3.2",
            "Publish and sign with an RSA key of at least 2048 bits (1024 at the very least).");

        /// <summary>Key in testing mode.</summary>
        public static readonly FindingDescriptor KeyTestingMode = new FindingDescriptor(
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
    }
}
