using System;
using System.Management.Automation;
using MailSecurity.Dns;

namespace MailSecurity.Commands
{
    /// <summary>
    /// Error records for DNS transport failures and for domains without a mail server to work on. A SERVFAIL or bogus
    /// answer is data (a finding on the result); a resolver that cannot be reached at all is also an error the caller should see.
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

        /// <summary>
        /// The error for a domain whose MX resolution gave no mail server to work on (a failed lookup, a null MX, no mail
        /// service, NXDOMAIN), or null when it has hosts. Each is its own ErrorId; a DNS failure is never "no MX".
        /// </summary>
        /// <param name="mx">The domain's MX resolution.</param>
        /// <param name="domain">The domain (the TargetObject).</param>
        /// <param name="action">What the cmdlet would have done to the servers ("check", "probe").</param>
        /// <param name="lookupFailedConsequence">What a failed lookup means for the cmdlet's protocol, appended to the message; may be empty.</param>
        public static ErrorRecord? ForNoMailServer(MxRecordSet mx, string domain, string action, string lookupFailedConsequence)
        {
            switch (mx.Status)
            {
                case MxStatus.LookupFailed:
                    return ForTransportFailure(mx, domain)
                        ?? new ErrorRecord(new InvalidOperationException($"The MX lookup for {domain} failed ({mx.DnssecStatus}), so its mail servers are unknown{lookupFailedConsequence}: {mx.Error}"), "MxLookupFailed", ErrorCategory.ResourceUnavailable, domain);
                case MxStatus.NullMx:
                case MxStatus.NoMailService:
                case MxStatus.DomainNotFound:
                    var why = mx.Status == MxStatus.NullMx ? "publishes a null MX (it accepts no mail)"
                        : mx.Status == MxStatus.NoMailService ? "has no MX and no address records"
                        : "does not exist (NXDOMAIN)";
                    return new ErrorRecord(new InvalidOperationException($"{domain} {why}; there is no mail server to {action}."), "NoMailExchanger", ErrorCategory.ObjectNotFound, domain);
                default:
                    return null;
            }
        }
    }
}
