using System;
using System.Collections.Generic;
using System.Linq;

namespace MailSecurity
{
    /// <summary>One observation about a domain, host or message, with a stable code scripts can alert on.</summary>
    public sealed class Finding
    {
        /// <summary>Creates a finding. Prefer <see cref="FindingDescriptor.Create"/>.</summary>
        public Finding(string code, Severity severity, string message, string target, string reference)
        {
            Code = code ?? throw new ArgumentNullException(nameof(code));
            Severity = severity;
            // The last line of defence for text from DNS, web servers and messages: every producer shortens its excerpts
            // (DisplayText), and whatever slips through is escaped and cut here rather than carried into reports whole.
            Message = DisplayText.Shorten(message ?? throw new ArgumentNullException(nameof(message)), MaxMessageLength);
            Target = DisplayText.Shorten(target, MaxTargetLength);
            Reference = reference ?? string.Empty;
        }

        /// <summary>The longest <see cref="Message"/>: a sentence with a few shortened excerpts fits easily.</summary>
        public const int MaxMessageLength = 1000;

        /// <summary>The longest <see cref="Target"/>: a DNS name is at most 253 characters, a URL a few hundred.</summary>
        public const int MaxTargetLength = 300;

        /// <summary>How many findings of one code a single record or message reports in full before the rest are counted.</summary>
        public const int MaxRepeats = 10;

        /// <summary>
        /// Keeps the first <see cref="MaxRepeats"/> findings of each code and replaces the others by one finding of the same
        /// code that counts them (worst severity kept), so a 64 KB record of 30,000 broken parts gives a readable list, not
        /// 30,000 lines. The meaning of each code is unchanged: the summary is more of the same.
        /// </summary>
        internal static List<Finding> LimitRepeats(List<Finding> findings)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            var omitted = new Dictionary<string, (int Count, Finding First, Severity Worst)>(StringComparer.Ordinal);
            var kept = new List<Finding>(Math.Min(findings.Count, 64));
            foreach (var f in findings)
            {
                counts.TryGetValue(f.Code, out var n);
                counts[f.Code] = n + 1;
                if (n < MaxRepeats)
                {
                    kept.Add(f);
                }
                else
                {
                    omitted[f.Code] = omitted.TryGetValue(f.Code, out var o) ? (o.Count + 1, o.First, f.Severity > o.Worst ? f.Severity : o.Worst) : (1, f, f.Severity);
                }
            }

            if (omitted.Count == 0)
            {
                return findings;
            }

            foreach (var o in omitted.Values)
            {
                kept.Add(new Finding(o.First.Code, o.Worst, $"{o.Count} more findings of this kind were not listed (only the first {MaxRepeats} are).", o.First.Target, o.First.Reference));
            }

            return kept;
        }

        /// <summary>Stable dotted code, e.g. <c>Dns.LookupFailed</c>.</summary>
        public string Code { get; }

        /// <summary>How serious it is.</summary>
        public Severity Severity { get; }

        /// <summary>One plain sentence.</summary>
        public string Message { get; }

        /// <summary>The domain, host, record or address concerned.</summary>
        public string Target { get; }

        /// <summary>RFC and section behind the rule.</summary>
        public string Reference { get; }

        /// <inheritdoc />
        public override string ToString() => $"[{Severity}] {Code}: {Message}";

        /// <summary>The worst severity in a list of findings, or <c>null</c> when there are none.</summary>
        public static Severity? Worst(IEnumerable<Finding> findings)
        {
            Severity? worst = null;
            foreach (var f in findings)
            {
                if (worst is null || f.Severity > worst)
                {
                    worst = f.Severity;
                }
            }

            return worst;
        }

        /// <summary>True when the list contains the code.</summary>
        public static bool Contains(IEnumerable<Finding> findings, FindingDescriptor descriptor)
            => findings.Any(f => string.Equals(f.Code, descriptor.Code, StringComparison.Ordinal));
    }
}
