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
            Message = message ?? throw new ArgumentNullException(nameof(message));
            Target = target ?? string.Empty;
            Reference = reference ?? string.Empty;
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
