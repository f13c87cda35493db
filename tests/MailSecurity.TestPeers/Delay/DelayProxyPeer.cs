using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace MailSecurity.TestPeers.Delay
{
    /// <summary>
    /// The <c>delay-udp</c> and <c>delay-tcp</c> peers: user-space network delay for the benchmarks, because
    /// <c>tc qdisc ... netem</c> is not available on every machine (no sch_netem module). A proxy listens on a
    /// front address, forwards to a back address and holds every datagram / every chunk for RTT/2 in each direction.
    /// </summary>
    /// <remarks>
    /// Options (after <c>&lt;ip&gt; &lt;port&gt;</c>): <c>to=&lt;ip&gt;:&lt;port&gt;</c> (required), <c>rtt=&lt;ms&gt;</c> (default 40),
    /// <c>log=&lt;file&gt;</c> (UDP: one line per forwarded query, "<c>qname qtype [cd]</c>" parsed from the DNS question;
    /// TCP: one "<c>connect</c>" line per accepted connection), and for TCP <c>handshake=off</c>.
    /// Held data is released by <see cref="ReleaseClock"/>.
    /// <para>TCP handshake: the client's connect() completes at once against the proxy's listening socket, a round
    /// trip sooner than over a real path. To give the client the same timeline as a real one, the proxy opens the back
    /// connection 1.5 RTT after accepting (when a real server would see the client's ACK) and forwards nothing before
    /// then: a server-first banner then arrives 2 RTT after connect() began, and a client-first request reaches the
    /// server at 1.5 RTT, as on the wire. <c>handshake=off</c> drops this (pure per-chunk delay).</para>
    /// </remarks>
    public static class DelayProxyPeer
    {
        private const int IdleSeconds = 30;

        /// <summary><c>delay-udp &lt;ip&gt; &lt;port&gt; to=&lt;ip:port&gt; [rtt=40] [log=file]</c> (DNS over UDP).</summary>
        /// <remarks>
        /// DNS-aware: every query goes out through one back socket with its message ID replaced by a proxy-unique one
        /// (restored on the answer), so thousands of clients with their own ephemeral ports cost one socket, not one each.
        /// </remarks>
        [Peer("delay-udp")]
        public static async Task RunUdp(string ip, int port, string[] options, CancellationToken ct)
        {
            var settings = DelaySettings.Parse("delay-udp", options);
            var half = TimeSpan.FromTicks(settings.Rtt.Ticks / 2);
            using var front = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            WidenBuffers(front);
            front.Bind(new IPEndPoint(IPAddress.Parse(ip), port));
            using var back = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            WidenBuffers(back);
            back.Connect(settings.Target);
            var log = settings.LogPath is null ? null : ProxyLog.Open(settings.LogPath);
            var table = new DnsIdTable();
            using var stop = ct.Register(() =>
            {
                front.Dispose();
                back.Dispose();
            });

            // Blocking receives on dedicated threads, sends on the release clock's thread: the time stamp is taken when the
            // kernel hands the datagram over, not after a thread-pool hop, and no datagram waits for a pool thread.
            var queries = RunOnThread($"delay-udp {ip} queries", () =>
            {
                var buffer = new byte[65535];
                EndPoint from = new IPEndPoint(IPAddress.Any, 0);
                while (!ct.IsCancellationRequested)
                {
                    var n = front.ReceiveFrom(buffer, ref from);
                    var arrived = Stopwatch.GetTimestamp();
                    if (n < 12)
                    {
                        continue;
                    }

                    var datagram = buffer.AsSpan(0, n).ToArray();
                    log?.Write(DnsQuestionText.Describe(datagram));
                    var original = (ushort)((datagram[0] << 8) | datagram[1]);
                    var id = table.Allocate((IPEndPoint)from, original);
                    datagram[0] = (byte)(id >> 8);
                    datagram[1] = (byte)id;
                    _ = SendLaterAsync(back, null, datagram, arrived, half);
                }
            });
            var answers = RunOnThread($"delay-udp {ip} answers", () =>
            {
                var buffer = new byte[65535];
                while (!ct.IsCancellationRequested)
                {
                    var n = back.Receive(buffer);
                    var arrived = Stopwatch.GetTimestamp();
                    if (n < 12)
                    {
                        continue;
                    }

                    var datagram = buffer.AsSpan(0, n).ToArray();
                    if (!table.TryRelease((ushort)((datagram[0] << 8) | datagram[1]), out var client, out var original))
                    {
                        continue; // a late or duplicate answer: nobody waits for it any more
                    }

                    datagram[0] = (byte)(original >> 8);
                    datagram[1] = (byte)original;
                    _ = SendLaterAsync(front, client, datagram, arrived, half);
                }
            });
            await Task.WhenAll(queries, answers).ConfigureAwait(false);
        }

        /// <summary>Runs a blocking loop on its own background thread; the socket closing under it ends it quietly.</summary>
        private static Task RunOnThread(string name, Action loop)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() =>
            {
                try
                {
                    loop();
                    done.TrySetResult();
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
                {
                    done.TrySetResult();
                }
                catch (Exception ex)
                {
                    done.TrySetException(ex);
                }
            })
            { IsBackground = true, Name = name };
            thread.Start();
            return done.Task;
        }

        /// <summary><c>delay-tcp &lt;ip&gt; &lt;port&gt; to=&lt;ip:port&gt; [rtt=40] [log=file] [handshake=off]</c>.</summary>
        [Peer("delay-tcp")]
        public static async Task RunTcp(string ip, int port, string[] options, CancellationToken ct)
        {
            var settings = DelaySettings.Parse("delay-tcp", options);
            var log = settings.LogPath is null ? null : ProxyLog.Open(settings.LogPath);
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(new IPEndPoint(IPAddress.Parse(ip), port));
            listener.Listen(512);
            try
            {
                while (!ct.IsCancellationRequested)
                {
                    var client = await listener.AcceptAsync(ct).ConfigureAwait(false);
                    log?.Write("connect");
                    _ = RelayAsync(client, settings, ct);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        /// <summary>
        /// The proxy must not be where a burst is lost: a client asking a thousand questions at once would overflow the
        /// default 208 KB socket buffers here before reaching the server. 4 MB (the kernel caps it at rmem_max/wmem_max).
        /// </summary>
        private static void WidenBuffers(Socket socket)
        {
            try
            {
                socket.ReceiveBufferSize = 4 * 1024 * 1024;
                socket.SendBufferSize = 4 * 1024 * 1024;
            }
            catch (SocketException)
            {
            }
        }

        private static async Task SendLaterAsync(Socket socket, IPEndPoint? to, byte[] datagram, long arrived, TimeSpan delay)
        {
            try
            {
                await DelayUntilAsync(arrived, delay, CancellationToken.None).ConfigureAwait(false);

                // On the release clock's thread: a UDP send does not block (4 MB buffers), so it goes out now.
                if (to is null)
                {
                    socket.Send(datagram);
                }
                else
                {
                    socket.SendTo(datagram, to);
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // A datagram lost on the way is what UDP does anyway.
            }
        }

        private static async Task RelayAsync(Socket client, DelaySettings settings, CancellationToken ct)
        {
            var half = TimeSpan.FromTicks(settings.Rtt.Ticks / 2);
            var accepted = Stopwatch.GetTimestamp();
            using var relay = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var back = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.NoDelay = true;
            back.NoDelay = true;
            try
            {
                // Client -> server chunks are read (and time-stamped) from the start; they wait for the back connection.
                var upstream = Channel.CreateUnbounded<Chunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
                var readUp = PumpInAsync(client, upstream.Writer, relay.Token);
                if (settings.Handshake)
                {
                    await DelayUntilAsync(accepted, TimeSpan.FromTicks(settings.Rtt.Ticks * 3 / 2), relay.Token).ConfigureAwait(false);
                }

                await back.ConnectAsync(settings.Target, relay.Token).ConfigureAwait(false);
                var downstream = Channel.CreateUnbounded<Chunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
                var readDown = PumpInAsync(back, downstream.Writer, relay.Token);
                var writeUp = PumpOutAsync(upstream.Reader, back, half, relay.Token);
                var writeDown = PumpOutAsync(downstream.Reader, client, half, relay.Token);
                // Either side failing ends the relay; a clean half-close is forwarded and the other direction goes on.
                var all = Task.WhenAll(readUp, readDown, writeUp, writeDown);
                await Task.WhenAny(all, FirstFaultAsync(readUp, readDown, writeUp, writeDown)).ConfigureAwait(false);
                relay.Cancel();
                await Task.WhenAny(all, Task.Delay(1000, CancellationToken.None)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
            {
            }
            finally
            {
                relay.Cancel();
                client.Dispose();
            }
        }

        /// <summary>Waits until <paramref name="delay"/> has passed since <paramref name="since"/>; never less (<see cref="ReleaseClock"/>).</summary>
        private static async Task DelayUntilAsync(long since, TimeSpan delay, CancellationToken ct)
        {
            var due = since + (long)Math.Ceiling(delay.Ticks * (double)Stopwatch.Frequency / TimeSpan.TicksPerSecond);
            await ReleaseClock.WaitUntilAsync(due).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
        }

        private static async Task FirstFaultAsync(params Task[] tasks)
        {
            var pending = new List<Task>(tasks);
            while (pending.Count > 0)
            {
                var done = await Task.WhenAny(pending).ConfigureAwait(false);
                if (done.IsFaulted || done.IsCanceled)
                {
                    return;
                }

                pending.Remove(done);
            }

            await Task.Delay(Timeout.Infinite).ConfigureAwait(false);
        }

        private static async Task PumpInAsync(Socket source, ChannelWriter<Chunk> sink, CancellationToken ct)
        {
            var buffer = new byte[16384];
            try
            {
                while (true)
                {
                    var n = await source.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false);
                    var now = Stopwatch.GetTimestamp();
                    if (n == 0)
                    {
                        sink.TryWrite(new Chunk(null, now));
                        return;
                    }

                    sink.TryWrite(new Chunk(buffer.AsSpan(0, n).ToArray(), now));
                }
            }
            finally
            {
                sink.TryComplete();
            }
        }

        private static async Task PumpOutAsync(ChannelReader<Chunk> source, Socket destination, TimeSpan delay, CancellationToken ct)
        {
            await foreach (var chunk in source.ReadAllAsync(ct).ConfigureAwait(false))
            {
                await DelayUntilAsync(chunk.Arrived, delay, ct).ConfigureAwait(false);

                if (chunk.Data is null)
                {
                    destination.Shutdown(SocketShutdown.Send);
                    return;
                }

                var offset = 0;
                while (offset < chunk.Data.Length)
                {
                    offset += await destination.SendAsync(chunk.Data.AsMemory(offset), SocketFlags.None, ct).ConfigureAwait(false);
                }
            }
        }

        private readonly record struct Chunk(byte[]? Data, long Arrived);

        private sealed class DelaySettings
        {
            private DelaySettings(IPEndPoint target, TimeSpan rtt, string? logPath, bool handshake)
            {
                Target = target;
                Rtt = rtt;
                LogPath = logPath;
                Handshake = handshake;
            }

            public IPEndPoint Target { get; }

            public TimeSpan Rtt { get; }

            public string? LogPath { get; }

            public bool Handshake { get; }

            public static DelaySettings Parse(string peer, string[] options)
            {
                IPEndPoint? target = null;
                var rtt = TimeSpan.FromMilliseconds(40);
                string? log = null;
                var handshake = true;
                foreach (var option in options)
                {
                    var eq = option.IndexOf('=');
                    var key = eq < 0 ? option : option[..eq];
                    var value = eq < 0 ? string.Empty : option[(eq + 1)..];
                    switch (key.ToLowerInvariant())
                    {
                        case "to":
                            target = IPEndPoint.Parse(value);
                            break;
                        case "rtt":
                            rtt = TimeSpan.FromMilliseconds(double.Parse(value, CultureInfo.InvariantCulture));
                            break;
                        case "log":
                            log = value;
                            break;
                        case "handshake":
                            handshake = !string.Equals(value, "off", StringComparison.OrdinalIgnoreCase);
                            break;
                        default:
                            throw new ArgumentException($"{peer}: unknown option '{option}'");
                    }
                }

                if (target is null)
                {
                    throw new ArgumentException($"{peer}: to=<ip>:<port> is required");
                }

                return new DelaySettings(target, rtt, log, handshake);
            }
        }

        /// <summary>Proxy message ID -> (client, the client's own ID); entries older than 30 s are reused.</summary>
        private sealed class DnsIdTable
        {
            private readonly (IPEndPoint? Client, ushort Original, long Since)[] _slots = new (IPEndPoint?, ushort, long)[65536];
            private int _next;

            public ushort Allocate(IPEndPoint client, ushort original)
            {
                lock (_slots)
                {
                    for (var tries = 0; tries < 65536; tries++)
                    {
                        var id = _next;
                        _next = (_next + 1) & 0xFFFF;
                        var slot = _slots[id];
                        if (slot.Client is null || Stopwatch.GetElapsedTime(slot.Since) > TimeSpan.FromSeconds(IdleSeconds))
                        {
                            _slots[id] = (client, original, Stopwatch.GetTimestamp());
                            return (ushort)id;
                        }
                    }

                    throw new InvalidOperationException("delay-udp: 65536 queries in flight");
                }
            }

            public bool TryRelease(ushort id, out IPEndPoint client, out ushort original)
            {
                lock (_slots)
                {
                    var slot = _slots[id];
                    _slots[id] = default;
                    client = slot.Client!;
                    original = slot.Original;
                    return slot.Client is not null;
                }
            }
        }
    }

    /// <summary>An append-only line log shared by every proxy of the process that names the same file; flushed every 100 ms.</summary>
    internal sealed class ProxyLog
    {
        private static readonly ConcurrentDictionary<string, ProxyLog> Logs = new(StringComparer.Ordinal);
        private readonly StreamWriter _writer;
        private readonly Timer _flush;

        private ProxyLog(string path)
        {
            _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = false, NewLine = "\n" };
            _flush = new Timer(_ => Flush(), null, 100, 100);
        }

        public static ProxyLog Open(string path) => Logs.GetOrAdd(Path.GetFullPath(path), p => new ProxyLog(p));

        public void Write(string line)
        {
            lock (_writer)
            {
                _writer.WriteLine(line);
            }
        }

        private void Flush()
        {
            lock (_writer)
            {
                _writer.Flush();
            }
        }
    }

    /// <summary>Reads the question of a DNS query datagram for the proxy's log (RFC 1035 §4.1.1-§4.1.2).</summary>
    internal static class DnsQuestionText
    {
        public static string Describe(ReadOnlySpan<byte> message)
        {
            if (message.Length < 12 || ((message[4] << 8) | message[5]) == 0)
            {
                return "? ?";
            }

            var checkingDisabled = (message[3] & 0x10) != 0;
            var labels = new List<string>();
            var i = 12;
            while (i < message.Length)
            {
                int length = message[i];
                if (length == 0)
                {
                    i++;
                    break;
                }

                if (length > 63 || i + 1 + length > message.Length)
                {
                    return "? ?";
                }

                labels.Add(System.Text.Encoding.ASCII.GetString(message.Slice(i + 1, length)).ToLowerInvariant());
                i += 1 + length;
            }

            if (i + 2 > message.Length)
            {
                return "? ?";
            }

            var type = (message[i] << 8) | message[i + 1];
            var name = labels.Count == 0 ? "." : string.Join(".", labels);
            return name + " " + TypeName(type) + (checkingDisabled ? " cd" : string.Empty);
        }

        private static string TypeName(int type) => type switch
        {
            1 => "A",
            2 => "NS",
            5 => "CNAME",
            6 => "SOA",
            12 => "PTR",
            15 => "MX",
            16 => "TXT",
            28 => "AAAA",
            33 => "SRV",
            43 => "DS",
            46 => "RRSIG",
            48 => "DNSKEY",
            52 => "TLSA",
            99 => "SPF",
            _ => "TYPE" + type.ToString(CultureInfo.InvariantCulture),
        };
    }
}
