using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MailSecurity.Dane;
using MailSecurity.Dns;
using MailSecurity.MtaSts;
using MailSecurity.Mx;
using MailSecurity.Smtp;

namespace MailSecurity.Delivery
{
    /// <summary>
    /// Gathers the <see cref="HopEvidence"/> of every MX host of a domain, each fact once: the MX RRset (one lookup), the
    /// addresses of each host (always, whatever the DNSSEC state), one STARTTLS session per host, address and SNI, the TLSA
    /// lookup, and the MTA-STS policy. The same evidence then goes to the evaluators Test-DaneTlsa and Get-MtaStsPolicy use,
    /// so the hop's DANE and MTA-STS parts are theirs. Lookups that do not depend on each other run concurrently: the
    /// MTA-STS discovery and fetch beside the MX lookup, and per host the STARTTLS sessions beside the TLSA lookup.
    /// </summary>
    internal sealed class HopEvidenceCollector
    {
        private const int SmtpPort = 25;
        private readonly MxResolver _mx;
        private readonly HostAddressResolver _addresses;
        private readonly TlsaLookup _tlsa;
        private readonly DaneEvaluator _dane = new DaneEvaluator();
        private readonly MtaStsPolicyChecker _mtaSts;
        private readonly SmtpProbeCache _probes;

        /// <summary>Creates the collector over the run's DNS layer and STARTTLS session cache.</summary>
        /// <param name="dns">The run's resolver (one cache for every domain of the run).</param>
        /// <param name="mtaSts">The MTA-STS checker (its policy fetcher decides the HTTPS client and timeout).</param>
        /// <param name="probes">One STARTTLS session per host, address and SNI for the whole run.</param>
        internal HopEvidenceCollector(IDnsLookup dns, MtaStsPolicyChecker mtaSts, SmtpProbeCache probes)
        {
            if (dns is null)
            {
                throw new ArgumentNullException(nameof(dns));
            }

            // The hop's level depends on the MX RRset's DNSSEC state (RFC 7672 §2.2.1): its answer is settled, within the
            // DNSSEC probe budget, before the per-host work (which needs it) starts; the MTA-STS discovery runs beside it.
            _mx = new MxResolver(dns, settleDnssec: true);
            _addresses = new HostAddressResolver(dns);
            _tlsa = new TlsaLookup(dns);
            _mtaSts = mtaSts ?? throw new ArgumentNullException(nameof(mtaSts));
            _probes = probes ?? throw new ArgumentNullException(nameof(probes));
        }

        /// <summary>The evidence of every MX host of <paramref name="domain"/> (normalised), in MX preference order; one item without a host when the domain has none.</summary>
        public async Task<IReadOnlyList<HopEvidence>> CollectAsync(string domain, CancellationToken cancellationToken = default)
        {
            var publicationTask = _mtaSts.DiscoverAsync(domain, cancellationToken);
            var mx = await _mx.ResolveAsync(domain, cancellationToken).ConfigureAwait(false);
            var mxDnssec = await MxDnssecAsync(mx, cancellationToken).ConfigureAwait(false);
            if (mx.Hosts.Count == 0)
            {
                // Null MX, no mail service, NXDOMAIN or a failed lookup: there is no hop, so the policy is not needed.
                await IgnoreAsync(publicationTask).ConfigureAwait(false);
                return new[] { new HopEvidence { Domain = domain, Mx = mx, MxDnssec = mxDnssec } };
            }

            var canonical = await _mx.CanonicalNameAsync(domain, cancellationToken).ConfigureAwait(false);
            var hosts = await Task.WhenAll(mx.Hosts.Select(h => CollectHostAsync(domain, canonical, h, mxDnssec, mx.DnssecProbeFailure, cancellationToken))).ConfigureAwait(false);
            var publication = await publicationTask.ConfigureAwait(false);

            // The MTA-STS MX check judges the sessions opened above (RFC 8461 §4.2: SNI = the MX host name), not new ones.
            var tlsByHost = new Dictionary<string, MtaStsMxTlsEvidence>(StringComparer.Ordinal);
            foreach (var h in hosts.Where(h => h.AddressLookup != null))
            {
                tlsByHost[h.Host!.HostName] = MtaStsMxTlsEvidence.Of(h.AddressLookup!, h.Probes.Select(MtaStsMxTlsCheck.FromProbe).ToList());
            }

            var mtaSts = MtaStsPolicyChecker.Complete(publication, mx, h => tlsByHost.TryGetValue(h.HostName, out var e) ? e : null, null);
            return hosts.Select(h => new HopEvidence
            {
                Domain = domain,
                Mx = mx,
                MxDnssec = mxDnssec,
                Host = h.Host,
                AddressLookup = h.AddressLookup,
                Addresses = h.Addresses,
                Probes = h.Probes,
                Tlsa = h.Tlsa,
                Dane = h.Dane,
                MtaSts = mtaSts,
            }).ToList();
        }

        private async Task<HopEvidence> CollectHostAsync(string domain, string? domainCanonicalName, MxHost host, DnssecStatus mxDnssec, string? mxDnssecProbeFailure, CancellationToken cancellationToken)
        {
            var name = host.HostName;
            HostAddresses? lookup = null;
            IReadOnlyList<IPAddress> addresses;
            if (host.IsIpAddress && IPAddress.TryParse(name, out var literal))
            {
                addresses = new[] { literal };
            }
            else
            {
                // Always resolved, whatever the DNSSEC state: a sender connects to them even when DANE cannot be assessed.
                lookup = await _addresses.ResolveAsync(name, cancellationToken).ConfigureAwait(false);
                addresses = lookup.Addresses;
            }

            // The STARTTLS sessions (SNI = the host name) do not depend on the TLSA lookup, so they run beside it.
            var probesTask = Task.WhenAll(addresses.Select(a => _probes.GetAsync(name, a, null, cancellationToken)));
            var tlsa = await _tlsa.LookupAsync(name, SmtpPort, mxDnssec, mxDnssecProbeFailure, lookup, cancellationToken).ConfigureAwait(false);
            var probes = await probesTask.ConfigureAwait(false);

            var target = new DaneTarget(name, SmtpPort, domain, mxDnssec, domainCanonicalName, mxDnssecProbeFailure);
            var outcomes = Array.Empty<(IPAddress, TlsHandshakeOutcome)>() as IReadOnlyList<(IPAddress, TlsHandshakeOutcome)>;
            if (tlsa.Outcome == TlsaLookupOutcome.Found)
            {
                // RFC 7672 §8.1: a DANE sender sends the TLSA base domain as SNI; a session of its own only when that is another name.
                var sni = tlsa.TlsaBaseDomain;
                var daneProbes = sni is null || string.Equals(sni, name, StringComparison.Ordinal)
                    ? probes
                    : await Task.WhenAll(addresses.Select(a => _probes.GetAsync(name, a, sni, cancellationToken))).ConfigureAwait(false);
                outcomes = addresses.Select((a, i) => (a, TlsHandshakeOutcome.FromProbe(daneProbes[i]))).ToList();
            }

            return new HopEvidence
            {
                Host = host,
                AddressLookup = lookup,
                Addresses = addresses,
                Probes = probes,
                Tlsa = tlsa,
                Dane = _dane.EvaluateEachAddress(target, tlsa, outcomes),
            };
        }

        /// <summary>
        /// The one place the hop reads the DNSSEC state of the MX RRset, which its level depends on (DANE binds only under a
        /// secure MX RRset, RFC 7672 §2.2.1). The DNS layer gives DNSSEC states after the answer (issue 19); the MX resolver of
        /// this collector settles it (its <c>settleDnssec</c> argument), so the MX findings say the settled state too.
        /// </summary>
        private static Task<DnssecStatus> MxDnssecAsync(MxRecordSet mx, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult(mx.DnssecStatus);
        }

        private static async Task IgnoreAsync(Task task)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                // The MTA-STS result is not needed when there is no hop; its failure must not hide the verdict.
            }
        }
    }
}
