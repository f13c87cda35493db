using System;
using System.Collections.Generic;

namespace MailSecurity.Report
{
    /// <summary>The values of a <see cref="ReportEntry"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class ReportEntryBuilder
    {
        public string Id = string.Empty;
        public string Name = string.Empty;
        public ReportEntryKind Kind;
        public IReadOnlyList<ReportCell> Cells = Array.Empty<ReportCell>();
        public IReadOnlyList<ReportFinding> Findings = Array.Empty<ReportFinding>();
        public IReadOnlyList<ReportEvidence> Evidence = Array.Empty<ReportEvidence>();
        public HopSecurityLevel? WeakestLevel;
        public int ResultCount;
    }
}
