using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Reflection;
using System.Text;
using MailSecurity.Bimi;
using MailSecurity.Dkim;
using MailSecurity.Dmarc;
using MailSecurity.MtaSts;
using MailSecurity.Spf;
using MailSecurity.TlsRpt;
using Xunit;

namespace MailSecurity.Tests.Fuzz
{
    /// <summary>
    /// One test per row of the defect table of issue 18, each failing on the code before the fix. Expectations come from
    /// the ABNF in SPEC.md (RFC 8461 §3.1, RFC 8460 §3, RFC 7208 §5.6/§7, RFC 6376 §3.6.1), not from running the code.
    /// The complexity rows (quadratic ExpandDomain and DMARC) are in <see cref="ComplexityTests"/>.
    /// </summary>
    public class UntrustedInputRegressionTests
    {
        private static SpfMacroContext Context(string sender = "strong-bad@email.example.com")
            => new(sender, "email.example.com", IPAddress.Parse("192.0.2.3"), "mx.example.org", "mx.example.net", DateTimeOffset.FromUnixTimeSeconds(1234567890));

        [Theory]
        [InlineData("")]
        [InlineData("v=STS")]
        [InlineData("v")]
        public void Mta_sts_txt_parser_reports_a_missing_version_instead_of_throwing(string text)
        {
            var result = MtaStsTxtRecordParser.Parse(text);
            Assert.False(result.IsValid);
            Assert.Contains(result.Errors, e => e.Contains("v=STSv1", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData("")]
        [InlineData("v=TLSRPT")]
        public void Tls_rpt_parser_reports_a_missing_version_instead_of_throwing(string text)
        {
            var result = TlsRptRecordParser.Parse(text);
            Assert.Contains(result.Errors, e => e.Contains("v=TLSRPTv1", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData("XXXXXXX; id=20240101")] // as long as "v=STSv1": the version used to be skipped by length
        [InlineData("v=stsv1; id=1")] // %s"v=STSv1" is case-sensitive
        [InlineData("v=STSv2; id=1")]
        public void Mta_sts_txt_versions_are_compared_not_skipped(string text)
        {
            var result = MtaStsTxtRecordParser.Parse(text);
            Assert.False(result.IsValid);
            Assert.Contains(result.Errors, e => e.Contains("not with v=STSv1", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData("XXXXXXXXXX; rua=mailto:tlsrpt@example.com")]
        [InlineData("v=tlsrptv1; rua=mailto:tlsrpt@example.com")]
        public void Tls_rpt_versions_are_compared_not_skipped(string text)
        {
            var result = TlsRptRecordParser.Parse(text);
            Assert.Contains(result.Errors, e => e.Contains("not with v=TLSRPTv1", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData("v=spf1 ip6:[::1]:25 -all")]
        [InlineData("v=spf1 ip6:[::1] -all")]
        [InlineData("v=spf1 ip6:[2001:db8::1]/64 -all")]
        [InlineData("v=spf1 ip6:fe80::1%eth0 -all")]
        [InlineData("v=spf1 ip6:2001:db8:::1 -all")]
        [InlineData("v=spf1 ip6:1:2:3:4:5:6:7:8:9 -all")]
        [InlineData("v=spf1 ip6:1:2:3:4:5:6:7 -all")]
        [InlineData("v=spf1 ip6:12345::1 -all")]
        [InlineData("v=spf1 ip6:1.2.3.4::1 -all")]
        [InlineData("v=spf1 ip6:::1.2.3 -all")]
        public void Spf_ip6_takes_only_rfc4291_text_forms(string record)
        {
            // RFC 7208 §5.6: ip6-network is an RFC 4291 §2.2 address: no brackets, port, zone or malformed group.
            var parsed = SpfRecordParser.Parse(record);
            Assert.False(parsed.IsValid);
            Assert.NotNull(parsed.Terms.Single(t => t.Kind == SpfTermKind.Ip6).Error);
        }

        [Theory]
        [InlineData("v=spf1 ip6:::1 -all")]
        [InlineData("v=spf1 ip6::: -all")]
        [InlineData("v=spf1 ip6:2001:db8::/32 -all")]
        [InlineData("v=spf1 ip6:::ffff:192.0.2.1 -all")]
        [InlineData("v=spf1 ip6:1:2:3:4:5:6:7:8/128 -all")]
        [InlineData("v=spf1 ip6:1:2:3:4:5:6:1.2.3.4 -all")]
        [InlineData("v=spf1 ip6:1:2:3:4:5:6:7:: -all")]
        [InlineData("v=spf1 ip6:FE80::ABCD -all")]
        public void Spf_ip6_accepts_every_rfc4291_text_form(string record)
            => Assert.True(SpfRecordParser.Parse(record).IsValid, string.Join(" ", SpfRecordParser.Parse(record).Errors));

        [Theory]
        [InlineData("%{d0}.example.com")]
        [InlineData("%{d00}.example.com")]
        [InlineData("%{d0000000000}.example.com")]
        [InlineData("%{d00000000000000000000r}.example.com")]
        public void Spf_macro_digit_transformer_zero_is_refused_however_written(string spec)
        {
            // RFC 7208 §7.1: the digit transformer must be nonzero.
            Assert.False(SpfMacroExpander.TryValidate(spec, SpfMacroSyntax.DomainSpec, out var error));
            Assert.Contains("zero parts", error, StringComparison.Ordinal);
        }

        [Fact]
        public void Spf_macro_leading_zeros_do_not_change_the_number()
            => Assert.Equal("com", SpfMacroExpander.Expand("%{d0000000001}", SpfMacroSyntax.DomainSpec, Context()));

        [Theory]
        [InlineData("")]
        [InlineData("foo")]
        [InlineData("foo.123")]
        [InlineData("%{d}.foo.-bar")]
        public void Expand_refuses_a_domain_spec_that_TryValidate_refuses(string spec)
        {
            Assert.False(SpfMacroExpander.TryValidate(spec, SpfMacroSyntax.DomainSpec, out _));
            Assert.Throws<FormatException>(() => SpfMacroExpander.Expand(spec, SpfMacroSyntax.DomainSpec, Context()));
            Assert.Throws<FormatException>(() => SpfMacroExpander.ExpandDomain(spec, Context()));
        }

        [Fact]
        public void Expand_domain_drops_labels_from_the_left_until_253_characters()
        {
            // RFC 7208 §7.3, with 40,000 copies (a trailing "%{d}." alone is no domain-end, §7.1): the right-most whole labels that fit.
            var name = SpfMacroExpander.ExpandDomain(string.Concat(Enumerable.Repeat("%{d}.", 40_000)) + "%{d}", Context());
            Assert.True(name.Length <= 253);
            Assert.EndsWith("email.example.com", name, StringComparison.Ordinal);
            Assert.True(name.Length >= 253 - "example.".Length, $"{name.Length}"); // no more than one label short of 253
            Assert.All(name.Split('.'), label => Assert.Contains(label, new[] { "email", "example", "com" })); // whole labels only
            Assert.False(name.EndsWith(".", StringComparison.Ordinal));
        }

        [Fact]
        public void Expand_domain_with_a_200_KB_sender_keeps_the_right_end()
        {
            var sender = string.Concat(Enumerable.Repeat("ab.", 70_000)) + "x@email.example.com";
            var name = SpfMacroExpander.ExpandDomain("%{s}", Context(sender));
            Assert.True(name.Length <= 253);
            Assert.EndsWith(".x@email.example.com", name, StringComparison.Ordinal);
            Assert.StartsWith("ab.", name, StringComparison.Ordinal);
        }

        [Fact]
        public void Expand_domain_keeps_a_single_overlong_label_whole_for_the_dns_layer_to_refuse()
        {
            // No label boundary to cut at: the RFC procedure ends with the last label, still too long; DNS reports it invalid.
            var sender = new string('a', 600) + "@e.example";
            var name = SpfMacroExpander.ExpandDomain("%{l}", Context(sender));
            Assert.Equal(new string('a', 600), name);
        }

        [Fact]
        public void Dkim_finding_messages_stay_short_for_a_megabyte_hash_list()
        {
            var text = "v=DKIM1; k=rsa; h=sha1" + string.Concat(Enumerable.Repeat(":x", 500_000)) + "; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC";
            var key = DkimKeyRecordParser.Parse("example.com", "s1", text);
            Assert.Contains(key.Findings, f => f.Code == DkimFindings.Sha1Only.Code);
            Assert.All(key.Findings, f => Assert.True(f.Message.Length < 400, $"{f.Code}: {f.Message.Length} characters"));
        }

        [Fact]
        public void Repeated_problems_are_summarised_not_listed_thirty_thousand_times()
        {
            var text = "v=DKIM1; " + string.Concat(Enumerable.Repeat("bad part; ", 30_000)) + "p=";
            var key = DkimKeyRecordParser.Parse("example.com", "s1", text);
            Assert.InRange(key.Findings.Count(f => f.Code == DkimFindings.KeySyntaxError.Code), 2, Finding.MaxRepeats + 1);
            Assert.Contains(key.Findings, f => f.Message.Contains("more", StringComparison.Ordinal));
        }

        [Fact]
        public async System.Threading.Tasks.Task A_tls_rpt_record_of_hundreds_of_bad_uris_lists_ten_and_counts_the_rest()
        {
            // Found by build.ps1 -Task Fuzz (DnsAnswers, seed d2LfZjoZq0z1, 2026-12-06): a mutated rua list of 265 entries,
            // each with a control character (RFC 8460 §3: a URI has none), gave 265 TlsRpt.InvalidUri findings in one list.
            var record = "v=TLSRPTv1; rua=" + string.Join(",", Enumerable.Repeat("mailto:tls\u0001rpt@", 265));
            var r = await new TlsRptRecordLookup(new MailSecurity.Tests.Dns.ScriptedZone().Txt("_smtp._tls.example.com", record)).LookupAsync("example.com");
            Assert.Equal(TlsRptStatus.Invalid, r.Status);
            var invalid = r.Findings.Where(f => f.Code == TlsRptFindings.InvalidUri.Code).ToList();
            Assert.Equal(Finding.MaxRepeats + 1, invalid.Count);
            Assert.Contains("255 more", invalid[^1].Message, StringComparison.Ordinal);
            Assert.All(invalid, f => Assert.Equal(Severity.Error, f.Severity));
        }

        [Fact]
        public void A_long_tag_name_is_shortened_where_its_value_is_bad_or_it_is_repeated()
        {
            // Found by build.ps1 -Task Fuzz (BimiRecordParser, seed 7oWZgLN7mLK1, 2026-12-06): a tag name may be any length
            // (RFC 6376 §3.2 tag-name = ALPHA *ALNUMPUNC, which BIMI and DMARC share), and a 4,000-character one whose value
            // had a lone surrogate went into the message whole. The same name repeated did too, in BIMI and DMARC.
            var name = "l" + new string('9', 4000) + "id";
            Assert.All(BimiRecordParser.Parse($"v=BIMI1; {name}=\uD800; l=").Problems, p => Assert.True(p.Value.Length < 400, p.Value));
            Assert.All(BimiRecordParser.Parse($"v=BIMI1; {name}=a; {name}=b; l=").Problems, p => Assert.True(p.Value.Length < 400, p.Value));
            Assert.All(DmarcRecordParser.Parse("example.com", $"v=DMARC1; p=none; {name}=a; {name}=b").Findings, f => Assert.True(f.Message.Length < 400, f.Message));
            Assert.All(DkimKeyRecordParser.Parse("example.com", "s1", $"v=DKIM1; {name}=\uD800; p=").Findings, f => Assert.True(f.Message.Length < 400, f.Message));
        }

        [Fact]
        public void A_long_uri_scheme_is_shortened_in_every_message()
        {
            // Found by build.ps1 -Task Fuzz (BimiRecordParser, seed 4WwsHSfpIxb1): the scheme went into the message whole.
            var scheme = "http" + string.Concat(Enumerable.Repeat("sp", 500));
            Assert.All(BimiRecordParser.Parse($"v=BIMI1; l=; a={scheme}://example.com/vmc.pem").Problems, p => Assert.True(p.Value.Length < 300, p.Value));
            Assert.All(TlsRptRecordParser.Parse($"v=TLSRPTv1; rua={scheme}://example.com/").ReportUris, u => Assert.True((u.Problem ?? string.Empty).Length < 300, u.Problem));
            Assert.All(DmarcRecordParser.Parse("example.com", $"v=DMARC1; p=none; rua={scheme}://example.com/").Findings, f => Assert.True(f.Message.Length < 400, f.Message));
        }

        [Theory]
        [InlineData("v=spf1 mx//{0} -all")]
        [InlineData("v=spf1 a/24//{0} -all")]
        [InlineData("v=spf1 ip6:2001:db8::/{0} -all")]
        [InlineData("v=spf1 ip4:192.0.2.0/{0} -all")]
        public void A_long_prefix_length_is_shortened_in_the_term_error(string template)
        {
            // Found by the CI fuzz budget (SpfRecordParser, seed cS5e3OVcM181): the dual-cidr-length text went into the error whole.
            var record = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, new string('3', 1200));
            var parsed = SpfRecordParser.Parse(record);
            Assert.False(parsed.IsValid);
            Assert.All(parsed.Errors, e => Assert.True(e.Length < 600, e));
        }

        /// <summary>
        /// The parsers of untrusted text (internal since the public surface was cut, issue 17: their public static methods are
        /// what every cmdlet feeds), found by reflection so a new one is covered without editing this test.
        /// </summary>
        public static IEnumerable<object[]> PublicParserMethods()
            => typeof(Finding).Assembly.GetTypes()
                .Where(t => t.IsAbstract && t.IsSealed && (t.Name.EndsWith("Parser", StringComparison.Ordinal) || t == typeof(SpfMacroExpander)))
                .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
                .Where(m => m.GetParameters().Any(p => p.ParameterType == typeof(string) || p.ParameterType == typeof(byte[])))
                .Select(m => new object[] { m.DeclaringType!.Name + "." + m.Name + "(" + string.Join(",", m.GetParameters().Select(p => p.ParameterType.Name)) + ")" });

        [Theory]
        [MemberData(nameof(PublicParserMethods))]
        public void Public_parsers_reject_null_with_ArgumentNullException_where_null_is_not_allowed(string signature)
        {
            var method = typeof(Finding).Assembly.GetTypes().SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
                .Single(m => m.DeclaringType!.Name + "." + m.Name + "(" + string.Join(",", m.GetParameters().Select(p => p.ParameterType.Name)) + ")" == signature);
            var nullability = new NullabilityInfoContext();
            var parameters = method.GetParameters();
            for (var i = 0; i < parameters.Length; i++)
            {
                var p = parameters[i];
                if (p.ParameterType != typeof(string) && p.ParameterType != typeof(byte[]))
                {
                    continue;
                }

                var args = parameters.Select(Sample).ToArray();
                args[i] = null;
                var nullable = nullability.Create(p).WriteState == NullabilityState.Nullable;
                var isPredicate = method.ReturnType == typeof(bool) && !method.Name.StartsWith("Try", StringComparison.Ordinal) && method.Name.StartsWith("Is", StringComparison.Ordinal);
                try
                {
                    method.Invoke(null, args);
                    Assert.True(nullable || isPredicate, $"{signature} accepted null for '{p.Name}' although the parameter is not nullable");
                }
                catch (TargetInvocationException ex)
                {
                    // A nullable parameter must take null; any other must refuse it with ArgumentNullException naming it.
                    Assert.False(nullable, $"{signature} threw {ex.InnerException?.GetType().Name} for null '{p.Name}', which is declared nullable");
                    var ane = Assert.IsType<ArgumentNullException>(ex.InnerException);
                    Assert.Equal(p.Name, ane.ParamName);
                }
            }
        }

        private static object? Sample(ParameterInfo p)
        {
            var t = p.ParameterType.IsByRef ? p.ParameterType.GetElementType()! : p.ParameterType;
            if (t == typeof(string))
            {
                return "v=spf1 -all";
            }

            if (t == typeof(byte[]))
            {
                return Encoding.ASCII.GetBytes("version: STSv1\n");
            }

            if (t == typeof(SpfMacroContext))
            {
                return Context();
            }

            if (p.HasDefaultValue)
            {
                return p.DefaultValue;
            }

            return t.IsValueType ? Activator.CreateInstance(t) : null;
        }
    }
}
