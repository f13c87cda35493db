using System;
using System.Collections.Generic;
using System.Linq;
using MailSecurity.Dane;
using MailSecurity.Delivery;
using MailSecurity.Dns;
using MailSecurity.MtaSts;
using Xunit;
using static MailSecurity.Tests.Delivery.HopEvidenceFactory;

namespace MailSecurity.Tests.Delivery
{
    /// <summary>
    /// The hop verdict as a decision table over hand-built evidence (HopEvidence → level, risks, findings): every level, every
    /// delivery risk and every DNSSEC state of the MX and TLSA answers. Expectations come from RFC 7672 §2.1–§2.2 and §3,
    /// RFC 8461 §2, §4–§5, RFC 8689 §2 and SPEC §9, written by hand.
    /// </summary>
    public class HopDecisionTests
    {
        /// <summary>One row: the evidence and what the verdict must be.</summary>
        public sealed class Row
        {
            internal Row(string name, Func<HopEvidence> evidence, HopSecurityLevel level, string[]? risks = null, string[]? has = null, string[]? hasNot = null, Severity? worst = null,
                DnssecStatus? mx = null, DnssecStatus? tlsa = null)
            {
                Name = name;
                Evidence = evidence;
                Level = level;
                Risks = risks ?? Array.Empty<string>();
                Has = has ?? Array.Empty<string>();
                HasNot = hasNot ?? Array.Empty<string>();
                Worst = worst;
                MxDnssec = mx;
                TlsaDnssec = tlsa;
            }

            public string Name { get; }
            internal Func<HopEvidence> Evidence { get; }
            public HopSecurityLevel Level { get; }
            public string[] Risks { get; }
            public string[] Has { get; }
            public string[] HasNot { get; }
            public Severity? Worst { get; }
            public DnssecStatus? MxDnssec { get; }
            public DnssecStatus? TlsaDnssec { get; }

            public override string ToString() => Name;
        }

        private static MtaStsPolicyResult NoPolicy() => StsResult(MtaStsStatus.NoRecord);

        private static MtaStsPolicyResult Enforce() => StsResult(MtaStsStatus.Valid, MtaStsMode.Enforce, StsMx(true, true, true, true));

        private static MtaStsPolicyResult Testing() => StsResult(MtaStsStatus.Valid, MtaStsMode.Testing, StsMx(true, true, true, true), true,
            MtaStsFindings.ModeTesting.Create("testing", Domain));

        private static MtaStsPolicyResult EnforceFailing(MtaStsMxResult mx, params Finding[] findings) => StsResult(MtaStsStatus.Valid, MtaStsMode.Enforce, mx, true, findings);

        private static MtaStsPolicyResult FetchFailed() => StsResult(MtaStsStatus.FetchFailed, null, null, true,
            MtaStsFindings.PolicyRedirect.Create("Fetching https://mta-sts.example.test/.well-known/mta-sts.txt failed: a redirect (302).", "https://mta-sts.example.test/.well-known/mta-sts.txt"),
            MtaStsFindings.PolicyUnavailable.Create("_mta-sts.example.test announces policy id 1, but no valid policy could be obtained.", Domain),
            MtaStsFindings.NoTlsRpt.Create("no TLS-RPT", "_smtp._tls." + Domain));

        /// <summary>One host at one address: the MX RRset's DNSSEC state, the STARTTLS outcome, the TLSA lookup and DANE verdict, the MTA-STS result.</summary>
        private static HopEvidence One(DnssecStatus mx, SmtpTlsOutcome outcome, TlsaLookupOutcome tlsa, DnssecStatus tlsaDnssec, DaneVerdict dane, MtaStsPolicyResult sts,
            bool pkixValid = true, bool requireTls = false, bool nameMismatch = true)
        {
            var lookup = Tlsa(tlsa, mx, tlsaDnssec, Address);
            return Evidence(MxSet(mx), new[] { Probe(Address, outcome, pkixValid, requireTls: requireTls) }, lookup, new[] { HopEvidenceFactory.Dane(lookup, mx, dane, nameMismatch, Address) }, sts);
        }

        private static HopEvidence NoHop(MxStatus status, DnssecStatus dnssec)
        {
            var mx = NoHostMx(status, dnssec);
            return new HopEvidence { Domain = Domain, Mx = mx, MxDnssec = dnssec };
        }

        private static HopEvidence NoAddress(HostAddresses lookup, TlsaLookupOutcome outcome, DaneVerdict verdict, MtaStsPolicyResult sts)
        {
            var tlsa = Tlsa(outcome, DnssecStatus.Secure, DnssecStatus.Unknown);
            return Evidence(MxSet(DnssecStatus.Secure), Array.Empty<SmtpTlsProbe>(), tlsa, new[] { HopEvidenceFactory.Dane(tlsa, DnssecStatus.Secure, verdict) }, sts, lookup);
        }

        private const TlsaLookupOutcome Found = TlsaLookupOutcome.Found;
        private const DnssecStatus Secure = DnssecStatus.Secure;
        private const DnssecStatus Insecure = DnssecStatus.Insecure;
        private const SmtpTlsOutcome Tls = SmtpTlsOutcome.Success;

        public static readonly IReadOnlyList<Row> Rows = new[]
        {
            // No hop: the MX answer decides, with its own finding at Get-MailAuthRecords' severity (issue 12 item 4).
            new Row("null MX", () => NoHop(MxStatus.NullMx, Secure), HopSecurityLevel.NoService, has: new[] { "Hop.NoService", "Mx.NullMx" }, worst: Severity.Info, mx: Secure),
            new Row("no MX and no address", () => NoHop(MxStatus.NoMailService, Secure), HopSecurityLevel.NoService, has: new[] { "Hop.NoService", "Mx.NoMailService" }, worst: Severity.Error),
            new Row("NXDOMAIN is an error, as in Get-MailAuthRecords", () => NoHop(MxStatus.DomainNotFound, Secure), HopSecurityLevel.NoService, has: new[] { "Hop.NoService", "Mx.DomainNotFound" }, worst: Severity.Error),
            new Row("MX RRset bogus: destination unknown", () => NoHop(MxStatus.LookupFailed, DnssecStatus.Bogus), HopSecurityLevel.Unreachable, risks: new[] { "Mx.LookupFailed" }, has: new[] { "Hop.DomainUnreachable" }, worst: Severity.Critical, mx: DnssecStatus.Bogus),
            new Row("MX RRset indeterminate (SERVFAIL): destination unknown", () => NoHop(MxStatus.LookupFailed, DnssecStatus.Indeterminate), HopSecurityLevel.Unreachable, risks: new[] { "Mx.LookupFailed" }, has: new[] { "Hop.DomainUnreachable" }, worst: Severity.Critical, mx: DnssecStatus.Indeterminate),

            // Unreachable hosts.
            new Row("host without A/AAAA", () => NoAddress(DnsEvidence.Addresses(Host, Secure), TlsaLookupOutcome.NoAddress, DaneVerdict.NoAddress, NoPolicy()), HopSecurityLevel.Unreachable, has: new[] { "Hop.HostUnreachable" }),
            new Row("host whose address lookup is bogus", () => NoAddress(DnsEvidence.FailedAddresses(Host, DnssecStatus.Bogus), TlsaLookupOutcome.AddressLookupFailed, DaneVerdict.LookupFailed, NoPolicy()), HopSecurityLevel.Unreachable, has: new[] { "Hop.HostUnreachable" }),
            new Row("connection refused", () => One(Secure, SmtpTlsOutcome.ConnectFailed, TlsaLookupOutcome.NoTlsa, Secure, DaneVerdict.NoTlsa, NoPolicy()), HopSecurityLevel.Unreachable, has: new[] { "Hop.HostUnreachable" }),
            new Row("TLSA bogus under a signed MX: unreachable, and not encrypted although TLS works (item 5)", () => One(Secure, Tls, TlsaLookupOutcome.TlsaLookupFailed, DnssecStatus.Bogus, DaneVerdict.LookupFailed, NoPolicy()),
                HopSecurityLevel.Unreachable, risks: new[] { "Dane.TlsaLookupFailed" }, has: new[] { "Hop.HostUnreachable" }, worst: Severity.Critical, tlsa: DnssecStatus.Bogus),
            new Row("TLSA indeterminate under a signed MX", () => One(Secure, Tls, TlsaLookupOutcome.TlsaLookupFailed, DnssecStatus.Indeterminate, DaneVerdict.LookupFailed, NoPolicy()),
                HopSecurityLevel.Unreachable, risks: new[] { "Dane.TlsaLookupFailed" }, tlsa: DnssecStatus.Indeterminate),
            new Row("MTA-STS enforce, covered host without address", () => NoAddress(DnsEvidence.Addresses(Host, Secure), TlsaLookupOutcome.NoAddress, DaneVerdict.NoAddress,
                    EnforceFailing(StsMx(true, null, null, false), MtaStsFindings.MxNoAddress.Create($"The MX host {Host} has no usable address.", Host))),
                HopSecurityLevel.Unreachable, risks: new[] { "MtaSts.MxNoAddress" }),

            // Cleartext and opportunistic TLS.
            new Row("no STARTTLS, no policy", () => One(Secure, SmtpTlsOutcome.NoStartTls, TlsaLookupOutcome.NoTlsa, Secure, DaneVerdict.NoTlsa, NoPolicy()), HopSecurityLevel.Cleartext, has: new[] { "Hop.Cleartext" }, worst: Severity.Error),
            new Row("TLS, no policy", () => One(Secure, Tls, TlsaLookupOutcome.NoTlsa, Secure, DaneVerdict.NoTlsa, NoPolicy()), HopSecurityLevel.OpportunisticTls, has: new[] { "Hop.OpportunisticTlsOnly" }, worst: Severity.Warning, tlsa: Secure),
            new Row("TLS, an MTA-STS record whose policy cannot be fetched is named at Get-MtaStsPolicy's severity (item 3)", () => One(Secure, Tls, TlsaLookupOutcome.NoTlsa, Secure, DaneVerdict.NoTlsa, FetchFailed()),
                HopSecurityLevel.OpportunisticTls, has: new[] { "Hop.OpportunisticTlsOnly", "MtaSts.PolicyRedirect", "MtaSts.PolicyUnavailable" }, hasNot: new[] { "MtaSts.NoTlsRpt" }, worst: Severity.Error),
            new Row("TLSA records in an unsigned zone", () => One(Secure, Tls, TlsaLookupOutcome.TlsaInsecure, Insecure, DaneVerdict.Insecure, NoPolicy()), HopSecurityLevel.OpportunisticTls, tlsa: Insecure),
            new Row("DANE records all unusable: TLS required, not authenticated", () => One(Secure, Tls, Found, Secure, DaneVerdict.AllRecordsUnusable, NoPolicy()), HopSecurityLevel.OpportunisticTls, has: new[] { "Hop.OpportunisticTlsOnly" }),

            // MTA-STS.
            new Row("MTA-STS testing", () => One(Secure, Tls, TlsaLookupOutcome.NoTlsa, Secure, DaneVerdict.NoTlsa, Testing()), HopSecurityLevel.MtaStsTesting, has: new[] { "Hop.MtaStsTestingOnly" }),
            new Row("MTA-STS testing without STARTTLS", () => One(Secure, SmtpTlsOutcome.NoStartTls, TlsaLookupOutcome.NoTlsa, Secure, DaneVerdict.NoTlsa, Testing()), HopSecurityLevel.Cleartext, has: new[] { "Hop.Cleartext" }),
            new Row("MTA-STS enforce passes", () => One(Secure, Tls, TlsaLookupOutcome.NoTlsa, Secure, DaneVerdict.NoTlsa, Enforce()), HopSecurityLevel.MtaStsEnforced, has: new[] { "Hop.MtaStsEnforced" }, worst: Severity.Info),
            new Row("MTA-STS enforce, host not covered", () => One(Secure, Tls, TlsaLookupOutcome.NoTlsa, Secure, DaneVerdict.NoTlsa,
                    EnforceFailing(StsMx(false, null, null, false), MtaStsFindings.MxNotCovered.Create($"{Host} is not covered.", Host), MtaStsFindings.NoMxCovered.Create("none covered", Domain))),
                HopSecurityLevel.OpportunisticTls, risks: new[] { "MtaSts.MxNotCovered" }, hasNot: new[] { "Hop.OpportunisticTlsOnly", "MtaSts.NoMxCovered" }),
            new Row("MTA-STS enforce, certificate not valid for the host", () => One(Secure, Tls, TlsaLookupOutcome.NoTlsa, Secure, DaneVerdict.NoTlsa,
                    EnforceFailing(StsMx(true, true, false, false), MtaStsFindings.CertificateInvalid.Create($"{Host} presents a certificate for another name.", Host))),
                HopSecurityLevel.OpportunisticTls, risks: new[] { "MtaSts.CertificateInvalid" }),
            new Row("MTA-STS enforce, no STARTTLS", () => One(Secure, SmtpTlsOutcome.NoStartTls, TlsaLookupOutcome.NoTlsa, Secure, DaneVerdict.NoTlsa,
                    EnforceFailing(StsMx(true, false, false, false), MtaStsFindings.MxStartTlsFailed.Create($"{Host} failed STARTTLS.", Host))),
                HopSecurityLevel.Cleartext, risks: new[] { "MtaSts.MxStartTlsFailed" }, has: new[] { "Hop.Cleartext" }),
            new Row("MTA-STS without TLS-RPT", () => One(Secure, Tls, TlsaLookupOutcome.NoTlsa, Secure, DaneVerdict.NoTlsa, StsResult(MtaStsStatus.Valid, MtaStsMode.Enforce, StsMx(true, true, true, true), tlsRpt: false)),
                HopSecurityLevel.MtaStsEnforced, has: new[] { "Hop.NoTlsRpt" }),

            // DANE under a signed MX RRset.
            new Row("DANE valid", () => One(Secure, Tls, Found, Secure, DaneVerdict.Valid, NoPolicy()), HopSecurityLevel.DaneAuthenticated, has: new[] { "Hop.DaneAuthenticated" }, worst: Severity.Info, mx: Secure, tlsa: Secure),
            new Row("DANE valid with a private CA: PKIX does not lower the verdict (item 6)", () => One(Secure, SmtpTlsOutcome.CertificateInvalid, Found, Secure, DaneVerdict.Valid, NoPolicy(), pkixValid: false),
                HopSecurityLevel.DaneAuthenticated, hasNot: new[] { "Tls.CertificateUntrusted" }, worst: Severity.Info),
            new Row("DANE-TA certificate names another host: a delivery risk like any DANE failure (item 2)", () => One(Secure, Tls, Found, Secure, DaneVerdict.NoMatch, NoPolicy()),
                HopSecurityLevel.OpportunisticTls, risks: new[] { "Dane.NameMismatch" }, hasNot: new[] { "Dane.SingleRecord", "Hop.OpportunisticTlsOnly" }, worst: Severity.Critical),
            new Row("DANE, no record matches", () => One(Secure, Tls, Found, Secure, DaneVerdict.NoMatch, NoPolicy(), nameMismatch: false), HopSecurityLevel.OpportunisticTls, risks: new[] { "Dane.NoMatchingRecord" }, worst: Severity.Critical),
            new Row("DANE commits to TLS, no STARTTLS", () => One(Secure, SmtpTlsOutcome.NoStartTls, Found, Secure, DaneVerdict.TlsFailed, NoPolicy()), HopSecurityLevel.Cleartext, risks: new[] { "Dane.TlsRequiredButFailed" }, has: new[] { "Hop.Cleartext" }),
            new Row("DANE fails while MTA-STS enforce passes: DANE wins (RFC 8461 §2)", () => One(Secure, Tls, Found, Secure, DaneVerdict.NoMatch, Enforce()),
                HopSecurityLevel.OpportunisticTls, risks: new[] { "Dane.NameMismatch" }, has: new[] { "Hop.DaneFailureNotOverridden" }),
            new Row("DANE without TLS-RPT", () => One(Secure, Tls, Found, Secure, DaneVerdict.Valid, StsResult(MtaStsStatus.NoRecord, tlsRpt: false)), HopSecurityLevel.DaneAuthenticated, has: new[] { "Hop.NoTlsRpt" }),

            // An unsigned MX RRset: DANE is optional and never binds (RFC 7672 §2.2.1).
            new Row("MX insecure, DANE valid", () => One(Insecure, Tls, Found, Secure, DaneVerdict.Valid, NoPolicy()), HopSecurityLevel.OpportunisticTls, has: new[] { "Hop.DaneWithInsecureMx", "Hop.OpportunisticTlsOnly" }, mx: Insecure),
            new Row("MX insecure, DANE fails: no risk", () => One(Insecure, Tls, Found, Secure, DaneVerdict.NoMatch, NoPolicy()), HopSecurityLevel.OpportunisticTls, has: new[] { "Hop.OpportunisticTlsOnly" }),
            new Row("MX insecure, TLSA bogus: not unreachable", () => One(Insecure, Tls, TlsaLookupOutcome.TlsaLookupFailed, DnssecStatus.Bogus, DaneVerdict.LookupFailed, NoPolicy()), HopSecurityLevel.OpportunisticTls),
            new Row("MX insecure, MTA-STS enforce passes", () => One(Insecure, Tls, TlsaLookupOutcome.AddressInsecure, DnssecStatus.Unknown, DaneVerdict.Insecure, Enforce()), HopSecurityLevel.MtaStsEnforced),

            // A resolver that does not validate: DNSSEC unknown, so no DANE; TLS and MTA-STS judged as usual, and said (issue 12).
            new Row("non-validating resolver, TLS, no policy", () => One(DnssecStatus.ResolverNotValidating, Tls, TlsaLookupOutcome.ResolverNotValidating, DnssecStatus.Unknown, DaneVerdict.ResolverNotValidating, NoPolicy()),
                HopSecurityLevel.OpportunisticTls, has: new[] { "Dns.ResolverNotValidating", "Hop.OpportunisticTlsOnly" }, mx: DnssecStatus.ResolverNotValidating),
            new Row("non-validating resolver, MTA-STS enforce", () => One(DnssecStatus.ResolverNotValidating, Tls, TlsaLookupOutcome.ResolverNotValidating, DnssecStatus.Unknown, DaneVerdict.ResolverNotValidating, Enforce()),
                HopSecurityLevel.MtaStsEnforced, has: new[] { "Dns.ResolverNotValidating" }),
            new Row("TLSA answer not validated behind a signed MX", () => One(Secure, Tls, TlsaLookupOutcome.ResolverNotValidating, DnssecStatus.ResolverNotValidating, DaneVerdict.ResolverNotValidating, NoPolicy()),
                HopSecurityLevel.OpportunisticTls, tlsa: DnssecStatus.ResolverNotValidating),

            // The probe that settles a signed answer without AD failed (a resolver that drops DS questions, issue 19): the DNSSEC
            // state is unknown, so no DANE, TLS and MTA-STS judged as usual, never unreachable for it, and said.
            new Row("DNSSEC probe failed for the MX RRset, TLS, no policy", () => One(DnssecStatus.Unvalidated, Tls, TlsaLookupOutcome.DnssecUndetermined, DnssecStatus.Unknown, DaneVerdict.DnssecUndetermined, NoPolicy()),
                HopSecurityLevel.OpportunisticTls, has: new[] { "Dns.DnssecProbeFailed", "Hop.OpportunisticTlsOnly" }, hasNot: new[] { "Dns.ResolverNotValidating" }, mx: DnssecStatus.Unvalidated),
            new Row("DNSSEC probe failed for the MX RRset, MTA-STS enforce", () => One(DnssecStatus.Unvalidated, Tls, TlsaLookupOutcome.DnssecUndetermined, DnssecStatus.Unknown, DaneVerdict.DnssecUndetermined, Enforce()),
                HopSecurityLevel.MtaStsEnforced, has: new[] { "Dns.DnssecProbeFailed" }),
            new Row("DNSSEC probe failed for the host's answers behind a signed MX: no DANE, no risk", () => One(Secure, Tls, TlsaLookupOutcome.DnssecUndetermined, DnssecStatus.Unvalidated, DaneVerdict.DnssecUndetermined, NoPolicy()),
                HopSecurityLevel.OpportunisticTls, has: new[] { "Dns.DnssecProbeFailed" }, tlsa: DnssecStatus.Unvalidated),
        };

        public static IEnumerable<object[]> RowData => Rows.Select(r => new object[] { r });

        [Theory]
        [MemberData(nameof(RowData))]
        public void Decides(Row row)
        {
            var evidence = row.Evidence();
            var hop = HopDecision.Decide(evidence);

            Assert.Equal(row.Level, hop.Level);
            // The booleans restate the level: never "Unreachable" and "Encrypted" together.
            Assert.Equal(row.Level >= HopSecurityLevel.OpportunisticTls, hop.Encrypted);
            Assert.Equal(row.Level >= HopSecurityLevel.MtaStsEnforced, hop.Authenticated);
            Assert.Equal(row.Level == HopSecurityLevel.DaneAuthenticated, hop.DowngradeResistant);
            Assert.Equal(row.Risks.OrderBy(c => c), hop.DeliveryRisks.Select(r => r.Code).Distinct().OrderBy(c => c));
            foreach (var code in row.Has)
            {
                Assert.Contains(hop.Findings, f => f.Code == code);
            }

            foreach (var code in row.HasNot)
            {
                Assert.DoesNotContain(hop.Findings, f => f.Code == code);
            }

            // Every delivery risk is also a finding, and the findings come worst first.
            Assert.All(hop.DeliveryRisks, r => Assert.Contains(r, hop.Findings));
            Assert.Equal(hop.Findings.OrderByDescending(f => f.Severity).Select(f => f.Severity), hop.Findings.Select(f => f.Severity));
            if (row.Worst.HasValue)
            {
                Assert.Equal(row.Worst.Value, hop.WorstSeverity);
            }

            Assert.False(string.IsNullOrEmpty(hop.Reason));
            Assert.Equal(evidence.MxDnssec, hop.MxDnssecStatus);
            if (evidence.Host != null)
            {
                Assert.Equal(Host, hop.MxHost);
                Assert.Same(evidence.Dane[0], hop.Dane);
                Assert.Equal(evidence.MtaSts!.Status, hop.MtaSts!.Status);
            }
        }

        [Fact]
        public void The_table_covers_every_level_every_delivery_risk_and_every_DNSSEC_state()
        {
            var hops = Rows.Select(r => (Row: r, Hop: HopDecision.Decide(r.Evidence()))).ToList();
            Assert.Equal(Enum.GetValues(typeof(HopSecurityLevel)).Cast<HopSecurityLevel>().OrderBy(l => l), hops.Select(h => h.Hop.Level).Distinct().OrderBy(l => l));
            // The delivery risks of the design (DESIGN §2) and every other condition under which a policy-honouring sender refuses.
            var risks = new[]
            {
                "Dane.NoMatchingRecord", "Dane.NameMismatch", "Dane.TlsRequiredButFailed", "Dane.TlsaLookupFailed",
                "MtaSts.MxNotCovered", "MtaSts.CertificateInvalid", "MtaSts.MxStartTlsFailed", "MtaSts.MxNoAddress", "Mx.LookupFailed",
            };
            Assert.Equal(risks.OrderBy(c => c), hops.SelectMany(h => h.Hop.DeliveryRisks).Select(r => r.Code).Distinct().OrderBy(c => c));
            var states = new[] { DnssecStatus.Secure, DnssecStatus.Insecure, DnssecStatus.Bogus, DnssecStatus.Indeterminate, DnssecStatus.ResolverNotValidating, DnssecStatus.Unvalidated };
            foreach (var state in states)
            {
                Assert.True(hops.Any(h => h.Hop.MxDnssecStatus == state || h.Row.Evidence().Tlsa?.TlsaDnssecStatus == state), $"No row has the DNSSEC state {state}.");
            }

            Assert.Contains(hops, h => h.Hop.MxDnssecStatus == DnssecStatus.ResolverNotValidating);
            Assert.Contains(hops, h => h.Row.Evidence().Tlsa?.TlsaDnssecStatus == DnssecStatus.Bogus);
            Assert.Contains(hops, h => h.Row.Evidence().Tlsa?.TlsaDnssecStatus == DnssecStatus.Indeterminate);
        }

        [Fact]
        public void Behind_a_resolver_that_does_not_validate_a_host_is_never_dane_authenticated_nor_unreachable_when_it_answers()
        {
            foreach (var verdict in new[] { DaneVerdict.ResolverNotValidating })
            {
                var hop = HopDecision.Decide(One(DnssecStatus.ResolverNotValidating, Tls, TlsaLookupOutcome.ResolverNotValidating, DnssecStatus.Unknown, verdict, NoPolicy()));
                Assert.NotEqual(HopSecurityLevel.DaneAuthenticated, hop.Level);
                Assert.NotEqual(HopSecurityLevel.Unreachable, hop.Level);
                Assert.True(hop.Encrypted);
                Assert.Empty(hop.DeliveryRisks);
            }
        }

        [Fact]
        public void The_weakest_address_counts_and_the_difference_is_said()
        {
            var lookup = Tlsa(TlsaLookupOutcome.NoTlsa, Secure, Secure, Address, Address2);
            var evidence = Evidence(MxSet(Secure), new[] { Probe(Address, Tls), Probe(Address2, SmtpTlsOutcome.NoStartTls) }, lookup,
                new[] { HopEvidenceFactory.Dane(lookup, Secure, DaneVerdict.NoTlsa) }, NoPolicy());
            var hop = HopDecision.Decide(evidence);
            Assert.Equal(HopSecurityLevel.Cleartext, hop.Level);
            Assert.False(hop.Encrypted);
            var f = Assert.Single(hop.Findings, x => x.Code == "Hop.AddressesDiffer");
            Assert.Contains($"{Address}: OpportunisticTls", f.Message);
            Assert.Contains($"{Address2}: Cleartext", f.Message);
            Assert.Equal(new[] { Address, Address2 }, hop.Addresses);
        }

        [Fact]
        public void A_dane_failure_on_one_address_group_is_a_delivery_risk()
        {
            // Test-DaneTlsa gives one result per group of addresses; the hop takes the weakest and every group's blockers.
            var lookup = Tlsa(Found, Secure, Secure, Address, Address2);
            var evidence = Evidence(MxSet(Secure), new[] { Probe(Address, Tls), Probe(Address2, Tls) }, lookup,
                new[] { HopEvidenceFactory.Dane(lookup, Secure, DaneVerdict.Valid, Address), HopEvidenceFactory.Dane(lookup, Secure, DaneVerdict.NoMatch, false, Address2) }, NoPolicy());
            var hop = HopDecision.Decide(evidence);
            Assert.Equal(HopSecurityLevel.OpportunisticTls, hop.Level);
            Assert.Equal(DaneVerdict.NoMatch, hop.DaneVerdict);
            Assert.Equal(new[] { "Dane.NoMatchingRecord" }, hop.DeliveryRisks.Select(r => r.Code));
            Assert.Contains(hop.Findings, x => x.Code == "Hop.AddressesDiffer");
        }

        [Fact]
        public void Requiretls_needs_tls_an_authenticated_mx_a_valid_certificate_and_the_extension()
        {
            // RFC 8689 §2, §4.2.1.
            var ready = HopDecision.Decide(One(Secure, Tls, TlsaLookupOutcome.NoTlsa, Secure, DaneVerdict.NoTlsa, NoPolicy(), requireTls: true));
            Assert.True(ready.RequireTlsReady);
            Assert.Contains(ready.Findings, f => f.Code == "Hop.RequireTlsReady");

            var notAdvertised = HopDecision.Decide(One(Secure, Tls, TlsaLookupOutcome.NoTlsa, Secure, DaneVerdict.NoTlsa, NoPolicy()));
            Assert.False(notAdvertised.RequireTlsReady);
            Assert.Contains("REQUIRETLS is not advertised", notAdvertised.RequireTlsDetail);

            var insecureMx = HopDecision.Decide(One(Insecure, Tls, TlsaLookupOutcome.AddressInsecure, DnssecStatus.Unknown, DaneVerdict.Insecure, NoPolicy(), requireTls: true));
            Assert.False(insecureMx.RequireTlsReady);
            Assert.Contains("neither by a DNSSEC-signed MX RRset nor by an MTA-STS policy", insecureMx.RequireTlsDetail);

            var byMtaSts = HopDecision.Decide(One(Insecure, Tls, TlsaLookupOutcome.AddressInsecure, DnssecStatus.Unknown, DaneVerdict.Insecure, Enforce(), requireTls: true));
            Assert.True(byMtaSts.RequireTlsReady);

            var byDane = HopDecision.Decide(One(Secure, SmtpTlsOutcome.CertificateInvalid, Found, Secure, DaneVerdict.Valid, NoPolicy(), pkixValid: false, requireTls: true));
            Assert.True(byDane.RequireTlsReady);
            Assert.Contains("valid by DANE", byDane.RequireTlsDetail);

            var noTls = HopDecision.Decide(One(Secure, SmtpTlsOutcome.NoStartTls, TlsaLookupOutcome.NoTlsa, Secure, DaneVerdict.NoTlsa, NoPolicy()));
            Assert.False(noTls.RequireTlsReady);
        }

        [Fact]
        public void The_mta_sts_part_is_read_from_the_mta_sts_result()
        {
            var sts = EnforceFailing(StsMx(true, true, false, false), MtaStsFindings.CertificateInvalid.Create($"{Host} presents a certificate for another name.", Host));
            var hop = HopDecision.Decide(One(Secure, Tls, TlsaLookupOutcome.NoTlsa, Secure, DaneVerdict.NoTlsa, sts));
            Assert.Equal(MtaStsStatus.Valid, hop.MtaSts!.Status);
            Assert.Equal(MtaStsMode.Enforce, hop.MtaStsMode);
            Assert.True(hop.MtaStsCovered);
            Assert.True(hop.MtaSts.TlsOk);
            Assert.False(hop.MtaSts.CertificateValid);
            Assert.False(hop.MtaSts.WouldDeliver);
            // The risk is the evaluator's finding itself, not a copy.
            Assert.Same(sts.Findings.Single(f => f.Code == "MtaSts.CertificateInvalid"), hop.DeliveryRisks.Single());
        }
    }
}
