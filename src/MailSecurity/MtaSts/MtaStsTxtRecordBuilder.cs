using System;
using System.Collections.Generic;
using MailSecurity.Dns;

namespace MailSecurity.MtaSts
{
    /// <summary>The values of a <see cref="MtaStsTxtRecord"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class MtaStsTxtRecordBuilder
    {
        public string Domain = string.Empty;
        public MtaStsTxtStatus Status;
        public DnsLookupStatus LookupStatus;
        public IReadOnlyList<string> Records = Array.Empty<string>();
        public IReadOnlyList<string> StsRecords = Array.Empty<string>();
        public string? Record;
        public string? Id;
        public IReadOnlyDictionary<string, string> Extensions = null!;
        public IReadOnlyList<string> CnameChain = Array.Empty<string>();
        public DnssecStatus DnssecStatus;
        public string? Error;
        public IReadOnlyList<Finding> Findings = Array.Empty<Finding>();
    }
}
