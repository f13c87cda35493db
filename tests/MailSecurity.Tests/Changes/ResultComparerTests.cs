using System;
using System.Collections.Generic;
using System.Linq;
using MailSecurity.Changes;
using Xunit;

namespace MailSecurity.Tests.Changes
{
    /// <summary>The decision table of Compare-MailSecurityResult, on hand-made snapshots (the lab tests read real runs).</summary>
    public class ResultComparerTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

        private static ResultSnapshot Hop(string mx, string level, IEnumerable<(string Code, Severity Severity)>? findings = null, string? risks = null, IEnumerable<CertificateSnapshot>? certificates = null, DateTimeOffset? at = null)
            => new ResultSnapshot(
                ResultShape.HopSecurity,
                new Dictionary<string, string?> { ["Domain"] = "contoso.test", ["MxHost"] = mx, ["Level"] = ResultShape.HopSecurity.Values.First(v => v.Path == "Level").Normalize(level), ["DeliveryRiskCodes"] = risks },
                (findings ?? Array.Empty<(string, Severity)>()).Select(f => new FindingSnapshot(f.Code, f.Severity, mx, "message about " + mx)).ToList(),
                (certificates ?? Array.Empty<CertificateSnapshot>()).ToList(),
                at);

        private static ResultSnapshot Sts(string? id, string mode, long maxAge, string patterns)
            => new ResultSnapshot(
                ResultShape.MtaStsPolicyResult,
                new Dictionary<string, string?> { ["Domain"] = "contoso.test", ["Status"] = "Valid", ["Id"] = id, ["Mode"] = mode, ["MaxAgeSeconds"] = maxAge.ToString(System.Globalization.CultureInfo.InvariantCulture), ["MxPatterns"] = patterns },
                Array.Empty<FindingSnapshot>(),
                Array.Empty<CertificateSnapshot>(),
                null);

        private static IReadOnlyList<ResultChange> Compare(IEnumerable<ResultSnapshot> before, IEnumerable<ResultSnapshot> after, int days = 30)
            => ResultComparer.Compare(before, after, new CompareOptions { ExpiryWarningDays = days, Now = Now });

        [Fact]
        public void Identical_runs_have_no_changes()
        {
            var run = new[] { Hop("mx1.contoso.test", "DaneAuthenticated", new[] { ("Hop.Ok", Severity.Info) }), Hop("mx2.contoso.test", "OpportunisticTls") };
            Assert.Empty(Compare(run, run));
        }

        [Theory]
        [InlineData(Severity.Error, true)]
        [InlineData(Severity.Critical, true)]
        [InlineData(Severity.Warning, false)]
        [InlineData(Severity.Info, false)]
        public void A_finding_that_appears_is_a_new_problem_only_at_Error_or_worse(Severity severity, bool newProblem)
        {
            var c = Assert.Single(Compare(new[] { Hop("mx", "OpportunisticTls") }, new[] { Hop("mx", "OpportunisticTls", new[] { ("MtaSts.MxNotCovered", severity) }) }));
            Assert.Equal(ChangeKind.FindingAppeared, c.Kind);
            Assert.Equal("MtaSts.MxNotCovered", c.Code);
            Assert.Equal(severity, c.Severity);
            Assert.Equal(newProblem, c.IsNewProblem);
            Assert.Equal("mx", c.Target);
            Assert.Equal("contoso.test", c.Domain);
        }

        [Fact]
        public void A_finding_that_clears_is_info_with_its_old_severity()
        {
            var c = Assert.Single(Compare(new[] { Hop("mx", "OpportunisticTls", new[] { ("Smtp.NoStartTls", Severity.Error) }) }, new[] { Hop("mx", "OpportunisticTls") }));
            Assert.Equal(ChangeKind.FindingCleared, c.Kind);
            Assert.Equal(Severity.Info, c.Severity);
            Assert.Equal("Error", c.Before);
            Assert.False(c.IsNewProblem);
        }

        [Theory]
        [InlineData("DaneAuthenticated", "MtaStsEnforced", Severity.Warning, "dropped")]
        [InlineData("MtaStsEnforced", "Cleartext", Severity.Error, "dropped")]
        [InlineData("OpportunisticTls", "Unreachable", Severity.Error, "dropped")]
        [InlineData("OpportunisticTls", "DaneAuthenticated", Severity.Info, "rose")]
        [InlineData("5", "3", Severity.Warning, "dropped")] // Import-Clixml may give the level back as a number
        public void A_level_change_per_MX_host_says_which_way(string before, string after, Severity severity, string direction)
        {
            var c = Assert.Single(Compare(new[] { Hop("mx", before) }, new[] { Hop("mx", after) }));
            Assert.Equal(ChangeKind.LevelChanged, c.Kind);
            Assert.Equal(severity, c.Severity);
            Assert.Contains(direction, c.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Sets_compare_without_order_or_separator_style()
        {
            Assert.Empty(Compare(new[] { Hop("mx", "OpportunisticTls", risks: "Dane.NoMatchingRecord;MtaSts.MxNotCovered") }, new[] { Hop("mx", "OpportunisticTls", risks: "MtaSts.MxNotCovered, Dane.NoMatchingRecord") }));
            var c = Assert.Single(Compare(new[] { Hop("mx", "OpportunisticTls", risks: "Dane.NoMatchingRecord") }, new[] { Hop("mx", "OpportunisticTls", risks: "MtaSts.MxNotCovered") }));
            Assert.Equal(ChangeKind.ValueChanged, c.Kind);
            Assert.Equal("DeliveryRiskCodes", c.Property);
        }

        [Fact]
        public void Results_are_matched_by_identity_and_the_rest_are_added_or_removed()
        {
            var changes = Compare(new[] { Hop("MX1.contoso.test", "OpportunisticTls"), Hop("old.contoso.test", "OpportunisticTls") },
                                  new[] { Hop("mx1.contoso.test", "OpportunisticTls"), Hop("new.contoso.test", "Cleartext", new[] { ("Smtp.NoStartTls", Severity.Error) }) });
            Assert.Equal(new[] { ChangeKind.ResultAdded, ChangeKind.FindingAppeared, ChangeKind.ResultRemoved }, changes.Select(c => c.Kind));
            Assert.Equal("new.contoso.test", changes[0].Target);
            Assert.True(changes[1].IsNewProblem);
            Assert.Equal("old.contoso.test", changes[2].Target);
            Assert.Equal(Severity.Warning, changes[2].Severity);
        }

        [Fact]
        public void A_replaced_certificate_is_reported_with_both_thumbprints()
        {
            var a = new CertificateSnapshot("aa", "CN=old", Now.AddDays(300));
            var b = new CertificateSnapshot("BB", "CN=new", Now.AddDays(400));
            var c = Assert.Single(Compare(new[] { Hop("mx", "OpportunisticTls", certificates: new[] { a }) }, new[] { Hop("mx", "OpportunisticTls", certificates: new[] { b }) }));
            Assert.Equal(ChangeKind.CertificateReplaced, c.Kind);
            Assert.Equal("AA", c.Before);
            Assert.Equal("BB", c.After);
            Assert.Contains("CN=new", c.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void A_certificate_nearing_expiry_is_reported_once_when_it_enters_the_window()
        {
            var cert = new CertificateSnapshot("AA", "CN=mx", Now.AddDays(20));
            // Then (60 days ago) it had 80 days left: outside a 30-day window; now 20: inside.
            var entering = Compare(new[] { Hop("mx", "OpportunisticTls", certificates: new[] { cert }, at: Now.AddDays(-60)) }, new[] { Hop("mx", "OpportunisticTls", certificates: new[] { cert }, at: Now) });
            var c = Assert.Single(entering);
            Assert.Equal(ChangeKind.CertificateNearingExpiry, c.Kind);
            Assert.Equal(Severity.Warning, c.Severity);
            Assert.Contains("20 day(s)", c.Message, StringComparison.Ordinal);
            // Then (a day ago) it already had 21 days left: said then, not again.
            Assert.Empty(Compare(new[] { Hop("mx", "OpportunisticTls", certificates: new[] { cert }, at: Now.AddDays(-1)) }, new[] { Hop("mx", "OpportunisticTls", certificates: new[] { cert }, at: Now) }));
            // A new certificate that is already close: replaced and nearing expiry.
            var fresh = new CertificateSnapshot("BB", "CN=mx", Now.AddDays(-2));
            var both = Compare(new[] { Hop("mx", "OpportunisticTls", certificates: new[] { new CertificateSnapshot("AA", "CN=mx", Now.AddDays(400)) }) }, new[] { Hop("mx", "OpportunisticTls", certificates: new[] { fresh }, at: Now) });
            Assert.Equal(new[] { ChangeKind.CertificateReplaced, ChangeKind.CertificateNearingExpiry }, both.Select(x => x.Kind));
            Assert.Contains("expired on", both[1].Message, StringComparison.Ordinal);
        }

        [Fact]
        public void MTA_STS_drift_comes_from_the_drift_detector()
        {
            var changes = Compare(new[] { Sts("20240101", "Enforce", 604800, "mx1.contoso.test") }, new[] { Sts("20250101", "Enforce", 604800, "mx1.contoso.test") });
            Assert.Equal(new[] { ChangeKind.ValueChanged, ChangeKind.PolicyDrift }, changes.Select(c => c.Kind));
            Assert.Equal("Id", changes[0].Property);
            Assert.Equal("MtaSts.IdChangedPolicySame", changes[1].Code);

            var downgrade = Compare(new[] { Sts("1", "Enforce", 604800, "mx1.contoso.test") }, new[] { Sts("1", "Testing", 86400, "mx1.contoso.test, mx2.contoso.test") });
            Assert.Contains(downgrade, c => c.Kind == ChangeKind.PolicyDrift && c.Code == "MtaSts.ModeDowngrade");
            Assert.Contains(downgrade, c => c.Kind == ChangeKind.PolicyDrift && c.Code == "MtaSts.PolicyChangedIdSame");
            Assert.Contains(downgrade, c => c.Kind == ChangeKind.PolicyDrift && c.Code == "MtaSts.MaxAgeShortened");
            Assert.Contains(downgrade, c => c.Kind == ChangeKind.ValueChanged && c.Property == "MxPatterns");
        }

        [Theory]
        [InlineData(typeof(HopSecurityLevel), "5", "MtaStsEnforced")]
        [InlineData(typeof(HopSecurityLevel), "mtastsenforced", "MtaStsEnforced")]
        [InlineData(typeof(HopSecurityLevel), "99", "99")]
        [InlineData(null, "  text ", "text")]
        [InlineData(null, "", null)]
        public void Values_normalise_enum_numbers_and_names(Type? enumType, string raw, string? expected)
            => Assert.Equal(expected, new ComparedValue("X", "x", enumType).Normalize(raw));

        [Theory]
        [InlineData("MailSecurity.HopSecurity", "HopSecurity")]
        [InlineData("Deserialized.MailSecurity.DaneResult#Domain", "DaneResult")]
        [InlineData("MailSecurity.SmtpTlsProbe#Domain", "SmtpTlsProbe")]
        [InlineData("System.String", null)]
        [InlineData("MailSecurity.Finding", null)]
        public void Shapes_are_found_by_type_name(string typeName, string? shape) => Assert.Equal(shape, ResultShape.Of(typeName)?.Name);
    }
}
