using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace MailSecurity.TestPeers.Dns
{
    /// <summary>
    /// Hostile or odd behaviour switched on per query name (lower case, no trailing dot) or for every name with "*".
    /// </summary>
    public sealed class DnsServerBehavior
    {
        /// <summary>Answer SERVFAIL.</summary>
        public HashSet<string> ServFail { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Answer REFUSED.</summary>
        public HashSet<string> Refused { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Set TC on every UDP answer (empty answer), forcing the client to retry over TCP.</summary>
        public HashSet<string> Truncate { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Send a packet that claims records it does not contain.</summary>
        public HashSet<string> Malformed { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Answer with a different message ID.</summary>
        public HashSet<string> WrongId { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Pad the answer with ~60 KB of extra TXT records (truncated over UDP, complete over TCP).</summary>
        public HashSet<string> Oversize { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Never answer (in addition to the zone's TIMEOUT markers).</summary>
        public HashSet<string> Timeout { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Read every query and never answer anything.</summary>
        public bool Blackhole { get; set; }

        internal static bool Matches(HashSet<string> set, string name) => set.Contains("*") || set.Contains(name);

        /// <summary>Applies <c>key=name1,name2</c> options (servfail, refused, truncate, malformed, wrong-id, oversize, timeout, blackhole).</summary>
        public bool TryApply(string option)
        {
            var eq = option.IndexOf('=');
            var key = (eq < 0 ? option : option[..eq]).ToLowerInvariant();
            var names = eq < 0 ? new[] { "*" } : option[(eq + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(DnsZone.Key).ToArray();
            HashSet<string>? set = key switch
            {
                "servfail" => ServFail,
                "refused" => Refused,
                "truncate" => Truncate,
                "malformed" => Malformed,
                "wrong-id" => WrongId,
                "oversize" => Oversize,
                "timeout" => Timeout,
                _ => null,
            };
            if (key == "blackhole")
            {
                Blackhole = true;
                return true;
            }

            if (set is null)
            {
                return false;
            }

            foreach (var n in names)
            {
                set.Add(n);
            }

            return true;
        }
    }

    /// <summary>
    /// An authoritative-looking DNS server over UDP and TCP on one loopback address and port, serving a
    /// <see cref="DnsZone"/>: NXDOMAIN vs NODATA (empty non-terminals are NODATA), CNAME chains, TIMEOUT names that
    /// never answer, EDNS payload sizes with TC and TCP fallback, and the hostile switches of <see cref="DnsServerBehavior"/>.
    /// Test code only: it binds to 127.0.0.0/8 addresses the caller gives it.
    /// <para>Why a real socket and not the scripted fake of the DNS seam (tests' ScriptedZone): the SPF suites
    /// (RFC 7208 test suite, SpfTestDns) and the lab's DNS peers need what only the wire gives: DnsResolver's own parsing of
    /// the response (TXT character-strings, CNAME chains, RCODEs), its timeouts against names that never answer, TC and
    /// the TCP fallback, the per-run cache that SPF's lookup limits are counted through, and hostile packets.</para>
    /// </summary>
    public sealed class InMemoryDnsServer : IAsyncDisposable
    {
        private const int MaxCnameLinks = 8;
        private readonly UdpClient _udp;
        private readonly TcpListener _tcp;
        private readonly CancellationTokenSource _stop;
        private readonly Task _udpLoop;
        private readonly Task _tcpLoop;
        private readonly ConcurrentQueue<(string Name, ushort Type, string Transport)> _log = new();
        private long _queries;

        private InMemoryDnsServer(DnsZone zone, DnsServerBehavior behavior, UdpClient udp, TcpListener tcp, CancellationToken cancellationToken)
        {
            Zone = zone;
            Behavior = behavior;
            _udp = udp;
            _tcp = tcp;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            EndPoint = (IPEndPoint)udp.Client.LocalEndPoint!;
            _udpLoop = Task.Run(() => UdpLoopAsync(_stop.Token));
            _tcpLoop = Task.Run(() => TcpLoopAsync(_stop.Token));
        }

        public DnsZone Zone { get; }

        public DnsServerBehavior Behavior { get; }

        public IPEndPoint EndPoint { get; }

        /// <summary>Queries received (UDP and TCP).</summary>
        public long QueryCount => Interlocked.Read(ref _queries);

        /// <summary>Every query received, in arrival order.</summary>
        public IReadOnlyList<(string Name, ushort Type, string Transport)> QueryLog => _log.ToArray();

        /// <summary>Starts a server; port 0 picks a free port (the same one for UDP and TCP).</summary>
        public static InMemoryDnsServer Start(DnsZone zone, string address = "127.0.0.1", int port = 0, DnsServerBehavior? behavior = null, CancellationToken cancellationToken = default)
        {
            var ip = IPAddress.Parse(address);
            for (var attempt = 0; ; attempt++)
            {
                var udp = new UdpClient(new IPEndPoint(ip, port));
                var bound = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
                var tcp = new TcpListener(ip, bound);
                try
                {
                    tcp.Start();
                    return new InMemoryDnsServer(zone, behavior ?? new DnsServerBehavior(), udp, tcp, cancellationToken);
                }
                catch (SocketException) when (port == 0 && attempt < 20)
                {
                    udp.Dispose();
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _udp.Dispose();
            _tcp.Stop();
            try
            {
                await Task.WhenAll(_udpLoop, _tcpLoop).ConfigureAwait(false);
            }
            catch (Exception)
            {
            }

            _stop.Dispose();
        }

        /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled.</summary>
        public async Task RunUntilCancelledAsync(CancellationToken cancellationToken)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        private async Task UdpLoopAsync(CancellationToken ct)
        {
            while (!ct.IsCancellationRequested)
            {
                UdpReceiveResult received;
                try
                {
                    received = await _udp.ReceiveAsync(ct).ConfigureAwait(false);
                }
                catch (Exception) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (SocketException)
                {
                    continue;
                }

                var response = Answer(received.Buffer, received.Buffer.Length, udp: true);
                if (response != null)
                {
                    try
                    {
                        await _udp.SendAsync(response, response.Length, received.RemoteEndPoint).ConfigureAwait(false);
                    }
                    catch (Exception) when (!ct.IsCancellationRequested)
                    {
                    }
                }
            }
        }

        private async Task TcpLoopAsync(CancellationToken ct)
        {
            while (!ct.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _tcp.AcceptTcpClientAsync(ct).ConfigureAwait(false);
                }
                catch (Exception) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (SocketException)
                {
                    continue;
                }

                _ = Task.Run(() => ServeTcpAsync(client, ct), ct);
            }
        }

        private async Task ServeTcpAsync(TcpClient client, CancellationToken ct)
        {
            using (client)
            {
                try
                {
                    var stream = client.GetStream();
                    var lengthBytes = new byte[2];
                    while (!ct.IsCancellationRequested)
                    {
                        await stream.ReadExactlyAsync(lengthBytes, ct).ConfigureAwait(false);
                        var length = (lengthBytes[0] << 8) | lengthBytes[1];
                        var message = new byte[length];
                        await stream.ReadExactlyAsync(message, ct).ConfigureAwait(false);
                        var response = Answer(message, length, udp: false);
                        if (response == null)
                        {
                            continue;
                        }

                        var framed = new byte[response.Length + 2];
                        framed[0] = (byte)(response.Length >> 8);
                        framed[1] = (byte)response.Length;
                        Array.Copy(response, 0, framed, 2, response.Length);
                        await stream.WriteAsync(framed, ct).ConfigureAwait(false);
                    }
                }
                catch (Exception)
                {
                    // Client closed the connection, or we were stopped.
                }
            }
        }

        /// <summary>Computes the response bytes for one query, or null for "never answer".</summary>
        internal byte[]? Answer(byte[] packet, int length, bool udp)
        {
            var query = DnsWire.ParseQuery(packet, length);
            if (query is null)
            {
                return null;
            }

            Interlocked.Increment(ref _queries);
            _log.Enqueue((query.Name, query.Type, udp ? "udp" : "tcp"));
            if (Behavior.Blackhole)
            {
                return null;
            }

            var key = DnsZone.Key(query.Name);
            var empty = Array.Empty<(string, ZoneRecord)>();
            if (DnsServerBehavior.Matches(Behavior.Timeout, key))
            {
                return null;
            }

            if (DnsServerBehavior.Matches(Behavior.ServFail, key))
            {
                return DnsWire.BuildResponse(query, DnsWire.RcodeServFail, empty, empty, false);
            }

            if (DnsServerBehavior.Matches(Behavior.Refused, key))
            {
                return DnsWire.BuildResponse(query, DnsWire.RcodeRefused, empty, empty, false);
            }

            if (DnsServerBehavior.Matches(Behavior.Malformed, key))
            {
                var ok = DnsWire.BuildResponse(query, DnsWire.RcodeNoError, empty, empty, false);
                // Claim three answers and append a few bytes that are not a record.
                ok[7] = 3;
                var broken = new byte[ok.Length + 5];
                Array.Copy(ok, broken, ok.Length);
                broken[ok.Length] = 0xC0;
                broken[ok.Length + 1] = 0xFF;
                broken[ok.Length + 2] = 0x00;
                return broken;
            }

            if (udp && DnsServerBehavior.Matches(Behavior.Truncate, key))
            {
                return DnsWire.BuildResponse(query, DnsWire.RcodeNoError, empty, empty, truncated: true);
            }

            var (rcode, answers, timesOut) = Resolve(query.Name, (ZoneRecordType)query.Type);
            if (timesOut)
            {
                return null;
            }

            if (DnsServerBehavior.Matches(Behavior.Oversize, key))
            {
                var padded = answers.ToList();
                var filler = new string('x', 250);
                for (var i = 0; i < 230; i++)
                {
                    padded.Add((query.Name, new ZoneRecord(ZoneRecordType.TXT, strings: new[] { filler })));
                }

                answers = padded;
            }

            var authority = rcode == DnsWire.RcodeNxDomain || answers.Count == 0 ? Soa() : empty;
            var id = DnsServerBehavior.Matches(Behavior.WrongId, key) ? (query.Id + 1) & 0xFFFF : (int?)null;
            var response = DnsWire.BuildResponse(query, rcode, answers, authority, false, id);
            var limit = udp ? (query.EdnsPayloadSize ?? 512) : 65535;
            if (response.Length > limit)
            {
                // RFC 1035 §4.2.1 / RFC 6891 §7: too big for the client's buffer: TC and let it retry over TCP.
                response = DnsWire.BuildResponse(query, rcode, answers, authority, truncated: true, id);
            }

            return response;
        }

        private IReadOnlyList<(string, ZoneRecord)> Soa()
            => new[] { ("invalid", new ZoneRecord(ZoneRecordType.SOA, "ns.invalid hostmaster.invalid 1 3600 600 86400 300")) };

        private (int Rcode, IReadOnlyList<(string Owner, ZoneRecord Record)> Answers, bool TimesOut) Resolve(string name, ZoneRecordType type)
        {
            var answers = new List<(string, ZoneRecord)>();
            var current = name;
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var links = 0; links <= MaxCnameLinks; links++)
            {
                if (!Zone.TryGet(current, out var entry))
                {
                    var rcode = Zone.IsEmptyNonTerminal(current) ? DnsWire.RcodeNoError : DnsWire.RcodeNxDomain;
                    return (rcode, answers, false);
                }

                if (entry.TimesOut(type))
                {
                    return (0, answers, true);
                }

                var cname = entry.Records.FirstOrDefault(r => r.Type == ZoneRecordType.CNAME);
                if (cname != null && type != ZoneRecordType.CNAME)
                {
                    answers.Add((current, cname));
                    if (!seen.Add(DnsZone.Key(current)))
                    {
                        return (DnsWire.RcodeNoError, answers, false);
                    }

                    current = DnsZone.Key(cname.Text);
                    continue;
                }

                foreach (var r in entry.Records.Where(r => r.Type == type && !r.TimesOut))
                {
                    answers.Add((current, r));
                }

                return (DnsWire.RcodeNoError, answers, false);
            }

            return (DnsWire.RcodeNoError, answers, false);
        }
    }
}
