using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using MailSecurity.Dns;
using MailSecurity.Delivery;
using MailSecurity.Tests.Delivery;
using MailSecurity.MtaSts;
using MailSecurity.Report;
using Xunit;

namespace MailSecurity.Tests.Report
{
    public class ReportBuilderTests
    {
        private static readonly DateTimeOffset When = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

        // A live verdict for one MX host, built the way HopDecision builds it.
        private static HopSecurity Hop(string domain, string host, ushort preference, HopSecurityLevel level, IReadOnlyList<Finding>? risks = null, params Finding[] findings)
        {
            risks ??= Array.Empty<Finding>();
            var stsMx = new MtaStsMxResult(new MtaStsMxResultBuilder
            {
                MxHost = host,
                Preference = preference,
                Covered = risks.Count == 0,
                Address = "192.0.2.1",
                TlsOk = true,
                CertificateValid = true,
                WouldDeliver = risks.Count == 0,
            });
            var b = new HopSecurityBuilder
            {
                Domain = domain,
                MxHost = host,
                Preference = preference,
                Level = level,
                Reason = "because",
                RequireTlsDetail = "no",
                MxDnssecStatus = DnssecStatus.Secure,
                Addresses = new[] { "192.0.2.1" },
                MtaSts = new MtaStsHopEvidence(HopEvidenceFactory.StsResult(MtaStsStatus.Valid, MtaStsMode.Enforce, stsMx), stsMx),
                TlsRptPresent = true,
            };
            b.DeliveryRisks.AddRange(risks);
            b.Findings.AddRange(findings);
            return new HopSecurity(b);
        }

        private static ReportDocument Build(params object[] results)
        {
            var builder = new ReportBuilder();
            foreach (var r in results)
            {
                Assert.True(builder.Add(r as ReportSource ?? new ClrReportSource(r)));
            }

            return builder.Build("t", When);
        }

        private static ReportCell Cell(ReportEntry entry, ReportCheck check) => entry.Cells.Single(c => c.Column == ReportBuilder.ColumnName(check));

        [Fact]
        public void Groups_results_by_domain_and_shows_the_weakest_mx()
        {
            var doc = Build(
                Hop("a.test", "mx1.a.test", 10, HopSecurityLevel.MtaStsEnforced, null, HopFindings.MtaStsEnforced.Create("ok", "mx1.a.test")),
                Hop("b.test", "mx1.b.test", 10, HopSecurityLevel.MtaStsEnforced, null, HopFindings.MtaStsEnforced.Create("ok", "mx1.b.test")),
                Hop("a.test", "mx2.a.test", 20, HopSecurityLevel.Cleartext, null, HopFindings.Cleartext.Create("no tls", "mx2.a.test")));

            Assert.Equal(2, doc.Entries.Count);
            var a = doc.Entries.Single(e => e.Name == "a.test");
            Assert.Equal(2, a.ResultCount);
            Assert.Equal(HopSecurityLevel.Cleartext, a.WeakestLevel);
            var hop = Cell(a, ReportCheck.HopLevel);
            Assert.Equal("Cleartext", hop.Text);
            // Hop.Cleartext is an Error in the catalog; the cell takes the worst finding of the check.
            Assert.Equal(ReportRating.Error, hop.Rating);
            Assert.Equal(ReportRating.Good, Cell(doc.Entries.Single(e => e.Name == "b.test"), ReportCheck.HopLevel).Rating);
        }

        [Fact]
        public void A_delivery_risk_makes_the_hop_cell_an_error_and_colours_the_check_it_belongs_to()
        {
            var risk = MtaStsFindings.MxNotCovered.Create("mx2.a.test is not covered", "mx2.a.test");
            var doc = Build(Hop("a.test", "mx2.a.test", 20, HopSecurityLevel.OpportunisticTls, new[] { risk }, HopFindings.OpportunisticTlsOnly.Create("tls only", "mx2.a.test")));
            var a = doc.Entries.Single();

            var hop = Cell(a, ReportCheck.HopLevel);
            Assert.Equal("OpportunisticTls +1 risk", hop.Text);
            Assert.Equal(ReportRating.Error, hop.Rating);                      // Hop.OpportunisticTlsOnly alone is only a Warning
            Assert.Contains("MtaSts.MxNotCovered", hop.Detail);
            var sts = Cell(a, ReportCheck.MtaSts);
            Assert.Equal(ReportRating.Error, sts.Rating);
            Assert.Contains("MtaSts.MxNotCovered (Error)", sts.Detail);
            // The risk is both a delivery risk and a finding of the hop: it is listed once.
            Assert.Single(a.Findings, f => f.Code == "MtaSts.MxNotCovered");
        }

        [Fact]
        public void Checks_without_a_result_are_not_checked_and_the_row_ends_with_the_worst_severity()
        {
            var doc = Build(Hop("a.test", "mx1.a.test", 10, HopSecurityLevel.MtaStsEnforced, null, HopFindings.MtaStsEnforced.Create("ok", "mx1.a.test")));
            var a = doc.Entries.Single();
            foreach (var check in new[] { ReportCheck.Spf, ReportCheck.Dmarc, ReportCheck.Dkim, ReportCheck.Bimi, ReportCheck.StartTls, ReportCheck.Dane })
            {
                Assert.Equal(ReportRating.NotChecked, Cell(a, check).Rating);
            }

            Assert.Equal(new[] { "MX", "SPF", "DMARC", "DKIM", "MTA-STS", "TLS-RPT", "BIMI", "STARTTLS", "DANE", "Hop level", "Worst" }, doc.Columns);
            Assert.Equal(doc.Columns, a.Cells.Select(c => c.Column));
            Assert.Equal("Info", a.Cells.Last().Text);
        }

        [Fact]
        public void Rows_and_problems_come_worst_first()
        {
            var doc = Build(
                Hop("ok.test", "mx.ok.test", 10, HopSecurityLevel.MtaStsEnforced, null, HopFindings.MtaStsEnforced.Create("ok", "mx.ok.test")),
                Hop("warn1.test", "mx.warn1.test", 10, HopSecurityLevel.OpportunisticTls, null, HopFindings.OpportunisticTlsOnly.Create("w", "mx.warn1.test")),
                Hop("warn2.test", "mx.warn2.test", 10, HopSecurityLevel.OpportunisticTls, null, HopFindings.OpportunisticTlsOnly.Create("w", "mx.warn2.test")),
                Hop("dead.test", string.Empty, 0, HopSecurityLevel.Unreachable, new[] { MxFindingsLookupFailed() }, HopFindings.DomainUnreachable.Create("dns", "dead.test")));

            Assert.Equal(new[] { "dead.test", "warn1.test", "warn2.test", "ok.test" }, doc.Entries.Select(e => e.Name));
            Assert.Equal(new[] { "d1", "d2", "d3", "d4" }, doc.Entries.Select(e => e.Id));
            // Critical codes first (two of them, ordered by code), then the Warning shared by two domains; Info is no problem.
            Assert.Equal(new[] { "Hop.DomainUnreachable", "Mx.LookupFailed", "Hop.OpportunisticTlsOnly" }, doc.Problems.Select(p => p.Code));
            var shared = doc.Problems.Last();
            Assert.Equal(new[] { "warn1.test", "warn2.test" }, shared.Entries.Select(e => e.Name));
            Assert.Equal(HopFindings.OpportunisticTlsOnly.Meaning, shared.Meaning);
            Assert.Equal(HopFindings.OpportunisticTlsOnly.Remedy, shared.Remedy);
            // A domain whose MX lookup failed has no MX row: its MX cell is the lookup failure.
            Assert.Equal(ReportRating.Critical, Cell(doc.Entries[0], ReportCheck.Mx).Rating);
        }

        private static Finding MxFindingsLookupFailed() => MailSecurity.Mx.MxFindings.LookupFailed.Create("SERVFAIL", "dead.test");

        [Fact]
        public void Reads_results_read_back_from_a_file_with_enums_as_numbers_and_shallow_findings()
        {
            // Level 5 is MtaStsEnforced; Severity 2 is Error (enum numbers, as ConvertFrom-Json gives them).
            var hop = new FakeReportSource("MailSecurity.HopSecurity",
                ("Domain", "a.test"), ("MxHost", "mx1.a.test"), ("Preference", "10"), ("Level", "5"), ("Reason", "r"),
                ("Findings", new object[] { FakeReportSource.Finding("Hop.MtaStsEnforced", Severity.Info, "ok"), "[Error] Tls.CertificateExpired: the chain <expired>" }),
                ("DeliveryRisks", new object[0]));
            var doc = Build(hop);
            var a = doc.Entries.Single();
            Assert.Equal("MtaStsEnforced", Cell(a, ReportCheck.HopLevel).Text);
            var expired = a.Findings.Single(f => f.Code == "Tls.CertificateExpired");
            Assert.Equal(Severity.Error, expired.Severity);
            Assert.Equal("the chain <expired>", expired.Message);
            Assert.Equal(ReportCheck.StartTls, expired.Check);
            // The reference comes from the catalog when the file did not keep it.
            Assert.Equal(MailSecurity.Tls.TlsFindings.CertificateExpired.Reference, expired.Reference);
        }

        [Fact]
        public void A_host_probe_joins_every_domain_that_uses_the_host_and_otherwise_gets_its_own_row()
        {
            FakeReportSource Probe(string host, string outcome, params object[] findings)
                => new FakeReportSource("MailSecurity.SmtpTlsProbe", ("HostName", host), ("Address", "192.0.2.7"), ("Port", "25"), ("Outcome", outcome), ("Findings", findings));

            var doc = Build(
                Probe("shared.mx.test", "NoStartTls", FakeReportSource.Finding("Smtp.NoStartTls", Severity.Error, "no starttls")),
                Hop("a.test", "shared.mx.test", 10, HopSecurityLevel.Cleartext, null, HopFindings.Cleartext.Create("c", "shared.mx.test")),
                Hop("b.test", "shared.mx.test", 10, HopSecurityLevel.Cleartext, null, HopFindings.Cleartext.Create("c", "shared.mx.test")),
                Probe("lonely.example", "Success"));

            Assert.Equal(new[] { "a.test", "b.test", "lonely.example" }, doc.Entries.Select(e => e.Name).OrderBy(n => n, StringComparer.Ordinal));
            foreach (var name in new[] { "a.test", "b.test" })
            {
                var cell = Cell(doc.Entries.Single(e => e.Name == name), ReportCheck.StartTls);
                Assert.Equal("NoStartTls", cell.Text);
                Assert.Equal(ReportRating.Error, cell.Rating);
            }

            var lonely = doc.Entries.Single(e => e.Name == "lonely.example");
            Assert.Equal(ReportEntryKind.Host, lonely.Kind);
            Assert.Equal(ReportRating.Good, Cell(lonely, ReportCheck.StartTls).Rating);
        }

        [Fact]
        public void An_spf_check_of_one_address_does_not_hide_the_policy_verdict()
        {
            var report = new FakeReportSource("MailSecurity.MailAuthReport", ("Domain", "a.test"), ("MxStatus", "Found"), ("SpfStatus", "Valid"), ("SpfRecord", "v=spf1 -all"),
                ("DmarcStatus", "NoRecord"), ("DkimStatus", "NoneFound"), ("MtaStsStatus", "NoRecord"), ("TlsRptStatus", "NoRecord"), ("BimiStatus", "NoRecord"),
                ("Findings", new object[] { FakeReportSource.Finding("Dmarc.NoRecord", Severity.Warning, "no dmarc") }));
            var check = new FakeReportSource("MailSecurity.SpfCheckResult", ("Domain", "a.test"), ("IPAddress", "192.0.2.1"), ("Result", "Fail"), ("Findings", new object[0]));
            var a = Build(report, check).Entries.Single();

            Assert.Equal("Valid", Cell(a, ReportCheck.Spf).Text);
            Assert.Equal(ReportRating.Good, Cell(a, ReportCheck.Spf).Rating);
            Assert.Equal(ReportRating.Warning, Cell(a, ReportCheck.Dmarc).Rating);
            // Not published and nothing wrong with that: neutral, not green.
            Assert.Equal(ReportRating.Neutral, Cell(a, ReportCheck.Bimi).Rating);
            Assert.Equal(ReportRating.Neutral, Cell(a, ReportCheck.Dkim).Rating);
        }

        [Fact]
        public void A_thousand_domains_with_a_shared_problem_make_one_page_quickly()
        {
            var builder = new ReportBuilder();
            for (var i = 0; i < 1000; i++)
            {
                var domain = $"d{i}.test";
                builder.Add(new ClrReportSource(Hop(domain, "mx." + domain, 10, HopSecurityLevel.OpportunisticTls, null, HopFindings.OpportunisticTlsOnly.Create("w", "mx." + domain))));
                builder.Add(new ClrReportSource(Hop(domain, "mx2." + domain, 20, HopSecurityLevel.Cleartext, null, HopFindings.Cleartext.Create("c", "mx2." + domain))));
            }

            var clock = System.Diagnostics.Stopwatch.StartNew();
            var doc = builder.Build("t", When);
            var html = new HtmlReportWriter().Render(doc);
            clock.Stop();

            Assert.Equal(1000, doc.Entries.Count);
            Assert.Equal(1000, doc.Problems.Single(p => p.Code == "Hop.Cleartext").Entries.Count);
            Assert.Equal(1000, Regex.Matches(html, "<section class=\"entry\" id=\"d[0-9]+\">").Count);
            // Generous for a loaded two-core machine; quadratic work would take minutes.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), clock.Elapsed.ToString());
        }

        [Fact]
        public void A_failed_mta_sts_fetch_is_never_green()
        {
            // Issue 12: the cell takes the check's status, not only its findings. This hop carries no MtaSts.* finding at all.
            var b = new HopSecurityBuilder
            {
                Domain = "a.test", MxHost = "mx1.a.test", Preference = 10, Level = HopSecurityLevel.OpportunisticTls, Reason = "tls", RequireTlsDetail = "no",
                MtaSts = new MtaStsHopEvidence(HopEvidenceFactory.StsResult(MtaStsStatus.FetchFailed), null), TlsRptPresent = true,
            };
            var a = Build(new HopSecurity(b)).Entries.Single();
            var sts = Cell(a, ReportCheck.MtaSts);
            Assert.Equal("FetchFailed", sts.Text);
            Assert.Equal(ReportRating.Error, sts.Rating);
            Assert.Contains("Status: FetchFailed", sts.Detail);
        }

        [Theory]
        [InlineData(ReportCheck.Mx, "LookupFailed", ReportRating.Critical)]
        [InlineData(ReportCheck.Mx, "DomainNotFound", ReportRating.Error)]
        [InlineData(ReportCheck.Mx, "NullMx", ReportRating.NotChecked)]
        [InlineData(ReportCheck.Spf, "PermError", ReportRating.Error)]
        [InlineData(ReportCheck.MtaSts, "FetchFailed", ReportRating.Error)]
        [InlineData(ReportCheck.MtaSts, "InvalidPolicy", ReportRating.Error)]
        [InlineData(ReportCheck.MtaSts, "Invalid", ReportRating.Error)]
        [InlineData(ReportCheck.MtaSts, "ModeNone", ReportRating.NotChecked)]
        [InlineData(ReportCheck.TlsRpt, "MultipleRecords", ReportRating.Warning)]
        [InlineData(ReportCheck.StartTls, "CertificateInvalid", ReportRating.Error)]
        [InlineData(ReportCheck.StartTls, "Tls13", ReportRating.NotChecked)]
        [InlineData(ReportCheck.Dane, "NoMatch", ReportRating.Critical)]
        [InlineData(ReportCheck.Dane, "ResolverNotValidating", ReportRating.Warning)]
        [InlineData(ReportCheck.Dane, "NoTlsa", ReportRating.NotChecked)]
        // The enums are internal (the report model is machinery), so xunit's public theory takes them as object.
        public void A_status_that_says_the_check_failed_sets_the_least_colour(object check, string status, object least)
            => Assert.Equal((ReportRating)least, ReportRatings.StatusRating((ReportCheck)check, status));

        [Theory]
        // SPEC §9 and the hop findings' severities (Hop.HostUnreachable and Hop.Cleartext are Errors, Hop.OpportunisticTlsOnly and
        // Hop.MtaStsTestingOnly Warnings): anything short of an authenticated hop is not green, no service is not a fault.
        [InlineData(HopSecurityLevel.Unreachable, ReportRating.Error)]
        [InlineData(HopSecurityLevel.Cleartext, ReportRating.Error)]
        [InlineData(HopSecurityLevel.OpportunisticTls, ReportRating.Warning)]
        [InlineData(HopSecurityLevel.MtaStsTesting, ReportRating.Warning)]
        [InlineData(HopSecurityLevel.MtaStsEnforced, ReportRating.NotChecked)]
        [InlineData(HopSecurityLevel.DaneAuthenticated, ReportRating.NotChecked)]
        [InlineData(HopSecurityLevel.NoService, ReportRating.NotChecked)]
        [InlineData(null, ReportRating.NotChecked)]
        public void A_hop_level_sets_the_least_colour_of_its_verdict_finding(HopSecurityLevel? level, object least)
            => Assert.Equal((ReportRating)least, ReportRatings.LevelRating(level));

        [Fact]
        public void A_hop_read_back_without_findings_is_coloured_by_its_level()
        {
            var hop = new FakeReportSource("MailSecurity.HopSecurity", ("Domain", "a.test"), ("MxHost", "mx1.a.test"), ("Level", "2"), ("Findings", new object[0]));
            var cell = Cell(Build(hop).Entries.Single(), ReportCheck.HopLevel);
            Assert.Equal("Cleartext", cell.Text);
            Assert.Equal(ReportRating.Error, cell.Rating);
        }

        [Fact]
        public void A_dane_result_read_back_without_findings_is_coloured_by_its_verdict()
        {
            var dane = new FakeReportSource("MailSecurity.DaneResult", ("Domain", "a.test"), ("HostName", "mx1.a.test"), ("Verdict", "NoMatch"), ("Findings", new object[0]));
            Assert.Equal(ReportRating.Critical, Cell(Build(dane).Entries.Single(), ReportCheck.Dane).Rating);
        }

        [Fact]
        public void A_dane_authenticated_host_is_not_marked_down_for_pkix()
        {
            // Issue 12 item 6: DANE-TA with a private CA. The STARTTLS session's PKIX verdict is kept, but does not count (RFC 7672 §3.1.2).
            HopSecurity WithPrivateCa(string domain, HopSecurityLevel level)
            {
                var b = new HopSecurityBuilder
                {
                    Domain = domain, MxHost = HopEvidenceFactory.Host, Preference = 10, Level = level, Reason = "r", RequireTlsDetail = "no", TlsRptPresent = true,
                    Probes = new[] { HopEvidenceFactory.Probe(HopEvidenceFactory.Address, SmtpTlsOutcome.CertificateInvalid, pkixValid: false) },
                };
                b.Findings.Add(level == HopSecurityLevel.DaneAuthenticated ? HopFindings.DaneAuthenticated.Create("dane", HopEvidenceFactory.Host) : HopFindings.OpportunisticTlsOnly.Create("tls", HopEvidenceFactory.Host));
                return new HopSecurity(b);
            }

            var doc = Build(WithPrivateCa("dane.test", HopSecurityLevel.DaneAuthenticated), WithPrivateCa("plain.test", HopSecurityLevel.OpportunisticTls));
            var dane = doc.Entries.Single(e => e.Name == "dane.test");
            Assert.Equal(ReportRating.Good, Cell(dane, ReportCheck.StartTls).Rating);
            Assert.Contains("DANE authenticates", Cell(dane, ReportCheck.StartTls).Detail);
            Assert.Equal("Info", dane.Cells.Last().Text);
            var kept = Assert.Single(dane.Findings, f => f.Code == "Tls.CertificateUntrusted");
            Assert.Equal(Severity.Info, kept.Severity);
            Assert.Contains("DANE authenticates", kept.Message);
            Assert.DoesNotContain(doc.Problems, p => p.Code == "Tls.CertificateUntrusted" && p.Entries.Any(e => e.Name == "dane.test"));

            // Without DANE the same session is a PKIX failure.
            var plain = doc.Entries.Single(e => e.Name == "plain.test");
            Assert.Equal(ReportRating.Error, Cell(plain, ReportCheck.StartTls).Rating);
            Assert.Equal(Severity.Error, plain.Findings.Single(f => f.Code == "Tls.CertificateUntrusted").Severity);
        }

        [Fact]
        public void A_domain_that_does_not_exist_is_not_counted_without_problems()
        {
            // Issue 12 item 4: the hop of an NXDOMAIN carries Mx.DomainNotFound at Get-MailAuthRecords' severity.
            var mx = HopEvidenceFactory.NoHostMx(MxStatus.DomainNotFound, DnssecStatus.Secure);
            var hop = HopDecision.Decide(new HopEvidence { Domain = HopEvidenceFactory.Domain, Mx = mx, MxDnssec = DnssecStatus.Secure });
            var entry = Build(hop).Entries.Single();
            Assert.Equal("Error", entry.Cells.Last().Text);
            Assert.Equal(ReportRating.Error, Cell(entry, ReportCheck.Mx).Rating);
        }

        [Fact]
        public void Rejects_objects_that_are_not_results()
        {
            var builder = new ReportBuilder();
            Assert.False(builder.Add(new ClrReportSource("a string")));
            Assert.False(builder.Add(new FakeReportSource("System.Management.Automation.PSCustomObject", ("Domain", "a.test"))));
            Assert.Empty(builder.Build("t", When).Entries);
        }

        [Theory]
        [InlineData("Mx.NullMx", ReportCheck.Mx)]
        [InlineData("Dns.ResolverNotValidating", ReportCheck.Mx)]
        [InlineData("MtaSts.NoTlsRpt", ReportCheck.TlsRpt)]
        [InlineData("Hop.NoTlsRpt", ReportCheck.TlsRpt)]
        [InlineData("MtaSts.MxNotCovered", ReportCheck.MtaSts)]
        [InlineData("Tls.CertificateExpired", ReportCheck.StartTls)]
        [InlineData("Smtp.NoStartTls", ReportCheck.StartTls)]
        [InlineData("Hop.DaneFailureNotOverridden", ReportCheck.Dane)]
        [InlineData("Hop.Cleartext", ReportCheck.HopLevel)]
        [InlineData("Hop.DaneWithInsecureMx", ReportCheck.Dane)]
        [InlineData("MtaSts.TlsRptLookupFailed", ReportCheck.TlsRpt)]
        [InlineData("Bimi.InvalidUri", ReportCheck.Bimi)]
        // A code this build does not know (a file from another version) takes the column of its prefix's findings class.
        [InlineData("Mx.NotYetInvented", ReportCheck.Mx)]
        [InlineData("Smtp.NotYetInvented", ReportCheck.StartTls)]
        public void Finding_codes_map_to_the_check_they_are_about(string code, object check) => Assert.Equal((ReportCheck)check, FindingCatalog.ReportColumnOf(code));

        [Theory]
        [InlineData("Received.CleartextHop")]
        [InlineData("Arc.NotYetInvented")]
        [InlineData("Input.WildcardDomain")]
        [InlineData("Nothing.Known")]
        public void Message_mode_and_unknown_codes_have_no_column(string code) => Assert.Null(FindingCatalog.ReportColumnOf(code));

        [Fact]
        public void The_column_is_on_the_descriptor_itself()
        {
            // Set once on the findings class (SpfFindings) or on one code (HopFindings.NoTlsRpt); read before or after the catalog.
            Assert.Equal(ReportCheck.Spf, MailSecurity.Spf.SpfFindings.NoRecord.ReportColumn);
            Assert.Equal(ReportCheck.TlsRpt, HopFindings.NoTlsRpt.ReportColumn);
            Assert.Equal(ReportCheck.HopLevel, HopFindings.Cleartext.ReportColumn);
        }

        [Fact]
        public void Every_domain_code_of_the_catalog_maps_to_a_column()
        {
            // Message-mode codes (Received, Authentication-Results, ARC, the message itself, its S/MIME or OpenPGP protection)
            // have no domain column, nor do notes on how the input was read (Input.*: a wildcard accepted domain checked as its parent).
            var messageAreas = new[] { "Received", "AuthResults", "Arc", "Message", "Smime", "OpenPgp", "Input" };
            foreach (var d in FindingCatalog.Descriptors.Where(d => messageAreas.Contains(d.Code.Split('.')[0])))
            {
                Assert.False(d.ReportColumn.HasValue, d.Code);
            }

            foreach (var d in FindingCatalog.Descriptors.Where(d => !messageAreas.Contains(d.Code.Split('.')[0])))
            {
                Assert.True(d.ReportColumn.HasValue, d.Code);
            }
        }
    }
}
