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
            var entry = rows.Row(r.GetText(nameof(SpfCheckResult.Domain)));
            entry.ResultCount++;
            var ip = r.GetText(nameof(SpfCheckResult.IPAddress)) ?? "?";
            var source = "Test-SpfRecord " + ip;
            var findings = ReportFindingReader.Read(r, nameof(SpfCheckResult.Findings), source);
            entry.AddFindings(findings);
            var result = ReportText.EnumText<SpfResult>(r.GetText(nameof(SpfCheckResult.Result))) ?? "?";
            entry.Add(ReportCheck.Spf, $"{result} for {ip}", r.GetText(nameof(SpfCheckResult.Reason)) ?? result, ReportFindingReader.For(findings, ReportCheck.Spf), absent: true, secondary: true);
            var items = new List<ReportEvidenceItem>();
            ReportCells.Item(items, "Result", result);
            ReportCells.Item(items, "Reason", r.GetText(nameof(SpfCheckResult.Reason)));
            ReportCells.Item(items, "Sender", r.GetText(nameof(SpfCheckResult.Sender)));
            ReportCells.Item(items, "HELO name", r.GetText(nameof(SpfCheckResult.HeloName)));
            ReportCells.Item(items, "Matched mechanism", r.GetText(nameof(SpfCheckResult.MatchedMechanism)));
            ReportCells.Item(items, "Explanation", r.GetText(nameof(SpfCheckResult.Explanation)));
            ReportCells.Item(items, "DNS lookups / void lookups", ReportText.Join(" / ", r.GetText(nameof(SpfCheckResult.DnsLookupCount)), r.GetText(nameof(SpfCheckResult.VoidLookupCount))));
            ReportCells.Item(items, "Record", r.GetText(nameof(SpfCheckResult.Record)), preformatted: true);
            // One indented step per line (TraceText is the one-line CSV form).
            var trace = r.GetTexts(nameof(SpfCheckResult.Trace));
            ReportCells.Item(items, "Trace", trace.Count > 0 ? string.Join("\n", trace) : r.GetText(nameof(SpfCheckResult.TraceText)), preformatted: true);
            entry.Evidence.Add(new ReportEvidence(source, items));
        }
    }
}
