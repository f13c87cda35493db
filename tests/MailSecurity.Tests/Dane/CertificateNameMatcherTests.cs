using MailSecurity.Dane;
using Xunit;

namespace MailSecurity.Tests.Dane
{
    public class CertificateNameMatcherTests
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
            Assert.Equal(expected, CertificateNameMatcher.Matches(presented, reference));
        }

        [Fact]
        public void Dns_ids_win_over_the_common_name()
        {
            var leaf = TestPki.SelfSignedLeaf("mx.example.com", new[] { "other.example.net" });
            var bc = new CandidateCertificate(leaf.Certificate.RawData, leaf.Certificate, 0).Parsed;
            var names = CertificateNameMatcher.PresentedNames(bc, out var fromSan);
            Assert.True(fromSan);
            Assert.Equal(new[] { "other.example.net" }, names);
            Assert.Null(CertificateNameMatcher.FirstMatch(names, new[] { "mx.example.com" }));
        }

        [Fact]
        public void Common_name_is_used_without_dns_ids_and_compared_case_insensitively()
        {
            var leaf = TestPki.SelfSignedLeaf("MX.Example.COM");
            var bc = new CandidateCertificate(leaf.Certificate.RawData, leaf.Certificate, 0).Parsed;
            var names = CertificateNameMatcher.PresentedNames(bc, out var fromSan);
            Assert.False(fromSan);
            Assert.Equal("mx.example.com", CertificateNameMatcher.FirstMatch(names, new[] { "example.com", "mx.example.com" }));
        }

        [Fact]
        public void Trailing_dot_in_a_dns_id_is_ignored()
        {
            var leaf = TestPki.SelfSignedLeaf("x", new[] { "mx.example.com." });
            var bc = new CandidateCertificate(leaf.Certificate.RawData, leaf.Certificate, 0).Parsed;
            Assert.Equal("mx.example.com", CertificateNameMatcher.FirstMatch(CertificateNameMatcher.PresentedNames(bc, out _), new[] { "mx.example.com" }));
        }
    }
}
