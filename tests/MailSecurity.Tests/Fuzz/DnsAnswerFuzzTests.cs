using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using CsCheck;
using MailSecurity.Dns;
using MailSecurity.MailAuth;
using MailSecurity.Tests.Dns;
using MailSecurity.TestPeers.Dns;
using Xunit;

namespace MailSecurity.Tests.Fuzz
{
    /// <summary>
    /// DNS answer handling, fuzzed end to end: a UDP responder on 127.0.0.1 answers every query of a real
    /// <see cref="DnsResolver"/> with a well-formed answer (records from <see cref="SeedCorpus"/>, mutated as text) whose
    /// bytes are then mutated (flipped, truncated, grown, IDs and counts broken), and <see cref="MailAuthCollector"/> (the
    /// core of Get-MailAuthRecords: MX, SPF tree, DMARC walk, DKIM, MTA-STS, TLS-RPT, BIMI) must return a report with
    /// bounded findings and never throw.
    /// </summary>
    [Trait("Category", "Fuzz")]
    public sealed class DnsAnswerFuzzTests : IDisposable
    {
        private readonly UdpResponder _responder;
        private volatile Script _script = new(0, Array.Empty<(int, int, int, int)>(), Array.Empty<(int, int, int)>());

        public DnsAnswerFuzzTests() => _responder = new UdpResponder(Respond);

        /// <summary>How one iteration answers: which seed record, how its text is mutated, how the packet bytes are.</summary>
        private sealed record Script(int Seed, (int, int, int, int)[] TextSteps, (int Op, int A, int B)[] ByteSteps);

        [Fact]
        public void Mutated_answers_through_the_dns_layer_and_every_record_lookup()
        {
            var gen = Gen.Select(Gen.Int[0, 10_000], Gen.Select(Gen.Int[0, 11], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue]).Array[0, 3],
                Gen.Select(Gen.Int[0, 5], Gen.Int[0, int.MaxValue], Gen.Int[0, 255]).Array[0, 4]);
            var endpoint = _responder.EndPoint;
            FuzzRun.CheckAsync("DnsAnswers", gen, async t =>
            {
                _script = new Script(t.Item1, t.Item2, t.Item3);
                var options = new DnsResolverOptions { Timeout = TimeSpan.FromMilliseconds(150), Attempts = 1, DetectBogus = false };
                options.Servers.Add(endpoint);
                var collector = new MailAuthCollector(new DnsResolver(options));
                var report = await collector.CollectAsync("fuzz.example", new[] { "s1" });
                Invariants.Findings(report);
            }, t => $"seed record {t.Item1}, text steps [{string.Join(" ", t.Item2)}], byte steps [{string.Join(" ", t.Item3)}]", iterations: 40);
        }

        public void Dispose() => _responder.Dispose();

        /// <summary>A well-formed answer to the query, then mutated; null (no answer) when the query does not parse or nothing is left.</summary>
        private byte[]? Respond(byte[] request)
        {
            var query = DnsWire.ParseQuery(request, request.Length);
            if (query is null)
            {
                return null;
            }

            var script = _script;
            return Mutate(DnsWire.BuildResponse(query, DnsWire.RcodeNoError, Answers(query, script), Array.Empty<(string, ZoneRecord)>(), false), script.ByteSteps);
        }

        private static IReadOnlyList<(string, ZoneRecord)> Answers(DnsQuery query, Script script)
        {
            var name = query.Name.TrimEnd('.');
            ZoneRecord? record = query.Type switch
            {
                (ushort)ZoneRecordType.TXT => new ZoneRecord(ZoneRecordType.TXT, strings: new[] { Text(name, script) }),
                (ushort)ZoneRecordType.MX => new ZoneRecord(ZoneRecordType.MX, "mx" + (script.Seed % 3) + ".fuzz.example", preference: (ushort)(script.Seed % 20)),
                (ushort)ZoneRecordType.A => new ZoneRecord(ZoneRecordType.A, "192.0.2." + (script.Seed % 250)),
                (ushort)ZoneRecordType.AAAA => new ZoneRecord(ZoneRecordType.AAAA, "2001:db8::" + (script.Seed % 9999).ToString("x", System.Globalization.CultureInfo.InvariantCulture)),
                (ushort)ZoneRecordType.PTR => new ZoneRecord(ZoneRecordType.PTR, "ptr.fuzz.example"),
                (ushort)ZoneRecordType.CNAME => new ZoneRecord(ZoneRecordType.CNAME, "alias.fuzz.example"),
                _ => null,
            };
            return record is null ? Array.Empty<(string, ZoneRecord)>() : new[] { (name, record) };
        }

        /// <summary>A record of the kind the name asks for (by its _dmarc, _domainkey, ... label), its text mutated.</summary>
        private static string Text(string name, Script script)
        {
            var seeds = name.StartsWith("_dmarc.", StringComparison.OrdinalIgnoreCase) ? SeedCorpus.Dmarc
                : name.Contains("._domainkey.", StringComparison.OrdinalIgnoreCase) ? SeedCorpus.Dkim
                : name.StartsWith("_mta-sts.", StringComparison.OrdinalIgnoreCase) ? SeedCorpus.MtaStsTxt
                : name.StartsWith("_smtp._tls.", StringComparison.OrdinalIgnoreCase) ? SeedCorpus.TlsRpt
                : name.Contains("._bimi.", StringComparison.OrdinalIgnoreCase) ? SeedCorpus.Bimi
                : SeedCorpus.Spf;
            var text = Mutants.Apply(seeds[script.Seed % seeds.Count], seeds[(script.Seed / 7) % seeds.Count], script.TextSteps);
            // A TXT RRset travels in one UDP answer here; keep it within a DNS message.
            return text.Length > 8000 ? text.Substring(0, 8000) : text;
        }

        private static byte[] Mutate(byte[] packet, (int Op, int A, int B)[] steps)
        {
            var bytes = new List<byte>(packet);
            foreach (var (op, a, b) in steps)
            {
                var pos = bytes.Count == 0 ? 0 : a % bytes.Count;
                switch (op)
                {
                    case 0 when bytes.Count > 0: // flip one byte (header counts and flags included)
                        bytes[pos] ^= (byte)(b == 0 ? 0xFF : b);
                        break;
                    case 1: // truncate
                        bytes.RemoveRange(pos, bytes.Count - pos);
                        break;
                    case 2: // insert bytes
                        bytes.InsertRange(pos, Enumerable.Repeat((byte)b, 1 + (a % 40)));
                        break;
                    case 3 when bytes.Count > 12: // a compression pointer to anywhere, loops included
                        bytes[Math.Max(12, pos)] = 0xC0;
                        if (Math.Max(12, pos) + 1 < bytes.Count)
                        {
                            bytes[Math.Max(12, pos) + 1] = (byte)b;
                        }

                        break;
                    case 4 when bytes.Count > 12: // answer count set high
                        bytes[6] = (byte)b;
                        bytes[7] = (byte)(a & 0xFF);
                        break;
                    default: // delete a byte
                        if (bytes.Count > 0)
                        {
                            bytes.RemoveAt(pos);
                        }

                        break;
                }
            }

            return bytes.ToArray();
        }
    }
}
