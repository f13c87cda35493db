using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace MailSecurity.Tests.Dns
{
    /// <summary>
    /// A UDP socket on 127.0.0.1 (any free port) that answers each datagram with what <c>answer</c> returns (nothing for
    /// null): the transport of the small DNS responders of the unit tests, which only decide what to answer.
    /// </summary>
    internal sealed class UdpResponder : IDisposable
    {
        private readonly UdpClient _udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly Func<byte[], byte[]?> _answer;
        private readonly Action<IPEndPoint, byte[]>? _onQuery;
        private readonly Task _loop;
        private int _queries;

        /// <param name="answer">What to send back for a query (nothing for null).</param>
        /// <param name="onQuery">Called with the sender and the query before the answer goes out.</param>
        public UdpResponder(Func<byte[], byte[]?> answer, Action<IPEndPoint, byte[]>? onQuery = null)
        {
            _answer = answer;
            _onQuery = onQuery;
            EndPoint = (IPEndPoint)_udp.Client.LocalEndPoint!;
            _loop = Task.Run(LoopAsync);
        }

        public IPEndPoint EndPoint { get; }

        /// <summary>Sends a datagram from the responder's socket (an answer of the test's own timing).</summary>
        public void Send(byte[] datagram, IPEndPoint to) => _udp.Send(datagram, datagram.Length, to);

        /// <summary>Datagrams received so far.</summary>
        public int Queries => Volatile.Read(ref _queries);

        public void Dispose()
        {
            _stop.Cancel();
            _udp.Dispose();
            try
            {
                _loop.Wait(TimeSpan.FromSeconds(2));
            }
            catch (AggregateException)
            {
                // The loop ends with the socket.
            }

            _stop.Dispose();
        }

        private async Task LoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                UdpReceiveResult received;
                try
                {
                    received = await _udp.ReceiveAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException || ex is ObjectDisposedException || ex is SocketException)
                {
                    return;
                }

                Interlocked.Increment(ref _queries);
                _onQuery?.Invoke(received.RemoteEndPoint, received.Buffer);
                var reply = _answer(received.Buffer);
                if (reply is null || reply.Length == 0)
                {
                    continue;
                }

                try
                {
                    await _udp.SendAsync(reply, reply.Length, received.RemoteEndPoint).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is ObjectDisposedException || ex is SocketException)
                {
                    return;
                }
            }
        }
    }
}
