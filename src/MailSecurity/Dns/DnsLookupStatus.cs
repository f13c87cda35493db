namespace MailSecurity.Dns
{
    /// <summary>How a DNS lookup ended. DNS-level outcomes are data, never exceptions.</summary>
    public enum DnsLookupStatus
    {
        /// <summary>NOERROR with at least one record of the asked type.</summary>
        Success = 0,
        /// <summary>NOERROR with no record of the asked type (the name exists).</summary>
        NoData,
        /// <summary>NXDOMAIN: the name does not exist.</summary>
        NxDomain,
        /// <summary>SERVFAIL: the resolver could not produce an answer (for signed data: often a DNSSEC failure).</summary>
        ServerFailure,
        /// <summary>REFUSED, NOTIMP or another error response code.</summary>
        Refused,
        /// <summary>No answer within the timeout.</summary>
        Timeout,
        /// <summary>The server could not be reached (connection refused, unreachable network).</summary>
        NetworkError,
        /// <summary>The answer could not be parsed or did not match the question.</summary>
        MalformedResponse,
        /// <summary>The query name is not a valid DNS name; nothing was sent.</summary>
        InvalidName,
    }

    /// <summary>Helpers on <see cref="DnsLookupStatus"/>.</summary>
    internal static class DnsLookupStatusExtensions
    {
        /// <summary>
        /// True for outcomes that are failures to obtain an answer (TempError / Indeterminate), as opposed to
        /// an authoritative "no such record" (NXDOMAIN, NODATA). SPEC §2.1: SERVFAIL is never "no record".
        /// </summary>
        public static bool IsLookupError(this DnsLookupStatus status) => status switch
        {
            DnsLookupStatus.Success => false,
            DnsLookupStatus.NoData => false,
            DnsLookupStatus.NxDomain => false,
            DnsLookupStatus.InvalidName => false,
            _ => true,
        };
    }
}
