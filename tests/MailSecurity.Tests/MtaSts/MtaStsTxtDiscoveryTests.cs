using System;
using System.Linq;
using System.Threading.Tasks;
using MailSecurity.Dns;
using MailSecurity.MtaSts;
using MailSecurity.Tests.Dns;
using Xunit;

namespace MailSecurity.Tests.MtaSts
{
    /// <summary>
    /// RFC 8461 §3.1 discovery rules, with the erratum 6285 decision (the ABNF is followed), through the one discovery
    /// (<see cref="MtaStsTxtRecordLookup"/>) that Get-MtaStsPolicy and Get-MailAuthRecords share.
    /// </summary>
    public class MtaStsTxtDiscoveryTests
    {
        private const string Name = "_mta-sts.example.com";

        private static async Task<MtaStsTxtRecord> Evaluate(params string[] records)
        {
            var zone = new ScriptedZone().Exists(Name);
            if (records.Length > 0)
            {
                zone.Txt(Name, records);
            }

            return await new MtaStsTxtRecordLookup(zone).LookupAsync("example.com");
        }

        private static string[] Codes(MtaStsTxtRecord o) => o.Findings.Select(f => f.Code).ToArray();

        [Theory]
        [InlineData("v=STSv1; id=20160831085700Z;")] // RFC 8461 §3.1 example
        [InlineData("v=STSv1;id=20180907T090909;")]
        [InlineData("v=STSv1; id=1")]
        [InlineData("v=STSv1;id=abcdefghijklmnopqrstuvwxyzABCDEF")] // 32 characters
        [InlineData("v=STSv1; id=20240101; ext_1.a-b=value")]
        public async Task Accepts_a_single_valid_record(string record)
        {
            var o = await Evaluate(record);
            Assert.Equal(MtaStsTxtStatus.Valid, o.Status);
            Assert.Equal(record, o.Record);
            Assert.NotNull(o.Id);
            Assert.Empty(Codes(o));
        }

        [Fact]
        public async Task Extracts_the_id()
            => Assert.Equal("20160831085700Z", (await Evaluate("v=STSv1; id=20160831085700Z;")).Id);

        [Fact]
        public async Task No_record_is_a_finding_not_an_error()
        {
            var o = await Evaluate();
            Assert.Equal(MtaStsTxtStatus.NoRecord, o.Status);
            Assert.Equal(new[] { "MtaSts.NoRecord" }, Codes(o));
            Assert.Equal(Severity.Info, o.Findings[0].Severity);
        }

        [Fact]
        public async Task Drops_records_that_do_not_begin_with_v_STSv1()
        {
            var o = await Evaluate("v=spf1 -all", "some-verification=abc", "v=STSv1; id=1");
            Assert.Equal(MtaStsTxtStatus.Valid, o.Status);
            Assert.Equal(new[] { "v=STSv1; id=1" }, o.StsRecords);
        }

        [Theory]
        [InlineData("id=20180907T090909; v=STSv1;")] // version not first (reference bad-record1)
        [InlineData("v=STSv12;id=20180907T090909;")] // another version token (reference bad-record3)
        [InlineData("V=STSv1; id=1")] // case-sensitive (%s)
        [InlineData("v=stsv1; id=1")]
        [InlineData(" v=STSv1; id=1")]
        [InlineData("v=STSv2; id=1")] // begins with v=sts but names no STSv1: flagged as Get-MailAuthRecords did
        public async Task Ignores_look_alike_records_with_a_warning(string record)
        {
            var o = await Evaluate(record);
            Assert.Equal(MtaStsTxtStatus.NoRecord, o.Status);
            Assert.Contains("MtaSts.RecordIgnored", Codes(o));
            Assert.Contains("MtaSts.NoRecord", Codes(o));
        }

        [Fact]
        public async Task Garbage_is_no_record()
            => Assert.Equal(MtaStsTxtStatus.NoRecord, (await Evaluate("azazaza;asdasdasdasd")).Status);

        [Fact]
        public async Task Two_STSv1_records_mean_no_policy_even_when_identical()
        {
            var o = await Evaluate("v=STSv1; id=1", "v=STSv1; id=1");
            Assert.Equal(MtaStsTxtStatus.MultipleRecords, o.Status);
            Assert.Contains("MtaSts.MultipleRecords", Codes(o));
            Assert.Null(o.Id);
        }

        [Theory]
        [InlineData("v=STSv1; id=2024-01-01")] // hyphen
        [InlineData("v=STSv1; id=2024.01.01")]
        [InlineData("v=STSv1; id=2024_01")]
        [InlineData("v=STSv1; id=")]
        [InlineData("v=STSv1; id=abcdefghijklmnopqrstuvwxyzABCDEFG")] // 33 characters
        [InlineData("v=STSv1; id=caf\u00e9")]
        [InlineData("v=STSv1; ext=1")] // no id
        public async Task Rejects_a_missing_or_malformed_id(string record)
        {
            var o = await Evaluate(record);
            Assert.Equal(MtaStsTxtStatus.Invalid, o.Status);
            Assert.Contains("MtaSts.InvalidId", Codes(o));
            Assert.Contains("MtaSts.InvalidRecord", Codes(o));
            Assert.Null(o.Id);
            Assert.Equal(record, o.Record);
        }

        [Theory]
        [InlineData("v=STSv1")]
        [InlineData("v=STSv1;")]
        [InlineData("v=STSv1;;id=1")]
        [InlineData("v=STSv1; id=1;; ")]
        [InlineData("v=STSv1; id=1; bad name=x")]
        [InlineData("v=STSv1; id=1; ext=a=b")]
        [InlineData("v=STSv1; id=1; =x")]
        [InlineData("v=STSv1 x; id=1")]
        public async Task Rejects_records_that_break_the_grammar(string record)
        {
            var o = await Evaluate(record);
            Assert.Equal(MtaStsTxtStatus.Invalid, o.Status);
            Assert.Contains("MtaSts.InvalidRecord", Codes(o));
        }

        [Fact]
        public async Task Follows_the_ABNF_for_white_space_before_the_semicolon_and_warns()
        {
            // Erratum 6285: sts-field-delim = *WSP ";" *WSP allows it; the literal "v=STSv1;" prefix test would not.
            var o = await Evaluate("v=STSv1 ; id=1");
            Assert.Equal(MtaStsTxtStatus.Valid, o.Status);
            Assert.Equal("1", o.Id);
            Assert.Contains("MtaSts.RecordSpaceBeforeSemicolon", Codes(o));
        }

        [Fact]
        public async Task Uses_the_first_id_when_repeated()
        {
            var o = await Evaluate("v=STSv1; id=first; id=second");
            Assert.Equal(MtaStsTxtStatus.Valid, o.Status);
            Assert.Equal("first", o.Id);
            Assert.Contains("MtaSts.DuplicateKey", Codes(o));
        }

        [Fact]
        public async Task Survives_a_10_KB_record_with_control_characters()
        {
            var record = "v=STSv1; id=1; x=" + new string('\u0001', 10000);
            var o = await Evaluate(record);
            Assert.Equal(MtaStsTxtStatus.Invalid, o.Status);
            Assert.All(o.Findings, f => Assert.DoesNotContain('\u0001', f.Message));
        }

        [Fact]
        public async Task A_repeated_extension_field_is_a_duplicate_key_and_the_first_counts()
        {
            // RFC 8461 §3.1 does not say which occurrence counts; like the policy (§3.2) the first one does.
            var o = await Evaluate("v=STSv1; id=1; ext=a; ext=b");
            Assert.Equal(MtaStsTxtStatus.Valid, o.Status);
            Assert.Equal("a", o.Extensions["ext"]);
            Assert.Contains("MtaSts.DuplicateKey", Codes(o));
        }

        [Fact]
        public async Task A_failed_lookup_is_an_error_and_never_no_record()
        {
            var zone = new ScriptedZone().ServFail(Name);
            var o = await new MtaStsTxtRecordLookup(zone).LookupAsync("example.com");
            Assert.Equal(MtaStsTxtStatus.TempError, o.Status);
            Assert.Equal(DnsLookupStatus.ServerFailure, o.LookupStatus);
            Assert.NotNull(o.Error);
            var finding = Assert.Single(o.Findings);
            Assert.Equal("MtaSts.RecordLookupFailed", finding.Code);
            Assert.Equal(Severity.Error, finding.Severity);
        }

        [Fact]
        public async Task A_name_too_long_to_ask_is_no_record_not_a_lookup_failure()
        {
            // _mta-sts. plus a 250-character domain exceeds the 253 characters of a DNS name (RFC 1035 §2.3.4): no record
            // can be published there, so a sender finds none. The DNS layer calls this InvalidName, not a lookup error.
            var label = new string('a', 61);
            var domain = $"{label}.{label}.{label}.{label}.ex"; // 4 * 61 + 4 dots + 2: a valid 250-character name
            Assert.Equal(250, domain.Length);
            var o = await new MtaStsTxtRecordLookup(new ScriptedZone()).LookupAsync(domain);
            Assert.Equal(MtaStsTxtStatus.NoRecord, o.Status);
            Assert.Equal(DnsLookupStatus.InvalidName, o.LookupStatus);
            Assert.Equal(new[] { "MtaSts.NoRecord" }, Codes(o));
            Assert.Null(MtaStsPolicyChecker.StopStatus(MtaStsTxtStatus.Valid));
            Assert.Equal(MtaStsStatus.NoRecord, MtaStsPolicyChecker.StopStatus(o.Status));
        }

        [Theory]
        [InlineData(MtaStsTxtStatus.NoRecord, MtaStsStatus.NoRecord)]
        [InlineData(MtaStsTxtStatus.MultipleRecords, MtaStsStatus.MultipleRecords)]
        [InlineData(MtaStsTxtStatus.Invalid, MtaStsStatus.InvalidRecord)]
        [InlineData(MtaStsTxtStatus.TempError, MtaStsStatus.LookupFailed)]
        public void Get_MtaStsPolicy_stops_discovery_with_the_status_of_the_record(MtaStsTxtStatus txt, MtaStsStatus expected)
            => Assert.Equal(expected, MtaStsPolicyChecker.StopStatus(txt));
    }
}
