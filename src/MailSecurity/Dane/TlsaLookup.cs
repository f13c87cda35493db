using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using MailSecurity.Dns;
using MailSecurity.Mx;
using MailSecurity.Smtp;

namespace MailSecurity.Dane
{
    /// <summary>
    /// Finds a host's TLSA records the way a DANE SMTP client does (RFC 7672 §2.1-§2.3): address records first,
    /// no TLSA query when they are insecure, CNAME-expanded candidates, <c>_port._tcp.candidate</c> queries, the
    /// first secure RRset giving the TLSA base domain, and lookup errors never mistaken for "no record".
    /// </summary>
    /// <remarks>
    /// DANE depends on DNSSEC, so over the run's resolver every answer here has its DNSSEC state settled
    /// (<see cref="DnsLookupExtensions.QueryWithDnssecAsync"/>, bounded by its own budget); a state the probe could not determine
    /// ends the lookup as <see cref="TlsaLookupOutcome.DnssecUndetermined"/>, naming the probe.
    /// </remarks>
    internal sealed class TlsaLookup
    {
        private readonly IDnsLookup _dns;
        private readonly TlsaUsageProfile _profile;
        private readonly HostAddressResolver _addresses;

        /// <summary>Creates a lookup over the run's DNS seam.</summary>
        /// <param name="dns">The run's DNS lookups (shared cache; a scripted zone in unit tests).</param>
        /// <param name="profile">How the records are classified (SMTP by default).</param>
        /// <exception cref="ArgumentNullException"><paramref name="dns"/> is null.</exception>
        internal TlsaLookup(IDnsLookup dns, TlsaUsageProfile profile = TlsaUsageProfile.Smtp)
        {
            _dns = dns ?? throw new ArgumentNullException(nameof(dns));
            _profile = profile;
            _addresses = new HostAddressResolver(dns);
        }

        /// <summary>Looks up the TLSA records of one host.</summary>
        /// <param name="hostName">The MX host (or other SMTP server) name.</param>
        /// <param name="port">The TCP port (25 for MX delivery; the real port for other routes).</param>
        /// <param name="mxDnssecStatus">DNSSEC state of the MX RRset the host came from; <c>null</c> for a host checked on its own.</param>
        /// <param name="cancellationToken">Cancels the lookups.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is not 1-65535.</exception>
        public Task<TlsaLookupResult> LookupAsync(string hostName, int port = 25, DnssecStatus? mxDnssecStatus = null, CancellationToken cancellationToken = default)
            => LookupAsync(hostName, port, mxDnssecStatus, null, null, cancellationToken);

        /// <summary>Looks up the TLSA records of <paramref name="target"/>'s host, with its MX context.</summary>
        internal Task<TlsaLookupResult> LookupAsync(DaneTarget target, CancellationToken cancellationToken)
            => LookupAsync(target.HostName, target.Port, target.MxDnssecStatus, target.MxDnssecProbeFailure, null, cancellationToken);

        /// <summary>
        /// Looks up the TLSA records of one host whose addresses were already resolved by the caller (the hop evidence
        /// resolves them once for every check); with <paramref name="addresses"/> null they are resolved here. Their DNSSEC
        /// state is settled here either way (DANE depends on it; the address lookup itself does not wait for it).
        /// </summary>
        /// <param name="hostName">The MX host (or other SMTP server) name.</param>
        /// <param name="port">The TCP port.</param>
        /// <param name="mxDnssecStatus">DNSSEC state of the MX RRset the host came from; <c>null</c> for a host checked on its own.</param>
        /// <param name="mxDnssecProbeFailure">Which DNSSEC probe failed when <paramref name="mxDnssecStatus"/> could not be determined.</param>
        /// <param name="addresses">The host's A/AAAA answers, or null to resolve them.</param>
        /// <param name="cancellationToken">Cancels the lookups.</param>
        internal async Task<TlsaLookupResult> LookupAsync(string hostName, int port, DnssecStatus? mxDnssecStatus, string? mxDnssecProbeFailure, HostAddresses? addresses, CancellationToken cancellationToken)
        {
            if (port < 1 || port > 65535)
            {
                throw new ArgumentOutOfRangeException(nameof(port), port, "The port must be 1-65535.");
            }

            var state = new State(hostName ?? string.Empty, port, mxDnssecStatus);
            if (AddressLiteral.TryParse(hostName, out var address))
            {
                var literal = address!.ToString();
                // RFC 7672 §2.2.1: address literals have no TLSA records.
                state.Findings.Add(DaneFindings.NotApplicableToIpAddress.Create($"{literal} is an IP address; DANE does not apply to it.", literal));
                return state.Finish(TlsaLookupOutcome.NotApplicable, $"{literal} is an IP address, so DANE does not apply.");
            }

            if (!DomainName.TryNormalize(hostName, out var host, out var nameError))
            {
                state.Findings.Add(DaneFindings.TlsaLookupFailed.Create($"The host name cannot be looked up: {nameError}", DomainName.Printable(hostName ?? string.Empty)));
                return state.Finish(TlsaLookupOutcome.InvalidName, nameError);
            }

            state.Host = host;
            state.TlsaName = TlsaNameFor(port, host);

            // RFC 7672 §2.2.1 / §2.1.1: a failed MX lookup means the destination is unknown.
            if (mxDnssecStatus == DnssecStatus.Bogus || mxDnssecStatus == DnssecStatus.Indeterminate)
            {
                state.Findings.Add(MxFindings.LookupFailed.Create($"The MX lookup that named {host} ended {mxDnssecStatus}; senders delay delivery instead of using DANE.", host));
                return state.Finish(TlsaLookupOutcome.MxLookupFailed, $"The MX RRset naming {host} is {mxDnssecStatus}, so the destination is unknown.");
            }

            // RFC 7672 §2.2.2: the address lookups come before any TLSA lookup. They are made whatever the DNSSEC state, so
            // the result names the addresses a sender connects to even when DANE cannot be assessed.
            var resolved = addresses ?? await _addresses.ResolveAsync(host, cancellationToken).ConfigureAwait(false);
            var a = resolved.A;
            var aaaa = resolved.Aaaa;
            state.Evidence.Add(a.Describe());
            state.Evidence.Add(aaaa.Describe());
            state.Addresses.AddRange(resolved.Addresses.Select(x => x.ToString()));

            var withData = new[] { a, aaaa }.Where(x => x.Status == DnsLookupStatus.Success).ToList();
            var failed = new[] { a, aaaa }.Where(x => x.IsLookupError || x.Status == DnsLookupStatus.InvalidName).ToList();
            if (withData.Count == 0)
            {
                if (failed.Count > 0)
                {
                    state.AddressStatus = failed[0].DnssecStatus;
                    foreach (var f in failed)
                    {
                        state.Findings.Add(DaneFindings.AddressLookupFailed.Create(f.Describe(), host, Severity.Critical));
                    }

                    return state.Finish(TlsaLookupOutcome.AddressLookupFailed, $"The address lookup for {host} failed, so senders cannot use it: {failed[0].Describe()}");
                }

                state.AddressStatus = a.DnssecStatus;
                state.Findings.Add(DaneFindings.NoAddress.Create($"{host} has no A or AAAA records ({a.DnssecStatus}).", host));
                return state.Finish(TlsaLookupOutcome.NoAddress, $"{host} has no address records.");
            }

            foreach (var f in failed)
            {
                state.Findings.Add(DaneFindings.AddressLookupFailed.Create($"{f.Describe()} Senders that use this address family cannot reach the host.", host, Severity.Warning));
            }

            // The address answers came as the resolver gave them; which names are TLSA candidates depends on their DNSSEC
            // state (and that of each CNAME link), so settle it now, within the DNSSEC probe budget.
            var decisive = await _dns.DetermineDnssecAsync(withData[0], cancellationToken).ConfigureAwait(false);
            state.Saw(decisive);
            state.AddressStatus = decisive.DnssecStatus;
            if (decisive.CnameChain.Count > 0)
            {
                state.HostCanonical = decisive.CanonicalName;
            }

            if (mxDnssecStatus is DnssecStatus mxStatus && IsNotKnown(mxStatus))
            {
                return DnssecNotKnown(state, host, mxStatus, $"the MX RRset naming {host}", null, mxDnssecProbeFailure);
            }

            if (NotKnownPart(decisive) is DnssecStatus addressStatus)
            {
                return DnssecNotKnown(state, host, addressStatus, $"the address records of {host}", decisive.Server, decisive.DnssecProbeFailure);
            }

            // RFC 7672 §2.2.2, §2.2.3: which names are TLSA candidates depends on where security ends in the CNAME chain.
            var chain = decisive.CnameChain;
            if (chain.Count == 0)
            {
                if (decisive.DnssecStatus != DnssecStatus.Secure)
                {
                    return AddressInsecure(state, host, $"The address records of {host} are {decisive.DnssecStatus}{LocallyBecause(decisive)}");
                }

                state.Candidates.Add(host);
            }
            else if (chain[0].DnssecStatus != DnssecStatus.Secure)
            {
                return AddressInsecure(state, host, $"The CNAME of {host} ({chain[0]}) is not DNSSEC-validated");
            }
            else if (chain.All(l => l.DnssecStatus == DnssecStatus.Secure) && decisive.DnssecStatus == DnssecStatus.Secure)
            {
                state.Candidates.Add(decisive.CanonicalName);
                state.Candidates.Add(host);
            }
            else
            {
                state.Candidates.Add(host); // secure first CNAME, insecure later: only the original name
            }

            return await LookupTlsaAsync(state, cancellationToken).ConfigureAwait(false);
        }

        private static bool IsNotKnown(DnssecStatus status) => status == DnssecStatus.ResolverNotValidating || status == DnssecStatus.Unvalidated;

        /// <summary>The state of the first part of <paramref name="answer"/> (a CNAME link or the final RRset) whose DNSSEC state is not known, if any.</summary>
        private static DnssecStatus? NotKnownPart(DnsAnswer answer)
            => answer.CnameChain.Select(l => l.DnssecStatus).Append(answer.DnssecStatus).Where(IsNotKnown).Select(s => (DnssecStatus?)s).FirstOrDefault();

        /// <summary>
        /// DANE cannot be assessed: the resolver does not validate (RFC 7672 §2.1: a security-aware resolver is required), or
        /// the probe that would tell failed. Either way the host's DNS answers themselves are fine; this is not a lookup failure.
        /// </summary>
        private static TlsaLookupResult DnssecNotKnown(State state, string host, DnssecStatus status, string what, string? server, string? probeFailure)
        {
            if (status == DnssecStatus.ResolverNotValidating)
            {
                state.Findings.Add(DnsFindings.ResolverNotValidating.Create($"The resolver{(server is null ? string.Empty : " " + server)} returned {what} signed but without validating them, so DANE cannot be assessed{(probeFailure is null ? string.Empty : " (" + probeFailure + ")")}.", host));
                return state.Finish(TlsaLookupOutcome.ResolverNotValidating, "The resolver does not validate DNSSEC, so DANE cannot be assessed.");
            }

            var why = probeFailure is null ? string.Empty : ": " + probeFailure;
            state.Findings.Add(DnsFindings.DnssecProbeFailed.Create($"The DNSSEC state of {what} could not be determined{why}. DANE cannot be assessed.", host));
            return state.Finish(TlsaLookupOutcome.DnssecUndetermined, $"The DNSSEC state of {what} could not be determined (the DNSSEC probe failed), so DANE cannot be assessed.");
        }

        internal static string TlsaNameFor(int port, string candidate) => string.Format(CultureInfo.InvariantCulture, "_{0}._tcp.{1}", port, candidate);

        /// <summary>", validated locally: why" for an answer our own validation settled; empty for the resolver's word.</summary>
        private static string LocallyBecause(DnsAnswer answer)
            => answer.DnssecValidatedBy == DnssecValidatedBy.Local ? $", validated locally{(answer.DnssecReason is null ? string.Empty : ": " + answer.DnssecReason)}" : string.Empty;

        private static TlsaLookupResult AddressInsecure(State state, string host, string why)
        {
            state.Findings.Add(DaneFindings.AddressInsecure.Create($"{why}, so senders do not look up {state.TlsaName} and DANE does not protect {host}.", host));
            return state.Finish(TlsaLookupOutcome.AddressInsecure, $"{why}, so DANE does not apply (TLSA not queried).");
        }

        private async Task<TlsaLookupResult> LookupTlsaAsync(State state, CancellationToken cancellationToken)
        {
            var host = state.Host;
            DnsAnswer? firstAnswer = null;
            DnsAnswer? insecureRecords = null;
            var allDenialsSecure = true;
            foreach (var candidate in state.Candidates)
            {
                var name = TlsaNameFor(state.Port, candidate);
                var answer = await _dns.QueryWithDnssecAsync(name, QueryType.TLSA, cancellationToken).ConfigureAwait(false);
                state.TlsaQueried = true;
                state.Saw(answer);
                state.Evidence.Add(answer.Describe());
                firstAnswer ??= answer;

                if (answer.Status == DnsLookupStatus.InvalidName)
                {
                    state.TlsaName = name;
                    state.Findings.Add(DaneFindings.TlsaLookupFailed.Create($"The TLSA name {DomainName.Printable(name)} cannot be queried: {answer.ErrorMessage}", host));
                    return state.Finish(TlsaLookupOutcome.InvalidName, $"The TLSA name for {host} is not a valid DNS name.");
                }

                // RFC 7672 §2.1.1, §2.2: any TLSA lookup error (bogus included) makes the host unreachable for DANE senders.
                if (answer.IsLookupError)
                {
                    state.TlsaName = name;
                    state.TlsaStatus = answer.DnssecStatus;
                    state.Findings.Add(DaneFindings.TlsaLookupFailed.Create($"{answer.Describe()} DANE senders treat {host} as unreachable.", host));
                    return state.Finish(TlsaLookupOutcome.TlsaLookupFailed, $"The TLSA lookup for {name} failed ({answer.Status}, {answer.DnssecStatus}), so DANE senders will not deliver to {host}.");
                }

                if (NotKnownPart(answer) is DnssecStatus tlsaStatus)
                {
                    state.TlsaName = name;
                    state.TlsaStatus = tlsaStatus;
                    return DnssecNotKnown(state, host, tlsaStatus, $"the TLSA data for {name}", answer.Server, answer.DnssecProbeFailure);
                }

                if (answer.Status == DnsLookupStatus.Success)
                {
                    if (answer.DnssecStatus == DnssecStatus.Secure)
                    {
                        // RFC 7672 §2.2.3: the first candidate with a secure RRset is the base domain, even via a CNAME.
                        state.TlsaName = name;
                        state.TlsaStatus = DnssecStatus.Secure;
                        state.BaseDomain = candidate;
                        state.TlsaCanonical = answer.CnameChain.Count > 0 ? answer.CanonicalName : null;
                        state.Records.AddRange(TlsaRecordClassifier.Classify(answer.RecordsOf<TlsaRecord>(), _profile));
                        return state.Finish(TlsaLookupOutcome.Found, $"{name} has {state.Records.Count} DNSSEC-validated TLSA record(s); TLS is mandatory for DANE senders.");
                    }

                    insecureRecords ??= answer;
                    continue;
                }

                if (answer.DnssecStatus != DnssecStatus.Secure)
                {
                    allDenialsSecure = false;
                }
            }

            if (insecureRecords != null)
            {
                state.TlsaName = insecureRecords.QueryName;
                state.TlsaStatus = insecureRecords.DnssecStatus;
                state.TlsaCanonical = insecureRecords.CnameChain.Count > 0 ? insecureRecords.CanonicalName : null;
                state.Records.AddRange(TlsaRecordClassifier.Classify(insecureRecords.RecordsOf<TlsaRecord>(), _profile));
                state.Findings.Add(DaneFindings.TlsaInsecure.Create($"{insecureRecords.QueryName} has {state.Records.Count} TLSA record(s), but they are {insecureRecords.DnssecStatus}{LocallyBecause(insecureRecords)}, so DANE senders ignore them.", host));
                return state.Finish(TlsaLookupOutcome.TlsaInsecure, $"The TLSA records at {insecureRecords.QueryName} are not DNSSEC-validated, so DANE does not apply.");
            }

            state.TlsaName = firstAnswer!.QueryName;
            state.TlsaStatus = firstAnswer.DnssecStatus;
            if (allDenialsSecure)
            {
                state.Findings.Add(DaneFindings.NoTlsa.Create($"DNSSEC{(state.ValidatedBy == DnssecValidatedBy.Local ? " (validated locally from the trust anchor)" : string.Empty)} proves that {string.Join(" and ", state.Candidates.Select(c => TlsaNameFor(state.Port, c)))} {(state.Candidates.Count > 1 ? "have" : "has")} no TLSA records.", host));
                return state.Finish(TlsaLookupOutcome.NoTlsa, $"{host} has no TLSA records (securely denied), so DANE senders use opportunistic TLS.");
            }

            state.Findings.Add(DaneFindings.TlsaInsecure.Create($"The answer that {state.TlsaName} has no TLSA records is not DNSSEC-validated ({firstAnswer.DnssecStatus}{LocallyBecause(firstAnswer)}).", host));
            return state.Finish(TlsaLookupOutcome.TlsaInsecure, $"The denial of TLSA records for {host} is not DNSSEC-validated, so DANE does not apply.");
        }

        private sealed class State
        {
            public State(string host, int port, DnssecStatus? mx)
            {
                Host = host;
                Port = port;
                Mx = mx;
                TlsaName = string.Empty;
            }

            public string Host { get; set; }

            public int Port { get; }

            public DnssecStatus? Mx { get; }

            public string TlsaName { get; set; }

            public DnssecStatus AddressStatus { get; set; } = DnssecStatus.Unknown;

            public DnssecStatus TlsaStatus { get; set; } = DnssecStatus.Unknown;

            public string? HostCanonical { get; set; }

            public string? BaseDomain { get; set; }

            public string? TlsaCanonical { get; set; }

            public bool TlsaQueried { get; set; }

            /// <summary>Local when any answer this lookup settled was validated by this module, else Resolver.</summary>
            public DnssecValidatedBy ValidatedBy { get; private set; }

            public void Saw(DnsAnswer answer)
            {
                if (answer.DnssecValidatedBy == DnssecValidatedBy.Local)
                {
                    ValidatedBy = DnssecValidatedBy.Local;
                }
            }

            public List<string> Addresses { get; } = new List<string>();

            public List<string> Candidates { get; } = new List<string>();

            public List<TlsaRecordInfo> Records { get; } = new List<TlsaRecordInfo>();

            public List<string> Evidence { get; } = new List<string>();

            public List<Finding> Findings { get; } = new List<Finding>();

            public TlsaLookupResult Finish(TlsaLookupOutcome outcome, string explanation)
                => new TlsaLookupResult(new TlsaLookupResultBuilder
                {
                    HostName = Host,
                    Port = Port,
                    MxDnssecStatus = Mx,
                    Outcome = outcome,
                    AddressDnssecStatus = AddressStatus,
                    Addresses = Addresses.ToList(),
                    HostCanonicalName = HostCanonical,
                    CandidateNames = Candidates.ToList(),
                    TlsaName = TlsaName,
                    TlsaBaseDomain = BaseDomain,
                    TlsaCanonicalName = TlsaCanonical,
                    TlsaDnssecStatus = TlsaStatus,
                    TlsaQueried = TlsaQueried,
                    Records = Records.ToList(),
                    Evidence = Evidence.ToList(),
                    Findings = Findings.ToList(),
                    Explanation = explanation,
                })
                {
                    DnssecValidatedBy = ValidatedBy,
                };
        }
    }
}
