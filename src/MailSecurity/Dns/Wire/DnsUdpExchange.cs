using System;
using System.Buffers;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace MailSecurity.Dns.Wire
{
    /// <summary>What came back for one UDP query.</summary>
    internal enum DnsUdpOutcome
    {
        /// <summary>A response to the question arrived.</summary>
        Answered,

        /// <summary>Nothing arrived within the time allowed.</summary>
        TimedOut,

        /// <summary>
        /// Only datagrams from the server with the question asked but another message ID arrived: discarded (RFC 5452 §9.1),
        /// and reported, since a server that always does this is broken rather than slow.
        /// </summary>
        WrongId,
    }

    /// <summary>
    /// Sends DNS queries over UDP and matches their answers, several queries to a socket.
    /// </summary>
    /// <remarks>
    /// Written here because DnsClient.NET opens, registers and closes a socket for every query, with no way to hand it
    /// another transport: in a bulk run that was over a quarter of the DNS layer's CPU (tests/bench/README.md, issue 16).
    /// <para>Each socket is bound to an ephemeral port the kernel picks at random and serves at most
    /// <see cref="QueriesPerSocket"/> queries (as c-ares's <c>udp_max_queries</c>), then closes once its last answer is in, so
    /// an off-path forger still has to guess a random port and a random 16-bit ID per query (RFC 5452 §4, §9.2). A socket
    /// with nothing pending closes at once: a lone query costs what it did before. An answer is taken only from the server
    /// asked, with the query's ID and question (RFC 5452 §9.1); anything else is dropped and the query keeps waiting.</para>
    /// </remarks>
    internal sealed class DnsUdpExchange
    {
        /// <summary>Queries one socket serves before a fresh one (with a fresh random port) takes over.</summary>
        internal const int QueriesPerSocket = 32;

        private const int ReceiveBufferSize = 65535;

        private Channel? _current4;
        private Channel? _current6;
        private long _socketsOpened;

        /// <summary>Sockets opened so far (for tests and the bench: far fewer than queries in a busy run).</summary>
        public long SocketsOpened => Interlocked.Read(ref _socketsOpened);

        /// <summary>Asks <paramref name="server"/> one question under a fresh random ID and waits for its answer.</summary>
        /// <param name="server">The resolver.</param>
        /// <param name="name">The normalised question name.</param>
        /// <param name="type">The question type.</param>
        /// <param name="timeout">How long to wait.</param>
        /// <param name="cancellationToken">Cancels the wait.</param>
        /// <param name="checkingDisabled">Sets the CD bit (RFC 4035 §3.2.2): the resolver answers without validating.</param>
        /// <returns>The outcome and, when answered, the response (exactly as long as the datagram).</returns>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
        /// <exception cref="SocketException">The query could not be sent.</exception>
        public async Task<(DnsUdpOutcome Outcome, byte[]? Response)> QueryAsync(IPEndPoint server, string name, ushort type, TimeSpan timeout, CancellationToken cancellationToken, bool checkingDisabled = false)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pending = Enqueue(server, DnsWireMessage.WriteQuery(name, type, Channel.RandomId(), checkingDisabled));
            var channel = pending.Channel;
            try
            {
                channel.Send(pending);
            }
            catch
            {
                channel.Complete(pending, null);
                throw;
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            using (deadline.Token.Register(static state => { var p = (Pending)state!; p.Channel.Complete(p, null); }, pending))
            {
                var response = await pending.Result.Task.ConfigureAwait(false);
                if (response != null)
                {
                    return (DnsUdpOutcome.Answered, response);
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            return (pending.SawWrongId ? DnsUdpOutcome.WrongId : DnsUdpOutcome.TimedOut, null);
        }

        private Pending Enqueue(IPEndPoint server, byte[] query)
        {
            // No lock of the exchange's own: the query is written (with a random ID) before, the current socket takes it under
            // its own lock, and a used-up socket is replaced by compare-and-swap, so no query waits while another opens a
            // socket (a lock here was the bulk run's most contended one).
            var v6 = server.AddressFamily == AddressFamily.InterNetworkV6;
            ref var current = ref v6 ? ref _current6 : ref _current4;
            var channel = Volatile.Read(ref current);
            if (channel != null && channel.TryAdd(server, query, out var pending))
            {
                return pending;
            }

            // The current socket is used up or closed: a fresh one (and a fresh random port) takes over. Should another
            // query have swapped one in meanwhile, this socket serves this query alone and closes with its answer.
            var fresh = new Channel(server.AddressFamily);
            Interlocked.Increment(ref _socketsOpened);
            fresh.TryAdd(server, query, out pending);
            Interlocked.CompareExchange(ref current, fresh, channel);
            return pending;
        }

        /// <summary>One query waiting for its answer.</summary>
        private sealed class Pending
        {
            public Pending(Channel channel, IPEndPoint server, byte[] query, ushort id)
            {
                Channel = channel;
                Server = server;
                Query = query;
                Id = id;
            }

            public Channel Channel { get; }

            public IPEndPoint Server { get; }

            public byte[] Query { get; }

            public ushort Id { get; }

            public TaskCompletionSource<byte[]?> Result { get; } = new TaskCompletionSource<byte[]?>(TaskCreationOptions.RunContinuationsAsynchronously);

            public volatile bool SawWrongId;
        }

#if NET
        /// <summary>For tests: whether an address a datagram came from is <paramref name="server"/>.</summary>
        internal static bool IsFrom(SocketAddress received, IPEndPoint server) => Channel.SameEndpoint(received, server);
#endif

        /// <summary>One socket, its queries in flight and the loop that reads its answers.</summary>
        private sealed class Channel
        {
            private readonly Socket _socket;
            private readonly Dictionary<ushort, Pending> _pending = new Dictionary<ushort, Pending>();
            private int _used;
            private bool _closed;
            // IDs of queries that gave up (timeout, cancellation): a late answer to one is no sign of a broken server.
            private HashSet<ushort>? _givenUp;

            public Channel(AddressFamily family)
            {
                _socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
                try
                {
                    // Port 0: the kernel picks a random free ephemeral port (RFC 6056), before anything is sent, so the
                    // receive loop can start at once.
                    _socket.Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
                }
                catch
                {
                    _socket.Dispose();
                    throw;
                }

                _ = ReceiveLoopAsync();
            }

            /// <summary>Adds a query (its ID changed if another in flight here has it); false once the socket has served its share or has closed.</summary>
            public bool TryAdd(IPEndPoint server, byte[] query, out Pending pending)
            {
                lock (_pending)
                {
                    if (_closed || _used >= QueriesPerSocket)
                    {
                        pending = null!;
                        return false;
                    }

                    var id = DnsWireMessage.ReadId(query);
                    while (_pending.ContainsKey(id))
                    {
                        id = RandomId();
                        DnsWireMessage.WriteId(query, id);
                    }

                    _used++;
                    pending = new Pending(this, server, query, id);
                    _pending.Add(id, pending);
                    return true;
                }
            }

            public void Send(Pending pending)
            {
                // UDP send does not wait for the peer: done synchronously, it costs one system call and no task.
                _socket.SendTo(pending.Query, SocketFlags.None, pending.Server);
            }

            /// <summary>Ends a query with its answer, or with null (timeout, cancellation, failure to send).</summary>
            public void Complete(Pending pending, byte[]? response)
            {
                bool close;
                lock (_pending)
                {
                    if (!_pending.TryGetValue(pending.Id, out var current) || !ReferenceEquals(current, pending))
                    {
                        return;
                    }

                    _pending.Remove(pending.Id);
                    if (response is null)
                    {
                        (_givenUp ??= new HashSet<ushort>()).Add(pending.Id);
                    }

                    close = _pending.Count == 0 && !_closed;
                    if (close)
                    {
                        _closed = true;
                    }
                }

                pending.Result.TrySetResult(response);
                if (close)
                {
                    // Nothing in flight: close now, so an idle run holds no socket and the next query gets a fresh port.
                    _socket.Dispose();
                }
            }

            /// <summary>A message ID from a cryptographic source: half of what an off-path forger must guess (RFC 5452 §4.3).</summary>
            /// <remarks>Drawn 128 at a time per thread: one call into the system's generator per query was a measurable share of a bulk run.</remarks>
            public static ushort RandomId()
            {
                var buffer = t_randomIds;
                if (buffer is null || t_randomIdsUsed >= buffer.Length)
                {
                    buffer ??= t_randomIds = new byte[256];
#if NET
                    RandomNumberGenerator.Fill(buffer);
#else
                    Rng.GetBytes(buffer);
#endif
                    t_randomIdsUsed = 0;
                }

                var at = t_randomIdsUsed;
                t_randomIdsUsed = at + 2;
                return (ushort)((buffer[at] << 8) | buffer[at + 1]);
            }

            [ThreadStatic]
            private static byte[]? t_randomIds;

            [ThreadStatic]
            private static int t_randomIdsUsed;

#if !NET
            private static readonly RandomNumberGenerator Rng = RandomNumberGenerator.Create();
#endif

            private async Task ReceiveLoopAsync()
            {
                // Rented: a socket serves 32 queries, and a 64 KB buffer of its own was a sixth of a bulk run's allocation.
                var buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
                try
                {
                    await ReceiveAllAsync(buffer).ConfigureAwait(false);
                }
                finally
                {
                    // Only once the socket is closed and its last receive has ended: nothing writes to the buffer any more.
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }

            private async Task ReceiveAllAsync(byte[] buffer)
            {
#if NET
                var from = new SocketAddress(_socket.AddressFamily);
#else
                EndPoint any = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
                IPEndPoint? source = null;
#endif

                // Whether the datagram just received came from that server.
                bool FromServer(IPEndPoint server)
#if NET
                    => SameEndpoint(from, server);
#else
                    => source != null && source.Equals(server);
#endif

                while (true)
                {
                    int count;
                    try
                    {
#if NET
                        count = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, from).ConfigureAwait(false);
#else
                        var received = await _socket.ReceiveFromAsync(new ArraySegment<byte>(buffer), SocketFlags.None, any).ConfigureAwait(false);
                        count = received.ReceivedBytes;
                        source = received.RemoteEndPoint as IPEndPoint;
#endif
                    }
                    catch (ObjectDisposedException)
                    {
                        return;
                    }
                    catch (SocketException)
                    {
                        lock (_pending)
                        {
                            if (_closed)
                            {
                                return;
                            }
                        }

                        // Windows reports an ICMP port-unreachable for an earlier datagram as a reset on the next receive;
                        // it names no query, so every query goes on waiting for its own answer or its timeout.
                        continue;
                    }

                    if (count < DnsWireMessage.HeaderLength)
                    {
                        continue;
                    }

                    Pending? pending;
                    lock (_pending)
                    {
                        _pending.TryGetValue(DnsWireMessage.ReadId(buffer), out pending);
                    }

                    if (pending != null && !FromServer(pending.Server))
                    {
                        continue;
                    }

                    if (pending is null || !DnsWireMessage.AnswersQuestion(pending.Query, buffer, count))
                    {
                        NoteWrongId(buffer, count, FromServer);
                        continue;
                    }

                    var response = new byte[count];
                    Buffer.BlockCopy(buffer, 0, response, 0, count);
                    Complete(pending, response);
                }
            }

            /// <summary>Marks the queries a datagram answers but for its ID (a broken server, or a forger's miss).</summary>
            private void NoteWrongId(byte[] datagram, int count, Func<IPEndPoint, bool> fromServer)
            {
                lock (_pending)
                {
                    if (_givenUp != null && _givenUp.Contains(DnsWireMessage.ReadId(datagram)))
                    {
                        return; // the late answer to an earlier attempt, not another ID
                    }

                    foreach (var p in _pending.Values)
                    {
                        if (fromServer(p.Server) && DnsWireMessage.AnswersQuestion(p.Query, datagram, count))
                        {
                            p.SawWrongId = true;
                        }
                    }
                }
            }

#if NET
            /// <summary>True when a received address is the server's (port and address; IPv6 flow and scope ignored).</summary>
            internal static bool SameEndpoint(SocketAddress received, IPEndPoint server)
            {
                var port = (received[2] << 8) | received[3];
                if (port != server.Port || received.Family != server.AddressFamily)
                {
                    return false;
                }

                Span<byte> expected = stackalloc byte[16];
                if (!server.Address.TryWriteBytes(expected, out var written))
                {
                    return false;
                }

                var offset = server.AddressFamily == AddressFamily.InterNetworkV6 ? 8 : 4;
                for (var i = 0; i < written; i++)
                {
                    if (received[offset + i] != expected[i])
                    {
                        return false;
                    }
                }

                return true;
            }
#endif
        }
    }
}
