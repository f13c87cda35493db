using System;
using System.Linq;
using MailSecurity.MtaSts;
using Xunit;

namespace MailSecurity.Tests.MtaSts
{
    /// <summary>Drift against an earlier result: what senders' caches make of a change (RFC 8461 §3.1, §5.1, §8.1).</summary>
    public class MtaStsDriftDetectorTests
    {
        private static MtaStsPolicySnapshot Snap(string id, MtaStsMode mode = MtaStsMode.Enforce, long maxAge = 604800, string[]? mx = null, MtaStsStatus? status = null)
            => new MtaStsPolicySnapshot(status ?? (mode == MtaStsMode.None ? MtaStsStatus.ModeNone : MtaStsStatus.Valid), id, mode, maxAge, mx ?? new[] { "mx1.example.com", "*.example.net" }, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

        private static string[] Codes(MtaStsPolicySnapshot before, MtaStsPolicySnapshot after)
            => MtaStsDriftDetector.Compare(before, after, "example.com").Select(f => f.Code).ToArray();

        [Fact]
        public void Nothing_changed_gives_no_drift()
            => Assert.Empty(Codes(Snap("1"), Snap("1")));

        [Fact]
        public void Id_changed_policy_same()
            => Assert.Equal(new[] { "MtaSts.IdChangedPolicySame" }, Codes(Snap("1"), Snap("2")));

        [Fact]
        public void Mx_order_case_and_trailing_dot_are_not_a_policy_change()
            => Assert.Empty(Codes(Snap("1"), Snap("1", mx: new[] { "*.EXAMPLE.net", "mx1.example.com." })));

        [Fact]
        public void Policy_changed_id_same_is_an_error_naming_the_change()
        {
            var findings = MtaStsDriftDetector.Compare(Snap("1"), Snap("1", mx: new[] { "mx2.example.com" }), "example.com");
            var f = Assert.Single(findings);
            Assert.Equal("MtaSts.PolicyChangedIdSame", f.Code);
            Assert.Equal(Severity.Error, f.Severity);
            Assert.Contains("mx2.example.com", f.Message);
            Assert.Contains("mx1.example.com", f.Message);
        }

        [Theory]
        [InlineData(MtaStsMode.Enforce, MtaStsMode.Testing, true)]
        [InlineData(MtaStsMode.Enforce, MtaStsMode.None, true)]
        [InlineData(MtaStsMode.Testing, MtaStsMode.None, true)]
        [InlineData(MtaStsMode.Testing, MtaStsMode.Enforce, false)]
        [InlineData(MtaStsMode.None, MtaStsMode.Testing, false)]
        public void Mode_downgrade(MtaStsMode before, MtaStsMode after, bool downgrade)
        {
            var codes = Codes(Snap("1", before), Snap("2", after));
            Assert.Equal(downgrade, codes.Contains("MtaSts.ModeDowngrade"));
            Assert.DoesNotContain("MtaSts.IdChangedPolicySame", codes); // the mode did change
        }

        [Fact]
        public void Mode_downgrade_without_a_new_id_is_also_a_policy_change_with_the_same_id()
        {
            var codes = Codes(Snap("1", MtaStsMode.Enforce), Snap("1", MtaStsMode.Testing));
            Assert.Contains("MtaSts.ModeDowngrade", codes);
            Assert.Contains("MtaSts.PolicyChangedIdSame", codes);
        }

        [Fact]
        public void Max_age_shortened()
        {
            Assert.Equal(new[] { "MtaSts.MaxAgeShortened" }, Codes(Snap("1"), Snap("2", maxAge: 86400)));
            Assert.Empty(Codes(Snap("1", maxAge: 86400), Snap("1", maxAge: 86400)));
            Assert.Equal(new[] { "MtaSts.IdChangedPolicySame" }, Codes(Snap("1", maxAge: 86400), Snap("2", maxAge: 86400)));
        }

        [Fact]
        public void A_policy_that_disappeared_is_withdrawn()
        {
            var gone = new MtaStsPolicySnapshot(MtaStsStatus.FetchFailed, "2", null, null, null, null);
            Assert.Equal(new[] { "MtaSts.PolicyWithdrawn" }, Codes(Snap("1"), gone));
        }

        [Fact]
        public void A_failed_lookup_is_not_a_withdrawal()
        {
            var unknown = new MtaStsPolicySnapshot(MtaStsStatus.LookupFailed, null, null, null, null, null);
            Assert.Empty(Codes(Snap("1"), unknown));
        }

        [Fact]
        public void Completing_an_opt_out_is_not_drift()
        {
            var gone = new MtaStsPolicySnapshot(MtaStsStatus.NoRecord, null, null, null, null, null);
            Assert.Empty(Codes(Snap("1", MtaStsMode.None), gone));
        }

        [Fact]
        public void No_previous_policy_gives_no_drift()
        {
            var none = new MtaStsPolicySnapshot(MtaStsStatus.NoRecord, null, null, null, null, null);
            Assert.Empty(Codes(none, Snap("1")));
        }
    }
}
