using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MailSecurity.Report
{
    /// <summary>One row of the hop table: the verdict on one MX host, as the report shows it.</summary>
    internal sealed class ReportHopRow
    {
        public string Host { get; init; } = string.Empty;
        public string Preference { get; init; } = string.Empty;
        public HopSecurityLevel? Level { get; init; }
        public string LevelText { get; init; } = string.Empty;
        public ReportRating Rating { get; init; }
        public string Reason { get; init; } = string.Empty;
        public string? Encrypted { get; init; }
        public string? Authenticated { get; init; }
        public string? DowngradeResistant { get; init; }
        public IReadOnlyList<string> Risks { get; init; } = Array.Empty<string>();
        public string? RequireTls { get; init; }
        public string? RequireTlsDetail { get; init; }
        public string? TlsVersion { get; init; }
        public string? Dane { get; init; }
        public string? MtaSts { get; init; }
    }

    /// <summary>What one result says about one check of a row; coloured when the row is built.</summary>
    internal sealed class ReportContribution
    {
        public ReportContribution(ReportCheck check, string text, string? detail, IReadOnlyList<ReportFinding> findings, bool absent, bool secondary, string? host)
        {
            Check = check;
            Text = text;
            Detail = detail;
            Findings = findings;
            Absent = absent;
            Secondary = secondary;
            Host = host;
        }

        public ReportCheck Check { get; }
        public string Text { get; }
        public string? Detail { get; }
        public IReadOnlyList<ReportFinding> Findings { get; }
        public bool Absent { get; }
        public bool Secondary { get; }

        /// <summary>The host a STARTTLS or DANE contribution is about, or null.</summary>
        public string? Host { get; }
    }

    /// <summary>
    /// One domain (or host) row while results are added: what each result says about each check, the findings, the hop rows and
    /// the evidence. The colours are decided in <see cref="Build"/>, when every result is in.
    /// </summary>
    internal sealed class ReportRow
    {
        /// <summary>The matrix columns, in order.</summary>
        internal static readonly ReportCheck[] MatrixChecks = (ReportCheck[])Enum.GetValues(typeof(ReportCheck));

        private readonly Dictionary<ReportCheck, List<ReportContribution>> _contributions = new Dictionary<ReportCheck, List<ReportContribution>>();
        private readonly List<(ReportFinding Finding, string? Host)> _findings = new List<(ReportFinding, string?)>();
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
        private readonly HashSet<string> _daneAuthenticated = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        public ReportRow(string name, ReportEntryKind kind)
        {
            Name = name;
            Kind = kind;
        }

        public string Name { get; }
        public ReportEntryKind Kind { get; }
        public int ResultCount { get; set; }
        public List<ReportEvidence> Evidence { get; } = new List<ReportEvidence>();
        public List<ReportHopRow> Hops { get; } = new List<ReportHopRow>();

        /// <summary>Notes that DANE authenticates <paramref name="host"/> for this domain (a secure MX RRset and a valid TLSA match).</summary>
        public void NoteDaneAuthenticated(string? host)
        {
            if (!string.IsNullOrWhiteSpace(host))
            {
                _daneAuthenticated.Add(host!.Trim());
            }
        }

        /// <param name="findings">The findings.</param>
        /// <param name="host">The host whose TLS session they judge (a STARTTLS probe), or null.</param>
        public void AddFindings(IEnumerable<ReportFinding> findings, string? host = null)
        {
            foreach (var f in findings)
            {
                // The same finding reaches the entry through several results (a hop's delivery risks are also among its findings).
                if (_seen.Add(f.Code + "\n" + f.Target + "\n" + f.Message))
                {
                    _findings.Add((f, host));
                }
            }
        }

        /// <summary>Adds what one result says about a check; the colour is decided when the row is built, when every result is in.</summary>
        public void Add(ReportCheck check, string text, string? detail, IEnumerable<ReportFinding> findings, bool absent = false, bool secondary = false, string? host = null)
        {
            if (!_contributions.TryGetValue(check, out var list))
            {
                list = new List<ReportContribution>();
                _contributions.Add(check, list);
            }

            list.Add(new ReportContribution(check, text, detail, findings.ToList(), absent, secondary, host));
        }

        /// <summary>
        /// A finding as it counts for this domain: a PKIX verdict on a host that DANE authenticates is kept, as information
        /// only, since DANE-EE and DANE-TA replace PKIX validation (RFC 7672 §3.1.1, §3.1.2).
        /// </summary>
        private ReportFinding Counted(ReportFinding f, string? host)
            => host != null && _daneAuthenticated.Contains(host) && Tls.TlsFindings.PkixOnly.Contains(f.Code) && f.Severity > Severity.Info
                ? new ReportFinding(f.Code, Severity.Info, $"Not held against {host}, which DANE authenticates (RFC 7672 §3.1.2): {f.Message}", f.Target, f.Reference, f.Check, f.Source)
                : f;

        private (ReportRating Rating, string Detail) Rate(ReportContribution c)
        {
            var findings = c.Findings.Select(f => Counted(f, c.Host)).ToList();
            var rating = ReportRatings.RatingOf(findings, c.Absent);
            var status = ReportRatings.StatusRating(c.Check, c.Text);
            var daneHost = c.Host != null && _daneAuthenticated.Contains(c.Host);
            var note = (string?)null;
            if (status > rating && !(daneHost && c.Check == ReportCheck.StartTls && c.Text == nameof(SmtpTlsOutcome.CertificateInvalid)))
            {
                // The check's own status counts, not only its findings: a failed MTA-STS fetch is never green.
                rating = status;
                note = $"Status: {c.Text}";
            }
            else if (daneHost && c.Check == ReportCheck.StartTls && c.Text == nameof(SmtpTlsOutcome.CertificateInvalid))
            {
                note = $"PKIX does not count for {c.Host}: DANE authenticates it (RFC 7672 §3.1.2).";
            }

            // The tooltip names the findings that made the colour, so every colour can be traced to a code.
            var drivers = findings.Where(f => f.Severity >= Severity.Warning).OrderByDescending(f => f.Severity).Select(f => $"{f.Code} ({f.Severity})").Distinct().ToList();
            var detail = ReportText.Join("\n", c.Detail, note, drivers.Count == 0 ? null : "Findings: " + string.Join(", ", drivers)) ?? string.Empty;
            return (rating, detail);
        }

        public ReportEntry Build()
        {
            var cells = new List<ReportCell>();
            foreach (var check in MatrixChecks)
            {
                cells.Add(check == ReportCheck.HopLevel ? HopCell() : Cell(check));
            }

            var findings = _findings.Select(x => Counted(x.Finding, x.Host)).OrderByDescending(f => f.Severity).ThenBy(f => f.Check.HasValue ? (int)f.Check.Value : int.MaxValue).ToList();
            cells.Add(ReportCells.WorstCell(findings.Count == 0 ? (Severity?)null : findings.Max(f => f.Severity), findings.Count));
            var evidence = new List<ReportEvidence>();
            if (Hops.Count > 0)
            {
                evidence.Add(HopEvidence());
            }

            evidence.AddRange(Evidence);
            var weakest = Hops.Where(h => h.Level.HasValue).Select(h => h.Level).OrderBy(l => l).FirstOrDefault();
            return new ReportEntry(new ReportEntryBuilder
            {
                Name = Name,
                Kind = Kind,
                Cells = cells,
                Findings = findings,
                Evidence = evidence,
                WeakestLevel = weakest,
                ResultCount = ResultCount,
            });
        }

        private ReportCell Cell(ReportCheck check)
        {
            var column = ReportBuilder.ColumnName(check);
            if (!_contributions.TryGetValue(check, out var all) || all.Count == 0)
            {
                return new ReportCell(column, "\u2013", ReportRating.NotChecked, "No result given covers this check.");
            }

            // Results that only add to a check (an SPF test of one address, probes inside a hop verdict) count when they found a problem.
            var rated = all.Select(c => (Contribution: c, Rated: Rate(c))).ToList();
            var primary = rated.Where(x => !x.Contribution.Secondary).ToList();
            var considered = primary.Count > 0 ? primary.Concat(rated.Where(x => x.Contribution.Secondary && x.Rated.Rating >= ReportRating.Warning)).ToList() : rated;
            var chosen = considered.OrderByDescending(x => x.Rated.Rating).First();
            var detail = string.Join("\n", considered.Select(x => x.Rated.Detail).Where(d => d.Length > 0).Distinct());
            return new ReportCell(column, chosen.Contribution.Text, chosen.Rated.Rating, detail);
        }

        private ReportCell HopCell()
        {
            var column = ReportBuilder.ColumnName(ReportCheck.HopLevel);
            if (Hops.Count == 0)
            {
                return new ReportCell(column, "\u2013", ReportRating.NotChecked, "No Resolve-HopSecurity result was given.");
            }

            var weakest = Hops.OrderBy(h => h.Level.HasValue ? (int)h.Level.Value : -1).First();
            var risks = Hops.SelectMany(h => h.Risks).Count();
            var text = weakest.LevelText + (risks == 0 ? string.Empty : risks == 1 ? " +1 risk" : $" +{risks} risks");
            var detail = string.Join("\n", Hops.Select(h => (h.Host.Length == 0 ? Name : h.Host) + ": " + h.LevelText + (h.Reason.Length == 0 ? string.Empty : " \u2014 " + h.Reason)
                + (h.Risks.Count == 0 ? string.Empty : " Delivery risks: " + string.Join(", ", h.Risks) + ".")));
            return new ReportCell(column, text, Hops.Max(h => h.Rating), detail);
        }

        private ReportEvidence HopEvidence()
        {
            var rows = Hops.Select(h => (IReadOnlyList<ReportCell>)new[]
            {
                ReportCells.Plain("MX host", h.Host.Length == 0 ? "(none)" : h.Host), ReportCells.Plain("Pref", h.Preference),
                new ReportCell("Level", h.LevelText, h.Rating, h.Reason),
                ReportCells.Flag("Encrypted", h.Encrypted), ReportCells.Flag("Authenticated", h.Authenticated), ReportCells.Plain("Downgrade-resistant", h.DowngradeResistant),
                new ReportCell("Delivery risks", string.Join(", ", h.Risks), h.Risks.Count > 0 ? ReportRating.Error : ReportRating.NotChecked, string.Empty),
                ReportCells.Plain("REQUIRETLS", h.RequireTls), ReportCells.Plain("TLS", h.TlsVersion), ReportCells.Plain("DANE", h.Dane), ReportCells.Plain("MTA-STS", h.MtaSts),
            }).ToList();
            var items = Hops.Where(h => h.Reason.Length > 0).Select(h => new ReportEvidenceItem((h.Host.Length == 0 ? Name : h.Host) + " level", h.Reason)).ToList();
            items.AddRange(Hops.Where(h => !string.IsNullOrEmpty(h.RequireTlsDetail)).Select(h => new ReportEvidenceItem((h.Host.Length == 0 ? Name : h.Host) + " REQUIRETLS", h.RequireTlsDetail!)));
            return new ReportEvidence("Resolve-HopSecurity (one row per MX host)", items,
                new ReportTable(new[] { "MX host", "Pref", "Level", "Encrypted", "Authenticated", "Downgrade-resistant", "Delivery risks", "REQUIRETLS", "TLS", "DANE", "MTA-STS" }, rows));
        }
    }
}
