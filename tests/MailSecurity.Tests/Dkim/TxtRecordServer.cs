using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailSecurity.Dns;
using MailSecurity.Tests.Dns;

namespace MailSecurity.Tests.Dkim
{
    /// <summary>
    /// A minimal authoritative UDP DNS responder on 127.0.0.1 that serves TXT records (DKIM keys) so the verifier
    /// is exercised through the real <see cref="DnsResolver"/>: names with TXT data answer them, names marked
    /// failing answer SERVFAIL, every other name answers NXDOMAIN, and other types at a known name answer NODATA.
    /// (A shared in-memory DNS peer is being written on another branch; this one covers only what these tests need.)
    /// </summary>
    internal sealed class TxtRecordServer : IDisposable
    {
        private readonly UdpResponder _responder;
        private readonly ConcurrentDictionary<string, List<string>> _txt = new ConcurrentDictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        private readonly ConcurrentDictionary<string, bool> _servfail = new ConcurrentDictionary<string, bool>(StringComparer.OrdinalIgnoreCase);

        public TxtRecordServer()
        {
            _responder = new UdpResponder(Answer);
        }

        public IPEndPoint EndPoint => _responder.EndPoint;

        public int Queries => _responder.Queries;

        public void AddTxt(string name, string text) => _txt.GetOrAdd(name.TrimEnd('.'), _ => new List<string>()).Add(text);

        public void ServerFailure(string name) => _servfail[name.TrimEnd('.')] = true;

        /// <summary>A resolver of our DNS layer pointed at this server.</summary>
        public DnsResolver CreateResolver()
        {
            var options = new DnsResolverOptions { Timeout = TimeSpan.FromSeconds(2), Attempts = 1, DetectBogus = false };
            options.Servers.Add(EndPoint);
            return new DnsResolver(options);
        }

        public void Dispose() => _responder.Dispose();

        private byte[]? Answer(byte[] query)
        {
            if (query.Length < 12)
            {
                return null;
            }

            // Question: labels up to the zero label, then QTYPE and QCLASS (RFC 1035 §4.1.2).
            var pos = 12;
            var labels = new List<string>();
            while (pos < query.Length && query[pos] != 0)
            {
                var len = query[pos];
                if (len > 63 || pos + 1 + len > query.Length)
                {
                    return null;
                }

                labels.Add(Encoding.ASCII.GetString(query, pos + 1, len));
                pos += 1 + len;
            }

            var questionEnd = pos + 5;
            if (questionEnd > query.Length)
            {
                return null;
            }

            var qtype = (query[pos + 1] << 8) | query[pos + 2];
            var name = string.Join(".", labels);
            var answers = new List<byte[]>();
            int rcode;
            if (_servfail.ContainsKey(name))
            {
                rcode = 2;
            }
            else if (_txt.TryGetValue(name, out var records))
            {
                rcode = 0;
                if (qtype == 16)
                {
                    lock (records)
                    {
                        foreach (var r in records)
                        {
                            answers.Add(TxtRdata(r));
                        }
                    }
                }
            }
            else
            {
                rcode = 3;
            }

            var reply = new List<byte>();
            reply.Add(query[0]);
            reply.Add(query[1]);
            reply.Add((byte)(0x84 | (query[2] & 0x01))); // QR, AA, RD copied
            reply.Add((byte)(0x80 | rcode)); // RA, RCODE
            reply.AddRange(new byte[] { 0, 1, (byte)(answers.Count >> 8), (byte)answers.Count, 0, 0, 0, 0 });
            for (var i = 12; i < questionEnd; i++)
            {
                reply.Add(query[i]);
            }

            foreach (var rdata in answers)
            {
                reply.AddRange(new byte[] { 0xC0, 0x0C, 0, 16, 0, 1, 0, 0, 0x01, 0x2C, (byte)(rdata.Length >> 8), (byte)rdata.Length });
                reply.AddRange(rdata);
            }

            return reply.ToArray();
        }

        private static byte[] TxtRdata(string text)
        {
            // RFC 1035 §3.3.14: one or more <character-string>s of at most 255 octets.
            var bytes = Encoding.ASCII.GetBytes(text);
            var rdata = new List<byte>();
            for (var i = 0; i < bytes.Length || i == 0; i += 255)
            {
                var len = Math.Min(255, bytes.Length - i);
                rdata.Add((byte)len);
                for (var j = 0; j < len; j++)
                {
                    rdata.Add(bytes[i + j]);
                }
            }

            return rdata.ToArray();
        }
    }
}
