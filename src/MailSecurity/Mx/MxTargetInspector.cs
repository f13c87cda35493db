using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using MailSecurity.Dns;

namespace MailSecurity.Mx
{
    /// <summary>
    /// Checks every MX host of a domain concurrently: A and AAAA lookups, a CNAME anywhere in the chain flagged
    /// (RFC 2181 §10.3), and hosts without addresses flagged (RFC 5321 §5.1).
    /// </summary>
    internal sealed class MxTargetInspector
    {
        private readonly IDnsLookup _lookup;

        /// <summary>Creates a MxTargetInspector over the run's DNS seam (the resolver, or a scripted zone in unit tests).</summary>
        /// <param name="dns">The run's DNS lookups.</param>
        /// <exception cref="ArgumentNullException"><paramref name="dns"/> is null.</exception>
        internal MxTargetInspector(IDnsLookup dns) => _lookup = dns ?? throw new ArgumentNullException(nameof(dns));

        /// <summary>Checks the hosts of <paramref name="mx"/> (explicit MX hosts only; IP literals are reported as not checked).</summary>
        public async Task<IReadOnlyList<MxTargetCheck>> InspectAsync(MxRecordSet mx, CancellationToken cancellationToken = default)
        {
            if (mx is null)
            {
                throw new ArgumentNullException(nameof(mx));
            }

            var hosts = mx.Status == MxStatus.Found ? mx.Hosts.Where(h => !h.IsImplicit).ToList() : new List<MxHost>();
            var checks = hosts.Select(h => InspectOneAsync(h, cancellationToken)).ToList();
            return await Task.WhenAll(checks).ConfigureAwait(false);
        }

        private async Task<MxTargetCheck> InspectOneAsync(MxHost host, CancellationToken cancellationToken)
        {
            if (host.IsIpAddress)
            {
                return new MxTargetCheck(new MxTargetCheckBuilder
                {
                    HostName = host.HostName,
                    Preference = host.Preference,
                    AddressStatus = MxTargetAddressStatus.NotChecked,
                    CanonicalName = host.HostName,
                    DnssecStatus = DnssecStatus.Unknown,
                });
            }

            var aTask = _lookup.QueryAsync(host.HostName, QueryType.A, cancellationToken);
            var aaaaTask = _lookup.QueryAsync(host.HostName, QueryType.AAAA, cancellationToken);
            await Task.WhenAll(aTask, aaaaTask).ConfigureAwait(false);
            var a = await aTask.ConfigureAwait(false);
            var aaaa = await aaaaTask.ConfigureAwait(false);
            var findings = new List<Finding>();
            var withChain = a.CnameChain.Count > 0 ? a : aaaa;
            var chain = withChain.CnameChain.Select(l => $"{l.Name} -> {l.Target}").ToList();
            if (chain.Count > 0)
            {
                findings.Add(MxFindings.TargetIsCname.Create($"The MX host {host.HostName} is a CNAME ({string.Join(", ", chain)}).", host.HostName));
            }

            var addresses = a.RecordsOf<ARecord>().Select(r => r.Address.ToString())
                .Concat(aaaa.RecordsOf<AaaaRecord>().Select(r => r.Address.ToString())).ToList();
            MxTargetAddressStatus status;
            if (addresses.Count > 0)
            {
                status = MxTargetAddressStatus.HasAddress;
            }
            else if (a.IsLookupError || aaaa.IsLookupError)
            {
                status = MxTargetAddressStatus.LookupFailed;
                var failed = a.IsLookupError ? a : aaaa;
                findings.Add(MxFindings.TargetLookupFailed.Create($"The MX host {host.HostName}: {failed.Describe()}", host.HostName));
            }
            else
            {
                status = MxTargetAddressStatus.NoAddress;
                findings.Add(MxFindings.TargetHasNoAddress.Create(a.Status == DnsLookupStatus.NxDomain
                    ? $"The MX host {host.HostName} does not exist (NXDOMAIN)."
                    : $"The MX host {host.HostName} has no A or AAAA record.", host.HostName));
            }

            var dnssec = a.Status == DnsLookupStatus.Success ? a.DnssecStatus : aaaa.DnssecStatus;
            return new MxTargetCheck(new MxTargetCheckBuilder
            {
                HostName = host.HostName,
                Preference = host.Preference,
                AddressStatus = status,
                Addresses = addresses,
                CnameChain = chain,
                CanonicalName = withChain.CanonicalName,
                DnssecStatus = dnssec,
                Findings = findings,
            });
        }
    }
}
