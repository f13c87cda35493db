using System;
using System.Collections.Concurrent;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace MailSecurity.Smtp
{
    /// <summary>
    /// Probes each (host, address, port, SNI) once per run and shares the result, so that checks which need the same
    /// STARTTLS session (the MTA-STS MX check, DANE, the hop verdict) cost one connection, not one each.
    /// </summary>
    public sealed class SmtpProbeCache
    {
        private readonly SmtpTlsProber _prober;
        private readonly Func<string, IPAddress, string?, SmtpTlsProbeRequest> _requestFactory;
        private readonly ConcurrentDictionary<(string, string, string), Lazy<Task<SmtpTlsProbe>>> _probes = new ConcurrentDictionary<(string, string, string), Lazy<Task<SmtpTlsProbe>>>();
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

        /// <summary>Probes made so far (distinct sessions).</summary>
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
            var lazy = _probes.GetOrAdd(key, _ => new Lazy<Task<SmtpTlsProbe>>(
                () => _prober.ProbeAsync(_requestFactory(hostName, address, serverName), _runToken),
                LazyThreadSafetyMode.ExecutionAndPublication));
            var task = lazy.Value;
            if (!cancellationToken.CanBeCanceled || task.IsCompleted)
            {
                return await task.ConfigureAwait(false);
            }

            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
            {
                if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
                {
                    throw new OperationCanceledException(cancellationToken);
                }
            }

            return await task.ConfigureAwait(false);
        }
    }
}
