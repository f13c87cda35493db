using System;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading.Tasks;
using MailSecurity.Spf;
using MailSecurity.TestPeers.Dns;
using Xunit;

namespace MailSecurity.Tests.Spf
{
    public class SpfEvaluatorTests
    {
        private static readonly IPAddress Client = IPAddress.Parse("192.0.2.10");

        private static async Task<SpfCheckResult> CheckAsync(DnsZone zone, string domain, string ip = "192.0.2.10", DnsServerBehavior? behavior = null, SpfEvaluatorOptions? options = null, string? sender = null)
        {
            await using var dns = new SpfTestDns(zone, behavior);
            return await new SpfEvaluator(dns.Resolver, options).CheckHostAsync(IPAddress.Parse(ip), domain, sender);
        }

        [Fact]
        public async Task Pass_names_the_matching_mechanism_and_counts_lookups()
        {
            var zone = new DnsZone()
                .AddTxt("example.com", "v=spf1 a mx include:_spf.example.net -all")
                .AddA("example.com", "198.51.100.1")
                .AddMx("example.com", 10, "mx.example.com")
                .AddA("mx.example.com", "198.51.100.2")
                .AddTxt("_spf.example.net", "v=spf1 ip4:192.0.2.0/24 -all");
            var r = await CheckAsync(zone, "example.com");
            Assert.Equal(SpfResult.Pass, r.Result);
            Assert.Equal("include:_spf.example.net", r.MatchedMechanism);
            Assert.Equal("example.com", r.MatchedDomain);
            Assert.Equal(3, r.DnsLookupCount); // a, mx, include (RFC 7208 §4.6.4)
            Assert.Equal(0, r.VoidLookupCount);
            Assert.Equal("v=spf1 a mx include:_spf.example.net -all", r.Record);
            Assert.Contains(r.Trace, t => t.Depth == 1 && t.Domain == "_spf.example.net" && t.Message.StartsWith("match: 192.0.2.10 is in 192.0.2.0/24", StringComparison.Ordinal));
            Assert.Empty(r.Findings);
        }

        [Theory]
        [InlineData("v=spf1 ip4:192.0.2.10 -all", SpfResult.Pass)]
        [InlineData("v=spf1 -ip4:192.0.2.0/24 +all", SpfResult.Fail)]
        [InlineData("v=spf1 ~all", SpfResult.SoftFail)]
        [InlineData("v=spf1 ?all", SpfResult.Neutral)]
        [InlineData("v=spf1 ip4:198.51.100.1", SpfResult.Neutral)] // §4.7 default
        [InlineData("v=spf1 ip6:::/0 -all", SpfResult.Fail)] // an IPv4 client never matches ip6
        [InlineData("v=spf1 all -all", SpfResult.Pass)] // the first match wins
        [InlineData("v=spf1 -all redirect=other.example", SpfResult.Fail)] // all ends evaluation; redirect unused
        [InlineData("v=spf1 redirect=other.example", SpfResult.SoftFail)]
        [InlineData("v=spf1 include:other.example -all", SpfResult.Fail)] // softfail inside an include is no match
        [InlineData("v=spf1 include:missing.example -all", SpfResult.PermError)] // include of none is permerror (§5.2)
        [InlineData("v=spf1 redirect=missing.example", SpfResult.PermError)] // redirect to none is permerror (§6.1)
        [InlineData("v=spf1 ip4:192.0.2.10 -all moo", SpfResult.PermError)] // syntax errors anywhere (§4.6)
        public async Task Results_follow_RFC_7208(string record, SpfResult expected)
        {
            var zone = new DnsZone().AddTxt("example.com", record).AddTxt("other.example", "v=spf1 ~all").AddTxt("missing.example", "not spf");
            var r = await CheckAsync(zone, "example.com");
            Assert.Equal(expected, r.Result);
        }

        [Fact]
        public async Task Redirect_reports_the_target_as_matched_domain_and_uses_its_exp_only()
        {
            var zone = new DnsZone()
                .AddTxt("example.com", "v=spf1 exp=own.example.com redirect=target.example")
                .AddTxt("own.example.com", "not used")
                .AddTxt("target.example", "v=spf1 -all exp=why.target.example")
                .AddTxt("why.target.example", "%{i} rejected by %{d}; sender %{s}");
            var r = await CheckAsync(zone, "example.com", sender: "@example.com");
            Assert.Equal(SpfResult.Fail, r.Result);
            Assert.Equal("target.example", r.MatchedDomain);
            Assert.Equal("192.0.2.10 rejected by target.example; sender postmaster@example.com", r.Explanation);
            Assert.Equal("postmaster@example.com", r.Sender);
        }

        [Fact]
        public async Task IPv4_mapped_addresses_are_evaluated_as_IPv4()
        {
            var zone = new DnsZone().AddTxt("example.com", "v=spf1 -ip4:192.0.2.10 ip6:::ffff:0:0/96");
            var r = await CheckAsync(zone, "example.com", "::ffff:192.0.2.10");
            Assert.Equal(SpfResult.Fail, r.Result);
            Assert.Equal("192.0.2.10", r.IPAddress);
        }

        [Fact]
        public async Task Mx_does_not_fall_back_to_the_domains_own_address()
        {
            var zone = new DnsZone().AddTxt("example.com", "v=spf1 mx").AddA("example.com", "192.0.2.10");
            var r = await CheckAsync(zone, "example.com");
            Assert.Equal(SpfResult.Neutral, r.Result);
            Assert.Equal(1, r.VoidLookupCount);
        }

        [Fact]
        public async Task More_than_ten_MX_records_is_permerror()
        {
            var zone = new DnsZone().AddTxt("example.com", "v=spf1 mx -all");
            for (ushort i = 0; i < 11; i++)
            {
                zone.AddMx("example.com", i, $"mx{i}.example.com").AddA($"mx{i}.example.com", "192.0.2." + (20 + i));
            }

            var r = await CheckAsync(zone, "example.com", "192.0.2.30");
            Assert.Equal(SpfResult.PermError, r.Result);
            Assert.Contains(r.Findings, f => f.Code == "Spf.MxTooManyNames");
        }

        [Fact]
        public async Task Include_loop_ends_in_permerror_at_the_lookup_limit()
        {
            var zone = new DnsZone().AddTxt("a.example", "v=spf1 include:b.example -all").AddTxt("b.example", "v=spf1 include:a.example -all");
            var r = await CheckAsync(zone, "a.example");
            Assert.Equal(SpfResult.PermError, r.Result);
            Assert.Equal(10, r.DnsLookupCount);
            Assert.Contains(r.Findings, f => f.Code == "Spf.TooManyLookups");
        }

        [Fact]
        public async Task A_50_deep_include_chain_stops_at_the_eleventh_lookup()
        {
            var zone = new DnsZone();
            for (var i = 0; i < 50; i++)
            {
                zone.AddTxt($"d{i}.example", $"v=spf1 include:d{i + 1}.example -all");
            }

            zone.AddTxt("d50.example", "v=spf1 +all");
            var r = await CheckAsync(zone, "d0.example");
            Assert.Equal(SpfResult.PermError, r.Result);
            Assert.Contains(r.Findings, f => f.Code == "Spf.TooManyLookups");
            Assert.DoesNotContain(r.Trace, t => t.Domain == "d11.example"); // nothing past the limit is fetched
        }

        [Fact]
        public async Task Ten_lookups_are_allowed_and_the_eleventh_is_permerror()
        {
            var ten = "v=spf1 " + string.Join(" ", Enumerable.Repeat("a:host.example", 10)) + " ip4:192.0.2.10 -all";
            var eleven = "v=spf1 " + string.Join(" ", Enumerable.Repeat("a:host.example", 11)) + " ip4:192.0.2.10 -all";
            var zone = new DnsZone().AddTxt("ten.example", ten).AddTxt("eleven.example", eleven).AddA("host.example", "198.51.100.9");
            Assert.Equal(SpfResult.Pass, (await CheckAsync(zone, "ten.example")).Result);
            Assert.Equal(SpfResult.PermError, (await CheckAsync(zone, "eleven.example")).Result);
        }

        [Fact]
        public async Task Two_void_lookups_are_allowed_and_the_third_is_permerror()
        {
            var zone = new DnsZone()
                .AddTxt("two.example", "v=spf1 a:nx1.example exists:nx2.example ?all")
                .AddTxt("three.example", "v=spf1 a:nx1.example exists:nx2.example mx:nx3.example ?all");
            var two = await CheckAsync(zone, "two.example");
            Assert.Equal(SpfResult.Neutral, two.Result);
            Assert.Equal(2, two.VoidLookupCount);
            var three = await CheckAsync(zone, "three.example");
            Assert.Equal(SpfResult.PermError, three.Result);
            Assert.Contains(three.Findings, f => f.Code == "Spf.TooManyVoidLookups");
        }

        [Theory]
        [InlineData("servfail")]
        [InlineData("refused")]
        [InlineData("malformed")]
        [InlineData("timeout")]
        public async Task A_failed_TXT_lookup_is_temperror_never_none(string behaviour)
        {
            var b = new DnsServerBehavior();
            Assert.True(b.TryApply(behaviour + "=example.com"));
            var r = await CheckAsync(new DnsZone().AddTxt("example.com", "v=spf1 -all"), "example.com", behavior: b);
            Assert.Equal(SpfResult.TempError, r.Result);
            Assert.Contains(r.Findings, f => f.Code == "Spf.LookupFailed");
            Assert.DoesNotContain(r.Findings, f => f.Code == "Spf.NoRecord");
        }

        [Fact]
        public async Task A_failed_lookup_inside_an_include_is_temperror()
        {
            var b = new DnsServerBehavior();
            b.TryApply("servfail=_spf.provider.example");
            var zone = new DnsZone().AddTxt("example.com", "v=spf1 include:_spf.provider.example -all").AddTxt("_spf.provider.example", "v=spf1 +all");
            var r = await CheckAsync(zone, "example.com", behavior: b);
            Assert.Equal(SpfResult.TempError, r.Result);
        }

        [Fact]
        public async Task A_failed_address_lookup_in_a_mechanism_is_temperror()
        {
            var b = new DnsServerBehavior();
            b.TryApply("servfail=host.example");
            var zone = new DnsZone().AddTxt("example.com", "v=spf1 a:host.example -all");
            Assert.Equal(SpfResult.TempError, (await CheckAsync(zone, "example.com", behavior: b)).Result);
        }

        [Fact]
        public async Task Dns_errors_in_ptr_validation_mean_no_match()
        {
            var b = new DnsServerBehavior();
            b.TryApply("servfail=broken.example.com");
            var zone = new DnsZone()
                .AddTxt("example.com", "v=spf1 ptr -all")
                .AddPtr("10.2.0.192.in-addr.arpa", "broken.example.com")
                .AddPtr("10.2.0.192.in-addr.arpa", "good.example.com")
                .AddA("good.example.com", "192.0.2.10");
            var r = await CheckAsync(zone, "example.com", behavior: b);
            Assert.Equal(SpfResult.Pass, r.Result);
        }

        [Fact]
        public async Task No_record_nxdomain_and_several_records()
        {
            var zone = new DnsZone().AddTxt("none.example", "google-site-verification=x").AddTxt("two.example", "v=spf1 -all").AddTxt("two.example", "v=spf1 +all");
            Assert.Equal(SpfResult.None, (await CheckAsync(zone, "none.example")).Result);
            Assert.Equal(SpfResult.None, (await CheckAsync(zone, "nx.example")).Result);
            var two = await CheckAsync(zone, "two.example");
            Assert.Equal(SpfResult.PermError, two.Result);
            Assert.Contains(two.Findings, f => f.Code == "Spf.MultipleRecords");
        }

        [Fact]
        public async Task A_record_with_control_characters_is_permerror_with_a_syntax_finding()
        {
            var zone = new DnsZone().AddTxt("example.com", "v=spf1 a:mail.example.com\u0007 -all");
            var r = await CheckAsync(zone, "example.com");
            Assert.Equal(SpfResult.PermError, r.Result);
            var f = Assert.Single(r.Findings, x => x.Code == "Spf.SyntaxError");
            Assert.Contains("0x07", f.Message);
        }

        [Fact]
        public async Task A_10_KB_TXT_string_arrives_over_TCP_and_is_evaluated()
        {
            var sb = new StringBuilder("v=spf1");
            for (var i = 1; sb.Length < 10_000; i++)
            {
                sb.Append(" ip4:198.").Append(18 + (i / 250 % 2)).Append('.').Append(i % 250).Append(".0/24");
            }

            sb.Append(" ip4:192.0.2.10 -all");
            var zone = new DnsZone().AddTxt("big.example", sb.ToString());
            await using var dns = new SpfTestDns(zone);
            var r = await new SpfEvaluator(dns.Resolver).CheckHostAsync(Client, "big.example");
            Assert.Equal(SpfResult.Pass, r.Result);
            Assert.Equal("ip4:192.0.2.10", r.MatchedMechanism);
            Assert.Contains(dns.Server.QueryLog, q => q.Transport == "tcp");
        }

        [Theory]
        [InlineData("bücher.example")]
        [InlineData("xn--bcher-kva.example")]
        [InlineData("XN--BCHER-KVA.EXAMPLE.")]
        public async Task Non_ASCII_punycode_and_trailing_dot_domains_evaluate_the_same_record(string domain)
        {
            var zone = new DnsZone().AddTxt("xn--bcher-kva.example", "v=spf1 ip4:192.0.2.10 -all");
            var r = await CheckAsync(zone, domain);
            Assert.Equal(SpfResult.Pass, r.Result);
            Assert.Equal("xn--bcher-kva.example", r.Domain);
        }

        [Theory]
        [InlineData("[192.0.2.10]")]
        [InlineData("localhost")]
        [InlineData("a..example.com")]
        [InlineData("exa\u0001mple.com")]
        [InlineData("")]
        public async Task Unusable_domains_give_none_without_any_lookup(string domain)
        {
            await using var dns = new SpfTestDns(new DnsZone());
            var r = await new SpfEvaluator(dns.Resolver).CheckHostAsync(Client, domain);
            Assert.Equal(SpfResult.None, r.Result);
            Assert.Equal(0, dns.Server.QueryCount);
            Assert.Contains(r.Findings, f => f.Code == "Spf.DomainNotUsable");
        }

        [Fact]
        public async Task The_whole_evaluation_has_a_time_limit()
        {
            var zone = new DnsZone().AddTxt("example.com", "v=spf1 a:slow.example -all").AddTimeout("slow.example");
            await using var dns = new SpfTestDns(zone, timeoutSeconds: 10);
            var started = DateTime.UtcNow;
            var r = await new SpfEvaluator(dns.Resolver, new SpfEvaluatorOptions { EvaluationTimeout = TimeSpan.FromMilliseconds(500) }).CheckHostAsync(Client, "example.com");
            Assert.Equal(SpfResult.TempError, r.Result);
            Assert.Contains(r.Findings, f => f.Code == "Spf.EvaluationTimeout");
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        }

        [Fact]
        public async Task Exp_is_ignored_when_its_text_is_not_ASCII_and_only_used_for_fail()
        {
            var zone = new DnsZone()
                .AddTxt("fail.example", "v=spf1 -all exp=e.example")
                .AddTxt("soft.example", "v=spf1 ~all exp=ok.example")
                .AddTxt("e.example", "caf\u00e9")
                .AddTxt("ok.example", "fine");
            var fail = await CheckAsync(zone, "fail.example");
            Assert.Equal(SpfResult.Fail, fail.Result);
            Assert.Null(fail.Explanation);
            Assert.Contains(fail.Findings, f => f.Code == "Spf.ExplanationIgnored");
            var soft = await CheckAsync(zone, "soft.example");
            Assert.Null(soft.Explanation);
        }

        [Fact]
        public async Task Identical_include_providers_are_queried_once_per_run()
        {
            var zone = new DnsZone().AddTxt("_spf.provider.example", "v=spf1 ip4:203.0.113.0/24 -all");
            for (var i = 0; i < 50; i++)
            {
                zone.AddTxt($"d{i}.example", "v=spf1 include:_spf.provider.example -all");
            }

            await using var dns = new SpfTestDns(zone, timeoutSeconds: 10); // a long timeout: no retransmission can add queries
            var evaluator = new SpfEvaluator(dns.Resolver);
            var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => evaluator.CheckHostAsync(Client, $"d{i}.example")));
            Assert.All(results, r => Assert.Equal(SpfResult.Fail, r.Result));
            Assert.Equal(1, dns.Server.QueryLog.Count(q => q.Name == "_spf.provider.example"));
            Assert.Equal(51, dns.Server.QueryCount);
        }
    }
}
