using System;
using System.Globalization;

namespace MailSecurity
{
    /// <summary>What kind of change Compare-MailSecurityResult reports.</summary>
    public enum ChangeKind
    {
        /// <summary>A finding is there now that was not before (Severity is the finding's).</summary>
        FindingAppeared = 0,

        /// <summary>A finding that was there before is gone (Before is its severity then).</summary>
        FindingCleared,

        /// <summary>The hop security level of an MX host changed (up or down).</summary>
        LevelChanged,

        /// <summary>A published record or a compared value changed (SPF, DMARC, MX hosts, MTA-STS id or mode, TLSA set, outcome...).</summary>
        ValueChanged,

        /// <summary>An MTA-STS change that matters to senders' policy caches (RFC 8461 §3.1, §5.1), as Get-MtaStsPolicy -PreviousPolicy reports it.</summary>
        PolicyDrift,

        /// <summary>The server presents another certificate than before.</summary>
        CertificateReplaced,

        /// <summary>The certificate now presented expires within the warning window, and did not before.</summary>
        CertificateNearingExpiry,

        /// <summary>A result that has no counterpart in the reference (a new domain, MX host or address).</summary>
        ResultAdded,

        /// <summary>A reference result that has no counterpart now (a domain, MX host or address gone).</summary>
        ResultRemoved,
    }

    /// <summary>
    /// One difference between two runs of a MailSecurity cmdlet for the same domain, host or message: flat, scalar
    /// properties so that a scheduled task can mail, filter or Export-Csv it. Immutable.
    /// </summary>
    public sealed class ResultChange
    {
        internal ResultChange(string resultType, string domain, string target, ChangeKind kind, string property, string? code, Severity severity, string? before, string? after, string message)
        {
            ResultType = resultType;
            Domain = domain;
            Target = target;
            Kind = kind;
            Property = property;
            Code = code;
            Severity = severity;
            Before = before;
            After = after;
            Message = message;
        }

        /// <summary>The result type compared, without its namespace (HopSecurity, MailAuthReport, SmtpTlsProbe...).</summary>
        public string ResultType { get; }

        /// <summary>The domain concerned (empty for a host checked on its own or a message).</summary>
        public string Domain { get; }

        /// <summary>What the result is about: the domain, the MX host, "host [address]:port", or the message.</summary>
        public string Target { get; }

        /// <summary>What kind of change.</summary>
        public ChangeKind Kind { get; }

        /// <summary>The property that changed (Level, SpfRecord, Findings, Certificate...).</summary>
        public string Property { get; }

        /// <summary>The finding code, for finding and drift changes; otherwise null.</summary>
        public string? Code { get; }

        /// <summary>
        /// How much the change matters: a new finding's own severity; Warning or Error for a lower hop level; Warning for a
        /// certificate nearing expiry or a result gone; Info for improvements and neutral changes.
        /// </summary>
        public Severity Severity { get; }

        /// <summary>The value before (as text), or null.</summary>
        public string? Before { get; }

        /// <summary>The value now (as text), or null.</summary>
        public string? After { get; }

        /// <summary>One plain sentence for a mail or a ticket.</summary>
        public string Message { get; }

        /// <summary>True for a new problem a scheduled task should alert on: a finding of severity Error or Critical that appeared.</summary>
        public bool IsNewProblem => Kind == ChangeKind.FindingAppeared && Severity >= Severity.Error;

        /// <inheritdoc />
        public override string ToString()
            => string.Format(CultureInfo.InvariantCulture, "[{0}] {1} {2}: {3}", Severity, Target, Kind, Message);
    }
}
