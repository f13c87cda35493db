using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MailSecurity.TestPeers.Https
{
    /// <summary>
    /// HTTPS policy hosts that misbehave on purpose, for what nginx will not do: drip bytes, send 10 MB, send a body that is
    /// not UTF-8, close in the middle of the body. Options: <c>cert=&lt;chain.pem&gt; key=&lt;key.pem&gt;</c> (leaf first, then
    /// intermediates) and per peer <c>interval=&lt;ms&gt;</c> / <c>bytes=&lt;n&gt;</c>.
    /// </summary>
    public static class HostileHttpsPeers
    {
        private const string Policy = "version: STSv1\nmode: enforce\nmx: mx1.example.test\nmax_age: 604800\n";

        /// <summary>Sends the whole response one byte at a time, <c>interval</c> ms apart (default 1000).</summary>
        [Peer("https-slow")]
        public static Task RunSlow(string ip, int port, string[] options, CancellationToken cancellationToken)
            => ServeAsync(ip, port, options, async (stream, opts, ct) =>
            {
                var interval = int.Parse(Option(opts, "interval", "1000"), System.Globalization.CultureInfo.InvariantCulture);
                var response = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {Policy.Length}\r\n\r\n{Policy}");
                foreach (var b in response)
                {
                    await stream.WriteAsync(new[] { b }, ct).ConfigureAwait(false);
                    await stream.FlushAsync(ct).ConfigureAwait(false);
                    await Task.Delay(interval, ct).ConfigureAwait(false);
                }
            }, cancellationToken);

        /// <summary>Sends a valid policy followed by 10 MB (or <c>bytes</c>) of padding, chunked, without Content-Length.</summary>
        [Peer("https-huge")]
        public static Task RunHuge(string ip, int port, string[] options, CancellationToken cancellationToken)
            => ServeAsync(ip, port, options, async (stream, opts, ct) =>
            {
                var total = long.Parse(Option(opts, "bytes", (10 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture)), System.Globalization.CultureInfo.InvariantCulture);
                await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"), ct).ConfigureAwait(false);
                await WriteChunkAsync(stream, Encoding.ASCII.GetBytes(Policy), ct).ConfigureAwait(false);
                var pad = Enumerable.Repeat((byte)'a', 16384).ToArray();
                for (long sent = Policy.Length; sent < total; sent += pad.Length)
                {
                    await WriteChunkAsync(stream, pad, ct).ConfigureAwait(false);
                }

                await stream.WriteAsync(Encoding.ASCII.GetBytes("0\r\n\r\n"), ct).ConfigureAwait(false);
            }, cancellationToken);

        /// <summary>Sends a policy whose extension value is Latin-1 (0xE9), which is not valid UTF-8.</summary>
        [Peer("https-nonutf8")]
        public static Task RunNonUtf8(string ip, int port, string[] options, CancellationToken cancellationToken)
            => ServeAsync(ip, port, options, async (stream, opts, ct) =>
            {
                var body = Encoding.Latin1.GetBytes(Policy + "note: caf\u00e9 cr\u00e8me\n");
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\n\r\n"), ct).ConfigureAwait(false);
                await stream.WriteAsync(body, ct).ConfigureAwait(false);
            }, cancellationToken);

        /// <summary>Announces 400 body bytes, sends the first 30 and closes the connection.</summary>
        [Peer("https-cut")]
        public static Task RunCut(string ip, int port, string[] options, CancellationToken cancellationToken)
            => ServeAsync(ip, port, options, async (stream, opts, ct) =>
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 400\r\n\r\n"), ct).ConfigureAwait(false);
                await stream.WriteAsync(Encoding.ASCII.GetBytes(Policy.Substring(0, 30)), ct).ConfigureAwait(false);
                await stream.FlushAsync(ct).ConfigureAwait(false);
            }, cancellationToken);

        private static async Task WriteChunkAsync(Stream stream, byte[] data, CancellationToken ct)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(data.Length.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "\r\n"), ct).ConfigureAwait(false);
            await stream.WriteAsync(data, ct).ConfigureAwait(false);
            await stream.WriteAsync(Encoding.ASCII.GetBytes("\r\n"), ct).ConfigureAwait(false);
        }

        private static string Option(IReadOnlyDictionary<string, string> options, string name, string fallback)
            => options.TryGetValue(name, out var v) ? v : fallback;

        private static async Task ServeAsync(string ip, int port, string[] options, Func<SslStream, IReadOnlyDictionary<string, string>, CancellationToken, Task> respond, CancellationToken cancellationToken)
        {
            var opts = options.Select(o => o.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
            var context = LoadCertificate(Option(opts, "cert", string.Empty), Option(opts, "key", string.Empty));
            var listener = new TcpListener(IPAddress.Parse(ip), port);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            using var stop = cancellationToken.Register(() => listener.Stop());
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    var client = await listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
                    _ = Task.Run(() => HandleAsync(client, context, opts, respond, cancellationToken), cancellationToken);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException || ex is ObjectDisposedException || ex is SocketException)
            {
            }
        }

        private static async Task HandleAsync(TcpClient client, SslStreamCertificateContext context, IReadOnlyDictionary<string, string> opts,
            Func<SslStream, IReadOnlyDictionary<string, string>, CancellationToken, Task> respond, CancellationToken cancellationToken)
        {
            using (client)
            using (var ssl = new SslStream(client.GetStream(), false))
            {
                try
                {
                    using var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    handshake.CancelAfter(TimeSpan.FromSeconds(10));
                    await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                    {
                        ServerCertificateContext = context,
                        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    }, handshake.Token).ConfigureAwait(false);
                    await ReadRequestAsync(ssl, handshake.Token).ConfigureAwait(false);
                    using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    session.CancelAfter(TimeSpan.FromMinutes(2));
                    await respond(ssl, opts, session.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException || ex is AuthenticationException || ex is OperationCanceledException || ex is ObjectDisposedException || ex is SocketException)
                {
                    // The client went away (it should, for several of these peers).
                }
            }
        }

        private static async Task ReadRequestAsync(Stream stream, CancellationToken ct)
        {
            var seen = new List<byte>();
            var buffer = new byte[1];
            while (seen.Count < 16384)
            {
                if (await stream.ReadAsync(buffer, ct).ConfigureAwait(false) == 0)
                {
                    throw new IOException("the client closed before the end of the request");
                }

                seen.Add(buffer[0]);
                var n = seen.Count;
                if (n >= 4 && seen[n - 4] == '\r' && seen[n - 3] == '\n' && seen[n - 2] == '\r' && seen[n - 1] == '\n')
                {
                    return;
                }
            }
        }

        private static SslStreamCertificateContext LoadCertificate(string chainPath, string keyPath)
        {
            if (chainPath.Length == 0 || keyPath.Length == 0)
            {
                throw new ArgumentException("https peers need cert=<chain.pem> key=<key.pem>");
            }

            var leaf = X509Certificate2.CreateFromPemFile(chainPath, keyPath);
            var all = new X509Certificate2Collection();
            all.ImportFromPemFile(chainPath);
            var intermediates = new X509Certificate2Collection();
            foreach (var c in all)
            {
                if (c.Thumbprint != leaf.Thumbprint)
                {
                    intermediates.Add(c);
                }
            }

            return SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
        }
    }
}
