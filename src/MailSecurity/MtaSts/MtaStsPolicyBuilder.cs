using System;
using System.Collections.Generic;

namespace MailSecurity.MtaSts
{
    /// <summary>The values of a <see cref="MtaStsPolicy"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class MtaStsPolicyBuilder
    {
        public string Text = string.Empty;
        public string? Version;
        public MtaStsMode? Mode;
        public string? ModeText;
        public long? MaxAgeSeconds;
        public IReadOnlyList<string> MxPatterns = Array.Empty<string>();
        public IReadOnlyDictionary<string, string> Extensions = null!;
        public bool UsesCrlf;
        public bool IsValid;
    }
}
