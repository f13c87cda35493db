using System;
using System.Linq;
using System.Net;
using MailSecurity.Spf;
using Xunit;

namespace MailSecurity.Tests.Spf
{
    public class SpfMacroExpanderTests
    {
        // RFC 7208 §7.4: <sender> strong-bad@email.example.com, IPv4 192.0.2.3, IPv6 2001:db8::cb01.
        private static SpfMacroContext V4 => new("strong-bad@email.example.com", "email.example.com", IPAddress.Parse("192.0.2.3"), "mx.example.org", "mx.example.net", DateTimeOffset.FromUnixTimeSeconds(1234567890));

        private static SpfMacroContext V6 => new("strong-bad@email.example.com", "email.example.com", IPAddress.Parse("2001:db8::cb01"), "mx.example.org", "mx.example.net", DateTimeOffset.FromUnixTimeSeconds(1234567890));

        [Theory]
        [InlineData("%{s}", "strong-bad@email.example.com")]
        [InlineData("%{o}", "email.example.com")]
        [InlineData("%{d}", "email.example.com")]
        [InlineData("%{d4}", "email.example.com")]
        [InlineData("%{d3}", "email.example.com")]
        [InlineData("%{d2}", "example.com")]
        [InlineData("%{d1}", "com")]
        [InlineData("%{dr}", "com.example.email")]
        [InlineData("%{d2r}", "example.email")]
        [InlineData("%{l}", "strong-bad")]
        [InlineData("%{l-}", "strong.bad")]
        [InlineData("%{lr}", "strong-bad")]
        [InlineData("%{lr-}", "bad.strong")]
        [InlineData("%{l1r-}", "strong")]
        [InlineData("%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com")]
        [InlineData("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com")]
        [InlineData("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com")]
        [InlineData("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com")]
        [InlineData("%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net")]
        public void Expands_the_RFC_7208_examples_for_IPv4(string spec, string expected)
            => Assert.Equal(expected, SpfMacroExpander.Expand(spec, SpfMacroSyntax.DomainSpec, V4));

        [Fact]
        public void Expands_the_RFC_7208_example_for_IPv6_as_dotted_nibbles()
            => Assert.Equal("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com",
                SpfMacroExpander.Expand("%{ir}.%{v}._spf.%{d2}", SpfMacroSyntax.DomainSpec, V6));

        [Fact]
        public void Explanation_letters_c_r_t_expand_only_in_explanations()
        {
            Assert.Equal("2001:db8::cb01 via mx.example.net at 1234567890", SpfMacroExpander.Expand("%{c} via %{r} at %{t}", SpfMacroSyntax.Explanation, V6));
            Assert.Equal("192.0.2.3", SpfMacroExpander.Expand("%{c}", SpfMacroSyntax.Explanation, V4));
            Assert.False(SpfMacroExpander.TryValidate("%{c}.example.com", SpfMacroSyntax.DomainSpec, out _));
            Assert.False(SpfMacroExpander.TryValidate("a b.example.com", SpfMacroSyntax.DomainSpec, out _));
            Assert.True(SpfMacroExpander.TryValidate("a b %{t}", SpfMacroSyntax.Explanation, out _));
        }

        [Fact]
        public void Escapes_expand_to_percent_space_and_url_space()
            => Assert.Equal("macro%percent  space%20url-space.example.com", SpfMacroExpander.Expand("macro%%percent%_%_space%-url-space.example.com", SpfMacroSyntax.DomainSpec, V4));

        [Fact]
        public void Upper_case_letters_are_url_escaped_outside_the_unreserved_set()
        {
            var c = new SpfMacroContext("~jack&jill=up-a_b3.c@e8.example.com", "e8.example.com", IPAddress.Parse("192.0.2.1"), null, "unknown", DateTimeOffset.UnixEpoch);
            // Expected value from the RFC 7208 test suite case upper-macro (unreserved = ALPHA / DIGIT / - . _ ~).
            Assert.Equal("l=~jack%26jill%3Dup-a_b3.c", SpfMacroExpander.Expand("l=%{L}", SpfMacroSyntax.Explanation, c));
            var h = new SpfMacroContext("a@b.example", "b.example", IPAddress.Parse("192.0.2.1"), "JUMPIN' JUPITER", "unknown", DateTimeOffset.UnixEpoch);
            Assert.Equal("JUMPIN%27%20JUPITER", SpfMacroExpander.Expand("%{H}", SpfMacroSyntax.DomainSpec, h));
        }

        [Fact]
        public void Several_delimiters_split_and_parts_rejoin_with_dots()
        {
            var c = new SpfMacroContext("foo-bar+zip+quux@e12.example.com", "e12.example.com", IPAddress.Parse("192.0.2.1"), null, "unknown", DateTimeOffset.UnixEpoch);
            Assert.Equal("bar.foo", SpfMacroExpander.Expand("%{l2r+-}", SpfMacroSyntax.DomainSpec, c));
            Assert.Equal("quux.zip.bar.foo", SpfMacroExpander.Expand("%{lr+-}", SpfMacroSyntax.DomainSpec, c));
        }

        [Fact]
        public void Digit_transformer_larger_than_the_parts_keeps_all_of_them_and_never_overflows()
        {
            Assert.Equal("email.example.com", SpfMacroExpander.Expand("%{d127}", SpfMacroSyntax.DomainSpec, V4));
            Assert.Equal("email.example.com", SpfMacroExpander.Expand("%{d99999999999999999999}", SpfMacroSyntax.DomainSpec, V4));
        }

        [Fact]
        public void Expanded_names_longer_than_253_lose_labels_on_the_left()
        {
            var labels = Enumerable.Range(0, 5).Select(i => new string((char)('a' + i), 63)).ToArray();
            var sender = "x@" + string.Join(".", labels); // 319 characters of domain
            var c = new SpfMacroContext(sender, "example.com", IPAddress.Parse("192.0.2.1"), null, "unknown", DateTimeOffset.UnixEpoch);
            // Four labels of 63 plus three dots is 255 > 253, three labels is 191: the left two labels go.
            Assert.Equal(string.Join(".", labels.Skip(2)), SpfMacroExpander.ExpandDomain("%{o}", c));
            Assert.Equal("example.com", SpfMacroExpander.ExpandDomain("example.com.", c)); // the trailing dot is dropped
        }

        [Fact]
        public void Reverse_names_follow_in_addr_and_ip6_arpa()
        {
            Assert.Equal("3.2.0.192.in-addr.arpa", SpfMacroExpander.ReverseName(IPAddress.Parse("192.0.2.3")));
            Assert.Equal("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa", SpfMacroExpander.ReverseName(IPAddress.Parse("2001:db8::cb01")));
        }

        [Theory]
        [InlineData("%{d0}")]
        [InlineData("%{x}")]
        [InlineData("%(ir)")]
        [InlineData("%")]
        [InlineData("%{}")]
        [InlineData("%{d2r?}")]
        [InlineData("%{\u00e9}")]
        public void Rejects_malformed_macros(string text)
            => Assert.False(SpfMacroExpander.TryValidate(text, SpfMacroSyntax.Explanation, out _));
    }
}
