using System;
using System.Linq;
using System.Text.RegularExpressions;
using MailSecurity.Report;
using Xunit;

namespace MailSecurity.Tests.Report
{
    public class HtmlReportWriterTests
    {
        private const string Script = "<script>alert(1)</script>";
        private const string Attribute = "\"><img src=x onerror=alert(2)>";

        // Every element the page is made of; anything else in the output was injected.
        private static readonly string[] AllowedElements =
        {
            "html", "head", "meta", "title", "style", "body", "header", "footer", "section", "div", "h1", "h2", "h3", "h4", "p", "b", "small", "br", "code", "pre",
            "table", "thead", "tbody", "tr", "th", "td", "a", "span", "details", "summary",
        };

        private static readonly string[] AllowedAttributes = { "lang", "charset", "http-equiv", "content", "name", "class", "id", "href", "title", "scope" };

        // Every '<' must open a well-formed tag whose attribute values are quoted; what cannot be read this way fails the test.
        private static (string Element, string[] Attributes)[] Tags(string html)
        {
            var tag = new Regex("\\G<(?<end>/)?(?<name>[a-zA-Z][a-zA-Z0-9]*)(?:\\s+(?<attr>[a-zA-Z-]+)(?:=\"[^\"<]*\")?)*\\s*>");
            var result = new System.Collections.Generic.List<(string, string[])>();
            for (var i = html.IndexOf('<'); i >= 0; i = html.IndexOf('<', i + 1))
            {
                if (string.CompareOrdinal(html, i, "<!DOCTYPE html>", 0, 15) == 0)
                {
                    continue;
                }

                var m = tag.Match(html, i);
                Assert.True(m.Success, "not a well-formed tag at: " + html.Substring(i, Math.Min(80, html.Length - i)));
                result.Add((m.Groups["name"].Value.ToLowerInvariant(), m.Groups["attr"].Captures.Cast<Capture>().Select(c => c.Value.ToLowerInvariant()).ToArray()));
            }

            return result.ToArray();
        }

        private static string Render(params ReportSource[] results)
        {
            var builder = new ReportBuilder();
            foreach (var r in results)
            {
                Assert.True(builder.Add(r));
            }

            return new HtmlReportWriter().Render(builder.Build("Report " + Script, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)));
        }

        private static FakeReportSource HostileReport()
            => new FakeReportSource("MailSecurity.MailAuthReport",
                ("Domain", "evil" + Script + ".test"), ("MxStatus", "Found"), ("MxHosts", "mx." + Attribute), ("SpfStatus", "PermError"),
                ("SpfRecord", "v=spf1 include:" + Script + " -all\u0001\u202Ecaf\u00e9 \U0001F600"),
                ("DmarcStatus", "Valid"), ("DmarcPolicyApplied", "Reject"), ("DkimStatus", "NoneFound"), ("MtaStsStatus", "NoRecord"), ("TlsRptStatus", "NoRecord"), ("BimiStatus", "NoRecord"),
                ("Findings", new object[] { FakeReportSource.Finding("Spf.SyntaxError", Severity.Error, "term " + Script + " is invalid", Attribute) }));

        [Fact]
        public void Hostile_values_are_shown_as_text_and_never_become_markup()
        {
            var html = Render(HostileReport());

            var tags = Tags(html);
            Assert.Empty(tags.Select(t => t.Element).Distinct().Except(AllowedElements));
            // Only the attributes the writer uses: no event handler, no src, no style attribute.
            Assert.Empty(tags.SelectMany(t => t.Attributes).Distinct().Except(AllowedAttributes));
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("evil&lt;script&gt;alert(1)&lt;/script&gt;.test", html);
            Assert.Contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;", html);
        }

        [Fact]
        public void The_page_is_ascii_and_shows_control_bidi_and_non_ascii_characters_visibly()
        {
            var html = Render(HostileReport());
            Assert.All(html, c => Assert.True(c < 0x80, $"U+{(int)c:X4} in the output"));
            Assert.Contains("&#x2401;", html);     // U+0001 as SYMBOL FOR START OF HEADING
            Assert.Contains("\\u202E", html);      // RIGHT-TO-LEFT OVERRIDE shown, not applied
            Assert.Contains("caf&#xE9;", html);
            Assert.Contains("&#x1F600;", html);    // one reference for the surrogate pair
        }

        [Fact]
        public void The_page_is_self_contained_and_forbids_scripts_and_remote_loads()
        {
            var html = Render(HostileReport());
            Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
            Assert.Contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'", html);
            // Links only to anchors on the page; no src attribute at all.
            Assert.All(Regex.Matches(html, "href=\"([^\"]*)\"").Cast<Match>(), m => Assert.StartsWith("#", m.Groups[1].Value, StringComparison.Ordinal));
            Assert.DoesNotContain("src", Tags(html).SelectMany(t => t.Attributes));
            Assert.DoesNotContain("@import", html);
            Assert.DoesNotMatch(@"url\(", html);
        }

        [Fact]
        public void Each_domain_links_to_its_drill_down_with_findings_and_evidence()
        {
            var html = Render(HostileReport());
            Assert.Contains("<a href=\"#d1\">evil&lt;script&gt;", html);
            var section = html.Substring(html.IndexOf("<section class=\"entry\" id=\"d1\">", StringComparison.Ordinal));
            Assert.Contains("<code>Spf.SyntaxError</code>", section);
            Assert.Contains("term &lt;script&gt;alert(1)&lt;/script&gt; is invalid", section);
            Assert.Contains("<pre>v=spf1 include:&lt;script&gt;", section);
        }

        [Fact]
        public void Cells_carry_their_rating_class_and_an_explanation()
        {
            var html = Render(HostileReport());
            // The SPF cell is red because of Spf.SyntaxError (an Error), and says so in its tooltip.
            Assert.Matches("<td class=\"r-error\" title=\"v=spf1 include:&lt;script&gt;[^\"]*Findings: Spf.SyntaxError \\(Error\\)\">PermError</td>", html);
            Assert.Contains("<td class=\"r-good\" title=\"v=spf1 -all", Render(new FakeReportSource("MailSecurity.MailAuthReport", ("Domain", "a.test"), ("SpfStatus", "Valid"), ("SpfRecord", "v=spf1 -all"))));
        }

        [Fact]
        public void An_empty_report_says_so()
        {
            var html = new HtmlReportWriter().Render(new ReportBuilder().Build("Empty", DateTimeOffset.UnixEpoch));
            Assert.Contains("No domain results were given.", html);
            Assert.Contains("No finding of severity Warning or worse.", html);
            Assert.EndsWith("</html>\n", html, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("a<b>&\"'", "a&lt;b&gt;&amp;&quot;&#39;")]
        [InlineData("line1\r\nline2", "line1\nline2")]
        [InlineData("nul\0", "nul&#x2400;")]
        [InlineData("del\u007f", "del&#x2421;")]
        [InlineData("c1\u0085", "c1\\u0085")]
        [InlineData("zw\u200Bj", "zw\\u200Bj")]
        [InlineData("\u00fc", "&#xFC;")]
        public void Encodes_text(string input, string expected) => Assert.Equal(expected, HtmlText.Encode(input));

        [Fact]
        public void Shows_a_lone_surrogate_as_an_escape()
        {
            // Not theory data: a lone surrogate does not survive the test runner's serialization.
            Assert.Equal("lone\\uD800!", HtmlText.Encode("lone" + (char)0xD800 + "!"));
            Assert.Equal("\\uDC00", HtmlText.Encode(((char)0xDC00).ToString()));
        }
    }
}
