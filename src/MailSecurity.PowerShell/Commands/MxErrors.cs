using System;
using System.Management.Automation;

namespace MailSecurity.Commands
{
    /// <summary>Error records for a domain whose MX resolution leaves no mail server to work on (Test-DaneTlsa, Test-SmtpStartTls).</summary>
    internal static class MxErrors
    {
        /// <summary>
        /// The error for a domain whose MX resolution gave no mail server (a failed lookup, a null MX, no mail service,
        /// NXDOMAIN), or null when it has hosts. Each has its own ErrorId; a DNS failure is never "no MX".
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
                    return DnsErrors.ForTransportFailure(mx, domain)
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
