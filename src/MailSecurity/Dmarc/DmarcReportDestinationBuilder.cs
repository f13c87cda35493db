using System;
using System.Collections.Generic;

namespace MailSecurity.Dmarc
{
    /// <summary>The values of a <see cref="DmarcReportDestination"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class DmarcReportDestinationBuilder
    {
        public DmarcReportKind Kind;
        public string Uri = string.Empty;
        public string? Scheme;
        public string? Host;
        public bool IsValid;
        public bool IsExternal;
        public DmarcDestinationAuthorization Authorization;
        public string? AuthorizationName;
        public string? AuthorizationRecord;
        public IReadOnlyList<string> OverrideUris = Array.Empty<string>();
        public string Detail = string.Empty;
    }
}
