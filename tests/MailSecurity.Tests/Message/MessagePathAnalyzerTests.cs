using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using MailSecurity.Message;
using Xunit;

namespace MailSecurity.Tests.Message
{
    /// <summary>Whole-message behaviour of <see cref="MessagePathAnalyzer"/>: inputs, summaries, hostile input.</summary>
    public class MessagePathAnalyzerTests
    {
        private const string TwoHops =
            "Received: from b.example.org (b.example.org [192.0.2.2]) by c.example.net with ESMTPS id 2; Tue, 14 May 2024 10:00:02 +0000\r\n" +
            "Received: from a.example.org (a.example.org [192.0.2.1]) by b.example.org with ESMTP id 1; Tue, 14 May 2024 10:00:00 +0000\r\n" +
            "From: a@example.org\r\nSubject: two hops\r\n\r\nbody\r\n";

        [Theory]
        [InlineData("")]
        [InlineData("\r\n\r\n   \r\n")]
        [InlineData("no header here\r\nnor here\r\n")]
        public async Task Input_without_headers_is_reported_not_thrown(string text)
        {
            var path = await Analyze(text);
            Assert.Equal(0, path.HeaderCount);
            Assert.Empty(path.Hops);
            Assert.Contains(path.Findings, f => f.Code == "Message.NoHeaders");
        }

        [Fact]
        public async Task Byte_order_mark_blank_lines_and_a_banner_are_skipped()
        {
            var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("\r\nMicrosoft Mail Internet Headers Version 2.0\r\n" + TwoHops)).ToArray();
            var path = await new MessagePathAnalyzer(null).AnalyzeAsync(bytes, "bom");
            Assert.Equal(2, path.HopCount);
            Assert.Contains(path.Findings, f => f.Code == "Message.LeadingTextIgnored");
        }

        [Fact]
        public async Task Lf_and_crlf_line_ends_give_the_same_path()
        {
            var crlf = await Analyze(TwoHops);
            var lf = await Analyze(TwoHops.Replace("\r\n", "\n"));
            Assert.Equal(crlf.Hops.Select(h => h.ToString()), lf.Hops.Select(h => h.ToString()));
            Assert.Equal(crlf.TransitTime, lf.TransitTime);
            Assert.True(lf.BodyAvailable);
        }

        [Fact]
        public async Task A_hop_in_the_path_is_the_parsed_field_placed_with_index_delay_and_date_state()
        {
            // The parser's own hop (no path yet) and the path's hop carry the same fields; the path adds position and delay.
            var field = TwoHops.Substring("Received: ".Length, TwoHops.IndexOf("\r\n", StringComparison.Ordinal) - "Received: ".Length);
            var alone = ReceivedHeaderParser.Parse(field, 2);
            Assert.Equal(2, alone.Index);
            Assert.Null(alone.Delay);
            var path = await Analyze(TwoHops.Replace("10:00:00 +0000", "10:00:00 EST"));
            Assert.Equal(new[] { 1, 2 }, path.Hops.Select(h => h.Index));
            Assert.Equal(ReceivedDateState.Obsolete, path.Hops[0].DateState); // RFC 5322 §4.3: EST is an obs-zone
            Assert.Equal(ReceivedDateState.Valid, path.Hops[1].DateState);
            Assert.Equal(alone.ToString(), path.Hops[1].ToString());
            Assert.Equal(alone.Raw, path.Hops[1].Raw);
        }

        [Fact]
        public async Task Summary_for_a_cleartext_then_tls_path()
        {
            var path = await Analyze(TwoHops);
            Assert.False(path.EncryptedAllHops);
            Assert.Equal(1, path.WeakestHopIndex);
            Assert.Equal("Cleartext", path.WeakestTls);
            Assert.Equal(TimeSpan.FromSeconds(2), path.TransitTime);
            Assert.Equal(TimeSpan.FromSeconds(2), path.Hops[1].Delay);
            Assert.Null(path.Hops[0].Delay);
            Assert.Equal("b.example.org > c.example.net", path.Path);
            Assert.Equal("two hops", path.Subject);
        }

        [Fact]
        public async Task Only_local_hops_leave_encryption_unknown_and_no_weakest_hop()
        {
            var path = await Analyze("Received: by host.example.org (Postfix, from userid 0) id 1; Tue, 14 May 2024 10:00:00 +0000\r\nFrom: root@example.org\r\n\r\nx\r\n");
            Assert.Equal(HopTls.Local, Assert.Single(path.Hops).Tls);
            Assert.Null(path.EncryptedAllHops);
            Assert.Null(path.WeakestHop);
        }

        [Fact]
        public async Task Unknown_hop_without_a_cleartext_one_leaves_encryption_unknown()
        {
            var path = await Analyze(
                "Received: from b.example.org (b.example.org [192.0.2.2]) by c.example.net with ESMTPS id 2; Tue, 14 May 2024 10:00:02 +0000\r\n" +
                "Received: from a.example.org (a.example.org [192.0.2.1]) by b.example.org id 1; Tue, 14 May 2024 10:00:00 +0000\r\n\r\nx\r\n");
            Assert.Null(path.EncryptedAllHops);
            Assert.Equal(HopTls.Unknown, path.WeakestHop!.Tls);
        }

        [Fact]
        public async Task A_thousand_received_fields_are_read_quickly_and_in_order()
        {
            var sb = new StringBuilder();
            var start = new DateTimeOffset(2024, 5, 14, 10, 0, 0, TimeSpan.Zero);
            for (var i = 1000; i >= 1; i--)
            {
                sb.Append($"Received: from h{i - 1}.example.org (h{i - 1}.example.org [192.0.2.{i % 250 + 1}]) by h{i}.example.org with ESMTPS id {i}; {start.AddSeconds(i).ToString("ddd, dd MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture)} +0000\r\n");
            }

            sb.Append("From: a@example.org\r\n\r\nbody\r\n");
            var sw = Stopwatch.StartNew();
            var path = await Analyze(sb.ToString());
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), sw.Elapsed.ToString());
            Assert.Equal(1000, path.HopCount);
            Assert.Equal("h1.example.org", path.Hops[0].By);
            Assert.Equal("h1000.example.org", path.Hops[999].By);
            Assert.Equal(TimeSpan.FromSeconds(999), path.TransitTime);
            Assert.True(path.EncryptedAllHops);
        }

        [Fact]
        public async Task Control_characters_and_ten_kilobyte_values_do_not_break_the_analysis()
        {
            var junk = new string('x', 10_000);
            var path = await Analyze(
                $"Received: from \u0001\u0002bad ({junk}) by mx.example.net with ESMTPS id 1; Tue, 14 May 2024 10:00:00 +0000\r\n" +
                $"Authentication-Results: mx.example.net; spf=pass smtp.mailfrom={junk}\r\n" +
                $"Received: {junk}\r\nFrom: a@example.org\r\n\r\nbody\r\n");
            Assert.Equal(2, path.HopCount);
            Assert.False(path.Hops[0].Parsed);
            Assert.Equal("mx.example.net", path.Hops[1].By);
            Assert.All(path.Findings, f => Assert.True(f.Message.Length < 2000, f.Code));
        }

        [Fact]
        public async Task Every_code_the_analysis_emits_is_in_the_catalog()
        {
            var corpus = Path.Combine(RepositoryRoot(), "tests", "corpus", "headers");
            var analyzer = new MessagePathAnalyzer(null);
            foreach (var file in Directory.GetFiles(corpus).Where(f => !f.EndsWith(".json", StringComparison.Ordinal)))
            {
                var path = await analyzer.AnalyzeAsync(File.ReadAllBytes(file), file);
                foreach (var f in path.Findings)
                {
                    Assert.NotNull(FindingCatalog.Find(f.Code));
                    Assert.Equal(FindingCatalog.Find(f.Code)!.Reference, f.Reference);
                }
            }
        }

        [Fact]
        public async Task Stream_input_equals_byte_input()
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(TwoHops));
            var fromStream = await new MessagePathAnalyzer(null).AnalyzeAsync(stream, "stream");
            var fromBytes = await Analyze(TwoHops);
            Assert.Equal(fromBytes.Hops.Select(h => h.ToString()), fromStream.Hops.Select(h => h.ToString()));
        }

        private static Task<MessagePath> Analyze(string text) => new MessagePathAnalyzer(null).AnalyzeAsync(Encoding.UTF8.GetBytes(text), "test");

        private static string RepositoryRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "MailSecurity.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("MailSecurity.sln not found");
        }
    }

    /// <summary>The WITH keyword table against SPEC §7.7 (RFC 3848, RFC 6531 §4.3): S = STARTTLS, A = AUTH.</summary>
    public class WithProtocolTableTests
    {
        [Theory]
        [InlineData("SMTP")]
        [InlineData("ESMTP")]
        [InlineData("ESMTPA")]
        [InlineData("ESMTPS")]
        [InlineData("ESMTPSA")]
        [InlineData("LMTP")]
        [InlineData("LMTPA")]
        [InlineData("LMTPS")]
        [InlineData("LMTPSA")]
        [InlineData("UTF8SMTP")]
        [InlineData("UTF8SMTPA")]
        [InlineData("UTF8SMTPS")]
        [InlineData("UTF8SMTPSA")]
        [InlineData("UTF8LMTP")]
        [InlineData("UTF8LMTPA")]
        [InlineData("UTF8LMTPS")]
        [InlineData("UTF8LMTPSA")]
        public void Registered_keywords_follow_the_suffix_rule(string keyword)
        {
            // The suffix after the base protocol name (SMTP/LMTP) says it: S = TLS, A = AUTH.
            var suffix = keyword.Substring(keyword.LastIndexOf("MTP", StringComparison.Ordinal) + 3);
            var info = WithProtocolTable.Find(keyword.ToLowerInvariant());
            Assert.NotNull(info);
            Assert.True(info!.Registered);
            Assert.Equal(suffix.Contains('S'), info.Tls);
            Assert.Equal(suffix.Contains('A'), info.Authenticated);
            Assert.Equal(keyword, info.Keyword);
        }

        [Theory]
        [InlineData("HTTP")]
        [InlineData("HTTPS")]
        [InlineData("IMAP")]
        [InlineData("POP3")]
        [InlineData("SMTPS")]
        [InlineData("LOCAL")]
        [InlineData("ESMTP/TLS")]
        public void Values_seen_in_the_wild_are_marked_unregistered(string keyword)
        {
            var info = WithProtocolTable.Find(keyword);
            Assert.NotNull(info);
            Assert.False(info!.Registered);
        }

        [Fact]
        public void Unknown_values_are_not_guessed()
        {
            Assert.Null(WithProtocolTable.Find("frobnicate"));
            Assert.Null(WithProtocolTable.Find(null));
            Assert.Null(WithProtocolTable.Find("   "));
        }
    }
}
