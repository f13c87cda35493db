using System;
using System.Collections.Generic;
using MailSecurity.Dns;

namespace MailSecurity.TlsRpt
{
    /// <summary>The values of a <see cref="TlsRptRecord"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class TlsRptRecordBuilder
    {
        public string Domain = string.Empty;
        public TlsRptStatus Status;
        public IReadOnlyList<string> Records = Array.Empty<string>();
        public string? Record;
        public IReadOnlyList<TlsRptReportUri> ReportUris = Array.Empty<TlsRptReportUri>();
        public IReadOnlyDictionary<string, string> Extensions = null!;
        public IReadOnlyList<string> CnameChain = Array.Empty<string>();
        public DnssecStatus DnssecStatus;
        public IReadOnlyList<Finding> Findings = Array.Empty<Finding>();
    }
}
