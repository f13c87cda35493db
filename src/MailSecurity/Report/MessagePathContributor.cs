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
            var source = r.GetText(nameof(MessagePath.Source)) ?? "Message";
            var findings = ReportFindingReader.Read(r, nameof(MessagePath.Findings), "Resolve-HopSecurity").OrderByDescending(f => f.Severity).ToList();
            var encrypted = r.GetText(nameof(MessagePath.EncryptedAllHops));
            var weakestIndex = r.GetText(nameof(MessagePath.WeakestHopIndex));
            var worst = findings.Count == 0 ? (Severity?)null : findings.Max(f => f.Severity);
            var cells = new List<ReportCell>
            {
                new ReportCell("Hops", r.GetText(nameof(MessagePath.HopCount)) ?? "?", ReportRating.Neutral, r.GetText(nameof(MessagePath.Path)) ?? string.Empty),
                new ReportCell("All encrypted", encrypted is null ? "Unknown" : encrypted == "True" ? "Yes" : "No",
                    encrypted is null ? ReportRating.Neutral : encrypted == "True" ? ReportRating.Good : ReportRating.Error, "Every network hop states TLS (True), one does not (False), or a hop does not say."),
                new ReportCell("Weakest hop", weakestIndex is null ? string.Empty : $"{weakestIndex}: {r.GetText(nameof(MessagePath.WeakestTls))}", ReportRating.Neutral, "The hop with the least protection."),
                AuthCell("SPF", r.GetText(nameof(MessagePath.SpfResult))),
                AuthCell("DMARC", r.GetText(nameof(MessagePath.DmarcResult))),
                AuthCell("DKIM", ReportText.EnumText<DkimResult>(r.GetText(nameof(MessagePath.DkimVerified)))),
                AuthCell("ARC", ReportText.EnumText<ArcResult>(r.GetText(nameof(MessagePath.ArcVerified)))),
                ReportCells.WorstCell(worst, findings.Count),
            };

            var hopRows = new List<IReadOnlyList<ReportCell>>();
            foreach (var hop in r.GetObjects(nameof(MessagePath.Hops)))
            {
                var tls = ReportText.EnumText<HopTls>(hop.GetText(nameof(MessageHop.Tls)));
                hopRows.Add(new[]
                {
                    ReportCells.Plain("#", hop.GetText(nameof(MessageHop.Index))), ReportCells.Plain("From", hop.GetText(nameof(MessageHop.From))), ReportCells.Plain("Address", hop.GetText(nameof(MessageHop.FromAddress))), ReportCells.Plain("By", hop.GetText(nameof(MessageHop.By))),
                    ReportCells.Plain("With", hop.GetText(nameof(MessageHop.With))),
                    new ReportCell("TLS", tls ?? string.Empty, tls == "Encrypted" ? ReportRating.Good : tls == "Cleartext" ? ReportRating.Error : ReportRating.Neutral, hop.GetText(nameof(MessageHop.TlsEvidence)) ?? string.Empty),
                    ReportCells.Plain("Version", ReportText.Join(" ", hop.GetText(nameof(MessageHop.TlsVersion)), hop.GetText(nameof(MessageHop.Cipher)))), ReportCells.Plain("Auth", hop.GetText(nameof(MessageHop.Authenticated))),
                    ReportCells.Plain("Time", hop.GetText(nameof(MessageHop.Timestamp))), ReportCells.Plain("Delay", hop.GetText(nameof(MessageHop.Delay))),
                });
            }

            var items = new List<ReportEvidenceItem>();
            ReportCells.Item(items, "Subject", r.GetText(nameof(MessagePath.Subject)));
            ReportCells.Item(items, "From", r.GetText(nameof(MessagePath.HeaderFrom)));
            ReportCells.Item(items, "Message-ID", r.GetText(nameof(MessagePath.MessageId)));
            ReportCells.Item(items, "Date", r.GetText(nameof(MessagePath.Date)));
            ReportCells.Item(items, "Transit time", r.GetText(nameof(MessagePath.TransitTime)));
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
