using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MailSecurity.Dns;
using MailSecurity.Mx;
using MailSecurity.Smtp;
using MailSecurity.TlsRpt;

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
