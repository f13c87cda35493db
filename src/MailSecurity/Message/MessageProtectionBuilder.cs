using System;
using System.Collections.Generic;

namespace MailSecurity.Message
{
    /// <summary>The values of a <see cref="MessageProtection"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class MessageProtectionBuilder
    {
        public ContentProtectionFormat SignatureFormat;
        public ContentProtectionFormat EncryptionFormat;
        public bool? Signed;
        public bool Encrypted;
        public string? Structure;
        public bool WholeMessage;
        public IReadOnlyList<ContentSignature> Signatures = Array.Empty<ContentSignature>();
        public string? EncryptionAlgorithm;
        public IReadOnlyList<string> Recipients = Array.Empty<string>();
    }
}
