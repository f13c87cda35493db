using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using MailSecurity.Dns;
using MailSecurity.Tests.Spf;
using MailSecurity.TestPeers;
using MailSecurity.TestPeers.Dns;
using Xunit;

namespace MailSecurity.Tests.TestPeers
{
    /// <summary>The in-memory DNS server behaves as the tests that use it assume, seen through the real DNS layer.</summary>
    public class InMemoryDnsServerTests
    {
        private static DnsZone Zone() => new DnsZone()
            .AddA("host.example", "192.0.2.1")
            .AddAaaa("host.example", "2001:db8::1")
            .AddTxt("host.example", "part one ", "part two")
            .AddMx("example", 10, "host.example")
            .AddCname("alias.example", "host.example")
            .AddA("deep.sub.example", "192.0.2.2")
            .AddTimeout("slow.example");

        private static async Task<DnsAnswer> AskAsync(string name, QueryType type, DnsServerBehavior? behavior = null, DnsZone? zone = null, double timeoutSeconds = 1)
        {
            await using var dns = new SpfTestDns(zone ?? Zone(), behavior, timeoutSeconds);
            return await dns.Resolver.QueryAsync(name, type);
        }

        [Fact]
        public async Task Serves_records_joins_nothing_and_follows_cnames()
        {
            var txt = await AskAsync("host.example", QueryType.TXT);
            Assert.Equal(DnsLookupStatus.Success, txt.Status);
            Assert.Equal(new[] { "part one part two" }, txt.TxtStrings);
            var viaAlias = await AskAsync("ALIAS.example", QueryType.A);
            Assert.Equal("192.0.2.1", viaAlias.RecordsOf<ARecord>().Single().Address.ToString());
            Assert.Equal("host.example", viaAlias.CanonicalName);
            var mx = await AskAsync("example", QueryType.MX);
            Assert.Equal((ushort)10, mx.RecordsOf<MxRecord>().Single().Preference);
        }

        [Fact]
        public async Task Tells_nxdomain_from_nodata_including_empty_non_terminals()
        {
            Assert.Equal(DnsLookupStatus.NxDomain, (await AskAsync("nothing.example", QueryType.A)).Status);
            Assert.Equal(DnsLookupStatus.NoData, (await AskAsync("host.example", QueryType.MX)).Status);
            Assert.Equal(DnsLookupStatus.NoData, (await AskAsync("sub.example", QueryType.A)).Status);
        }

        [Theory]
        [InlineData("servfail", DnsLookupStatus.ServerFailure)]
        [InlineData("refused", DnsLookupStatus.Refused)]
        [InlineData("malformed", DnsLookupStatus.MalformedResponse)]
        [InlineData("timeout", DnsLookupStatus.Timeout)]
        [InlineData("wrong-id", DnsLookupStatus.MalformedResponse)]
        public async Task Hostile_switches_give_lookup_errors(string option, DnsLookupStatus expected)
        {
            var b = new DnsServerBehavior();
            Assert.True(b.TryApply(option + "=host.example"));
            // The server answers at once; the verdict must not depend on the answer beating a 1 s timer on a loaded
            // machine, so every case that expects an answer waits long enough (only "timeout" expects none).
            var answer = await AskAsync("host.example", QueryType.A, b, timeoutSeconds: expected == DnsLookupStatus.Timeout ? 1 : 15);
            Assert.True(answer.IsLookupError);
            if (expected != DnsLookupStatus.Timeout)
            {
                Assert.Equal(expected, answer.Status);
            }
        }

        [Fact]
        public async Task Timeout_names_never_answer()
        {
            var answer = await AskAsync("slow.example", QueryType.TXT);
            Assert.Equal(DnsLookupStatus.Timeout, answer.Status);
        }

        [Fact]
        public async Task Truncated_and_oversized_answers_are_completed_over_tcp()
        {
            var b = new DnsServerBehavior();
            b.TryApply("truncate=host.example");
            b.TryApply("oversize=example");
            await using var dns = new SpfTestDns(Zone(), b, timeoutSeconds: 3);
            var a = await dns.Resolver.QueryAsync("host.example", QueryType.A);
            Assert.Equal(DnsLookupStatus.Success, a.Status);
            var big = await dns.Resolver.QueryAsync("example", QueryType.MX);
            Assert.Equal(DnsLookupStatus.Success, big.Status);
            Assert.Contains(dns.Server.QueryLog, q => q.Name == "host.example" && q.Transport == "tcp");
            Assert.Contains(dns.Server.QueryLog, q => q.Name == "example" && q.Transport == "tcp");
        }

        [Fact]
        public async Task Loads_the_suite_zone_format_and_copies_spf_records_to_txt()
        {
            var path = Path.Combine(Path.GetTempPath(), $"zone-{Guid.NewGuid():N}.json");
            File.WriteAllText(path, "{\"a.example\": [{\"SPF\": \"v=spf1 -all\"}], \"b.example\": [{\"SPF\": \"v=spf1 +all\"}, {\"TXT\": \"NONE\"}], \"c.example\": [{\"MX\": [0, \"\"]}, \"TIMEOUT\"]}");
            try
            {
                var zone = DnsZone.Load(path, spfAsTxt: true);
                await using var dns = new SpfTestDns(zone);
                Assert.Equal(new[] { "v=spf1 -all" }, (await dns.Resolver.QueryAsync("a.example", QueryType.TXT)).TxtStrings);
                Assert.Equal(DnsLookupStatus.NoData, (await dns.Resolver.QueryAsync("b.example", QueryType.TXT)).Status);
                Assert.Equal(DnsLookupStatus.Success, (await dns.Resolver.QueryAsync("c.example", QueryType.MX)).Status);
                Assert.Equal(DnsLookupStatus.Timeout, (await dns.Resolver.QueryAsync("c.example", QueryType.A)).Status);
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public async Task The_blackhole_peer_reads_and_never_answers()
        {
            using var stop = new CancellationTokenSource();
            const int port = 5399;
            var peer = PeerRegistry.RunAsync("dns-blackhole", "127.0.0.1", port, Array.Empty<string>(), stop.Token);
            await Task.Delay(200);
            var options = new DnsResolverOptions { Timeout = TimeSpan.FromSeconds(1), DetectBogus = false };
            options.Servers.Add(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port));
            var answer = await new DnsResolver(options).QueryAsync("example.com", QueryType.A);
            Assert.Equal(DnsLookupStatus.Timeout, answer.Status);
            stop.Cancel();
            await peer;
        }
    }
}
