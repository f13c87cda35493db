using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MailSecurity.Report
{
    /// <summary>
    /// Turns MailSecurity results (live or read back from a file) into a <see cref="ReportDocument"/>: one matrix row per
    /// domain, one cell per check, coloured by the worst finding of that check, with the findings and evidence of every
    /// result behind it. Results are grouped by domain; a STARTTLS probe or DANE result of a host joins every domain in the
    /// report whose MX is that host, and otherwise gets a row of its own.
    /// </summary>
    /// <remarks>
    /// The cell rule, so that every colour can be explained: a check's cell takes the worst severity among the findings whose
    /// code belongs to that check (Critical, Error, Warning; Info or none is Good, or Neutral when the result says the record
    /// is simply not there), and at least the colour its status implies (<see cref="ReportRatings.StatusRating"/>: a failed lookup, fetch or
    /// TLS session is never green). The hop-level cell shows the level of the weakest MX, is never green below MtaStsEnforced,
    /// and is at least Error when an MX has a delivery risk. Results that only add to a check (an SPF check of one address,
    /// the probes inside a hop verdict) colour its cell only with a Warning or worse. PKIX findings of a host that DANE
    /// authenticates count as information (RFC 7672 §3.1.2).
    /// </remarks>
    internal sealed class ReportBuilder
    {
        // One contributor per result type: each turns its result into cells, findings and evidence (see docs/ARCHITECTURE.md).
        private static readonly IReadOnlyList<IReportContributor> Contributors = new IReportContributor[]
        {
            new MailAuthReportContributor(), new HopSecurityContributor(), new MtaStsPolicyContributor(), new SmtpTlsProbeContributor(),
            new DaneResultContributor(), new SpfCheckContributor(), new MessagePathContributor(),
        };

        /// <summary>The result types the report understands (type names as PowerShell shows them).</summary>
        public static readonly IReadOnlyList<string> SupportedTypeNames = Contributors.Select(c => c.TypeName).ToList();

        private readonly ReportRows _rows = new ReportRows();
        private int _resultCount;

        /// <summary>The matrix column header of a check.</summary>
        /// <param name="check">The check.</param>
        public static string ColumnName(ReportCheck check) => check switch
        {
            ReportCheck.Mx => "MX",
            ReportCheck.Spf => "SPF",
            ReportCheck.Dmarc => "DMARC",
            ReportCheck.Dkim => "DKIM",
            ReportCheck.MtaSts => "MTA-STS",
            ReportCheck.TlsRpt => "TLS-RPT",
            ReportCheck.Bimi => "BIMI",
            ReportCheck.StartTls => "STARTTLS",
            ReportCheck.Dane => "DANE",
            _ => "Hop level",
        };

        /// <summary>Adds one result. Returns false (and adds nothing) when it is not a result type the report understands.</summary>
        /// <param name="result">A MailSecurity result object.</param>
        public bool Add(ReportSource result)
        {
            if (result is null)
            {
                throw new ArgumentNullException(nameof(result));
            }

            var contributor = Contributors.FirstOrDefault(c => string.Equals(c.TypeName, result.TypeName, StringComparison.Ordinal));
            if (contributor is null)
            {
                return false;
            }

            contributor.Contribute(result, _rows);
            _resultCount++;
            return true;
        }

        /// <summary>Builds the document from everything added so far (results added later go into the next build).</summary>
        /// <param name="title">The page title.</param>
        /// <param name="generatedAt">When the report was made.</param>
        public ReportDocument Build(string title, DateTimeOffset generatedAt)
        {
            var built = _rows.Complete().Select(e => e.Build()).ToList();
            var sorted = built
                .OrderByDescending(e => e.WorstSeverity.HasValue ? (int)e.WorstSeverity.Value : -1)
                .ThenByDescending(e => e.Cells.Count == 0 ? 0 : e.Cells.Max(c => (int)c.Rating))
                .ThenBy(e => e.WeakestLevel.HasValue ? (int)e.WeakestLevel.Value : int.MaxValue)
                .ThenBy(e => e.Name, StringComparer.OrdinalIgnoreCase)
                .ToList();
            var entries = sorted.Select((e, i) => e.WithId("d" + (i + 1).ToString(CultureInfo.InvariantCulture))).ToList();
            var columns = ReportRow.MatrixChecks.Select(ColumnName).Concat(new[] { "Worst" }).ToList();
            return new ReportDocument(title, generatedAt, columns, entries, _rows.Messages.ToList(), Problems(entries, _rows.Messages), _resultCount);
        }

        private static IReadOnlyList<ReportProblem> Problems(IReadOnlyList<ReportEntry> entries, IReadOnlyList<ReportMessage> messages)
        {
            var byCode = new Dictionary<string, (Severity Severity, List<ReportEntry> Entries, HashSet<string> Messages, ReportFinding Example)>(StringComparer.Ordinal);
            var noted = new HashSet<(string, ReportEntry)>();
            void Note(ReportFinding f, ReportEntry? entry, string? message)
            {
                if (f.Severity < Severity.Warning)
                {
                    return;
                }

                if (!byCode.TryGetValue(f.Code, out var p))
                {
                    p = (f.Severity, new List<ReportEntry>(), new HashSet<string>(StringComparer.Ordinal), f);
                }

                if (f.Severity > p.Severity)
                {
                    p = (f.Severity, p.Entries, p.Messages, f);
                }

                if (entry != null && noted.Add((f.Code, entry)))
                {
                    p.Entries.Add(entry);
                }

                if (message != null)
                {
                    p.Messages.Add(message);
                }

                byCode[f.Code] = p;
            }

            foreach (var e in entries)
            {
                foreach (var f in e.Findings)
                {
                    Note(f, e, null);
                }
            }

            foreach (var m in messages)
            {
                foreach (var f in m.Findings)
                {
                    Note(f, null, m.Id);
                }
            }

            return byCode
                .Select(kv =>
                {
                    var d = FindingCatalog.Find(kv.Key);
                    var reference = string.IsNullOrEmpty(kv.Value.Example.Reference) ? d?.Reference ?? string.Empty : kv.Value.Example.Reference;
                    return new ReportProblem(new ReportProblemBuilder
                    {
                        Code = kv.Key,
                        Severity = kv.Value.Severity,
                        Meaning = d?.Meaning ?? string.Empty,
                        Remedy = d?.Remedy ?? string.Empty,
                        Reference = reference,
                        Entries = kv.Value.Entries,
                        MessageCount = kv.Value.Messages.Count,
                        Example = kv.Value.Example.Message,
                    });
                })
                .OrderByDescending(p => p.Severity)
                .ThenByDescending(p => p.Entries.Count + p.MessageCount)
                .ThenBy(p => p.Code, StringComparer.Ordinal)
                .ToList();
        }
    }
}
