using System.Linq;
using System.Text;
using MailSecurity.MtaSts;
using Xunit;

namespace MailSecurity.Tests.MtaSts
{
    /// <summary>RFC 8461 §3.2 policy grammar, with the errata 6253 (LF) and 7282 (max_age) decisions.</summary>
    public class MtaStsPolicyParserTests
    {
        private const string Target = "https://mta-sts.example.com/.well-known/mta-sts.txt";

        private static (MtaStsPolicy Policy, string[] Codes) Parse(string text)
        {
            var policy = MtaStsPolicyParser.Parse(text, Target, out var findings);
            return (policy, findings.Select(f => f.Code).ToArray());
        }

        [Fact]
        public void Parses_the_RFC_example_policy()
        {
            // The example of RFC 8461 §3.2.
            var (p, codes) = Parse("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n");
            Assert.True(p.IsValid);
            Assert.Equal("STSv1", p.Version);
            Assert.Equal(MtaStsMode.Enforce, p.Mode);
            Assert.Equal(604800, p.MaxAgeSeconds);
            Assert.Equal(new[] { "mail.example.com", "*.example.net", "backupmx.example.com" }, p.MxPatterns);
            Assert.True(p.UsesCrlf);
            Assert.Empty(codes);
        }

        [Fact]
        public void Accepts_LF_line_ends_as_erratum_6253_says()
        {
            var (p, codes) = Parse("version: STSv1\nmode: testing\nmx: mail.example.com\nmax_age: 86400\n");
            Assert.True(p.IsValid);
            Assert.False(p.UsesCrlf);
            Assert.Equal(MtaStsMode.Testing, p.Mode);
            Assert.DoesNotContain("MtaSts.PolicyLineInvalid", codes);
        }

        [Fact]
        public void Accepts_a_body_without_final_newline_and_any_field_order()
        {
            var (p, _) = Parse("max_age: 86400\nmx: mail.loc\nmode: enforce\nversion: STSv1");
            Assert.True(p.IsValid);
            Assert.Equal(new[] { "mail.loc" }, p.MxPatterns);
        }

        [Fact]
        public void Allows_white_space_after_the_colon_and_at_the_end_of_a_field()
        {
            var (p, _) = Parse("version:STSv1\nmode:\t enforce \t\nmx:   mail.example.com  \nmax_age: 604800\t\n");
            Assert.True(p.IsValid);
            Assert.Equal("mail.example.com", p.MxPatterns.Single());
        }

        [Fact]
        public void Mode_none_needs_no_mx()
        {
            var (p, codes) = Parse("version: STSv1\nmode: none\nmax_age: 86400\n");
            Assert.True(p.IsValid);
            Assert.Equal(MtaStsMode.None, p.Mode);
            Assert.DoesNotContain("MtaSts.MissingMx", codes);
            Assert.DoesNotContain("MtaSts.MaxAgeShort", codes); // a short max_age is the recommended way to opt out (§8.3)
        }

        [Theory]
        [InlineData("enforce")]
        [InlineData("testing")]
        public void Enforce_and_testing_need_at_least_one_mx(string mode)
        {
            var (p, codes) = Parse($"version: STSv1\nmode: {mode}\nmax_age: 86400\n");
            Assert.False(p.IsValid);
            Assert.Contains("MtaSts.MissingMx", codes);
        }

        [Theory]
        [InlineData("31557600", true)] // the maximum, one year
        [InlineData("0", true)]
        [InlineData("31557601", false)] // above the maximum: invalid, not clamped (erratum 7282 decision)
        [InlineData("9999999999", false)] // ten digits: grammatical but above the maximum
        public void Bounds_max_age_at_31557600(string value, bool valid)
        {
            var (p, codes) = Parse($"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: {value}\n");
            Assert.Equal(valid, p.IsValid);
            Assert.Equal(long.Parse(value, System.Globalization.CultureInfo.InvariantCulture), p.MaxAgeSeconds);
            Assert.Equal(!valid, codes.Contains("MtaSts.MaxAgeTooLarge"));
        }

        [Theory]
        [InlineData("xxx")]
        [InlineData("12345678901")] // eleven digits: sts-policy-max-age-value = 1*10(DIGIT)
        [InlineData("-1")]
        [InlineData("1e6")]
        [InlineData("")]
        [InlineData("86400 s")]
        public void Rejects_a_max_age_that_is_not_1_to_10_digits(string value)
        {
            var (p, codes) = Parse($"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: {value}\n");
            Assert.False(p.IsValid);
            Assert.Null(p.MaxAgeSeconds);
            Assert.Contains("MtaSts.MaxAgeInvalid", codes);
        }

        [Fact]
        public void Flags_a_max_age_shorter_than_a_week()
        {
            var (p, codes) = Parse("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 3600\n");
            Assert.True(p.IsValid);
            Assert.Contains("MtaSts.MaxAgeShort", codes);
            Assert.DoesNotContain("MtaSts.MaxAgeShort", Parse("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 604800\n").Codes);
        }

        [Theory]
        [InlineData("version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1\n", "MtaSts.PolicyVersionInvalid")]
        [InlineData("mode: enforce\nmx: a.example\nmax_age: 1\n", "MtaSts.PolicyVersionInvalid")]
        [InlineData("version: stsv1\nmode: enforce\nmx: a.example\nmax_age: 1\n", "MtaSts.PolicyVersionInvalid")]
        [InlineData("version: STSv1\nmode: doubt\nmx: a.example\nmax_age: 1\n", "MtaSts.ModeInvalid")]
        [InlineData("version: STSv1\nmode: Enforce\nmx: a.example\nmax_age: 1\n", "MtaSts.ModeInvalid")]
        [InlineData("version: STSv1\nmx: a.example\nmax_age: 1\n", "MtaSts.ModeInvalid")]
        [InlineData("version: STSv1\nMode: enforce\nmx: a.example\nmax_age: 1\n", "MtaSts.ModeInvalid")]
        [InlineData("version: STSv1\nmode: enforce\nmx: a.example\n", "MtaSts.MaxAgeInvalid")]
        [InlineData("garbage", "MtaSts.PolicyVersionInvalid")]
        public void Rejects_policies_missing_a_required_field(string text, string code)
        {
            var (p, codes) = Parse(text);
            Assert.False(p.IsValid);
            Assert.Contains(code, codes);
        }

        [Fact]
        public void Says_when_a_key_differs_only_in_case()
        {
            MtaStsPolicyParser.Parse("version: STSv1\nMode: enforce\nmx: a.example\nmax_age: 1\n", Target, out var findings);
            Assert.Contains(findings, f => f.Code == "MtaSts.ModeInvalid" && f.Message.Contains("'Mode'"));
        }

        [Fact]
        public void Keeps_the_first_of_duplicate_keys_and_every_mx()
        {
            var (p, codes) = Parse("version: STSv1\nmode: testing\nmode: enforce\nmx: a.example\nmx: b.example\nmax_age: 100000\nmax_age: 5\n");
            Assert.True(p.IsValid);
            Assert.Equal(MtaStsMode.Testing, p.Mode);
            Assert.Equal(100000, p.MaxAgeSeconds);
            Assert.Equal(new[] { "a.example", "b.example" }, p.MxPatterns);
            Assert.Equal(2, codes.Count(c => c == "MtaSts.DuplicateKey"));
        }

        [Fact]
        public void Ignores_unknown_keys_but_keeps_them()
        {
            var (p, codes) = Parse("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 604800\nfuture_key: some value\n");
            Assert.True(p.IsValid);
            Assert.Equal("some value", p.Extensions["future_key"]);
            Assert.Empty(codes);
        }

        [Fact]
        public void Ignores_a_line_that_is_not_key_value_with_a_warning()
        {
            var (p, codes) = Parse("version: STSv1\nmode: enforce\nthis is not a field\nmx: a.example\nmax_age: 604800\n");
            Assert.True(p.IsValid);
            Assert.Contains("MtaSts.PolicyLineInvalid", codes);
        }

        [Fact]
        public void Flags_invalid_mx_patterns()
        {
            var (p, codes) = Parse("version: STSv1\nmode: enforce\nmx: *.*.example.com\nmx: bücher.example\nmx: good.example\nmax_age: 604800\n");
            Assert.True(p.IsValid);
            Assert.Equal(2, codes.Count(c => c == "MtaSts.InvalidMxPattern"));
        }

        [Fact]
        public void Survives_hostile_input()
        {
            var huge = "version: STSv1\nmode: enforce\nmx: " + new string('a', 10000) + "\nmax_age: 1\n\u0000\u0007:\u001b\n";
            var (p, codes) = Parse(huge);
            Assert.Contains("MtaSts.InvalidMxPattern", codes);
            MtaStsPolicyParser.Parse(huge, Target, out var findings);
            Assert.All(findings, f => Assert.True(f.Message.Length < 400));
            Assert.DoesNotContain(findings, f => f.Message.Contains('\u001b'));
        }

        [Fact]
        public void Decodes_UTF8_strictly()
        {
            Assert.True(MtaStsPolicyParser.TryDecode(Encoding.UTF8.GetBytes("note: café\n"), out var ok));
            Assert.Equal("note: café\n", ok);
            Assert.False(MtaStsPolicyParser.TryDecode(new byte[] { (byte)'c', (byte)'a', (byte)'f', 0xE9, (byte)'\n' }, out var lenient));
            Assert.StartsWith("caf", lenient);
        }
    }
}
