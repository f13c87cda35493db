using System;
using System.Collections.Generic;

namespace MailSecurity.Spf
{
    /// <summary>The values of a <see cref="SpfPolicy"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class SpfPolicyBuilder
    {
        public string Domain = string.Empty;
        public SpfVerdict Verdict;
        public string? Record;
        public IReadOnlyList<string> Records = Array.Empty<string>();
        public IReadOnlyList<SpfTerm> Terms = Array.Empty<SpfTerm>();
        public IReadOnlyList<SpfPolicyNode> Tree = Array.Empty<SpfPolicyNode>();
        public int DnsLookupCount;
        public int VoidLookupCount;
        public IReadOnlyList<Finding> Findings = Array.Empty<Finding>();
    }
}
