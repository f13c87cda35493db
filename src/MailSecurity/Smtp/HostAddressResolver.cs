using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using MailSecurity.Dns;

namespace MailSecurity.Smtp
{
    /// <summary>
    /// Resolves a mail host's A and AAAA records concurrently, as a sender does before connecting (RFC 5321 §5.1): the one
    /// address lookup of Test-SmtpStartTls, the MTA-STS MX check and the DANE TLSA lookup (which reads the answers' DNSSEC state).
    /// </summary>
    public sealed class HostAddressResolver
    {
        private readonly IDnsLookup _dns;

        /// <summary>Creates a resolver over the run's DNS seam.</summary>
        /// <param name="dns">The run's DNS lookups.</param>
        /// <exception cref="ArgumentNullException"><paramref name="dns"/> is null.</exception>
        internal HostAddressResolver(IDnsLookup dns) => _dns = dns ?? throw new ArgumentNullException(nameof(dns));

        /// <summary>
        /// One address question. Behind a resolver that validates, bogus addresses never arrive (SERVFAIL). When this run
        /// validates itself, the answers are settled first so that data it finds bogus is withheld the same way
        /// (RFC 4035 §5.5) and no sender connects to it; otherwise the address lookup never waits for a DNSSEC probe (issue 19).
        /// </summary>
        private Task<DnsAnswer> AskAsync(string hostName, QueryType type, CancellationToken cancellationToken)
            => _dns.MayValidateLocally ? _dns.QueryWithDnssecAsync(hostName, type, cancellationToken) : _dns.QueryAsync(hostName, type, cancellationToken);

        /// <summary>Looks up the addresses of <paramref name="hostName"/>: IPv4 first, then IPv6, each sorted (resolvers rotate
        /// answers; a stable order keeps repeated runs comparable).</summary>
        public async Task<HostAddresses> ResolveAsync(string hostName, CancellationToken cancellationToken = default)
        {
            var a = AskAsync(hostName, QueryType.A, cancellationToken);
            var aaaa = AskAsync(hostName, QueryType.AAAA, cancellationToken);
            await Task.WhenAll(a, aaaa).ConfigureAwait(false);
            var answers = new[] { await a.ConfigureAwait(false), await aaaa.ConfigureAwait(false) };
            var addresses = InConnectOrder(answers[0].RecordsOf<ARecord>().Select(r => r.Address).Concat(answers[1].RecordsOf<AaaaRecord>().Select(r => r.Address)));
            var failed = answers.FirstOrDefault(x => x.IsLookupError || x.Status == DnsLookupStatus.InvalidName);
            return new HostAddresses(hostName, addresses, failed != null && addresses.Count == 0, failed?.Describe(), answers[0], answers[1]);
        }

        /// <summary>
        /// IPv4 before IPv6, each in byte order, each address once: resolvers rotate answers (an RRset has no order), and a
        /// stable order keeps repeated runs and per-address results comparable.
        /// </summary>
        internal static List<IPAddress> InConnectOrder(IEnumerable<IPAddress> addresses)
            => addresses.Distinct()
                .OrderBy(x => x.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)
                .ThenBy(x => BitConverter.ToString(x.GetAddressBytes()), StringComparer.Ordinal)
                .ToList();
    }
}

namespace MailSecurity
{
    /// <summary>The addresses of one host, with the DNS answers behind them. Immutable.</summary>
    public sealed class HostAddresses
    {
        /// <summary>Creates a result.</summary>
        public HostAddresses(string hostName, IReadOnlyList<IPAddress> addresses, bool isLookupError, string? error, Dns.DnsAnswer a, Dns.DnsAnswer aaaa)
        {
            HostName = hostName;
            Addresses = addresses;
            IsLookupError = isLookupError;
            Error = error;
            A = a;
            Aaaa = aaaa;
        }

        /// <summary>The host name asked.</summary>
        public string HostName { get; }

        /// <summary>IPv4 then IPv6 addresses; empty when there are none or the lookups failed.</summary>
        public IReadOnlyList<IPAddress> Addresses { get; }

        /// <summary>True when no address was obtained because a lookup failed (never "no address").</summary>
        public bool IsLookupError { get; }

        /// <summary>What failed, in plain words, when one of the lookups failed (even if the other gave addresses).</summary>
        public string? Error { get; }

        /// <summary>The A answer.</summary>
        public Dns.DnsAnswer A { get; }

        /// <summary>The AAAA answer.</summary>
        public Dns.DnsAnswer Aaaa { get; }
    }
}
