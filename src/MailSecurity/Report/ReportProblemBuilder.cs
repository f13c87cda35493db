using System;
using System.Collections.Generic;

namespace MailSecurity.Report
{
    /// <summary>The values of a <see cref="ReportProblem"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class ReportProblemBuilder
    {
        public string Code = string.Empty;
        public Severity Severity;
        public string Meaning = string.Empty;
        public string Remedy = string.Empty;
        public string Reference = string.Empty;
        public IReadOnlyList<ReportEntry> Entries = Array.Empty<ReportEntry>();
        public int MessageCount;
        public string Example = string.Empty;
    }
}
