using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailKit.Net.Smtp;
using MailKit.Security;
using MailSecurity.Dns;
using MailSecurity.Tls;

namespace MailSecurity.Smtp
{
    /// <summary>
    /// Probes one SMTP server address exactly as a sending MTA would, up to the point where mail would be sent:
    /// TCP connect to the given address, greeting, EHLO, STARTTLS (or implicit TLS), TLS handshake with SNI, EHLO
    /// again, QUIT. It never sends MAIL, RCPT or DATA and never authenticates. The handshake always completes when
    /// the server allows it, so the chain is captured even when it is invalid; the verdict (PKIX, host name, expiry)
    /// is decided afterwards, once, by <see cref="SmtpSessionClassifier"/> from the session as recorded
    /// (<see cref="SmtpSessionRecord"/>), and stated in the result, never silently accepted.
    /// </summary>
    /// <remarks>
    /// SMTP is MailKit's <see cref="SmtpClient"/> connected to a socket this class opened (so the caller's DNS layer
    /// decides the address). MailKit cannot bound what a hostile server sends (its timeout restarts on every read and
    /// it buffers replies of any size), so the socket stream is wrapped by a byte-counting stream and every phase has
    /// a deadline (<see cref="SmtpSessionGuard"/>); the plaintext dialogue is read from MailKit's protocol logger
    /// (<see cref="SmtpSessionRecorder"/>), which also yields the capabilities before TLS that MailKit does not keep.
    /// </remarks>
    internal sealed class SmtpTlsProber
    {
        private readonly Func<SmtpProbeSettings, SmtpSessionGuard, Task<SmtpTransport>> _open;

#if !NET8_0_OR_GREATER
        static SmtpTlsProber()
        {
            // A resumed TLS session carries no certificate, and .NET reports the chain cached with the session, which
            // may come from another address of the same name or from before a certificate change. The net8.0 build
            // turns resumption off per connection (FullHandshakeSmtpClient); this build has no such API, so on .NET
            // (Core) it sets the runtime's process-wide switch. .NET Framework has no switch (Schannel keeps its cache).
            if (!System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
            {
                AppContext.SetSwitch("System.Net.Security.DisableTlsResume", true);
            }
        }
#endif

        // Looked up once per process: the host name and DNS domain do not change during a run.
        private static readonly Lazy<string?> MachineFqdn = new Lazy<string?>(() =>
        {
            try
            {
                var host = System.Net.Dns.GetHostName();
                var domain = IPGlobalProperties.GetIPGlobalProperties().DomainName;
                var fqdn = host.IndexOf('.') > 0 ? host : (string.IsNullOrEmpty(domain) ? null : host + "." + domain);
                if (fqdn != null && DomainName.TryNormalize(fqdn, out var normalized, out _) && normalized.IndexOf('.') > 0 && !normalized.EndsWith(".localdomain", StringComparison.Ordinal))
                {
                    return normalized;
                }
            }
            catch (Exception)
            {
                // No usable name: the address literal is used.
            }

            return null;
        });

        /// <summary>A prober that opens a TCP connection to the address of each request.</summary>
        public SmtpTlsProber()
            : this(ConnectAsync)
        {
        }

        /// <summary>A prober over another transport: the replay tests hand it a recorded server per session.</summary>
        /// <param name="open">Opens the transport of one session; may throw <see cref="SocketException"/> or <see cref="IOException"/> (a connect failure).</param>
        internal SmtpTlsProber(Func<SmtpProbeSettings, SmtpSessionGuard, Task<SmtpTransport>> open)
        {
            _open = open ?? throw new ArgumentNullException(nameof(open));
        }

        /// <summary>Probes one address; every failure is described in the result, never thrown.</summary>
        /// <param name="request">What to probe.</param>
        /// <param name="cancellationToken">Stops the probe.</param>
        /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
        /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
        public async Task<SmtpTlsProbe> ProbeAsync(SmtpTlsProbeRequest request, CancellationToken cancellationToken = default)
        {
            if (request is null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            var settings = new SmtpProbeSettings(request);
            var versionTasks = settings.ProbeVersions.Select(v => ProbeVersionAsync(settings, v, cancellationToken)).ToList();
            var main = await RunSessionAsync(settings, settings.AllowedVersions, settings.IncludeTranscript, cancellationToken).ConfigureAwait(false);
            var versions = await Task.WhenAll(versionTasks).ConfigureAwait(false);
            foreach (var v in versions.OrderBy(v => v.Version))
            {
                main.TlsVersions.Add(v);
                if (v.Status == TlsVersionStatus.Accepted && TlsVersions.IsLegacy(v.Version))
                {
                    main.Findings.Add(TlsFindings.LegacyProtocol.Create($"{main.Target} accepts {TlsVersions.ToDisplayName(v.Version)} when it is the only version offered.", main.HostName));
                }

                if (v.Version == TlsVersion.Tls13 && v.Status == TlsVersionStatus.Rejected)
                {
                    main.Findings.Add(TlsFindings.NoTls13.Create($"{main.Target} refuses a TLS 1.3-only handshake.", main.HostName));
                }
            }

            return new SmtpTlsProbe(main);
        }

        /// <summary>The EHLO name used when none is given: the machine's FQDN, else the address literal of the local end (RFC 5321 §4.1.4).</summary>
        public static string DefaultHeloName(EndPoint? localEndPoint)
            => MachineFqdn.Value ?? AddressLiteral((localEndPoint as IPEndPoint)?.Address ?? IPAddress.Loopback);

        /// <summary>The RFC 5321 §4.1.3 address literal of an address: <c>[192.0.2.1]</c> or <c>[IPv6:2001:db8::1]</c>.</summary>
        public static string AddressLiteral(IPAddress address)
        {
            if (address.IsIPv4MappedToIPv6)
            {
                address = address.MapToIPv4();
            }

            return address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[IPv6:{address}]" : $"[{address}]";
        }

        private async Task<TlsVersionSupport> ProbeVersionAsync(SmtpProbeSettings settings, TlsVersion version, CancellationToken cancellationToken)
        {
            var r = await RunSessionAsync(settings, new[] { version }, false, cancellationToken).ConfigureAwait(false);
            if (r.TlsEstablished)
            {
                return new TlsVersionSupport(version, TlsVersionStatus.Accepted, $"{(r.TlsProtocol.HasValue ? TlsVersions.ToDisplayName(r.TlsProtocol.Value) : "?")} {r.CipherSuite}".Trim());
            }

            if (r.Outcome == SmtpTlsOutcome.HandshakeFailed)
            {
                var error = r.Error ?? string.Empty;
                // OpenSSL refuses to send a ClientHello for versions its security policy disables ("no protocols available",
                // "no ciphers available" at security level 1 and above);
                // other platforms throw NotSupported or Win32 errors: the server was never asked.
                var platform = error.IndexOf("no protocols available", StringComparison.OrdinalIgnoreCase) >= 0
                    || error.IndexOf("no ciphers available", StringComparison.OrdinalIgnoreCase) >= 0
                    || error.IndexOf("not supported", StringComparison.OrdinalIgnoreCase) >= 0
                    || error.IndexOf("unsupported protocol", StringComparison.OrdinalIgnoreCase) >= 0 && error.IndexOf("alert", StringComparison.OrdinalIgnoreCase) < 0;
                return new TlsVersionSupport(version, platform ? TlsVersionStatus.NotSupportedByPlatform : TlsVersionStatus.Rejected, error);
            }

            return new TlsVersionSupport(version, TlsVersionStatus.NotTested, $"{r.Outcome}: {r.Error}");
        }

        private async Task<SmtpTlsProbeBuilder> RunSessionAsync(SmtpProbeSettings s, IReadOnlyList<TlsVersion> versions, bool keepTranscript, CancellationToken cancellationToken)
        {
            var startedAt = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            using var guard = new SmtpSessionGuard(s.Timeout, cancellationToken);
            var recorder = new SmtpSessionRecorder(guard, clock, s.MaxReplyLines, s.MaxLineLength, s.ImplicitTls);
            recorder.BeginPhase(SmtpProbePhase.Connect);
            recorder.Note($"connecting to {s.Address}:{s.Port}{(s.ImplicitTls ? " (implicit TLS)" : string.Empty)}");
            SmtpTransport transport;
            try
            {
                transport = await _open(s, guard).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException || ex is IOException)
            {
                if (guard.CancelledByCaller)
                {
                    throw new OperationCanceledException(cancellationToken);
                }

                var failed = SmtpSessionClassifier.Classify(new SmtpSessionRecord { StartedAt = startedAt, Failure = SmtpSessionFailure.From(ex), TimedOut = guard.TimedOut }, s);
                recorder.Note(failed.Error ?? "connect failed");
                return Finish(failed, recorder, clock, keepTranscript);
            }

            SmtpSessionRecord session;
            using (transport.Stream)
            {
                var connectTime = clock.Elapsed;
                var heloName = s.HeloName ?? DefaultHeloName(transport.LocalEndPoint);
                recorder.Note($"connected from {transport.LocalEndPoint} in {connectTime.TotalMilliseconds:0} ms");
                var talk = await TalkAsync(transport.Stream, s, versions, heloName, guard, recorder, cancellationToken).ConfigureAwait(false);
                session = new SmtpSessionRecord
                {
                    StartedAt = startedAt,
                    Connected = true,
                    HeloName = heloName,
                    ConnectTime = connectTime,
                    Replies = recorder.Replies,
                    MalformedLine = recorder.MalformedLine,
                    LongestLine = recorder.LongestLine,
                    ServerBytes = recorder.ServerBytes,
                    LastPhase = talk.Phase,
                    CertificateChain = talk.Tls.Chain,
                    TlsEstablished = talk.Tls.Established,
                    TlsProtocol = talk.Tls.Protocol,
                    CipherSuite = talk.Tls.CipherSuite,
                    KeyExchange = talk.Tls.KeyExchange,
                    Failure = talk.Failure is null ? null : SmtpSessionFailure.From(talk.Failure),
                    TimedOut = guard.TimedOut,
                    LimitExceeded = guard.Violation,
                };
            }

            return Finish(SmtpSessionClassifier.Classify(session, s), recorder, clock, keepTranscript);
        }

        /// <summary>Opens a TCP connection to the address of the settings (the production transport).</summary>
        private static async Task<SmtpTransport> ConnectAsync(SmtpProbeSettings s, SmtpSessionGuard guard)
        {
            var socket = new Socket(s.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            guard.Socket = socket;
            try
            {
                await socket.ConnectAsync(new IPEndPoint(s.Address, s.Port)).ConfigureAwait(false);
                return new SmtpTransport(new NetworkStream(socket, ownsSocket: true), socket.LocalEndPoint);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        /// <summary>
        /// Drives the session over an open transport (greeting, EHLO, STARTTLS or implicit TLS, EHLO again, QUIT) while
        /// the recorder and the TLS capture record it; returns the TLS record, what the client library reported and the
        /// phase the session ended (or broke) in.
        /// </summary>
        private static async Task<(TlsCapture Tls, Exception? Failure, SmtpProbePhase Phase)> TalkAsync(Stream transport, SmtpProbeSettings s, IReadOnlyList<TlsVersion> versions, string heloName, SmtpSessionGuard guard, SmtpSessionRecorder recorder, CancellationToken cancellationToken)
        {
            var capture = new TlsCapture();
            recorder.BeginPhase(s.ImplicitTls ? SmtpProbePhase.TlsHandshake : SmtpProbePhase.Greeting);
            capture.OnCertificate = () =>
            {
                if (s.ImplicitTls)
                {
                    recorder.BeginPhase(SmtpProbePhase.Greeting);
                }
            };

            var stream = new GuardedStream(transport, guard, s.MaxSessionBytes);
            Exception? failure = null;
            using (var client = NewClient(recorder))
            {
                client.LocalDomain = heloName;
                client.Timeout = (int)Math.Min(int.MaxValue, s.Timeout.TotalMilliseconds);
                client.CheckCertificateRevocation = false; // revocation is PkixValidator's job, on request
                client.ServerCertificateValidationCallback = capture.Validate;
                client.SslProtocols = versions.Count == 0 ? SslProtocols.None : versions.Select(TlsVersions.ToSslProtocols).Aggregate((x, y) => x | y);
                recorder.OnFirstTlsCommand = () =>
                {
                    // A command is being written inside TLS, so the handshake has completed. MailKit may not report
                    // the session as encrypted until its post-TLS EHLO returns: the details are noted once known.
                    capture.HandshakeCompleted();
                    capture.ReadSessionDetails(client);
                    recorder.Note(capture.Describe());
                };
                try
                {
                    // SNI = the host name (or the DANE base domain); an IP literal sends none (RFC 6066 §3).
                    await client.ConnectAsync(stream, s.ServerName ?? s.Address.ToString(), s.Port, s.ImplicitTls ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable, guard.Token).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // Whatever the exception, a caller's cancellation is reported as one just below.
                    failure = ex;
                }

                if (guard.CancelledByCaller)
                {
                    throw new OperationCanceledException(cancellationToken);
                }

                if (failure is null)
                {
                    var detailsNoted = capture.DetailsKnown;
                    capture.ReadSessionDetails(client);
                    if (!detailsNoted && capture.DetailsKnown && capture.HandshakeSeen)
                    {
                        recorder.Note(capture.Describe());
                    }

                    recorder.BeginPhase(SmtpProbePhase.Quit);
                    try
                    {
                        await client.DisconnectAsync(true, guard.Token).ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        if (guard.CancelledByCaller)
                        {
                            throw new OperationCanceledException(cancellationToken);
                        }

                        recorder.Note("QUIT failed: " + SmtpSessionFailure.From(ex).Description);
                    }
                }
            }

            // The phase the session broke in, before the QUIT below starts a phase of its own.
            var phase = recorder.CurrentPhase;
            if (failure != null && ShouldQuitByHand(recorder, guard))
            {
                // MailKit drops the connection when a command fails (e.g. 454 to STARTTLS); a polite client still says QUIT.
                await QuitAsync(transport, recorder, guard).ConfigureAwait(false);
            }

            return (capture, failure, phase);
        }

        private static SmtpClient NewClient(SmtpSessionRecorder recorder)
        {
#if NET8_0_OR_GREATER
            return new FullHandshakeSmtpClient(recorder);
#else
            return new SmtpClient(recorder);
#endif
        }

#if NET8_0_OR_GREATER
        /// <summary>
        /// MailKit's client with TLS session resumption off: every probe gets a full handshake and the chain the server
        /// really presents now, never one cached from an earlier session (possibly with another address of the name).
        /// </summary>
        private sealed class FullHandshakeSmtpClient : SmtpClient
        {
            public FullHandshakeSmtpClient(MailKit.IProtocolLogger logger)
                : base(logger)
            {
            }

            protected override SslClientAuthenticationOptions GetSslClientAuthenticationOptions(string host, RemoteCertificateValidationCallback certificateValidationCallback)
            {
                var options = base.GetSslClientAuthenticationOptions(host, certificateValidationCallback);
                options.AllowTlsResume = false;
                return options;
            }
        }
#endif

        private static bool ShouldQuitByHand(SmtpSessionRecorder recorder, SmtpSessionGuard guard)
        {
            if (recorder.InsideTls || guard.TimedOut || guard.Violation != null)
            {
                return false;
            }

            var replies = recorder.Replies;
            return replies.Count > 0 && replies[replies.Count - 1].Code != 221 && replies[replies.Count - 1].Code != 421;
        }

        private static async Task QuitAsync(Stream network, SmtpSessionRecorder recorder, SmtpSessionGuard guard)
        {
            try
            {
                var quit = Encoding.ASCII.GetBytes("QUIT\r\n");
                recorder.LogClient(quit, 0, quit.Length);
                await network.WriteAsync(quit, 0, quit.Length, guard.Token).ConfigureAwait(false);
                var buffer = new byte[512];
                var total = 0;
                while (total < buffer.Length)
                {
                    var n = await network.ReadAsync(buffer, total, buffer.Length - total, guard.Token).ConfigureAwait(false);
                    if (n <= 0)
                    {
                        break;
                    }

                    recorder.LogServer(buffer, total, n);
                    total += n;
                    if (buffer[total - 1] == (byte)'\n')
                    {
                        break;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException || ex is SocketException || ex is ObjectDisposedException || ex is OperationCanceledException)
            {
                recorder.Note("QUIT could not be completed: " + ex.Message);
            }
        }

        private static SmtpTlsProbeBuilder Finish(SmtpTlsProbeBuilder b, SmtpSessionRecorder recorder, Stopwatch clock, bool keepTranscript)
        {
            b.TotalTime = clock.Elapsed;
            b.PhaseTimings = recorder.Timings(b.TotalTime);
            var handshake = b.PhaseTimings.FirstOrDefault(t => t.Phase == SmtpProbePhase.TlsHandshake);
            b.TlsHandshakeTime = b.TlsEstablished && handshake != null ? TimeSpan.FromMilliseconds(handshake.Milliseconds) : (TimeSpan?)null;
            if (b.Error != null && b.FailurePhase != null)
            {
                recorder.Note(b.Error);
            }

            if (keepTranscript)
            {
                b.Transcript = recorder.Transcript;
            }

            return b;
        }

        /// <summary>The validation callback's record of the handshake: the chain as presented and the session parameters.</summary>
        private sealed class TlsCapture
        {
            private readonly object _gate = new object();

            public Action? OnCertificate { get; set; }

            public IReadOnlyList<X509Certificate2> Chain { get; private set; } = Array.Empty<X509Certificate2>();

            public bool Established { get; private set; }

            public TlsVersion? Protocol { get; private set; }

            public string? CipherSuite { get; private set; }

            public string? KeyExchange { get; private set; }

            /// <summary>True once a command was written inside TLS (the handshake completed, whatever MailKit reports yet).</summary>
            public bool HandshakeSeen { get; private set; }

            /// <summary>True once the protocol version and cipher were read from the client.</summary>
            public bool DetailsKnown => Established;

            public void HandshakeCompleted() => HandshakeSeen = true;

            public string Describe()
                => Established
                    ? $"TLS established: {(Protocol.HasValue ? TlsVersions.ToDisplayName(Protocol.Value) : "?")} {CipherSuite}, {Chain.Count} certificate(s) presented"
                    : HandshakeSeen
                        ? $"TLS handshake completed, {Chain.Count} certificate(s) presented"
                        : "TLS not established";

            public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
            {
                lock (_gate)
                {
                    // MailKit passes the host name as sender, not the SslStream: the session details come from the client later.
                    if (certificate != null)
                    {
                        var leaf = new X509Certificate2(certificate);
                        var list = new List<X509Certificate2> { leaf };
                        if (chain != null)
                        {
                            // The platform puts the certificates the server sent (after its own) in ExtraStore, in the order sent.
                            foreach (var c in chain.ChainPolicy.ExtraStore)
                            {
                                if (!c.RawData.SequenceEqual(leaf.RawData))
                                {
                                    list.Add(new X509Certificate2(c.RawData));
                                }
                            }
                        }

                        Chain = list;
                    }
                }

                OnCertificate?.Invoke();

                // Record, do not decide: the handshake must complete so that the chain, the cipher and the post-TLS
                // capabilities are reported; PkixValidator and HostNameMatcher give the verdict, which the result states.
                return true;
            }

            public void ReadSessionDetails(SmtpClient client)
            {
                lock (_gate)
                {
                    if (Established)
                    {
                        return;
                    }

                    try
                    {
                        if (!client.IsConnected || !client.IsEncrypted)
                        {
                            return;
                        }

                        Established = true;
                        Protocol = TlsVersions.FromSslProtocols(client.SslProtocol);
#if NET8_0_OR_GREATER
                        CipherSuite = client.SslCipherSuite?.ToString();
#else
                        CipherSuite = NegotiatedCipherSuite(client);
#endif
                        if (CipherSuite != null && CipherSuite.StartsWith("TLS_", StringComparison.Ordinal))
                        {
                            var with = CipherSuite.IndexOf("_WITH_", StringComparison.Ordinal);
                            KeyExchange = with > 4 ? CipherSuite.Substring(4, with - 4) : (Protocol == TlsVersion.Tls13 ? "(EC)DHE" : null);
                        }
                    }
                    catch (ObjectDisposedException)
                    {
                    }
                    catch (InvalidOperationException)
                    {
                    }
                }
            }

#if !NET8_0_OR_GREATER
            // MailKit's netstandard2.0 build has no SslCipherSuite (TlsCipherSuite is not in netstandard2.0), but on .NET Core
            // the SslStream under it has NegotiatedCipherSuite; on .NET Framework nothing names the suite and this returns null.
            private static string? NegotiatedCipherSuite(SmtpClient client)
            {
                const System.Reflection.BindingFlags Any = System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic;
                try
                {
                    var smtpStream = typeof(SmtpClient).GetProperty("Stream", Any)?.GetValue(client);
                    var inner = smtpStream?.GetType().GetProperty("Stream", Any)?.GetValue(smtpStream) as SslStream;
                    return inner?.GetType().GetProperty("NegotiatedCipherSuite")?.GetValue(inner)?.ToString();
                }
                catch (Exception)
                {
                    return null;
                }
            }
#endif
        }
    }

    /// <summary>The open transport of one session: the stream (it owns the socket) and the local end (for the default EHLO name).</summary>
    internal sealed class SmtpTransport
    {
        public SmtpTransport(Stream stream, EndPoint? localEndPoint)
        {
            Stream = stream ?? throw new ArgumentNullException(nameof(stream));
            LocalEndPoint = localEndPoint;
        }

        public Stream Stream { get; }

        public EndPoint? LocalEndPoint { get; }
    }
}
