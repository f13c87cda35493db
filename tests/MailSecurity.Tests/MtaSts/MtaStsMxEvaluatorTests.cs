using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MailSecurity.Dns;
using MailSecurity.MtaSts;
using MailSecurity.Mx;
using MailSecurity.Tests.Delivery;
using Xunit;

namespace MailSecurity.Tests.MtaSts
{
    /// <summary>MX coverage and the per-MX delivery decision (RFC 8461 §4, §5), with test doubles for DNS and the STARTTLS probe.</summary>
    public class MtaStsMxEvaluatorTests
    {
        private static MtaStsPolicy Policy(string mode, params string[] mx)
            => MtaStsPolicyParser.Parse($"version: STSv1\nmode: {mode}\n{string.Concat(mx.Select(m => $"mx: {m}\n"))}max_age: 604800\n", "test", out _);

        private static MxRecordSet Mx(params string[] hosts)
            => new MxRecordSet(new MxRecordSetBuilder
            {
                Domain = "example.com",
                Status = MxStatus.Found,
                Hosts = hosts.Select((h, i) => new MxHost((ushort)(10 * (i + 1)), h, false, false)).ToList(),
                DnssecStatus = DnssecStatus.Insecure,
                LookupStatus = DnsLookupStatus.Success,
            });

        // The evidence a caller gathered: hosts named noaddr* have no address, two-addr* have two, the rest one.
        private static MtaStsMxTlsEvidence Gathered(string host, Func<string, IPAddress, MtaStsMxTlsCheck> probe)
        {
            var lookup = host.StartsWith("noaddr", StringComparison.Ordinal) ? DnsEvidence.Addresses(host, DnssecStatus.Insecure)
                : host.StartsWith("two-addr", StringComparison.Ordinal) ? DnsEvidence.Addresses(host, DnssecStatus.Insecure, "192.0.2.1", "192.0.2.2")
                : DnsEvidence.Addresses(host, DnssecStatus.Insecure, "192.0.2.1");
            return MtaStsMxTlsEvidence.Of(lookup, lookup.Addresses.Select(a => probe(host, a)).ToList());
        }

        private static Task<(IReadOnlyList<MtaStsMxResult> Results, List<Finding> Findings)> Run(MtaStsPolicy policy, MxRecordSet mx,
            Func<string, IPAddress, MtaStsMxTlsCheck>? probe, MtaStsStatus status = MtaStsStatus.Valid, ConcurrentBag<string>? asked = null)
        {
            var findings = new List<Finding>();
            var results = MtaStsMxEvaluator.Evaluate("example.com", status, policy, mx, h =>
            {
                asked?.Add(h.HostName);
                return probe is null ? null : Gathered(h.HostName, probe);
            }, findings);
            return Task.FromResult((results, findings));
        }

        [Fact]
        public async Task Without_a_probe_coverage_is_checked_and_TLS_stays_unknown()
        {
            var (results, findings) = await Run(Policy("enforce", "mx1.example.com"), Mx("mx1.example.com", "mx2.example.com"), null);
            Assert.Equal(2, results.Count);
            Assert.True(results[0].Covered);
            Assert.Equal("mx1.example.com", results[0].MatchedPattern);
            Assert.Null(results[0].TlsOk);
            Assert.Null(results[0].CertificateValid);
            Assert.Null(results[0].WouldDeliver); // unknown without the TLS check
            Assert.False(results[1].Covered);
            Assert.False(results[1].WouldDeliver); // not covered: never delivered to in enforce mode
            Assert.Contains(findings, f => f.Code == "MtaSts.MxNotCovered" && f.Target == "mx2.example.com" && f.Severity == Severity.Error);
            Assert.Contains(findings, f => f.Code == "MtaSts.MxTlsNotChecked" && f.Message.Contains("mx1.example.com"));
            Assert.DoesNotContain(findings, f => f.Code == "MtaSts.NoMxCovered");
        }

        [Fact]
        public async Task Asks_for_the_TLS_evidence_of_covered_hosts_only()
        {
            var asked = new ConcurrentBag<string>();
            var (results, findings) = await Run(Policy("enforce", "*.example.com"), Mx("mx1.example.com", "a.b.example.com"), (h, a) => new MtaStsMxTlsCheck(true, true, "TLSv1.3, certificate valid"), asked: asked);
            Assert.Equal(new[] { "mx1.example.com" }, asked.ToArray());
            Assert.True(results[0].WouldDeliver);
            Assert.True(results[0].TlsOk);
            Assert.True(results[0].CertificateValid);
            Assert.Equal("192.0.2.1", results[0].Address);
            Assert.False(results[1].Covered); // two labels under the wildcard
            Assert.DoesNotContain(findings, f => f.Code == "MtaSts.MxTlsNotChecked");
        }

        [Fact]
        public async Task An_invalid_certificate_stops_delivery_in_enforce_mode()
        {
            var (results, findings) = await Run(Policy("enforce", "mx1.example.com"), Mx("mx1.example.com"),
                (h, a) => new MtaStsMxTlsCheck(true, false, "the certificate is for other.example"));
            Assert.True(results[0].Covered);
            Assert.True(results[0].TlsOk);
            Assert.False(results[0].CertificateValid);
            Assert.False(results[0].WouldDeliver);
            var f = Assert.Single(findings, x => x.Code == "MtaSts.CertificateInvalid");
            Assert.Equal(Severity.Error, f.Severity);
            Assert.Contains("other.example", f.Message);
        }

        [Fact]
        public async Task No_STARTTLS_stops_delivery_and_the_certificate_counts_as_not_valid()
        {
            var (results, findings) = await Run(Policy("enforce", "mx1.example.com"), Mx("mx1.example.com"),
                (h, a) => new MtaStsMxTlsCheck(false, true, "STARTTLS not offered"));
            Assert.False(results[0].TlsOk);
            Assert.False(results[0].CertificateValid);
            Assert.False(results[0].WouldDeliver);
            Assert.Contains(findings, x => x.Code == "MtaSts.MxStartTlsFailed");
        }

        [Fact]
        public async Task Testing_mode_delivers_and_reports_failures_as_warnings()
        {
            var (results, findings) = await Run(Policy("testing", "mx1.example.com"), Mx("mx1.example.com", "mx2.example.com"),
                (h, a) => new MtaStsMxTlsCheck(true, false, "expired"));
            Assert.All(results, r => Assert.True(r.WouldDeliver));
            Assert.Contains(findings, x => x.Code == "MtaSts.CertificateInvalid" && x.Severity == Severity.Warning);
            Assert.Contains(findings, x => x.Code == "MtaSts.MxNotCovered" && x.Severity == Severity.Warning);
        }

        [Fact]
        public async Task No_covered_MX_in_enforce_mode_is_critical()
        {
            var (results, findings) = await Run(Policy("enforce", "*.mx.microsoft"), Mx("tenant.h-v1.mx.microsoft"), null);
            Assert.False(results.Single().Covered);
            Assert.False(results.Single().WouldDeliver);
            Assert.Contains(findings, x => x.Code == "MtaSts.NoMxCovered" && x.Severity == Severity.Critical);
        }

        [Fact]
        public async Task A_covered_MX_without_address_is_not_delivered_to()
        {
            var (results, findings) = await Run(Policy("enforce", "*.example.com"), Mx("noaddr.example.com"),
                (h, a) => throw new InvalidOperationException("must not be probed"));
            Assert.False(results[0].WouldDeliver);
            Assert.Contains(findings, x => x.Code == "MtaSts.MxNoAddress");
        }

        [Fact]
        public async Task Every_address_counts_and_the_failing_one_is_named()
        {
            // RFC 8461 §4.2 holds for each connection, and a sender may connect to any address of the MX (RFC 5321 §5.1).
            var (results, findings) = await Run(Policy("enforce", "*.example.com"), Mx("two-addr.example.com"),
                (h, a) => a.Equals(IPAddress.Parse("192.0.2.2")) ? new MtaStsMxTlsCheck(true, false, "the certificate is for other.example") : new MtaStsMxTlsCheck(true, true, "valid"));
            Assert.True(results[0].TlsOk);
            Assert.False(results[0].CertificateValid);
            Assert.False(results[0].WouldDeliver);
            Assert.Equal("192.0.2.2", results[0].Address);
            var f = Assert.Single(findings, x => x.Code == "MtaSts.CertificateInvalid");
            Assert.Contains("192.0.2.2", f.Message);
        }

        [Fact]
        public async Task Mode_none_raises_no_coverage_findings()
        {
            var (results, findings) = await Run(Policy("none"), Mx("mx1.example.com"), null, MtaStsStatus.ModeNone);
            Assert.False(results[0].Covered);
            Assert.Null(results[0].WouldDeliver);
            Assert.Empty(findings);
        }

        [Fact]
        public async Task An_MX_written_as_an_IP_address_is_never_covered()
        {
            var mx = new MxRecordSet(new MxRecordSetBuilder
            {
                Domain = "example.com",
                Status = MxStatus.Found,
                Hosts = new[] { new MxHost(10, "192.0.2.25", false, true) },
                DnssecStatus = DnssecStatus.Insecure,
                LookupStatus = DnsLookupStatus.Success,
            });
            var (results, findings) = await Run(Policy("enforce", "192.0.2.25"), mx, null);
            Assert.False(results.Single().Covered);
            Assert.False(results.Single().WouldDeliver);
            Assert.Contains(findings, x => x.Code == "MtaSts.NoMxCovered");
        }

        [Fact]
        public async Task A_failed_MX_lookup_is_not_no_MX()
        {
            var failed = new MxRecordSet(new MxRecordSetBuilder
            {
                Domain = "example.com",
                Status = MxStatus.LookupFailed,
                DnssecStatus = DnssecStatus.Indeterminate,
                Error = "SERVFAIL",
                LookupStatus = DnsLookupStatus.ServerFailure,
            });
            var (results, findings) = await Run(Policy("enforce", "mx1.example.com"), failed, null);
            Assert.Empty(results);
            Assert.Equal("MtaSts.MxLookupFailed", Assert.Single(findings).Code);
        }
    }
}
