using System;
using System.Collections.Generic;

namespace MailSecurity.Dkim
{
    /// <summary>The values of a <see cref="DkimSignatureCheck"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class DkimSignatureCheckBuilder
    {
        public int Position;
        public string? Domain;
        public string? Selector;
        public string? Algorithm;
        public string? Identity;
        public string? Canonicalization;
        public IReadOnlyList<string> SignedHeaders = Array.Empty<string>();
        public DkimResult Result;
        public string Reason = string.Empty;
        public int? KeyBits;
        public string? KeyRecord;
        public bool? BodyHashVerified;
        public bool? HeaderSignatureVerified;
        public bool KeyTesting;
        public string Raw = string.Empty;
    }
}
