using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MailSecurity.Dane;
using MailSecurity.Dns;
using MailSecurity.Tests.Dns;
using MailSecurity.Tests.Tls;
using Xunit;

namespace MailSecurity.Tests.Dane
{
    /// <summary>
    /// Every address of a host that committed to TLS is checked (a sender may use any of them), and the results are
    /// one per distinct outcome (DaneEvaluator.EvaluateEachAddressAsync), over canned DNS answers and canned handshakes.
    /// </summary>
    public class DaneEvaluatorAddressTests
    {
        private const string Domain = "example.com";
        private const string Host = "mx.example.com";
        private const string TlsaName = "_25._tcp.mx.example.com";

        private readonly ScriptedZone _dns = DaneAnswers.Zone();
        private readonly TestCert _root = TestPki.Root();
        private readonly TestCert _intermediate;
        private readonly TestCert _leaf;
        private readonly TestCert _otherLeaf;
        private readonly ConcurrentDictionary<string, string?> _probed = new ConcurrentDictionary<string, string?>();

        public DaneEvaluatorAddressTests()
        {
            _intermediate = TestPki.Intermediate(_root);
            _leaf = TestPki.Leaf(_intermediate, Host, new[] { Host });
            _otherLeaf = TestPki.Leaf(_intermediate, Host, new[] { Host });
        }

        private DaneEvaluator Evaluator() => new DaneEvaluator(_dns, new TlsaMatchOptions(validationTime: TestPki.Now));

        /// <summary>A probe that answers per address from <paramref name="byAddress"/> and records the SNI it was asked to send.</summary>
        private Func<TlsaLookupResult, IPAddress, CancellationToken, Task<TlsHandshakeOutcome>> Probe(IDictionary<string, Func<string, TlsHandshakeOutcome>> byAddress)
            => (lookup, address, ct) =>
            {
                _probed[address.ToString()] = lookup.TlsaBaseDomain;
                return Task.FromResult(byAddress[address.ToString()](address.ToString()));
            };

        private TlsHandshakeOutcome Presents(TestCert leaf, string address) => TlsHandshakeOutcome.Established(TestPki.Chain(leaf, _intermediate), address, Host);

        private Task<IReadOnlyList<DaneResult>> Run(Func<TlsaLookupResult, IPAddress, CancellationToken, Task<TlsHandshakeOutcome>> probe)
            => Evaluator().EvaluateEachAddressAsync(new DaneTarget(Host, 25, Domain, DnssecStatus.Secure), probe);

        [Fact]
        public async Task Addresses_that_agree_give_one_result_naming_all_of_them()
        {
            _dns.Addresses(Host, DnssecStatus.Secure, "192.0.2.20", "192.0.2.10").Tlsa(TlsaName, DnssecStatus.Secure, 300, "3 1 1 " + _leaf.Spki256);

            var results = await Run(Probe(new Dictionary<string, Func<string, TlsHandshakeOutcome>>
            {
                ["192.0.2.10"] = a => Presents(_leaf, a),
                ["192.0.2.20"] = a => Presents(_leaf, a),
            }));

            var r = Assert.Single(results);
            Assert.Equal(DaneVerdict.Valid, r.Verdict);
            Assert.Equal(new[] { "192.0.2.10", "192.0.2.20" }, r.ProbedAddresses); // byte order, not DNS order
            Assert.Equal("192.0.2.10, 192.0.2.20", r.ProbedAddressList);
            // RFC 7672 §8.1: each handshake is asked for with the TLSA base domain as SNI.
            Assert.Equal(2, _probed.Count);
            Assert.All(_probed.Values, sni => Assert.Equal(Host, sni));
        }

        [Fact]
        public async Task Addresses_that_differ_give_one_result_each()
        {
            _dns.Addresses(Host, DnssecStatus.Secure, "192.0.2.10", "192.0.2.20").Tlsa(TlsaName, DnssecStatus.Secure, 300, "3 1 1 " + _leaf.Spki256);

            var results = await Run(Probe(new Dictionary<string, Func<string, TlsHandshakeOutcome>>
            {
                ["192.0.2.10"] = a => Presents(_leaf, a),
                ["192.0.2.20"] = a => Presents(_otherLeaf, a),
            }));

            Assert.Equal(2, results.Count);
            Assert.Equal(new[] { "192.0.2.10" }, results[0].ProbedAddresses);
            Assert.Equal(DaneVerdict.Valid, results[0].Verdict);
            Assert.Equal(_leaf.Certificate.Thumbprint, results[0].CertificateChain[0].Thumbprint);
            Assert.Equal(new[] { "192.0.2.20" }, results[1].ProbedAddresses);
            Assert.Equal(DaneVerdict.NoMatch, results[1].Verdict);
            Assert.Equal(_otherLeaf.Certificate.Thumbprint, results[1].CertificateChain[0].Thumbprint);
        }

        [Fact]
        public async Task Two_valid_addresses_with_different_certificates_are_not_merged()
        {
            // A rollover half done across a cluster: both keys are published, each server presents one.
            _dns.Addresses(Host, DnssecStatus.Secure, "192.0.2.10", "192.0.2.20")
                .Tlsa(TlsaName, DnssecStatus.Secure, 300, "3 1 1 " + _leaf.Spki256, "3 1 1 " + _otherLeaf.Spki256);

            var results = await Run(Probe(new Dictionary<string, Func<string, TlsHandshakeOutcome>>
            {
                ["192.0.2.10"] = a => Presents(_leaf, a),
                ["192.0.2.20"] = a => Presents(_otherLeaf, a),
            }));

            Assert.Equal(2, results.Count);
            Assert.All(results, r => Assert.Equal(DaneVerdict.Valid, r.Verdict));
            Assert.Equal("3 1 1 " + _leaf.Spki256, results[0].MatchedRecordText);
            Assert.Equal("3 1 1 " + _otherLeaf.Spki256, results[1].MatchedRecordText);
        }

        [Fact]
        public async Task Groups_keep_address_order_with_IPv4_before_IPv6()
        {
            _dns.Addresses(Host, DnssecStatus.Secure, "2001:db8::25", "192.0.2.30", "192.0.2.10").Tlsa(TlsaName, DnssecStatus.Secure, 300, "3 1 1 " + _leaf.Spki256);

            var results = await Run(Probe(new Dictionary<string, Func<string, TlsHandshakeOutcome>>
            {
                ["192.0.2.10"] = a => Presents(_leaf, a),
                ["192.0.2.30"] = a => TlsHandshakeOutcome.Failed(TlsHandshakeStatus.ConnectFailed, "ConnectFailed: refused", a),
                ["2001:db8::25"] = a => Presents(_leaf, a),
            }));

            Assert.Equal(2, results.Count);
            Assert.Equal(new[] { "192.0.2.10", "2001:db8::25" }, results[0].ProbedAddresses);
            Assert.Equal(DaneVerdict.Valid, results[0].Verdict);
            Assert.Equal(new[] { "192.0.2.30" }, results[1].ProbedAddresses);
            Assert.Equal(DaneVerdict.ConnectFailed, results[1].Verdict);
            Assert.Contains(results[1].Findings, f => f.Code == DaneFindings.ConnectFailed.Code);
        }

        [Fact]
        public async Task Without_secure_tlsa_no_address_is_probed()
        {
            _dns.Addresses(Host, DnssecStatus.Secure, "192.0.2.10", "192.0.2.20").Deny(TlsaName, DnsClient.QueryType.TLSA, DnssecStatus.Secure);

            var results = await Run((lookup, address, ct) => throw new InvalidOperationException("must not connect"));

            var r = Assert.Single(results);
            Assert.Equal(DaneVerdict.NoTlsa, r.Verdict);
            Assert.Empty(r.ProbedAddresses);
            Assert.Equal(TlsHandshakeStatus.NotAttempted, r.TlsStatus);
        }

        [Fact]
        public async Task A_host_that_sends_no_starttls_on_every_address_is_one_tls_failure()
        {
            _dns.Addresses(Host, DnssecStatus.Secure, "192.0.2.10", "192.0.2.20").Tlsa(TlsaName, DnssecStatus.Secure, 300, "3 1 1 " + _leaf.Spki256);

            var results = await Run(Probe(new Dictionary<string, Func<string, TlsHandshakeOutcome>>
            {
                ["192.0.2.10"] = a => TlsHandshakeOutcome.Failed(TlsHandshakeStatus.StartTlsNotOffered, "NoStartTls", a),
                ["192.0.2.20"] = a => TlsHandshakeOutcome.Failed(TlsHandshakeStatus.StartTlsNotOffered, "NoStartTls", a),
            }));

            var r = Assert.Single(results);
            // RFC 7672 §2.2: secure TLSA commits the host to TLS; a sender will not deliver in cleartext.
            Assert.Equal(DaneVerdict.TlsFailed, r.Verdict);
            Assert.Equal(2, r.ProbedAddresses.Count);
        }
    }
}
