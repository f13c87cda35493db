using System.Linq;
using System.Threading.Tasks;
using MailSecurity.Dkim;
using MailSecurity.Tests.Dns;
using Xunit;

namespace MailSecurity.Tests.Dkim
{
    public class DkimSelectorProberTests
    {
        private const string Ed25519Key = "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

        [Theory]
        [InlineData("", "empty")]
        [InlineData("   ", "empty")]
        [InlineData(null, "empty")]
        [InlineData("selector1._domainkey.contoso.com", "_domainkey")]
        [InlineData("*", "'*'")]
        [InlineData("a..b", "empty label")]
        [InlineData("sel\u0001", "control")]
        public void Unusable_selectors_are_refused_with_a_reason(string? selector, string reason)
        {
            Assert.False(DkimSelectorProber.TryValidate(selector, "example.com", out _, out var error, out _));
            Assert.Contains(reason, error, System.StringComparison.OrdinalIgnoreCase);
        }

        [Theory]
        [InlineData("selector1", "selector1", false)]
        [InlineData("Selector1.", "selector1", false)]
        [InlineData("s1.region", "s1.region", false)]
        [InlineData("bücher", "xn--bcher-kva", false)]
        [InlineData("sel_1", "sel_1", true)]
        [InlineData("-sel", "-sel", true)]
        public void Usable_selectors_are_normalised(string selector, string expected, bool warns)
        {
            Assert.True(DkimSelectorProber.TryValidate(selector, "example.com", out var normalized, out _, out var warning));
            Assert.Equal(expected, normalized);
            Assert.Equal(warns, warning != null);
        }

        [Fact]
        public void The_built_in_selectors_are_distinct()
        {
            // ProbeAsync asks the built-in list without de-duplicating it.
            var normalized = DkimSelectors.Common.Select(s => s.ToLowerInvariant()).ToList();
            Assert.Equal(normalized.Count, normalized.Distinct(System.StringComparer.Ordinal).Count());
        }

        [Fact]
        public void Selector_making_the_name_too_long_is_refused()
        {
            var selector = string.Join(".", Enumerable.Repeat(new string('s', 60), 4));
            Assert.False(DkimSelectorProber.TryValidate(selector, "example.com", out _, out var error, out _));
            Assert.Contains("253", error);
        }

        [Fact]
        public async Task Microsoft_365_cnames_are_followed_and_reported()
        {
            var zone = new ScriptedZone()
                .Cname("selector1._domainkey.contoso.com", "selector1-contoso-com._domainkey.contoso.onmicrosoft.com")
                .Txt("selector1-contoso-com._domainkey.contoso.onmicrosoft.com", Ed25519Key)
                .Cname("selector2._domainkey.contoso.com", "selector2-contoso-com._domainkey.contoso.onmicrosoft.com")
                .Txt("google._domainkey.contoso.com", Ed25519Key);
            var summary = await new DkimSelectorProber(zone).ProbeAsync("contoso.com");
            Assert.Equal(DkimSelectorSource.BuiltInList, summary.SelectorSource);
            Assert.Equal(DkimStatus.Found, summary.Status);
            // Every selector of the list is accounted for: those with something to say as results, the rest by name.
            Assert.Equal(DkimSelectors.Common.Count, summary.Selectors.Count + summary.SelectorsNotFound.Count);
            var s1 = summary.Keys.Single(k => k.Selector == "selector1");
            Assert.Equal("selector1-contoso-com._domainkey.contoso.onmicrosoft.com", s1.CanonicalName);
            Assert.Single(s1.CnameChain);
            Assert.Contains(summary.Findings, f => f.Code == DkimFindings.SelectorIsCname.Code && f.Message.Contains("Microsoft 365"));
            Assert.Contains(summary.Findings, f => f.Code == DkimFindings.DanglingCname.Code && f.Target == "selector2._domainkey.contoso.com");
            Assert.Equal("selector1, google", summary.SelectorsFound);
            Assert.Contains("default", summary.SelectorsNotFound);
            Assert.DoesNotContain(summary.Selectors, s => s.Selector == "default");
        }

        [Fact]
        public async Task Probing_defaults_without_a_key_is_informational_but_given_selectors_warn()
        {
            var zone = new ScriptedZone().Mx("example.com", 10, "mx.example.com");
            var probed = await new DkimSelectorProber(zone).ProbeAsync("example.com");
            Assert.Equal(DkimStatus.NoneFound, probed.Status);
            Assert.Equal(Severity.Info, probed.Findings.Single(f => f.Code == DkimFindings.NoSelectorFound.Code).Severity);

            var given = await new DkimSelectorProber(zone).ProbeAsync("example.com", new[] { "mine" });
            Assert.Equal(DkimSelectorSource.UserSupplied, given.SelectorSource);
            Assert.Equal(Severity.Warning, given.Findings.Single(f => f.Code == DkimFindings.NoSelectorFound.Code).Severity);
            Assert.True(zone.WasAsked("mine._domainkey.example.com", DnsClient.QueryType.TXT));
        }

        [Fact]
        public async Task Invalid_given_selectors_are_findings_and_not_asked()
        {
            var zone = new ScriptedZone().Txt("good._domainkey.example.com", Ed25519Key);
            var summary = await new DkimSelectorProber(zone).ProbeAsync("example.com", new[] { "", "good", "good", "x._domainkey.example.com" });
            Assert.Equal(2, summary.Findings.Count(f => f.Code == DkimFindings.InvalidSelector.Code));
            Assert.Single(summary.Keys);
            Assert.Single(zone.Queries); // "good" asked once
        }

        [Fact]
        public async Task Built_in_selectors_that_do_not_fit_under_a_long_domain_are_skipped_not_reported_as_invalid()
        {
            // 4 labels of 60 + ".example" = 251 characters: "<selector>._domainkey." (at least 14 more) exceeds 253 (RFC 1035 §2.3.4).
            var domain = string.Join(".", Enumerable.Repeat(new string('a', 60), 4)) + ".example";
            Assert.Equal(251, domain.Length);
            var zone = new ScriptedZone();
            var summary = await new DkimSelectorProber(zone).ProbeAsync(domain);
            Assert.DoesNotContain(summary.Findings, f => f.Code == DkimFindings.InvalidSelector.Code);
            Assert.Empty(zone.Queries);
            var none = summary.Findings.Single(f => f.Code == DkimFindings.NoSelectorFound.Code);
            Assert.Equal(Severity.Info, none.Severity);
            Assert.Contains($"{DkimSelectors.Common.Count} common selector(s) were not asked", none.Message);

            // A selector the user gives that does not fit is still the user's error.
            var given = await new DkimSelectorProber(zone).ProbeAsync(domain, new[] { "selector1" });
            Assert.Single(given.Findings, f => f.Code == DkimFindings.InvalidSelector.Code);
        }

        [Fact]
        public async Task Under_a_domain_near_the_limit_exactly_the_built_in_selectors_whose_name_would_exceed_253_are_skipped()
        {
            // 234 characters: "<selector>._domainkey.<domain>" fits for selectors of up to 7 characters (7 + 12 + 234 = 253).
            var domain = string.Join(".", Enumerable.Repeat(new string('b', 63), 3)) + "." + new string('c', 42);
            Assert.Equal(234, domain.Length);
            var tooLong = DkimSelectors.Common.Count(s => s.Length + "._domainkey.".Length + domain.Length > 253);
            Assert.InRange(tooLong, 1, DkimSelectors.Common.Count - 1);
            var summary = await new DkimSelectorProber(new ScriptedZone()).ProbeAsync(domain);
            var invalid = summary.Selectors.Where(r => r.Outcome == DkimSelectorOutcome.InvalidSelector).Select(r => r.Selector).ToList();
            Assert.Equal(DkimSelectors.Common.Where(s => s.Length > 7).ToList(), invalid);
            Assert.Contains($"({tooLong} common selector(s) were not asked", summary.Findings.Single(f => f.Code == DkimFindings.NoSelectorFound.Code).Message);
        }

        [Fact]
        public async Task Lookup_failure_is_tempfail_not_absence()
        {
            var zone = new ScriptedZone().ServFail("s1._domainkey.example.com");
            var summary = await new DkimSelectorProber(zone).ProbeAsync("example.com", new[] { "s1" });
            Assert.Equal(DkimStatus.LookupFailed, summary.Status);
            Assert.Equal(DkimSelectorOutcome.LookupFailed, summary.Selectors.Single().Outcome);
            Assert.DoesNotContain(summary.Findings, f => f.Code == DkimFindings.NoSelectorFound.Code);
        }

        [Fact]
        public async Task Stray_and_multiple_records_are_told_apart()
        {
            var zone = new ScriptedZone()
                .Txt("stray._domainkey.example.com", "v=spf1 -all")
                .Txt("two._domainkey.example.com", Ed25519Key, "v=DKIM1; p=");
            var summary = await new DkimSelectorProber(zone).ProbeAsync("example.com", new[] { "stray", "two" });
            Assert.Equal(DkimSelectorOutcome.NotAKeyRecord, summary.Selectors.Single(s => s.Selector == "stray").Outcome);
            Assert.Equal(Severity.Warning, summary.Findings.Single(f => f.Code == DkimFindings.NotAKeyRecord.Code).Severity);
            Assert.Contains(summary.Findings, f => f.Code == DkimFindings.MultipleKeyRecords.Code);
            Assert.Equal(2, summary.Keys.Count);
        }

        [Fact]
        public async Task An_nxdomain_at_domainkey_proves_no_common_selector_exists_in_one_question()
        {
            // RFC 8020 §2: NXDOMAIN for _domainkey.example.com means no name below it, so no selector can hold a key.
            var zone = new ScriptedZone().Mx("example.com", 10, "mx.example.com");
            var summary = await new DkimSelectorProber(zone).ProbeAsync("example.com");
            Assert.Equal(new[] { "_domainkey.example.com TXT" }, zone.Queries.ToArray());
            Assert.Equal(DkimStatus.NoneFound, summary.Status);
            // The same result as asking each selector: every common selector is reported as not found, by name.
            Assert.Equal(DkimSelectors.Common, summary.SelectorsNotFound);
            Assert.Empty(summary.Selectors);
            var none = summary.Findings.Single(f => f.Code == DkimFindings.NoSelectorFound.Code);
            Assert.Equal(Severity.Info, none.Severity);
            Assert.Contains("RFC 8020", none.Message);
        }

        [Fact]
        public async Task An_empty_non_terminal_at_domainkey_is_no_proof_and_every_selector_is_asked()
        {
            // _domainkey.example.com exists without data (NOERROR, no answer) because google._domainkey.example.com does.
            var zone = new ScriptedZone().Txt("google._domainkey.example.com", Ed25519Key);
            var summary = await new DkimSelectorProber(zone).ProbeAsync("example.com");
            Assert.Equal(DkimSelectors.Common.Count + 1, zone.Queries.Count);
            Assert.Equal("google", summary.SelectorsFound);
        }

        [Fact]
        public async Task A_legacy_record_at_domainkey_is_no_proof_either()
        {
            // A DomainKeys-era policy record ("o=~") makes _domainkey.<domain> exist: the selectors are asked.
            var zone = new ScriptedZone().Txt("_domainkey.example.com", "o=~").Txt("s1._domainkey.example.com", Ed25519Key);
            var summary = await new DkimSelectorProber(zone).ProbeAsync("example.com");
            Assert.Equal("s1", summary.SelectorsFound);
        }

        [Fact]
        public async Task A_failed_domainkey_lookup_is_no_proof_and_every_selector_is_asked()
        {
            // A SERVFAIL (a resolver or zone that gets RFC 8020 wrong, or a broken server) must never read as "no keys".
            var zone = new ScriptedZone().ServFail("_domainkey.example.com").Txt("selector2._domainkey.example.com", Ed25519Key);
            var summary = await new DkimSelectorProber(zone).ProbeAsync("example.com");
            Assert.Equal(DkimSelectors.Common.Count + 1, zone.Queries.Count);
            Assert.Equal(DkimStatus.Found, summary.Status);
        }

        [Fact]
        public async Task A_resolver_that_does_not_answer_for_domainkey_is_not_asked_every_selector_and_it_is_a_lookup_failure()
        {
            // 27 more questions would each wait out the same timeout; the result says the lookup failed, never "no keys".
            var zone = new ScriptedZone().Silent("_domainkey.example.com");
            var summary = await new DkimSelectorProber(zone).ProbeAsync("example.com");
            Assert.Single(zone.Queries);
            Assert.Equal(DkimStatus.LookupFailed, summary.Status);
            Assert.Equal(DkimSelectors.Common.Count, summary.Selectors.Count(s => s.Outcome == DkimSelectorOutcome.LookupFailed));
            Assert.Single(summary.Findings, f => f.Code == DkimFindings.LookupFailed.Code && f.Target == "_domainkey.example.com");
            Assert.DoesNotContain(summary.Findings, f => f.Code == DkimFindings.NoSelectorFound.Code);
        }

        [Fact]
        public async Task An_nxdomain_reached_through_a_cname_at_domainkey_is_the_targets_not_a_proof()
        {
            var zone = new ScriptedZone().Cname("_domainkey.example.com", "gone.example.net").Txt("k1._domainkey.example.com", Ed25519Key);
            var summary = await new DkimSelectorProber(zone).ProbeAsync("example.com");
            Assert.Equal(DkimSelectors.Common.Count + 1, zone.Queries.Count);
            Assert.Equal("k1", summary.SelectorsFound);
        }

        [Fact]
        public async Task Selectors_the_user_names_are_asked_without_the_domainkey_question()
        {
            var zone = new ScriptedZone();
            var summary = await new DkimSelectorProber(zone).ProbeAsync("example.com", new[] { "mine", "yours" });
            Assert.Equal(new[] { "mine._domainkey.example.com TXT", "yours._domainkey.example.com TXT" }, zone.Queries.OrderBy(q => q, System.StringComparer.Ordinal).ToArray());
            Assert.Equal(DkimStatus.NoneFound, summary.Status);
        }

        [Fact]
        public async Task Split_txt_strings_are_joined_before_parsing()
        {
            var zone = new ScriptedZone().TxtStrings("s._domainkey.example.com", "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7Ty", "WQHOg7hcvPapiMlrwIaaPcHURo=");
            var summary = await new DkimSelectorProber(zone).ProbeAsync("example.com", new[] { "s" });
            Assert.Equal(256, summary.Keys.Single().KeySize);
        }
    }
}
