using System;
using System.Collections.Generic;
using MailSecurity.Dns;

namespace MailSecurity.Bimi
{
    /// <summary>The values of a <see cref="BimiRecord"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class BimiRecordBuilder
    {
        public string Domain = string.Empty;
        public string Selector = string.Empty;
        public string RecordDomain = string.Empty;
        public BimiStatus Status;
        public IReadOnlyList<string> Records = Array.Empty<string>();
        public string? Record;
        public string? LogoUri;
        public string? EvidenceUri;
        public IReadOnlyList<string> LocalPartSelectors = Array.Empty<string>();
        public string AvatarPreference = string.Empty;
        public IReadOnlyList<string> CnameChain = Array.Empty<string>();
        public DnssecStatus DnssecStatus;
        public IReadOnlyList<Finding> Findings = Array.Empty<Finding>();
    }
}
