using System;
using System.Linq;
using System.Threading.Tasks;
using MailSecurity.Spf;
using MailSecurity.TestPeers.Dns;
using Xunit;

namespace MailSecurity.Tests.Spf
{
    public class SpfPolicyAnalyzerTests
    {
        private static async Task<SpfPolicy> AnalyzeAsync(DnsZone zone, string domain, DnsServerBehavior? behavior = null)
        {
            await using var dns = new SpfTestDns(zone, behavior);
            return await new SpfPolicyAnalyzer(dns.Resolver).AnalyzeAsync(domain);
        }

        private static bool Has(SpfPolicy p, string code) => p.Findings.Any(f => f.Code == code);

        [Fact]
        public async Task A_valid_policy_has_its_tree_and_counts()
        {
            var zone = new DnsZone()
                .AddTxt("example.com", "v=spf1 mx include:_spf.a.example include:_spf.b.example -all")
                .AddMx("example.com", 10, "mx.example.com")
                .AddTxt("_spf.a.example", "v=spf1 ip4:192.0.2.0/24 include:_inner.a.example -all")
                .AddTxt("_inner.a.example", "v=spf1 a:relay.a.example -all")
                .AddA("relay.a.example", "192.0.2.5")
                .AddTxt("_spf.b.example", "v=spf1 ip6:2001:db8::/48 -all");
            var p = await AnalyzeAsync(zone, "Example.COM.");
            Assert.Equal(SpfVerdict.Valid, p.Verdict);
            Assert.Equal("example.com", p.Domain);
            Assert.Equal("-all", p.AllMechanism);
            // root: mx + 2 includes = 3; _spf.a: include = 1; _inner.a: a = 1; _spf.b: 0.
            Assert.Equal(5, p.DnsLookupCount);
            Assert.Equal(0, p.VoidLookupCount);
            // Flat, depth first in record order: the root, _spf.a with what it includes, then _spf.b.
            var tree = p.Tree;
            Assert.Equal(new[] { "example.com", "_spf.a.example", "_inner.a.example", "_spf.b.example" }, tree.Select(n => n.Domain));
            Assert.Equal(new[] { 0, 1, 2, 1 }, tree.Select(n => n.Depth));
            Assert.Equal(new[] { null, "example.com", "_spf.a.example", "example.com" }, tree.Select(n => n.Parent));
            Assert.Equal("include:_spf.a.example", tree[1].Via);
            Assert.DoesNotContain(p.Findings, f => f.Severity >= Severity.Warning);
        }

        [Fact]
        public async Task No_record_is_none_with_a_finding_and_nxdomain_too()
        {
            var zone = new DnsZone().AddTxt("example.com", "some other text");
            var p = await AnalyzeAsync(zone, "example.com");
            Assert.Equal(SpfVerdict.None, p.Verdict);
            Assert.True(Has(p, "Spf.NoRecord"));
            var nx = await AnalyzeAsync(zone, "nx.example");
            Assert.Equal(SpfVerdict.None, nx.Verdict);
            Assert.True(Has(nx, "Spf.DomainNotUsable"));
        }

        [Fact]
        public async Task A_failed_lookup_is_temperror_never_no_record()
        {
            var b = new DnsServerBehavior();
            b.TryApply("servfail=example.com");
            var p = await AnalyzeAsync(new DnsZone().AddTxt("example.com", "v=spf1 -all"), "example.com", b);
            Assert.Equal(SpfVerdict.TempError, p.Verdict);
            Assert.True(Has(p, "Spf.LookupFailed"));
            Assert.False(Has(p, "Spf.NoRecord"));
        }

        [Fact]
        public async Task A_failed_lookup_in_the_tree_is_temperror()
        {
            var b = new DnsServerBehavior();
            b.TryApply("timeout=_spf.provider.example");
            var zone = new DnsZone().AddTxt("example.com", "v=spf1 include:_spf.provider.example -all");
            var p = await AnalyzeAsync(zone, "example.com", b);
            Assert.Equal(SpfVerdict.TempError, p.Verdict);
            Assert.Equal(SpfVerdict.TempError, p.Tree.Single(n => n.Depth == 1).Status);
            Assert.False(Has(p, "Spf.IncludeNoRecord"));
        }

        [Fact]
        public async Task Several_records_are_permerror_and_all_are_returned()
        {
            var zone = new DnsZone().AddTxt("example.com", "v=spf1 -all").AddTxt("example.com", "v=spf1 mx -all");
            var p = await AnalyzeAsync(zone, "example.com");
            Assert.Equal(SpfVerdict.PermError, p.Verdict);
            Assert.Equal(2, p.Records.Count);
            Assert.True(Has(p, "Spf.MultipleRecords"));
        }

        [Fact]
        public async Task An_invalid_record_is_returned_raw_with_its_errors()
        {
            var p = await AnalyzeAsync(new DnsZone().AddTxt("example.com", "v=spf1 ip4:192.0.2 -all"), "example.com");
            Assert.Equal(SpfVerdict.PermError, p.Verdict);
            Assert.Equal("v=spf1 ip4:192.0.2 -all", p.Record);
            Assert.True(Has(p, "Spf.SyntaxError"));
        }

        [Fact]
        public async Task More_than_ten_lookup_terms_across_the_tree_is_permerror()
        {
            var zone = new DnsZone().AddTxt("example.com", "v=spf1 " + string.Join(" ", Enumerable.Range(0, 6).Select(i => $"include:p{i}.example")) + " -all");
            for (var i = 0; i < 6; i++)
            {
                zone.AddTxt($"p{i}.example", "v=spf1 a:h.example -all");
            }

            zone.AddA("h.example", "192.0.2.1");
            var p = await AnalyzeAsync(zone, "example.com");
            Assert.Equal(12, p.DnsLookupCount);
            Assert.Equal(SpfVerdict.PermError, p.Verdict);
            Assert.True(Has(p, "Spf.TooManyLookups"));
        }

        [Fact]
        public async Task Void_lookups_loops_missing_includes_and_big_mx_sets_are_found()
        {
            var zone = new DnsZone()
                .AddTxt("voids.example", "v=spf1 a:nx1.example a:nx2.example exists:nx3.example -all")
                .AddTxt("loop.example", "v=spf1 include:loop2.example -all")
                .AddTxt("loop2.example", "v=spf1 include:loop.example -all")
                .AddTxt("missing.example", "v=spf1 include:nothing.example -all")
                .AddTxt("redir.example", "v=spf1 redirect=nothing.example")
                .AddTxt("mx.example", "v=spf1 mx -all");
            for (ushort i = 0; i < 11; i++)
            {
                zone.AddMx("mx.example", i, $"m{i}.mx.example");
            }

            var voids = await AnalyzeAsync(zone, "voids.example");
            Assert.Equal(3, voids.VoidLookupCount);
            Assert.True(Has(voids, "Spf.TooManyVoidLookups"));
            Assert.Equal(SpfVerdict.PermError, voids.Verdict);
            var loop = await AnalyzeAsync(zone, "loop.example");
            Assert.True(Has(loop, "Spf.IncludeLoop"));
            Assert.Equal(SpfVerdict.PermError, loop.Verdict);
            Assert.True(Has(await AnalyzeAsync(zone, "missing.example"), "Spf.IncludeNoRecord"));
            Assert.True(Has(await AnalyzeAsync(zone, "redir.example"), "Spf.RedirectNoRecord"));
            Assert.True(Has(await AnalyzeAsync(zone, "mx.example"), "Spf.MxTooManyNames"));
        }

        [Theory]
        [InlineData("v=spf1 +all", "Spf.PassAll", Severity.Critical)]
        [InlineData("v=spf1 a ?all", "Spf.NeutralAll", Severity.Warning)]
        [InlineData("v=spf1 a ~all", "Spf.SoftFailAll", Severity.Info)]
        [InlineData("v=spf1 ip4:192.0.2.1", "Spf.NoAll", Severity.Warning)]
        [InlineData("v=spf1 ptr -all", "Spf.PtrUsed", Severity.Warning)]
        [InlineData("v=spf1 exists:%{p}.x.example -all", "Spf.PtrUsed", Severity.Warning)]
        [InlineData("v=spf1 ip4:10.0.0.0/15 -all", "Spf.BroadIp4Range", Severity.Warning)]
        [InlineData("v=spf1 ip4:0.0.0.0/1 -all", "Spf.BroadIp4Range", Severity.Error)]
        [InlineData("v=spf1 ip6:2000::/3 -all", "Spf.BroadIp6Range", Severity.Error)]
        [InlineData("v=spf1 -all a", "Spf.TermsAfterAll", Severity.Warning)]
        [InlineData("v=spf1 -all redirect=x.example", "Spf.RedirectIgnored", Severity.Warning)]
        [InlineData("v=spf1 foo=bar -all", "Spf.UnknownModifier", Severity.Info)]
        [InlineData("v=spf1 include:%{d}.x.example -all", "Spf.MacroTarget", Severity.Info)]
        [InlineData("v=spf1 include:inc.example -all", "Spf.PassAll", Severity.Critical)] // +all inside an include
        public async Task Publishing_advice(string record, string code, Severity severity)
        {
            var zone = new DnsZone().AddTxt("example.com", record).AddA("example.com", "192.0.2.1").AddTxt("inc.example", "v=spf1 +all");
            var p = await AnalyzeAsync(zone, "example.com");
            var f = Assert.Single(p.Findings, x => x.Code == code);
            Assert.Equal(severity, f.Severity);
        }

        [Fact]
        public async Task A_record_over_450_characters_is_too_long()
        {
            var record = "v=spf1 " + string.Join(" ", Enumerable.Range(0, 40).Select(i => $"ip4:192.0.2.{i}")) + " -all";
            Assert.True(record.Length > 450);
            var p = await AnalyzeAsync(new DnsZone().AddTxt("example.com", record), "example.com");
            Assert.True(Has(p, "Spf.RecordTooLong"));
            Assert.Equal(SpfVerdict.Valid, p.Verdict);
        }

        [Fact]
        public async Task A_50_deep_chain_is_followed_breadth_first_and_reported()
        {
            var zone = new DnsZone();
            for (var i = 0; i < 50; i++)
            {
                zone.AddTxt($"d{i}.example", $"v=spf1 include:d{i + 1}.example -all");
            }

            zone.AddTxt("d50.example", "v=spf1 -all");
            var p = await AnalyzeAsync(zone, "d0.example");
            Assert.Equal(SpfVerdict.PermError, p.Verdict);
            Assert.True(Has(p, "Spf.TooManyLookups"));
            Assert.True(p.DnsLookupCount > 10);
            // The tree is cut off before d50: the count is a lower bound (50 includes exist), and the message says so.
            Assert.True(p.DnsLookupCount < 50);
            Assert.Contains("at least", p.Findings.Single(f => f.Code == "Spf.TooManyLookups").Message);
        }

        [Fact]
        public async Task A_fully_followed_tree_states_its_exact_lookup_count()
        {
            var zone = new DnsZone();
            for (var i = 0; i < 11; i++)
            {
                zone.AddTxt($"d{i}.example", $"v=spf1 include:d{i + 1}.example -all");
            }

            zone.AddTxt("d11.example", "v=spf1 -all");
            var p = await AnalyzeAsync(zone, "d0.example");
            Assert.Equal(11, p.DnsLookupCount);
            var message = p.Findings.Single(f => f.Code == "Spf.TooManyLookups").Message;
            Assert.Contains("has 11 DNS-querying terms", message);
            Assert.DoesNotContain("at least", message);
        }

        [Fact]
        public async Task A_thousand_domains_sharing_providers_query_each_distinct_name_once()
        {
            var zone = new DnsZone()
                .AddTxt("_spf.big.example", "v=spf1 include:_netblocks.big.example a:relay.big.example ~all")
                .AddTxt("_netblocks.big.example", "v=spf1 ip4:203.0.113.0/24 ip6:2001:db8::/32 ~all")
                .AddA("relay.big.example", "203.0.113.9")
                .AddTxt("_spf.small.example", "v=spf1 mx -all")
                .AddMx("_spf.small.example", 10, "mx.small.example");
            for (var i = 0; i < 1000; i++)
            {
                zone.AddTxt($"d{i}.example", "v=spf1 include:_spf.big.example include:_spf.small.example -all");
            }

            await using var dns = new SpfTestDns(zone, timeoutSeconds: 10);
            var analyzer = new SpfPolicyAnalyzer(dns.Resolver);
            // Throttled like the cmdlets (-ThrottleLimit 16): a thousand at once on a loaded machine would only test UDP retransmission.
            using var throttle = new System.Threading.SemaphoreSlim(16);
            var policies = await Task.WhenAll(Enumerable.Range(0, 1000).Select(async i =>
            {
                await throttle.WaitAsync();
                try
                {
                    return await analyzer.AnalyzeAsync($"d{i}.example");
                }
                finally
                {
                    throttle.Release();
                }
            }));
            Assert.All(policies, p => Assert.Equal(SpfVerdict.Valid, p.Verdict));
            var log = dns.Server.QueryLog;
            var distinct = log.Select(q => (q.Name, q.Type)).Distinct().Count();
            Assert.Equal(distinct, log.Count); // no question asked twice
            Assert.Equal(1, log.Count(q => q.Name == "_spf.big.example"));
            Assert.Equal(1000 + 2 + 1 + 2 + 1, log.Count); // 1000 roots; 2 provider TXT; inner TXT; relay A+AAAA; MX
        }
    }
}
