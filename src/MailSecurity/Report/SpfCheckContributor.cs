using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MailSecurity.Report
{
    /// <summary>Test-SpfRecord: what the SPF check of one address adds to the domain's SPF cell, and its trace.</summary>
    internal sealed class SpfCheckContributor : IReportContributor
    {
        /// <inheritdoc />
        public string TypeName => typeof(SpfCheckResult).FullName!;

        /// <inheritdoc />
        public void Contribute(ReportSource r, ReportRows rows)
        {
            var entry = rows.Row(r.GetText("Domain"));
            entry.ResultCount++;
            var ip = r.GetText("IPAddress") ?? "?";
            var source = "Test-SpfRecord " + ip;
            var findings = ReportFindingReader.Read(r, "Findings", source);
            entry.AddFindings(findings);
            var result = ReportText.EnumText<SpfResult>(r.GetText("Result")) ?? "?";
            entry.Add(ReportCheck.Spf, $"{result} for {ip}", r.GetText("Reason") ?? result, ReportFindingReader.For(findings, ReportCheck.Spf), absent: true, secondary: true);
            var items = new List<ReportEvidenceItem>();
            ReportCells.Item(items, "Result", result);
            ReportCells.Item(items, "Reason", r.GetText("Reason"));
            ReportCells.Item(items, "Sender", r.GetText("Sender"));
            ReportCells.Item(items, "HELO name", r.GetText("HeloName"));
            ReportCells.Item(items, "Matched mechanism", r.GetText("MatchedMechanism"));
            ReportCells.Item(items, "Explanation", r.GetText("Explanation"));
            ReportCells.Item(items, "DNS lookups / void lookups", ReportText.Join(" / ", r.GetText("DnsLookupCount"), r.GetText("VoidLookupCount")));
            ReportCells.Item(items, "Record", r.GetText("Record"), preformatted: true);
            // One indented step per line (TraceText is the one-line CSV form).
            var trace = r.GetTexts("Trace");
            ReportCells.Item(items, "Trace", trace.Count > 0 ? string.Join("\n", trace) : r.GetText("TraceText"), preformatted: true);
            entry.Evidence.Add(new ReportEvidence(source, items));
        }
    }
}
