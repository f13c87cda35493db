using System;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;

namespace MailSecurity.Dns
{
    /// <summary>
    /// The one DNS seam: what every check asks of DNS. <see cref="DnsResolver"/> implements it for a run; unit tests
    /// implement it with a scripted zone. Modelled on DnsClient's split of <c>IDnsQuery</c> (the questions) from
    /// <c>ILookupClient</c> (the client and its settings): a consumer depends on the questions, never on the client.
    /// </summary>
    /// <remarks>
    /// Every consumer takes this interface through its one constructor. DNS-level outcomes (NXDOMAIN, SERVFAIL,
    /// timeouts) are <see cref="DnsAnswer"/> data, never exceptions; only cancellation throws.
    /// </remarks>
    internal interface IDnsLookup
    {
        /// <summary>Asks one question about a host name; the DNSSEC state is what the response itself says (see <see cref="DnsResolver.QueryAsync"/>).</summary>
        /// <param name="name">Domain name (U-labels are converted; a trailing dot is fine).</param>
        /// <param name="type">Record type.</param>
        /// <param name="cancellationToken">Cancels this caller's wait.</param>
        /// <returns>The answer; lookup failures are data.</returns>
        /// <exception cref="OperationCanceledException">The caller was cancelled.</exception>
        Task<DnsAnswer> QueryAsync(string name, QueryType type, CancellationToken cancellationToken = default);

        /// <summary>
        /// Asks one question for a name built from data whose labels may hold any printable US-ASCII character
        /// (RFC 2181 §11), such as an SPF target after macro expansion (RFC 7208 §7.3).
        /// </summary>
        /// <param name="name">Domain name (a trailing dot is fine).</param>
        /// <param name="type">Record type.</param>
        /// <param name="cancellationToken">Cancels this caller's wait.</param>
        /// <returns>The answer; lookup failures are data.</returns>
        /// <exception cref="OperationCanceledException">The caller was cancelled.</exception>
        Task<DnsAnswer> QueryAnyNameAsync(string name, QueryType type, CancellationToken cancellationToken = default);

        /// <summary>
        /// Settles the DNSSEC state of an answer its response did not settle, for DNSSEC-dependent verdicts only (DANE/TLSA,
        /// MX-RRset security, CNAME link security); see <see cref="DnsResolver.DetermineDnssecAsync"/>. Answers already
        /// settled come back unchanged.
        /// </summary>
        /// <param name="answer">An answer of this lookup.</param>
        /// <param name="cancellationToken">Cancels this caller's wait.</param>
        /// <returns>The answer with its DNSSEC state settled, or unsettled with <see cref="DnsAnswer.DnssecProbeFailure"/> set.</returns>
        /// <exception cref="OperationCanceledException">The caller was cancelled.</exception>
        Task<DnsAnswer> DetermineDnssecAsync(DnsAnswer answer, CancellationToken cancellationToken = default);

        /// <summary>
        /// True when the run validates answers itself (<see cref="DnssecValidationMode.Auto"/> or
        /// <see cref="DnssecValidationMode.Local"/>): data it finds bogus is withheld, so addresses a sender would connect
        /// to are settled before use (<see cref="Smtp.HostAddressResolver"/>).
        /// </summary>
        bool MayValidateLocally { get; }
    }

    /// <summary>What every <see cref="IDnsLookup"/> offers on top of its members, written once.</summary>
    internal static class DnsLookupExtensions
    {
        /// <summary>Asks one question and settles its DNSSEC state (<see cref="IDnsLookup.DetermineDnssecAsync"/>).</summary>
        /// <param name="dns">The lookup.</param>
        /// <param name="name">Domain name.</param>
        /// <param name="type">Record type.</param>
        /// <param name="cancellationToken">Cancels this caller's wait.</param>
        /// <returns>The answer with its DNSSEC state settled, or unsettled with <see cref="DnsAnswer.DnssecProbeFailure"/> set.</returns>
        internal static async Task<DnsAnswer> QueryWithDnssecAsync(this IDnsLookup dns, string name, QueryType type, CancellationToken cancellationToken = default)
        {
            var answer = await dns.QueryAsync(name, type, cancellationToken).ConfigureAwait(false);
            return await dns.DetermineDnssecAsync(answer, cancellationToken).ConfigureAwait(false);
        }
    }
}
