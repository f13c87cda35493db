using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using MailSecurity.Dns;

namespace MailSecurity.Smtp
{
    /// <summary>Resolves a mail host's A and AAAA records concurrently, as a sender does before connecting (RFC 5321 §5.1).</summary>
    public sealed class HostAddressResolver
    {
        private readonly DnsResolver _dns;

        /// <summary>Creates a resolver over the run's DNS layer.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="dns"/> is null.</exception>
        public HostAddressResolver(DnsResolver dns) => _dns = dns ?? throw new ArgumentNullException(nameof(dns));

        /// <summary>Looks up the addresses of <paramref name="hostName"/>: IPv4 first, then IPv6, each sorted (resolvers rotate
        /// answers; a stable order keeps repeated runs comparable).</summary>
        public async Task<HostAddresses> ResolveAsync(string hostName, CancellationToken cancellationToken = default)
        {
            var a = _dns.QueryAsync(hostName, QueryType.A, cancellationToken);
            var aaaa = _dns.QueryAsync(hostName, QueryType.AAAA, cancellationToken);
            await Task.WhenAll(a, aaaa).ConfigureAwait(false);
            var answers = new[] { await a.ConfigureAwait(false), await aaaa.ConfigureAwait(false) };
            var addresses = answers[0].RecordsOf<ARecord>().Select(r => r.Address).Distinct().OrderBy(Key, StringComparer.Ordinal)
                .Concat(answers[1].RecordsOf<AaaaRecord>().Select(r => r.Address).Distinct().OrderBy(Key, StringComparer.Ordinal))
                .ToList();
            var failed = answers.FirstOrDefault(x => x.IsLookupError || x.Status == DnsLookupStatus.InvalidName);
            return new HostAddresses(hostName, addresses, failed != null && addresses.Count == 0, failed?.Describe(), answers[0], answers[1]);
        }

        private static string Key(IPAddress address) => BitConverter.ToString(address.GetAddressBytes());
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
