using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using MailSecurity.Smtp;
using Xunit;

namespace MailSecurity.Tests.Smtp
{
    /// <summary>
    /// Protocol edge cases replayed from recorded transcripts (Smtp/Transcripts/*.txt, embedded): MailKit's client
    /// talks to <see cref="SmtpReplayStream"/>, the recorder records, <see cref="SmtpSessionClassifier"/> decides. Each
    /// file's expected verdict is written by hand from RFC 5321 / RFC 3207 (the file says which section), and the
    /// replay fails when the client departs from the recorded commands (so no MAIL, RCPT or DATA can slip in). The lab
    /// tests (real Postfix) stay the integration check.
    /// </summary>
    public sealed class SmtpTranscriptReplayTests
    {
        private static readonly IPAddress Address = IPAddress.Parse("192.0.2.25");

        public static IEnumerable<object[]> Transcripts() => SmtpTranscript.Names().Select(n => new object[] { n });

        [Theory]
        [MemberData(nameof(Transcripts))]
        public async Task Replayed_transcript_gets_the_verdict_the_RFC_gives(string name)
        {
            var transcript = SmtpTranscript.Load(name);
            Assert.NotEmpty(transcript.Expected);
            var (result, replay) = await ReplayAsync(transcript);
            Assert.True(replay.Mismatch is null, $"{name}: {replay.Mismatch}");
            Assert.True(!replay.Remaining.Any(), $"{name}: the client stopped before '{replay.Remaining.FirstOrDefault()}'");
            foreach (var (key, value) in transcript.Expected)
            {
                if (key == "ErrorContains")
                {
                    Assert.True(result.Error?.Contains(value, StringComparison.Ordinal) == true, $"{name}: Error '{result.Error}' does not contain '{value}'.");
                    continue;
                }

                var expected = key == "Findings" ? SortedCodes(value.Split(',').Select(c => c.Trim()).Where(c => c.Length > 0)) : value;
                var actual = Actual(result, key);
                Assert.True(string.Equals(expected, actual, StringComparison.Ordinal), $"{name}: {key} is '{actual}', the transcript expects '{expected}'. Error: {result.Error}");
            }
        }

        [Fact]
        public void Every_edge_case_the_issue_names_has_a_transcript()
        {
            var names = SmtpTranscript.Names().ToList();
            foreach (var required in new[]
            {
                "greeting-multiline", "ehlo-multiline", "greeting-421", "greeting-554", "no-starttls", "starttls-454",
                "starttls-502", "starttls-on-last-ehlo-line", "reply-split-across-reads", "bare-lf", "line-over-512",
                "line-over-limit", "close-after-starttls", "tls-failure-after-220", "ehlo-refused-helo",
            })
            {
                Assert.Contains(required + ".txt", names);
            }
        }

        [Fact]
        public async Task A_client_that_departs_from_the_transcript_fails_the_replay()
        {
            // The harness must be able to fail: here the recording expects HELO where MailKit sends EHLO.
            var t = SmtpTranscript.Parse("departs.txt", "@host: mx.example.net\n= Outcome: NoStartTls\nS: 220 mx.example.net ESMTP\nC: HELO probe.example.org\nS: 250 mx.example.net\n");
            var (_, replay) = await ReplayAsync(t);
            Assert.Contains("EHLO probe.example.org", replay.Mismatch);
        }

        [Fact]
        public void The_classifier_is_a_function_of_the_record_alone()
        {
            // Same record, same settings: the same verdict twice (no clock, no I/O inside).
            var settings = new SmtpProbeSettings(new SmtpTlsProbeRequest("mx.example.net", Address));
            var record = new SmtpSessionRecord
            {
                StartedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
                Connected = true,
                Replies = new[]
                {
                    new SmtpReply(220, new[] { "mx.example.net ESMTP" }, null, false, TimeSpan.Zero),
                    new SmtpReply(250, new[] { "mx.example.net", "STARTTLS" }, "EHLO", false, TimeSpan.Zero),
                    new SmtpReply(454, new[] { "4.7.0 TLS not available" }, "STARTTLS", false, TimeSpan.Zero),
                },
                LastPhase = SmtpProbePhase.StartTls,
                Failure = new SmtpSessionFailure("454: TLS not available", "TLS not available", false, null),
            };
            var first = new SmtpTlsProbe(SmtpSessionClassifier.Classify(record, settings));
            var second = new SmtpTlsProbe(SmtpSessionClassifier.Classify(record, settings));
            Assert.Equal(SmtpTlsOutcome.StartTlsRejected, first.Outcome);
            Assert.Equal(first.Error, second.Error);
            Assert.Equal(first.Findings.Select(f => f.Code + f.Message), second.Findings.Select(f => f.Code + f.Message));
        }

        [Fact]
        public void A_limit_is_reported_before_the_failure_it_caused()
        {
            // The guard stops a session by closing it, so MailKit reports a broken stream; the verdict names the limit.
            var settings = new SmtpProbeSettings(new SmtpTlsProbeRequest("mx.example.net", Address));
            var record = new SmtpSessionRecord
            {
                Connected = true,
                LastPhase = SmtpProbePhase.Greeting,
                Failure = new SmtpSessionFailure("The operation was canceled.", "The operation was canceled.", false, null),
                LimitExceeded = "a reply has more than 256 lines",
                TimedOut = true,
            };
            var r = SmtpSessionClassifier.Classify(record, settings);
            Assert.Equal(SmtpTlsOutcome.ProtocolViolation, r.Outcome);
            Assert.Equal(SmtpProbePhase.Greeting, r.FailurePhase);
            Assert.Equal(new[] { "Smtp.ResponseLimitExceeded" }, r.Findings.Select(f => f.Code));
        }

        [Theory]
        [InlineData(System.Net.Sockets.SocketError.ConnectionRefused, false, "Smtp.ConnectRefused")]
        [InlineData(System.Net.Sockets.SocketError.TimedOut, false, "Smtp.ConnectTimeout")]
        [InlineData(System.Net.Sockets.SocketError.HostUnreachable, true, "Smtp.ConnectTimeout")]
        [InlineData(System.Net.Sockets.SocketError.HostUnreachable, false, "Smtp.ConnectFailed")]
        public void Classifies_a_connect_failure(System.Net.Sockets.SocketError error, bool deadlinePassed, string code)
        {
            var settings = new SmtpProbeSettings(new SmtpTlsProbeRequest("mx.example.net", Address));
            var record = new SmtpSessionRecord { Failure = new SmtpSessionFailure("x", "No route to host", false, error), TimedOut = deadlinePassed };
            var r = SmtpSessionClassifier.Classify(record, settings);
            Assert.Equal(SmtpTlsOutcome.ConnectFailed, r.Outcome);
            Assert.Equal(SmtpProbePhase.Connect, r.FailurePhase);
            Assert.Equal(new[] { code }, r.Findings.Select(f => f.Code));
        }

        private static async Task<(SmtpTlsProbe Result, SmtpReplayStream Replay)> ReplayAsync(SmtpTranscript transcript)
        {
            var replay = new SmtpReplayStream(transcript.Events);
            var prober = new SmtpTlsProber((s, g) => Task.FromResult(new SmtpTransport(replay, null)));
            var request = new SmtpTlsProbeRequest(transcript.Setting("host", "mx.example.net"), Address)
            {
                HeloName = "probe.example.org",
                Timeout = TimeSpan.FromSeconds(30),
                IncludeTranscript = true,
                Port = int.Parse(transcript.Setting("port", "25"), CultureInfo.InvariantCulture),
                ImplicitTls = transcript.Setting("implicit-tls", "no") == "yes",
                MaxLineLength = int.Parse(transcript.Setting("max-line-length", "8192"), CultureInfo.InvariantCulture),
            };
            var result = await prober.ProbeAsync(request);
            return (result, replay);
        }

        private static string SortedCodes(IEnumerable<string> codes) => string.Join(", ", codes.OrderBy(c => c, StringComparer.Ordinal));

        private static string Actual(SmtpTlsProbe r, string key)
        {
            if (key == "Findings")
            {
                return SortedCodes(r.Findings.Select(f => f.Code));
            }

            var property = typeof(SmtpTlsProbe).GetProperty(key) ?? throw new InvalidOperationException($"SmtpTlsProbe has no property {key}.");
            return property.GetValue(r) switch
            {
                null => "(none)",
                string s => s,
                IEnumerable e => string.Join(", ", e.Cast<object>().Select(o => Convert.ToString(o, CultureInfo.InvariantCulture))),
                var v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "(none)",
            };
        }
    }
}
