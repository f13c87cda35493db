using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
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
    /// is computed afterwards and stated in the result, never silently accepted.
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
        private const int ExpiresSoonDays = 14;

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

            var settings = new ProbeSettings(request);
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

        private static async Task<TlsVersionSupport> ProbeVersionAsync(ProbeSettings settings, TlsVersion version, CancellationToken cancellationToken)
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

        private static async Task<SmtpTlsProbeBuilder> RunSessionAsync(ProbeSettings s, IReadOnlyList<TlsVersion> versions, bool keepTranscript, CancellationToken cancellationToken)
        {
            var b = new SmtpTlsProbeBuilder
            {
                HostName = s.HostName,
                Address = s.Address.ToString(),
                Port = s.Port,
                ImplicitTls = s.ImplicitTls,
                ServerName = s.ServerName,
                StartedAt = DateTimeOffset.UtcNow,
            };
            var clock = Stopwatch.StartNew();
            using var guard = new SmtpSessionGuard(s.Timeout, cancellationToken);
            var recorder = new SmtpSessionRecorder(guard, clock, s.MaxReplyLines, s.MaxLineLength, s.ImplicitTls);
            var capture = new TlsCapture();
            recorder.BeginPhase(SmtpProbePhase.Connect);
            recorder.Note($"connecting to {s.Address}:{s.Port}{(s.ImplicitTls ? " (implicit TLS)" : string.Empty)}");
            if (s.ImplicitTls && s.Port == 25)
            {
                b.Findings.Add(SmtpFindings.ImplicitTlsOnPort25.Create($"Implicit TLS was requested on port 25 of {b.Target}.", b.HostName));
            }

            var socket = new Socket(s.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            guard.Socket = socket;
            try
            {
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(s.Address, s.Port)).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException || ex is IOException)
                {
                    if (guard.CancelledByCaller)
                    {
                        throw new OperationCanceledException(cancellationToken);
                    }

                    FailConnect(b, ex, guard.TimedOut, s.Timeout);
                    recorder.Note(b.Error ?? "connect failed");
                    return Finish(b, recorder, clock, keepTranscript);
                }

                b.ConnectTime = clock.Elapsed;
                b.HeloName = s.HeloName ?? DefaultHeloName(socket.LocalEndPoint);
                recorder.Note($"connected from {socket.LocalEndPoint} in {b.ConnectTime.TotalMilliseconds:0} ms");
                recorder.BeginPhase(s.ImplicitTls ? SmtpProbePhase.TlsHandshake : SmtpProbePhase.Greeting);
                capture.OnCertificate = () =>
                {
                    if (s.ImplicitTls)
                    {
                        recorder.BeginPhase(SmtpProbePhase.Greeting);
                    }
                };

                using var network = new NetworkStream(socket, ownsSocket: false);
                var stream = new GuardedStream(network, guard, s.MaxSessionBytes);
                Exception? failure = null;
                using (var client = NewClient(recorder))
                {
                    client.LocalDomain = b.HeloName;
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

                            recorder.Note("QUIT failed: " + Describe(ex));
                        }
                    }
                }

                if (failure != null && ShouldQuitByHand(recorder, guard))
                {
                    // MailKit drops the connection when a command fails (e.g. 454 to STARTTLS); a polite client still says QUIT.
                    await QuitAsync(network, recorder, guard).ConfigureAwait(false);
                }

                Classify(b, s, recorder, guard, capture, failure);
            }
            finally
            {
                socket.Dispose();
            }

            return Finish(b, recorder, clock, keepTranscript);
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

        private static async Task QuitAsync(NetworkStream network, SmtpSessionRecorder recorder, SmtpSessionGuard guard)
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

        private static void FailConnect(SmtpTlsProbeBuilder b, Exception ex, bool timedOut, TimeSpan timeout)
        {
            b.Outcome = SmtpTlsOutcome.ConnectFailed;
            b.FailurePhase = SmtpProbePhase.Connect;
            var code = (ex as SocketException)?.SocketErrorCode;
            if (timedOut || code == SocketError.TimedOut)
            {
                b.Error = $"The TCP connection to {b.Address} port {b.Port} did not complete within {timeout.TotalSeconds:0.#} s.";
                b.Findings.Add(SmtpFindings.ConnectTimeout.Create(b.Error, b.HostName));
            }
            else if (code == SocketError.ConnectionRefused || code == SocketError.ConnectionReset)
            {
                b.Error = $"The TCP connection to {b.Address} port {b.Port} was refused.";
                b.Findings.Add(SmtpFindings.ConnectRefused.Create(b.Error, b.HostName));
            }
            else
            {
                b.Error = $"The TCP connection to {b.Address} port {b.Port} failed: {ex.Message}";
                b.Findings.Add(SmtpFindings.ConnectFailed.Create(b.Error, b.HostName));
            }
        }

        private static void Classify(SmtpTlsProbeBuilder b, ProbeSettings s, SmtpSessionRecorder recorder, SmtpSessionGuard guard, TlsCapture capture, Exception? failure)
        {
            var replies = recorder.Replies;
            var greeting = replies.FirstOrDefault(r => r.Command is null);
            var ehlo = replies.FirstOrDefault(r => r.Command == "EHLO" && !r.InsideTls);
            var helo = replies.FirstOrDefault(r => r.Command == "HELO" && !r.InsideTls);
            var startTls = replies.FirstOrDefault(r => r.Command == "STARTTLS");
            var ehloTls = replies.FirstOrDefault(r => r.Command == "EHLO" && r.InsideTls);
            if (greeting != null)
            {
                b.BannerCode = greeting.Code;
                b.Banner = string.Join(" ", greeting.Texts);
            }

            if (ehlo?.Code == 250)
            {
                b.CapabilitiesBeforeTls = EhloCapabilities.FromEhloReply(ehlo.Texts);
            }

            if (ehloTls?.Code == 250)
            {
                b.CapabilitiesAfterTls = EhloCapabilities.FromEhloReply(ehloTls.Texts);
            }

            b.StartTlsOffered = !s.ImplicitTls && EhloCapabilities.Has(b.CapabilitiesBeforeTls, "STARTTLS");
            b.StartTlsReply = startTls?.OneLine();
            b.CertificateChain = capture.Chain;
            b.TlsEstablished = capture.Established;
            b.TlsProtocol = capture.Protocol;
            b.CipherSuite = capture.CipherSuite;
            b.KeyExchange = capture.KeyExchange;
            var phase = recorder.CurrentPhase;
            var target = b.Target;

            if (failure is null)
            {
                if (ehlo != null && ehlo.Code != 250 && helo?.Code == 250)
                {
                    b.Findings.Add(SmtpFindings.EhloRejected.Create($"{target} answered EHLO with '{ehlo.OneLine()}'; only HELO works, so no extension such as STARTTLS can be offered.", b.HostName));
                }

                if (!b.TlsEstablished)
                {
                    b.Outcome = SmtpTlsOutcome.NoStartTls;
                    b.Error = $"{target} does not offer STARTTLS.";
                    b.Findings.Add(SmtpFindings.NoStartTls.Create($"{target} does not offer STARTTLS: its EHLO reply lists {(b.CapabilitiesBeforeTls.Count == 0 ? "no extensions" : string.Join(", ", b.CapabilitiesBeforeTls.Select(EhloCapabilities.Keyword)))}.", b.HostName));
                }
                else
                {
                    EvaluateCertificate(b, s);
                }
            }
            else if (guard.Violation != null)
            {
                Fail(b, SmtpTlsOutcome.ProtocolViolation, phase, $"{target} exceeded the probe's limits during {Describe(phase)}: {guard.Violation}.", SmtpFindings.ResponseLimitExceeded);
            }
            else if (guard.TimedOut)
            {
                Fail(b, SmtpTlsOutcome.Timeout, phase, $"{target} did not answer within {s.Timeout.TotalSeconds:0.#} s during {Describe(phase)}.", SmtpFindings.SessionTimeout);
            }
            else if (greeting is null && s.ImplicitTls && !capture.Established)
            {
                Fail(b, SmtpTlsOutcome.HandshakeFailed, SmtpProbePhase.TlsHandshake, $"The implicit TLS handshake with {target} failed: {Describe(failure)}", TlsFindings.HandshakeFailed);
            }
            else if (greeting is null)
            {
                var why = recorder.MalformedLine != null
                    ? $"{target} did not greet with an SMTP reply; it sent '{DomainName.Printable(recorder.MalformedLine)}' (not an SMTP server?)."
                    : recorder.ServerBytes == 0
                        ? $"{target} closed the connection without sending a greeting."
                        : $"{target} sent no complete greeting: {Describe(failure)}";
                Fail(b, SmtpTlsOutcome.ProtocolViolation, SmtpProbePhase.Greeting, why, SmtpFindings.ProtocolViolation);
            }
            else if (greeting.Code != 220)
            {
                Fail(b, SmtpTlsOutcome.ServerRefused, SmtpProbePhase.Greeting, $"{target} greeted with '{greeting.OneLine()}' instead of 220.", SmtpFindings.BannerError);
            }
            else if (!s.ImplicitTls && ehlo != null && ehlo.Code != 250 && (helo is null || helo.Code != 250))
            {
                Fail(b, SmtpTlsOutcome.ServerRefused, SmtpProbePhase.Ehlo, $"{target} rejected EHLO ('{ehlo.OneLine()}'){(helo is null ? string.Empty : $" and HELO ('{helo.OneLine()}')")}.", SmtpFindings.EhloRejected);
            }
            else if (startTls != null && startTls.Code != 220)
            {
                Fail(b, SmtpTlsOutcome.StartTlsRejected, SmtpProbePhase.StartTls, $"{target} offers STARTTLS but answered the STARTTLS command with '{startTls.OneLine()}'.", SmtpFindings.StartTlsRejected);
            }
            else if ((startTls?.Code == 220 || s.ImplicitTls) && (!capture.Established || failure is SslHandshakeException))
            {
                Fail(b, SmtpTlsOutcome.HandshakeFailed, SmtpProbePhase.TlsHandshake, $"The TLS handshake with {target} failed after {(s.ImplicitTls ? "connecting" : "STARTTLS was accepted")}: {Describe(failure)}", TlsFindings.HandshakeFailed);
                b.TlsEstablished = false;
            }
            else
            {
                var why = recorder.MalformedLine != null
                    ? $"{target} sent a line that is not an SMTP reply during {Describe(phase)}: '{DomainName.Printable(recorder.MalformedLine)}'."
                    : $"The session with {target} broke during {Describe(phase)}: {Describe(failure)}";
                Fail(b, SmtpTlsOutcome.ProtocolViolation, phase, why, SmtpFindings.ProtocolViolation);
            }

            if (failure != null && b.TlsEstablished && b.CertificateChain.Count > 0)
            {
                // The session failed after the handshake: the certificate is still judged, for the evidence, but the
                // outcome and the error stay those of the failure.
                var outcome = b.Outcome;
                var error = b.Error;
                EvaluateCertificate(b, s);
                b.Outcome = outcome;
                b.Error = error;
            }

            AddCapabilityFindings(b, recorder, target);
        }

        private static void EvaluateCertificate(SmtpTlsProbeBuilder b, ProbeSettings s)
        {
            var target = b.Target;
            b.Pkix = PkixValidator.Validate(b.CertificateChain, new PkixValidationOptions { CheckRevocation = s.CheckRevocation, TrustAnchors = s.TrustAnchors, VerificationTime = b.StartedAt });
            if (b.CertificateChain.Count > 0)
            {
                HostNameMatch? match = null;
                foreach (var name in s.ReferenceNames)
                {
                    var m = HostNameMatcher.Match(b.CertificateChain[0], name);
                    match ??= m;
                    if (m.Matches)
                    {
                        match = m;
                        break;
                    }
                }

                b.HostNameMatch = match;
            }

            var p = b.Pkix.Problems;
            var reasons = string.Join(" ", b.Pkix.Reasons);
            if ((p & CertificateProblems.SelfSigned) != 0)
            {
                b.Findings.Add(TlsFindings.SelfSigned.Create($"{target} presents a self-signed certificate ({b.CertificateChain[0].Subject}).", b.HostName));
            }
            else if ((p & CertificateProblems.Untrusted) != 0)
            {
                b.Findings.Add(TlsFindings.CertificateUntrusted.Create($"The chain of {target} does not lead to a trusted root: {reasons}", b.HostName));
            }

            if ((p & CertificateProblems.IncompleteChain) != 0 && (p & CertificateProblems.SelfSigned) == 0)
            {
                b.Findings.Add(TlsFindings.IncompleteChain.Create($"The chain of {target} is incomplete ({b.CertificateChain.Count} certificate(s) sent): {reasons}", b.HostName));
            }

            if ((p & CertificateProblems.Expired) != 0)
            {
                b.Findings.Add(TlsFindings.CertificateExpired.Create($"The chain of {target} contains an expired certificate: {reasons}", b.HostName));
            }

            if ((p & CertificateProblems.NotYetValid) != 0)
            {
                b.Findings.Add(TlsFindings.CertificateNotYetValid.Create($"The chain of {target} contains a certificate that is not valid yet: {reasons}", b.HostName));
            }

            if ((p & CertificateProblems.WrongUsage) != 0)
            {
                b.Findings.Add(TlsFindings.CertificateWrongUsage.Create($"The chain of {target} is not valid for server authentication: {reasons}", b.HostName));
            }

            if ((p & CertificateProblems.Revoked) != 0)
            {
                b.Findings.Add(TlsFindings.CertificateRevoked.Create($"The chain of {target} contains a revoked certificate: {reasons}", b.HostName));
            }

            if ((p & CertificateProblems.RevocationUnknown) != 0)
            {
                b.Findings.Add(TlsFindings.RevocationUnknown.Create($"The revocation status of the chain of {target} is unknown: {reasons}", b.HostName));
            }

            if ((p & (CertificateProblems.InvalidChain | CertificateProblems.NoCertificate)) != 0)
            {
                b.Findings.Add(TlsFindings.CertificateChainInvalid.Create($"The chain of {target} is invalid: {reasons}", b.HostName));
            }

            if (b.HostNameMatch != null && !b.HostNameMatch.Matches)
            {
                b.Findings.Add(TlsFindings.CertificateHostMismatch.Create($"{target}: {b.HostNameMatch.Explanation}", b.HostName));
            }
            else if (b.HostNameMatch?.Source == HostNameMatchSource.CommonName)
            {
                b.Findings.Add(TlsFindings.MatchedByCommonNameOnly.Create($"{target}: {b.HostNameMatch.Explanation}", b.HostName));
            }

            if (b.CertificateChain.Count > 0)
            {
                var days = (new DateTimeOffset(b.CertificateChain[0].NotAfter.ToUniversalTime(), TimeSpan.Zero) - b.StartedAt).TotalDays;
                if (days >= 0 && days < ExpiresSoonDays)
                {
                    b.Findings.Add(TlsFindings.CertificateExpiresSoon.Create($"The certificate of {target} expires in {Math.Floor(days).ToString(CultureInfo.InvariantCulture)} day(s), on {b.CertificateChain[0].NotAfter.ToUniversalTime():yyyy-MM-dd}.", b.HostName));
                }
            }

            if (b.TlsProtocol.HasValue && TlsVersions.IsLegacy(b.TlsProtocol.Value))
            {
                b.Findings.Add(TlsFindings.LegacyProtocol.Create($"{target} negotiated {TlsVersions.ToDisplayName(b.TlsProtocol.Value)}.", b.HostName));
            }

            var valid = b.Pkix.IsValid && b.HostNameMatch?.Matches == true;
            b.Outcome = valid ? SmtpTlsOutcome.Success : SmtpTlsOutcome.CertificateInvalid;
            if (!valid)
            {
                b.Error = !b.Pkix.IsValid
                    ? $"The certificate of {target} fails PKIX validation ({b.Pkix.Problems})."
                    : $"The certificate of {target} does not name {b.HostNameMatch?.ReferenceName}.";
            }
        }

        private static void AddCapabilityFindings(SmtpTlsProbeBuilder b, SmtpSessionRecorder recorder, string target)
        {
            if (EhloCapabilities.Has(b.CapabilitiesBeforeTls, "AUTH"))
            {
                b.Findings.Add(SmtpFindings.AuthBeforeTls.Create($"{target} advertises AUTH {EhloCapabilities.Parameters(b.CapabilitiesBeforeTls, "AUTH")} before TLS.", b.HostName));
            }

            if (EhloCapabilities.Has(b.CapabilitiesAfterTls, "STARTTLS"))
            {
                b.Findings.Add(SmtpFindings.StartTlsAdvertisedAfterTls.Create($"{target} advertises STARTTLS again inside the TLS session.", b.HostName));
            }

            if (b.TlsEstablished && EhloCapabilities.Has(b.CapabilitiesAfterTls, "REQUIRETLS"))
            {
                b.Findings.Add(SmtpFindings.RequireTlsAdvertised.Create($"{target} advertises REQUIRETLS after STARTTLS.", b.HostName));
            }

            if (recorder.LongestLine > 512)
            {
                b.Findings.Add(SmtpFindings.ReplyLineTooLong.Create($"{target} sent a reply line of {recorder.LongestLine} octets (RFC 5321 allows 512).", b.HostName));
            }
        }

        private static void Fail(SmtpTlsProbeBuilder b, SmtpTlsOutcome outcome, SmtpProbePhase phase, string message, FindingDescriptor descriptor)
        {
            b.Outcome = outcome;
            b.FailurePhase = phase;
            b.Error = message;
            b.Findings.Add(descriptor.Create(message, b.HostName));
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

        private static string Describe(SmtpProbePhase phase) => phase switch
        {
            SmtpProbePhase.Connect => "the TCP connection",
            SmtpProbePhase.Greeting => "the greeting",
            SmtpProbePhase.Ehlo => "EHLO",
            SmtpProbePhase.StartTls => "STARTTLS",
            SmtpProbePhase.TlsHandshake => "the TLS handshake",
            SmtpProbePhase.EhloAfterTls => "EHLO inside TLS",
            _ => "QUIT",
        };

        private static string Describe(Exception? ex)
        {
            if (ex is null)
            {
                return "unknown error";
            }

            var parts = new List<string>();
            for (var e = ex; e != null && parts.Count < 4; e = e.InnerException)
            {
                if (e is SslHandshakeException && e.InnerException != null)
                {
                    continue; // MailKit's advice text is about untrusted certificates, which this probe accepts; the cause is inside
                }

                var m = string.Join(" ", e.Message.Split(new[] { '\r', '\n', '\t' }, StringSplitOptions.RemoveEmptyEntries)).Trim();
                if (m.Length > 0 && !parts.Contains(m))
                {
                    parts.Add(m);
                }
            }

            return DomainName.Printable(string.Join(" -> ", parts));
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

        /// <summary>A snapshot of the request, so that a request object can be reused or changed while probes run.</summary>
        private sealed class ProbeSettings
        {
            public ProbeSettings(SmtpTlsProbeRequest r)
            {
                Address = r.Address.IsIPv4MappedToIPv6 ? r.Address.MapToIPv4() : r.Address;
                var isAddress = IPAddress.TryParse(r.HostName, out _);
                HostName = isAddress ? Address.ToString() : (DomainName.TryNormalize(r.HostName, out var n, out _) ? n : r.HostName);
                Port = r.Port;
                ImplicitTls = r.ImplicitTls;
                HeloName = string.IsNullOrWhiteSpace(r.HeloName) ? null : r.HeloName!.Trim();
                var sni = string.IsNullOrWhiteSpace(r.ServerName) ? HostName : r.ServerName!.Trim();
                ServerName = IPAddress.TryParse(sni, out _) ? null : sni;
                ReferenceNames = r.ReferenceNames.Count > 0 ? r.ReferenceNames.ToList() : new List<string> { HostName };
                Timeout = r.Timeout <= TimeSpan.Zero ? TimeSpan.FromSeconds(10) : r.Timeout;
                IncludeTranscript = r.IncludeTranscript;
                AllowedVersions = r.AllowedVersions.Distinct().ToList();
                ProbeVersions = r.ProbeVersions.Distinct().ToList();
                CheckRevocation = r.CheckRevocation;
                TrustAnchors = r.TrustAnchors?.ToList();
                MaxSessionBytes = Math.Max(4096, r.MaxSessionBytes);
                MaxReplyLines = Math.Max(4, r.MaxReplyLines);
                MaxLineLength = Math.Max(512, r.MaxLineLength);
            }

            public string HostName { get; }

            public IPAddress Address { get; }

            public int Port { get; }

            public bool ImplicitTls { get; }

            public string? HeloName { get; }

            public string? ServerName { get; }

            public IReadOnlyList<string> ReferenceNames { get; }

            public TimeSpan Timeout { get; }

            public bool IncludeTranscript { get; }

            public IReadOnlyList<TlsVersion> AllowedVersions { get; }

            public IReadOnlyList<TlsVersion> ProbeVersions { get; }

            public bool CheckRevocation { get; }

            public IReadOnlyList<X509Certificate2>? TrustAnchors { get; }

            public int MaxSessionBytes { get; }

            public int MaxReplyLines { get; }

            public int MaxLineLength { get; }
        }
    }
}
