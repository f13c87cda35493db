using System;
using System.Management.Automation;
using MailSecurity.Dns;

namespace MailSecurity.Commands
{
    /// <summary>
    /// Error records for DNS transport failures. A SERVFAIL or bogus answer is data (a finding on the result);
    /// a resolver that cannot be reached at all is also an error the caller should see.
    /// </summary>
    internal static class DnsErrors
    {
        /// <summary>An error record when the MX lookup failed because the resolver timed out or was unreachable; otherwise null.</summary>
        public static ErrorRecord? ForTransportFailure(MxRecordSet? mx, string domain)
            => mx?.Error is null ? null : ForTransportFailure(mx.LookupStatus, mx.Error, domain);

        /// <summary>An error record for a DNS question that never got an answer (timeout, unreachable server); otherwise null.</summary>
        public static ErrorRecord? ForTransportFailure(DnsLookupStatus status, string message, string domain) => status switch
        {
            DnsLookupStatus.Timeout => new ErrorRecord(new TimeoutException(message), "DnsTimeout", ErrorCategory.OperationTimeout, domain),
            DnsLookupStatus.NetworkError => new ErrorRecord(new InvalidOperationException(message), "DnsServerUnreachable", ErrorCategory.ConnectionError, domain),
            _ => null,
        };
    }
}
