using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using MailSecurity.Dns;

namespace MailSecurity.MtaSts
{
    /// <summary>The outcome of a policy fetch: the evidence and, on success, the body bytes.</summary>
    internal sealed class MtaStsFetchedPolicy
    {
        internal MtaStsFetchedPolicy(MtaStsPolicyFetch fetch, byte[]? body)
        {
            Fetch = fetch;
            Body = body;
        }

        /// <summary>What happened on the wire.</summary>
        public MtaStsPolicyFetch Fetch { get; }

        /// <summary>The body (at most 64 KB) when <see cref="MtaStsPolicyFetch.Outcome"/> is Success; otherwise null.</summary>
        public byte[]? Body { get; }
    }

    /// <summary>The addresses of a policy host, or why there are none.</summary>
    internal sealed class PolicyHostAddresses
    {
        public PolicyHostAddresses(IReadOnlyList<IPAddress> addresses, MtaStsFetchOutcome? failure, string? error)
        {
            Addresses = addresses;
            Failure = failure;
            Error = error;
        }

        public IReadOnlyList<IPAddress> Addresses { get; }

        public MtaStsFetchOutcome? Failure { get; }

        public string? Error { get; }
    }

    /// <summary>
    /// Fetches <c>https://mta-sts.&lt;domain&gt;/.well-known/mta-sts.txt</c> as a compliant sender does (RFC 8461 §3.3, §7):
    /// the policy host resolved through the run's DNS layer, SNI = the policy host, PKIX validation against the platform trust
    /// store (never relaxed), TLS 1.2 or later, GET only, no redirects followed, no HTTP caching, only status 200 with
    /// text/plain accepted, at most 64 KB + 1 byte read, one overall timeout. On net8.0 it uses HttpClient over
    /// SocketsHttpHandler; the netstandard2.0 build uses a minimal HTTP/1.1 client over SslStream (see
    /// <see cref="Http11ResponseReader"/>); both share connection, certificate and response rules.
    /// </summary>
    internal sealed class MtaStsPolicyFetcher
    {
        /// <summary>The body size limit (RFC 8461 §3.3 suggests 64 kilobytes).</summary>
        public const int MaxBodyBytes = 64 * 1024;

        private const string UserAgent = "MailSecurity (MTA-STS policy check)";
        private const SslProtocols Tls12Or13 = SslProtocols.Tls12 | (SslProtocols)12288; // 12288 = Tls13, absent from netstandard2.0
        private readonly IDnsLookup _dns;
        private readonly int _port;
        private readonly bool _forceHttp11;

        /// <summary>Creates a fetcher that resolves policy hosts through the run's DNS seam.</summary>
        /// <param name="dns">The run's DNS lookups (a scripted zone in unit tests).</param>
        /// <param name="timeout">Overall limit for one fetch: address lookup, connect, TLS, request and body (RFC 8461 §3.3 suggests at most one minute).</param>
        /// <param name="port">The HTTPS port: 443 (RFC 8461 §3.3); tests point it at a loopback peer.</param>
        /// <param name="forceHttp11">Use the HTTP/1.1 client on net8.0 too (the client netstandard2.0 always uses), for tests of that client.</param>
        /// <exception cref="ArgumentNullException"><paramref name="dns"/> is null.</exception>
        internal MtaStsPolicyFetcher(IDnsLookup dns, TimeSpan timeout, int port = 443, bool forceHttp11 = false)
        {
            _dns = dns ?? throw new ArgumentNullException(nameof(dns));
            _port = port;
            Timeout = timeout;
            _forceHttp11 = forceHttp11;
        }

        /// <summary>The overall limit for one fetch.</summary>
        public TimeSpan Timeout { get; }

        /// <summary>The client this build uses: <c>HttpClient</c> or <c>Http11</c>.</summary>
        public string ClientName
        {
            get
            {
#if NET8_0_OR_GREATER
                return _forceHttp11 ? "Http11" : "HttpClient";
#else
                return "Http11";
#endif
            }
        }

        /// <summary>Fetches the policy of <paramref name="domain"/>; failures are data in the result, never exceptions.</summary>
        /// <param name="domain">The Policy Domain, normalised.</param>
        /// <param name="cancellationToken">Cancels the fetch (the caller's Ctrl+C; the timeout is separate).</param>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
        public async Task<MtaStsFetchedPolicy> FetchAsync(string domain, CancellationToken cancellationToken = default)
        {
            var host = "mta-sts." + domain;
            var state = new FetchState(host, $"https://{host}/.well-known/mta-sts.txt", ClientName);
            var started = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(Timeout);
                try
                {
                    var addresses = await ResolveAsync(_dns, host, timeout.Token).ConfigureAwait(false);
                    state.Addresses = addresses.Addresses.Select(a => a.ToString()).ToList();
                    if (addresses.Failure != null)
                    {
                        state.Fail(addresses.Failure.Value, addresses.Error ?? "the policy host has no address");
                    }
                    else
                    {
#if NET8_0_OR_GREATER
                        if (!_forceHttp11)
                        {
                            await FetchWithHttpClientAsync(state, addresses.Addresses, timeout.Token).ConfigureAwait(false);
                        }
                        else
                        {
                            await FetchWithHttp11Async(state, addresses.Addresses, timeout.Token).ConfigureAwait(false);
                        }
#else
                        await FetchWithHttp11Async(state, addresses.Addresses, timeout.Token).ConfigureAwait(false);
#endif
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    state.Fail(MtaStsFetchOutcome.Timeout, $"the fetch of {state.Url} did not complete within {Timeout.TotalSeconds:0.#} s ({state.StageText})");
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested && !(ex is OperationCanceledException))
                {
                    state.FailFrom(ex);
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            return new MtaStsFetchedPolicy(state.Build(clock.Elapsed, started), state.Outcome == MtaStsFetchOutcome.Success ? state.Body : null);
        }

        private static async Task<PolicyHostAddresses> ResolveAsync(IDnsLookup dns, string host, CancellationToken cancellationToken)
        {
            var a = dns.QueryAsync(host, QueryType.A, cancellationToken);
            var aaaa = dns.QueryAsync(host, QueryType.AAAA, cancellationToken);
            await Task.WhenAll(a, aaaa).ConfigureAwait(false);
            var aAnswer = await a.ConfigureAwait(false);
            var aaaaAnswer = await aaaa.ConfigureAwait(false);
            var addresses = aAnswer.RecordsOf<ARecord>().Select(r => r.Address)
                .Concat(aaaaAnswer.RecordsOf<AaaaRecord>().Select(r => r.Address))
                .ToList();
            if (addresses.Count > 0)
            {
                return new PolicyHostAddresses(addresses, null, null);
            }

            var failed = new[] { aAnswer, aaaaAnswer }.FirstOrDefault(x => x.IsLookupError || x.Status == DnsLookupStatus.InvalidName);
            if (failed != null)
            {
                return new PolicyHostAddresses(addresses, MtaStsFetchOutcome.HostLookupFailed, failed.Describe());
            }

            return new PolicyHostAddresses(addresses, MtaStsFetchOutcome.HostNotFound,
                aAnswer.Status == DnsLookupStatus.NxDomain ? $"{host} does not exist (NXDOMAIN)." : $"{host} has no A or AAAA record.");
        }

#if NET8_0_OR_GREATER
        private async Task FetchWithHttpClientAsync(FetchState state, IReadOnlyList<IPAddress> addresses, CancellationToken cancellationToken)
        {
            var handler = new SocketsHttpHandler
            {
                AllowAutoRedirect = false, // RFC 8461 §3.3: redirects MUST NOT be followed
                UseCookies = false,
                UseProxy = false,
                Credentials = null,
                PreAuthenticate = false,
                AutomaticDecompression = DecompressionMethods.None,
                MaxConnectionsPerServer = 1,
                MaxResponseHeadersLength = 64,
                ConnectTimeout = System.Threading.Timeout.InfiniteTimeSpan, // the overall timeout token governs
                SslOptions = new SslClientAuthenticationOptions
                {
                    TargetHost = state.Host, // SNI = the policy host (RFC 8461 §7.1)
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13, // RFC 8461 §7.2
                    CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck, // optional (§3.3)
                    RemoteCertificateValidationCallback = state.Certificate.Validate,
                },
                ConnectCallback = async (context, ct) =>
                {
                    var socket = await ConnectAsync(state, addresses, ct).ConfigureAwait(false);
                    state.Stage = FetchStage.Tls;
                    return new NetworkStream(socket, ownsSocket: true);
                },
                PlaintextStreamFilter = (context, ct) =>
                {
                    if (context.PlaintextStream is SslStream ssl)
                    {
                        state.RecordTls(ssl);
                    }

                    state.Stage = FetchStage.Head;
                    return new ValueTask<Stream>(context.PlaintextStream);
                },
            };
            using var client = new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            using var request = new HttpRequestMessage(HttpMethod.Get, state.Url)
            {
                Version = HttpVersion.Version11,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
            request.Headers.ConnectionClose = true;
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            // The headers as sent (NonValidated), so the evidence matches the HTTP/1.1 client's byte for byte.
            var location = response.Headers.NonValidated.TryGetValues("Location", out var loc) ? loc.FirstOrDefault() : null;
            var contentType = response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var ct) ? ct.FirstOrDefault() : null;
            state.SetHead((int)response.StatusCode, location, contentType, response.Content.Headers.ContentLength);
            if (!state.AcceptHead())
            {
                return;
            }

            state.Stage = FetchStage.Body;
            if (state.ContentLength > MaxBodyBytes)
            {
                state.SetBody(new CappedBody(Array.Empty<byte>(), true, false, null));
                return;
            }

            using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            state.SetBody(await ReadCappedAsync(stream, cancellationToken).ConfigureAwait(false));
        }

        private static async Task<CappedBody> ReadCappedAsync(Stream stream, CancellationToken cancellationToken)
        {
            var buffer = new byte[MaxBodyBytes + 1];
            var total = 0;
            try
            {
                while (total < buffer.Length)
                {
                    var n = await stream.ReadAsync(buffer.AsMemory(total, buffer.Length - total), cancellationToken).ConfigureAwait(false);
                    if (n == 0)
                    {
                        break;
                    }

                    total += n;
                }
            }
            catch (HttpIOException ex) when (ex.HttpRequestError == HttpRequestError.InvalidResponse)
            {
                return new CappedBody(buffer.AsSpan(0, total).ToArray(), false, false, ex.Message);
            }
            catch (IOException)
            {
                // The framing said more was coming (Content-Length or chunks) and the connection ended.
                return new CappedBody(buffer.AsSpan(0, total).ToArray(), false, true, null);
            }

            return new CappedBody(buffer.AsSpan(0, total).ToArray(), total > MaxBodyBytes, false, null);
        }
#endif

        private async Task FetchWithHttp11Async(FetchState state, IReadOnlyList<IPAddress> addresses, CancellationToken cancellationToken)
        {
            using var socket = await ConnectAsync(state, addresses, cancellationToken).ConfigureAwait(false);
            state.Stage = FetchStage.Tls;
            using var network = new NetworkStream(socket, ownsSocket: false);
            using var ssl = new SslStream(network, false, state.Certificate.Validate);

            // Closing the socket is the one way to abort a pending read or handshake on every target framework.
            using var abort = cancellationToken.Register(() => socket.Dispose());
            try
            {
#if NET8_0_OR_GREATER
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = state.Host,
                    EnabledSslProtocols = Tls12Or13,
                    CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                }, cancellationToken).ConfigureAwait(false);
#else
                await ssl.AuthenticateAsClientAsync(state.Host, null, Http11Protocols(), false).ConfigureAwait(false);
#endif
                state.RecordTls(ssl);
                state.Stage = FetchStage.Head;
                var request = Encoding.ASCII.GetBytes(
                    "GET /.well-known/mta-sts.txt HTTP/1.1\r\n" +
                    $"Host: {state.Host}\r\n" +
                    $"User-Agent: {UserAgent}\r\n" +
                    "Accept: */*\r\n" +
                    "Connection: close\r\n\r\n");
                await ssl.WriteAsync(request, 0, request.Length, cancellationToken).ConfigureAwait(false);
                await ssl.FlushAsync(cancellationToken).ConfigureAwait(false);
                var reader = new Http11ResponseReader(ssl);
                var head = await reader.ReadHeadAsync(cancellationToken).ConfigureAwait(false);
                long? length = null;
                var lengthText = head.Header("Content-Length");
                if (lengthText != null && long.TryParse(lengthText.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
                {
                    length = parsed;
                }

                state.SetHead(head.StatusCode, head.Header("Location"), head.Header("Content-Type"), length);
                if (!state.AcceptHead())
                {
                    return;
                }

                state.Stage = FetchStage.Body;
                state.SetBody(await reader.ReadBodyAsync(head, MaxBodyBytes, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (cancellationToken.IsCancellationRequested && !(ex is OperationCanceledException))
            {
                throw new OperationCanceledException("The fetch was aborted.", ex, cancellationToken);
            }
        }

#if !NET8_0_OR_GREATER
        /// <summary>TLS 1.2 and 1.3 (RFC 8461 §7.2), except where the platform cannot be asked for TLS 1.3.</summary>
        private static SslProtocols Http11Protocols()
        {
            // .NET Framework passes the flags to SChannel, which refuses a TLS 1.3 request before Windows 11 / Server 2022 (build 20348).
            var framework = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);
            return framework && Environment.OSVersion.Version.Build < 20348 ? SslProtocols.Tls12 : Tls12Or13;
        }
#endif

        private async Task<Socket> ConnectAsync(FetchState state, IReadOnlyList<IPAddress> addresses, CancellationToken cancellationToken)
        {
            Exception? last = null;
            state.Stage = FetchStage.Connecting;
            foreach (var address in addresses)
            {
                state.Address = address.ToString();
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
#if NET8_0_OR_GREATER
                    await socket.ConnectAsync(new IPEndPoint(address, _port), cancellationToken).ConfigureAwait(false);
#else
                    using (cancellationToken.Register(() => socket.Dispose()))
                    {
                        await socket.ConnectAsync(new IPEndPoint(address, _port)).ConfigureAwait(false);
                    }
#endif
                    return socket;
                }
                catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException || ex is OperationCanceledException)
                {
                    socket.Dispose();
                    cancellationToken.ThrowIfCancellationRequested();
                    last = ex;
                }
            }

            throw new PolicyConnectException($"no TCP connection to port {_port} of {string.Join(", ", addresses)}: {(last as SocketException)?.SocketErrorCode.ToString() ?? last?.Message ?? "no address"}", last);
        }

        private sealed class PolicyConnectException : IOException
        {
            public PolicyConnectException(string message, Exception? inner)
                : base(message, inner)
            {
            }
        }

        private enum FetchStage
        {
            Resolving,
            Connecting,
            Tls,
            Head,
            Body,
        }

        /// <summary>Mutable state of one fetch, shared by both HTTP clients, turned into the immutable evidence at the end.</summary>
        private sealed class FetchState
        {
            public FetchState(string host, string url, string client)
            {
                Host = host;
                Url = url;
                Client = client;
                Certificate = new PolicyHostCertificateCheck(host);
            }

            public string Host { get; }

            public string Url { get; }

            public string Client { get; }

            public PolicyHostCertificateCheck Certificate { get; }

            public FetchStage Stage { get; set; } = FetchStage.Resolving;

            public IReadOnlyList<string> Addresses { get; set; } = Array.Empty<string>();

            public string? Address { get; set; }

            public MtaStsFetchOutcome Outcome { get; private set; } = MtaStsFetchOutcome.Success;

            public string? Error { get; private set; }

            public int? StatusCode { get; private set; }

            public string? Location { get; private set; }

            public string? ContentType { get; private set; }

            public long? ContentLength { get; private set; }

            public byte[]? Body { get; private set; }

            public int BodyBytesRead { get; private set; }

            public string? TlsProtocol { get; private set; }

            public string? CipherSuite { get; private set; }

            private bool Failed { get; set; }

            public string StageText => Stage switch
            {
                FetchStage.Resolving => "while resolving the policy host",
                FetchStage.Connecting => "while connecting",
                FetchStage.Tls => "during the TLS handshake",
                FetchStage.Head => "while waiting for the response headers",
                _ => $"while reading the body, after {BodyBytesRead} bytes",
            };

            public void Fail(MtaStsFetchOutcome outcome, string error)
            {
                if (Failed)
                {
                    return;
                }

                Failed = true;
                Outcome = outcome;
                Error = error;
            }

            public void FailFrom(Exception ex)
            {
                var message = Innermost(ex);
                switch (Stage)
                {
                    case FetchStage.Resolving:
                    case FetchStage.Connecting:
                        Fail(MtaStsFetchOutcome.ConnectFailed, message);
                        return;
                    case FetchStage.Tls:
                        if (ex is PolicyConnectException || ex.InnerException is PolicyConnectException)
                        {
                            Fail(MtaStsFetchOutcome.ConnectFailed, message);
                        }
                        else if (Certificate.Valid == false)
                        {
                            Fail(MtaStsFetchOutcome.CertificateInvalid, $"the certificate of {Host} is not valid: {string.Join("; ", Certificate.Errors)}");
                        }
                        else
                        {
                            Fail(MtaStsFetchOutcome.TlsFailed, $"the TLS handshake with {Host} failed: {message}");
                        }

                        return;
                    case FetchStage.Head:
                        Fail(MtaStsFetchOutcome.ProtocolError, $"no valid HTTP response from {Host}: {message}");
                        return;
                    default:
                        Fail(MtaStsFetchOutcome.Truncated, $"the connection ended after {BodyBytesRead} bytes of the body: {message}");
                        return;
                }
            }

            public void RecordTls(SslStream ssl)
            {
                TlsProtocol = ssl.SslProtocol.ToString();
                CipherSuite = DescribeCipher(ssl);
                if (ssl.SslProtocol != SslProtocols.Tls12 && ssl.SslProtocol != (SslProtocols)12288)
                {
                    // RFC 8461 §7.2: TLS 1.2 or later. Only reachable where the platform ignores the requested versions.
                    throw new AuthenticationException($"{ssl.SslProtocol} was negotiated; RFC 8461 requires TLS 1.2 or later");
                }
            }

            public void SetHead(int statusCode, string? location, string? contentType, long? contentLength)
            {
                StatusCode = statusCode;
                Location = location;
                ContentType = contentType;
                ContentLength = contentLength;
            }

            /// <summary>Applies the status and media type rules; false when the response is rejected (the body is not read).</summary>
            public bool AcceptHead()
            {
                var status = StatusCode ?? 0;
                if (status >= 300 && status < 400)
                {
                    // RFC 8461 §3.3: 3xx redirects MUST NOT be followed.
                    Fail(MtaStsFetchOutcome.Redirect, $"HTTP {status} redirect to {Location ?? "(no Location header)"}; senders do not follow redirects");
                    return false;
                }

                if (status != 200)
                {
                    // RFC 8461 §3.3: only HTTP 200 gives a valid policy.
                    Fail(MtaStsFetchOutcome.HttpStatus, $"HTTP status {status} instead of 200");
                    return false;
                }

                // RFC 8461 §3.2: the media type SHOULD be text/plain; parameters are tolerated.
                var media = (ContentType ?? string.Empty).Split(';')[0].Trim();
                if (!string.Equals(media, "text/plain", StringComparison.OrdinalIgnoreCase))
                {
                    Fail(MtaStsFetchOutcome.ContentType, ContentType is null ? "the response has no Content-Type header (text/plain is required)" : $"the media type is '{DisplayText.Shorten(ContentType)}', not text/plain");
                    return false;
                }

                return true;
            }

            public void SetBody(CappedBody body)
            {
                BodyBytesRead = body.Bytes.Length;
                if (body.TooLarge)
                {
                    Fail(MtaStsFetchOutcome.TooLarge, ContentLength > MaxBodyBytes
                        ? $"the response announces {ContentLength} bytes, more than the {MaxBodyBytes / 1024} KB limit; nothing was read"
                        : $"the response body is larger than {MaxBodyBytes / 1024} KB; reading stopped at {body.Bytes.Length} bytes");
                }
                else if (body.ProtocolError != null)
                {
                    Fail(MtaStsFetchOutcome.ProtocolError, $"the response body is malformed: {body.ProtocolError}");
                }
                else if (body.Truncated)
                {
                    Fail(MtaStsFetchOutcome.Truncated, ContentLength is long n
                        ? $"the connection closed after {body.Bytes.Length} of {n} announced body bytes"
                        : $"the connection closed after {body.Bytes.Length} body bytes, before the last chunk");
                }
                else
                {
                    Body = body.Bytes;
                }
            }

            public MtaStsPolicyFetch Build(TimeSpan duration, DateTimeOffset started)
                => new MtaStsPolicyFetch(new MtaStsPolicyFetchBuilder
                {
                    Url = Url,
                    PolicyHost = Host,
                    Outcome = Outcome,
                    Addresses = Addresses,
                    Address = Address,
                    StatusCode = StatusCode,
                    Location = Location,
                    ContentType = ContentType,
                    ContentLength = ContentLength,
                    BodyBytesRead = BodyBytesRead,
                    TlsProtocol = TlsProtocol,
                    CipherSuite = CipherSuite,
                    CertificateChain = Certificate.Chain,
                    CertificateValid = Certificate.Valid,
                    CertificateErrors = Certificate.Errors,
                    Duration = duration,
                    FetchedAt = started,
                    Client = Client,
                    Error = Error,
                });

            private static string DescribeCipher(SslStream ssl)
            {
                // NegotiatedCipherSuite exists from .NET Core 3.0 on; the netstandard2.0 build asks for it by name when the runtime has it.
                try
                {
                    var suite = typeof(SslStream).GetProperty("NegotiatedCipherSuite")?.GetValue(ssl);
                    if (suite != null)
                    {
                        return suite.ToString()!;
                    }
#pragma warning disable CS0618, SYSLIB0058 // the only cipher information .NET Framework offers
                    return $"{ssl.CipherAlgorithm} {ssl.CipherStrength}-bit, {ssl.HashAlgorithm}, {ssl.KeyExchangeAlgorithm}";
#pragma warning restore CS0618, SYSLIB0058
                }
                catch (Exception ex) when (ex is InvalidOperationException || ex is NotSupportedException || ex is System.Reflection.TargetInvocationException)
                {
                    return "unknown";
                }
            }

            private static string Innermost(Exception ex)
            {
                var messages = new List<string>();
                for (var e = ex; e != null; e = e.InnerException)
                {
                    if (!string.IsNullOrWhiteSpace(e.Message) && !messages.Contains(e.Message))
                    {
                        messages.Add(e.Message.TrimEnd('.'));
                    }
                }

                return messages.Count == 0 ? ex.GetType().Name : string.Join(": ", messages.Skip(Math.Max(0, messages.Count - 2)));
            }
        }
    }
}
