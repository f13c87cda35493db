using System;
using System.Collections.Generic;

namespace MailSecurity.Message
{
    /// <summary>The values of a <see cref="ContentSignature"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class ContentSignatureBuilder
    {
        public ContentProtectionFormat Format;
        public ContentSignatureResult Result;
        public string Reason = string.Empty;
        public bool? SignatureValid;
        public bool? CertificateValid;
        public CertificateProblems CertificateProblems;
        public IReadOnlyList<string> CertificateReasons = Array.Empty<string>();
        public string? Signer;
        public IReadOnlyList<string> SignerAddresses = Array.Empty<string>();
        public bool? SignerMatchesSender;
        public string? Issuer;
        public string? SerialNumber;
        public string? Thumbprint;
        public DateTimeOffset? NotBefore;
        public DateTimeOffset? NotAfter;
        public string? DigestAlgorithm;
        public string? KeyAlgorithm;
        public int? KeySize;
        public DateTimeOffset? SigningTime;
        public string? KeyId;
        public byte[]? Certificate;
    }
}
