using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using MailSecurity.Spf;
using Xunit;

namespace MailSecurity.Tests.Spf
{
    public class SpfRecordParserTests
    {
        [Theory]
        [InlineData("v=spf1", true)]
        [InlineData("v=spf1 -all", true)]
        [InlineData("V=SpF1 a", true)]
        [InlineData("v=spf10", false)] // §4.5: the version must be followed by a space or the end
        [InlineData("v=spf1\t-all", false)]
        [InlineData("v=spf2.0/pra", false)]
        [InlineData(" v=spf1", false)]
        [InlineData("", false)]
        [InlineData(null, false)]
        public void Selects_records_by_exact_version_prefix(string? text, bool expected)
            => Assert.Equal(expected, SpfRecordParser.IsSpfRecord(text));

        [Fact]
        public void Parses_every_mechanism_with_qualifiers_and_prefix_lengths()
        {
            var r = SpfRecordParser.Parse("v=spf1 +a -mx:example.com/24//64 ~ptr ?ip4:192.0.2.0/24 ip6:2001:db8::/32 exists:%{i}.bl.example.com include:_spf.example.com redirect=_spf.example.net exp=explain.%{d} foo=bar -all");
            Assert.True(r.IsValid, string.Join(" ", r.Errors));
            var kinds = r.Terms.Select(t => t.Kind).ToArray();
            Assert.Equal(new[] { SpfTermKind.A, SpfTermKind.Mx, SpfTermKind.Ptr, SpfTermKind.Ip4, SpfTermKind.Ip6, SpfTermKind.Exists, SpfTermKind.Include, SpfTermKind.Redirect, SpfTermKind.Explanation, SpfTermKind.UnknownModifier, SpfTermKind.All }, kinds);
            Assert.Equal(new[] { SpfQualifier.Pass, SpfQualifier.Fail, SpfQualifier.SoftFail, SpfQualifier.Neutral }, r.Terms.Take(4).Select(t => t.Qualifier));
            var mx = r.Terms[1];
            Assert.Equal("example.com", mx.DomainSpec);
            Assert.Equal(24, mx.Ip4PrefixLength);
            Assert.Equal(64, mx.Ip6PrefixLength);
            Assert.Equal("192.0.2.0", r.Terms[3].Network);
            Assert.Equal(32, r.Terms[4].Ip6PrefixLength);
            Assert.Equal("_spf.example.net", r.Redirect!.DomainSpec);
            Assert.Equal("foo", r.Terms[9].ModifierName);
            // include, a, mx, ptr, exists count; redirect does not because 'all' is present (it can never be used).
            Assert.Equal(5, r.DnsLookupTermCount);
        }

        [Theory]
        [InlineData("v=spf1", 0)]
        [InlineData("v=spf1 ", 0)]
        [InlineData("v=spf1  a  -all  ", 2)] // 1*SP between terms, *SP at the end
        [InlineData("v=spf1 a:foo.example.xn--zckzah -all", 2)] // toplabel with dashes (IDN TLD)
        [InlineData("v=spf1 a:foo:bar/baz.example.com", 1)] // domain-spec may hold any visible character but '%'
        [InlineData("v=spf1 a:macro%%percent%_%_space%-url-space.example.com -all", 2)]
        [InlineData("v=spf1 exists:%{i}", 1)] // domain-end may be a macro
        [InlineData("v=spf1 a:example.com%%", 1)] // ... or one of the escapes, which are macro-expands too
        [InlineData("v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all", 3)]
        [InlineData("v=spf1 default=+", 1)]
        [InlineData("v=spf1 a:museum.example.", 1)] // one trailing dot is allowed
        [InlineData("v=spf1 ip4:0.0.0.0/0 ip6:::/0", 2)]
        [InlineData("v=spf1 ip6:::FFFF:1.2.3.4 ip6:Cafe:Babe:8000::/33", 2)]
        [InlineData("v=spf1 a//0 mx/0 a/32//128", 3)]
        public void Accepts_valid_grammar_edge_cases(string text, int terms)
        {
            var r = SpfRecordParser.Parse(text);
            Assert.True(r.IsValid, string.Join(" ", r.Errors));
            Assert.Equal(terms, r.Terms.Count);
        }

        [Theory]
        [InlineData("v=spf1 ip4:192.0.2", "dotted-quad")] // §5.6: no abbreviated networks
        [InlineData("v=spf1 ip4:192.0.2.01", "dotted-quad")]
        [InlineData("v=spf1 ip4:1.2.3.4/032", "prefix length")]
        [InlineData("v=spf1 ip4:1.2.3.4/33", "prefix length")]
        [InlineData("v=spf1 ip4:1.2.3.4//32", "prefix length")]
        [InlineData("v=spf1 ip4:1.2.3.4:8080", "dotted-quad")]
        [InlineData("v=spf1 ip4", "needs ':'")]
        [InlineData("v=spf1 ip6:::1.1.1.1/129", "prefix length")]
        [InlineData("v=spf1 ip6:::1.1.1.1//33", "prefix length")]
        [InlineData("v=spf1 ip6::CAFE::BABE", "IPv6")]
        [InlineData("v=spf1 ip6:1.2.3.4", "IPv6")]
        [InlineData("v=spf1 a/33", "IPv4 prefix length")]
        [InlineData("v=spf1 a//129", "IPv6 prefix length")]
        [InlineData("v=spf1 a/24/64", "dual prefix")]
        [InlineData("v=spf1 -all.", "no argument")]
        [InlineData("v=spf1 -all:foobar", "no argument")]
        [InlineData("v=spf1 -all/8", "no argument")]
        [InlineData("v=spf1 ptr/0", "no prefix length")]
        [InlineData("v=spf1 ptr:", "empty")]
        [InlineData("v=spf1 include", "needs ':'")]
        [InlineData("v=spf1 include:", "empty")]
        [InlineData("v=spf1 a:", "empty")]
        [InlineData("v=spf1 mx: -all", "empty")]
        [InlineData("v=spf1 exists", "needs ':'")]
        [InlineData("v=spf1 include:ip5.example.com/24", "top-level label")]
        [InlineData("v=spf1 redirect:t2.example.com", "is a modifier")]
        [InlineData("v=spf1 1up=foo", "modifier name must start with a letter")]
        [InlineData("v=spf1 =all", "neither a mechanism nor a modifier")]
        [InlineData("v=spf1 moo", "not a mechanism")]
        [InlineData("v=spf1 moo.cow/far_out=man:dog/cat", "cannot follow")]
        [InlineData("v=spf1 -all foo=%abc", "'%a'")]
        [InlineData("v=spf1 exp=", "empty")]
        [InlineData("v=spf1 ?all redirect=", "empty")]
        [InlineData("v=spf1 redirect=-all ?all", "top-level label")]
        [InlineData("v=spf1 a:foo-bar -all", "does not end in a dot")]
        [InlineData("v=spf1 a:museum", "does not end in a dot")]
        [InlineData("v=spf1 a:museum.", "does not end in a dot")]
        [InlineData("v=spf1 a:abc.123", "top-level label")] // not all numeric
        [InlineData("v=spf1 a:111.222.33.44", "top-level label")]
        [InlineData("v=spf1 a:example.com:8080", "top-level label")]
        [InlineData("v=spf1 a:example.-com", "top-level label")]
        [InlineData("v=spf1 a:%{a}.example.com -all", "not a macro letter")]
        [InlineData("v=spf1 -all exp=%{r}.example.com", "only in explanation")] // §7.2: c, r, t only in exp text
        [InlineData("v=spf1 exists:%{d0}.example.com", "zero parts")]
        [InlineData("v=spf1 -exists:%(ir).sbl.example.com ?all", "'%('")]
        [InlineData("v=spf1 exists:foo%.sbl.example.com", "'%.'")]
        [InlineData("v=spf1 exists:foo.example.com%", "lone '%'")]
        [InlineData("v=spf1 exists:%{d", "without a closing")]
        [InlineData("v=spf1 exists:%{dx}.example.com", "delimiters")]
        [InlineData("v=spf1 redirect=a.example.com redirect=b.example.com", "appears 2 times")]
        [InlineData("v=spf1 exp=a.example.com -all exp=b.example.com", "appears 2 times")]
        [InlineData("v=spf1 a:foo.example.com\0", "control character 0x00")]
        [InlineData("v=spf1 a:ctrl.example.com\rptr -all", "control character 0x0D")] // only SP separates terms
        [InlineData("v=spf1 ip4:192.0.2.5\n include:x.example.com ~all", "dotted-quad")]
        [InlineData("v=spf1 a\t-all", "may only be followed")]
        [InlineData("v=spf1 a:\u00ef\u00bb\u00bfgarbage.example.net -all", "non-ASCII")]
        [InlineData("v=spf1 \u0080a:example.net -all", "neither a mechanism nor a modifier")]
        [InlineData("v=spf10 -all", "does not start with 'v=spf1'")]
        public void Rejects_grammar_violations_with_a_specific_reason(string text, string fragment)
        {
            var r = SpfRecordParser.Parse(text);
            Assert.False(r.IsValid);
            Assert.Contains(r.Errors, e => e.IndexOf(fragment, StringComparison.Ordinal) >= 0);
        }

        [Fact]
        public void Keeps_the_terms_of_an_invalid_record_and_names_the_term()
        {
            var r = SpfRecordParser.Parse("v=spf1 ip4:1.2.3.4 -all moo");
            Assert.False(r.IsValid);
            Assert.Equal(3, r.Terms.Count);
            Assert.Single(r.Errors);
            Assert.StartsWith("Term 3 'moo'", r.Errors[0]);
            Assert.Null(r.Terms[0].Error);
        }

        [Fact]
        public void Parses_a_10_KB_record_quickly()
        {
            var sb = new StringBuilder("v=spf1");
            for (var i = 0; sb.Length < 10_000; i++)
            {
                sb.Append(" ip4:10.").Append(i / 256 % 256).Append('.').Append(i % 256).Append(".0/24");
            }

            sb.Append(" -all");
            var sw = Stopwatch.StartNew();
            var r = SpfRecordParser.Parse(sb.ToString());
            Assert.True(r.IsValid, string.Join(" ", r.Errors.Take(3)));
            Assert.True(r.Terms.Count > 500);
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), $"took {sw.Elapsed}");
        }

        [Fact]
        public void Rejects_a_10_KB_string_of_control_characters_without_crashing()
        {
            var r = SpfRecordParser.Parse("v=spf1 a:" + new string('\u0007', 10_000) + ".example.com");
            Assert.False(r.IsValid);
            Assert.Contains("control character 0x07", r.Errors[0]);
            Assert.True(r.Errors[0].Length < 400, "the message must stay short: " + r.Errors[0].Length);
        }

        [Fact]
        public void Rejects_a_10_KB_single_term_without_crashing()
        {
            var r = SpfRecordParser.Parse("v=spf1 include:" + new string('a', 10_000) + " -all");
            Assert.False(r.IsValid);
            Assert.Contains("does not end in a dot", r.Errors[0]);
        }
    }
}
