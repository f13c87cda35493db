using System.Linq;
using System.Threading.Tasks;
using MailSecurity.Bimi;
using MailSecurity.Dmarc;
using MailSecurity.Tests.Dns;
using Xunit;

namespace MailSecurity.Tests.Bimi
{
    public class BimiRecordTests
    {
        [Fact]
        public void A_full_record_is_parsed()
        {
            var p = BimiRecordParser.Parse("v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem; avp=personal; lps=sales,eu-news");
            Assert.True(p.IsValid);
            Assert.False(p.Declined);
            Assert.Equal("https://example.com/logo.svg", p.LogoUri);
            Assert.Equal("https://example.com/vmc.pem", p.EvidenceUri);
            Assert.Equal("personal", p.AvatarPreference);
            Assert.Equal(new[] { "sales", "eu-news" }, p.LocalPartSelectors);
        }

        [Fact]
        public void Empty_l_and_a_is_an_explicit_declination()
        {
            var p = BimiRecordParser.Parse("v=BIMI1; l=; a=;");
            Assert.True(p.IsValid);
            Assert.True(p.Declined);
        }

        [Theory]
        [InlineData("v=BIMI1;")]                                                   // l= is required
        [InlineData("v=BIMI1; l=http://example.com/logo.svg")]                     // HTTPS only
        [InlineData("v=BIMI1; l=https://example.com/logo.png")]                    // SVG/SVGZ only
        [InlineData("v=BIMI1; l=https://a.example/1.svg,https://b.example/2.svg")] // one URI in draft -12
        [InlineData("v=BIMI1; l=https://localhost/logo.svg")]                      // FQDN required
        [InlineData("v=BIMI1; l=https://example.com/logo.svg; a=ftp://example.com/vmc.pem")]
        [InlineData("v=BIMI1; l=https://example.com/logo.svg; l=https://example.com/x.svg")]
        public void Errors_are_not_repaired(string record)
        {
            Assert.False(BimiRecordParser.Parse(record).IsValid);
        }

        [Theory]
        [InlineData("v=BIMI1; l=", true)]
        [InlineData("v = BIMI1; l=", true)]      // *WSP "=" *WSP
        [InlineData("v=bimi1; l=", false)]       // must match precisely
        [InlineData("l=; v=BIMI1", false)]       // v first
        public void Version_must_come_first_and_match(string text, bool expected)
        {
            Assert.Equal(expected, BimiRecordParser.IsBimiRecord(text));
        }

        [Fact]
        public void Bad_optional_tags_are_ignored_with_a_warning()
        {
            var p = BimiRecordParser.Parse("v=BIMI1; l=https://example.com/logo.svg; avp=always");
            Assert.True(p.IsValid);
            Assert.Equal("brand", p.AvatarPreference);
            Assert.Contains(p.Problems, x => x.Key == BimiFindings.InvalidTagValue);
        }

        private static ScriptedZone Zone(string dmarc) => new ScriptedZone()
            .Mx("example.com", 10, "mx.example.com").Mx("sub.example.com", 10, "mx.example.com")
            .Txt("_dmarc.example.com", dmarc)
            .Txt("default._bimi.example.com", "v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem");

        [Fact]
        public async Task Organizational_domain_record_is_the_fallback()
        {
            var zone = Zone("v=DMARC1; p=reject; rua=mailto:d@example.com");
            var dmarc = new DmarcPolicyResolver(zone).ResolveAsync("sub.example.com");
            var r = await new BimiRecordLookup(zone).LookupAsync("sub.example.com", dmarc);
            Assert.Equal(BimiStatus.Valid, r.Status);
            Assert.Equal("example.com", r.RecordDomain);
            Assert.True(zone.WasAsked("default._bimi.sub.example.com", DnsClient.QueryType.TXT));
            Assert.DoesNotContain(r.Findings, f => f.Code == BimiFindings.DmarcNotEnforced.Code);
        }

        [Theory]
        [InlineData("v=DMARC1; p=none; rua=mailto:d@example.com", true)]
        [InlineData("v=DMARC1; p=reject; t=y; rua=mailto:d@example.com", false)]   // t=y: reject -> quarantine, still enforcing
        [InlineData("v=DMARC1; p=quarantine; t=y; rua=mailto:d@example.com", true)] // quarantine -> none
        [InlineData("v=DMARC1; p=reject; sp=none; rua=mailto:d@example.com", true)]
        [InlineData("v=DMARC1; p=quarantine; pct=50; rua=mailto:d@example.com", true)]
        [InlineData("v=DMARC1; p=reject; pct=50; rua=mailto:d@example.com", false)]       // not selected: quarantined (RFC 7489 §6.6.4)
        [InlineData("v=DMARC1; p=quarantine; rua=mailto:d@example.com", false)]
        public async Task Bimi_needs_an_enforcing_dmarc_policy(string dmarcRecord, bool flagged)
        {
            var zone = Zone(dmarcRecord);
            var dmarc = new DmarcPolicyResolver(zone).ResolveAsync("example.com");
            var r = await new BimiRecordLookup(zone).LookupAsync("example.com", dmarc);
            Assert.Equal(flagged, r.Findings.Any(f => f.Code == BimiFindings.DmarcNotEnforced.Code));
        }

        [Fact]
        public async Task Only_near_misses_at_the_name_say_how_many_txt_records_were_seen_not_the_rcode()
        {
            var zone = new ScriptedZone().Txt("default._bimi.example.com", "v=bimi1; l=https://example.com/a.svg");
            var r = await new BimiRecordLookup(zone).LookupAsync("example.com", null);
            Assert.Equal(BimiStatus.NoRecord, r.Status);
            Assert.Contains(r.Findings, f => f.Code == BimiFindings.RecordDiscarded.Code);
            var missing = r.Findings.Single(f => f.Code == BimiFindings.RecordMissing.Code).Message;
            Assert.Contains("has 1 TXT record(s), none a BIMI record", missing);
            Assert.DoesNotContain("Success", missing);
        }

        [Fact]
        public async Task Several_records_mean_no_bimi()
        {
            var zone = new ScriptedZone().Txt("default._bimi.example.com", "v=BIMI1; l=https://example.com/a.svg", "v=BIMI1; l=https://example.com/b.svg");
            var r = await new BimiRecordLookup(zone).LookupAsync("example.com", null);
            Assert.Equal(BimiStatus.MultipleRecords, r.Status);
        }
    }
}
