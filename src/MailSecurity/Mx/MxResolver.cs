using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using MailSecurity.Dns;

namespace MailSecurity.Mx
{
    /// <summary>Looks up and interprets a domain's MX RRset the way a sending MTA does (RFC 5321 §5.1, RFC 7505).</summary>
    /// <remarks>
    /// Over <see cref="IDnsLookup.QueryAsync"/> (the record checks) the MX list never waits for a DNSSEC probe and a
    /// signed RRset without AD stays <see cref="DnssecStatus.Unvalidated"/>; verdicts that depend on the MX RRset's
    /// security (DANE, hop levels) settle it (<see cref="IDnsLookup.DetermineDnssecAsync"/>, the <c>settleDnssec</c> argument).
    /// </remarks>
    internal sealed class MxResolver
    {
        private readonly IDnsLookup _dns;
        private readonly bool _settleDnssec;

        /// <summary>Creates an MX resolver over the run's DNS seam.</summary>
        /// <param name="dns">The run's DNS lookups.</param>
        /// <param name="settleDnssec">
        /// True for verdicts that depend on the MX RRset's security (DANE, hop levels): the answer's DNSSEC state is settled
        /// (<see cref="IDnsLookup.DetermineDnssecAsync"/>). False (the record checks): the state is what the response says.
        /// </param>
        /// <exception cref="ArgumentNullException"><paramref name="dns"/> is null.</exception>
        internal MxResolver(IDnsLookup dns, bool settleDnssec = false)
        {
            _dns = dns ?? throw new ArgumentNullException(nameof(dns));
            _settleDnssec = settleDnssec;
        }

        /// <summary>Resolves the MX set of <paramref name="domain"/> (already normalised).</summary>
        public async Task<MxRecordSet> ResolveAsync(string domain, CancellationToken cancellationToken = default)
        {
            var answer = await AskAsync(domain, QueryType.MX, cancellationToken).ConfigureAwait(false);
            var findings = new List<Finding>();

            if (answer.DnssecStatus == DnssecStatus.ResolverNotValidating)
            {
                findings.Add(DnsFindings.ResolverNotValidating.Create($"The resolver {answer.Server} returned signed MX data for {domain} without validating it.", answer.Server));
            }
            else if (answer.DnssecProbeFailure != null)
            {
                findings.Add(DnsFindings.DnssecProbeFailed.Create($"The DNSSEC state of the MX RRset of {domain} could not be determined: {answer.DnssecProbeFailure}.", domain));
            }

            if (answer.IsLookupError || answer.Status == DnsLookupStatus.InvalidName)
            {
                // RFC 7672 §2.1.1 / RFC 5321 §5.1: a failed MX lookup means "destination unknown", never "no MX".
                findings.Add(MxFindings.LookupFailed.Create(answer.Describe(), domain));
                var set = Set(domain, MxStatus.LookupFailed, answer, findings);
                set.Error = answer.Describe();
                return new MxRecordSet(set);
            }

            if (answer.Status == DnsLookupStatus.NxDomain)
            {
                findings.Add(MxFindings.DomainNotFound.Create($"{domain} does not exist (NXDOMAIN, {answer.DnssecStatus}).", domain));
                return new MxRecordSet(Set(domain, MxStatus.DomainNotFound, answer, findings));
            }

            if (answer.Status == DnsLookupStatus.NoData)
            {
                return await ImplicitAsync(domain, answer, findings, cancellationToken).ConfigureAwait(false);
            }

            AddDnssecFinding(domain, answer, findings);
            var mx = answer.RecordsOf<MxRecord>().ToList();
            var nullMx = mx.Where(r => IsRoot(r.Exchange)).ToList();
            if (nullMx.Count > 0)
            {
                // RFC 7505 §3: a single "0 ." record; anything else alongside it does not fit the spec.
                if (nullMx.Any(r => r.Preference != 0))
                {
                    findings.Add(MxFindings.NullMxNonZeroPreference.Create($"{domain} publishes a null MX with preference {nullMx.First(r => r.Preference != 0).Preference}.", domain));
                }

                if (mx.Count > nullMx.Count)
                {
                    findings.Add(MxFindings.NullMxWithOtherMx.Create($"{domain} publishes a null MX together with {mx.Count - nullMx.Count} other MX record(s).", domain));
                }
                else
                {
                    findings.Add(MxFindings.NullMx.Create($"{domain} publishes a null MX: it accepts no mail.", domain));
                    return new MxRecordSet(Set(domain, MxStatus.NullMx, answer, findings));
                }
            }

            var hosts = mx
                .Where(r => !IsRoot(r.Exchange))
                .Select(r =>
                {
                    var name = DomainName.FromResponse(r.Exchange);
                    var isIp = IPAddress.TryParse(name, out _);
                    return new MxHost(r.Preference, name, false, isIp);
                })
                .GroupBy(h => (h.Preference, h.HostName))
                .Select(g => g.First())
                .OrderBy(h => h.Preference)
                .ThenBy(h => h.HostName, StringComparer.Ordinal)
                .ToList();

            foreach (var h in hosts.Where(h => h.IsIpAddress))
            {
                findings.Add(MxFindings.TargetIsIpAddress.Create($"The MX record '{h.Preference} {h.HostName}' of {domain} names an IP address, not a host.", h.HostName));
            }

            var found = Set(domain, MxStatus.Found, answer, findings);
            found.Hosts = hosts;
            return new MxRecordSet(found);
        }

        /// <summary>
        /// The name the domain's MX answer was found at after CNAMEs, or null without a CNAME: a DANE-TA reference identifier
        /// (RFC 7672 §3.2.2). The answer is the one <see cref="ResolveAsync"/> used (shared through the run cache).
        /// </summary>
        internal async Task<string?> CanonicalNameAsync(string domain, CancellationToken cancellationToken = default)
        {
            var answer = await AskAsync(domain, QueryType.MX, cancellationToken).ConfigureAwait(false);
            return answer.CnameChain.Count > 0 ? answer.CanonicalName : null;
        }

        /// <summary>One question, its DNSSEC state settled when this resolver serves DNSSEC-dependent verdicts.</summary>
        private Task<DnsAnswer> AskAsync(string name, QueryType type, CancellationToken cancellationToken)
            => _settleDnssec ? _dns.QueryWithDnssecAsync(name, type, cancellationToken) : _dns.QueryAsync(name, type, cancellationToken);

        private async Task<MxRecordSet> ImplicitAsync(string domain, DnsAnswer mxAnswer, List<Finding> findings, CancellationToken cancellationToken)
        {
            // RFC 5321 §5.1: no MX records means the domain itself, with preference 0, if it has addresses.
            var a = AskAsync(domain, QueryType.A, cancellationToken);
            var aaaa = AskAsync(domain, QueryType.AAAA, cancellationToken);
            await Task.WhenAll(a, aaaa).ConfigureAwait(false);
            var aAnswer = await a.ConfigureAwait(false);
            var aaaaAnswer = await aaaa.ConfigureAwait(false);
            AddDnssecFinding(domain, mxAnswer, findings);
            if (aAnswer.Status == DnsLookupStatus.Success || aaaaAnswer.Status == DnsLookupStatus.Success)
            {
                findings.Add(MxFindings.ImplicitMx.Create($"{domain} has no MX records; senders deliver to its own address records.", domain));
                var set = Set(domain, MxStatus.ImplicitMx, mxAnswer, findings);
                set.Hosts = new[] { new MxHost(0, domain, true, false) };
                return new MxRecordSet(set);
            }

            var failed = new[] { aAnswer, aaaaAnswer }.FirstOrDefault(x => x.IsLookupError);
            if (failed != null)
            {
                findings.Add(MxFindings.LookupFailed.Create($"{domain} has no MX records and the implicit-MX address lookup failed: {failed.Describe()}", domain));
                var set = Set(domain, MxStatus.LookupFailed, failed, findings);
                set.Records = mxAnswer.RecordText;
                set.Error = failed.Describe();
                return new MxRecordSet(set);
            }

            findings.Add(MxFindings.NoMailService.Create($"{domain} has no MX and no A/AAAA records.", domain));
            return new MxRecordSet(Set(domain, MxStatus.NoMailService, mxAnswer, findings));
        }

        /// <summary>An MX set whose DNS state (status, DNSSEC) and records are those of <paramref name="answer"/>; the exits add hosts or an error.</summary>
        private static MxRecordSetBuilder Set(string domain, MxStatus status, DnsAnswer answer, List<Finding> findings) => new MxRecordSetBuilder
        {
            Domain = domain,
            Status = status,
            DnssecStatus = answer.DnssecStatus,
            Records = answer.RecordText,
            Findings = findings,
            LookupStatus = answer.Status,
            DnssecProbeFailure = answer.DnssecProbeFailure,
            DnssecValidatedBy = answer.DnssecValidatedBy,
        };

        private static void AddDnssecFinding(string domain, DnsAnswer answer, List<Finding> findings)
        {
            var status = answer.DnssecStatus;
            var probeFailure = answer.DnssecProbeFailure;
            var locally = answer.DnssecValidatedBy == DnssecValidatedBy.Local;
            if (status == DnssecStatus.Secure)
            {
                findings.Add(MxFindings.DnssecSecure.Create($"The MX RRset of {domain} is DNSSEC-validated{(locally ? " (validated locally from the trust anchor)" : string.Empty)}.", domain));
            }
            else if (status == DnssecStatus.Insecure)
            {
                findings.Add(MxFindings.DnssecInsecure.Create(locally
                    ? $"The MX RRset of {domain} is DNSSEC-insecure (validated locally: {answer.DnssecReason})."
                    : $"The MX RRset of {domain} is not DNSSEC-signed.", domain));
            }
            else if (status == DnssecStatus.Unvalidated && probeFailure is null)
            {
                findings.Add(MxFindings.DnssecNotValidated.Create($"The MX RRset of {domain} is DNSSEC-signed, but the resolver did not mark it validated (no AD bit); its DNSSEC state was not probed.", domain));
            }
        }

        private static bool IsRoot(DnsString name) => name.Value == "." || name.Value.Length == 0;
    }
}
