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
        private static DnsResolver Resolver(IPAddress server, int timeoutSeconds = 5, TimeSpan? dnssecProbeTimeout = null)
        {
            var options = new DnsResolverOptions { Timeout = TimeSpan.FromSeconds(timeoutSeconds), DnssecProbeTimeout = dnssecProbeTimeout };
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
            // The answer alone: signed, no AD. Whether that is an island takes the DS probe, which only the DNSSEC step runs.
            var island = await r.QueryAsync("island.test", QueryType.MX);
            Assert.Equal(DnsLookupStatus.Success, island.Status);
            Assert.Equal(DnssecStatus.Unvalidated, island.DnssecStatus);
            Assert.True(island.HasSignatures);
            Assert.False(island.AuthenticData);
            Assert.Equal(0, r.DnssecProbeQueriesSent);
            var settled = await r.DetermineDnssecAsync(island);
            Assert.Equal(DnssecStatus.Insecure, settled.DnssecStatus);
            Assert.Null(settled.DnssecProbeFailure);
            // island.test DS: a secure denial at the validating resolver (AD) ends the walk after one question.
            Assert.Equal(1, r.DnssecProbeQueriesSent);
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
            Assert.Equal(DnssecStatus.Unvalidated, a.DnssecStatus);
            Assert.Equal(0, r.DnssecProbeQueriesSent);
            Assert.Equal(DnssecStatus.ResolverNotValidating, (await r.QueryWithDnssecAsync("secure.test", QueryType.MX)).DnssecStatus);
            Assert.True(r.DnssecProbeQueriesSent > 0);
            // Unsigned data carries no signatures: there is nothing a validator could have said.
            Assert.Equal(DnssecStatus.Insecure, (await r.QueryAsync("insecure.test", QueryType.MX)).DnssecStatus);
        }

        [LabFact]
        public async Task The_ds_walk_asks_each_zone_cut_once_per_run()
        {
            // Three signed zones under test.: secure.test, auth-good.test, dane.test, each answered through the
            // non-validating resolver; the walk asks DS of each zone once and DS of test once, however many answers.
            var r = Resolver(LabEnvironment.Get().NonValidatingResolver);
            var names = new[] { "secure.test", "mx1.secure.test", "mx2.secure.test", "auth-good.test", "dane.test", "www.dane.test" };
            var answers = await Task.WhenAll(names.SelectMany(n => new[] { r.QueryWithDnssecAsync(n, QueryType.A), r.QueryWithDnssecAsync(n, QueryType.MX) }));
            Assert.All(answers.Where(a => a.HasSignatures), a => Assert.Equal(DnssecStatus.ResolverNotValidating, a.DnssecStatus));
            Assert.Equal(4, r.DnssecProbeQueriesSent);
        }

        [LabFact]
        public async Task A_resolver_that_drops_DS_questions_delays_no_answer_and_says_which_probe_failed()
        {
            var r = Resolver(LabEnvironment.Get().DsDroppingResolver, timeoutSeconds: 3);
            var clock = Stopwatch.StartNew();
            var txt = await r.QueryAsync("auth-good.test", QueryType.TXT);
            var answerTime = clock.Elapsed;
            Assert.Equal(DnsLookupStatus.Success, txt.Status);
            Assert.Equal(DnssecStatus.Unvalidated, txt.DnssecStatus);
            Assert.True(answerTime < TimeSpan.FromSeconds(2), $"the answer took {answerTime}");
            Assert.Equal(0, r.DnssecProbeQueriesSent);

            clock.Restart();
            var settled = await r.DetermineDnssecAsync(txt);
            var probeTime = clock.Elapsed;
            Assert.Equal(DnsLookupStatus.Success, settled.Status);
            Assert.Equal(DnssecStatus.Unvalidated, settled.DnssecStatus);
            Assert.NotNull(settled.DnssecProbeFailure);
            Assert.Contains("DS", settled.DnssecProbeFailure, StringComparison.Ordinal);
            // Bounded by the probe budget (the timeout, 3 s), with room for a loaded machine; never the walk's depth times it.
            Assert.True(probeTime < TimeSpan.FromSeconds(6), $"the probe took {probeTime}");

            // The failure is remembered for the run: the next answer of the same zone is not probed again.
            var before = r.DnssecProbeQueriesSent;
            clock.Restart();
            var mx = await r.QueryWithDnssecAsync("auth-good.test", QueryType.MX);
            Assert.Equal(DnssecStatus.Unvalidated, mx.DnssecStatus);
            Assert.Equal(settled.DnssecProbeFailure, mx.DnssecProbeFailure);
            Assert.Equal(before, r.DnssecProbeQueriesSent);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the second probe took {clock.Elapsed}");
        }

        [LabFact]
        public async Task A_resolver_that_answers_DS_after_30_seconds_runs_into_the_probe_budget()
        {
            var r = Resolver(LabEnvironment.Get().DsDelayingResolver, timeoutSeconds: 10, dnssecProbeTimeout: TimeSpan.FromSeconds(1.5));
            var clock = Stopwatch.StartNew();
            var settled = await r.QueryWithDnssecAsync("secure.test", QueryType.MX);
            clock.Stop();
            Assert.Equal(DnsLookupStatus.Success, settled.Status);
            Assert.Equal(DnssecStatus.Unvalidated, settled.DnssecStatus);
            Assert.Contains("did not finish within 1.5 s", settled.DnssecProbeFailure, StringComparison.Ordinal);
            Assert.Contains("DS question for", settled.DnssecProbeFailure, StringComparison.Ordinal);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        }

        [LabFact]
        public async Task Cname_chain_links_carry_their_own_state_and_insecurity_propagates()
        {
            var r = Resolver(LabEnvironment.Get().Resolver);
            var secureToInsecure = await r.QueryWithDnssecAsync("alias-insecure.secure.test", QueryType.A);
            Assert.Equal(DnsLookupStatus.Success, secureToInsecure.Status);
            Assert.Equal("host.insecure.test", secureToInsecure.CanonicalName);
            Assert.Single(secureToInsecure.CnameChain);
            Assert.Equal(DnssecStatus.Secure, secureToInsecure.CnameChain[0].DnssecStatus);
            Assert.Equal(DnssecStatus.Insecure, secureToInsecure.DnssecStatus);

            var insecureToSecure = await r.QueryWithDnssecAsync("alias-secure.insecure.test", QueryType.A);
            Assert.Equal("mx1.secure.test", insecureToSecure.CanonicalName);
            Assert.Equal(DnssecStatus.Insecure, insecureToSecure.CnameChain[0].DnssecStatus);
            Assert.Equal(DnssecStatus.Insecure, insecureToSecure.DnssecStatus);

            var twoLinks = await r.QueryWithDnssecAsync("chain1.secure.test", QueryType.A);
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
