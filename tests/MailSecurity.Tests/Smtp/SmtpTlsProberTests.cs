using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailSecurity.Smtp;
using MailSecurity.Tests.Tls;
using MailSecurity.TestPeers.Smtp;
using Xunit;

namespace MailSecurity.Tests.Smtp
{
    /// <summary>
    /// The prober end to end against the test peers, in process, on 127.0.0.1 (no lab needed): every outcome class,
    /// the chain as presented, the capabilities before and after TLS, limits, timeouts and QUIT.
    /// </summary>
    public sealed class SmtpTlsProberTests : IDisposable
    {
        private static readonly string[] AllowedVerbs = { "EHLO", "HELO", "STARTTLS", "QUIT" };
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly TestPki _pki = new TestPki();
        private readonly SmtpTlsProber _prober = new SmtpTlsProber();

        [Fact]
        public async Task Reports_an_authenticated_session_with_the_chain_as_presented_and_both_capability_lists()
        {
            var port = Serve(ScriptedSmtpServer.Run, ServerWith("mx.example.net", "extensions=REQUIRETLS,SMTPUTF8,CHUNKING,SIZE_52428800", "pre=AUTH_PLAIN_LOGIN"));
            var r = await ProbeAsync("mx.example.net", port, transcript: true);
            Assert.Equal(SmtpTlsOutcome.Success, r.Outcome);
            Assert.True(r.TlsEstablished);
            Assert.NotNull(r.TlsProtocol);
            Assert.False(string.IsNullOrEmpty(r.CipherSuite));
            Assert.Equal(2, r.CertificateChain.Count);
            Assert.Equal("CN=mx.example.net", r.CertificateChain[0].Subject);
            Assert.Equal(_pki.IssuingCa.Certificate.Subject, r.CertificateChain[1].Subject);
            Assert.True(r.PkixValid);
            Assert.True(r.HostNameMatches);
            Assert.InRange(r.DaysUntilExpiry!.Value, 88, 90);
            Assert.Equal(220, r.BannerCode);
            Assert.True(r.StartTlsOffered);
            Assert.Contains("STARTTLS", r.CapabilitiesBeforeTls);
            Assert.DoesNotContain("STARTTLS", r.CapabilitiesAfterTls);
            Assert.Contains("REQUIRETLS", r.CapabilitiesAfterTls);
            Assert.DoesNotContain("REQUIRETLS", r.CapabilitiesBeforeTls);
            Assert.True(r.RequireTlsAdvertised && r.SmtpUtf8Advertised && r.ChunkingAdvertised);
            Assert.Equal(52428800L, r.SizeLimit);
            Assert.True(r.AuthBeforeTls);
            Assert.Contains(r.Findings, f => f.Code == "Smtp.AuthBeforeTls");
            Assert.Contains(r.Findings, f => f.Code == "Smtp.RequireTlsAdvertised" && f.Severity == Severity.Info);
            Assert.Equal("mx.example.net", r.ServerName);
            Assert.Contains(r.Transcript, l => l.Direction == SmtpTranscriptDirection.Server && l.Text.EndsWith("SNI=mx.example.net", StringComparison.Ordinal));
            Assert.Contains(r.PhaseTimings, t => t.Phase == SmtpProbePhase.TlsHandshake);
            Assert.NotNull(r.TlsHandshakeTime);
            AssertOnlyProbeVerbs(r);
            Assert.Equal("QUIT", ClientVerbs(r).Last());
        }

        [Fact]
        public async Task Matches_the_certificate_against_the_reference_names_given()
        {
            var port = Serve(ScriptedSmtpServer.Run, ServerWith("base.example.net"));
            var request = Request("mx.example.net", port);
            request.ServerName = "base.example.net"; // DANE: the TLSA base domain as SNI and reference identifier
            request.ReferenceNames.Add("base.example.net");
            request.IncludeTranscript = true;
            var r = await _prober.ProbeAsync(request);
            Assert.Equal(SmtpTlsOutcome.Success, r.Outcome);
            Assert.Equal("base.example.net", r.ServerName);
            Assert.Contains(r.Transcript, l => l.Direction == SmtpTranscriptDirection.Server && l.Text.EndsWith("SNI=base.example.net", StringComparison.Ordinal));
            Assert.Equal("base.example.net", r.HostNameMatch!.ReferenceName);
        }

        [Fact]
        public async Task Completes_the_handshake_and_keeps_the_chain_when_the_name_does_not_match()
        {
            var port = Serve(ScriptedSmtpServer.Run, ServerWith("other.example.net"));
            var r = await ProbeAsync("mx.example.net", port);
            Assert.Equal(SmtpTlsOutcome.CertificateInvalid, r.Outcome);
            Assert.True(r.TlsEstablished);
            Assert.True(r.PkixValid);
            Assert.False(r.HostNameMatches);
            Assert.Equal(2, r.CertificateChain.Count);
            Assert.NotEmpty(r.CapabilitiesAfterTls);
            Assert.Contains(r.Findings, f => f.Code == "Tls.CertificateHostMismatch");
        }

        [Fact]
        public async Task Reports_an_expired_certificate()
        {
            var leaf = _pki.IssueLeaf("mx.example.net", DateTimeOffset.UtcNow.AddDays(-100), DateTimeOffset.UtcNow.AddDays(-3));
            var files = _pki.Write("expired", leaf, _pki.IssuingCa);
            var port = Serve(ScriptedSmtpServer.Run, "name=mx.example.net", "chain=" + files.Chain, "key=" + files.Key);
            var r = await ProbeAsync("mx.example.net", port);
            Assert.Equal(SmtpTlsOutcome.CertificateInvalid, r.Outcome);
            Assert.True(r.CertificateProblems.HasFlag(CertificateProblems.Expired));
            Assert.InRange(r.DaysUntilExpiry!.Value, -4, -3);
            Assert.Contains(r.Findings, f => f.Code == "Tls.CertificateExpired");
        }

        [Fact]
        public async Task Warns_about_a_certificate_that_expires_soon()
        {
            var leaf = _pki.IssueLeaf("mx.example.net", DateTimeOffset.UtcNow.AddDays(-80), DateTimeOffset.UtcNow.AddDays(5));
            var files = _pki.Write("soon", leaf, _pki.IssuingCa);
            var port = Serve(ScriptedSmtpServer.Run, "name=mx.example.net", "chain=" + files.Chain, "key=" + files.Key);
            var r = await ProbeAsync("mx.example.net", port);
            Assert.Equal(SmtpTlsOutcome.Success, r.Outcome);
            Assert.Contains(r.Findings, f => f.Code == "Tls.CertificateExpiresSoon");
        }

        [Fact]
        public async Task Reports_a_server_that_omits_its_intermediate()
        {
            var leaf = _pki.IssueLeaf("mx.example.net");
            var files = _pki.Write("leafonly", leaf);
            var port = Serve(ScriptedSmtpServer.Run, "name=mx.example.net", "chain=" + files.Chain, "key=" + files.Key);
            var r = await ProbeAsync("mx.example.net", port);
            Assert.Equal(SmtpTlsOutcome.CertificateInvalid, r.Outcome);
            Assert.Single(r.CertificateChain);
            Assert.True(r.CertificateProblems.HasFlag(CertificateProblems.IncompleteChain), string.Join("; ", r.PkixErrors));
            Assert.Contains(r.Findings, f => f.Code == "Tls.IncompleteChain");
        }

        [Fact]
        public async Task Reports_a_self_signed_certificate()
        {
            var leaf = _pki.SelfSigned("mx.example.net");
            var files = _pki.Write("selfsigned", leaf);
            var port = Serve(ScriptedSmtpServer.Run, "name=mx.example.net", "chain=" + files.Chain, "key=" + files.Key);
            var r = await ProbeAsync("mx.example.net", port);
            Assert.Equal(SmtpTlsOutcome.CertificateInvalid, r.Outcome);
            Assert.Contains(r.Findings, f => f.Code == "Tls.SelfSigned");
        }

        [Fact]
        public async Task Reports_no_STARTTLS_and_still_says_QUIT()
        {
            var port = Serve(ScriptedSmtpServer.Run, "name=plain.example.net");
            var r = await ProbeAsync("plain.example.net", port, transcript: true);
            Assert.Equal(SmtpTlsOutcome.NoStartTls, r.Outcome);
            Assert.False(r.StartTlsOffered);
            Assert.False(r.TlsEstablished);
            Assert.Null(r.PkixValid);
            Assert.Contains(r.Findings, f => f.Code == "Smtp.NoStartTls");
            Assert.Equal("QUIT", ClientVerbs(r).Last());
            Assert.Contains(r.Transcript, l => l.Direction == SmtpTranscriptDirection.Server && l.Text.StartsWith("221", StringComparison.Ordinal));
            AssertOnlyProbeVerbs(r);
        }

        [Fact]
        public async Task Reports_a_454_to_STARTTLS_as_rejected_and_says_QUIT()
        {
            var port = Serve(HostileSmtpPeers.StartTls454);
            var r = await ProbeAsync("mx.example.net", port, transcript: true);
            Assert.Equal(SmtpTlsOutcome.StartTlsRejected, r.Outcome);
            Assert.Equal(SmtpProbePhase.StartTls, r.FailurePhase);
            Assert.True(r.StartTlsOffered);
            Assert.StartsWith("454", r.StartTlsReply);
            Assert.Contains(r.Findings, f => f.Code == "Smtp.StartTlsRejected");
            Assert.Equal("QUIT", ClientVerbs(r).Last());
            Assert.Contains(r.Transcript, l => l.Text.StartsWith("221", StringComparison.Ordinal));
        }

        [Fact]
        public async Task Reports_a_handshake_aborted_by_the_server()
        {
            var port = Serve(HostileSmtpPeers.TlsAbort);
            var r = await ProbeAsync("mx.example.net", port);
            Assert.Equal(SmtpTlsOutcome.HandshakeFailed, r.Outcome);
            Assert.Equal(SmtpProbePhase.TlsHandshake, r.FailurePhase);
            Assert.False(r.TlsEstablished);
            Assert.Contains(r.Findings, f => f.Code == "Tls.HandshakeFailed");
        }

        [Fact]
        public async Task Stops_an_endless_banner_at_the_limit_instead_of_reading_forever()
        {
            var port = Serve(HostileSmtpPeers.EndlessBanner);
            var r = await ProbeAsync("mx.example.net", port, timeout: TimeSpan.FromSeconds(30));
            Assert.Equal(SmtpTlsOutcome.ProtocolViolation, r.Outcome);
            Assert.Equal(SmtpProbePhase.Greeting, r.FailurePhase);
            Assert.Contains(r.Findings, f => f.Code == "Smtp.ResponseLimitExceeded");
            Assert.True(r.TotalTime < TimeSpan.FromSeconds(30), "a limit, not the timeout, must end it");
        }

        [Fact]
        public async Task Stops_a_multi_megabyte_EHLO_reply_at_the_limit()
        {
            var port = Serve(HostileSmtpPeers.HugeEhlo, "size=10485760");
            var r = await ProbeAsync("mx.example.net", port, timeout: TimeSpan.FromSeconds(30));
            Assert.Equal(SmtpTlsOutcome.ProtocolViolation, r.Outcome);
            Assert.Equal(SmtpProbePhase.Ehlo, r.FailurePhase);
            Assert.Contains(r.Findings, f => f.Code == "Smtp.ResponseLimitExceeded");
        }

        [Fact]
        public async Task Stops_a_session_byte_limit_even_with_sane_lines()
        {
            var port = Serve(HostileSmtpPeers.HugeEhlo, "size=10485760");
            var request = Request("mx.example.net", port);
            request.MaxReplyLines = 100_000;
            request.MaxSessionBytes = 64 * 1024;
            var r = await _prober.ProbeAsync(request);
            Assert.Equal(SmtpTlsOutcome.ProtocolViolation, r.Outcome);
            Assert.Contains("65536 bytes", r.Error);
        }

        [Fact]
        public async Task Times_out_a_slow_drip_after_the_phase_timeout()
        {
            var port = Serve(HostileSmtpPeers.SlowDrip, "interval=200");
            var r = await ProbeAsync("mx.example.net", port, timeout: TimeSpan.FromSeconds(1));
            Assert.Equal(SmtpTlsOutcome.Timeout, r.Outcome);
            Assert.Equal(SmtpProbePhase.Greeting, r.FailurePhase);
            Assert.Contains(r.Findings, f => f.Code == "Smtp.SessionTimeout");
        }

        [Fact]
        public async Task Tells_a_non_SMTP_service_apart()
        {
            var port = Serve(HostileSmtpPeers.NotSmtp);
            var r = await ProbeAsync("mx.example.net", port);
            Assert.Equal(SmtpTlsOutcome.ProtocolViolation, r.Outcome);
            Assert.Contains("SSH-2.0", r.Error);
            Assert.Null(r.BannerCode);
        }

        [Fact]
        public async Task Tells_an_immediate_close_apart()
        {
            var port = Serve(HostileSmtpPeers.ImmediateClose);
            var r = await ProbeAsync("mx.example.net", port);
            Assert.Equal(SmtpTlsOutcome.ProtocolViolation, r.Outcome);
            Assert.Contains("without sending a greeting", r.Error);
        }

        [Fact]
        public async Task Reports_a_refused_connection()
        {
            var port = FreePort();
            var r = await ProbeAsync("mx.example.net", port);
            Assert.Equal(SmtpTlsOutcome.ConnectFailed, r.Outcome);
            Assert.Equal(SmtpProbePhase.Connect, r.FailurePhase);
            Assert.Contains(r.Findings, f => f.Code == "Smtp.ConnectRefused");
        }

        [Fact]
        public async Task Reports_a_connection_that_never_completes_as_a_connect_timeout()
        {
            // A listener that never accepts: once its accept queue is full the kernel drops further SYNs, so connect hangs.
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(0);
            var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
            var fillers = new List<Socket>();
            try
            {
                for (var i = 0; i < 4; i++)
                {
                    var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    fillers.Add(s);
                    _ = s.ConnectAsync(IPAddress.Loopback, port);
                }

                await Task.Delay(200);
                var r = await ProbeAsync("mx.example.net", port, timeout: TimeSpan.FromSeconds(1));
                Assert.Equal(SmtpTlsOutcome.ConnectFailed, r.Outcome);
                Assert.Contains(r.Findings, f => f.Code == "Smtp.ConnectTimeout");
                Assert.InRange(r.TotalTime, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
            }
            finally
            {
                fillers.ForEach(s => s.Dispose());
            }
        }

        [Fact]
        public async Task Falls_back_to_HELO_when_EHLO_is_rejected_and_says_why_there_is_no_STARTTLS()
        {
            var port = Serve(ScriptedSmtpServer.Run, ServerWith("old.example.net", "ehlo=reject"));
            var r = await ProbeAsync("old.example.net", port, transcript: true);
            Assert.Equal(SmtpTlsOutcome.NoStartTls, r.Outcome);
            Assert.Contains(r.Findings, f => f.Code == "Smtp.EhloRejected");
            Assert.Contains("HELO", ClientVerbs(r));
            AssertOnlyProbeVerbs(r);
        }

        [Fact]
        public async Task Reports_an_error_greeting_as_refused_service()
        {
            var port = Serve(ScriptedSmtpServer.Run, "greeting=554_5.7.1_No_SMTP_service_here");
            var r = await ProbeAsync("mx.example.net", port, transcript: true);
            Assert.Equal(SmtpTlsOutcome.ServerRefused, r.Outcome);
            Assert.Equal(554, r.BannerCode);
            Assert.Contains(r.Findings, f => f.Code == "Smtp.BannerError");
            Assert.Equal("QUIT", ClientVerbs(r).Last());
        }

        [Fact]
        public async Task Probes_implicit_TLS()
        {
            var port = Serve(ScriptedSmtpServer.Run, ServerWith("submit.example.net", "implicit=yes"));
            var request = Request("submit.example.net", port);
            request.ImplicitTls = true;
            var r = await _prober.ProbeAsync(request);
            Assert.Equal(SmtpTlsOutcome.Success, r.Outcome);
            Assert.True(r.ImplicitTls);
            Assert.False(r.StartTlsOffered);
            Assert.Empty(r.CapabilitiesBeforeTls);
            Assert.NotEmpty(r.CapabilitiesAfterTls);
            Assert.Equal(220, r.BannerCode);
        }

        [Fact]
        public async Task Reports_an_implicit_TLS_probe_of_a_plaintext_server_as_a_handshake_failure()
        {
            var port = Serve(ScriptedSmtpServer.Run, "name=plain.example.net");
            var request = Request("plain.example.net", port);
            request.ImplicitTls = true;
            var r = await _prober.ProbeAsync(request);
            Assert.Equal(SmtpTlsOutcome.HandshakeFailed, r.Outcome);
        }

        [Fact]
        public async Task Tests_TLS_versions_one_by_one()
        {
            var port = Serve(ScriptedSmtpServer.Run, ServerWith("mx.example.net"));
            var request = Request("mx.example.net", port);
            request.ProbeVersions.Add(TlsVersion.Tls12);
            request.ProbeVersions.Add(TlsVersion.Tls13);
            request.ProbeVersions.Add(TlsVersion.Tls10);
            var r = await _prober.ProbeAsync(request);
            Assert.Equal(new[] { TlsVersion.Tls10, TlsVersion.Tls12, TlsVersion.Tls13 }, r.TlsVersions.Select(v => v.Version));
            Assert.Equal(TlsVersionStatus.Accepted, r.TlsVersions[1].Status);
            Assert.Equal(TlsVersionStatus.Accepted, r.TlsVersions[2].Status);
            // The peer only enables TLS 1.2 and 1.3: TLS 1.0 is refused by it, or not even offered by this platform.
            Assert.Contains(r.TlsVersions[0].Status, new[] { TlsVersionStatus.Rejected, TlsVersionStatus.NotSupportedByPlatform });
            Assert.Equal("Tls12, Tls13", r.AcceptedTlsVersions);
            Assert.DoesNotContain(r.Findings, f => f.Code == "Tls.LegacyProtocol");
        }

        [Fact]
        public async Task Leaves_the_transcript_out_unless_asked()
        {
            var port = Serve(ScriptedSmtpServer.Run, "name=plain.example.net");
            var r = await ProbeAsync("plain.example.net", port);
            Assert.Empty(r.Transcript);
        }

        [Fact]
        public async Task Stops_when_the_caller_cancels()
        {
            var port = Serve(HostileSmtpPeers.SlowDrip, "interval=1000");
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _prober.ProbeAsync(Request("mx.example.net", port, TimeSpan.FromSeconds(30)), cts.Token));
        }

        [Fact]
        public void Builds_address_literals_for_the_EHLO_fallback()
        {
            Assert.Equal("[192.0.2.1]", SmtpTlsProber.AddressLiteral(IPAddress.Parse("192.0.2.1")));
            Assert.Equal("[IPv6:2001:db8::1]", SmtpTlsProber.AddressLiteral(IPAddress.Parse("2001:db8::1")));
            Assert.Equal("[192.0.2.1]", SmtpTlsProber.AddressLiteral(IPAddress.Parse("::ffff:192.0.2.1")));
        }

        public void Dispose()
        {
            _stop.Cancel();
            _stop.Dispose();
            _pki.Dispose();
        }

        private static IEnumerable<string> ClientVerbs(SmtpTlsProbe r)
            => r.Transcript.Where(l => l.Direction == SmtpTranscriptDirection.Client).Select(l => l.Text.Split(' ')[0].ToUpperInvariant());

        private static void AssertOnlyProbeVerbs(SmtpTlsProbe r)
        {
            Assert.NotEmpty(r.Transcript);
            Assert.All(ClientVerbs(r), v => Assert.Contains(v, AllowedVerbs));
        }

        private string[] ServerWith(string name, params string[] more)
        {
            var leaf = _pki.IssueLeaf(name);
            var files = _pki.Write(name + "-" + Guid.NewGuid().ToString("N"), leaf, _pki.IssuingCa);
            return new[] { "name=" + name, "chain=" + files.Chain, "key=" + files.Key }.Concat(more).ToArray();
        }

        private SmtpTlsProbeRequest Request(string host, int port, TimeSpan? timeout = null)
        {
            var request = new SmtpTlsProbeRequest(host, IPAddress.Loopback)
            {
                Port = port,
                HeloName = "probe.example.org",
                Timeout = timeout ?? TimeSpan.FromSeconds(10),
                TrustAnchors = new[] { _pki.RootCa.Certificate },
            };
            return request;
        }

        private Task<SmtpTlsProbe> ProbeAsync(string host, int port, bool transcript = false, TimeSpan? timeout = null)
        {
            var request = Request(host, port, timeout);
            request.IncludeTranscript = transcript;
            return _prober.ProbeAsync(request);
        }

        private int Serve(Func<string, int, string[], CancellationToken, Task> peer, params string[] options)
        {
            var port = FreePort();
            _ = peer("127.0.0.1", port, options, _stop.Token);
            return port;
        }

        private static int FreePort()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            var port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }
    }
}
