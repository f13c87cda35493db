using System;
using System.Linq;
using System.Threading.Tasks;
using DnsClient;
using MailSecurity.Dane;
using MailSecurity.Dns;
using MailSecurity.Tests.Dns;
using Xunit;

namespace MailSecurity.Tests.Dane
{
    /// <summary>TLSA discovery, RFC 7672 §2.1-§2.3 (SPEC §2.1-§2.3), over canned DNS answers.</summary>
    public class TlsaLookupTests
    {
        private const string Host = "mx.example.com";
        private const string TlsaName = "_25._tcp.mx.example.com";
        private static readonly string Rec = "3 1 1 " + new string('A', 64);

        private readonly ScriptedZone _dns = DaneAnswers.Zone();

        private Task<TlsaLookupResult> Lookup(string host = Host, int port = 25, DnssecStatus? mx = DnssecStatus.Secure)
            => new TlsaLookup(_dns).LookupAsync(host, port, mx);

        [Fact]
        public async Task Secure_address_and_secure_tlsa_make_the_host_the_base_domain()
        {
            _dns.Address(Host, DnssecStatus.Secure).Tlsa(TlsaName, DnssecStatus.Secure, 3600, Rec);

            var r = await Lookup();

            Assert.Equal(TlsaLookupOutcome.Found, r.Outcome);
            Assert.Equal(Host, r.TlsaBaseDomain);
            Assert.Equal(TlsaName, r.TlsaName);
            Assert.Equal(new[] { Host }, r.CandidateNames);
            Assert.Equal(DnssecStatus.Secure, r.AddressDnssecStatus);
            Assert.Equal(DnssecStatus.Secure, r.TlsaDnssecStatus);
            Assert.True(r.TlsRequired);
            var record = Assert.Single(r.Records);
            Assert.Equal(TimeSpan.FromHours(1), record.Ttl);
            Assert.Contains("192.0.2.25", r.Addresses);
        }

        [Fact]
        public async Task Address_lookups_come_before_the_tlsa_lookup()
        {
            _dns.Address(Host, DnssecStatus.Secure).Tlsa(TlsaName, DnssecStatus.Secure, 3600, Rec);

            await Lookup();

            var firstTlsa = _dns.Asked.FindIndex(q => q.Type == QueryType.TLSA);
            Assert.True(_dns.Asked.FindIndex(q => q.Type == QueryType.A) < firstTlsa);
            Assert.True(_dns.Asked.FindIndex(q => q.Type == QueryType.AAAA) < firstTlsa);
        }

        [Fact]
        public async Task Insecure_address_records_mean_no_tlsa_query()
        {
            _dns.Address(Host, DnssecStatus.Insecure).Tlsa(TlsaName, DnssecStatus.Secure, 3600, Rec);

            var r = await Lookup();

            Assert.Equal(TlsaLookupOutcome.AddressInsecure, r.Outcome);
            Assert.False(r.TlsaQueried);
            Assert.Empty(_dns.AskedTlsa);
            Assert.Contains(r.Findings, f => f.Code == DaneFindings.AddressInsecure.Code);
        }

        [Fact]
        public async Task Secure_denial_is_no_tlsa()
        {
            _dns.Address(Host, DnssecStatus.Secure).Deny(TlsaName, QueryType.TLSA, DnssecStatus.Secure);

            var r = await Lookup();

            Assert.Equal(TlsaLookupOutcome.NoTlsa, r.Outcome);
            Assert.Null(r.TlsaBaseDomain);
            Assert.Contains(r.Findings, f => f.Code == DaneFindings.NoTlsa.Code);
        }

        [Theory]
        [InlineData(DnsLookupStatus.NxDomain)]
        [InlineData(DnsLookupStatus.NoData)]
        public async Task Insecure_denial_is_insecure_not_no_tlsa(DnsLookupStatus status)
        {
            _dns.Address(Host, DnssecStatus.Secure).Deny(TlsaName, QueryType.TLSA, DnssecStatus.Insecure, status);

            Assert.Equal(TlsaLookupOutcome.TlsaInsecure, (await Lookup()).Outcome);
        }

        [Fact]
        public async Task Insecure_tlsa_records_are_listed_but_do_not_commit_the_host()
        {
            _dns.Address(Host, DnssecStatus.Secure).Tlsa(TlsaName, DnssecStatus.Insecure, 3600, Rec);

            var r = await Lookup();

            Assert.Equal(TlsaLookupOutcome.TlsaInsecure, r.Outcome);
            Assert.Single(r.Records);
            Assert.False(r.TlsRequired);
            Assert.Contains(r.Findings, f => f.Code == DaneFindings.TlsaInsecure.Code);
        }

        [Theory]
        [InlineData(DnsLookupStatus.ServerFailure, DnssecStatus.Bogus)]
        [InlineData(DnsLookupStatus.ServerFailure, DnssecStatus.Indeterminate)]
        [InlineData(DnsLookupStatus.Timeout, DnssecStatus.Indeterminate)]
        [InlineData(DnsLookupStatus.NetworkError, DnssecStatus.Indeterminate)]
        [InlineData(DnsLookupStatus.MalformedResponse, DnssecStatus.Indeterminate)]
        public async Task Tlsa_lookup_errors_are_failures_never_no_record(DnsLookupStatus status, DnssecStatus dnssec)
        {
            _dns.Address(Host, DnssecStatus.Secure).Fail(TlsaName, QueryType.TLSA, status, dnssec);

            var r = await Lookup();

            Assert.Equal(TlsaLookupOutcome.TlsaLookupFailed, r.Outcome);
            Assert.Equal(dnssec, r.TlsaDnssecStatus);
            var finding = Assert.Single(r.Findings, f => f.Code == DaneFindings.TlsaLookupFailed.Code);
            Assert.Equal(Severity.Critical, finding.Severity);
            Assert.Contains("unreachable", finding.Message);
        }

        [Fact]
        public async Task Failed_address_lookups_are_a_failure_and_no_tlsa_is_asked()
        {
            _dns.Fail(Host, QueryType.A, DnsLookupStatus.Timeout).Fail(Host, QueryType.AAAA, DnsLookupStatus.ServerFailure);

            var r = await Lookup();

            Assert.Equal(TlsaLookupOutcome.AddressLookupFailed, r.Outcome);
            Assert.Empty(_dns.AskedTlsa);
        }

        [Fact]
        public async Task One_failed_address_family_is_a_warning_and_the_other_is_used()
        {
            _dns.Address(Host, DnssecStatus.Secure).Fail(Host, QueryType.AAAA, DnsLookupStatus.Timeout).Tlsa(TlsaName, DnssecStatus.Secure, 3600, Rec);

            var r = await Lookup();

            Assert.Equal(TlsaLookupOutcome.Found, r.Outcome);
            Assert.Contains(r.Findings, f => f.Code == DaneFindings.AddressLookupFailed.Code && f.Severity == Severity.Warning);
        }

        [Fact]
        public async Task No_address_records_is_no_address()
        {
            _dns.Deny(Host, QueryType.A, DnssecStatus.Secure, DnsLookupStatus.NoData).Deny(Host, QueryType.AAAA, DnssecStatus.Secure, DnsLookupStatus.NoData);

            Assert.Equal(TlsaLookupOutcome.NoAddress, (await Lookup()).Outcome);
            Assert.Empty(_dns.AskedTlsa);
        }

        [Fact]
        public async Task Secure_cname_chain_tries_the_expanded_name_first_then_the_original()
        {
            _dns.Address(Host, DnssecStatus.Secure, new CnameLink(Host, "mx.hoster.net", DnssecStatus.Secure, 300))
                .Deny("_25._tcp.mx.hoster.net", QueryType.TLSA, DnssecStatus.Secure)
                .Tlsa(TlsaName, DnssecStatus.Secure, 3600, Rec);

            var r = await Lookup();

            Assert.Equal(new[] { "mx.hoster.net", Host }, r.CandidateNames);
            Assert.Equal(new[] { "_25._tcp.mx.hoster.net", TlsaName }, _dns.AskedTlsa);
            Assert.Equal(Host, r.TlsaBaseDomain);
            Assert.Equal("mx.hoster.net", r.HostCanonicalName);
        }

        [Fact]
        public async Task Secure_cname_chain_with_tlsa_at_the_target_makes_the_target_the_base_domain()
        {
            _dns.Address(Host, DnssecStatus.Secure, new CnameLink(Host, "mx.hoster.net", DnssecStatus.Secure, 300))
                .Tlsa("_25._tcp.mx.hoster.net", DnssecStatus.Secure, 3600, Rec);

            var r = await Lookup();

            Assert.Equal("mx.hoster.net", r.TlsaBaseDomain);
            Assert.Equal("_25._tcp.mx.hoster.net", r.TlsaName);
            Assert.Single(_dns.AskedTlsa);
        }

        [Fact]
        public async Task Insecure_chain_after_a_secure_first_cname_leaves_only_the_original_name()
        {
            _dns.Address(Host, DnssecStatus.Insecure,
                    new CnameLink(Host, "mx.hoster.net", DnssecStatus.Secure, 300),
                    new CnameLink("mx.hoster.net", "mx.unsigned.example", DnssecStatus.Insecure, 300))
                .Tlsa(TlsaName, DnssecStatus.Secure, 3600, Rec);

            var r = await Lookup();

            Assert.Equal(new[] { Host }, r.CandidateNames);
            Assert.Equal(new[] { TlsaName }, _dns.AskedTlsa);
            Assert.Equal(TlsaLookupOutcome.Found, r.Outcome);
        }

        [Fact]
        public async Task Insecure_first_cname_means_dane_does_not_apply()
        {
            _dns.Address(Host, DnssecStatus.Insecure, new CnameLink(Host, "mx.hoster.net", DnssecStatus.Insecure, 300));

            var r = await Lookup();

            Assert.Equal(TlsaLookupOutcome.AddressInsecure, r.Outcome);
            Assert.Empty(_dns.AskedTlsa);
        }

        [Fact]
        public async Task Real_port_is_used_in_the_tlsa_name()
        {
            _dns.Address(Host, DnssecStatus.Secure).Tlsa("_587._tcp.mx.example.com", DnssecStatus.Secure, 3600, Rec);

            var r = await Lookup(port: 587);

            Assert.Equal("_587._tcp.mx.example.com", r.TlsaName);
            Assert.Equal(TlsaLookupOutcome.Found, r.Outcome);
        }

        [Fact]
        public async Task Tlsa_cname_to_a_shared_rrset_keeps_the_candidate_as_base_domain()
        {
            _dns.Address(Host, DnssecStatus.Secure)
                .Tlsa(TlsaName, DnssecStatus.Secure, 3600, new[] { new CnameLink(TlsaName, "_dane.hoster.net", DnssecStatus.Secure, 300) }, Rec);

            var r = await Lookup();

            Assert.Equal(Host, r.TlsaBaseDomain);
            Assert.Equal("_dane.hoster.net", r.TlsaCanonicalName);
        }

        [Fact]
        public async Task Failed_mx_lookup_stops_before_any_query()
        {
            var r = await Lookup(mx: DnssecStatus.Bogus);

            Assert.Equal(TlsaLookupOutcome.MxLookupFailed, r.Outcome);
            Assert.Empty(_dns.Asked);
        }

        [Fact]
        public async Task Non_validating_resolver_gives_no_decision()
        {
            _dns.Address(Host, DnssecStatus.ResolverNotValidating);

            var r = await Lookup();
            Assert.Equal(TlsaLookupOutcome.ResolverNotValidating, r.Outcome);
            Assert.Contains(r.Findings, f => f.Code == "Dns.ResolverNotValidating");
            Assert.Empty(_dns.AskedTlsa);
        }

        [Fact]
        public async Task A_non_validated_mx_rrset_still_resolves_the_addresses_before_giving_no_decision()
        {
            // RFC 7672 §2.2.2: addresses first; they say where the host is even when DANE cannot be assessed.
            _dns.Address(Host, DnssecStatus.Secure).Tlsa(TlsaName, DnssecStatus.Secure, 3600, Rec);

            var r = await Lookup(mx: DnssecStatus.ResolverNotValidating);

            Assert.Equal(TlsaLookupOutcome.ResolverNotValidating, r.Outcome);
            Assert.Contains("192.0.2.25", r.Addresses);
            Assert.Empty(_dns.AskedTlsa);
        }

        [Fact]
        public async Task A_failed_dnssec_probe_on_the_addresses_is_undetermined_not_a_lookup_failure()
        {
            const string failure = "the DS probe for com failed: DS lookup for com timed out at 127.0.0.1:53.";
            _dns.Address(Host, DnssecStatus.Unvalidated).ProbeFailed(Host, QueryType.A, failure).Tlsa(TlsaName, DnssecStatus.Secure, 3600, Rec);

            var r = await Lookup();

            Assert.Equal(TlsaLookupOutcome.DnssecUndetermined, r.Outcome);
            Assert.Equal(DnssecStatus.Unvalidated, r.AddressDnssecStatus);
            Assert.Contains("192.0.2.25", r.Addresses);
            Assert.Empty(_dns.AskedTlsa);
            var finding = Assert.Single(r.Findings, f => f.Code == "Dns.DnssecProbeFailed");
            Assert.Contains(failure, finding.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(r.Findings, f => f.Code == "Dane.TlsaLookupFailed" || f.Code == "Dane.AddressLookupFailed");
        }

        [Fact]
        public async Task A_failed_dnssec_probe_on_the_tlsa_answer_is_undetermined()
        {
            _dns.Address(Host, DnssecStatus.Secure).Tlsa(TlsaName, DnssecStatus.Unvalidated, 3600, Rec).ProbeFailed(TlsaName, QueryType.TLSA, "the DS probe for example.com failed: SERVFAIL.");

            var r = await Lookup();

            Assert.Equal(TlsaLookupOutcome.DnssecUndetermined, r.Outcome);
            Assert.Equal(DnssecStatus.Unvalidated, r.TlsaDnssecStatus);
            Assert.Contains(r.Findings, f => f.Code == "Dns.DnssecProbeFailed" && f.Message.Contains("SERVFAIL", StringComparison.Ordinal));
            Assert.Empty(r.Records);
        }

        [Fact]
        public async Task A_failed_dnssec_probe_on_the_mx_rrset_names_that_probe()
        {
            _dns.Address(Host, DnssecStatus.Secure).Tlsa(TlsaName, DnssecStatus.Secure, 3600, Rec);
            var target = new DaneTarget(Host, 25, "example.com", DnssecStatus.Unvalidated, null, "the DS probe for com failed: DS lookup for com timed out");

            var r = await new TlsaLookup(_dns).LookupAsync(target, default);

            Assert.Equal(TlsaLookupOutcome.DnssecUndetermined, r.Outcome);
            Assert.Contains("192.0.2.25", r.Addresses);
            Assert.Contains(r.Findings, f => f.Code == "Dns.DnssecProbeFailed" && f.Message.Contains("MX RRset", StringComparison.Ordinal) && f.Message.Contains("DS probe for com", StringComparison.Ordinal));
            Assert.Equal(DaneVerdict.DnssecUndetermined, new DaneEvaluator().Evaluate(target, r, null).Verdict);
        }

        [Fact]
        public async Task An_mx_from_a_non_validating_resolver_still_gets_its_addresses()
        {
            // Issue 12: the hop reads the addresses a sender connects to whatever the DNSSEC state; no TLSA question is asked.
            _dns.Address(Host, DnssecStatus.ResolverNotValidating);

            var r = await Lookup(mx: DnssecStatus.ResolverNotValidating);

            Assert.Equal(TlsaLookupOutcome.ResolverNotValidating, r.Outcome);
            Assert.Equal(new[] { "192.0.2.25" }, r.Addresses);
            Assert.Empty(_dns.AskedTlsa);
        }

        [Fact]
        public async Task Addresses_come_from_the_shared_host_resolver_in_connect_order()
        {
            // One A/AAAA resolver for STARTTLS, MTA-STS and DANE: IPv4 before IPv6, each in byte order, once (an RRset has
            // no order, RFC 2181 §5; the former DANE lookup kept the resolver's order and repeats).
            _dns.Addresses(Host, DnssecStatus.Secure, "2001:db8::25", "192.0.2.20", "192.0.2.10", "192.0.2.20").Tlsa(TlsaName, DnssecStatus.Secure, 3600, Rec);
            var r = await Lookup();
            Assert.Equal(new[] { "192.0.2.10", "192.0.2.20", "2001:db8::25" }, r.Addresses);
        }

        [Theory]
        [InlineData("192.0.2.1")]
        [InlineData("[2001:db8::1]")]
        [InlineData("[IPv6:2001:db8::1]")] // RFC 5321 §4.1.3 form; the former bracket trim left "IPv6:..." and called it an invalid name
        public async Task Ip_address_destination_is_not_applicable(string address)
        {
            var r = await Lookup(address);

            Assert.Equal(TlsaLookupOutcome.NotApplicable, r.Outcome);
            Assert.Empty(_dns.Asked);
        }

        [Theory]
        [InlineData("mx\u0001.example.com")]
        [InlineData("exa mple.com")]
        public async Task Invalid_host_name_is_reported_not_thrown(string name)
        {
            var r = await Lookup(name);

            Assert.Equal(TlsaLookupOutcome.InvalidName, r.Outcome);
            Assert.Contains(r.Findings, f => f.Code == DaneFindings.TlsaLookupFailed.Code);
        }

        [Fact]
        public async Task Tlsa_name_too_long_is_reported_not_thrown()
        {
            var host = string.Join(".", Enumerable.Repeat(new string('a', 60), 4)) + ".e";
            _dns.Address(host, DnssecStatus.Secure);

            var r = await Lookup(host);

            Assert.Equal(TlsaLookupOutcome.InvalidName, r.Outcome);
        }

        [Fact]
        public async Task Port_out_of_range_is_an_argument_error()
        {
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Lookup(port: 0));
        }
    }
}
