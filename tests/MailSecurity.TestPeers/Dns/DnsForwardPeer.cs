using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailSecurity.TestPeers.Delay;

namespace MailSecurity.TestPeers.Dns
{
    /// <summary>
    /// The <c>dns-forward</c> peer: a resolver front that passes every query through to a real resolver unchanged (UDP and
    /// TCP, byte for byte) except the record types it is told to drop or delay: what a middlebox or corporate forwarder
    /// that mishandles DS or DNSKEY questions does (issue 19).
    /// </summary>
    /// <remarks>
    /// <c>dns-forward &lt;ip&gt; &lt;port&gt; to=&lt;ip:port&gt; [drop=DS[,DNSKEY..]] [delay=DS:30000[,TYPE:ms..]] [log=file]</c>.
    /// A dropped query is read and never answered (the client waits out its timeout); a delayed one is forwarded after the
    /// given milliseconds, so its answer arrives after at least that long. <c>log=</c> writes one line per query:
    /// "<c>qname qtype</c>" followed by <c>dropped</c> or <c>delayed</c> when that applied.
    /// </remarks>
    public static class DnsForwardPeer
    {
        private static readonly TimeSpan UpstreamTimeout = TimeSpan.FromSeconds(10);

        /// <summary>Runs the peer until stopped.</summary>
        [Peer("dns-forward")]
        public static async Task Run(string ip, int port, string[] options, CancellationToken ct)
        {
            var settings = ForwardSettings.Parse(options);
            var log = settings.LogPath is null ? null : ProxyLog.Open(settings.LogPath);
            var endpoint = new IPEndPoint(IPAddress.Parse(ip), port);
            using var udp = new UdpClient(endpoint);
            var tcp = new TcpListener(endpoint);
            tcp.Start();
            try
            {
                await Task.WhenAll(UdpLoopAsync(udp, settings, log, ct), TcpLoopAsync(tcp, settings, log, ct)).ConfigureAwait(false);
            }
            finally
            {
                tcp.Stop();
            }
        }

        private static async Task UdpLoopAsync(UdpClient udp, ForwardSettings settings, ProxyLog? log, CancellationToken ct)
        {
            while (!ct.IsCancellationRequested)
            {
                UdpReceiveResult received;
                try
                {
                    received = await udp.ReceiveAsync(ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (SocketException)
                {
                    continue;
                }

                _ = ForwardUdpAsync(udp, received.Buffer, received.RemoteEndPoint, settings, log, ct);
            }
        }

        private static async Task ForwardUdpAsync(UdpClient front, byte[] query, IPEndPoint client, ForwardSettings settings, ProxyLog? log, CancellationToken ct)
        {
            try
            {
                if (!await PassAsync(query, settings, log, ct).ConfigureAwait(false))
                {
                    return;
                }

                using var upstream = new UdpClient(settings.Upstream.AddressFamily);
                upstream.Connect(settings.Upstream);
                await upstream.SendAsync(query, ct).ConfigureAwait(false);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(UpstreamTimeout);
                var answer = await upstream.ReceiveAsync(wait.Token).ConfigureAwait(false);
                await front.SendAsync(answer.Buffer, answer.Buffer.Length, client).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // No answer upstream, or stopped: the client times out, as behind a real forwarder.
            }
        }

        private static async Task TcpLoopAsync(TcpListener listener, ForwardSettings settings, ProxyLog? log, CancellationToken ct)
        {
            while (!ct.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (SocketException)
                {
                    continue;
                }

                _ = ServeTcpAsync(client, settings, log, ct);
            }
        }

        private static async Task ServeTcpAsync(TcpClient client, ForwardSettings settings, ProxyLog? log, CancellationToken ct)
        {
            using (client)
            {
                try
                {
                    var stream = client.GetStream();
                    var length = new byte[2];
                    while (!ct.IsCancellationRequested)
                    {
                        await stream.ReadExactlyAsync(length, ct).ConfigureAwait(false);
                        var query = new byte[(length[0] << 8) | length[1]];
                        await stream.ReadExactlyAsync(query, ct).ConfigureAwait(false);
                        if (!await PassAsync(query, settings, log, ct).ConfigureAwait(false))
                        {
                            continue;
                        }

                        using var upstream = new TcpClient(settings.Upstream.AddressFamily);
                        await upstream.ConnectAsync(settings.Upstream, ct).ConfigureAwait(false);
                        var up = upstream.GetStream();
                        await up.WriteAsync(length, ct).ConfigureAwait(false);
                        await up.WriteAsync(query, ct).ConfigureAwait(false);
                        var answerLength = new byte[2];
                        await up.ReadExactlyAsync(answerLength, ct).ConfigureAwait(false);
                        var answer = new byte[(answerLength[0] << 8) | answerLength[1]];
                        await up.ReadExactlyAsync(answer, ct).ConfigureAwait(false);
                        await stream.WriteAsync(answerLength, ct).ConfigureAwait(false);
                        await stream.WriteAsync(answer, ct).ConfigureAwait(false);
                    }
                }
                catch (Exception)
                {
                    // The client closed the connection, the upstream failed, or we were stopped.
                }
            }
        }

        /// <summary>Logs the query; false when it is to be dropped, after waiting when it is to be delayed.</summary>
        private static async Task<bool> PassAsync(byte[] query, ForwardSettings settings, ProxyLog? log, CancellationToken ct)
        {
            var parsed = DnsWire.ParseQuery(query, query.Length);
            var type = parsed?.Type ?? 0;
            var text = DnsQuestionText.Describe(query);
            if (settings.Drop.Contains(type))
            {
                log?.Write(text + " dropped");
                return false;
            }

            if (settings.Delay.TryGetValue(type, out var delay))
            {
                log?.Write(text + " delayed");
                await Task.Delay(delay, ct).ConfigureAwait(false);
                return true;
            }

            log?.Write(text);
            return true;
        }

        private sealed class ForwardSettings
        {
            private static readonly Dictionary<string, ushort> Types = new(StringComparer.OrdinalIgnoreCase)
            {
                ["A"] = 1, ["NS"] = 2, ["CNAME"] = 5, ["SOA"] = 6, ["MX"] = 15, ["TXT"] = 16, ["AAAA"] = 28,
                ["DS"] = 43, ["RRSIG"] = 46, ["NSEC"] = 47, ["DNSKEY"] = 48, ["NSEC3"] = 50, ["TLSA"] = 52,
            };

            public IPEndPoint Upstream { get; private set; } = new(IPAddress.Loopback, 53);

            public HashSet<ushort> Drop { get; } = new();

            public Dictionary<ushort, TimeSpan> Delay { get; } = new();

            public string? LogPath { get; private set; }

            public static ForwardSettings Parse(string[] options)
            {
                var settings = new ForwardSettings();
                var hasUpstream = false;
                foreach (var option in options)
                {
                    var eq = option.IndexOf('=');
                    var key = eq < 0 ? option : option[..eq];
                    var value = eq < 0 ? string.Empty : option[(eq + 1)..];
                    switch (key.ToLowerInvariant())
                    {
                        case "to":
                            settings.Upstream = IPEndPoint.Parse(value);
                            hasUpstream = true;
                            break;
                        case "drop":
                            foreach (var t in value.Split(',', StringSplitOptions.RemoveEmptyEntries))
                            {
                                settings.Drop.Add(Type(t));
                            }

                            break;
                        case "delay":
                            foreach (var item in value.Split(',', StringSplitOptions.RemoveEmptyEntries))
                            {
                                var colon = item.IndexOf(':');
                                if (colon < 0)
                                {
                                    throw new ArgumentException($"dns-forward: delay needs TYPE:milliseconds, not '{item}'");
                                }

                                settings.Delay[Type(item[..colon])] = TimeSpan.FromMilliseconds(double.Parse(item[(colon + 1)..], CultureInfo.InvariantCulture));
                            }

                            break;
                        case "log":
                            settings.LogPath = value;
                            break;
                        default:
                            throw new ArgumentException($"dns-forward: unknown option '{option}'");
                    }
                }

                if (!hasUpstream)
                {
                    throw new ArgumentException("dns-forward: to=<ip>:<port> is required");
                }

                return settings;
            }

            private static ushort Type(string name)
                => Types.TryGetValue(name, out var t) ? t : ushort.Parse(name, CultureInfo.InvariantCulture);
        }
    }
}
