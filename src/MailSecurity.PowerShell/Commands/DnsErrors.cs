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
        {
            if (mx?.Error is null)
            {
                return null;
            }

            var failure = mx.LookupStatus;
            return failure switch
            {
                DnsLookupStatus.Timeout => new ErrorRecord(new TimeoutException(mx.Error), "DnsTimeout", ErrorCategory.OperationTimeout, domain),
                DnsLookupStatus.NetworkError => new ErrorRecord(new InvalidOperationException(mx.Error), "DnsServerUnreachable", ErrorCategory.ConnectionError, domain),
                _ => null,
            };
        }
    }
}
