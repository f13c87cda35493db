using System;
using System.Collections.Generic;

namespace MailSecurity.MailAuth
{
    /// <summary>The values of a <see cref="MailAuthReport"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class MailAuthReportBuilder
    {
        public string Domain = string.Empty;
        public MxRecordSet Mx = null!;
        public IReadOnlyList<MxTargetCheck> MxTargets = Array.Empty<MxTargetCheck>();
        public SpfPolicy Spf = null!;
        public DmarcPolicy Dmarc = null!;
        public DkimSummary Dkim = null!;
        public MtaStsTxtRecord MtaStsRecord = null!;
        public TlsRptRecord TlsRpt = null!;
        public BimiRecord Bimi = null!;
        public IReadOnlyList<Finding> Findings = Array.Empty<Finding>();
    }
}
