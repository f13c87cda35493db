using System;
using System.Collections.Concurrent;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MailSecurity.Runtime;

namespace MailSecurity.Smtp
{
    /// <summary>
    /// Probes each (host, address, port, SNI) once per run and shares the result, so that checks which need the same
    /// STARTTLS session (the MTA-STS MX check, DANE, the hop verdict) cost one connection, not one each.
    /// </summary>
    internal sealed class SmtpProbeCache
    {
        private readonly SmtpTlsProber _prober;
        private readonly Func<string, IPAddress, string?, SmtpTlsProbeRequest> _requestFactory;
        // Bounded like the DNS cache: a bulk run over many domains with their own MX hosts keeps memory flat.
        private readonly SharedTaskCache<(string Host, string Address, string Sni), SmtpTlsProbe> _probes = new SharedTaskCache<(string, string, string), SmtpTlsProbe>(4096);
        private readonly CancellationToken _runToken;

        /// <summary>Creates the cache.</summary>
        /// <param name="prober">The prober.</param>
        /// <param name="requestFactory">Builds the request for (host name, address, SNI name or null for the host name).</param>
        /// <param name="runToken">Cancels every shared probe of the run.</param>
        public SmtpProbeCache(SmtpTlsProber prober, Func<string, IPAddress, string?, SmtpTlsProbeRequest> requestFactory, CancellationToken runToken = default)
        {
            _prober = prober ?? throw new ArgumentNullException(nameof(prober));
            _requestFactory = requestFactory ?? throw new ArgumentNullException(nameof(requestFactory));
            _runToken = runToken;
        }

        /// <summary>Probe results held now (distinct sessions, at most 4,096: the least recently used are dropped).</summary>
        public int Count => _probes.Count;

        /// <summary>The probe of <paramref name="hostName"/> at <paramref name="address"/>, made once per run.</summary>
        /// <param name="hostName">The MX host name.</param>
        /// <param name="address">The address to connect to.</param>
        /// <param name="serverName">The SNI to send (the TLSA base domain for DANE, RFC 7672 §8); null for the host name.</param>
        /// <param name="cancellationToken">Cancels this caller's wait.</param>
        public async Task<SmtpTlsProbe> GetAsync(string hostName, IPAddress address, string? serverName = null, CancellationToken cancellationToken = default)
        {
            var sni = string.IsNullOrEmpty(serverName) ? hostName : serverName!;
            var key = (hostName, address.ToString(), sni);
            var task = _probes.GetOrStart(key, k => _prober.ProbeAsync(_requestFactory(k.Host, address, serverName), _runToken), out _);
            return await SharedTaskCache<(string, string, string), SmtpTlsProbe>.WaitAsync(task, cancellationToken).ConfigureAwait(false);
        }
    }
}
