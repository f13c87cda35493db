using System.Linq;
using System.Threading.Tasks;
using DnsClient;
using MailSecurity.Dmarc;
using MailSecurity.Tests.Dns;
using Xunit;

namespace MailSecurity.Tests.Dmarc
{
    public class DmarcPolicyResolverTests
    {
        private static Task<DmarcPolicy> Resolve(ScriptedZone zone, string domain) => new DmarcPolicyResolver(zone).ResolveAsync(domain);

        private static bool Has(DmarcPolicy p, FindingDescriptor d) => p.Findings.Any(f => f.Code == d.Code);

        [Fact]
        public async Task Own_record_applies_through_p()
        {
            var zone = new ScriptedZone().Mx("example.com", 10, "mx.example.com")
                .Txt("_dmarc.example.com", "v=DMARC1; p=reject; sp=none; rua=mailto:d@example.com");
            var p = await Resolve(zone, "example.com");
            Assert.Equal(DmarcStatus.Valid, p.Status);
            Assert.Equal(DmarcPolicySource.AuthorDomain, p.Source);
            Assert.Equal(DmarcPolicyTag.P, p.AppliedTag);
            Assert.Equal(DmarcPolicyAction.Reject, p.Policy);
            Assert.Equal("example.com", p.PolicyDomain);
            Assert.Equal("example.com", p.OrganizationalDomain);
            Assert.True(Has(p, DmarcFindings.SubdomainPolicyWeaker));
            Assert.False(Has(p, DmarcFindings.NoAggregateReports));
        }

        [Fact]
        public async Task Existing_subdomain_inherits_sp_from_the_organizational_domain()
        {
            var zone = new ScriptedZone().Mx("sub.example.com", 10, "mx.example.com")
                .Txt("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@example.com");
            var p = await Resolve(zone, "sub.example.com");
            Assert.Equal(DmarcPolicySource.OrganizationalDomain, p.Source);
            Assert.Equal(DmarcPolicyTag.Sp, p.AppliedTag);
            Assert.Equal(DmarcPolicyAction.Quarantine, p.Policy);
            Assert.Equal("example.com", p.PolicyDomain);
            Assert.True(p.DomainExists);
            Assert.True(Has(p, DmarcFindings.InheritedPolicy));
            Assert.Equal(new[] { "_dmarc.sub.example.com", "_dmarc.example.com", "_dmarc.com" }, p.TreeWalk.Select(s => s.QueryName).ToArray());
        }

        [Fact]
        public async Task Non_existent_subdomain_gets_np()
        {
            var zone = new ScriptedZone()
                .Txt("_dmarc.example.com", "v=DMARC1; p=quarantine; sp=none; np=reject; rua=mailto:d@example.com");
            var p = await Resolve(zone, "nx.example.com");
            Assert.False(p.DomainExists); // NXDOMAIN (RFC 9989 §3.2.13)
            Assert.Equal(DmarcPolicyTag.Np, p.AppliedTag);
            Assert.Equal(DmarcPolicyAction.Reject, p.Policy);
            Assert.True(Has(p, DmarcFindings.DomainDoesNotExist));
        }

        [Fact]
        public async Task Psd_record_applies_when_the_organizational_domain_has_none()
        {
            // RFC 9989 Appendix B.4.3 shape: bank.example publishes psd=y, giant.bank.example nothing.
            var zone = new ScriptedZone().Mx("giant.bank.example", 10, "mx.giant.bank.example")
                .Txt("_dmarc.bank.example", "v=DMARC1; p=reject; sp=quarantine; psd=y; rua=mailto:psd@bank.example");
            var p = await Resolve(zone, "giant.bank.example");
            Assert.Equal(DmarcPolicySource.PublicSuffixDomain, p.Source);
            Assert.Equal("bank.example", p.PolicyDomain);
            Assert.Equal("giant.bank.example", p.OrganizationalDomain);
            Assert.Equal(DmarcPolicyAction.Quarantine, p.Policy);
            Assert.True(Has(p, DmarcFindings.PolicyFromPublicSuffix));
            // The domain is its own Organizational Domain: the message names it once, not as "neither X nor X".
            var message = p.Findings.Single(f => f.Code == DmarcFindings.PolicyFromPublicSuffix.Code).Message;
            Assert.StartsWith("giant.bank.example, its own Organizational Domain, publishes no DMARC record", message);
            Assert.DoesNotContain("Neither", message);
            // The walk stops at the psd=y record: _dmarc.example is never consulted.
            Assert.Equal("_dmarc.bank.example", p.TreeWalk.Last().QueryName);
        }

        [Fact]
        public async Task Walk_stops_at_psd_n_which_becomes_the_organizational_domain()
        {
            var zone = new ScriptedZone().Mx("a.mail.example.com", 10, "mx.example.com")
                .Txt("_dmarc.mail.example.com", "v=DMARC1; p=quarantine; psd=n; rua=mailto:d@mail.example.com")
                .Txt("_dmarc.example.com", "v=DMARC1; p=none; rua=mailto:d@example.com");
            var p = await Resolve(zone, "a.mail.example.com");
            Assert.Equal("mail.example.com", p.OrganizationalDomain);
            Assert.Equal("mail.example.com", p.PolicyDomain);
            Assert.Equal(DmarcPolicyAction.Quarantine, p.Policy);
            Assert.Equal(2, p.TreeWalk.Count);
        }

        [Fact]
        public async Task Several_records_at_a_name_are_all_discarded()
        {
            var zone = new ScriptedZone().Mx("sub.example.com", 10, "mx.example.com")
                .Txt("_dmarc.sub.example.com", "v=DMARC1; p=none", "v=DMARC1; p=reject")
                .Txt("_dmarc.example.com", "v=DMARC1; p=quarantine; rua=mailto:d@example.com");
            var p = await Resolve(zone, "sub.example.com");
            Assert.True(Has(p, DmarcFindings.MultipleRecords));
            Assert.Equal(DmarcWalkOutcome.MultipleRecords, p.TreeWalk[0].Outcome);
            Assert.Equal(DmarcPolicySource.OrganizationalDomain, p.Source);
            Assert.Equal(DmarcPolicyAction.Quarantine, p.Policy);
        }

        [Fact]
        public async Task Servfail_at_the_domain_is_temperror_never_no_record()
        {
            var zone = new ScriptedZone().Mx("example.com", 10, "mx.example.com").ServFail("_dmarc.example.com");
            var p = await Resolve(zone, "example.com");
            Assert.Equal(DmarcStatus.TempError, p.Status);
            Assert.True(Has(p, DmarcFindings.LookupFailed));
            Assert.False(Has(p, DmarcFindings.NoRecord));
        }

        [Fact]
        public async Task Servfail_in_the_walk_is_temperror_without_an_own_record()
        {
            var zone = new ScriptedZone().Mx("sub.example.com", 10, "mx.example.com").ServFail("_dmarc.example.com");
            var p = await Resolve(zone, "sub.example.com");
            Assert.Equal(DmarcStatus.TempError, p.Status);
            Assert.Null(p.Policy);
        }

        [Fact]
        public async Task Servfail_in_the_walk_leaves_an_own_record_valid_but_flags_the_organizational_domain()
        {
            var zone = new ScriptedZone().Mx("sub.example.com", 10, "mx.example.com")
                .Txt("_dmarc.sub.example.com", "v=DMARC1; p=reject; rua=mailto:d@sub.example.com")
                .ServFail("_dmarc.example.com");
            var p = await Resolve(zone, "sub.example.com");
            Assert.Equal(DmarcStatus.Valid, p.Status);
            Assert.Equal(DmarcPolicyAction.Reject, p.Policy);
            Assert.True(Has(p, DmarcFindings.TreeWalkIncomplete));
        }

        [Fact]
        public async Task No_record_anywhere_is_a_finding()
        {
            var zone = new ScriptedZone().Mx("example.com", 10, "mx.example.com").Txt("example.com", "v=spf1 -all");
            var p = await Resolve(zone, "example.com");
            Assert.Equal(DmarcStatus.NoRecord, p.Status);
            Assert.True(Has(p, DmarcFindings.NoRecord));
            Assert.Equal("example.com", p.OrganizationalDomain);
        }

        [Fact]
        public async Task Testing_flag_lowers_the_policy_one_level()
        {
            var zone = new ScriptedZone().Mx("example.com", 10, "mx.example.com")
                .Txt("_dmarc.example.com", "v=DMARC1; p=reject; t=y; rua=mailto:d@example.com");
            var p = await Resolve(zone, "example.com");
            Assert.Equal(DmarcPolicyAction.Reject, p.Policy);
            Assert.Equal(DmarcPolicyAction.Quarantine, p.PolicyAfterTesting);
            Assert.True(Has(p, DmarcFindings.TestingMode));
        }

        [Fact]
        public async Task Missing_or_invalid_policy_follows_section_4_10_1()
        {
            var withRua = new ScriptedZone().Mx("example.com", 10, "mx.example.com").Txt("_dmarc.example.com", "v=DMARC1; rua=mailto:d@example.com");
            var a = await Resolve(withRua, "example.com");
            Assert.Equal(DmarcStatus.Valid, a.Status);
            Assert.Equal(DmarcPolicyAction.None, a.Policy);
            Assert.True(Has(a, DmarcFindings.PolicyNone));

            var noRua = new ScriptedZone().Mx("example.com", 10, "mx.example.com").Txt("_dmarc.example.com", "v=DMARC1; p=nope");
            var b = await Resolve(noRua, "example.com");
            Assert.Equal(DmarcStatus.NotApplied, b.Status);
            Assert.Null(b.Policy);

            var badSp = new ScriptedZone().Mx("example.com", 10, "mx.example.com").Txt("_dmarc.example.com", "v=DMARC1; p=reject; sp=bogus; rua=mailto:d@example.com");
            var c = await Resolve(badSp, "example.com");
            Assert.Equal(DmarcPolicyAction.None, c.Policy);
        }

        [Fact]
        public async Task Internal_destination_needs_no_authorization()
        {
            var zone = new ScriptedZone().Mx("example.com", 10, "mx.example.com")
                .Txt("_dmarc.example.com", "v=DMARC1; p=none; rua=mailto:d@example.com,mailto:x@reports.example.com");
            var p = await Resolve(zone, "example.com");
            Assert.All(p.ReportDestinations, d => Assert.Equal(DmarcDestinationAuthorization.NotRequired, d.Authorization));
            Assert.DoesNotContain(zone.Queries, q => q.Contains("_report._dmarc"));
        }

        [Fact]
        public async Task Subdomain_that_is_its_own_organizational_domain_is_external()
        {
            var zone = new ScriptedZone().Mx("example.com", 10, "mx.example.com")
                .Txt("_dmarc.example.com", "v=DMARC1; p=none; rua=mailto:x@reports.example.com")
                .Txt("_dmarc.reports.example.com", "v=DMARC1; p=none; psd=n");
            var p = await Resolve(zone, "example.com");
            var d = Assert.Single(p.ReportDestinations);
            Assert.True(d.IsExternal);
            Assert.Equal("example.com._report._dmarc.reports.example.com", d.AuthorizationName);
            Assert.Equal(DmarcDestinationAuthorization.NotAuthorized, d.Authorization);
        }

        [Fact]
        public async Task External_destination_follows_appendix_b_2_3()
        {
            const string record = "v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com; ruf=mailto:auth-reports@thirdparty.example.net";
            var unauthorized = new ScriptedZone().Mx("example.com", 10, "mx.example.com").Txt("_dmarc.example.com", record);
            var p1 = await Resolve(unauthorized, "example.com");
            var ruf1 = p1.ReportDestinations.Single(d => d.Kind == DmarcReportKind.Failure);
            Assert.Equal(DmarcDestinationAuthorization.NotAuthorized, ruf1.Authorization);
            Assert.False(ruf1.ReceivesReports);
            Assert.True(Has(p1, DmarcFindings.DestinationNotAuthorized));

            var authorized = new ScriptedZone().Mx("example.com", 10, "mx.example.com").Txt("_dmarc.example.com", record)
                .Txt("example.com._report._dmarc.thirdparty.example.net", "v=DMARC1;");
            var p2 = await Resolve(authorized, "example.com");
            var ruf2 = p2.ReportDestinations.Single(d => d.Kind == DmarcReportKind.Failure);
            Assert.Equal(DmarcDestinationAuthorization.Authorized, ruf2.Authorization);
            Assert.True(ruf2.ReceivesReports);
            Assert.False(Has(p2, DmarcFindings.DestinationNotAuthorized));
        }

        [Fact]
        public async Task Override_must_keep_the_destination_host()
        {
            const string record = "v=DMARC1; p=none; rua=mailto:r@thirdparty.example.net";
            var same = new ScriptedZone().Mx("example.com", 10, "mx.example.com").Txt("_dmarc.example.com", record)
                .Txt("example.com._report._dmarc.thirdparty.example.net", "v=DMARC1; rua=mailto:aggregate-reports@thirdparty.example.net");
            var p1 = await Resolve(same, "example.com");
            var d1 = Assert.Single(p1.ReportDestinations);
            Assert.Equal(DmarcDestinationAuthorization.Authorized, d1.Authorization);
            Assert.Equal(new[] { "mailto:aggregate-reports@thirdparty.example.net" }, d1.OverrideUris);
            // Reports go to the override, not to the URI the domain published (RFC 9990 §4 step 9).
            Assert.Equal(new[] { "mailto:aggregate-reports@thirdparty.example.net" }, d1.EffectiveUris);
            Assert.Equal("mailto:aggregate-reports@thirdparty.example.net", p1.AggregateReportDestinations);

            var other = new ScriptedZone().Mx("example.com", 10, "mx.example.com").Txt("_dmarc.example.com", record)
                .Txt("example.com._report._dmarc.thirdparty.example.net", "v=DMARC1; rua=mailto:r@elsewhere.example.org");
            var p2 = await Resolve(other, "example.com");
            var d2 = Assert.Single(p2.ReportDestinations);
            Assert.Equal(DmarcDestinationAuthorization.OverrideHostMismatch, d2.Authorization);
            Assert.False(d2.ReceivesReports);
            Assert.Empty(d2.EffectiveUris);
            Assert.Equal(string.Empty, p2.AggregateReportDestinations);
        }

        [Fact]
        public async Task Authorization_lookup_failure_is_reported_as_such()
        {
            var zone = new ScriptedZone().Mx("example.com", 10, "mx.example.com").Txt("_dmarc.example.com", "v=DMARC1; p=none; rua=mailto:r@thirdparty.example.net")
                .ServFail("example.com._report._dmarc.thirdparty.example.net");
            var p = await Resolve(zone, "example.com");
            Assert.Equal(DmarcDestinationAuthorization.LookupFailed, Assert.Single(p.ReportDestinations).Authorization);
            Assert.True(Has(p, DmarcFindings.DestinationLookupFailed));
            Assert.False(Has(p, DmarcFindings.DestinationNotAuthorized));
        }

        [Fact]
        public async Task Authorization_name_beyond_dns_limits_stops_the_check()
        {
            var longDomain = string.Join(".", Enumerable.Repeat(new string('d', 60), 2)) + ".example";
            var longHost = string.Join(".", Enumerable.Repeat(new string('h', 60), 2)) + ".example.net";
            var zone = new ScriptedZone().Mx(longDomain, 10, "mx.example.com").Txt("_dmarc." + longDomain, $"v=DMARC1; p=none; rua=mailto:r@{longHost}");
            var p = await Resolve(zone, longDomain);
            Assert.Equal(DmarcDestinationAuthorization.NameTooLong, Assert.Single(p.ReportDestinations).Authorization);
            Assert.DoesNotContain(zone.Queries, q => q.Contains("_report._dmarc"));
        }

        [Fact]
        public async Task All_walk_queries_are_sent_at_once_and_capped_at_eight()
        {
            var zone = new ScriptedZone().Mx("a.b.c.d.e.f.g.h.i.j.example.com", 10, "mx.example.com");
            var p = await Resolve(zone, "a.b.c.d.e.f.g.h.i.j.example.com");
            Assert.Equal(8, zone.Queries.Count(q => q.StartsWith("_dmarc.", System.StringComparison.Ordinal)));
            Assert.Equal(DmarcStatus.NoRecord, p.Status);
        }
    }
}
