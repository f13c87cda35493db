using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using MailSecurity.Dns.Wire;
using Xunit;

namespace MailSecurity.Tests.Dns
{
    /// <summary>
    /// The UDP exchange and the wire reader/writer that replaced DnsClient's per-query sockets (issue 16): the query's
    /// layout, parsing checked against DnsClient's own parser on the same octets, malformed messages, and the exchange's
    /// matching rules (RFC 5452 §9.1) and socket sharing, against small responders on 127.0.0.1.
    /// </summary>
    public class DnsWireTests
    {
        [Fact]
        public void A_query_carries_rd_one_question_and_an_opt_record_with_do_and_1232_octets()
        {
            var query = DnsWireMessage.WriteQuery("a.Example", 16, 0xBEEF);
            var expected = new byte[]
            {
                0xBE, 0xEF, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1, // ID, RD, QDCOUNT 1, ARCOUNT 1
                1, (byte)'a', 7, (byte)'E', (byte)'x', (byte)'a', (byte)'m', (byte)'p', (byte)'l', (byte)'e', 0, // name as given
                0, 16, 0, 1, // TXT IN
                0, 0, 41, 0x04, 0xD0, 0, 0, 0x80, 0, 0, 0, // OPT: root, payload 1232, DO
            };
            Assert.Equal(expected, query);
            Assert.Equal(0x10, DnsWireMessage.WriteQuery("a.example", 1, 1, checkingDisabled: true)[3]);
            Assert.Equal(new byte[] { 0 }, DnsWireMessage.WriteQuery(string.Empty, 48, 1).Skip(12).Take(1).ToArray());
            Assert.Equal(DnsWireMessage.WriteQuery("a.example", 1, 7), DnsWireMessage.WriteQuery("a.example.", 1, 7));
        }

        [Theory]
        [InlineData("a..example")]
        [InlineData(".example")]
        [InlineData("bad\u00e9.example")]
        public void Names_that_cannot_go_on_the_wire_are_refused_before_sending(string name)
        {
            Assert.Throws<ArgumentException>(() => DnsWireMessage.WriteQuery(name, 1, 1));
            Assert.Throws<ArgumentException>(() => DnsWireMessage.WriteQuery(new string('a', 64) + ".example", 1, 1));
            Assert.Throws<ArgumentException>(() => DnsWireMessage.WriteQuery(string.Join(".", Enumerable.Repeat(new string('a', 63), 4)), 1, 1));
        }

        [Fact]
        public async Task Every_record_type_reads_as_dnsclient_reads_the_same_octets()
        {
            // One response holding each type the module reads, names compressed and not, parsed by DnsClient (through its
            // own transport, from a responder that sends these octets) and by DnsWireMessage: the records must be equal.
            var response = WireBuilder.Response(0, "wire.example", 16, rcode: 0, ad: true, build: b =>
            {
                b.Answer("wire.example", 1, 300, new byte[] { 192, 0, 2, 1 });
                b.Answer("wire.example", 28, 300, IPAddress.Parse("2001:db8::1").GetAddressBytes());
                b.Answer("wire.example", 2, 300, b.Name("ns.wire.example"));
                b.Answer("alias.wire.example", 5, 300, b.Name("wire.example"));
                b.Answer("1.2.0.192.in-addr.arpa", 12, 300, b.Name("wire.example"));
                b.Answer("wire.example", 15, 300, b.U16(10).Concat(b.Name("mx.wire.example")).ToArray());
                b.Answer("_sip._tcp.wire.example", 33, 300, b.U16(1).Concat(b.U16(2)).Concat(b.U16(5060)).Concat(b.Name("sip.wire.example")).ToArray());
                b.Answer("wire.example", 6, 300, b.Name("ns.wire.example").Concat(b.Name("hostmaster.wire.example")).Concat(b.U32(2026120701)).Concat(b.U32(7200)).Concat(b.U32(3600)).Concat(b.U32(1209600)).Concat(b.U32(300)).ToArray());
                b.Answer("wire.example", 16, 300, b.Strings("v=spf1 -all", "caf\u00e9 \"quoted\" back\\slash", string.Empty));
                b.Answer("wire.example", 43, 300, b.U16(12345).Concat(new byte[] { 13, 2 }).Concat(Enumerable.Range(0, 32).Select(i => (byte)i)).ToArray());
                b.Answer("wire.example", 48, 300, b.U16(257).Concat(new byte[] { 3, 13 }).Concat(Enumerable.Range(0, 64).Select(i => (byte)(255 - i))).ToArray());
                b.Answer("_25._tcp.mx.wire.example", 52, 300, new byte[] { 3, 1, 1 }.Concat(Enumerable.Range(0, 32).Select(i => (byte)(i * 7))).ToArray());
                b.Answer("wire.example", 46, 300, b.U16(16).Concat(new byte[] { 13, 2 }).Concat(b.U32(300)).Concat(b.U32(1767225600)).Concat(b.U32(1764547200)).Concat(b.U16(12345)).Concat(b.Name("wire.example")).Concat(Enumerable.Range(0, 64).Select(i => (byte)i)).ToArray());
                b.Answer("wire.example", 47, 300, b.Name("a.wire.example", compress: false).Concat(new byte[] { 0, 6, 0x62, 0x01, 0x80, 0x08, 0x00, 0x03 }).ToArray());
                b.Answer("wire.example", 51, 0, new byte[] { 1, 0, 0, 0, 0 });
                b.Authority("wire.example", 6, 300, b.Name("ns.wire.example").Concat(b.Name("hostmaster.wire.example")).Concat(b.U32(1)).Concat(b.U32(2)).Concat(b.U32(3)).Concat(b.U32(4)).Concat(b.U32(5)).ToArray());
                b.Authority("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.wire.example", 50, 300, new byte[] { 1, 0, 0, 12, 4, 0xaa, 0xbb, 0xcc, 0xdd, 20 }.Concat(Enumerable.Range(0, 20).Select(i => (byte)(i + 1))).Concat(new byte[] { 0, 2, 0x40, 0x01 }).ToArray());
            });

            using var responder = new UdpResponder(query => WireBuilder.WithIdOf(query, response));
            var client = new LookupClient(new LookupClientOptions(responder.EndPoint) { UseCache = false, Retries = 0, Timeout = TimeSpan.FromSeconds(10), ContinueOnDnsError = false, ThrowDnsErrors = false });
            var theirs = await client.QueryAsync("wire.example", QueryType.TXT);
            var ours = DnsWireMessage.Parse(response, response.Length);

            Assert.True(ours.AuthenticData);
            Assert.False(ours.Truncated);
            Assert.Equal(DnsHeaderResponseCode.NoError, ours.ResponseCode);
            Assert.Equal(15, ours.Answers.Count);
            Assert.Equal(Describe(theirs.Answers), Describe(ours.Answers));
            Assert.Equal(Describe(theirs.Authorities), Describe(ours.Authorities));
            var txt = ours.Answers.OfType<TxtRecord>().Single();
            Assert.Equal(new[] { "v=spf1 -all", "caf\u00e9 \"quoted\" back\\slash", string.Empty }, txt.Text);
        }

        [Fact]
        public void Types_the_module_does_not_read_keep_their_data_as_received()
        {
            var response = WireBuilder.Response(0, "wire.example", 257, rcode: 0, ad: false, build: b => b.Answer("wire.example", 257, 60, new byte[] { 0, 5, (byte)'i', (byte)'s', (byte)'s', (byte)'u', (byte)'e', (byte)'c', (byte)'a' }));
            var record = Assert.IsType<UnknownRecord>(DnsWireMessage.Parse(response, response.Length).Answers.Single());
            Assert.Equal(new byte[] { 0, 5, (byte)'i', (byte)'s', (byte)'s', (byte)'u', (byte)'e', (byte)'c', (byte)'a' }, record.Data.ToArray());
        }

        public static IEnumerable<object[]> MalformedResponses()
        {
            var good = WireBuilder.Response(0, "wire.example", 1, rcode: 0, ad: false, build: b => b.Answer("wire.example", 1, 60, new byte[] { 192, 0, 2, 1 }));
            yield return new object[] { "cut short", good.Take(good.Length - 2).ToArray() };
            var lying = (byte[])good.Clone();
            lying[7] = 9; // ANCOUNT 9 with one record
            yield return new object[] { "claims more records", lying };
            yield return new object[] { "A of five octets", WireBuilder.Response(0, "wire.example", 1, rcode: 0, ad: false, build: b => b.Answer("wire.example", 1, 60, new byte[] { 192, 0, 2, 1, 9 })) };
            yield return new object[] { "MX name past its length", WireBuilder.Response(0, "wire.example", 15, rcode: 0, ad: false, build: b => b.Answer("wire.example", 15, 60, b.U16(10).Concat(b.Name("mx.wire.example", compress: false)).ToArray(), rdLengthDelta: -3)) };
            yield return new object[] { "header only, eleven octets", new byte[11] };
            var loop = WireBuilder.Response(0, "wire.example", 5, rcode: 0, ad: false, build: b => b.SelfPointingCname("wire.example"));
            yield return new object[] { "compression pointer to itself", loop };
        }

        [Theory]
        [MemberData(nameof(MalformedResponses))]
        public void Malformed_responses_are_a_format_error_never_a_crash(string what, byte[] message)
        {
            var ex = Assert.Throws<DnsWireFormatException>(() => DnsWireMessage.Parse(message, message.Length));
            Assert.False(string.IsNullOrEmpty(ex.Message), what);
        }

        [Fact]
        public void An_answer_matches_only_its_own_question_in_any_letter_case()
        {
            var query = DnsWireMessage.WriteQuery("a.example", 1, 42);
            var answer = WireBuilder.Response(42, "A.EXAMPLE", 1, rcode: 0, ad: false, build: _ => { });
            Assert.True(DnsWireMessage.AnswersQuestion(query, answer, answer.Length));
            var other = WireBuilder.Response(42, "b.example", 1, rcode: 0, ad: false, build: _ => { });
            Assert.False(DnsWireMessage.AnswersQuestion(query, other, other.Length));
            var otherType = WireBuilder.Response(42, "a.example", 28, rcode: 0, ad: false, build: _ => { });
            Assert.False(DnsWireMessage.AnswersQuestion(query, otherType, otherType.Length));
            var notAResponse = (byte[])answer.Clone();
            notAResponse[2] &= 0x7F;
            Assert.False(DnsWireMessage.AnswersQuestion(query, notAResponse, notAResponse.Length));

            // An error without a question section (as some servers send FORMERR/REFUSED) is taken; a NOERROR without one is not.
            var refused = new byte[] { 0, 42, 0x81, 0x05, 0, 0, 0, 0, 0, 0, 0, 0 };
            Assert.True(DnsWireMessage.AnswersQuestion(query, refused, refused.Length));
            var empty = new byte[] { 0, 42, 0x81, 0x00, 0, 0, 0, 0, 0, 0, 0, 0 };
            Assert.False(DnsWireMessage.AnswersQuestion(query, empty, empty.Length));
        }

        [Fact]
        public async Task Concurrent_queries_share_sockets_and_each_gets_its_own_answer()
        {
            using var responder = new UdpResponder(query => WireBuilder.AnswerA(query, q => IPAddress.Parse("10.0.0." + q.Split('.')[0].Substring(1))));
            var exchange = new DnsUdpExchange();
            var tasks = Enumerable.Range(1, 100).Select(i => exchange.QueryAsync(responder.EndPoint, $"q{i}.example", 1, TimeSpan.FromSeconds(20), CancellationToken.None)).ToArray();
            var replies = await Task.WhenAll(tasks);
            for (var i = 0; i < replies.Length; i++)
            {
                Assert.Equal(DnsUdpOutcome.Answered, replies[i].Outcome);
                var a = Assert.IsType<ARecord>(DnsWireMessage.Parse(replies[i].Response!, replies[i].Response!.Length).Answers.Single());
                Assert.Equal("10.0.0." + (i + 1), a.Address.ToString());
            }

            // 100 queries started together: 32 a socket, so 4 sockets, not 100 (one more if a socket emptied and closed
            // while the queries were still being started).
            Assert.InRange(exchange.SocketsOpened, 4, 6);
        }

        [Fact]
        public async Task An_idle_socket_closes_so_the_next_query_gets_a_fresh_port()
        {
            var ports = new List<int>();
            using var responder = new UdpResponder(query => WireBuilder.AnswerA(query, _ => IPAddress.Parse("192.0.2.1")), (from, _) => { lock (ports) { ports.Add(from.Port); } });
            var exchange = new DnsUdpExchange();
            for (var i = 0; i < 3; i++)
            {
                var reply = await exchange.QueryAsync(responder.EndPoint, "one.example", 1, TimeSpan.FromSeconds(20), CancellationToken.None);
                Assert.Equal(DnsUdpOutcome.Answered, reply.Outcome);
            }

            Assert.Equal(3, exchange.SocketsOpened);
            Assert.Equal(3, ports.Distinct().Count());
        }

        [Fact]
        public async Task A_forged_answer_from_another_port_is_dropped_and_the_real_one_taken()
        {
            using var forger = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            using var responder = new UdpResponder(query =>
            {
                return WireBuilder.AnswerA(query, _ => IPAddress.Parse("192.0.2.53"));
            }, (from, query) =>
            {
                // Before the real answer goes out, the forger (same address, another port) sends its own under the right ID.
                var forged = WireBuilder.AnswerA(query, _ => IPAddress.Parse("203.0.113.66"));
                forger.Send(forged, forged.Length, from);
                Thread.Sleep(50);
            });
            var exchange = new DnsUdpExchange();
            var reply = await exchange.QueryAsync(responder.EndPoint, "target.example", 1, TimeSpan.FromSeconds(20), CancellationToken.None);
            Assert.Equal(DnsUdpOutcome.Answered, reply.Outcome);
            Assert.Equal("192.0.2.53", Assert.IsType<ARecord>(DnsWireMessage.Parse(reply.Response!, reply.Response!.Length).Answers.Single()).Address.ToString());
        }

        [Fact]
        public async Task An_answer_to_another_question_under_the_right_id_is_dropped()
        {
            var reply = await AskOnceAsync(query => WireBuilder.Response(WireBuilder.IdOf(query), "other.example", 1, rcode: 0, ad: false, build: b => b.Answer("other.example", 1, 60, new byte[] { 203, 0, 113, 66 })));
            Assert.Equal(DnsUdpOutcome.TimedOut, reply.Outcome);
            Assert.Null(reply.Response);
        }

        [Fact]
        public async Task A_server_answering_under_another_id_is_reported_as_such_not_trusted()
        {
            var reply = await AskOnceAsync(query =>
            {
                var answer = WireBuilder.AnswerA(query, _ => IPAddress.Parse("192.0.2.1"));
                answer[1] ^= 0x01;
                return answer;
            });
            Assert.Equal(DnsUdpOutcome.WrongId, reply.Outcome);
            Assert.Null(reply.Response);
        }

        /// <summary>Asks target.example A once, waiting 0.6 s, of a responder that answers with <paramref name="answer"/>.</summary>
        private static async Task<(DnsUdpOutcome Outcome, byte[]? Response)> AskOnceAsync(Func<byte[], byte[]?> answer)
        {
            using var responder = new UdpResponder(answer);
            return await new DnsUdpExchange().QueryAsync(responder.EndPoint, "target.example", 1, TimeSpan.FromMilliseconds(600), CancellationToken.None);
        }

        [Fact]
        public async Task A_late_answer_to_an_attempt_given_up_is_not_taken_for_a_wrong_id()
        {
            // The server answers nothing by itself; the test sends the answers. The first attempt for late.example gives up;
            // its answer then arrives, on the same socket, while the retry (another ID) waits: that answer is the earlier
            // attempt's, so the retry ends as a plain timeout, not as "answered under another ID".
            var queries = new List<(IPEndPoint From, byte[] Query)>();
            using var responder = new UdpResponder(_ => null, (from, query) => { lock (queries) { queries.Add((from, query)); } });
            var exchange = new DnsUdpExchange();
            var keep = exchange.QueryAsync(responder.EndPoint, "keep.example", 1, TimeSpan.FromSeconds(60), CancellationToken.None);
            var first = await exchange.QueryAsync(responder.EndPoint, "late.example", 1, TimeSpan.FromMilliseconds(300), CancellationToken.None);
            Assert.Equal(DnsUdpOutcome.TimedOut, first.Outcome);
            var retry = exchange.QueryAsync(responder.EndPoint, "late.example", 1, TimeSpan.FromSeconds(3), CancellationToken.None);
            Assert.True(SpinWait.SpinUntil(() => { lock (queries) { return queries.Count == 3; } }, TimeSpan.FromSeconds(30)));
            var (from, firstQuery) = queries[1];
            responder.Send(WireBuilder.AnswerA(firstQuery, _ => IPAddress.Parse("192.0.2.7")), from);
            Assert.Equal(DnsUdpOutcome.TimedOut, (await retry).Outcome);
            responder.Send(WireBuilder.AnswerA(queries[0].Query, _ => IPAddress.Parse("192.0.2.8")), queries[0].From);
            Assert.Equal(DnsUdpOutcome.Answered, (await keep).Outcome);
            Assert.Equal(1, exchange.SocketsOpened); // all on one socket: the late answer reached the retry's socket
        }

        [Theory]
        [InlineData("127.0.0.1", 53, "127.0.0.1", 53, true)]
        [InlineData("127.0.0.1", 53, "127.0.0.1", 5353, false)]
        [InlineData("127.0.0.1", 53, "127.0.0.2", 53, false)]
        [InlineData("2001:db8::53", 53, "2001:db8::53", 53, true)]
        [InlineData("2001:db8::53", 53, "2001:db8::54", 53, false)]
        [InlineData("2001:db8::53", 53, "2001:db8::53", 54, false)]
        [InlineData("2001:db8::53", 53, "192.0.2.53", 53, false)]
        public void The_source_of_an_answer_must_be_the_server_asked(string from, int fromPort, string server, int serverPort, bool expected)
        {
            // No traffic: the address a datagram came from, as the runtime hands it over, against the server (IPv6 included,
            // which the loopback tests cannot send).
            var received = new IPEndPoint(IPAddress.Parse(from), fromPort).Serialize();
            Assert.Equal(expected, DnsUdpExchange.IsFrom(received, new IPEndPoint(IPAddress.Parse(server), serverPort)));
        }

        [Fact]
        public async Task Cancellation_ends_a_pending_query_at_once()
        {
            using var responder = new UdpResponder(_ => null);
            var exchange = new DnsUdpExchange();
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            var started = DateTime.UtcNow;
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => exchange.QueryAsync(responder.EndPoint, "never.example", 1, TimeSpan.FromSeconds(30), cts.Token));
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
        }

        /// <summary>Each record as its type, owner, initial TTL, class, type and data (the TTL DnsClient prints counts down).</summary>
        private static string[] Describe(IEnumerable<DnsResourceRecord> records)
            => records.Where(r => !(r is DnsClient.Protocol.Options.OptRecord))
                .Select(r =>
                {
                    var printed = r.ToString().Split(new[] { ' ' }, 3);
                    return $"{r.GetType().Name} {r.DomainName.Original} {r.InitialTimeToLive} {r.RawDataLength} {printed[0]} {printed[2]}";
                })
                .ToArray();

        /// <summary>Composes DNS messages octet by octet for these tests.</summary>
        private sealed class WireBuilder
        {
            private readonly List<byte> _message = new List<byte>();
            private readonly Dictionary<string, int> _names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            private int _answers;
            private int _authorities;

            public static byte[] Response(ushort id, string question, ushort type, int rcode, bool ad, Action<WireBuilder> build)
            {
                var b = new WireBuilder();
                b._message.AddRange(new byte[12]);
                b._message.AddRange(b.Name(question));
                b._message.AddRange(b.U16(type));
                b._message.AddRange(b.U16(1));
                b._names[question] = 12;
                build(b);
                var m = b._message.ToArray();
                m[0] = (byte)(id >> 8);
                m[1] = (byte)id;
                m[2] = 0x81; // QR, RD
                m[3] = (byte)(0x80 | (ad ? 0x20 : 0) | rcode); // RA, AD
                m[5] = 1;
                m[7] = (byte)b._answers;
                m[9] = (byte)b._authorities;
                return m;
            }

            public static ushort IdOf(byte[] query) => (ushort)((query[0] << 8) | query[1]);

            public static string QuestionName(byte[] query)
            {
                var parts = new List<string>();
                var i = 12;
                while (query[i] != 0)
                {
                    parts.Add(Encoding.ASCII.GetString(query, i + 1, query[i]));
                    i += query[i] + 1;
                }

                return string.Join(".", parts);
            }

            public static byte[] WithIdOf(byte[] query, byte[] response)
            {
                var copy = (byte[])response.Clone();
                copy[0] = query[0];
                copy[1] = query[1];
                return copy;
            }

            public static byte[] AnswerA(byte[] query, Func<string, IPAddress> address)
            {
                var name = QuestionName(query);
                return Response(IdOf(query), name, 1, rcode: 0, ad: false, build: b => b.Answer(name, 1, 60, address(name).GetAddressBytes()));
            }

            public void Answer(string owner, ushort type, uint ttl, byte[] data, int rdLengthDelta = 0)
            {
                Record(owner, type, ttl, data, rdLengthDelta);
                _answers++;
            }

            /// <summary>A CNAME whose target is a compression pointer to itself (a loop).</summary>
            public void SelfPointingCname(string owner)
            {
                var at = _message.Count + Name(owner).Length + 10;
                Answer(owner, 5, 60, new[] { (byte)(0xC0 | (at >> 8)), (byte)at });
            }

            public void Authority(string owner, ushort type, uint ttl, byte[] data)
            {
                Record(owner, type, ttl, data, 0);
                _authorities++;
            }

            /// <summary>A name, compressed against earlier full names where <paramref name="compress"/> (RFC 1035 §4.1.4).</summary>
            public byte[] Name(string name, bool compress = true)
            {
                if (compress && _names.TryGetValue(name, out var at))
                {
                    return new[] { (byte)(0xC0 | (at >> 8)), (byte)at };
                }

                var bytes = new List<byte>();
                foreach (var label in name.Split('.'))
                {
                    bytes.Add((byte)label.Length);
                    bytes.AddRange(Encoding.ASCII.GetBytes(label));
                }

                bytes.Add(0);
                return bytes.ToArray();
            }

            public byte[] U16(int v) => new[] { (byte)(v >> 8), (byte)v };

            public byte[] U32(uint v) => new[] { (byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v };

            public byte[] Strings(params string[] values)
                => values.SelectMany(v => { var b = Encoding.UTF8.GetBytes(v); return new[] { (byte)b.Length }.Concat(b); }).ToArray();

            private void Record(string owner, ushort type, uint ttl, byte[] data, int rdLengthDelta)
            {
                var ownerBytes = Name(owner);
                if (!_names.ContainsKey(owner) && ownerBytes[0] < 0xC0)
                {
                    _names[owner] = _message.Count;
                }

                _message.AddRange(ownerBytes);
                _message.AddRange(U16(type));
                _message.AddRange(U16(1));
                _message.AddRange(U32(ttl));
                _message.AddRange(U16(data.Length + rdLengthDelta));
                _message.AddRange(data);
            }
        }
    }
}
