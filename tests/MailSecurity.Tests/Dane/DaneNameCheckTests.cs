using MailSecurity.Dane;
using MailSecurity.Tls;
using MailSecurity.Tests.Tls;
using Xunit;

namespace MailSecurity.Tests.Dane
{
    /// <summary>
    /// The DANE-TA name check (RFC 7672 §3.2.2, §3.2.3; SPEC §2.6) goes through the one RFC 6125 matcher,
    /// <see cref="HostNameMatcher"/>, reading names from the certificate as the DANE matcher parsed it.
    /// </summary>
    public class DaneNameCheckTests
    {
        [Theory]
        [InlineData("mx.example.com", "mx.example.com", true)]
        [InlineData("*.example.com", "mx.example.com", true)]
        [InlineData("*.example.com", "example.com", false)]          // the wildcard stands for exactly one label
        [InlineData("*.example.com", "a.b.example.com", false)]
        [InlineData("smtp*.example.com", "smtp1.example.com", false)] // only the entire left-most label (RFC 7672 §3.2.3)
        [InlineData("*mx.example.com", "amx.example.com", false)]
        [InlineData("mx.*.com", "mx.example.com", false)]
        [InlineData("*.*.example.com", "a.b.example.com", false)]
        [InlineData("*.com", "example.com", false)]
        [InlineData("mx.example.com", "mx.example.org", false)]
        [InlineData("*.example.com", "*.example.com", false)]
        public void Wildcards_match_one_whole_left_most_label(string presented, string reference, bool expected)
        {
            Assert.Equal(expected, HostNameMatcher.MatchesPattern(presented, reference));
        }

        [Fact]
        public void Dns_ids_win_over_the_common_name()
        {
            var leaf = TestPki.SelfSignedLeaf("mx.example.com", new[] { "other.example.net" });
            var bc = new CandidateCertificate(leaf.Certificate.RawData, leaf.Certificate, 0).Parsed;
            HostNameMatcher.ReadIdentifiers(bc, out var dnsIds, out var commonNames);
            Assert.Equal(new[] { "other.example.net" }, dnsIds);
            Assert.Equal(new[] { "mx.example.com" }, commonNames);
            Assert.Null(HostNameMatcher.FirstMatch(dnsIds, commonNames, new[] { "mx.example.com" }));
        }

        [Fact]
        public void Common_name_is_used_without_dns_ids_and_compared_case_insensitively()
        {
            var leaf = TestPki.SelfSignedLeaf("MX.Example.COM");
            var bc = new CandidateCertificate(leaf.Certificate.RawData, leaf.Certificate, 0).Parsed;
            HostNameMatcher.ReadIdentifiers(bc, out var dnsIds, out var commonNames);
            Assert.Empty(dnsIds);
            var match = HostNameMatcher.FirstMatch(dnsIds, commonNames, new[] { "example.com", "mx.example.com" });
            Assert.NotNull(match);
            Assert.Equal("mx.example.com", match!.ReferenceName);
            Assert.Equal(HostNameMatchSource.CommonName, match.Source);
        }

        [Fact]
        public void Trailing_dot_in_a_dns_id_is_ignored()
        {
            var leaf = TestPki.SelfSignedLeaf("x", new[] { "mx.example.com." });
            var bc = new CandidateCertificate(leaf.Certificate.RawData, leaf.Certificate, 0).Parsed;
            HostNameMatcher.ReadIdentifiers(bc, out var dnsIds, out var commonNames);
            Assert.Equal("mx.example.com", HostNameMatcher.FirstMatch(dnsIds, commonNames, new[] { "mx.example.com" })!.ReferenceName);
        }

        [Fact]
        public void Reference_identifiers_are_tried_in_order_and_the_first_match_is_reported()
        {
            var leaf = TestPki.SelfSignedLeaf("x", new[] { "example.com", "mx.example.com" });
            var bc = new CandidateCertificate(leaf.Certificate.RawData, leaf.Certificate, 0).Parsed;
            HostNameMatcher.ReadIdentifiers(bc, out var dnsIds, out var commonNames);
            // RFC 7672 §3.2.2: the TLSA base domain is the primary reference identifier, the next-hop domain comes after.
            Assert.Equal("mx.example.com", HostNameMatcher.FirstMatch(dnsIds, commonNames, new[] { "mx.example.com", "example.com" })!.ReferenceName);
            Assert.Equal("example.com", HostNameMatcher.FirstMatch(dnsIds, commonNames, new[] { "other.example.com", "example.com" })!.ReferenceName);
        }

        [Fact]
        public void The_X509Certificate2_and_the_parsed_certificate_give_the_same_names()
        {
            var leaf = TestPki.SelfSignedLeaf("CN.example.net", new[] { "A.mail.example.net", "b.mail.example.net" });
            var bc = new CandidateCertificate(leaf.Certificate.RawData, leaf.Certificate, 0).Parsed;
            HostNameMatcher.ReadIdentifiers(bc, out var fromParsed, out var cnFromParsed);
            HostNameMatcher.ReadIdentifiers(leaf.Certificate, out var fromX509, out var cnFromX509);
            Assert.Equal(new[] { "a.mail.example.net", "b.mail.example.net" }, fromParsed);
            Assert.Equal(fromParsed, fromX509);
            Assert.Equal(cnFromParsed, cnFromX509);
        }
    }
}
