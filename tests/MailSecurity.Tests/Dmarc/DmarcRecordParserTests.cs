using System;
using System.Diagnostics;
using System.Linq;
using MailSecurity.Dmarc;
using Xunit;

namespace MailSecurity.Tests.Dmarc
{
    public class DmarcRecordParserTests
    {
        private static bool Has(DmarcRecord r, FindingDescriptor d) => r.Findings.Any(f => f.Code == d.Code);

        [Theory]
        [InlineData("v=DMARC1; p=none", true)]
        [InlineData("v=DMARC1", true)]                       // dmarc-record = dmarc-version *(...): tags optional
        [InlineData("v = DMARC1 ;p=none", true)]              // equals = *WSP "=" *WSP; dmarc-sep = *WSP ";" *WSP
        [InlineData("V=DMARC1; p=none", true)]                // "v" is a plain ABNF literal: case-insensitive
        [InlineData("v=dmarc1; p=none", false)]               // %s"DMARC1": case-sensitive (RFC 9989 §4.8)
        [InlineData("p=none; v=DMARC1", false)]               // v MUST be first (§4.7)
        [InlineData("v=DMARC10; p=none", false)]
        [InlineData("v=DMARC1 p=none", false)]                // no separator
        [InlineData(" v=DMARC1; p=none", false)]              // nothing may precede the version
        [InlineData("", false)]
        public void Recognises_the_version_tag_per_rfc9989_grammar(string text, bool expected)
        {
            Assert.Equal(expected, DmarcRecordParser.IsDmarcRecord(text));
        }

        [Fact]
        public void Absent_tags_take_the_rfc9989_defaults()
        {
            var r = DmarcRecordParser.Parse("example.com", "v=DMARC1; p=reject");
            Assert.Equal(DmarcPolicyAction.Reject, r.Policy);
            Assert.Equal(DmarcPolicyAction.Reject, r.SubdomainPolicy);          // sp absent: p applies (§4.7 sp)
            Assert.Equal(DmarcPolicyAction.Reject, r.NonExistentSubdomainPolicy); // np absent: sp, else p (§4.7 np)
            Assert.Equal(DmarcAlignmentMode.Relaxed, r.DkimAlignment);          // adkim default r
            Assert.Equal(DmarcAlignmentMode.Relaxed, r.SpfAlignment);           // aspf default r
            Assert.Equal("0", r.FailureReportingOptions);                       // fo default 0
            Assert.Equal(DmarcPsdFlag.Undeclared, r.Psd);                       // psd default u
            Assert.False(r.Testing);                                            // t default n
            var adkim = r.Tags.Single(t => t.Name == "adkim");
            Assert.True(adkim.IsDefault);
            Assert.Null(adkim.Value);
            Assert.Equal("r", adkim.EffectiveValue);
            Assert.Equal(new[] { "v", "p", "sp", "np", "adkim", "aspf", "fo", "rua", "ruf", "psd", "t" }, r.Tags.Select(t => t.Name).ToArray());
        }

        [Fact]
        public void Np_falls_back_to_sp_before_p()
        {
            var r = DmarcRecordParser.Parse("example.com", "v=DMARC1; p=reject; sp=quarantine");
            Assert.Equal(DmarcPolicyAction.Quarantine, r.SubdomainPolicy);
            Assert.Equal(DmarcPolicyAction.Quarantine, r.NonExistentSubdomainPolicy);
            var np = DmarcRecordParser.Parse("example.com", "v=DMARC1; p=quarantine; sp=none; np=reject");
            Assert.Equal(DmarcPolicyAction.Reject, np.NonExistentSubdomainPolicy);
        }

        [Fact]
        public void Invalid_values_are_discarded_in_favour_of_defaults_with_a_finding()
        {
            var r = DmarcRecordParser.Parse("example.com", "v=DMARC1; p=reject; adkim=x; aspf=s; t=maybe");
            Assert.Equal(DmarcAlignmentMode.Relaxed, r.DkimAlignment);
            Assert.Equal(DmarcAlignmentMode.Strict, r.SpfAlignment);
            Assert.False(r.Testing);
            Assert.Equal(2, r.Findings.Count(f => f.Code == DmarcFindings.InvalidTagValue.Code));
            Assert.False(r.Tags.Single(t => t.Name == "adkim").IsValid);
        }

        [Fact]
        public void P_not_second_is_labelled_7489_strict_and_only_informational()
        {
            var r = DmarcRecordParser.Parse("example.com", "v=DMARC1; rua=mailto:d@example.com; p=reject");
            var f = Assert.Single(r.Findings, x => x.Code == DmarcFindings.PolicyNotSecond.Code);
            Assert.Equal(Severity.Info, f.Severity);
            Assert.Contains("7489-strict", f.Message, StringComparison.Ordinal);
            Assert.Equal(DmarcPolicyAction.Reject, r.Policy); // RFC 9989 §4.8 accepts any order
            Assert.False(Has(DmarcRecordParser.Parse("example.com", "v=DMARC1; p=reject; rua=mailto:d@example.com"), DmarcFindings.PolicyNotSecond));
        }

        [Fact]
        public void Pct_rf_ri_are_flagged_obsolete_and_pct_below_100_warns()
        {
            var r = DmarcRecordParser.Parse("example.com", "v=DMARC1; p=quarantine; pct=50; rf=afrf; ri=3600");
            var obsolete = r.Findings.Where(f => f.Code == DmarcFindings.ObsoleteTag.Code).ToList();
            Assert.Equal(3, obsolete.Count);
            Assert.All(obsolete, f => Assert.Contains("9989", f.Message, StringComparison.Ordinal));
            Assert.Equal(Severity.Warning, obsolete.Single(f => f.Message.Contains("pct")).Severity);
            Assert.Equal(50, r.Percentage);
            Assert.All(r.Tags.Where(t => t.Name == "pct" || t.Name == "rf" || t.Name == "ri"), t => Assert.True(t.IsObsolete));
        }

        [Fact]
        public void Missing_p_counts_as_none_only_with_a_valid_rua()
        {
            var withRua = DmarcRecordParser.Parse("example.com", "v=DMARC1; rua=mailto:d@example.com");
            Assert.True(Has(withRua, DmarcFindings.PolicyMissing));
            Assert.False(withRua.IsPolicyUsable);
            Assert.Equal("none", withRua.Tags.Single(t => t.Name == "p").EffectiveValue);

            var bare = DmarcRecordParser.Parse("example.com", "v=DMARC1; adkim=s");
            Assert.Null(bare.Tags.Single(t => t.Name == "p").EffectiveValue);
        }

        [Fact]
        public void A_p_tag_with_a_control_character_is_discarded_and_the_message_says_it_was_malformed_not_absent()
        {
            var r = DmarcRecordParser.Parse("example.com", "v=DMARC1; p=reject\u0001; rua=mailto:d@example.com");
            Assert.True(Has(r, DmarcFindings.SyntaxError));
            var missing = Assert.Single(r.Findings, f => f.Code == DmarcFindings.PolicyMissing.Code);
            Assert.Contains("malformed p tag", missing.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("has no p tag", missing.Message, StringComparison.Ordinal);
            Assert.Null(r.Policy);

            var absent = DmarcRecordParser.Parse("example.com", "v=DMARC1; rua=mailto:d@example.com");
            Assert.Contains("has no p tag", absent.Findings.Single(f => f.Code == DmarcFindings.PolicyMissing.Code).Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Invalid_p_is_an_error()
        {
            var r = DmarcRecordParser.Parse("example.com", "v=DMARC1; p=block");
            var f = Assert.Single(r.Findings, x => x.Code == DmarcFindings.InvalidPolicy.Code);
            Assert.Equal(Severity.Error, f.Severity);
            Assert.Null(r.Policy);
            Assert.Contains("p", r.InvalidPolicyTags);
        }

        [Theory]
        [InlineData("0", true)]
        [InlineData("1", true)]
        [InlineData("d", true)]
        [InlineData("1:d:s", true)]
        [InlineData("s:0", true)]
        [InlineData("0:1", false)]   // 0 and 1 are mutually exclusive
        [InlineData("d:d", false)]   // each at most once
        [InlineData("x", false)]
        [InlineData("", false)]
        public void Failure_options_follow_the_dmarc_fo_grammar(string fo, bool valid)
        {
            Assert.Equal(valid, DmarcRecordParser.IsFailureOptions(fo));
        }

        [Fact]
        public void Report_uris_are_checked()
        {
            var r = DmarcRecordParser.Parse("example.com",
                "v=DMARC1; p=none; rua=mailto:a@example.com!10m, mailto:b@ex!ample.com,https://r.example.net/x, mailto:noat");
            Assert.Single(r.Findings, f => f.Code == DmarcFindings.ObsoleteReportSize.Code);
            Assert.Equal(2, r.Findings.Count(f => f.Code == DmarcFindings.InvalidReportUri.Code));
            Assert.Single(r.Findings, f => f.Code == DmarcFindings.UnsupportedReportScheme.Code);
            Assert.True(r.HasValidAggregateReportUri);
            Assert.Equal(4, r.AggregateReportUris.Count);
        }

        [Fact]
        public void Duplicate_and_unknown_tags_are_reported()
        {
            var r = DmarcRecordParser.Parse("example.com", "v=DMARC1; p=reject; p=none; foo=bar");
            Assert.Equal(DmarcPolicyAction.Reject, r.Policy);
            Assert.Contains(r.Findings, f => f.Code == DmarcFindings.DuplicateTag.Code);
            Assert.Contains(r.Findings, f => f.Code == DmarcFindings.UnknownTag.Code);
        }

        [Fact]
        public void Hostile_input_gives_findings_not_crashes()
        {
            var control = DmarcRecordParser.Parse("example.com", "v=DMARC1; p=reject; rua=mailto:a@exa\u0007mple.com");
            Assert.Contains(control.Findings, f => f.Code == DmarcFindings.SyntaxError.Code && f.Message.Contains("\\x07"));
            Assert.Equal(DmarcPolicyAction.Reject, control.Policy);

            var huge = "v=DMARC1; p=none; rua=mailto:" + new string('a', 10_000) + "@example.com; x=" + new string(';', 5000);
            var sw = Stopwatch.StartNew();
            var r = DmarcRecordParser.Parse("example.com", huge);
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2));
            Assert.Equal(DmarcPolicyAction.None, r.Policy);
            Assert.All(r.Findings, f => Assert.True(f.Message.Length < 1000));
        }

        [Theory]
        [InlineData("v=dmarc1; p=none", "upper case")]
        [InlineData("v=DMARC1 p=none", "not followed by ';'")]
        [InlineData("p=reject; v=DMARC1", "does not begin")]
        public void Near_misses_are_explained(string text, string fragment)
        {
            Assert.Contains(fragment, DmarcRecordParser.ExplainNearMiss(text), StringComparison.Ordinal);
        }
    }
}
