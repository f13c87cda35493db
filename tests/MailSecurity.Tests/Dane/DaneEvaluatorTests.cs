using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailSecurity.Dane;
using MailSecurity.Dns;
using MailSecurity.Tests.Dns;
using MailSecurity.Tests.Tls;
using Xunit;

namespace MailSecurity.Tests.Dane
{
    /// <summary>The decision table of RFC 7672 §2.2 (SPEC §2.4) and the operational findings of RFC 7671.</summary>
    public class DaneEvaluatorTests
    {
        private const string Domain = "example.com";
        private const string Host = "mx.example.com";
        private const string TlsaName = "_25._tcp.mx.example.com";

        private readonly TestCert _root = TestPki.Root();
        private readonly TestCert _intermediate;
        private readonly TestCert _leaf;
        private readonly DaneEvaluator _evaluator = new DaneEvaluator(new TlsaMatchOptions(validationTime: TestPki.Now));

        public DaneEvaluatorTests()
        {
            _intermediate = TestPki.Intermediate(_root);
            _leaf = TestPki.Leaf(_intermediate, Host, new[] { Host });
        }

        private TlsHandshakeOutcome Tls(params TestCert[] chain) => TlsHandshakeOutcome.Established(TestPki.Chain(chain.Length == 0 ? new[] { _leaf, _intermediate } : chain));

        private DaneResult Evaluate(IEnumerable<string> records, TlsHandshakeOutcome? tls, DnssecStatus? mx = DnssecStatus.Secure, TimeSpan? ttl = null)
        {
            var lookup = OpenSslDaneVectorTests.SecureLookup(Host, records.Select(r => TestTlsa.Record(r, ttl)).ToList());
            return _evaluator.Evaluate(new DaneTarget(Host, 25, Domain, mx), lookup, tls);
        }

        private static bool Has(DaneResult r, FindingDescriptor d) => r.Findings.Any(f => f.Code == d.Code);

        [Fact]
        public void Matching_3_1_1_is_valid()
        {
            var r = Evaluate(new[] { "3 1 1 " + _leaf.Spki256 }, Tls());

            Assert.Equal(DaneVerdict.Valid, r.Verdict);
            Assert.True(r.Authenticated);
            Assert.Equal(0, r.MatchDepth);
            Assert.Equal("3 1 1 " + _leaf.Spki256, r.MatchedRecordText);
            Assert.True(Has(r, DaneFindings.Valid));
            Assert.True(Has(r, DaneFindings.SingleRecord));
            Assert.False(Has(r, DaneFindings.NoRecommendedRecord));
            Assert.Equal(Domain, r.Domain);
            Assert.Equal(TlsaName, r.TlsaName);
            Assert.Equal(Host, r.TlsaBaseDomain);
        }

        [Fact]
        public void Expired_server_certificate_with_matching_3_1_1_is_valid()
        {
            var expired = TestPki.Leaf(_intermediate, Host, new[] { Host }, TestPki.Now.AddYears(-2), TestPki.Now.AddYears(-1));

            var r = Evaluate(new[] { "3 1 1 " + expired.Spki256 }, Tls(expired, _intermediate));

            Assert.Equal(DaneVerdict.Valid, r.Verdict);
            Assert.True(Has(r, DaneFindings.EeCertificateExpired));
        }

        [Fact]
        public void Dane_ta_with_the_wrong_host_is_no_match_with_name_mismatch()
        {
            var wrong = TestPki.Leaf(_intermediate, "smtp.other.example", new[] { "smtp.other.example" });

            var r = Evaluate(new[] { "2 0 1 " + _intermediate.Cert256 }, Tls(wrong, _intermediate));

            Assert.Equal(DaneVerdict.NoMatch, r.Verdict);
            Assert.Equal(1, r.MatchDepth);
            Assert.True(Has(r, DaneFindings.NameMismatch));
            Assert.Equal(Severity.Critical, r.WorstSeverity);
            Assert.Contains("will not deliver", r.Explanation);
        }

        [Fact]
        public void Ta_not_sent_in_the_chain_is_no_match()
        {
            var r = Evaluate(new[] { "2 0 1 " + _root.Cert256 }, Tls(_leaf, _intermediate));

            Assert.Equal(DaneVerdict.NoMatch, r.Verdict);
            Assert.True(Has(r, DaneFindings.TaNotInChain));
            Assert.True(Has(r, DaneFindings.NoMatchingRecord));
        }

        [Fact]
        public void Rollover_pair_where_only_one_matches_is_valid_without_stale_or_single_findings()
        {
            var next = TestPki.Leaf(_intermediate, Host, new[] { Host });

            var r = Evaluate(new[] { "3 1 1 " + _leaf.Spki256, "3 1 1 " + next.Spki256 }, Tls());

            Assert.Equal(DaneVerdict.Valid, r.Verdict);
            Assert.False(Has(r, DaneFindings.StaleRecord));
            Assert.False(Has(r, DaneFindings.SingleRecord));
            Assert.Equal(2, r.RecordMatches.Count);
        }

        [Fact]
        public void Stale_combination_is_reported_while_the_host_stays_valid()
        {
            var r = Evaluate(new[] { "3 1 1 " + _leaf.Spki256, "2 0 1 " + _root.Cert256 }, Tls(_leaf, _intermediate));

            Assert.Equal(DaneVerdict.Valid, r.Verdict);
            Assert.True(Has(r, DaneFindings.StaleRecord));
        }

        [Fact]
        public void Digest_agility_example_of_spec_2_8()
        {
            // 3 1 1 matches, 3 1 2 does not: a SHA-512 client accepts only 3 1 2 (or 3 1 0), so delivery fails.
            var wrong512 = new string('0', 128);
            var r = Evaluate(new[] { "3 1 1 " + _leaf.Spki256, "3 1 2 " + wrong512 }, Tls());

            Assert.Equal(DaneVerdict.NoMatch, r.Verdict);
            Assert.True(Has(r, DaneFindings.WeakerDigestIgnored));
        }

        [Theory]
        [InlineData(TlsHandshakeStatus.StartTlsNotOffered)]
        [InlineData(TlsHandshakeStatus.HandshakeFailed)]
        public void Tls_failure_with_usable_records_is_tls_failed(TlsHandshakeStatus status)
        {
            var r = Evaluate(new[] { "3 1 1 " + _leaf.Spki256 }, TlsHandshakeOutcome.Failed(status, "no STARTTLS in the EHLO reply"));

            Assert.Equal(DaneVerdict.TlsFailed, r.Verdict);
            Assert.True(Has(r, DaneFindings.TlsRequiredButFailed));
            Assert.True(r.TlsRequired);
            Assert.Null(r.MatchedRecord);
        }

        [Fact]
        public void Tls_failure_with_only_unusable_records_is_still_tls_failed()
        {
            // RFC 7672 §2.2.2: even an unusable secure record commits the host to TLS.
            var r = Evaluate(new[] { "1 1 1 " + _leaf.Spki256 }, TlsHandshakeOutcome.Failed(TlsHandshakeStatus.HandshakeFailed, "handshake failure"));

            Assert.Equal(DaneVerdict.TlsFailed, r.Verdict);
            Assert.True(Has(r, DaneFindings.AllRecordsUnusable));
            Assert.True(Has(r, DaneFindings.PkixUsageInSmtp));
        }

        [Fact]
        public void Only_unusable_records_with_tls_is_all_records_unusable()
        {
            var r = Evaluate(new[] { "0 0 1 " + _intermediate.Cert256, "3 1 1 " + _leaf.Spki256.Substring(2) }, Tls());

            Assert.Equal(DaneVerdict.AllRecordsUnusable, r.Verdict);
            Assert.True(Has(r, DaneFindings.PkixUsageInSmtp));
            Assert.True(Has(r, DaneFindings.WrongDigestLength));
            Assert.Equal(0, r.UsableRecordCount);
            Assert.Equal(2, r.RecordCount);
            Assert.Contains("unusable for SMTP", r.Explanation);
        }

        [Fact]
        public void No_tls_attempt_is_not_tested_and_connect_failure_is_reported()
        {
            var notTested = Evaluate(new[] { "3 1 1 " + _leaf.Spki256 }, null);
            var unreachable = Evaluate(new[] { "3 1 1 " + _leaf.Spki256 }, TlsHandshakeOutcome.Failed(TlsHandshakeStatus.ConnectFailed, "connection refused"));

            Assert.Equal(DaneVerdict.NotTested, notTested.Verdict);
            Assert.Equal(DaneVerdict.ConnectFailed, unreachable.Verdict);
            Assert.True(Has(unreachable, DaneFindings.ConnectFailed));
        }

        [Fact]
        public void Insecure_mx_is_flagged_and_leaves_the_mx_host_as_the_only_extra_reference_identifier()
        {
            // The certificate names only the next-hop domain: acceptable with a secure MX, not with an insecure one (RFC 7672 §3.2.2).
            var domainCert = TestPki.Leaf(_intermediate, Domain, new[] { Domain });
            var records = new[] { "2 0 1 " + _intermediate.Cert256 };

            var secure = Evaluate(records, Tls(domainCert, _intermediate), DnssecStatus.Secure);
            var insecure = Evaluate(records, Tls(domainCert, _intermediate), DnssecStatus.Insecure);

            Assert.Equal(DaneVerdict.Valid, secure.Verdict);
            Assert.Equal(Domain, secure.MatchedName);
            Assert.Equal(new[] { Host, Domain }, secure.ReferenceIdentifiers);
            Assert.Equal(DaneVerdict.NoMatch, insecure.Verdict);
            Assert.Equal(new[] { Host }, insecure.ReferenceIdentifiers);
            Assert.True(Has(insecure, DaneFindings.TlsaWithInsecureMx));
            Assert.False(Has(secure, DaneFindings.TlsaWithInsecureMx));
        }

        [Fact]
        public void Reference_identifiers_include_the_expanded_next_hop_and_the_base_domain_first()
        {
            var lookup = new TlsaLookupResult(new TlsaLookupResultBuilder
            {
                HostName = Host,
                Port = 25,
                MxDnssecStatus = DnssecStatus.Secure,
                Outcome = TlsaLookupOutcome.Found,
                AddressDnssecStatus = DnssecStatus.Secure,
                Addresses = new[] { "192.0.2.1" },
                HostCanonicalName = "mx.hoster.net",
                CandidateNames = new[] { "mx.hoster.net", Host },
                TlsaName = "_25._tcp.mx.hoster.net",
                TlsaBaseDomain = "mx.hoster.net",
                TlsaDnssecStatus = DnssecStatus.Secure,
                TlsaQueried = true,
                Explanation = "x",
            });

            var refs = DaneEvaluator.ReferenceIdentifiers(new DaneTarget(Host, 25, Domain, DnssecStatus.Secure, "mail.example.net"), lookup);
            var alone = DaneEvaluator.ReferenceIdentifiers(new DaneTarget(Host), lookup);

            Assert.Equal(new[] { "mx.hoster.net", Domain, "mail.example.net" }, refs);
            Assert.Equal(new[] { "mx.hoster.net", Host }, alone);
        }

        [Fact]
        public void Long_ttl_is_reported()
        {
            Assert.True(Has(Evaluate(new[] { "3 1 1 " + _leaf.Spki256 }, Tls(), ttl: TimeSpan.FromDays(2)), DaneFindings.LongTtl));
            Assert.False(Has(Evaluate(new[] { "3 1 1 " + _leaf.Spki256 }, Tls(), ttl: TimeSpan.FromHours(1)), DaneFindings.LongTtl));
        }

        [Fact]
        public void Large_rrset_is_reported()
        {
            // Whole certificates (Full(0)) quickly exceed the 1232 bytes of an unfragmented answer; one digest does not.
            var certs = new[] { _leaf, _intermediate, _root, TestPki.Leaf(_intermediate, Host, new[] { Host }), TestPki.Leaf(_intermediate, Host, new[] { Host }) };
            var big = Evaluate(certs.Select(c => "3 0 0 " + c.CertFull), Tls());
            var small = Evaluate(new[] { "3 1 1 " + _leaf.Spki256 }, Tls());

            Assert.True(certs.Sum(c => c.Certificate.RawData.Length + 15) > DaneEvaluator.LargeRRsetBytes);
            Assert.True(Has(big, DaneFindings.LargeRRset));
            Assert.False(Has(small, DaneFindings.LargeRRset));
        }

        [Fact]
        public void Missing_recommended_forms_and_full_certificates_are_reported()
        {
            var r = Evaluate(new[] { "3 0 0 " + _leaf.CertFull, "3 0 1 " + _leaf.Cert256 }, Tls());

            Assert.Equal(DaneVerdict.Valid, r.Verdict);
            Assert.True(Has(r, DaneFindings.NoRecommendedRecord));
            Assert.True(Has(r, DaneFindings.FullCertFullMatch));
        }

        [Fact]
        public void Findings_are_ordered_worst_first()
        {
            var r = Evaluate(new[] { "3 1 1 " + new string('0', 64) }, Tls());

            Assert.Equal(r.Findings.OrderByDescending(f => f.Severity).Select(f => f.Severity), r.Findings.Select(f => f.Severity));
        }

        [Fact]
        public async Task Lookup_outcomes_map_to_verdicts_and_the_probe_runs_only_when_tls_is_required()
        {
            var probes = 0;
            Task<TlsHandshakeOutcome> Probe(TlsaLookupResult lookup, CancellationToken ct)
            {
                probes++;
                Assert.Equal(Host, lookup.TlsaBaseDomain); // the SNI a DANE client sends (RFC 7672 §8.1)
                return Task.FromResult(Tls());
            }

            async Task<DaneVerdict> Run(Action<ScriptedZone> setup)
            {
                var dns = DaneAnswers.Zone();
                setup(dns);
                var evaluator = new DaneEvaluator(dns, new TlsaMatchOptions(validationTime: TestPki.Now));
                return (await evaluator.EvaluateAsync(new DaneTarget(Host, 25, Domain, DnssecStatus.Secure), Probe)).Verdict;
            }

            Assert.Equal(DaneVerdict.Valid, await Run(d => d.Address(Host, DnssecStatus.Secure).Tlsa(TlsaName, DnssecStatus.Secure, 3600, "3 1 1 " + _leaf.Spki256)));
            Assert.Equal(1, probes);
            Assert.Equal(DaneVerdict.NoTlsa, await Run(d => d.Address(Host, DnssecStatus.Secure).Deny(TlsaName, DnsClient.QueryType.TLSA, DnssecStatus.Secure)));
            Assert.Equal(DaneVerdict.Insecure, await Run(d => d.Address(Host, DnssecStatus.Insecure)));
            Assert.Equal(DaneVerdict.Insecure, await Run(d => d.Address(Host, DnssecStatus.Secure).Tlsa(TlsaName, DnssecStatus.Insecure, 3600, "3 1 1 " + _leaf.Spki256)));
            Assert.Equal(DaneVerdict.LookupFailed, await Run(d => d.Address(Host, DnssecStatus.Secure).Fail(TlsaName, DnsClient.QueryType.TLSA, DnsLookupStatus.ServerFailure, DnssecStatus.Bogus)));
            Assert.Equal(DaneVerdict.LookupFailed, await Run(d => d.Fail(Host, DnsClient.QueryType.A, DnsLookupStatus.Timeout).Fail(Host, DnsClient.QueryType.AAAA, DnsLookupStatus.Timeout)));
            Assert.Equal(DaneVerdict.NoAddress, await Run(d => d.Deny(Host, DnsClient.QueryType.A, DnssecStatus.Secure)));
            Assert.Equal(DaneVerdict.ResolverNotValidating, await Run(d => d.Address(Host, DnssecStatus.ResolverNotValidating)));
            Assert.Equal(1, probes);
        }

        [Fact]
        public async Task Shared_tlsa_rrset_with_dane_ee_records_is_flagged()
        {
            var dns = DaneAnswers.Zone();
            dns.Address(Host, DnssecStatus.Secure)
               .Tlsa(TlsaName, DnssecStatus.Secure, 3600, new[] { new CnameLink(TlsaName, "_dane.hoster.net", DnssecStatus.Secure, 300) }, "3 1 1 " + _leaf.Spki256);
            var evaluator = new DaneEvaluator(dns, new TlsaMatchOptions(validationTime: TestPki.Now));

            var r = await evaluator.EvaluateAsync(new DaneTarget(Host, 25, Domain, DnssecStatus.Secure), (l, ct) => Task.FromResult(Tls()));

            Assert.Equal(DaneVerdict.Valid, r.Verdict);
            Assert.Equal(Host, r.TlsaBaseDomain);
            Assert.True(Has(r, DaneFindings.SharedEeRecord));
        }

        [Fact]
        public void Dane_finding_codes_are_unique_dotted_and_cite_an_rfc()
        {
            var dane = FindingCatalog.Descriptors.Where(d => d.Code.StartsWith("Dane.", StringComparison.Ordinal)).ToList();

            Assert.True(dane.Count >= 20);
            Assert.Equal(dane.Count, dane.Select(d => d.Code).Distinct().Count());
            Assert.All(dane, d => Assert.Contains("RFC", d.Reference));
            Assert.All(dane.Where(d => d.Severity > Severity.Info), d => Assert.False(string.IsNullOrWhiteSpace(d.Remedy)));
        }
    }
}
