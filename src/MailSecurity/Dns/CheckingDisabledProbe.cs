using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailSecurity.Dns.Wire;

namespace MailSecurity.Dns
{
    /// <summary>
    /// Sends one query with the CD (checking disabled) bit and returns only the response code.
    /// </summary>
    /// <remarks>
    /// Through the run's <see cref="DnsUdpExchange"/> because DnsClient.NET cannot set the CD bit. A validating resolver that
    /// answers SERVFAIL normally but NOERROR/NXDOMAIN with CD set has failed DNSSEC validation (bogus, RFC 4035 §3.2.2,
    /// §5.5); a SERVFAIL with CD set too is a plain server failure (indeterminate). Only the header's RCODE is read.
    /// </remarks>
    internal static class CheckingDisabledProbe
    {
        /// <returns>The RCODE of the answer, or null when none came (timeout, unreachable server).</returns>
        public static async Task<int?> QueryResponseCodeAsync(DnsUdpExchange exchange, IPEndPoint server, string name, ushort type, TimeSpan timeout, CancellationToken cancellationToken)
        {
            try
            {
                var reply = await exchange.QueryAsync(server, name, type, timeout, cancellationToken, checkingDisabled: true).ConfigureAwait(false);
                return reply.Outcome == DnsUdpOutcome.Answered ? DnsWireMessage.ReadResponseCode(reply.Response!) : (int?)null;
            }
            catch (SocketException)
            {
                return null;
            }
        }
    }
}
