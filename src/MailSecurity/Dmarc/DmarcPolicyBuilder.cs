using System;
using System.Collections.Generic;

namespace MailSecurity.Dmarc
{
    /// <summary>The values of a <see cref="DmarcPolicy"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class DmarcPolicyBuilder
    {
        public string Domain = string.Empty;
        public DmarcStatus Status;
        public DmarcRecord? Record;
        public DmarcPolicySource Source;
        public string? PolicyDomain;
        public DmarcPolicyTag? AppliedTag;
        public DmarcPolicyAction? Policy;
        public DmarcPolicyAction? PolicyAfterTesting;
        public string PolicyReason = string.Empty;
        public string OrganizationalDomain = string.Empty;
        public string OrganizationalDomainReason = string.Empty;
        public bool? DomainExists;
        public IReadOnlyList<DmarcTreeWalkStep> TreeWalk = Array.Empty<DmarcTreeWalkStep>();
        public IReadOnlyList<DmarcReportDestination> ReportDestinations = Array.Empty<DmarcReportDestination>();
        public IReadOnlyList<Finding> Findings = Array.Empty<Finding>();
    }
}
