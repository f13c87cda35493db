using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace MailSecurity.TestPeers.Smtp
{
    /// <summary>
    /// A well-behaved SMTP server with knobs Postfix lacks: extensions it cannot advertise (REQUIRETLS), a delay before
    /// the banner, and connection counters (current, maximum, total) per counter name, readable on the status peer.
    /// Options: name=, chain=&lt;pem: leaf + intermediates&gt;, key=&lt;pem&gt; (STARTTLS when given), extensions=A,B,SIZE_1000
    /// (after TLS; "_" stands for a space), pre=A,B (before TLS), delay=&lt;ms before the banner&gt;, counter=&lt;name&gt;,
    /// implicit=yes (TLS from the first byte, RFC 8314), greeting=&lt;reply instead of "220 name ESMTP ..."&gt; ("_" = space),
    /// ehlo=reject (answer EHLO with 502, as pre-ESMTP servers do; HELO still works), quit=silent (never answer QUIT inside
    /// TLS; <see cref="QuitReceived"/> says when it arrived).
    /// </summary>
    public static class ScriptedSmtpServer
    {
        private static readonly ConcurrentDictionary<string, Counter> Counters = new ConcurrentDictionary<string, Counter>(StringComparer.Ordinal);
        private static readonly ConcurrentDictionary<string, TaskCompletionSource<bool>> Quits = new ConcurrentDictionary<string, TaskCompletionSource<bool>>(StringComparer.Ordinal);

        /// <summary>Completes when a server named <paramref name="name"/> with quit=silent has received QUIT inside TLS.</summary>
        public static Task QuitReceived(string name) => QuitSignal(name).Task;

        [Peer("smtp-server")]
        public static Task Run(string ip, int port, string[] options, CancellationToken cancellationToken)
        {
            var name = SmtpPeerHost.Option(options, "name", "server.peer.test");
            var chainPath = SmtpPeerHost.Option(options, "chain", string.Empty);
            var keyPath = SmtpPeerHost.Option(options, "key", string.Empty);
            var delay = SmtpPeerHost.IntOption(options, "delay", 0);
            var counterName = SmtpPeerHost.Option(options, "counter", string.Empty);
            var after = Split(SmtpPeerHost.Option(options, "extensions", string.Empty));
            var before = Split(SmtpPeerHost.Option(options, "pre", string.Empty));
            var implicitTls = SmtpPeerHost.Option(options, "implicit", "no") == "yes";
            var greeting = SmtpPeerHost.Option(options, "greeting", string.Empty).Replace('_', ' ');
            var rejectEhlo = SmtpPeerHost.Option(options, "ehlo", string.Empty) == "reject";
            var silentQuit = SmtpPeerHost.Option(options, "quit", string.Empty) == "silent";
            SslStreamCertificateContext? context = null;
            if (chainPath.Length > 0)
            {
                var all = new X509Certificate2Collection();
                all.ImportFromPemFile(chainPath);
                var leaf = X509Certificate2.CreateFromPemFile(chainPath, keyPath);
                context = SslStreamCertificateContext.Create(leaf, new X509Certificate2Collection(all.Skip(1).ToArray()), offline: true);
            }

            var counter = counterName.Length > 0 ? Counters.GetOrAdd(counterName, _ => new Counter()) : null;
            return SmtpPeerHost.ServeAsync(ip, port, async (socket, ct) =>
            {
                counter?.Enter();
                try
                {
                    await ServeAsync(socket, name, context, before, after, delay, implicitTls, greeting, rejectEhlo, silentQuit, ct).ConfigureAwait(false);
                }
                finally
                {
                    counter?.Leave();
                }
            }, cancellationToken);
        }

        /// <summary>
        /// The counters, on a plain TCP port: send "GET" for {"name":{"current":..,"max":..,"total":..}}, "RESET" to read
        /// and zero them.
        /// </summary>
        [Peer("smtp-status")]
        public static Task Status(string ip, int port, string[] options, CancellationToken cancellationToken)
            => SmtpPeerHost.ServeAsync(ip, port, async (socket, ct) =>
            {
                using var stream = new NetworkStream(socket);
                var command = (await SmtpPeerHost.ReadLineAsync(stream, ct).ConfigureAwait(false) ?? "GET").Trim().ToUpperInvariant();
                var snapshot = Counters.ToDictionary(kv => kv.Key, kv => kv.Value.Snapshot(command == "RESET"));
                await SmtpPeerHost.WriteAsync(stream, JsonSerializer.Serialize(snapshot) + "\n", ct).ConfigureAwait(false);
            }, cancellationToken);

        private static TaskCompletionSource<bool> QuitSignal(string name)
            => Quits.GetOrAdd(name, _ => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));

        private static async Task ServeAsync(Socket socket, string name, SslStreamCertificateContext? context, string[] before, string[] after, int delay, bool implicitTls, string greeting, bool rejectEhlo, bool silentQuit, CancellationToken ct)
        {
            if (delay > 0)
            {
                await Task.Delay(delay, ct).ConfigureAwait(false);
            }

            System.IO.Stream stream = new NetworkStream(socket);
            if (implicitTls && context != null)
            {
                var tls = await StartTlsAsync(stream, context, ct).ConfigureAwait(false);
                await SmtpPeerHost.WriteAsync(tls, $"220 {name} ESMTP MailSecurity test peer (implicit TLS)\r\n", ct).ConfigureAwait(false);
                await SmtpPeerHost.ConverseAsync(tls, new[] { name }.Concat(after).Append("8BITMIME").ToArray(), null, ct).ConfigureAwait(false);
                await tls.DisposeAsync().ConfigureAwait(false);
                return;
            }

            await SmtpPeerHost.WriteAsync(stream, (greeting.Length > 0 ? greeting : $"220 {name} ESMTP MailSecurity test peer") + "\r\n", ct).ConfigureAwait(false);
            if (greeting.Length > 0 && !greeting.StartsWith("220", StringComparison.Ordinal))
            {
                await SmtpPeerHost.ConverseAsync(stream, new[] { name }, null, ct).ConfigureAwait(false);
                return;
            }

            var ehlo = new List<string> { name, "PIPELINING" };
            ehlo.AddRange(before);
            if (context != null)
            {
                ehlo.Add("STARTTLS");
            }

            ehlo.Add("8BITMIME");
            var verb = await SmtpPeerHost.ConverseAsync(stream, ehlo.ToArray(), async v =>
            {
                if (v == "EHLO" && rejectEhlo)
                {
                    await SmtpPeerHost.WriteAsync(stream, "502 5.5.2 Error: command not recognized\r\n", ct).ConfigureAwait(false);
                    return PeerAction.Handled;
                }

                return v == "STARTTLS" && context != null ? PeerAction.Stop : PeerAction.NotHandled;
            }, ct).ConfigureAwait(false);
            if (verb != "STARTTLS" || context is null)
            {
                return;
            }

            await SmtpPeerHost.WriteAsync(stream, "220 2.0.0 Ready to start TLS\r\n", ct).ConfigureAwait(false);
            var ssl = await StartTlsAsync(stream, context, ct).ConfigureAwait(false);
            // The first EHLO line names the SNI the client sent, so tests can see it (RFC 6066 §3; DANE sends the TLSA base domain).
            var inside = new List<string> { $"{name} SNI={(string.IsNullOrEmpty(ssl.TargetHostName) ? "(none)" : ssl.TargetHostName)}", "PIPELINING" };
            inside.AddRange(after);
            inside.Add("8BITMIME");
            var last = await SmtpPeerHost.ConverseAsync(ssl, inside.ToArray(), silentQuit ? v => Task.FromResult(v == "QUIT" ? PeerAction.Stop : PeerAction.NotHandled) : null, ct).ConfigureAwait(false);
            if (last == "QUIT" && silentQuit)
            {
                // No reply: wait for the client to close the connection.
                QuitSignal(name).TrySetResult(true);
                while (await SmtpPeerHost.ReadLineAsync(ssl, ct).ConfigureAwait(false) != null)
                {
                }
            }

            await ssl.DisposeAsync().ConfigureAwait(false);
        }

        private static async Task<SslStream> StartTlsAsync(System.IO.Stream stream, SslStreamCertificateContext context, CancellationToken ct)
        {
            var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = context,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ClientCertificateRequired = false,
            }, ct).ConfigureAwait(false);
            return ssl;
        }

        private static string[] Split(string list)
            => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(e => e.Replace('_', ' ')).ToArray();

        private sealed class Counter
        {
            private readonly object _gate = new object();
            private int _current;
            private int _max;
            private int _total;

            public void Enter()
            {
                lock (_gate)
                {
                    _current++;
                    _total++;
                    _max = Math.Max(_max, _current);
                }
            }

            public void Leave()
            {
                lock (_gate)
                {
                    _current--;
                }
            }

            public Dictionary<string, int> Snapshot(bool reset)
            {
                lock (_gate)
                {
                    var s = new Dictionary<string, int> { ["current"] = _current, ["max"] = _max, ["total"] = _total };
                    if (reset)
                    {
                        _max = _current;
                        _total = 0;
                    }

                    return s;
                }
            }
        }
    }
}
