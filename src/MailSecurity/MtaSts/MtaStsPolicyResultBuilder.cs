using System;
using System.Collections.Generic;

namespace MailSecurity.MtaSts
{
    /// <summary>The values of a <see cref="MtaStsPolicyResult"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class MtaStsPolicyResultBuilder
    {
        public string Domain = string.Empty;
        public MtaStsStatus Status;
        public MtaStsTxtRecord Discovery = null!;
        public MtaStsPolicyFetch? Fetch;
        public MtaStsPolicy? Policy;
        public bool MxChecked;
        public IReadOnlyList<MtaStsMxResult> MxResults = Array.Empty<MtaStsMxResult>();
        public TlsRptRecord TlsRpt = null!;
        public IReadOnlyList<Finding> Drift = Array.Empty<Finding>();
        public IReadOnlyList<Finding> Findings = Array.Empty<Finding>();
        public DateTimeOffset CheckedAt;
    }
}
