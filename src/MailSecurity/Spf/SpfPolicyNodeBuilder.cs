using System;
using System.Collections.Generic;

namespace MailSecurity.Spf
{
    /// <summary>The values of a <see cref="SpfPolicyNode"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class SpfPolicyNodeBuilder
    {
        public string Domain = string.Empty;
        public string Via = string.Empty;
        public int Depth;
        public string? Parent;
        public SpfVerdict Status;
        public string? Record;
        public IReadOnlyList<SpfTerm> Terms = Array.Empty<SpfTerm>();
        public int DnsLookupTerms;
        public int VoidLookups;
        public string? Error;
    }
}
