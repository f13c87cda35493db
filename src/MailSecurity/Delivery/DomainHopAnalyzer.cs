using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailSecurity.Dns;
using MailSecurity.MtaSts;
using MailSecurity.Smtp;

namespace MailSecurity.Delivery
{
    /// <summary>
    /// Domain mode of Resolve-HopSecurity: gathers the evidence of every MX host once (<see cref="HopEvidenceCollector"/>)
    /// and decides each verdict from it (<see cref="HopDecision"/>).
    /// </summary>
    internal sealed class DomainHopAnalyzer
    {
        private readonly HopEvidenceCollector _collector;

        /// <summary>Creates the analyzer over the run's DNS layer and STARTTLS session cache.</summary>
        /// <param name="dns">The run's resolver (one cache for every domain of the run).</param>
        /// <param name="mtaSts">The MTA-STS checker (its policy fetcher decides the HTTPS client and timeout).</param>
        /// <param name="probes">One STARTTLS session per host, address and SNI for the whole run.</param>
        internal DomainHopAnalyzer(IDnsLookup dns, MtaStsPolicyChecker mtaSts, SmtpProbeCache probes)
            => _collector = new HopEvidenceCollector(dns, mtaSts, probes);

        /// <summary>Analyses every MX host of <paramref name="domain"/> (normalised); rows come in MX preference order.</summary>
        public async Task<IReadOnlyList<HopSecurity>> AnalyzeAsync(string domain, CancellationToken cancellationToken = default)
        {
            var evidence = await _collector.CollectAsync(domain, cancellationToken).ConfigureAwait(false);
            return evidence.Select(HopDecision.Decide).ToList();
        }
    }
}
