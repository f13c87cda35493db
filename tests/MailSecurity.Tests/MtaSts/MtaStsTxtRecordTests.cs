using System.Linq;
using System.Threading.Tasks;
using MailSecurity.MtaSts;
using MailSecurity.Tests.Dns;
using Xunit;

namespace MailSecurity.Tests.MtaSts
{
    public class MtaStsTxtRecordTests
    {
        [Theory]
        [InlineData("v=STSv1; id=20160831085700Z;", "20160831085700Z")]   // RFC 8461 §3.1 example
        [InlineData("v=STSv1;id=a", "a")]
        [InlineData("v=STSv1; id=abcdefghijklmnopqrstuvwxyz012345", "abcdefghijklmnopqrstuvwxyz012345")] // 32 characters
        [InlineData("v=STSv1; id=x; ext_1=val.ue", "x")]
        public void Valid_records_yield_the_id(string text, string id)
        {
            Assert.True(MtaStsTxtRecordParser.IsStsRecord(text));
            var parsed = MtaStsTxtRecordParser.Parse(text);
            Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
            Assert.Equal(id, parsed.Id);
        }

        [Theory]
        [InlineData("v=STSv1; id=abcdefghijklmnopqrstuvwxyz0123456")]   // 33 characters
        [InlineData("v=STSv1; id=2024-01-31")]                           // id is ALPHA / DIGIT only
        [InlineData("v=STSv1; id=")]
        [InlineData("v=STSv1")]
        [InlineData("v=STSv1;")]
        [InlineData("v=STSv1; id=x;; ")]
        [InlineData("v=STSv1; id=x; bad key=v")]
        [InlineData("v=STSv1; ID=x")]                                    // %s"id=": case-sensitive
        public void Grammar_violations_make_the_record_invalid(string text)
        {
            Assert.False(MtaStsTxtRecordParser.Parse(text).IsValid);
        }

        [Theory]
        [InlineData("v=STSv10; id=x", false)]
        [InlineData("V=STSv1; id=x", false)]
        [InlineData("v=stsv1; id=x", false)]
        [InlineData("v=STSv1 ;id=x", true)]
        public void Discovery_keeps_only_the_exact_version(string text, bool kept)
        {
            Assert.Equal(kept, MtaStsTxtRecordParser.IsStsRecord(text));
        }

        [Fact]
        public void Whitespace_before_the_separator_follows_the_abnf_with_a_warning()
        {
            // Erratum 6285: this tool follows the ABNF (*WSP ";" *WSP) and warns about the literal-prefix readers.
            var parsed = MtaStsTxtRecordParser.Parse("v=STSv1 ;id=x");
            Assert.True(parsed.IsValid);
            Assert.True(parsed.WhitespaceBeforeSeparator);
        }

        private static async Task<MtaStsTxtRecord> Lookup(ScriptedZone zone) => await new MtaStsTxtRecordLookup(zone).LookupAsync("example.com");

        [Fact]
        public async Task One_record_among_other_txt_is_found()
        {
            var r = await Lookup(new ScriptedZone().Txt("_mta-sts.example.com", "v=STSv1; id=abc123", "unrelated"));
            Assert.Equal(MtaStsTxtStatus.Valid, r.Status);
            Assert.Equal("abc123", r.Id);
            Assert.True(r.Present);
            Assert.Equal(2, r.Records.Count);
        }

        [Fact]
        public async Task Several_records_mean_no_policy()
        {
            var r = await Lookup(new ScriptedZone().Txt("_mta-sts.example.com", "v=STSv1; id=a", "v=STSv1; id=b"));
            Assert.Equal(MtaStsTxtStatus.MultipleRecords, r.Status);
            Assert.Null(r.Id);
            Assert.Contains(r.Findings, f => f.Code == MtaStsFindings.MultipleRecords.Code);
        }

        [Fact]
        public async Task Missing_discarded_failed_and_delegated_records_are_told_apart()
        {
            var none = await Lookup(new ScriptedZone().Mx("example.com", 10, "mx.example.com"));
            Assert.Equal(MtaStsTxtStatus.NoRecord, none.Status);
            Assert.Contains(none.Findings, f => f.Code == MtaStsFindings.NoRecord.Code);

            var nearMiss = await Lookup(new ScriptedZone().Txt("_mta-sts.example.com", "v=stsv1; id=a"));
            Assert.Equal(MtaStsTxtStatus.NoRecord, nearMiss.Status);
            Assert.Contains(nearMiss.Findings, f => f.Code == MtaStsFindings.RecordIgnored.Code);

            var failed = await Lookup(new ScriptedZone().ServFail("_mta-sts.example.com"));
            Assert.Equal(MtaStsTxtStatus.TempError, failed.Status);
            Assert.DoesNotContain(failed.Findings, f => f.Code == MtaStsFindings.NoRecord.Code);

            var delegated = await Lookup(new ScriptedZone().Cname("_mta-sts.example.com", "_mta-sts.provider.example").Txt("_mta-sts.provider.example", "v=STSv1; id=p1"));
            Assert.Equal("p1", delegated.Id);
            Assert.Single(delegated.CnameChain);
        }

        [Fact]
        public async Task Invalid_id_is_its_own_finding()
        {
            // MtaSts.TxtSyntaxError became MtaSts.InvalidRecord, the finding every unusable record carries (as Get-MtaStsPolicy
            // always had it); the id problem itself is named once, by InvalidId, and not listed as a grammar error.
            var r = await Lookup(new ScriptedZone().Txt("_mta-sts.example.com", "v=STSv1; id=not-valid"));
            Assert.Equal(MtaStsTxtStatus.Invalid, r.Status);
            Assert.Single(r.Findings, f => f.Code == MtaStsFindings.InvalidId.Code);
            var verdict = Assert.Single(r.Findings, f => f.Code == MtaStsFindings.InvalidRecord.Code);
            Assert.Contains("has no valid id", verdict.Message);
        }
    }
}
