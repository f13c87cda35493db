using MailSecurity.MtaSts;
using Xunit;

namespace MailSecurity.Tests.MtaSts
{
    /// <summary>RFC 8461 §4.1 and App. B: a wildcard stands for exactly one whole left-most label.</summary>
    public class MtaStsMxMatcherTests
    {
        [Theory]
        [InlineData("mail.example.com", "mail.example.com", true)]
        [InlineData("mail.example.com", "mail2.example.com", false)]
        [InlineData("mail.example.com", "example.com", false)]
        [InlineData("*.example.com", "mail.example.com", true)]
        [InlineData("*.example.com", "example.com", false)] // the wildcard needs a label
        [InlineData("*.example.com", "a.b.example.com", false)] // and only one
        [InlineData("*.example.com", "mail.example.org", false)]
        [InlineData("*.example.com", "mailexample.com", false)]
        [InlineData("*.mx.microsoft", "tenant.h-v1.mx.microsoft", false)] // the real-world trap: two labels
        [InlineData("*.h-v1.mx.microsoft", "tenant.h-v1.mx.microsoft", true)]
        [InlineData("*.mail.protection.outlook.com", "contoso-com.mail.protection.outlook.com", true)]
        public void Applies_the_exact_section_4_1_rule(string pattern, string host, bool expected)
            => Assert.Equal(expected, MtaStsMxMatcher.Matches(pattern, host));

        [Theory]
        [InlineData("MAIL.Example.COM", "mail.example.com")]
        [InlineData("mail.example.com", "Mail.EXAMPLE.com")]
        [InlineData("*.EXAMPLE.com", "MX1.example.COM")]
        public void Compares_names_without_regard_to_case(string pattern, string host)
            => Assert.True(MtaStsMxMatcher.Matches(pattern, host));

        [Theory]
        [InlineData("mail.example.com.", "mail.example.com")]
        [InlineData("mail.example.com", "mail.example.com.")]
        [InlineData("*.example.com.", "mail.example.com.")]
        public void Ignores_one_trailing_dot(string pattern, string host)
            => Assert.True(MtaStsMxMatcher.Matches(pattern, host));

        [Fact]
        public void Matches_internationalised_names_written_as_A_labels()
        {
            // bücher.example is xn--bcher-kva.example (RFC 3492 sample encoding of "bücher").
            Assert.True(MtaStsMxMatcher.Matches("mx.xn--bcher-kva.example", "mx.xn--bcher-kva.example"));
            Assert.True(MtaStsMxMatcher.Matches("*.xn--bcher-kva.example", "mx.xn--bcher-kva.example"));
        }

        [Fact]
        public void Rejects_U_label_patterns_which_match_nothing()
        {
            Assert.False(MtaStsMxMatcher.IsValidPattern("mx.bücher.example", out var reason));
            Assert.Contains("A-label", reason);
            Assert.False(MtaStsMxMatcher.Matches("mx.bücher.example", "mx.xn--bcher-kva.example"));
        }

        [Theory]
        [InlineData("*")]
        [InlineData("*.")]
        [InlineData("*.com")] // a wildcard over a single label (a TLD)
        [InlineData("*.*.example.com")]
        [InlineData("mail.*.example.com")]
        [InlineData("m*.example.com")]
        [InlineData("*mail.example.com")]
        [InlineData("**.example.com")]
        [InlineData("mail..example.com")]
        [InlineData(".example.com")]
        [InlineData("")]
        [InlineData(".")]
        [InlineData("-mail.example.com")]
        [InlineData("mail_1.example.com")]
        [InlineData("mail example.com")]
        public void Rejects_invalid_patterns(string pattern)
        {
            Assert.False(MtaStsMxMatcher.IsValidPattern(pattern, out var reason));
            Assert.NotEmpty(reason);
            Assert.False(MtaStsMxMatcher.Matches(pattern, "mail.example.com"));
        }

        [Fact]
        public void A_wildcard_pattern_does_not_match_a_host_that_is_itself_a_wildcard_label_only()
        {
            Assert.False(MtaStsMxMatcher.Matches("*.example.com", ".example.com"));
            Assert.False(MtaStsMxMatcher.Matches("*.example.com", "*.example.com.evil"));
        }

        [Fact]
        public void Rejects_labels_longer_than_63_characters()
        {
            var label = new string('a', 64);
            Assert.False(MtaStsMxMatcher.IsValidPattern(label + ".example.com", out _));
            Assert.True(MtaStsMxMatcher.IsValidPattern(new string('a', 63) + ".example.com", out _));
        }

        [Fact]
        public void FirstMatch_returns_the_first_pattern_in_policy_order()
        {
            var patterns = new[] { "mx1.example.com", "*.example.com", "mail.example.com" };
            Assert.Equal("*.example.com", MtaStsMxMatcher.FirstMatch(patterns, "mail.example.com"));
            Assert.Null(MtaStsMxMatcher.FirstMatch(patterns, "example.com"));
        }
    }
}
