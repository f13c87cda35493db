using MailSecurity.Dns;
using System;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Tasks;
using MailSecurity.Dkim;
using MailSecurity.Dmarc;
using MailSecurity.MailAuth;
using MailSecurity.Tests.Dns;
using Xunit;

namespace MailSecurity.Tests.MailAuth
{
    public class MailAuthCollectorTests
    {
        private const string Ed25519Key = "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

        private static ScriptedZone Contoso() => new ScriptedZone()
            .Mx("contoso.test", 10, "mx1.contoso.test").Mx("contoso.test", 20, "mx2.contoso.test")
            .A("mx1.contoso.test", "192.0.2.10").Cname("mx2.contoso.test", "mx1.contoso.test")
            .Txt("contoso.test", "v=spf1 include:_spf.provider.test -all")
            .Txt("_spf.provider.test", "v=spf1 ip4:192.0.2.0/24 ~all")
            .Txt("_dmarc.contoso.test", "v=DMARC1; p=reject; rua=mailto:dmarc@contoso.test")
            .Cname("selector1._domainkey.contoso.test", "selector1-contoso-test._domainkey.contoso.onmicrosoft.com")
            .Txt("selector1-contoso-test._domainkey.contoso.onmicrosoft.com", Ed25519Key)
            .Txt("_mta-sts.contoso.test", "v=STSv1; id=20240101")
            .Txt("_smtp._tls.contoso.test", "v=TLSRPTv1; rua=mailto:tlsrpt@contoso.test")
            .Txt("default._bimi.contoso.test", "v=BIMI1; l=https://contoso.test/logo.svg; a=https://contoso.test/vmc.pem");

        [Fact]
        public async Task Report_collects_every_part_and_summarises_it()
        {
            var zone = Contoso();
            var report = await new MailAuthCollector(zone).CollectAsync("contoso.test", new[] { "selector1", "selector2" });
            Assert.Equal("contoso.test", report.Domain);
            Assert.Equal(MailSecurity.SpfVerdict.Valid, report.SpfStatus);
            Assert.Equal("v=spf1 include:_spf.provider.test -all", report.SpfRecord);
            Assert.Equal(1, report.SpfLookupCount);
            Assert.Equal(MxStatus.Found, report.MxStatus);
            Assert.Equal(2, report.MxTargets.Count);
            Assert.Equal(DmarcStatus.Valid, report.DmarcStatus);
            Assert.Equal(DmarcPolicyAction.Reject, report.DmarcPolicy);
            Assert.Equal("mailto:dmarc@contoso.test", report.DmarcRua);
            Assert.Equal("selector1", report.DkimSelectorsFound);
            Assert.Equal(1, report.DkimKeyCount);
            Assert.True(report.MtaStsPresent);
            Assert.Equal("20240101", report.MtaStsId);
            Assert.True(report.TlsRptPresent);
            Assert.True(report.BimiPresent);

            // The report gathers every part's findings, worst first.
            var expected = report.Mx.Findings.Count + report.MxTargets.Sum(t => t.Findings.Count) + report.Spf.Findings.Count + report.Dmarc.Findings.Count + report.Dkim.Findings.Count
                + report.MtaStsRecord.Findings.Count + report.TlsRpt.Findings.Count + report.Bimi.Findings.Count;
            Assert.Equal(expected, report.FindingCount);
            Assert.Equal(report.Findings.Max(f => f.Severity), report.WorstSeverity);
            Assert.Equal(report.Findings.OrderByDescending(f => f.Severity).Select(f => f.Severity), report.Findings.Select(f => f.Severity));
            Assert.Contains(report.Findings, f => f.Code == "Mx.TargetIsCname");
            Assert.Contains("selector2", report.Dkim.SelectorsNotFound);
        }

        [Fact]
        public async Task Every_independent_lookup_is_issued_before_any_answer_is_awaited()
        {
            var gate = new System.Threading.Tasks.TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var zone = Contoso().HoldAnswersUntil(gate.Task);
            var task = new MailAuthCollector(zone).CollectAsync("contoso.test", new[] { "selector1" });
            await Task.Delay(200);
            // While no answer has arrived, the MX, DMARC walk, DKIM, MTA-STS, TLS-RPT and BIMI questions are all in flight.
            Assert.Contains("contoso.test MX", zone.Queries);
            Assert.Contains("contoso.test TXT", zone.Queries);
            Assert.Contains("_dmarc.contoso.test TXT", zone.Queries);
            Assert.Contains("_dmarc.test TXT", zone.Queries);
            Assert.Contains("selector1._domainkey.contoso.test TXT", zone.Queries);
            Assert.Contains("_mta-sts.contoso.test TXT", zone.Queries);
            Assert.Contains("_smtp._tls.contoso.test TXT", zone.Queries);
            Assert.Contains("default._bimi.contoso.test TXT", zone.Queries);
            gate.SetResult(true);
            var report = await task;
            Assert.True(report.MtaStsPresent);
        }

        [Fact]
        public async Task Hostile_records_still_give_a_report()
        {
            var zone = new ScriptedZone()
                .Mx("evil.test", 10, "mx.evil.test")
                .TxtStrings("_dmarc.evil.test", "v=DMARC1; p=reject\u0000; rua=mailto:" + new string('x', 10_000) + "@evil.test")
                .Txt("_mta-sts.evil.test", "v=STSv1; id=" + new string('9', 10_000))
                .Txt("_smtp._tls.evil.test", "v=TLSRPTv1; rua=mailto:\u0001@evil.test")
                .Txt("default._bimi.evil.test", "v=BIMI1; l=https://evil.test/\u00e9.svg");
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var report = await new MailAuthCollector(zone).CollectAsync("evil.test");
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5));
            Assert.Equal(MtaStsTxtStatus.Invalid, report.MtaStsStatus);
            Assert.Equal(TlsRptStatus.Invalid, report.TlsRptStatus);
            Assert.Equal(BimiStatus.Invalid, report.BimiStatus);
            Assert.Contains(report.Findings, f => f.Code == DmarcFindings.SyntaxError.Code);
            Assert.All(report.Findings, f => Assert.DoesNotContain('\u0000', f.Message));
        }

        [Fact]
        public async Task Report_serialises_to_json_without_cycles()
        {
            var zone = Contoso();
            var report = await new MailAuthCollector(zone).CollectAsync("contoso.test");
            var json = JsonSerializer.Serialize(report, new JsonSerializerOptions { Converters = { new JsonStringEnumConverter() }, MaxDepth = 16 });
            using var doc = JsonDocument.Parse(json);
            Assert.Equal("Reject", doc.RootElement.GetProperty("DmarcPolicy").GetString());
            Assert.Equal("Valid", doc.RootElement.GetProperty("Dmarc").GetProperty("Status").GetString());
            Assert.True(doc.RootElement.GetProperty("MtaStsPresent").GetBoolean());
        }

        [Fact]
        public void Every_finding_code_is_unique_well_formed_and_documented()
        {
            var all = FindingCatalog.Descriptors; // throws on duplicate codes
            foreach (var type in new[] { typeof(DmarcFindings), typeof(DkimFindings), typeof(MailSecurity.MtaSts.MtaStsFindings), typeof(MailSecurity.TlsRpt.TlsRptFindings), typeof(MailSecurity.Bimi.BimiFindings), typeof(MailSecurity.Mx.MxFindings) })
            {
                var mine = type.GetFields().Select(f => (FindingDescriptor)f.GetValue(null)!).ToList();
                Assert.NotEmpty(mine);
                Assert.All(mine, d =>
                {
                    Assert.Contains(d, all);
                    Assert.Matches(@"^[A-Z][A-Za-z]+\.[A-Z][A-Za-z0-9]+$", d.Code);
                    Assert.False(string.IsNullOrWhiteSpace(d.Meaning));
                    Assert.Matches(@"(RFC \d+|draft-).*§", d.Reference);
                });
            }
        }
    }
}
