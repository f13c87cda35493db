using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using System.Linq;

namespace MailSecurity.Report
{
    /// <summary>Findings of a result as the report reads them, also from a shallow file where a finding is only its text.</summary>
    internal static class ReportFindingReader
    {
        // "[Severity] Code: Message": Finding.ToString(), which is what a finding becomes when a file was written with too little depth.
        private static readonly Regex FindingText = new Regex(@"^\[(?<sev>[A-Za-z]+)\]\s+(?<code>[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)+):\s?(?<msg>.*)$", RegexOptions.Singleline | RegexOptions.CultureInvariant);

        /// <summary>The findings of a list property; items that lost their structure in a shallow file are read from their text.</summary>
        internal static List<ReportFinding> Read(ReportSource owner, string property, string source)
        {
            var list = new List<ReportFinding>();
            foreach (var item in owner.GetObjects(property))
            {
                var f = Parse(item, source);
                if (f != null)
                {
                    list.Add(f);
                }
            }

            return list;
        }

        /// <summary>One finding, from its properties or, when a shallow file kept only its text, from <c>[Severity] Code: Message</c>.</summary>
        internal static ReportFinding? Parse(ReportSource item, string source)
        {
            var code = item.GetText("Code");
            string? severityText;
            string? message;
            if (string.IsNullOrEmpty(code))
            {
                var m = FindingText.Match(item.Display ?? string.Empty);
                if (!m.Success)
                {
                    return null;
                }

                code = m.Groups["code"].Value;
                severityText = m.Groups["sev"].Value;
                message = m.Groups["msg"].Value;
            }
            else
            {
                severityText = item.GetText("Severity");
                message = item.GetText("Message");
            }

            var descriptor = FindingCatalog.Find(code!);
            var severity = ReportText.ParseEnum<Severity>(severityText) ?? descriptor?.Severity ?? Severity.Info;
            var reference = item.GetText("Reference");
            return new ReportFinding(code!, severity, message ?? string.Empty, item.GetText("Target") ?? string.Empty,
                string.IsNullOrEmpty(reference) ? descriptor?.Reference ?? string.Empty : reference!, FindingCatalog.ReportColumnOf(code!), source);
        }

        /// <summary>The findings whose report column is <paramref name="check"/>.</summary>
        internal static IEnumerable<ReportFinding> For(IEnumerable<ReportFinding> findings, ReportCheck check) => findings.Where(f => f.Check == check);
    }
}
