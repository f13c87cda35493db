using System;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MailSecurity.Dns
{
    /// <summary>
    /// Sends one query with the CD (checking disabled) bit and returns only the response code.
    /// </summary>
    /// <remarks>
    /// Hand-written because DnsClient.NET cannot set the CD bit. A validating resolver that answers SERVFAIL
    /// normally but NOERROR/NXDOMAIN with CD set has failed DNSSEC validation (bogus, RFC 4035 §3.2.2, §5.5);
    /// a SERVFAIL with CD set too is a plain server failure (indeterminate). Only the 12-byte header is read.
    /// </remarks>
    internal static class CheckingDisabledProbe
    {
        public static async Task<int?> QueryResponseCodeAsync(IPEndPoint server, string name, ushort type, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var query = Build(name, type, out var id);
            using var udp = new UdpClient(server.AddressFamily);
            try
            {
                udp.Connect(server);
                await udp.SendAsync(query, query.Length).ConfigureAwait(false);
                using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeoutCts.CancelAfter(timeout);
                var deadline = DateTime.UtcNow + timeout;
                while (true)
                {
                    var receive = udp.ReceiveAsync();
                    var delay = Task.Delay(Timeout.InfiniteTimeSpan, timeoutCts.Token);
                    var done = await Task.WhenAny(receive, delay).ConfigureAwait(false);
                    if (done != receive)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        return null;
                    }

                    var bytes = (await receive.ConfigureAwait(false)).Buffer;
                    if (bytes.Length >= 12 && bytes[0] == (byte)(id >> 8) && bytes[1] == (byte)id && (bytes[2] & 0x80) != 0)
                    {
                        return bytes[3] & 0x0F;
                    }

                    if (DateTime.UtcNow > deadline)
                    {
                        return null;
                    }
                }
            }
            catch (SocketException)
            {
                return null;
            }
            catch (ObjectDisposedException)
            {
                return null;
            }
        }

        private static byte[] Build(string name, ushort type, out ushort id)
        {
            var rnd = new byte[2];
            using (var rng = RandomNumberGenerator.Create())
            {
                rng.GetBytes(rnd);
            }

            id = (ushort)((rnd[0] << 8) | rnd[1]);
            var qname = Encoding.ASCII.GetBytes(name);
            var buffer = new byte[12 + qname.Length + 2 + 4 + 11];
            var i = 0;
            buffer[i++] = (byte)(id >> 8);
            buffer[i++] = (byte)id;
            buffer[i++] = 0x01; // RD
            buffer[i++] = 0x10; // CD
            buffer[i++] = 0; buffer[i++] = 1; // QDCOUNT
            buffer[i++] = 0; buffer[i++] = 0; // ANCOUNT
            buffer[i++] = 0; buffer[i++] = 0; // NSCOUNT
            buffer[i++] = 0; buffer[i++] = 1; // ARCOUNT (OPT)
            foreach (var label in name.Split('.'))
            {
                if (label.Length == 0)
                {
                    continue;
                }

                buffer[i++] = (byte)label.Length;
                foreach (var ch in label)
                {
                    buffer[i++] = (byte)ch;
                }
            }

            buffer[i++] = 0;
            buffer[i++] = (byte)(type >> 8);
            buffer[i++] = (byte)type;
            buffer[i++] = 0; buffer[i++] = 1; // IN
            // OPT pseudo-RR (RFC 6891): root name, type 41, payload 1232, DO bit.
            buffer[i++] = 0;
            buffer[i++] = 0; buffer[i++] = 41;
            buffer[i++] = 0x04; buffer[i++] = 0xD0;
            buffer[i++] = 0; buffer[i++] = 0; buffer[i++] = 0x80; buffer[i++] = 0;
            buffer[i++] = 0; buffer[i++] = 0;
            Array.Resize(ref buffer, i);
            return buffer;
        }
    }
}
