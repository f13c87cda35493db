using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using MailSecurity.Dane;
using MailSecurity.Dns;
using MailSecurity.Smtp;
using Xunit;

namespace MailSecurity.Tests.Lab
{
    /// <summary>DANE against the lab's signed zones and Postfix listeners (tests/lab/zones/dane.test.zone, certs/dane.list).</summary>
    public class DaneLabTests
    {
        private static DnsResolver Resolver()
        {
            var options = new DnsResolverOptions { Timeout = TimeSpan.FromSeconds(5) };
            options.Servers.Add(new IPEndPoint(LabEnvironment.Get().Resolver, 53));
            return new DnsResolver(options);
        }

        [LabFact]
        public async Task Each_address_is_probed_with_a_full_handshake_even_under_the_same_sni()
        {
            // split.dane.test has two addresses on listeners with different keys; one Postfix serves both and shares its
            // session tickets. A client that resumed the first session at the second address would be shown the first
            // address's certificate again. Alternate the order so either address can come first.
            var net = LabEnvironment.Get().Net;
            var ee = IPAddress.Parse(net + ".25.30");
            var other = IPAddress.Parse(net + ".25.33");
            var prober = new SmtpTlsProber();
            foreach (var order in new[] { new[] { ee, other, ee }, new[] { other, ee, other } })
            {
                foreach (var address in order)
                {
                    var probe = await prober.ProbeAsync(new SmtpTlsProbeRequest("split.dane.test", address) { Timeout = TimeSpan.FromSeconds(5) });
                    Assert.True(probe.TlsEstablished, probe.Error);
                    var expected = address.Equals(ee) ? "ee.dane.test" : "mismatch.dane.test";
                    Assert.Contains("CN=" + expected, probe.CertificateChain[0].Subject, StringComparison.Ordinal);
                }
            }
        }

        [LabFact]
        public async Task A_host_whose_addresses_present_different_keys_gets_one_result_per_address()
        {
            var net = LabEnvironment.Get().Net;
            var dns = Resolver();
            var probes = new SmtpProbeCache(new SmtpTlsProber(), (host, address, sni) => new SmtpTlsProbeRequest(host, address) { ServerName = sni, Timeout = TimeSpan.FromSeconds(5) });
            var evaluator = new DaneEvaluator(dns);

            var results = await evaluator.EvaluateEachAddressAsync(
                new DaneTarget("split.dane.test"),
                async (lookup, address, ct) => TlsHandshakeOutcome.FromProbe(await probes.GetAsync(lookup.HostName, address, lookup.TlsaBaseDomain, ct)));

            Assert.Equal(2, results.Count);
            Assert.Equal(new[] { net + ".25.30" }, results[0].ProbedAddresses);
            Assert.Equal(DaneVerdict.Valid, results[0].Verdict);
            Assert.Equal(new[] { net + ".25.33" }, results[1].ProbedAddresses);
            Assert.Equal(DaneVerdict.NoMatch, results[1].Verdict);
            Assert.All(results, r => Assert.Equal("split.dane.test", r.ServerName));
            Assert.Equal(2, probes.Count);
        }

        [LabFact]
        public async Task The_probe_sends_the_expanded_cname_target_as_sni_when_it_is_the_tlsa_base_domain()
        {
            // alias.dane.test CNAME ta.dane.test: the expanded name is the first candidate (RFC 7672 §2.2.2) and has TLSA.
            var dns = Resolver();
            string? sni = null;
            var probes = new SmtpProbeCache(new SmtpTlsProber(), (host, address, name) => new SmtpTlsProbeRequest(host, address) { ServerName = name, Timeout = TimeSpan.FromSeconds(5) });
            var results = await new DaneEvaluator(dns).EvaluateEachAddressAsync(
                new DaneTarget("alias.dane.test"),
                async (lookup, address, ct) =>
                {
                    sni = lookup.TlsaBaseDomain;
                    return TlsHandshakeOutcome.FromProbe(await probes.GetAsync(lookup.HostName, address, lookup.TlsaBaseDomain, ct));
                });

            var r = Assert.Single(results);
            Assert.Equal("ta.dane.test", sni);
            Assert.Equal("ta.dane.test", r.TlsaBaseDomain);
            Assert.Equal("ta.dane.test", r.ServerName);
            Assert.Equal(DaneVerdict.Valid, r.Verdict);
            Assert.Equal(1, r.MatchDepth);
            Assert.Equal("ta.dane.test", r.MatchedName);
        }
    }
}
