using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using MailSecurity.Delivery;
using MailSecurity.Dns;
using MailSecurity.MtaSts;
using MailSecurity.Report;
using MailSecurity.Tests.Delivery;
using Xunit;

namespace MailSecurity.Tests.Report
{
    /// <summary>
    /// A before/after guard for the report (issue 17, item 5). The golden files were made by the report code as it was
    /// before the refactor into report contributors. The expectations are not hand-written rules. They record what the report did,
    /// so any change to a cell, rating, detail text, column, finding or evidence item fails here. Regenerate them only on
    /// purpose (MAILSECURITY_UPDATE_REPORT_GOLDEN=1, then review the diff); Golden/README.md says where the input came from.
    /// </summary>
    public class ReportGoldenTests
    {
        private static readonly DateTimeOffset When = new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

        private static string GoldenDirectory()
            => Path.Combine(Findings.FindingCatalogTests.RepositoryRoot(), "tests", "MailSecurity.Tests", "Report", "Golden");

        /// <summary>The lab results read back from JSON, then a few live results built the way HopDecision builds them.</summary>
        private static ReportDocument BuildDocument()
        {
            var builder = new ReportBuilder();
            using (var input = JsonDocument.Parse(File.ReadAllText(Path.Combine(GoldenDirectory(), "report-input.json"))))
            {
                foreach (var item in input.RootElement.EnumerateArray())
                {
                    var source = new JsonReportSource(item.GetProperty("Result").Clone(), item.GetProperty("Type").GetString());
                    Assert.True(builder.Add(source), "the report takes " + item.GetProperty("Type").GetString());
                }
            }

            foreach (var live in LiveResults())
            {
                Assert.True(builder.Add(new ClrReportSource(live)));
            }

            return builder.Build("Golden report", When);
        }

        private static IEnumerable<object> LiveResults()
        {
            HopSecurity Hop(string domain, string host, ushort preference, HopSecurityLevel level, Finding[] risks, params Finding[] findings)
            {
                var stsMx = new MtaStsMxResult(new MtaStsMxResultBuilder
                {
                    MxHost = host, Preference = preference, Covered = risks.Length == 0, Address = "192.0.2.1", TlsOk = true, CertificateValid = true,
                    WouldDeliver = risks.Length == 0,
                });
                var b = new HopSecurityBuilder
                {
                    Domain = domain, MxHost = host, Preference = preference, Level = level, Reason = "live " + level, RequireTlsDetail = "not asked",
                    MxDnssecStatus = DnssecStatus.Secure, Addresses = new[] { "192.0.2.1" }, TlsRptPresent = risks.Length == 0,
                    MtaSts = new MtaStsHopEvidence(HopEvidenceFactory.StsResult(MtaStsStatus.Valid, MtaStsMode.Enforce, stsMx), stsMx),
                };
                b.DeliveryRisks.AddRange(risks);
                b.Findings.AddRange(findings);
                return new HopSecurity(b);
            }

            yield return Hop("live.test", "mx1.live.test", 10, HopSecurityLevel.MtaStsEnforced, Array.Empty<Finding>(), HopFindings.MtaStsEnforced.Create("enforced", "mx1.live.test"));
            yield return Hop("live.test", "mx2.live.test", 20, HopSecurityLevel.OpportunisticTls, new[] { MtaStsFindings.MxNotCovered.Create("not covered", "mx2.live.test") },
                HopFindings.OpportunisticTlsOnly.Create("opportunistic", "mx2.live.test"), HopFindings.NoTlsRpt.Create("no TLS-RPT", "live.test"),
                HopFindings.DaneWithInsecureMx.Create("TLSA under an insecure MX", "mx2.live.test"));
            yield return Hop("auth-good.test", "mx9.auth-good.test", 90, HopSecurityLevel.Cleartext, Array.Empty<Finding>(), HopFindings.Cleartext.Create("cleartext", "mx9.auth-good.test"));
        }

        private static string DocumentJson(ReportDocument document)
        {
            var options = new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            options.Converters.Add(new JsonStringEnumConverter());
            // A problem names its entries by id: the entries themselves are in Entries already.
            var model = new
            {
                document.Title, document.GeneratedAt, document.Columns, document.Entries, document.Messages, document.ResultCount,
                Problems = document.Problems.Select(p => new { p.Code, p.Severity, p.Meaning, p.Remedy, p.Reference, Entries = p.Entries.Select(e => e.Id), p.MessageCount, p.Example }),
            };
            return JsonSerializer.Serialize(model, options).Replace("\r\n", "\n") + "\n";
        }

        private static void Compare(string file, string actual)
        {
            var path = Path.Combine(GoldenDirectory(), file);
            if (Environment.GetEnvironmentVariable("MAILSECURITY_UPDATE_REPORT_GOLDEN") == "1")
            {
                File.WriteAllText(path, actual, new UTF8Encoding(false));
            }

            var expected = File.ReadAllText(path).Replace("\r\n", "\n").Split('\n');
            var lines = actual.Split('\n');
            for (var i = 0; i < Math.Min(expected.Length, lines.Length); i++)
            {
                // The first differing line, with its number, says which cell or item changed.
                Assert.True(expected[i] == lines[i], $"{file} line {i + 1}:\nexpected: {expected[i]}\nactual:   {lines[i]}");
            }

            Assert.Equal(expected.Length, lines.Length);
        }

        [Fact]
        public void The_report_document_is_the_one_made_before_the_refactor()
        {
            var document = BuildDocument();
            // The input reaches every part of the report, so that the guard covers them.
            Assert.Equal(163, document.ResultCount);
            Assert.Contains(document.Entries, e => e.Kind == ReportEntryKind.Host);
            Assert.NotEmpty(document.Messages);
            Compare("report-document.json", DocumentJson(document));
        }

        [Fact]
        public void The_html_page_is_the_one_made_before_the_refactor()
            => Compare("report.html", new HtmlReportWriter().Render(BuildDocument()).Replace("\r\n", "\n"));

        /// <summary>A result read back from JSON (ConvertFrom-Json): enums are numbers, nested parts are objects, lists are arrays.</summary>
        private sealed class JsonReportSource : ReportSource
        {
            private readonly JsonElement _value;
            private readonly string? _typeName;

            public JsonReportSource(JsonElement value, string? typeName = null)
            {
                _value = value;
                // A view name such as MailSecurity.SmtpTlsProbe#Domain stands for its type, as PowerShell's type names do.
                var view = typeName?.IndexOf('#') ?? -1;
                _typeName = view > 0 ? typeName!.Substring(0, view) : typeName;
            }

            public override string? TypeName => _typeName;

            public override string Display => Text(_value) ?? string.Empty;

            public override string? GetText(string name)
            {
                var value = Member(name);
                return value is null ? null
                    : value.Value.ValueKind == JsonValueKind.Array ? string.Join(", ", value.Value.EnumerateArray().Where(v => v.ValueKind != JsonValueKind.Null).Select(v => Text(v) ?? string.Empty))
                    : Text(value.Value);
            }

            public override ReportSource? GetObject(string name)
                => Member(name) is JsonElement value && value.ValueKind == JsonValueKind.Object ? new JsonReportSource(value) : null;

            public override IReadOnlyList<ReportSource> GetObjects(string name)
                => Member(name) is JsonElement value && value.ValueKind == JsonValueKind.Array
                    ? value.EnumerateArray().Where(v => v.ValueKind != JsonValueKind.Null).Select(v => (ReportSource)new JsonReportSource(v)).ToList()
                    : Array.Empty<ReportSource>();

            public override IReadOnlyList<string> GetTexts(string name)
            {
                var value = Member(name);
                return value is null ? Array.Empty<string>()
                    : value.Value.ValueKind == JsonValueKind.Array ? value.Value.EnumerateArray().Where(v => v.ValueKind != JsonValueKind.Null).Select(v => Text(v) ?? string.Empty).ToList()
                    : new[] { Text(value.Value) ?? string.Empty };
            }

            private JsonElement? Member(string name)
                => _value.ValueKind == JsonValueKind.Object && _value.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : (JsonElement?)null;

            private static string? Text(JsonElement value) => value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "True",
                JsonValueKind.False => "False",
                JsonValueKind.Null => null,
                _ => value.GetRawText(),
            };
        }
    }
}
