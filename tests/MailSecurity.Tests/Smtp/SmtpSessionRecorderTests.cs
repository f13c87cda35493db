using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using MailSecurity.Smtp;
using Xunit;

namespace MailSecurity.Tests.Smtp
{
    /// <summary>The protocol-log recorder: reply assembly, phases, limits and redaction, fed recorded bytes offline.</summary>
    public sealed class SmtpSessionRecorderTests : IDisposable
    {
        private readonly SmtpSessionGuard _guard = new SmtpSessionGuard(TimeSpan.FromMinutes(1), CancellationToken.None);

        [Fact]
        public void Assembles_replies_and_pairs_them_with_commands()
        {
            var r = NewRecorder();
            Server(r, "220 mx.example.net ESMTP\r\n");
            Client(r, "EHLO probe.example\r\n");
            Server(r, "250-mx.example.net\r\n250-STAR");   // a reply split across reads
            Server(r, "TTLS\r\n250 SIZE 1000\r\n");
            Client(r, "STARTTLS\r\n");
            Server(r, "220 2.0.0 Ready\r\n");
            Client(r, "EHLO probe.example\r\n");
            Server(r, "250-mx.example.net\r\n250 REQUIRETLS\r\n");
            var replies = r.Replies;
            Assert.Equal(new string?[] { null, "EHLO", "STARTTLS", "EHLO" }, replies.Select(x => x.Command).ToArray());
            Assert.Equal(new[] { "mx.example.net", "STARTTLS", "SIZE 1000" }, replies[1].Texts);
            Assert.False(replies[1].InsideTls);
            Assert.True(replies[3].InsideTls);
            Assert.True(r.InsideTls);
            Assert.Equal(SmtpProbePhase.EhloAfterTls, r.CurrentPhase);
            var phases = r.Timings(TimeSpan.FromSeconds(1)).Select(t => t.Phase).ToArray();
            Assert.Equal(new[] { SmtpProbePhase.Ehlo, SmtpProbePhase.StartTls, SmtpProbePhase.TlsHandshake, SmtpProbePhase.EhloAfterTls }, phases);
        }

        [Fact]
        public void Redacts_AUTH_and_the_SASL_exchange_but_not_what_follows()
        {
            var r = NewRecorder();
            Server(r, "220 mx.example.net ESMTP\r\n");
            Client(r, "AUTH PLAIN dXNlcgB1c2VyAHNlY3JldA==\r\n");
            Server(r, "334 \r\n");
            Client(r, "c2VjcmV0\r\n");
            Server(r, "235 2.7.0 Authentication successful\r\n");
            Client(r, "QUIT\r\n");
            var client = r.Transcript.Where(l => l.Direction == SmtpTranscriptDirection.Client).Select(l => l.Text).ToArray();
            Assert.Equal(new[] { "AUTH PLAIN [redacted]", "[redacted]", "QUIT" }, client);
            Assert.DoesNotContain(r.Transcript, l => l.Text.Contains("dXNlcgB1c2VyAHNlY3JldA==") || l.Text.Contains("c2VjcmV0"));
        }

        [Fact]
        public void Stops_a_reply_with_too_many_lines()
        {
            var r = NewRecorder(maxReplyLines: 5);
            Server(r, string.Concat(Enumerable.Repeat("220-more\r\n", 6)));
            Assert.Contains("more than 5 lines", _guard.Violation);
        }

        [Fact]
        public void Stops_a_line_that_is_too_long_without_buffering_it()
        {
            var r = NewRecorder(maxLineLength: 600);
            Server(r, "220 " + new string('x', 10_000));
            Assert.Contains("longer than 600", _guard.Violation);
        }

        [Fact]
        public void Notes_lines_that_are_not_SMTP_and_escapes_control_characters()
        {
            var r = NewRecorder();
            Server(r, "SSH-2.0-OpenSSH\u0007\r\n");
            Assert.Equal("SSH-2.0-OpenSSH\u0007", r.MalformedLine);
            Assert.Contains(r.Transcript, l => l.Text == "SSH-2.0-OpenSSH\\x07");
            Assert.Empty(r.Replies);
        }

        [Fact]
        public void Abandons_a_reply_broken_by_a_line_that_is_not_SMTP_so_the_next_reply_pairs_with_the_next_command()
        {
            var r = NewRecorder();
            Server(r, "220 mx.example.net ESMTP\r\n");
            Client(r, "EHLO probe.example\r\n");
            Server(r, "250-mx.example.net\r\nhello there\r\n");
            Client(r, "QUIT\r\n");
            Server(r, "221 2.0.0 Bye\r\n");
            Assert.Equal("hello there", r.MalformedLine);
            Assert.Equal(new string?[] { null, "QUIT" }, r.Replies.Select(x => x.Command).ToArray());
            Assert.Equal(new[] { "2.0.0 Bye" }, r.Replies[1].Texts);
        }

        [Fact]
        public void Records_the_longest_line_for_the_RFC_5321_limit()
        {
            var r = NewRecorder();
            Server(r, "220 " + new string('x', 600) + "\r\n");
            Assert.Equal(606, r.LongestLine);
        }

        public void Dispose() => _guard.Dispose();

        private SmtpSessionRecorder NewRecorder(int maxReplyLines = 256, int maxLineLength = 8192)
            => new SmtpSessionRecorder(_guard, Stopwatch.StartNew(), maxReplyLines, maxLineLength, implicitTls: false);

        private static void Server(SmtpSessionRecorder r, string text)
        {
            var b = Encoding.ASCII.GetBytes(text);
            r.LogServer(b, 0, b.Length);
        }

        private static void Client(SmtpSessionRecorder r, string text)
        {
            var b = Encoding.ASCII.GetBytes(text);
            r.LogClient(b, 0, b.Length);
        }
    }
}
