using System;
using System.Collections.Generic;
using MailSecurity.Dns;

namespace MailSecurity.Dkim
{
    /// <summary>The values of a <see cref="DkimKey"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class DkimKeyBuilder
    {
        public string Domain = string.Empty;
        public string Selector = string.Empty;
        public IReadOnlyList<string> CnameChain = Array.Empty<string>();
        public string CanonicalName = string.Empty;
        public DnssecStatus DnssecStatus;
        public string Raw = string.Empty;
        public string? Version;
        public string? KeyTypeTag;
        public DkimKeyType KeyType;
        public int? KeySize;
        public string? KeyEncoding;
        public string PublicKey = string.Empty;
        public IReadOnlyList<string> HashAlgorithms = Array.Empty<string>();
        public IReadOnlyList<string> ServiceTypes = Array.Empty<string>();
        public IReadOnlyList<string> Flags = Array.Empty<string>();
        public string? Notes;
        public DkimKeyStatus Status;
        public IReadOnlyList<Finding> Findings = Array.Empty<Finding>();
    }
}
