using System;
using System.Collections.Generic;

namespace MailSecurity.Spf
{
    /// <summary>The values of a <see cref="SpfCheckResult"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class SpfCheckResultBuilder
    {
        public string Domain = string.Empty;
        public string IPAddress = string.Empty;
        public string Sender = string.Empty;
        public string? HeloName;
        public SpfResult Result;
        public string Reason = string.Empty;
        public string? MatchedMechanism;
        public string? MatchedDomain;
        public string? Explanation;
        public int DnsLookupCount;
        public int VoidLookupCount;
        public IReadOnlyList<SpfTraceStep> Trace = Array.Empty<SpfTraceStep>();
        public string? Record;
        public IReadOnlyList<Finding> Findings = Array.Empty<Finding>();
    }
}
