using System;
using System.Collections.Generic;
using MailSecurity.Dns;

namespace MailSecurity.Mx
{
    /// <summary>The values of a <see cref="MxRecordSet"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class MxRecordSetBuilder
    {
        public string Domain = string.Empty;
        public MxStatus Status;
        public IReadOnlyList<MxHost> Hosts = Array.Empty<MxHost>();
        public DnssecStatus DnssecStatus;
        public IReadOnlyList<string> Records = Array.Empty<string>();
        public IReadOnlyList<Finding> Findings = Array.Empty<Finding>();
        public string? Error;
        public DnsLookupStatus LookupStatus;
        public string? DnssecProbeFailure;
        public DnssecValidatedBy DnssecValidatedBy;
    }
}
