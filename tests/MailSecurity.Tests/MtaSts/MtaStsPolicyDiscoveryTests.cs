using System;
using System.Linq;
using MailSecurity.Dns;
using MailSecurity.MtaSts;
using Xunit;

namespace MailSecurity.Tests.MtaSts
{
    /// <summary>RFC 8461 §3.1 discovery rules, with the erratum 6285 decision (the ABNF is followed).</summary>
    public class MtaStsPolicyDiscoveryTests
    {
        private const string Name = "_mta-sts.example.com";

        private static MtaStsDiscoveryOutcome Evaluate(params string[] records)
            => MtaStsPolicyDiscovery.Evaluate(Name, records.Length == 0 ? DnsLookupStatus.NoData : DnsLookupStatus.Success, DnssecStatus.Insecure, Array.Empty<string>(), records);

        private static string[] Codes(MtaStsDiscoveryOutcome o) => o.Findings.Select(f => f.Code).ToArray();

        [Theory]
        [InlineData("v=STSv1; id=20160831085700Z;")] // RFC 8461 §3.1 example
        [InlineData("v=STSv1;id=20180907T090909;")]
        [InlineData("v=STSv1; id=1")]
        [InlineData("v=STSv1;id=abcdefghijklmnopqrstuvwxyzABCDEF")] // 32 characters
        [InlineData("v=STSv1; id=20240101; ext_1.a-b=value")]
        public void Accepts_a_single_valid_record(string record)
        {
            var o = Evaluate(record);
            Assert.Null(o.StopStatus);
            Assert.Equal(record, o.Evidence.Record);
            Assert.NotNull(o.Evidence.Id);
            Assert.Empty(Codes(o));
        }

        [Fact]
        public void Extracts_the_id()
            => Assert.Equal("20160831085700Z", Evaluate("v=STSv1; id=20160831085700Z;").Evidence.Id);

        [Fact]
        public void No_record_is_a_finding_not_an_error()
        {
            var o = Evaluate();
            Assert.Equal(MtaStsStatus.NoRecord, o.StopStatus);
            Assert.Equal(new[] { "MtaSts.NoRecord" }, Codes(o));
            Assert.Equal(Severity.Info, o.Findings[0].Severity);
        }

        [Fact]
        public void Drops_records_that_do_not_begin_with_v_STSv1()
        {
            var o = Evaluate("v=spf1 -all", "some-verification=abc", "v=STSv1; id=1");
            Assert.Null(o.StopStatus);
            Assert.Equal(new[] { "v=STSv1; id=1" }, o.Evidence.StsRecords);
        }

        [Theory]
        [InlineData("id=20180907T090909; v=STSv1;")] // version not first (reference bad-record1)
        [InlineData("v=STSv12;id=20180907T090909;")] // another version token (reference bad-record3)
        [InlineData("V=STSv1; id=1")] // case-sensitive (%s)
        [InlineData("v=stsv1; id=1")]
        [InlineData(" v=STSv1; id=1")]
        public void Ignores_look_alike_records_with_a_warning(string record)
        {
            var o = Evaluate(record);
            Assert.Equal(MtaStsStatus.NoRecord, o.StopStatus);
            Assert.Contains("MtaSts.RecordIgnored", Codes(o));
            Assert.Contains("MtaSts.NoRecord", Codes(o));
        }

        [Fact]
        public void Garbage_is_no_record()
            => Assert.Equal(MtaStsStatus.NoRecord, Evaluate("azazaza;asdasdasdasd").StopStatus);

        [Fact]
        public void Two_STSv1_records_mean_no_policy_even_when_identical()
        {
            var o = Evaluate("v=STSv1; id=1", "v=STSv1; id=1");
            Assert.Equal(MtaStsStatus.MultipleRecords, o.StopStatus);
            Assert.Contains("MtaSts.MultipleRecords", Codes(o));
            Assert.Null(o.Evidence.Id);
        }

        [Theory]
        [InlineData("v=STSv1; id=2024-01-01")] // hyphen
        [InlineData("v=STSv1; id=2024.01.01")]
        [InlineData("v=STSv1; id=2024_01")]
        [InlineData("v=STSv1; id=")]
        [InlineData("v=STSv1; id=abcdefghijklmnopqrstuvwxyzABCDEFG")] // 33 characters
        [InlineData("v=STSv1; id=caf\u00e9")]
        [InlineData("v=STSv1; ext=1")] // no id
        public void Rejects_a_missing_or_malformed_id(string record)
        {
            var o = Evaluate(record);
            Assert.Equal(MtaStsStatus.InvalidRecord, o.StopStatus);
            Assert.Contains("MtaSts.InvalidId", Codes(o));
            Assert.Contains("MtaSts.InvalidRecord", Codes(o));
            Assert.Null(o.Evidence.Id);
            Assert.Equal(record, o.Evidence.Record);
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
        public void Rejects_records_that_break_the_grammar(string record)
        {
            var o = Evaluate(record);
            Assert.Equal(MtaStsStatus.InvalidRecord, o.StopStatus);
            Assert.Contains("MtaSts.InvalidRecord", Codes(o));
        }

        [Fact]
        public void Follows_the_ABNF_for_white_space_before_the_semicolon_and_warns()
        {
            // Erratum 6285: sts-field-delim = *WSP ";" *WSP allows it; the literal "v=STSv1;" prefix test would not.
            var o = Evaluate("v=STSv1 ; id=1");
            Assert.Null(o.StopStatus);
            Assert.Equal("1", o.Evidence.Id);
            Assert.Contains("MtaSts.RecordSpaceBeforeSemicolon", Codes(o));
        }

        [Fact]
        public void Uses_the_first_id_when_repeated()
        {
            var o = Evaluate("v=STSv1; id=first; id=second");
            Assert.Null(o.StopStatus);
            Assert.Equal("first", o.Evidence.Id);
            Assert.Contains("MtaSts.DuplicateKey", Codes(o));
        }

        [Fact]
        public void Survives_a_10_KB_record_with_control_characters()
        {
            var record = "v=STSv1; id=1; x=" + new string('\u0001', 10000);
            var o = Evaluate(record);
            Assert.Equal(MtaStsStatus.InvalidRecord, o.StopStatus);
            Assert.All(o.Findings, f => Assert.DoesNotContain('\u0001', f.Message));
        }
    }
}
