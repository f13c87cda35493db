using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MailSecurity.MtaSts
{
    /// <summary>
    /// The parts of an earlier Get-MtaStsPolicy result that drift detection compares (from a live result or one read back
    /// with Import-Clixml). Immutable.
    /// </summary>
    internal sealed class MtaStsPolicySnapshot
    {
        /// <summary>Creates a snapshot.</summary>
        public MtaStsPolicySnapshot(MtaStsStatus? status, string? id, MtaStsMode? mode, long? maxAgeSeconds, IReadOnlyList<string>? mxPatterns, DateTimeOffset? checkedAt)
        {
            Status = status;
            Id = id;
            Mode = mode;
            MaxAgeSeconds = maxAgeSeconds;
            MxPatterns = mxPatterns ?? Array.Empty<string>();
            CheckedAt = checkedAt;
        }

        /// <summary>The status then (null when unknown).</summary>
        public MtaStsStatus? Status { get; }

        /// <summary>The TXT id then.</summary>
        public string? Id { get; }

        /// <summary>The mode then.</summary>
        public MtaStsMode? Mode { get; }

        /// <summary>max_age then, in seconds.</summary>
        public long? MaxAgeSeconds { get; }

        /// <summary>The mx patterns then.</summary>
        public IReadOnlyList<string> MxPatterns { get; }

        /// <summary>When the earlier check ran, if known.</summary>
        public DateTimeOffset? CheckedAt { get; }

        /// <summary>True when a policy was in place (active or mode none).</summary>
        public bool HasPolicy => (Status == MtaStsStatus.Valid || Status == MtaStsStatus.ModeNone) && Mode != null;

        /// <summary>The snapshot of a result.</summary>
        public static MtaStsPolicySnapshot From(MtaStsPolicyResult result)
        {
            if (result is null)
            {
                throw new ArgumentNullException(nameof(result));
            }

            return new MtaStsPolicySnapshot(result.Status, result.Id, result.Mode, result.MaxAgeSeconds, result.MxPatterns, result.CheckedAt);
        }
    }

    /// <summary>
    /// Compares a domain's MTA-STS state with an earlier one and reports what matters to senders' caches (RFC 8461 §3.1,
    /// §5.1, §8.1): the id changed but the policy did not; the policy changed but the id did not (senders keep the old
    /// policy); the mode weakened; max_age shrank; a policy that was in force is gone.
    /// </summary>
    internal static class MtaStsDriftDetector
    {
        /// <summary>Drift findings of <paramref name="current"/> against <paramref name="previous"/>; empty when nothing relevant changed.</summary>
        /// <param name="previous">The earlier state.</param>
        /// <param name="current">The state now.</param>
        /// <param name="target">Target of the findings (the domain).</param>
        public static IReadOnlyList<Finding> Compare(MtaStsPolicySnapshot previous, MtaStsPolicySnapshot current, string target)
        {
            if (previous is null)
            {
                throw new ArgumentNullException(nameof(previous));
            }

            if (current is null)
            {
                throw new ArgumentNullException(nameof(current));
            }

            var findings = new List<Finding>();
            var since = previous.CheckedAt is DateTimeOffset at ? $" (previous check {at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC)" : string.Empty;
            if (current.Status == MtaStsStatus.LookupFailed)
            {
                // Unknown is not gone: the failed lookup has its own finding, and senders keep their cached policy (RFC 8461 §5.1).
                return findings;
            }

            if (previous.Status == MtaStsStatus.Valid && !current.HasPolicy)
            {
                findings.Add(MtaStsFindings.PolicyWithdrawn.Create($"The previous check found an active {previous.Mode?.ToString().ToLowerInvariant()} policy (id {previous.Id}){since}; now the status is {current.Status}.", target));
                return findings;
            }

            if (!previous.HasPolicy || !current.HasPolicy)
            {
                return findings;
            }

            var changes = Differences(previous, current);
            var idSame = string.Equals(previous.Id, current.Id, StringComparison.Ordinal);
            if (!idSame && changes.Count == 0)
            {
                findings.Add(MtaStsFindings.IdChangedPolicySame.Create($"The TXT id changed from {previous.Id} to {current.Id}{since}, but mode, max_age and mx are unchanged.", target));
            }
            else if (idSame && changes.Count > 0)
            {
                findings.Add(MtaStsFindings.PolicyChangedIdSame.Create($"The policy changed ({string.Join("; ", changes)}){since} but the TXT id is still {current.Id}: senders with the old policy cached keep it for up to {previous.MaxAgeSeconds} seconds.", target));
            }

            if (Rank(current.Mode) < Rank(previous.Mode))
            {
                findings.Add(MtaStsFindings.ModeDowngrade.Create($"The mode went from {previous.Mode?.ToString().ToLowerInvariant()} to {current.Mode?.ToString().ToLowerInvariant()}{since}.", target));
            }

            if (previous.MaxAgeSeconds is long before && current.MaxAgeSeconds is long now && now < before)
            {
                findings.Add(MtaStsFindings.MaxAgeShortened.Create($"max_age went from {before} to {now} seconds{since}.", target));
            }

            return findings;
        }

        /// <summary>What differs between the two policies (mode, max_age, the set of mx patterns), in words.</summary>
        internal static List<string> Differences(MtaStsPolicySnapshot a, MtaStsPolicySnapshot b)
        {
            var changes = new List<string>();
            if (a.Mode != b.Mode)
            {
                changes.Add($"mode {a.Mode?.ToString().ToLowerInvariant()} -> {b.Mode?.ToString().ToLowerInvariant()}");
            }

            if (a.MaxAgeSeconds != b.MaxAgeSeconds)
            {
                changes.Add($"max_age {a.MaxAgeSeconds} -> {b.MaxAgeSeconds}");
            }

            var before = Normalize(a.MxPatterns);
            var after = Normalize(b.MxPatterns);
            var removed = before.Except(after, StringComparer.Ordinal).ToList();
            var added = after.Except(before, StringComparer.Ordinal).ToList();
            if (removed.Count > 0)
            {
                changes.Add("mx removed: " + string.Join(", ", removed));
            }

            if (added.Count > 0)
            {
                changes.Add("mx added: " + string.Join(", ", added));
            }

            return changes;
        }

        private static SortedSet<string> Normalize(IEnumerable<string> patterns)
            => new SortedSet<string>(patterns.Select(p => p.Trim().TrimEnd('.').ToLowerInvariant()), StringComparer.Ordinal);

        private static int Rank(MtaStsMode? mode) => mode switch
        {
            MtaStsMode.Enforce => 2,
            MtaStsMode.Testing => 1,
            _ => 0,
        };
    }
}
