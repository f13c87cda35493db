using System;
using System.Collections.Generic;

namespace MailSecurity.Message
{
    /// <summary>The values of a <see cref="AuthMethodResult"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class AuthMethodResultBuilder
    {
        public string Method = string.Empty;
        public int? Version;
        public string Result = string.Empty;
        public string? Reason;
        public string? Comment;
        public string? Action;
        public bool Recognized;
        public IReadOnlyList<AuthResultProperty> Properties = Array.Empty<AuthResultProperty>();
    }
}
