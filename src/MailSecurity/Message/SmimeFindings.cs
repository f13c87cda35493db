namespace MailSecurity.Message
{
    /// <summary>
    /// Finding codes about S/MIME protection of a message (RFC 8551, RFC 8550): the end-to-end half of a message's
    /// security (draft-ietf-emailcore-as §6.2 and §6.4).
    /// </summary>
    internal static class SmimeFindings
    {
        /// <summary>An S/MIME signature verifies and its signer's certificate validates.</summary>
        public static readonly FindingDescriptor SignatureValid = new FindingDescriptor(
            "Smime.SignatureValid", Severity.Info,
            "The message is signed with S/MIME: the signature verifies over the content and the signer's certificate validates for e-mail protection.",
            "RFC 8551 §3.5; RFC 8550 §4",
            string.Empty);

        /// <summary>An S/MIME signature does not verify.</summary>
        public static readonly FindingDescriptor SignatureInvalid = new FindingDescriptor(
            "Smime.SignatureInvalid", Severity.Error,
            "The S/MIME signature does not verify: the signed content was changed after signing (a gateway that rewrites bodies or adds footers inside the signed part does this), or the signature is corrupt.",
            "RFC 8551 §3.5; RFC 5652 §5.6",
            "Find the hop that changed the content; do not trust the signed content of this copy.");

        /// <summary>The signature verifies but the signer's certificate does not validate.</summary>
        public static readonly FindingDescriptor CertificateInvalid = new FindingDescriptor(
            "Smime.CertificateInvalid", Severity.Warning,
            "The S/MIME signature verifies, but the signer's certificate does not validate for e-mail protection (untrusted issuer, expired, missing intermediate, or not issued for e-mail).",
            "RFC 8550 §4; RFC 5280 §6",
            "The signer should use a certificate from a CA the recipients trust, with the emailProtection usage, and send its intermediates.");

        /// <summary>The certificate names addresses, none of them the From or Sender address.</summary>
        public static readonly FindingDescriptor SignerNotSender = new FindingDescriptor(
            "Smime.SignerNotSender", Severity.Warning,
            "No e-mail address of the signer's certificate is the From or Sender address, so the signature does not vouch for the visible author.",
            "RFC 8550 §3",
            "Sign with a certificate issued for the address in From.");

        /// <summary>An algorithm below the current S/MIME floor.</summary>
        public static readonly FindingDescriptor WeakAlgorithm = new FindingDescriptor(
            "Smime.WeakAlgorithm", Severity.Warning,
            "The message uses an algorithm S/MIME 4.0 no longer considers safe: an MD5 or SHA-1 digest, an RSA or DSA key under 2048 bits, or DES, triple DES or RC2 content encryption.",
            "RFC 8551 §2.1, §2.7, §6",
            "Sign with SHA-256 and a key of at least 2048 bits (RSA) or P-256 (ECDSA); encrypt with AES (CBC or GCM).");

        /// <summary>The content is S/MIME-encrypted.</summary>
        public static readonly FindingDescriptor Encrypted = new FindingDescriptor(
            "Smime.Encrypted", Severity.Info,
            "The message content is encrypted with S/MIME (enveloped or authEnveloped data); only its recipients can read it, and a signature inside it cannot be checked here.",
            "RFC 8551 §3.3; RFC 5083",
            string.Empty);

        /// <summary>The S/MIME part cannot be read.</summary>
        public static readonly FindingDescriptor Malformed = new FindingDescriptor(
            "Smime.Malformed", Severity.Error,
            "The S/MIME part is not a readable CMS structure, so its signature or encryption cannot be assessed.",
            "RFC 8551 §3; RFC 5652",
            "Ask the sender for the original message; a gateway or list that rewrote the part (recoded its transfer encoding, cut it) breaks the structure.");

        /// <summary>A signature that was not verified.</summary>
        public static readonly FindingDescriptor NotVerified = new FindingDescriptor(
            "Smime.NotVerified", Severity.Info,
            "The message is S/MIME-signed, but the signature was not verified here (only the header block was given, verification was switched off, or the signer's certificate is not in the message).",
            "RFC 8551 §3.5",
            "Pass the complete message (.eml) to verify the signature.");
    }
}
