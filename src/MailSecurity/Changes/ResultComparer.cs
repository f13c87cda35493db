using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MailSecurity.MtaSts;

namespace MailSecurity.Changes
{
    /// <summary>Settings of a comparison. Copied when the comparison runs.</summary>
    internal sealed class CompareOptions
    {
        /// <summary>A certificate that expires within this many days of the newer run is reported as nearing expiry. Default: 30.</summary>
        public int ExpiryWarningDays { get; set; } = 30;

        /// <summary>The time of the newer run when its results do not say. Default: now.</summary>
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;
    }

    /// <summary>
    /// Compares two runs of MailSecurity cmdlets result by result (matched by type and identity: domain, MX host,
    /// host and address...) and says what changed: findings that appeared or cleared, hop levels, records and values,
    /// MTA-STS drift (through <see cref="MtaStsDriftDetector"/>, the one implementation Get-MtaStsPolicy -PreviousPolicy
    /// also uses), certificates replaced or nearing expiry, results added or gone. A pure function of the snapshots.
    /// </summary>
    internal static class ResultComparer
    {
        public static IReadOnlyList<ResultChange> Compare(IEnumerable<ResultSnapshot> reference, IEnumerable<ResultSnapshot> difference, CompareOptions? options = null)
        {
            var o = options ?? new CompareOptions();
            var window = TimeSpan.FromDays(Math.Max(0, o.ExpiryWarningDays));
            var before = new Dictionary<string, Queue<ResultSnapshot>>(StringComparer.Ordinal);
            var order = new List<ResultSnapshot>();
            foreach (var r in reference)
            {
                var id = r.Shape.Name + "|" + r.Key;
                if (!before.TryGetValue(id, out var queue))
                {
                    before[id] = queue = new Queue<ResultSnapshot>();
                }

                queue.Enqueue(r);
                order.Add(r);
            }

            var matched = new HashSet<ResultSnapshot>();
            var changes = new List<ResultChange>();
            foreach (var now in difference)
            {
                var id = now.Shape.Name + "|" + now.Key;
                if (before.TryGetValue(id, out var queue) && queue.Count > 0)
                {
                    var then = queue.Dequeue();
                    matched.Add(then);
                    CompareOne(then, now, o, window, changes);
                    continue;
                }

                changes.Add(Change(now, ChangeKind.ResultAdded, "Result", null, Severity.Info, null, now.Target,
                    $"{now.Target} is new: the reference run has no {now.Shape.Name} for it."));
                foreach (var f in now.Findings)
                {
                    changes.Add(Appeared(now, f));
                }

                NearingExpiry(null, now, o, window, changes);
            }

            foreach (var then in order.Where(r => !matched.Contains(r)))
            {
                changes.Add(Change(then, ChangeKind.ResultRemoved, "Result", null, Severity.Warning, then.Target, null,
                    $"{then.Target} is gone: the reference run has a {then.Shape.Name} for it, this run has none."));
            }

            return changes;
        }

        private static void CompareOne(ResultSnapshot then, ResultSnapshot now, CompareOptions o, TimeSpan window, List<ResultChange> changes)
        {
            var old = then.Findings.GroupBy(f => f.Identity).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var current = now.Findings.GroupBy(f => f.Identity).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            foreach (var f in now.Findings.Where(f => !old.ContainsKey(f.Identity)).GroupBy(f => f.Identity).Select(g => g.First()))
            {
                changes.Add(Appeared(now, f));
            }

            foreach (var f in then.Findings.Where(f => !current.ContainsKey(f.Identity)).GroupBy(f => f.Identity).Select(g => g.First()))
            {
                changes.Add(Change(now, ChangeKind.FindingCleared, "Findings", f.Code, Severity.Info, f.Severity.ToString(), null,
                    $"{f.Code} ({f.Severity}) is gone for {f.Target}: {f.Message}"));
            }

            foreach (var v in now.Shape.Values)
            {
                var a = then.Value(v.Path);
                var b = now.Value(v.Path);
                if (Same(a, b, v))
                {
                    continue;
                }

                if (v.EnumType == typeof(HopSecurityLevel))
                {
                    changes.Add(LevelChange(now, v, a, b));
                }
                else
                {
                    changes.Add(Change(now, ChangeKind.ValueChanged, v.Path, null, Severity.Info, a, b,
                        $"The {v.Label} of {now.Target} changed from {Show(a)} to {Show(b)}."));
                }
            }

            if (now.Shape == ResultShape.MtaStsPolicyResult)
            {
                // RFC 8461 §3.1, §5.1: what the change means to senders' cached policies, decided by the drift detector.
                foreach (var d in MtaStsDriftDetector.Compare(MtaStsSnapshotOf(then), MtaStsSnapshotOf(now), now.Domain))
                {
                    changes.Add(Change(now, ChangeKind.PolicyDrift, "MtaSts", d.Code, d.Severity, then.Value("Id"), now.Value("Id"), d.Message));
                }
            }

            var before = then.Certificates.Select(c => c.Thumbprint).Distinct().OrderBy(t => t, StringComparer.Ordinal).ToList();
            var after = now.Certificates.Select(c => c.Thumbprint).Distinct().OrderBy(t => t, StringComparer.Ordinal).ToList();
            if (before.Count > 0 && after.Count > 0 && !before.SequenceEqual(after))
            {
                var subjects = string.Join("; ", now.Certificates.Where(c => !before.Contains(c.Thumbprint)).Select(Describe).Distinct());
                changes.Add(Change(now, ChangeKind.CertificateReplaced, "Certificate", null, Severity.Info, string.Join(";", before), string.Join(";", after),
                    $"{now.Target} presents another certificate than before: {subjects}."));
            }

            NearingExpiry(then, now, o, window, changes);
        }

        /// <summary>
        /// A certificate of the newer run that expires within the window is reported once: when it is new, or when the
        /// same certificate was still outside the window at the time of the reference run.
        /// </summary>
        private static void NearingExpiry(ResultSnapshot? then, ResultSnapshot now, CompareOptions o, TimeSpan window, List<ResultChange> changes)
        {
            var at = now.CheckedAt ?? o.Now;
            foreach (var c in now.Certificates.Where(c => c.NotAfter.HasValue).GroupBy(c => c.Thumbprint).Select(g => g.First()))
            {
                var left = c.NotAfter!.Value - at;
                if (left > window)
                {
                    continue;
                }

                var old = then?.Certificates.FirstOrDefault(x => x.Thumbprint == c.Thumbprint);
                if (old != null && (then!.CheckedAt is null || c.NotAfter.Value - then.CheckedAt.Value <= window))
                {
                    continue; // the same certificate was already within the window (or when is unknown): said before
                }

                var days = Math.Floor(left.TotalDays).ToString(CultureInfo.InvariantCulture);
                var when = left < TimeSpan.Zero ? "expired on" : $"expires in {days} day(s), on";
                changes.Add(Change(now, ChangeKind.CertificateNearingExpiry, "Certificate", null, Severity.Warning, null, c.NotAfter.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    $"The certificate of {now.Target} ({Describe(c)}) {when} {c.NotAfter.Value:yyyy-MM-dd}."));
            }
        }

        private static ResultChange LevelChange(ResultSnapshot now, ComparedValue v, string? a, string? b)
        {
            var from = Parse<HopSecurityLevel>(a);
            var to = Parse<HopSecurityLevel>(b);
            var lower = from.HasValue && to.HasValue && to.Value < from.Value;
            // Down to cleartext or unreachable, mail is exposed or undeliverable: an error; any other step down a warning.
            var severity = !lower ? Severity.Info : to!.Value <= HopSecurityLevel.Cleartext ? Severity.Error : Severity.Warning;
            var direction = lower ? "dropped" : "rose";
            return Change(now, ChangeKind.LevelChanged, v.Path, null, severity, a, b, $"The {v.Label} of {now.Target} {direction} from {Show(a)} to {Show(b)}.");
        }

        private static ResultChange Appeared(ResultSnapshot now, FindingSnapshot f)
            => Change(now, ChangeKind.FindingAppeared, "Findings", f.Code, f.Severity, null, f.Severity.ToString(), $"{f.Code} ({f.Severity}) appeared for {f.Target}: {f.Message}");

        private static ResultChange Change(ResultSnapshot r, ChangeKind kind, string property, string? code, Severity severity, string? before, string? after, string message)
            => new ResultChange(r.Shape.Name, r.Domain, r.Target, kind, property, code, severity, before, after, message);

        private static bool Same(string? a, string? b, ComparedValue v)
        {
            if (string.IsNullOrEmpty(a) && string.IsNullOrEmpty(b))
            {
                return true;
            }

            if (v.IsSet)
            {
                return Items(a).SequenceEqual(Items(b), StringComparer.OrdinalIgnoreCase);
            }

            return string.Equals(a, b, StringComparison.Ordinal);
        }

        private static IEnumerable<string> Items(string? text)
            => (text ?? string.Empty).Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries).Select(t => t.Trim()).Where(t => t.Length > 0).OrderBy(t => t, StringComparer.OrdinalIgnoreCase);

        /// <summary>The MTA-STS state the drift detector compares, from a snapshot of a Get-MtaStsPolicy result.</summary>
        internal static MtaStsPolicySnapshot MtaStsSnapshotOf(ResultSnapshot r)
        {
            long? maxAge = long.TryParse(r.Value("MaxAgeSeconds"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var m) ? m : (long?)null;
            var patterns = (r.Value("MxPatterns") ?? string.Empty).Split(new[] { ',', ' ', ';' }, StringSplitOptions.RemoveEmptyEntries);
            return new MtaStsPolicySnapshot(Parse<MtaStsStatus>(r.Value("Status")), r.Value("Id"), Parse<MtaStsMode>(r.Value("Mode")), maxAge, patterns, r.CheckedAt);
        }

        private static T? Parse<T>(string? text)
            where T : struct
            => !string.IsNullOrEmpty(text) && Enum.TryParse<T>(text, true, out var value) ? value : (T?)null;

        private static string Show(string? value) => string.IsNullOrEmpty(value) ? "(none)" : "'" + value + "'";

        private static string Describe(CertificateSnapshot c)
            => (c.Subject ?? "certificate") + " (SHA-1 " + c.Thumbprint + (c.NotAfter.HasValue ? ", expires " + c.NotAfter.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : string.Empty) + ")";
    }
}
