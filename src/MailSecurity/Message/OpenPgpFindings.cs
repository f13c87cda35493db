namespace MailSecurity.Message
{
    /// <summary>
    /// Finding codes about OpenPGP protection of a message (RFC 3156, RFC 9580).
    /// </summary>
    internal static class OpenPgpFindings
    {
        /// <summary>A PGP/MIME or inline OpenPGP signature.</summary>
        public static readonly FindingDescriptor Signed = new FindingDescriptor(
            "OpenPgp.Signed", Severity.Info,
            "The message is signed with OpenPGP; the signing key id and algorithms are reported, but the signature is not verified (no OpenPGP key ring is consulted).",
            "RFC 3156 §5; RFC 9580 §5.2",
            "Verify it with the sender's public key in an OpenPGP client.");

        /// <summary>OpenPGP-encrypted content.</summary>
        public static readonly FindingDescriptor Encrypted = new FindingDescriptor(
            "OpenPgp.Encrypted", Severity.Info,
            "The message content is encrypted with OpenPGP; only the holders of the recipient keys can read it.",
            "RFC 3156 §4; RFC 9580 §5.1",
            string.Empty);

        /// <summary>The OpenPGP part cannot be read.</summary>
        public static readonly FindingDescriptor Malformed = new FindingDescriptor(
            "OpenPgp.Malformed", Severity.Error,
            "The OpenPGP part holds no readable signature or encrypted-data packets.",
            "RFC 3156; RFC 9580 §4",
            "Ask the sender for the original message; a gateway or list that rewrote the part (recoded or cut its armor) breaks the packets.");
    }
}
