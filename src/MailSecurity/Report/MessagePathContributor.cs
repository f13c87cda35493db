using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MailSecurity.Report
{
    /// <summary>Resolve-HopSecurity -Message: one analysed message with its cells, findings and hop table (messages have no domain row).</summary>
    internal sealed class MessagePathContributor : IReportContributor
    {
        /// <inheritdoc />
        public string TypeName => typeof(MessagePath).FullName!;

        /// <inheritdoc />
        public void Contribute(ReportSource r, ReportRows rows)
        {
            var id = rows.NextMessageId();
            var source = r.GetText("Source") ?? "Message";
            var findings = ReportFindingReader.Read(r, "Findings", "Resolve-HopSecurity").OrderByDescending(f => f.Severity).ToList();
            var encrypted = r.GetText("EncryptedAllHops");
            var weakestIndex = r.GetText("WeakestHopIndex");
            var worst = findings.Count == 0 ? (Severity?)null : findings.Max(f => f.Severity);
            var cells = new List<ReportCell>
            {
                new ReportCell("Hops", r.GetText("HopCount") ?? "?", ReportRating.Neutral, r.GetText("Path") ?? string.Empty),
                new ReportCell("All encrypted", encrypted is null ? "Unknown" : encrypted == "True" ? "Yes" : "No",
                    encrypted is null ? ReportRating.Neutral : encrypted == "True" ? ReportRating.Good : ReportRating.Error, "Every network hop states TLS (True), one does not (False), or a hop does not say."),
                new ReportCell("Weakest hop", weakestIndex is null ? string.Empty : $"{weakestIndex}: {r.GetText("WeakestTls")}", ReportRating.Neutral, "The hop with the least protection."),
                AuthCell("SPF", r.GetText("SpfResult")),
                AuthCell("DMARC", r.GetText("DmarcResult")),
                AuthCell("DKIM", ReportText.EnumText<DkimResult>(r.GetText("DkimVerified"))),
                AuthCell("ARC", ReportText.EnumText<ArcResult>(r.GetText("ArcVerified"))),
                ReportCells.WorstCell(worst, findings.Count),
            };

            var hopRows = new List<IReadOnlyList<ReportCell>>();
            foreach (var hop in r.GetObjects("Hops"))
            {
                var tls = ReportText.EnumText<HopTls>(hop.GetText("Tls"));
                hopRows.Add(new[]
                {
                    ReportCells.Plain("#", hop.GetText("Index")), ReportCells.Plain("From", hop.GetText("From")), ReportCells.Plain("Address", hop.GetText("FromAddress")), ReportCells.Plain("By", hop.GetText("By")),
                    ReportCells.Plain("With", hop.GetText("With")),
                    new ReportCell("TLS", tls ?? string.Empty, tls == "Encrypted" ? ReportRating.Good : tls == "Cleartext" ? ReportRating.Error : ReportRating.Neutral, hop.GetText("TlsEvidence") ?? string.Empty),
                    ReportCells.Plain("Version", ReportText.Join(" ", hop.GetText("TlsVersion"), hop.GetText("Cipher"))), ReportCells.Plain("Auth", hop.GetText("Authenticated")),
                    ReportCells.Plain("Time", hop.GetText("Timestamp")), ReportCells.Plain("Delay", hop.GetText("Delay")),
                });
            }

            var items = new List<ReportEvidenceItem>();
            ReportCells.Item(items, "Subject", r.GetText("Subject"));
            ReportCells.Item(items, "From", r.GetText("HeaderFrom"));
            ReportCells.Item(items, "Message-ID", r.GetText("MessageId"));
            ReportCells.Item(items, "Date", r.GetText("Date"));
            ReportCells.Item(items, "Transit time", r.GetText("TransitTime"));
            var table = hopRows.Count == 0 ? null : new ReportTable(new[] { "#", "From", "Address", "By", "With", "TLS", "Version", "Auth", "Time", "Delay" }, hopRows);
            rows.AddMessage(new ReportMessage(id, source, cells, findings, new[] { new ReportEvidence("Hops (oldest first)", items, table) }));
        }

        private static ReportCell AuthCell(string column, string? result)
        {
            var r = (result ?? string.Empty).ToLowerInvariant();
            var rating = r switch
            {
                "pass" => ReportRating.Good,
                "fail" => ReportRating.Error,
                "permerror" => ReportRating.Error,
                "" => ReportRating.Neutral,
                "none" => ReportRating.Neutral,
                _ => ReportRating.Warning,
            };
            return new ReportCell(column, result ?? string.Empty, rating, column + " result trusted from Authentication-Results or verified.");
        }
    }
}
