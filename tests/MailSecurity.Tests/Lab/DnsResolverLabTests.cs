using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using MailSecurity.Dns;
using Xunit;

namespace MailSecurity.Tests.Lab
{
    /// <summary>The DNS layer against the real lab servers (NSD + Unbound); expectations come from tests/lab/zones.</summary>
    public class DnsResolverLabTests
    {
        private static DnsResolver Resolver(IPAddress server, int timeoutSeconds = 5)
        {
            var options = new DnsResolverOptions { Timeout = TimeSpan.FromSeconds(timeoutSeconds) };
            options.Servers.Add(new IPEndPoint(server, 53));
            return new DnsResolver(options);
        }

        [LabFact]
        public async Task Validated_answer_is_secure()
        {
            var a = await Resolver(LabEnvironment.Get().Resolver).QueryAsync("mx1.secure.test", QueryType.A);
            Assert.Equal(DnsLookupStatus.Success, a.Status);
            Assert.Equal(DnssecStatus.Secure, a.DnssecStatus);
            Assert.Equal(LabEnvironment.Get().Net + ".25.1", a.RecordsOf<ARecord>().Single().Address.ToString());
        }

        [LabFact]
        public async Task Unsigned_zone_is_insecure_and_island_is_insecure_too()
        {
            var r = Resolver(LabEnvironment.Get().Resolver);
            Assert.Equal(DnssecStatus.Insecure, (await r.QueryAsync("insecure.test", QueryType.MX)).DnssecStatus);
            var island = await r.QueryAsync("island.test", QueryType.MX);
            Assert.Equal(DnsLookupStatus.Success, island.Status);
            Assert.Equal(DnssecStatus.Insecure, island.DnssecStatus);
        }

        [LabFact]
        public async Task Tampered_and_expired_signatures_are_bogus_not_missing()
        {
            var r = Resolver(LabEnvironment.Get().Resolver);
            foreach (var name in new[] { "bogus.test", "expired.test" })
            {
                var a = await r.QueryAsync(name, QueryType.MX);
                Assert.Equal(DnsLookupStatus.ServerFailure, a.Status);
                Assert.Equal(DnssecStatus.Bogus, a.DnssecStatus);
                Assert.True(a.IsLookupError);
                Assert.False(a.IsNoRecord);
                Assert.Contains("DNSSEC", a.Describe(), StringComparison.Ordinal);
            }
        }

        [LabFact]
        public async Task Nxdomain_and_nodata_are_answers_with_their_own_dnssec_state()
        {
            var r = Resolver(LabEnvironment.Get().Resolver);
            var nx = await r.QueryAsync("missing.test", QueryType.MX);
            Assert.Equal(DnsLookupStatus.NxDomain, nx.Status);
            Assert.Equal(DnssecStatus.Secure, nx.DnssecStatus);
            Assert.True(nx.IsNoRecord);
            var nodata = await r.QueryAsync("implicit-mx.test", QueryType.MX);
            Assert.Equal(DnsLookupStatus.NoData, nodata.Status);
            Assert.Equal(DnssecStatus.Secure, nodata.DnssecStatus);
        }

        [LabFact]
        public async Task Signatures_without_AD_from_a_non_validating_resolver_are_flagged()
        {
            var r = Resolver(LabEnvironment.Get().NonValidatingResolver);
            var a = await r.QueryAsync("secure.test", QueryType.MX);
            Assert.Equal(DnsLookupStatus.Success, a.Status);
            Assert.Equal(DnssecStatus.ResolverNotValidating, a.DnssecStatus);
            // Unsigned data carries no signatures: there is nothing a validator could have said.
            Assert.Equal(DnssecStatus.Insecure, (await r.QueryAsync("insecure.test", QueryType.MX)).DnssecStatus);
        }

        [LabFact]
        public async Task Cname_chain_links_carry_their_own_state_and_insecurity_propagates()
        {
            var r = Resolver(LabEnvironment.Get().Resolver);
            var secureToInsecure = await r.QueryAsync("alias-insecure.secure.test", QueryType.A);
            Assert.Equal(DnsLookupStatus.Success, secureToInsecure.Status);
            Assert.Equal("host.insecure.test", secureToInsecure.CanonicalName);
            Assert.Single(secureToInsecure.CnameChain);
            Assert.Equal(DnssecStatus.Secure, secureToInsecure.CnameChain[0].DnssecStatus);
            Assert.Equal(DnssecStatus.Insecure, secureToInsecure.DnssecStatus);

            var insecureToSecure = await r.QueryAsync("alias-secure.insecure.test", QueryType.A);
            Assert.Equal("mx1.secure.test", insecureToSecure.CanonicalName);
            Assert.Equal(DnssecStatus.Insecure, insecureToSecure.CnameChain[0].DnssecStatus);
            Assert.Equal(DnssecStatus.Insecure, insecureToSecure.DnssecStatus);

            var twoLinks = await r.QueryAsync("chain1.secure.test", QueryType.A);
            Assert.Equal(new[] { "chain1.secure.test", "chain2.secure.test" }, twoLinks.CnameChain.Select(l => l.Name));
            Assert.Equal("mx1.secure.test", twoLinks.CanonicalName);
            Assert.All(twoLinks.CnameChain, l => Assert.Equal(DnssecStatus.Secure, l.DnssecStatus));
            Assert.Equal(DnssecStatus.Secure, twoLinks.DnssecStatus);
        }

        [LabFact]
        public async Task Truncated_udp_answer_is_retried_over_tcp()
        {
            var a = await Resolver(LabEnvironment.Get().Resolver).QueryAsync("bigtxt.secure.test", QueryType.TXT);
            Assert.Equal(DnsLookupStatus.Success, a.Status);
            var text = Assert.Single(a.TxtStrings);
            Assert.Equal(6 * 250, text.Length);
            Assert.StartsWith(new string('a', 250) + new string('b', 250), text, StringComparison.Ordinal);
        }

        [LabFact]
        public async Task Concurrent_identical_questions_coalesce_into_one_query()
        {
            var r = Resolver(LabEnvironment.Get().Resolver);
            var answers = await Task.WhenAll(Enumerable.Range(0, 25).Select(_ => r.QueryAsync("mx2.secure.test", QueryType.A)));
            Assert.All(answers, a => Assert.Equal(DnsLookupStatus.Success, a.Status));
            Assert.Equal(1, r.QueriesSent);
            Assert.Equal(24, r.CacheHits);
            await r.QueryAsync("MX2.secure.test.", QueryType.A);
            Assert.Equal(1, r.QueriesSent);
            await r.QueryAsync("mx2.secure.test", QueryType.AAAA);
            Assert.Equal(2, r.QueriesSent);
            Assert.Equal(2, r.DistinctQuestions);
        }

        [LabFact]
        public async Task A_resolver_that_never_answers_times_out_as_a_lookup_error()
        {
            var r = Resolver(LabEnvironment.Get().BlackholeResolver, timeoutSeconds: 2);
            var sw = Stopwatch.StartNew();
            var a = await r.QueryAsync("secure.test", QueryType.MX);
            sw.Stop();
            Assert.Equal(DnsLookupStatus.Timeout, a.Status);
            Assert.Equal(DnssecStatus.Indeterminate, a.DnssecStatus);
            Assert.True(a.IsLookupError);
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(6), $"took {sw.Elapsed}");
        }

        [LabFact]
        public async Task Cancellation_ends_a_pending_query_promptly()
        {
            var r = Resolver(LabEnvironment.Get().BlackholeResolver, timeoutSeconds: 30);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var sw = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => r.QueryAsync("secure.test", QueryType.MX, cts.Token));
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(3), $"took {sw.Elapsed}");
        }

        [LabFact]
        public async Task The_run_cache_stays_bounded_and_keeps_hot_answers()
        {
            var options = new DnsResolverOptions { Timeout = TimeSpan.FromSeconds(5), CacheCapacity = 16, MaxConcurrentQueries = 4 };
            options.Servers.Add(new IPEndPoint(LabEnvironment.Get().Resolver, 53));
            var r = new DnsResolver(options);
            await r.QueryAsync("mx1.secure.test", QueryType.A);
            for (var i = 0; i < 60; i++)
            {
                // Distinct one-off names (NXDOMAIN answers) between uses of a hot name.
                await r.QueryAsync($"n{i}.missing.test", QueryType.A);
                await r.QueryAsync("mx1.secure.test", QueryType.A);
            }

            Assert.True(r.CachedAnswers <= 16, $"{r.CachedAnswers} answers held");
            Assert.True(r.CacheEvictions > 0);
            Assert.Equal(61, r.QueriesSent); // the hot name was asked on the wire once
            var burst = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => r.QueryAsync($"b{i}.missing.test", QueryType.A)));
            Assert.All(burst, a => Assert.Equal(DnsLookupStatus.NxDomain, a.Status));
        }

        [LabFact]
        public async Task Invalid_names_are_rejected_without_a_query()
        {
            var r = Resolver(LabEnvironment.Get().Resolver);
            var a = await r.QueryAsync("bad name.test", QueryType.MX);
            Assert.Equal(DnsLookupStatus.InvalidName, a.Status);
            Assert.Equal(0, r.QueriesSent);
        }
    }
}
