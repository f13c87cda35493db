using System;
using System.Collections.Generic;

namespace MailSecurity.Message
{
    /// <summary>The values of a <see cref="AuthResultsHeader"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class AuthResultsHeaderBuilder
    {
        public int Position;
        public string? AuthServId;
        public int? Version;
        public bool Parsed;
        public IReadOnlyList<AuthMethodResult> Results = Array.Empty<AuthMethodResult>();
        public int? AddedAtHop;
        public bool Trusted;
        public string Raw = string.Empty;
    }
}
