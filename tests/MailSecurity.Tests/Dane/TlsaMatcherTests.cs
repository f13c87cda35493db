using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using MailSecurity.Dane;
using MailSecurity.Tests.Tls;
using Xunit;

namespace MailSecurity.Tests.Dane
{
    public class TlsaMatcherTests
    {
        private const string Host = "mx.example.com";
        private static readonly string[] Refs = { Host };

        private readonly TestCert _root = TestPki.Root();
        private readonly TestCert _intermediate;
        private readonly TestCert _leaf;

        public TlsaMatcherTests()
        {
            _intermediate = TestPki.Intermediate(_root);
            _leaf = TestPki.Leaf(_intermediate, Host, new[] { Host });
        }

        private static TlsaMatchResult Match(IEnumerable<string> records, IReadOnlyList<X509Certificate2> chain, IEnumerable<string>? refs = null)
            => TestTlsa.Matcher().Match(records.Select(t => TestTlsa.Record(t)).ToList(), chain, refs ?? Refs);

        private static string Bump(string hex) => hex.Substring(0, hex.Length - 1) + (hex[^1] == 'F' ? '0' : 'F');

        [Fact]
        public void Dane_ee_matches_an_expired_certificate_without_a_date_check()
        {
            var expired = TestPki.Leaf(_intermediate, Host, new[] { Host }, TestPki.Now.AddYears(-3), TestPki.Now.AddYears(-2));

            var result = Match(new[] { "3 1 1 " + expired.Spki256 }, TestPki.Chain(expired, _intermediate));

            Assert.Equal(TlsaMatchStatus.Matched, result.Status);
            Assert.Equal(0, result.MatchDepth);
            Assert.Contains(result.Findings, f => f.Code == DaneFindings.EeCertificateExpired.Code && f.Severity == Severity.Info);
        }

        [Fact]
        public void Dane_ee_matches_a_certificate_for_another_name_without_a_name_check()
        {
            var other = TestPki.SelfSignedLeaf("unrelated.example.org", new[] { "unrelated.example.org" });

            var result = Match(new[] { "3 0 1 " + other.Cert256 }, TestPki.Chain(other));

            Assert.Equal(TlsaMatchStatus.Matched, result.Status);
            Assert.Null(result.MatchedName);
        }

        [Theory]
        [InlineData("3 0 0")]
        [InlineData("3 0 1")]
        [InlineData("3 0 2")]
        [InlineData("3 1 0")]
        [InlineData("3 1 1")]
        [InlineData("3 1 2")]
        public void Dane_ee_matches_with_every_selector_and_matching_type(string parameters)
        {
            var data = parameters switch
            {
                "3 0 0" => _leaf.CertFull,
                "3 0 1" => _leaf.Cert256,
                "3 0 2" => _leaf.Cert512,
                "3 1 0" => _leaf.SpkiFull,
                "3 1 1" => _leaf.Spki256,
                _ => _leaf.Spki512,
            };

            Assert.Equal(TlsaMatchStatus.Matched, Match(new[] { parameters + " " + data }, TestPki.Chain(_leaf)).Status);
            Assert.Equal(TlsaMatchStatus.NoMatch, Match(new[] { parameters + " " + Bump(data) }, TestPki.Chain(_leaf)).Status);
        }

        [Theory]
        [InlineData("2 0 1", 1)]
        [InlineData("2 1 1", 1)]
        [InlineData("2 0 2", 1)]
        public void Dane_ta_matches_the_intermediate_and_checks_the_name(string parameters, int depth)
        {
            var data = parameters switch { "2 0 1" => _intermediate.Cert256, "2 1 1" => _intermediate.Spki256, _ => _intermediate.Cert512 };

            var result = Match(new[] { parameters + " " + data }, TestPki.Chain(_leaf, _intermediate, _root));

            Assert.Equal(TlsaMatchStatus.Matched, result.Status);
            Assert.Equal(depth, result.MatchDepth);
            Assert.Equal(Host, result.MatchedName);
            Assert.Equal(_intermediate.Certificate.RawData, result.MatchedCertificate!.RawData);
        }

        [Fact]
        public void Dane_ta_root_matches_at_depth_two()
        {
            var result = Match(new[] { "2 0 1 " + _root.Cert256 }, TestPki.Chain(_leaf, _intermediate, _root));

            Assert.Equal(TlsaMatchStatus.Matched, result.Status);
            Assert.Equal(2, result.MatchDepth);
        }

        [Fact]
        public void Dane_ta_with_wrong_host_is_a_name_mismatch()
        {
            var wrong = TestPki.Leaf(_intermediate, "www.example.com", new[] { "www.example.com" });

            var result = Match(new[] { "2 0 1 " + _intermediate.Cert256 }, TestPki.Chain(wrong, _intermediate));

            Assert.Equal(TlsaMatchStatus.NameMismatch, result.Status);
            Assert.Equal(1, result.MatchDepth);
            Assert.False(result.IsAuthenticated);
            var finding = Assert.Single(result.Findings, f => f.Code == DaneFindings.NameMismatch.Code);
            Assert.Contains("www.example.com", finding.Message);
            Assert.Contains(Host, finding.Message);
        }

        [Fact]
        public void Dane_ta_accepts_a_wildcard_for_one_label_and_any_reference_identifier()
        {
            var wildcard = TestPki.Leaf(_intermediate, "mail", new[] { "*.example.com" });

            var ok = Match(new[] { "2 0 1 " + _intermediate.Cert256 }, TestPki.Chain(wildcard, _intermediate), new[] { "mx.example.net", Host });
            var deep = Match(new[] { "2 0 1 " + _intermediate.Cert256 }, TestPki.Chain(wildcard, _intermediate), new[] { "a.mx.example.com" });

            Assert.Equal(TlsaMatchStatus.Matched, ok.Status);
            Assert.Equal(Host, ok.MatchedName);
            Assert.Equal(TlsaMatchStatus.NameMismatch, deep.Status);
        }

        [Fact]
        public void Dane_ta_uses_the_common_name_only_without_dns_ids()
        {
            var cnOnly = TestPki.Leaf(_intermediate, Host);
            var sanElsewhere = TestPki.Leaf(_intermediate, Host, new[] { "other.example.com" });

            Assert.Equal(TlsaMatchStatus.Matched, Match(new[] { "2 0 1 " + _intermediate.Cert256 }, TestPki.Chain(cnOnly, _intermediate)).Status);
            Assert.Equal(TlsaMatchStatus.NameMismatch, Match(new[] { "2 0 1 " + _intermediate.Cert256 }, TestPki.Chain(sanElsewhere, _intermediate)).Status);
        }

        [Fact]
        public void Ta_not_sent_in_the_chain_is_no_match_and_says_why()
        {
            var result = Match(new[] { "2 0 1 " + _root.Cert256 }, TestPki.Chain(_leaf, _intermediate));

            Assert.Equal(TlsaMatchStatus.NoMatch, result.Status);
            Assert.Null(result.MatchDepth);
            Assert.Contains(result.Findings, f => f.Code == DaneFindings.NoMatchingRecord.Code);
            var finding = Assert.Single(result.Findings, f => f.Code == DaneFindings.TaNotInChain.Code);
            Assert.Contains("Test Root", finding.Message);
        }

        [Fact]
        public void Full_trust_anchor_certificate_from_dns_need_not_be_sent()
        {
            var result = Match(new[] { "2 0 0 " + _root.CertFull }, TestPki.Chain(_leaf, _intermediate));

            Assert.Equal(TlsaMatchStatus.Matched, result.Status);
            Assert.Equal(2, result.MatchDepth);
            Assert.Equal(_root.Certificate.RawData, result.MatchedCertificate!.RawData);
        }

        [Fact]
        public void Bare_trust_anchor_key_from_dns_takes_the_depth_of_the_certificate_it_signed()
        {
            var result = Match(new[] { "2 1 0 " + _intermediate.SpkiFull }, TestPki.Chain(_leaf));

            Assert.Equal(TlsaMatchStatus.Matched, result.Status);
            Assert.Equal(0, result.MatchDepth);
            Assert.Null(result.MatchedCertificate);
        }

        [Fact]
        public void Dane_ta_record_for_the_server_certificate_itself_does_not_count()
        {
            var self = TestPki.SelfSignedLeaf(Host, new[] { Host });

            var result = Match(new[] { "2 0 1 " + self.Cert256 }, TestPki.Chain(self));

            Assert.Equal(TlsaMatchStatus.NoMatch, result.Status);
        }

        [Fact]
        public void Dane_ta_checks_expiry_of_the_chain()
        {
            var expired = TestPki.Leaf(_intermediate, Host, new[] { Host }, TestPki.Now.AddYears(-2), TestPki.Now.AddDays(-1));

            var result = Match(new[] { "2 0 1 " + _intermediate.Cert256 }, TestPki.Chain(expired, _intermediate));

            Assert.Equal(TlsaMatchStatus.ChainInvalid, result.Status);
            Assert.Equal(1, result.MatchDepth);
            Assert.Contains(result.Findings, f => f.Code == DaneFindings.ExpiredCertificate.Code);
        }

        [Fact]
        public void Dane_ta_verifies_signatures_so_a_look_alike_anchor_does_not_match()
        {
            var impostor = TestPki.Intermediate(_root, "Test Intermediate"); // same name, different key

            var result = Match(new[] { "2 0 1 " + impostor.Cert256 }, TestPki.Chain(_leaf, impostor));

            Assert.Equal(TlsaMatchStatus.NoMatch, result.Status);
        }

        [Fact]
        public void Dane_ta_requires_issuers_to_be_cas()
        {
            var notCa = TestPki.Intermediate(_root, "Not A CA", isCa: false);
            var leaf = TestPki.Leaf(notCa, Host, new[] { Host });

            var result = Match(new[] { "2 0 1 " + _root.Cert256 }, TestPki.Chain(leaf, notCa, _root));

            Assert.Equal(TlsaMatchStatus.ChainInvalid, result.Status);
            Assert.Contains(result.Findings, f => f.Code == DaneFindings.ChainInvalid.Code && f.Message.Contains("not a CA", StringComparison.Ordinal));
        }

        [Fact]
        public void Dane_ta_applies_the_anchor_path_length_constraint()
        {
            var root = TestPki.Root("Strict Root", pathLength: 0);
            var intermediate = TestPki.Intermediate(root);
            var leaf = TestPki.Leaf(intermediate, Host, new[] { Host });

            Assert.Equal(TlsaMatchStatus.ChainInvalid, Match(new[] { "2 0 1 " + root.Cert256 }, TestPki.Chain(leaf, intermediate, root)).Status);
            Assert.Equal(TlsaMatchStatus.Matched, Match(new[] { "2 0 1 " + intermediate.Cert256 }, TestPki.Chain(leaf, intermediate, root)).Status);
        }

        [Fact]
        public void Dane_ta_requires_key_cert_sign_when_key_usage_is_present()
        {
            var noSign = TestPki.Intermediate(_root, "No Sign", keyCertSign: false);
            var leaf = TestPki.Leaf(noSign, Host, new[] { Host });

            Assert.Equal(TlsaMatchStatus.ChainInvalid, Match(new[] { "2 0 1 " + noSign.Cert256 }, TestPki.Chain(leaf, noSign)).Status);
        }

        [Fact]
        public void Chain_sent_out_of_order_still_builds()
        {
            var result = Match(new[] { "2 0 1 " + _root.Cert256 }, TestPki.Chain(_leaf, _root, _intermediate));

            Assert.Equal(TlsaMatchStatus.Matched, result.Status);
            Assert.Equal(2, result.MatchDepth);
        }

        [Fact]
        public void Dane_ee_beats_dane_ta_and_the_closest_dane_ta_wins()
        {
            var both = Match(new[] { "2 0 1 " + _root.Cert256, "3 1 1 " + _leaf.Spki256 }, TestPki.Chain(_leaf, _intermediate, _root));
            var tas = Match(new[] { "2 0 1 " + _root.Cert256, "2 0 1 " + _intermediate.Cert256 }, TestPki.Chain(_leaf, _intermediate, _root));

            Assert.Equal((TlsaMatchStatus.Matched, 0, TlsaUsage.DaneEe), (both.Status, both.MatchDepth!.Value, both.MatchedRecord!.Usage));
            Assert.Equal((TlsaMatchStatus.Matched, 1), (tas.Status, tas.MatchDepth!.Value));
        }

        [Fact]
        public void Rollover_pair_where_only_one_matches_is_valid_and_not_stale()
        {
            var next = TestPki.Leaf(_intermediate, Host, new[] { Host });

            var result = Match(new[] { "3 1 1 " + next.Spki256, "3 1 1 " + _leaf.Spki256 }, TestPki.Chain(_leaf, _intermediate));

            Assert.Equal(TlsaMatchStatus.Matched, result.Status);
            Assert.Equal(_leaf.Spki256, result.MatchedRecord!.AssociationData);
            Assert.Equal(new[] { TlsaRecordOutcome.NotMatched, TlsaRecordOutcome.Matched }, result.RecordMatches.Select(m => m.Outcome));
            Assert.DoesNotContain(result.Findings, f => f.Code == DaneFindings.StaleRecord.Code);
        }

        [Fact]
        public void Combination_that_matches_nothing_while_another_matches_is_stale()
        {
            var result = Match(new[] { "3 1 1 " + _leaf.Spki256, "2 0 1 " + _root.Cert256 }, TestPki.Chain(_leaf, _intermediate));

            Assert.Equal(TlsaMatchStatus.Matched, result.Status);
            var stale = Assert.Single(result.Findings, f => f.Code == DaneFindings.StaleRecord.Code);
            Assert.Contains("'2 0 1'", stale.Message);
        }

        [Fact]
        public void Digest_agility_uses_only_the_strongest_digest_per_usage_and_selector()
        {
            // SPEC §2.8 / RFC 7671 §9: with 3 1 1 and 3 1 2 present, only 3 1 2 (and 3 1 0) count.
            var result = Match(new[] { "3 1 1 " + _leaf.Spki256, "3 1 2 " + Bump(_leaf.Spki512) }, TestPki.Chain(_leaf, _intermediate));

            Assert.Equal(TlsaMatchStatus.NoMatch, result.Status);
            var ignored = Assert.Single(result.RecordMatches, m => m.Outcome == TlsaRecordOutcome.IgnoredWeakerDigest);
            Assert.Equal("3 1 1", ignored.Record.Parameters);
            Assert.True(ignored.MatchesChain);
            Assert.Contains(result.Findings, f => f.Code == DaneFindings.WeakerDigestIgnored.Code && f.Severity == Severity.Error);
        }

        [Fact]
        public void Digest_agility_still_counts_full_records_and_the_strong_digest()
        {
            var viaFull = Match(new[] { "3 1 1 " + _leaf.Spki256, "3 1 2 " + Bump(_leaf.Spki512), "3 1 0 " + _leaf.SpkiFull }, TestPki.Chain(_leaf));
            var viaStrong = Match(new[] { "3 1 1 " + Bump(_leaf.Spki256), "3 1 2 " + _leaf.Spki512 }, TestPki.Chain(_leaf));
            var otherSelector = Match(new[] { "3 1 2 " + Bump(_leaf.Spki512), "3 0 1 " + _leaf.Cert256 }, TestPki.Chain(_leaf));

            Assert.Equal("3 1 0", viaFull.MatchedRecord!.Parameters);
            Assert.Equal("3 1 2", viaStrong.MatchedRecord!.Parameters);
            Assert.Equal("3 0 1", otherSelector.MatchedRecord!.Parameters); // agility is per usage and selector
            Assert.Contains(viaStrong.Findings, f => f.Code == DaneFindings.WeakerDigestIgnored.Code && f.Severity == Severity.Info);
        }

        [Fact]
        public void No_match_message_gives_the_digests_the_server_would_need()
        {
            var result = Match(new[] { "3 1 1 " + Bump(_leaf.Spki256) }, TestPki.Chain(_leaf));

            var finding = Assert.Single(result.Findings, f => f.Code == DaneFindings.NoMatchingRecord.Code);
            Assert.Contains("3 1 1 " + _leaf.Spki256, finding.Message);
            Assert.Contains("3 0 1 " + _leaf.Cert256, finding.Message);
        }

        [Fact]
        public void Empty_chain_and_unusable_records_are_reported_not_thrown()
        {
            var none = Match(new[] { "3 1 1 " + _leaf.Spki256 }, Array.Empty<X509Certificate2>());
            var unusable = Match(new[] { "1 1 1 " + _leaf.Spki256 }, TestPki.Chain(_leaf));

            Assert.Equal(TlsaMatchStatus.NoCertificate, none.Status);
            Assert.Equal(TlsaRecordOutcome.NotEvaluated, none.RecordMatches[0].Outcome);
            Assert.Equal(TlsaMatchStatus.NoUsableRecords, unusable.Status);
            Assert.Equal(TlsaRecordOutcome.Unusable, unusable.RecordMatches[0].Outcome);
        }

        [Fact]
        public void Hostile_chains_end_quickly()
        {
            // Two CAs that certify each other (a loop), and a long chain of duplicates and junk.
            var a = TestPki.Root("Loop A");
            var b = TestPki.Intermediate(a, "Loop B");
            var aByB = TestPki.Intermediate(b, "Loop A");
            var leaf = TestPki.Leaf(b, Host, new[] { Host });
            var chain = new List<X509Certificate2> { leaf.Certificate };
            for (var i = 0; i < 60; i++)
            {
                chain.Add(i % 3 == 0 ? b.Certificate : i % 3 == 1 ? aByB.Certificate : a.Certificate);
            }

            var watch = System.Diagnostics.Stopwatch.StartNew();
            var result = Match(new[] { "2 0 1 " + Bump(a.Cert256), "2 1 1 " + Bump(b.Spki256) }, chain);

            Assert.Equal(TlsaMatchStatus.NoMatch, result.Status);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), watch.Elapsed.ToString());
        }

        [Fact]
        public void Smtp_options_refuse_dane_ee_name_checks_and_pkix_anchors()
        {
            Assert.Throws<ArgumentException>(() => new TlsaMatchOptions(TlsaUsageProfile.Smtp, checkDaneEeNames: true));
            Assert.Throws<ArgumentException>(() => new TlsaMatchOptions(TlsaUsageProfile.Smtp, pkixTrustAnchors: new[] { _root.Certificate }));
        }

        [Fact]
        public void Generic_profile_validates_pkix_usages_against_the_given_anchors_only()
        {
            var generic = new TlsaMatcher(new TlsaMatchOptions(TlsaUsageProfile.Generic, pkixTrustAnchors: new[] { _root.Certificate }, validationTime: TestPki.Now));
            var noAnchors = new TlsaMatcher(new TlsaMatchOptions(TlsaUsageProfile.Generic, validationTime: TestPki.Now));
            var records = new[] { TestTlsa.Record("1 1 1 " + _leaf.Spki256, profile: TlsaUsageProfile.Generic) };

            Assert.Equal(TlsaMatchStatus.Matched, generic.Match(records, TestPki.Chain(_leaf, _intermediate), Refs).Status);
            Assert.Equal(TlsaMatchStatus.PkixUntrusted, noAnchors.Match(records, TestPki.Chain(_leaf, _intermediate), Refs).Status);
            Assert.Equal(TlsaMatchStatus.NoUsableRecords, TestTlsa.Matcher().Match(records, TestPki.Chain(_leaf, _intermediate), Refs).Status);
        }
    }
}
