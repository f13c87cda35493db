using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using MailSecurity.Message;

namespace MailSecurity
{
    /// <summary>The end-to-end format that protects a message's content (draft-ietf-emailcore-as §6.2 and §6.4, SPEC §9).</summary>
    public enum ContentProtectionFormat
    {
        /// <summary>No message-level protection.</summary>
        None,

        /// <summary>S/MIME (RFC 8551): multipart/signed with application/pkcs7-signature, or application/pkcs7-mime.</summary>
        SMime,

        /// <summary>OpenPGP: PGP/MIME (RFC 3156, multipart/signed or multipart/encrypted) or an inline armored block.</summary>
        OpenPgp,
    }

    /// <summary>The verdict on one content signature.</summary>
    public enum ContentSignatureResult
    {
        /// <summary>The signature verifies over the content and the signer's certificate validates (PKIX, e-mail protection).</summary>
        Pass,

        /// <summary>The signature does not verify: the signed content was changed, or the signature is corrupt.</summary>
        Fail,

        /// <summary>The signature verifies, but the signer's certificate does not validate (untrusted, expired, wrong usage...).</summary>
        CertificateInvalid,

        /// <summary>
        /// Not verified here: only the header block was given, verification was switched off, the signer's key is not in the
        /// message (OpenPGP signatures always: no key ring is consulted), or the signature is inside an encrypted part.
        /// </summary>
        NotVerified,

        /// <summary>The signature structure cannot be read (a malformed CMS or OpenPGP packet).</summary>
        PermError,
    }

    /// <summary>
    /// One signature over a message's content: who signed, with which algorithms, whether it verifies and whether the
    /// signer's certificate validates. For S/MIME the signer is the certificate subject; for OpenPGP, the key id.
    /// </summary>
    public sealed class ContentSignature
    {
        private readonly byte[]? _certificate;

        /// <summary>Creates the result.</summary>
        internal ContentSignature(ContentSignatureBuilder b)
        {
            Format = b.Format;
            Result = b.Result;
            Reason = b.Reason;
            SignatureValid = b.SignatureValid;
            CertificateValid = b.CertificateValid;
            CertificateProblems = b.CertificateProblems;
            CertificateReasons = ValueList.From(b.CertificateReasons);
            Signer = b.Signer;
            SignerAddresses = ValueList.From(b.SignerAddresses);
            SignerMatchesSender = b.SignerMatchesSender;
            Issuer = b.Issuer;
            SerialNumber = b.SerialNumber;
            Thumbprint = b.Thumbprint;
            NotBefore = b.NotBefore;
            NotAfter = b.NotAfter;
            DigestAlgorithm = b.DigestAlgorithm;
            KeyAlgorithm = b.KeyAlgorithm;
            KeySize = b.KeySize;
            SigningTime = b.SigningTime;
            KeyId = b.KeyId;
            _certificate = b.Certificate;
        }

        /// <summary>S/MIME or OpenPGP.</summary>
        public ContentProtectionFormat Format { get; }

        /// <summary>The verdict.</summary>
        public ContentSignatureResult Result { get; }

        /// <summary>The verdict in one sentence.</summary>
        public string Reason { get; }

        /// <summary>True when the signature verifies over the content; <c>null</c> when it was not checked.</summary>
        public bool? SignatureValid { get; }

        /// <summary>True when the signer's certificate validates for e-mail protection; <c>null</c> when not checked (OpenPGP, no certificate).</summary>
        public bool? CertificateValid { get; }

        /// <summary>What is wrong with the signer's certificate chain (None when it validates or was not checked).</summary>
        public CertificateProblems CertificateProblems { get; }

        /// <summary>The certificate problems in words.</summary>
        public IReadOnlyList<string> CertificateReasons { get; }

        /// <summary>The signer: the certificate subject (S/MIME), or the user id when known (OpenPGP).</summary>
        public string? Signer { get; }

        /// <summary>The e-mail addresses the signer's certificate names (subjectAltName rfc822Name, and the legacy emailAddress attribute).</summary>
        public IReadOnlyList<string> SignerAddresses { get; }

        /// <summary>
        /// True when an address of the certificate is the From or Sender address (RFC 8550 §3); <c>null</c> when the
        /// certificate names no address or there is no certificate.
        /// </summary>
        public bool? SignerMatchesSender { get; }

        /// <summary>The issuer of the signer's certificate.</summary>
        public string? Issuer { get; }

        /// <summary>The serial number of the signer's certificate (hex).</summary>
        public string? SerialNumber { get; }

        /// <summary>The SHA-1 thumbprint of the signer's certificate (hex, as Windows shows it).</summary>
        public string? Thumbprint { get; }

        /// <summary>The start of the certificate's validity.</summary>
        public DateTimeOffset? NotBefore { get; }

        /// <summary>The end of the certificate's validity.</summary>
        public DateTimeOffset? NotAfter { get; }

        /// <summary>The digest algorithm of the signature (<c>SHA-256</c>...).</summary>
        public string? DigestAlgorithm { get; }

        /// <summary>The signer's key algorithm (<c>RSA</c>, <c>ECDSA P-256</c>, <c>Ed25519</c>...).</summary>
        public string? KeyAlgorithm { get; }

        /// <summary>The signer's key size in bits.</summary>
        public int? KeySize { get; }

        /// <summary>The signing time the signer claims (CMS signingTime attribute, or the OpenPGP signature creation time).</summary>
        public DateTimeOffset? SigningTime { get; }

        /// <summary>The OpenPGP key id of the signing key (16 hex digits); <c>null</c> for S/MIME.</summary>
        public string? KeyId { get; }

        /// <summary>The signer's certificate (S/MIME), or <c>null</c>. A method, so that JSON and CSV exports stay flat.</summary>
        public X509Certificate2? GetSignerCertificate() => _certificate is null ? null : new X509Certificate2(_certificate);

        /// <inheritdoc />
        public override string ToString() => $"{Format} {Result}: {Signer ?? KeyId ?? "?"}";
    }

    /// <summary>
    /// What protects the message's content end to end, beyond the hops: whether it is signed and/or encrypted with
    /// S/MIME or OpenPGP, how (the MIME structure), and the signatures verified here (draft-ietf-emailcore-as §6.2, §6.4).
    /// </summary>
    public sealed class MessageProtection
    {
        /// <summary>No message-level protection.</summary>
        public static readonly MessageProtection Unprotected = new MessageProtection(new MessageProtectionBuilder
        {
            SignatureFormat = ContentProtectionFormat.None,
            EncryptionFormat = ContentProtectionFormat.None,
            Signed = false,
            WholeMessage = true,
        });

        /// <summary>Creates the result.</summary>
        internal MessageProtection(MessageProtectionBuilder b)
        {
            SignatureFormat = b.SignatureFormat;
            EncryptionFormat = b.EncryptionFormat;
            Signed = b.Signed;
            Encrypted = b.Encrypted;
            Structure = b.Structure;
            WholeMessage = b.WholeMessage;
            Signatures = ValueList.From(b.Signatures);
            EncryptionAlgorithm = b.EncryptionAlgorithm;
            Recipients = ValueList.From(b.Recipients);
        }

        /// <summary>The format of the signature (None when unsigned).</summary>
        public ContentProtectionFormat SignatureFormat { get; }

        /// <summary>The format of the encryption (None when not encrypted).</summary>
        public ContentProtectionFormat EncryptionFormat { get; }

        /// <summary>True when the content is signed; <c>null</c> when it is encrypted and a signature may hide inside.</summary>
        public bool? Signed { get; }

        /// <summary>True when the content is encrypted.</summary>
        public bool Encrypted { get; }

        /// <summary>The protecting MIME structure, such as <c>multipart/signed; protocol=application/pkcs7-signature</c>.</summary>
        public string? Structure { get; }

        /// <summary>
        /// False when the protected part sits inside a multipart/mixed with other parts (a mailing list footer, for
        /// example): those parts are not covered.
        /// </summary>
        public bool WholeMessage { get; }

        /// <summary>The content signatures.</summary>
        public IReadOnlyList<ContentSignature> Signatures { get; }

        /// <summary>The content encryption algorithm (<c>AES-256-CBC</c>...), when the encrypted part names it (S/MIME).</summary>
        public string? EncryptionAlgorithm { get; }

        /// <summary>Who the content is encrypted for: certificate issuer and serial (S/MIME) or key ids (OpenPGP).</summary>
        public IReadOnlyList<string> Recipients { get; }

        /// <summary>The verdict of the first signature; <c>null</c> when there is none.</summary>
        public ContentSignatureResult? SignatureResult => Signatures.Count == 0 ? (ContentSignatureResult?)null : Signatures[0].Result;

        /// <summary>The protection in a few words: <c>S/MIME signed (Pass)</c>, <c>OpenPGP encrypted</c>, <c>none</c>.</summary>
        public string Summary
        {
            get
            {
                var parts = new List<string>();
                if (Signed == true)
                {
                    parts.Add($"{Name(SignatureFormat)} signed{(SignatureResult is null ? string.Empty : $" ({SignatureResult})")}");
                }

                if (Encrypted)
                {
                    parts.Add($"{Name(EncryptionFormat)} encrypted");
                }

                var text = parts.Count == 0 ? "none" : string.Join(", ", parts);
                return WholeMessage || parts.Count == 0 ? text : text + ", part of the message only";
            }
        }

        /// <inheritdoc />
        public override string ToString() => Summary;

        /// <summary>The same protection, of one part of the message only.</summary>
        internal MessageProtection AsPart()
            => new MessageProtection(new MessageProtectionBuilder
            {
                SignatureFormat = SignatureFormat,
                EncryptionFormat = EncryptionFormat,
                Signed = Signed,
                Encrypted = Encrypted,
                Structure = Structure,
                Signatures = Signatures,
                EncryptionAlgorithm = EncryptionAlgorithm,
                Recipients = Recipients,
            });

        private static string Name(ContentProtectionFormat f) => f == ContentProtectionFormat.SMime ? "S/MIME" : f == ContentProtectionFormat.OpenPgp ? "OpenPGP" : "unknown";
    }
}
