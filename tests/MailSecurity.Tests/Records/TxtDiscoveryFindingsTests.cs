using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using DnsClient;
using MailSecurity.Bimi;
using MailSecurity.Dns;
using MailSecurity.MtaSts;
using MailSecurity.TlsRpt;
using MailSecurity.Tests.Dns;
using Xunit;

namespace MailSecurity.Tests.Records
{
    /// <summary>
    /// The findings of the shared TXT discovery (Records/TxtDiscoveryFindings), through each record type that uses it:
    /// which codes, in which order, with each type's own words. The expected texts are the messages the three lookups
    /// shipped with before the emission moved to one place (written out by hand here, so a change of wording shows).
    /// </summary>
    public class TxtDiscoveryFindingsTests
    {
        private const string Servfail = "failed: the resolver 127.0.0.1:53 answered SERVFAIL (indeterminate).";

        private static async Task<DnsAnswer> Txt(ScriptedZone zone, string name)
            => await zone.QueryAsync(name, QueryType.TXT, default);

        private static IEnumerable<string> Lines(IReadOnlyList<Finding> findings) => findings.Select(f => $"{f.Code} | {f.Target} | {f.Message}");

        [Fact]
        public async Task Bimi_findings_of_each_outcome()
        {
            const string name = "default._bimi.example.com";
            var failed = BimiRecordLookup.Evaluate("example.com", "example.com", await Txt(new ScriptedZone().ServFail(name), name));
            Assert.Equal(BimiStatus.TempError, failed.Status);
            Assert.Equal(new[] { $"Bimi.LookupFailed | {name} | TXT lookup for {name} {Servfail}" }, Lines(failed.Findings));
            Assert.Empty(failed.Records);

            var nothing = BimiRecordLookup.Evaluate("example.com", "example.com", await Txt(new ScriptedZone(), name));
            Assert.Equal(BimiStatus.NoRecord, nothing.Status);
            Assert.Equal(new[] { $"Bimi.RecordMissing | {name} | {name} has no BIMI record (NxDomain)." }, Lines(nothing.Findings));

            var nearMiss = BimiRecordLookup.Evaluate("example.com", "example.com",
                await Txt(new ScriptedZone().Txt(name, "v=bimi1; l=https://example.com/a.svg", "unrelated"), name));
            Assert.Equal(BimiStatus.NoRecord, nearMiss.Status);
            Assert.Equal(new[]
            {
                $"Bimi.RecordDiscarded | {name} | The TXT record 'v=bimi1; l=https://example.com/a.svg' at {name} is ignored: it does not begin with v=BIMI1 exactly.",
                $"Bimi.RecordMissing | {name} | {name} has 2 TXT record(s), none a BIMI record (v=BIMI1 first).",
            }, Lines(nearMiss.Findings));

            var several = BimiRecordLookup.Evaluate("example.com", "example.com",
                await Txt(new ScriptedZone().Txt(name, "v=BIMI1; l=https://example.com/a.svg", "v=BIMI1; l=https://example.com/b.svg", "v=bimi1; l="), name));
            Assert.Equal(BimiStatus.MultipleRecords, several.Status);
            Assert.Equal(new[]
            {
                $"Bimi.RecordDiscarded | {name} | The TXT record 'v=bimi1; l=' at {name} is ignored: it does not begin with v=BIMI1 exactly.",
                $"Bimi.MultipleRecords | {name} | {name} has 2 BIMI records; receivers apply none.",
            }, Lines(several.Findings));
            Assert.Null(several.Record);

            // Exactly one: only the near miss comes from the discovery; the record's own findings follow it.
            var one = BimiRecordLookup.Evaluate("example.com", "example.com",
                await Txt(new ScriptedZone().Txt(name, "v=bimi1; l=", "v=BIMI1; l=https://example.com/a.svg; a=https://example.com/vmc.pem"), name));
            Assert.Equal(BimiStatus.Valid, one.Status);
            Assert.Equal(new[] { "Bimi.RecordDiscarded" }, one.Findings.Select(f => f.Code));
        }

        [Fact]
        public async Task TlsRpt_findings_of_each_outcome()
        {
            const string name = "_smtp._tls.example.com";
            var failed = TlsRptRecordLookup.Evaluate("example.com", await Txt(new ScriptedZone().ServFail(name), name));
            Assert.Equal(TlsRptStatus.TempError, failed.Status);
            Assert.Equal(new[] { $"TlsRpt.LookupFailed | {name} | TXT lookup for {name} {Servfail}" }, Lines(failed.Findings));

            // Not found, the domain is named (not the discovery name), as it always was.
            var nothing = TlsRptRecordLookup.Evaluate("example.com", await Txt(new ScriptedZone(), name));
            Assert.Equal(TlsRptStatus.NoRecord, nothing.Status);
            Assert.Equal(new[] { $"TlsRpt.RecordMissing | {name} | example.com has no TLS-RPT record (NxDomain)." }, Lines(nothing.Findings));

            var nearMiss = TlsRptRecordLookup.Evaluate("example.com", await Txt(new ScriptedZone().Txt(name, "v=tlsrptv1; rua=mailto:r@example.com"), name));
            Assert.Equal(TlsRptStatus.NoRecord, nearMiss.Status);
            Assert.Equal(new[]
            {
                $"TlsRpt.RecordDiscarded | {name} | The TXT record 'v=tlsrptv1; rua=mailto:r@example.com' at {name} is ignored: it does not begin with the exact 'v=TLSRPTv1'.",
                $"TlsRpt.RecordMissing | {name} | {name} has 1 TXT record(s), none beginning with v=TLSRPTv1.",
            }, Lines(nearMiss.Findings));

            var several = TlsRptRecordLookup.Evaluate("example.com",
                await Txt(new ScriptedZone().Txt(name, "v=TLSRPTv1; rua=mailto:a@example.com", "v=TLSRPTv1; rua=mailto:b@example.com"), name));
            Assert.Equal(TlsRptStatus.MultipleRecords, several.Status);
            Assert.Equal(new[] { $"TlsRpt.MultipleRecords | {name} | {name} has 2 v=TLSRPTv1 records; reporters treat the domain as having none." }, Lines(several.Findings));
            Assert.Equal(2, several.Records.Count);
        }

        [Fact]
        public async Task MtaSts_findings_of_each_outcome()
        {
            const string name = "_mta-sts.example.com";
            var failed = MtaStsTxtRecordLookup.Evaluate("example.com", await Txt(new ScriptedZone().ServFail(name), name));
            Assert.Equal(MtaStsTxtStatus.TempError, failed.Status);
            Assert.Equal(new[] { $"MtaSts.RecordLookupFailed | {name} | TXT lookup for {name} {Servfail} Senders cannot discover the policy; this is not 'no record'." }, Lines(failed.Findings));
            Assert.Equal($"TXT lookup for {name} {Servfail}", failed.Error);

            var nothing = MtaStsTxtRecordLookup.Evaluate("example.com", await Txt(new ScriptedZone(), name));
            Assert.Equal(MtaStsTxtStatus.NoRecord, nothing.Status);
            Assert.Equal(new[] { $"MtaSts.NoRecord | {name} | {name} has no TXT record (NxDomain): senders apply no MTA-STS policy." }, Lines(nothing.Findings));
            Assert.Null(nothing.Error);

            var nearMiss = MtaStsTxtRecordLookup.Evaluate("example.com", await Txt(new ScriptedZone().Txt(name, "v=stsv1; id=1"), name));
            Assert.Equal(MtaStsTxtStatus.NoRecord, nearMiss.Status);
            Assert.Equal(new[]
            {
                $"MtaSts.RecordIgnored | {name} | The TXT record 'v=stsv1; id=1' at {name} does not begin with the exact 'v=STSv1', so senders ignore it.",
                $"MtaSts.NoRecord | {name} | None of the 1 TXT record(s) at {name} begins with v=STSv1: senders apply no MTA-STS policy.",
            }, Lines(nearMiss.Findings));

            var several = MtaStsTxtRecordLookup.Evaluate("example.com", await Txt(new ScriptedZone().Txt(name, "v=STSv1; id=1", "v=STSv1; id=2"), name));
            Assert.Equal(MtaStsTxtStatus.MultipleRecords, several.Status);
            Assert.Equal(new[] { $"MtaSts.MultipleRecords | {name} | {name} has 2 TXT records beginning with v=STSv1 (v=STSv1; id=1 | v=STSv1; id=2): senders treat the domain as having no available policy." }, Lines(several.Findings));
            Assert.Equal(new[] { "v=STSv1; id=1", "v=STSv1; id=2" }, several.StsRecords);
            Assert.Null(several.Error);
        }

        [Fact]
        public async Task MtaSts_name_too_long_to_ask_is_no_record_with_the_reason_as_error()
        {
            // 4 labels of 63 characters: the discovery name is over 253 characters, so the question is never sent.
            var label = new string('a', 63);
            var domain = string.Join(".", label, label, label, label.Substring(0, 50)) + ".example";
            var name = "_mta-sts." + domain;
            var answer = await Txt(new ScriptedZone(), name);
            Assert.Equal(DnsLookupStatus.InvalidName, answer.Status);
            var r = MtaStsTxtRecordLookup.Evaluate(domain, answer);
            Assert.Equal(MtaStsTxtStatus.NoRecord, r.Status);
            var finding = Assert.Single(r.Findings);
            Assert.Equal("MtaSts.NoRecord", finding.Code);
            Assert.EndsWith(" No record can exist there: senders apply no MTA-STS policy.", finding.Message);
            Assert.StartsWith($"TXT lookup for {name} was not sent: ", finding.Message);
            Assert.Equal(answer.Describe(), r.Error);
        }
    }
}
