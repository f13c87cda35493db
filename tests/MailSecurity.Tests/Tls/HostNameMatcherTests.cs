using System;
using MailSecurity.Tls;
using Xunit;

namespace MailSecurity.Tests.Tls
{
    /// <summary>RFC 6125 §6.4 as applied to mail (RFC 7672 §3.2.3, RFC 8461 §4.2; SPEC §1.4, §2.6).</summary>
    public class HostNameMatcherTests
    {
        [Theory]
        // Exact DNS-ID, compared case-insensitively (RFC 6125 §6.4.1), trailing dots ignored.
        [InlineData("mx.example.com", "mx.example.com", true)]
        [InlineData("MX.Example.COM", "mx.example.com", true)]
        [InlineData("mx.example.com.", "mx.example.com", true)]
        [InlineData("mx.example.com", "mx.example.net", false)]
        // Wildcard: the entire left-most label, exactly one label (RFC 6125 §6.4.3; RFC 7672 §3.2.3).
        [InlineData("*.example.com", "mx.example.com", true)]
        [InlineData("*.example.com", "example.com", false)]
        [InlineData("*.example.com", "a.mx.example.com", false)]
        [InlineData("*.mx.example.com", "a.mx.example.com", true)]
        // Partial-label and non-left-most wildcards never match (SPEC §2.6: "smtp*.example.com is not").
        [InlineData("smtp*.example.com", "smtp1.example.com", false)]
        [InlineData("*mx.example.com", "smx.example.com", false)]
        [InlineData("mx.*.example.com", "mx.a.example.com", false)]
        [InlineData("*.*.example.com", "a.b.example.com", false)]
        // A wildcard over a single remaining label would cover a whole TLD (RFC 6125 §7.2).
        [InlineData("*.com", "example.com", false)]
        [InlineData("*", "localhost", false)]
        // IDNs are compared as A-labels; a wildcard may stand for an A-label.
        [InlineData("xn--bcher-kva.example", "bücher.example", true)]
        [InlineData("*.xn--bcher-kva.example", "mx.bücher.example", true)]
        [InlineData("bücher.example", "bücher.example", false)]
        public void Matches_presented_identifiers_by_RFC_6125(string presented, string reference, bool expected)
        {
            var result = HostNameMatcher.Match(new[] { presented }, Array.Empty<string>(), reference);
            Assert.Equal(expected, result.Matches);
            Assert.Equal(expected ? HostNameMatchSource.DnsId : HostNameMatchSource.None, result.Source);
        }

        [Fact]
        public void Ignores_the_common_name_when_any_DNS_ID_exists()
        {
            var r = HostNameMatcher.Match(new[] { "other.example.com" }, new[] { "mx.example.com" }, "mx.example.com");
            Assert.False(r.Matches);
            Assert.Contains("common name would", r.Explanation);
        }

        [Fact]
        public void Uses_the_common_name_only_when_there_is_no_DNS_ID()
        {
            var r = HostNameMatcher.Match(Array.Empty<string>(), new[] { "mx.example.com" }, "mx.example.com");
            Assert.True(r.Matches);
            Assert.Equal(HostNameMatchSource.CommonName, r.Source);
            Assert.Equal("mx.example.com", r.MatchedIdentifier);
        }

        [Fact]
        public void Keeps_a_non_ASCII_DNS_ID_as_a_DNS_ID_so_the_CN_is_not_consulted()
        {
            // A U-label in a SAN is invalid but is still a DNS-ID: the CN fallback must not kick in.
            var r = HostNameMatcher.Match(new[] { "bücher.example" }, new[] { "xn--bcher-kva.example" }, "xn--bcher-kva.example");
            Assert.False(r.Matches);
        }

        [Theory]
        [InlineData("*.example.com")]
        [InlineData("192.0.2.1")]
        [InlineData("")]
        public void Never_matches_an_unusable_reference_name(string reference)
        {
            Assert.False(HostNameMatcher.Match(new[] { "*.example.com", "192.0.2.1" }, Array.Empty<string>(), reference).Matches);
        }

        [Fact]
        public void Reads_DNS_IDs_and_CN_from_a_real_certificate()
        {
            var cert = TestPki.SelfSignedLeaf("cn.example.net", new[] { "mx1.example.net", "*.mail.example.net" }).Certificate;
            HostNameMatcher.ReadIdentifiers(cert, out var dnsIds, out var cns);
            Assert.Equal(new[] { "mx1.example.net", "*.mail.example.net" }, dnsIds);
            Assert.Equal(new[] { "cn.example.net" }, cns);
            Assert.True(HostNameMatcher.Match(cert, "a.mail.example.net").Matches);
            Assert.False(HostNameMatcher.Match(cert, "cn.example.net").Matches); // CN ignored: DNS-IDs exist
            var cnOnly = TestPki.SelfSignedLeaf("cn.example.net").Certificate;
            Assert.Equal(HostNameMatchSource.CommonName, HostNameMatcher.Match(cnOnly, "CN.example.net.").Source);
        }
    }
}
