using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;

namespace MailSecurity.Report
{
    /// <summary>
    /// Renders a <see cref="ReportDocument"/> as one self-contained HTML page: inline CSS, no script, no fonts, images or
    /// anything else fetched from elsewhere (a Content-Security-Policy says so to the browser too). Every value is
    /// HTML-encoded, since domain names, record text and finding messages come from DNS that may be hostile, and the page is
    /// pure ASCII so that any file encoding keeps it intact.
    /// </summary>
    internal sealed class HtmlReportWriter
    {
        // No script may run and nothing may load: the page needs only its own <style> block.
        // The summary lists this many problem codes; the rest are one click away.
        private const int TopProblems = 6;

        private const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

        private const string Style = @"
:root{--line:#d5d9e0;--muted:#5d6673;--good:#1c6b33;--good-bg:#d9f1df;--neutral:#46505e;--neutral-bg:#eceff3;--warn:#6e4e00;--warn-bg:#ffefbf;--err:#941b11;--err-bg:#ffd6d1;--crit:#fff;--crit-bg:#a3231a}
*{box-sizing:border-box}
body{font:14px/1.45 -apple-system,""Segoe UI"",Roboto,""Helvetica Neue"",Arial,""Liberation Sans"",sans-serif;color:#1d2330;margin:0;padding:20px 28px;background:#fff}
h1{font-size:24px;margin:0 0 2px}
h2{font-size:19px;margin:26px 0 8px;border-bottom:2px solid var(--line);padding-bottom:3px}
h3{font-size:16px;margin:18px 0 6px}
h4{font-size:14px;margin:12px 0 4px}
.meta{color:var(--muted);margin:0 0 6px}
table{border-collapse:collapse;margin:4px 0 10px;max-width:100%}
th,td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
thead th{background:#f3f5f8;font-weight:600;white-space:nowrap}
.matrix td{text-align:center;max-width:156px;font-size:12px;padding:2px 4px;overflow-wrap:normal}
.matrix th{font-size:12.5px;padding:2px 5px}
.matrix th[scope=row]{white-space:nowrap;font-weight:600}
.matrix td.r-good::before{content:""\2713\00a0""}
.matrix td.r-warning::before{content:""\25B2\00a0""}
.matrix td.r-error::before,.matrix td.r-critical::before{content:""\2716\00a0""}
.r-good{background:var(--good-bg);color:var(--good)}
.r-neutral{background:var(--neutral-bg);color:var(--neutral)}
.r-warning{background:var(--warn-bg);color:var(--warn)}
.r-error{background:var(--err-bg);color:var(--err);font-weight:600}
.r-critical{background:var(--crit-bg);color:var(--crit);font-weight:700}
.r-notchecked{color:#9aa2ad}
.sev{display:inline-block;padding:0 6px;border-radius:3px;font-size:12px;font-weight:600;white-space:nowrap}
.sev-critical{background:var(--crit-bg);color:var(--crit)}
.sev-error{background:var(--err-bg);color:var(--err)}
.sev-warning{background:var(--warn-bg);color:var(--warn)}
.sev-info{background:var(--neutral-bg);color:var(--neutral)}
tr.info td{color:var(--muted)}
.overview{display:flex;gap:10px 28px;flex-wrap:wrap;align-items:flex-start}
.counts{display:flex;gap:10px;flex-wrap:wrap;flex-shrink:0;margin:4px 0 8px}
.problems td{font-size:12.5px}
.problems td:nth-child(4),.problems td:nth-child(5){max-width:360px}
.count{border:1px solid var(--line);border-radius:6px;padding:5px 12px;min-width:96px}
.count b{display:block;font-size:21px}
code,pre{font-family:""Cascadia Mono"",Consolas,""DejaVu Sans Mono"",""Liberation Mono"",monospace;font-size:12.5px}
pre{white-space:pre-wrap;word-break:break-all;margin:0}
details{margin:4px 0 8px}
summary{cursor:pointer;font-weight:600}
.entry{border-top:1px solid var(--line);margin-top:14px}
.kind{font-size:12px;color:var(--muted);font-weight:400}
.legend span{display:inline-block;padding:0 8px;margin:0 4px 4px 0;border-radius:3px}
.fix{color:#2b3442}
a{color:#1452b3}
@media print{body{padding:0}details>*{display:block}}
";

        /// <summary>Renders the page as a string.</summary>
        /// <param name="document">The report.</param>
        public string Render(ReportDocument document)
        {
            using var writer = new StringWriter(CultureInfo.InvariantCulture);
            Write(document, writer);
            return writer.ToString();
        }

        /// <summary>Writes the page to <paramref name="writer"/>.</summary>
        /// <param name="document">The report.</param>
        /// <param name="writer">Where the HTML goes.</param>
        public void Write(ReportDocument document, TextWriter writer)
        {
            if (document is null)
            {
                throw new ArgumentNullException(nameof(document));
            }

            if (writer is null)
            {
                throw new ArgumentNullException(nameof(writer));
            }

            var w = new PageWriter(writer);
            var version = typeof(HtmlReportWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0]
                ?? typeof(HtmlReportWriter).Assembly.GetName().Version?.ToString() ?? string.Empty;
            w.Raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
            w.Raw($"<meta http-equiv=\"Content-Security-Policy\" content=\"{ContentSecurityPolicy}\">\n");
            w.Raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
            w.Raw("<meta name=\"generator\" content=\"MailSecurity ").Text(version).Raw("\">\n");
            w.Raw("<title>").Text(document.Title).Raw("</title>\n<style>").Raw(Style).Raw("</style>\n</head>\n<body>\n");

            w.Raw("<header>\n<h1>").Text(document.Title).Raw("</h1>\n<p class=\"meta\">Generated ")
                .Text(document.GeneratedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Raw(" UTC by MailSecurity ").Text(version)
                .Raw(" from ").Text(Plural(document.ResultCount, "result")).Raw(": ").Text(Plural(document.Entries.Count, "domain or host", "domains and hosts"));
            if (document.Messages.Count > 0)
            {
                w.Raw(", ").Text(Plural(document.Messages.Count, "message"));
            }

            w.Raw(".</p>\n</header>\n");
            WriteSummary(w, document);
            WriteMatrix(w, document);
            WriteMessages(w, document);
            WriteDetails(w, document);
            w.Raw("<footer>\n<p class=\"meta\">Every finding code, its meaning and its fix: <code>Get-Help about_MailSecurity</code>. Colours: the worst finding of each check, and never green when the check's status says it failed; ")
                .Raw("the hop level is that of the weakest MX; a host DANE authenticates is not judged by PKIX.</p>\n</footer>\n</body>\n</html>\n");
        }

        private static void WriteSummary(PageWriter w, ReportDocument doc)
        {
            w.Raw("<section id=\"summary\">\n<h2>Summary</h2>\n<div class=\"overview\">\n<div class=\"counts\">\n");
            Count(w, doc.Entries.Count, doc.Entries.Count == 1 ? "domain or host" : "domains and hosts", null);
            foreach (var severity in new[] { Severity.Critical, Severity.Error, Severity.Warning })
            {
                var n = doc.Entries.Count(e => e.WorstSeverity == severity);
                Count(w, n, "worst is " + severity.ToString(), "r-" + severity.ToString().ToLowerInvariant());
            }

            Count(w, doc.Entries.Count(e => e.WorstSeverity is null || e.WorstSeverity == Severity.Info), "without problems", "r-good");
            w.Raw("</div>\n");

            var levels = doc.Entries.Where(e => e.WeakestLevel.HasValue).GroupBy(e => e.WeakestLevel!.Value).OrderBy(g => g.Key).ToList();
            if (levels.Count > 0)
            {
                w.Raw("<table class=\"levels\">\n<thead><tr><th>Hop level of the weakest MX</th><th>Domains</th></tr></thead>\n<tbody>\n");
                foreach (var g in levels)
                {
                    w.Raw("<tr><td class=\"").Raw(LevelClass(g.Key)).Raw("\">").Text(g.Key.ToString()).Raw("</td><td>");
                    Links(w, g.ToList(), 12);
                    w.Raw("</td></tr>\n");
                }

                w.Raw("</tbody>\n</table>\n");
            }

            w.Raw("</div>\n<h3>Worst problems first</h3>\n");
            if (doc.Problems.Count == 0)
            {
                w.Raw("<p class=\"none\">No finding of severity Warning or worse.</p>\n");
            }
            else
            {
                ProblemTable(w, doc.Problems.Take(TopProblems).ToList());
                if (doc.Problems.Count > TopProblems)
                {
                    w.Raw("<details><summary>").Text(Plural(doc.Problems.Count - TopProblems, "more problem code")).Raw("</summary>\n");
                    ProblemTable(w, doc.Problems.Skip(TopProblems).ToList());
                    w.Raw("</details>\n");
                }
            }

            w.Raw("</section>\n");
        }

        private static void ProblemTable(PageWriter w, IReadOnlyList<ReportProblem> problems)
        {
            w.Raw("<table class=\"problems\">\n<thead><tr><th>Severity</th><th>Code</th><th>Where</th><th>What it means</th><th>How to fix it</th></tr></thead>\n<tbody>\n");
            foreach (var p in problems)
            {
                w.Raw("<tr><td>").Sev(p.Severity).Raw("</td><td><code>").Text(p.Code).Raw("</code><br><small>").Text(p.Reference).Raw("</small></td><td>");
                Links(w, p.Entries, 8);
                if (p.MessageCount > 0)
                {
                    w.Raw(p.Entries.Count > 0 ? "; " : string.Empty).Text(Plural(p.MessageCount, "message"));
                }

                w.Raw("</td><td>").Text(p.Meaning.Length > 0 ? p.Meaning : p.Example).Raw("</td><td class=\"fix\">").Text(p.Remedy).Raw("</td></tr>\n");
            }

            w.Raw("</tbody>\n</table>\n");
        }

        private static void WriteMatrix(PageWriter w, ReportDocument doc)
        {
            w.Raw("<section id=\"matrix\">\n<h2>Domains \u00d7 checks</h2>\n");
            if (doc.Entries.Count == 0)
            {
                w.Raw("<p class=\"none\">No domain results were given.</p>\n</section>\n");
                return;
            }

            w.Raw("<p class=\"legend\"><span class=\"r-good\">passed</span><span class=\"r-neutral\">not published (optional)</span><span class=\"r-warning\">warning</span>")
                .Raw("<span class=\"r-error\">error or delivery risk</span><span class=\"r-critical\">critical</span><span class=\"r-notchecked\">\u2013 not checked</span> ")
                .Raw("Rows: worst first. Hover a cell for where it comes from; follow a name for its findings and evidence.</p>\n");
            w.Raw("<table class=\"matrix\">\n<thead><tr><th>Domain</th>");
            foreach (var c in doc.Columns)
            {
                w.Raw("<th>").Text(c).Raw("</th>");
            }

            w.Raw("</tr></thead>\n<tbody>\n");
            foreach (var e in doc.Entries)
            {
                w.Raw("<tr><th scope=\"row\"><a href=\"#").Raw(e.Id).Raw("\">").Text(e.Name).Raw("</a>");
                if (e.Kind == ReportEntryKind.Host)
                {
                    w.Raw(" <span class=\"kind\">(host)</span>");
                }

                w.Raw("</th>");
                foreach (var cell in e.Cells)
                {
                    Cell(w, cell);
                }

                w.Raw("</tr>\n");
            }

            w.Raw("</tbody>\n</table>\n</section>\n");
        }

        private static void WriteMessages(PageWriter w, ReportDocument doc)
        {
            if (doc.Messages.Count == 0)
            {
                return;
            }

            w.Raw("<section id=\"messages\">\n<h2>Messages</h2>\n<table class=\"matrix\">\n<thead><tr><th>Message</th>");
            foreach (var c in doc.Messages[0].Cells)
            {
                w.Raw("<th>").Text(c.Column).Raw("</th>");
            }

            w.Raw("</tr></thead>\n<tbody>\n");
            foreach (var m in doc.Messages)
            {
                w.Raw("<tr><th scope=\"row\"><a href=\"#").Raw(m.Id).Raw("\">").Text(ShortSource(m.Source)).Raw("</a></th>");
                foreach (var cell in m.Cells)
                {
                    Cell(w, cell);
                }

                w.Raw("</tr>\n");
            }

            w.Raw("</tbody>\n</table>\n</section>\n");
        }

        private static void WriteDetails(PageWriter w, ReportDocument doc)
        {
            if (doc.Entries.Count == 0 && doc.Messages.Count == 0)
            {
                return;
            }

            w.Raw("<section id=\"details\">\n<h2>Details</h2>\n");
            foreach (var e in doc.Entries)
            {
                w.Raw("<section class=\"entry\" id=\"").Raw(e.Id).Raw("\">\n<h3>").Text(e.Name).Raw(" ");
                if (e.WorstSeverity.HasValue)
                {
                    w.Sev(e.WorstSeverity.Value);
                }

                if (e.Kind == ReportEntryKind.Host)
                {
                    w.Raw(" <span class=\"kind\">(host)</span>");
                }

                w.Raw("</h3>\n<p class=\"meta\">").Text(Plural(e.ResultCount, "result")).Raw(", ").Text(Plural(e.Findings.Count, "finding")).Raw("</p>\n");
                w.Raw("<table class=\"matrix\">\n<thead><tr>");
                foreach (var c in e.Cells)
                {
                    w.Raw("<th>").Text(c.Column).Raw("</th>");
                }

                w.Raw("</tr></thead>\n<tbody><tr>");
                foreach (var c in e.Cells)
                {
                    Cell(w, c);
                }

                w.Raw("</tr></tbody>\n</table>\n");
                Findings(w, e.Findings, withCheck: true);
                Evidence(w, e.Evidence);
                w.Raw("<p><a href=\"#matrix\">Back to the matrix</a></p>\n</section>\n");
            }

            foreach (var m in doc.Messages)
            {
                w.Raw("<section class=\"entry\" id=\"").Raw(m.Id).Raw("\">\n<h3>").Text(m.Source).Raw("</h3>\n");
                Findings(w, m.Findings, withCheck: false);
                Evidence(w, m.Evidence);
                w.Raw("<p><a href=\"#messages\">Back to the messages</a></p>\n</section>\n");
            }

            w.Raw("</section>\n");
        }

        private static void Findings(PageWriter w, IReadOnlyList<ReportFinding> findings, bool withCheck)
        {
            w.Raw("<h4>Findings</h4>\n");
            if (findings.Count == 0)
            {
                w.Raw("<p class=\"none\">No findings.</p>\n");
                return;
            }

            w.Raw("<table class=\"findings\">\n<thead><tr><th>Severity</th>").Raw(withCheck ? "<th>Check</th>" : string.Empty)
                .Raw("<th>Code</th><th>Message</th><th>Target</th><th>Reference</th><th>Source</th></tr></thead>\n<tbody>\n");
            foreach (var f in findings)
            {
                w.Raw(f.Severity == Severity.Info ? "<tr class=\"info\">" : "<tr>").Raw("<td>").Sev(f.Severity).Raw("</td>");
                if (withCheck)
                {
                    w.Raw("<td>").Text(f.Check.HasValue ? ReportBuilder.ColumnName(f.Check.Value) : string.Empty).Raw("</td>");
                }

                w.Raw("<td><code>").Text(f.Code).Raw("</code></td><td>").Text(f.Message).Raw("</td><td>").Text(f.Target).Raw("</td><td>").Text(f.Reference)
                    .Raw("</td><td>").Text(f.Source).Raw("</td></tr>\n");
            }

            w.Raw("</tbody>\n</table>\n");
        }

        private static void Evidence(PageWriter w, IReadOnlyList<ReportEvidence> evidence)
        {
            if (evidence.Count == 0)
            {
                return;
            }

            w.Raw("<h4>Evidence</h4>\n");
            foreach (var section in evidence)
            {
                w.Raw("<details><summary>").Text(section.Title).Raw("</summary>\n");
                if (section.Table != null)
                {
                    w.Raw("<table class=\"evidence-table\">\n<thead><tr>");
                    foreach (var h in section.Table.Headers)
                    {
                        w.Raw("<th>").Text(h).Raw("</th>");
                    }

                    w.Raw("</tr></thead>\n<tbody>\n");
                    foreach (var row in section.Table.Rows)
                    {
                        w.Raw("<tr>");
                        foreach (var c in row)
                        {
                            Cell(w, c);
                        }

                        w.Raw("</tr>\n");
                    }

                    w.Raw("</tbody>\n</table>\n");
                }

                if (section.Items.Count > 0)
                {
                    w.Raw("<table class=\"evidence\">\n<tbody>\n");
                    foreach (var item in section.Items)
                    {
                        w.Raw("<tr><th>").Text(item.Label).Raw("</th><td>");
                        if (item.Preformatted)
                        {
                            w.Raw("<pre>").Text(item.Value).Raw("</pre>");
                        }
                        else
                        {
                            w.Text(item.Value);
                        }

                        w.Raw("</td></tr>\n");
                    }

                    w.Raw("</tbody>\n</table>\n");
                }

                w.Raw("</details>\n");
            }
        }

        private static void Cell(PageWriter w, ReportCell cell)
        {
            w.Raw("<td class=\"").Raw(RatingClass(cell.Rating)).Raw("\"");
            if (cell.Detail.Length > 0)
            {
                w.Raw(" title=\"").Text(cell.Detail).Raw("\"");
            }

            w.Raw(">").Text(cell.Text).Raw("</td>");
        }

        private static void Count(PageWriter w, int n, string label, string? css)
        {
            w.Raw("<div class=\"count").Raw(css is null || n == 0 ? string.Empty : " " + css).Raw("\"><b>").Text(n.ToString(CultureInfo.InvariantCulture)).Raw("</b>").Text(label).Raw("</div>\n");
        }

        private static void Links(PageWriter w, IReadOnlyList<ReportEntry> entries, int max)
        {
            var shown = entries.Take(max).ToList();
            for (var i = 0; i < shown.Count; i++)
            {
                w.Raw(i == 0 ? string.Empty : ", ").Raw("<a href=\"#").Raw(shown[i].Id).Raw("\">").Text(shown[i].Name).Raw("</a>");
            }

            if (entries.Count > max)
            {
                w.Raw(" and ").Text((entries.Count - max).ToString(CultureInfo.InvariantCulture)).Raw(" more");
            }
        }

        /// <summary>The CSS class of a rating; the page's colours hang on these names.</summary>
        /// <param name="rating">The rating.</param>
        public static string RatingClass(ReportRating rating) => "r-" + rating.ToString().ToLowerInvariant();

        private static string LevelClass(HopSecurityLevel level) => level switch
        {
            HopSecurityLevel.DaneAuthenticated => "r-good",
            HopSecurityLevel.MtaStsEnforced => "r-good",
            HopSecurityLevel.NoService => "r-neutral",
            HopSecurityLevel.MtaStsTesting => "r-warning",
            HopSecurityLevel.OpportunisticTls => "r-warning",
            _ => "r-error",
        };

        private static string ShortSource(string source)
        {
            var slash = Math.Max(source.LastIndexOf('/'), source.LastIndexOf('\\'));
            return slash >= 0 && slash < source.Length - 1 ? source.Substring(slash + 1) : source;
        }

        private static string Plural(int n, string singular, string? plural = null)
            => n.ToString(CultureInfo.InvariantCulture) + " " + (n == 1 ? singular : plural ?? singular + "s");

        /// <summary>Appends markup as given and text encoded, so that the two can never be confused at a call site.</summary>
        private sealed class PageWriter
        {
            private readonly TextWriter _writer;

            public PageWriter(TextWriter writer)
            {
                _writer = writer;
            }

            /// <summary>Trusted markup written by this class; non-ASCII literals become character references.</summary>
            public PageWriter Raw(string markup)
            {
                foreach (var c in markup)
                {
                    if (c < 0x80)
                    {
                        _writer.Write(c);
                    }
                    else
                    {
                        _writer.Write("&#x" + ((int)c).ToString("X", CultureInfo.InvariantCulture) + ";");
                    }
                }

                return this;
            }

            /// <summary>Untrusted text, encoded.</summary>
            public PageWriter Text(string? text)
            {
                _writer.Write(HtmlText.Encode(text));
                return this;
            }

            public PageWriter Sev(Severity severity)
                => Raw("<span class=\"sev sev-").Raw(severity.ToString().ToLowerInvariant()).Raw("\">").Text(severity.ToString()).Raw("</span>");
        }
    }
}
