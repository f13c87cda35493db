using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MailSecurity.Report
{
    /// <summary>Cells and evidence items made from result values.</summary>
    internal static class ReportCells
    {
        /// <summary>An evidence item, left out when the value is blank.</summary>
        internal static void Item(List<ReportEvidenceItem> items, string label, string? value, bool preformatted = false)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                items.Add(new ReportEvidenceItem(label, value!, preformatted));
            }
        }

        /// <summary>A cell of plain text, not coloured.</summary>
        internal static ReportCell Plain(string column, string? text) => new ReportCell(column, text ?? string.Empty, ReportRating.NotChecked, string.Empty);

        /// <summary>A True/False cell: green when true, red when false.</summary>
        internal static ReportCell Flag(string column, string? value)
            => new ReportCell(column, value ?? string.Empty, value == "True" ? ReportRating.Good : value == "False" ? ReportRating.Error : ReportRating.NotChecked, string.Empty);

        /// <summary>The Worst cell of a row or message: its worst finding and how many findings it has.</summary>
        internal static ReportCell WorstCell(Severity? worst, int count)
            => new ReportCell("Worst", worst?.ToString() ?? "None", worst is null ? ReportRating.Good : ReportRatings.RatingOf(worst.Value, absent: false),
                count.ToString(CultureInfo.InvariantCulture) + (count == 1 ? " finding" : " findings"));
    }
}
