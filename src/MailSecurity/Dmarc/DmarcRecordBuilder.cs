using System;
using System.Collections.Generic;

namespace MailSecurity.Dmarc
{
    /// <summary>The values of a <see cref="DmarcRecord"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class DmarcRecordBuilder
    {
        public string Domain = string.Empty;
        public string Raw = string.Empty;
        public IReadOnlyList<DmarcTag> Tags = Array.Empty<DmarcTag>();
        public DmarcPolicyAction? Policy;
        public DmarcPolicyAction? SubdomainPolicy;
        public DmarcPolicyAction? NonExistentSubdomainPolicy;
        public bool HasPolicyTag;
        public IReadOnlyList<string> InvalidPolicyTags = Array.Empty<string>();
        public DmarcAlignmentMode DkimAlignment;
        public DmarcAlignmentMode SpfAlignment;
        public string FailureReportingOptions = string.Empty;
        public bool Testing;
        public DmarcPsdFlag Psd;
        public IReadOnlyList<string> AggregateReportUris = Array.Empty<string>();
        public IReadOnlyList<string> FailureReportUris = Array.Empty<string>();
        public bool HasValidAggregateReportUri;
        public int? Percentage;
        public IReadOnlyList<Finding> Findings = Array.Empty<Finding>();
    }
}
