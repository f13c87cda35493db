using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using MailSecurity.Bimi;
using MailSecurity.Dkim;
using MailSecurity.Dmarc;
using MailSecurity.Dns;
using MailSecurity.Message;
using MailSecurity.MtaSts;
using MailSecurity.Spf;
using MailSecurity.TlsRpt;
using Xunit;
using Xunit.Abstractions;

namespace MailSecurity.Tests.Fuzz
{
    /// <summary>
    /// Linear in the input: for each parser, the worst shape we know (the one that was quadratic, or the one that would be
    /// with a per-token rescan), at size n and 2n. The verdict is a ratio of this thread's CPU time, best of five, so a
    /// loaded machine changes both sides alike; linear code gives about 2, quadratic about 4, the bar is
    /// <see cref="Growth.MaxRatio"/>.
    /// </summary>
    [Trait("Category", "Complexity")]
    public class ComplexityTests
    {
        private readonly ITestOutputHelper _output;

        public ComplexityTests(ITestOutputHelper output) => _output = output;

        private static SpfMacroContext Context(string sender = "strong-bad@email.example.com")
            => new(sender, "email.example.com", IPAddress.Parse("192.0.2.3"), "mx.example.org", "mx.example.net", DateTimeOffset.FromUnixTimeSeconds(1234567890));

        private static string Repeat(int n, Func<int, string> unit)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < n; i++)
            {
                sb.Append(unit(i));
            }

            return sb.ToString();
        }

        /// <param name="maxSize">The largest n measured (then the work is repeated instead): inputs stay around a megabyte,
        /// well past the 64 KB a TXT RRset holds, so the garbage collector of huge heaps is not what is measured.</param>
        private void Linear(string what, Func<int, object?> build, Action<object?> work, int start, int maxSize = 64_000)
        {
            var (ratio, n, small, large) = Growth.DoublingRatio(build, work, start, maxSize);
            for (var attempt = 0; attempt < 4 && ratio > Growth.MaxRatio; attempt++)
            {
                // More measurements before the verdict: a quadratic parser is above the bar every time (about 4), a
                // preempted best-of-seven rarely several times in a row (a clean clone's full run at load ~20 once saw
                // 3.22 for the Authentication-Results shape after three measurements; alone it measures about 2).
                (ratio, n, small, large) = Growth.DoublingRatio(build, work, n, maxSize);
            }

            _output.WriteLine($"{what}: n={n}: {small:0.0} ms, 2n: {large:0.0} ms, ratio {ratio:0.00}");
            Assert.True(ratio <= Growth.MaxRatio, $"{what}: doubling the input multiplied the CPU time by {ratio:0.00} (n={n}: {small:0.0} ms, 2n: {large:0.0} ms)");
        }

        [Fact]
        public void Spf_expand_domain_with_many_labels() => Linear("ExpandDomain %{d}. x n",
            n => string.Concat(Enumerable.Repeat("%{d}.", n)) + "%{d}", s => SpfMacroExpander.ExpandDomain((string)s!, Context()), 2_000,
            maxSize: 64_000); // up to 320 KB of domain-spec (a TXT RRset holds 64 KB); beyond that the GC of a million tokens, not the parser, is measured

        [Fact]
        public void Spf_expand_domain_with_a_long_sender() => Linear("ExpandDomain %{s}, sender of n labels",
            n => Context(string.Concat(Enumerable.Repeat("ab.", n)) + "x@email.example.com"), c => SpfMacroExpander.ExpandDomain("%{s}.%{l}.%{o}", (SpfMacroContext)c!), 2_000);

        [Fact]
        public void Spf_explanation_with_many_macros() => Linear("Expand exp text %{s} x n",
            n => string.Concat(Enumerable.Repeat("%{s} %{i} %{c}. ", n)), s => SpfMacroExpander.Expand((string)s!, SpfMacroSyntax.Explanation, Context()), 2_000);

        [Fact]
        public void Spf_record_with_many_terms() => Linear("SpfRecordParser n terms",
            n => "v=spf1 " + Repeat(n, i => $"ip4:192.0.2.{i % 250}/24 a:%{{d}}.x{i}.example.com/24//64 ip6:2001:db8::{i % 9999:x}/64 "), s => SpfRecordParser.Parse((string)s!), 500);

        [Fact]
        public void Spf_record_with_one_long_term() => Linear("SpfRecordParser one term of n characters",
            n => "v=spf1 a:" + new string('a', n) + "/" + new string('1', n) + "x", s => SpfRecordParser.Parse((string)s!), 2_000);

        [Fact]
        public void Dmarc_record_with_many_distinct_unknown_tags() => Linear("DmarcRecordParser n unknown tags",
            n => "v=DMARC1; p=none; " + Repeat(n, i => $"x{i}=1; "), s => DmarcRecordParser.Parse("example.com", (string)s!), 1_000);

        [Fact]
        public void Dmarc_record_with_many_duplicate_and_broken_parts() => Linear("DmarcRecordParser n duplicates and broken parts",
            n => "v=DMARC1; p=none; " + Repeat(n, i => $"rua=mailto:a{i}@example.com; broken{i}; "), s => DmarcRecordParser.Parse("example.com", (string)s!), 1_000);

        [Fact]
        public void Dkim_key_with_a_long_hash_list() => Linear("DkimKeyRecordParser h= of n entries",
            n => "v=DKIM1; k=rsa; h=sha1" + string.Concat(Enumerable.Repeat(":x", n)) + "; p=", s => DkimKeyRecordParser.Parse("example.com", "s1", (string)s!), 2_000);

        [Fact]
        public void Bimi_record_with_many_prefixes() => Linear("BimiRecordParser lps of n prefixes",
            n => "v=BIMI1; l=https://example.com/l.svg; lps=" + Repeat(n, i => $"p{i},") + "; x=1", s => BimiRecordParser.Parse((string)s!), 1_000);

        [Fact]
        public void Mta_sts_txt_with_many_fields() => Linear("MtaStsTxtRecordParser n fields",
            n => "v=STSv1; id=1; " + Repeat(n, i => $"ext{i}=v; id=2; "), s => MtaStsTxtRecordParser.Parse((string)s!), 1_000);

        [Fact]
        public void Tls_rpt_with_many_uris() => Linear("TlsRptRecordParser n rua URIs",
            n => "v=TLSRPTv1; rua=" + Repeat(n, i => $"mailto:r{i}@example.com,") + "https://r.example.com/", s => TlsRptRecordParser.Parse((string)s!), 500);

        [Fact]
        public void Mta_sts_policy_with_many_lines() => Linear("MtaStsPolicyParser n lines",
            n => "version: STSv1\nmode: enforce\nmax_age: 604800\n" + Repeat(n, i => $"mx: mx{i}.example.com\nmode: testing\nbroken line {i}\n"),
            s => MtaStsPolicyParser.Parse((string)s!, "t", out _), 1_000);

        [Fact]
        public void Received_field_with_many_comments() => Linear("ReceivedHeaderParser n comments",
            n => "from a.example (" + Repeat(n, i => $"(c{i}) ") + ") by b.example with ESMTPS " + Repeat(n, i => $"x{i} ") + "; Tue, 14 May 2024 10:00:00 +0000",
            s => ReceivedHeaderParser.Parse((string)s!), 500);

        [Fact]
        public void Authentication_results_with_many_results() => Linear("AuthenticationResultsParser n results",
            n => "mx.example.net; " + Repeat(n, i => $"spf=pass smtp.mailfrom=e{i}.example; "), s => AuthenticationResultsParser.Parse((string)s!), 500);

        [Fact]
        public void Domain_name_with_many_labels() => Linear("DomainName.TryNormalize n labels",
            n => Repeat(n, i => "a."), s => DomainName.TryNormalize((string)s!, DnsNameSyntax.AnyPrintableAscii, out _, out _), 16,
            maxSize: 512); // past 1,076 characters a name is refused before it is read (4 x 253 + 64)

        [Fact]
        public void Http_response_with_many_folded_header_lines() => Linear("Http11ResponseReader n continuation lines",
            n => Encoding.Latin1.GetBytes("HTTP/1.1 200 OK\r\nX-Long: start\r\n" + Repeat(n, i => " x\r\n") + "Content-Length: 0\r\n\r\n"),
            b =>
            {
                try
                {
                    new Http11ResponseReader(new MemoryStream((byte[])b!)).ReadHeadAsync(CancellationToken.None).GetAwaiter().GetResult();
                }
                catch (Http11ProtocolException)
                {
                    // Past the 64 KB header limit: refused, which is linear too.
                }
            }, 1_000, maxSize: 16_000); // 16,000 four-byte lines stay under the 64 KB header limit

        [Fact]
        public void Message_with_many_received_fields() => Linear("MessagePathAnalyzer n Received fields",
            n => Encoding.UTF8.GetBytes(Repeat(n, i => $"Received: from h{i}.example (h{i}.example [192.0.2.{i % 250}]) by h{i + 1}.example with ESMTPS id {i}; Tue, 14 May 2024 10:{i % 60:00}:00 +0000\r\n")
                + "From: a@example.com\r\nSubject: x\r\n\r\nBody\r\n"),
            b => new MessagePathAnalyzer(null, new MessagePathOptions { VerifySignatures = false }).AnalyzeAsync((byte[])b!, "m").GetAwaiter().GetResult(), 100);
    }
}
