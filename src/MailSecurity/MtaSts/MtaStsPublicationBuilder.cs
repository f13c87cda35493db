using System;
using System.Collections.Generic;

namespace MailSecurity.MtaSts
{
    /// <summary>The values of a <see cref="MtaStsPublication"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class MtaStsPublicationBuilder
    {
        public string Domain = string.Empty;
        public MtaStsStatus Status;
        public MtaStsTxtRecord Discovery = null!;
        public MtaStsPolicyFetch? Fetch;
        public MtaStsPolicy? Policy;
        public IReadOnlyList<Finding> Findings = Array.Empty<Finding>();
        public TlsRptRecord TlsRpt = null!;
        public DateTimeOffset CheckedAt;
    }
}
