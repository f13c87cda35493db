using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MailSecurity.Dns;
using MailSecurity.Mx;
using MailSecurity.Smtp;
using MailSecurity.TlsRpt;

namespace MailSecurity.MtaSts
{
    /// <summary>What a STARTTLS probe of one MX reports to the MTA-STS check (RFC 8461 §4.2).</summary>
    internal sealed class MtaStsMxTlsCheck
    {
        /// <summary>Creates a probe outcome.</summary>
        /// <param name="tlsOk">STARTTLS offered and TLS 1.2+ negotiated.</param>
        /// <param name="certificateValid">The certificate is PKIX-valid for the MX host name (false when TLS failed).</param>
        /// <param name="detail">What happened, in plain words.</param>
        public MtaStsMxTlsCheck(bool tlsOk, bool certificateValid, string? detail)
        {
            TlsOk = tlsOk;
            CertificateValid = certificateValid;
            Detail = detail;
        }

        /// <summary>STARTTLS offered and TLS negotiated.</summary>
        public bool TlsOk { get; }

        /// <summary>The certificate is PKIX-valid for the MX host name.</summary>
        public bool CertificateValid { get; }

        /// <summary>What happened, in plain words.</summary>
        public string? Detail { get; }

        /// <summary>
        /// Judges a STARTTLS probe of an MX by RFC 8461 §4.1–4.2: TLS must be negotiated, and the certificate must chain to a
        /// trusted root, be within its validity, and carry a DNS-ID (never only a CN) matching the MX host name.
        /// </summary>
        public static MtaStsMxTlsCheck FromProbe(SmtpTlsProbe probe)
        {
            if (probe is null)
            {
                throw new ArgumentNullException(nameof(probe));
            }

            var nameOk = probe.HostNameMatch?.Matches == true && probe.HostNameMatch.Source == HostNameMatchSource.DnsId;
            var certificateValid = probe.TlsEstablished && probe.PkixValid == true && nameOk;
            string detail;
            if (!probe.TlsEstablished)
            {
                detail = $"{probe.Outcome}: {probe.Error ?? "no TLS session"}";
            }
            else if (certificateValid)
            {
                detail = $"{probe.TlsProtocol} with a valid certificate for {probe.HostName}";
            }
            else
            {
                var why = probe.PkixValid != true ? string.Join("; ", probe.PkixErrors) : probe.HostNameMatch?.Explanation ?? "the certificate does not name the host";
                detail = $"{probe.TlsProtocol}, but the certificate is not valid for {probe.HostName}: {why}";
            }

            return new MtaStsMxTlsCheck(probe.TlsEstablished, certificateValid, detail);
        }
    }

    /// <summary>Options of one MTA-STS check.</summary>
    internal sealed class MtaStsCheckOptions
    {
        /// <summary>Do not look up and match the MX hosts (default false).</summary>
        public bool SkipMxCheck { get; set; }

        /// <summary>An earlier state to report drift against (default none).</summary>
        public MtaStsPolicySnapshot? PreviousPolicy { get; set; }

        /// <summary>
        /// Probes one covered MX (host name, address to connect to) for STARTTLS and a PKIX-valid certificate. Null (the default)
        /// means the TLS check is not performed: TlsOk and CertificateValid stay unknown and the result says so.
        /// </summary>
        public Func<string, IPAddress, CancellationToken, Task<MtaStsMxTlsCheck>>? MxTlsProbe { get; set; }
    }

    /// <summary>
    /// Runs the whole MTA-STS check of a domain as a compliant sender would (RFC 8461): TXT discovery, HTTPS fetch, policy
    /// parse, then every MX from DNS matched against the patterns (and probed when a probe is given), the TLS-RPT record and
    /// drift against an earlier result. Lookups that do not depend on each other run concurrently.
    /// </summary>
    internal sealed class MtaStsPolicyChecker
    {
        private readonly MtaStsTxtRecordLookup _discovery;
        private readonly TlsRptRecordLookup _tlsRpt;
        private readonly MtaStsPolicyFetcher _fetcher;
        private readonly MxResolver _mx;
        private readonly HostAddressResolver _addresses;

        /// <summary>Creates a checker over the run's DNS layer.</summary>
        /// <param name="dns">The run's DNS layer.</param>
        /// <param name="fetcher">The policy fetcher (its timeout is the overall fetch limit).</param>
        internal MtaStsPolicyChecker(IDnsLookup dns, MtaStsPolicyFetcher fetcher)
        {
            if (dns is null)
            {
                throw new ArgumentNullException(nameof(dns));
            }

            _fetcher = fetcher ?? throw new ArgumentNullException(nameof(fetcher));
            _discovery = new MtaStsTxtRecordLookup(dns);
            _tlsRpt = new TlsRptRecordLookup(dns);
            _mx = new MxResolver(dns);
            _addresses = new HostAddressResolver(dns);
        }

        /// <summary>Checks one normalised domain.</summary>
        /// <param name="domain">The Policy Domain (lower-case A-labels).</param>
        /// <param name="options">Options; null for the defaults.</param>
        /// <param name="cancellationToken">Cancels the check.</param>
        public async Task<MtaStsPolicyResult> CheckAsync(string domain, MtaStsCheckOptions? options = null, CancellationToken cancellationToken = default)
        {
            options ??= new MtaStsCheckOptions();
            var publicationTask = DiscoverAsync(domain, cancellationToken);
            var mxTask = options.SkipMxCheck ? Task.FromResult<MxRecordSet?>(null) : ResolveMxAsync(domain, cancellationToken);
            var publication = await publicationTask.ConfigureAwait(false);
            var mxSet = await mxTask.ConfigureAwait(false);

            var tls = new Dictionary<string, MtaStsMxTlsEvidence>(StringComparer.Ordinal);
            var probe = options.MxTlsProbe;
            if (mxSet != null && probe != null && publication.Status == MtaStsStatus.Valid && mxSet.Status != MxStatus.LookupFailed)
            {
                // RFC 8461 §4.2: every covered MX is checked, at every address a sender may connect to.
                var covered = mxSet.Hosts.Where(h => !h.IsIpAddress && MtaStsMxMatcher.FirstMatch(publication.Policy!.MxPatterns, h.HostName) != null).Select(h => h.HostName).Distinct().ToList();
                var gathered = await Task.WhenAll(covered.Select(h => GatherTlsAsync(h, probe, cancellationToken))).ConfigureAwait(false);
                for (var i = 0; i < covered.Count; i++)
                {
                    tls[covered[i]] = gathered[i];
                }
            }

            return Complete(publication, mxSet, h => tls.TryGetValue(h.HostName, out var e) ? e : null, options.PreviousPolicy);
        }

        /// <summary>
        /// The policy half of the check (RFC 8461 §3): TXT discovery, HTTPS fetch and parse, and the TLS-RPT record, which run
        /// concurrently. The hop verdict runs it beside its own MX and STARTTLS evidence and completes it with <see cref="Complete"/>.
        /// </summary>
        /// <param name="domain">The Policy Domain (lower-case A-labels).</param>
        /// <param name="cancellationToken">Cancels the lookups and the fetch.</param>
        internal async Task<MtaStsPublication> DiscoverAsync(string domain, CancellationToken cancellationToken)
        {
            var checkedAt = DateTimeOffset.UtcNow;
            var discoveryTask = _discovery.LookupAsync(domain, cancellationToken);
            var tlsRptTask = _tlsRpt.LookupAsync(domain, cancellationToken);

            var findings = new List<Finding>();
            var discovery = await discoveryTask.ConfigureAwait(false);
            findings.AddRange(discovery.Findings);
            var status = StopStatus(discovery.Status);
            MtaStsPolicyFetch? fetch = null;
            MtaStsPolicy? policy = null;
            if (status is null)
            {
                var fetched = await _fetcher.FetchAsync(domain, cancellationToken).ConfigureAwait(false);
                fetch = fetched.Fetch;
                if (fetched.Body is null)
                {
                    status = MtaStsStatus.FetchFailed;
                    findings.Add(FetchFinding(fetch));
                }
                else
                {
                    var utf8 = MtaStsPolicyParser.TryDecode(fetched.Body, out var text);
                    policy = MtaStsPolicyParser.Parse(text, fetch.Url, out var policyFindings);
                    findings.AddRange(policyFindings);
                    if (!utf8)
                    {
                        findings.Add(MtaStsFindings.NonUtf8Policy.Create($"The policy at {fetch.Url} ({fetched.Body.Length} bytes) is not valid UTF-8; senders cannot read it.", fetch.Url));
                        status = MtaStsStatus.InvalidPolicy;
                    }
                    else if (!policy.IsValid)
                    {
                        status = MtaStsStatus.InvalidPolicy;
                    }
                    else if (policy.Mode == MtaStsMode.None)
                    {
                        status = MtaStsStatus.ModeNone;
                        findings.Add(MtaStsFindings.ModeNone.Create($"The policy of {domain} is in mode none: senders apply no MTA-STS policy.", domain));
                    }
                    else
                    {
                        status = MtaStsStatus.Valid;
                        if (policy.Mode == MtaStsMode.Testing)
                        {
                            findings.Add(MtaStsFindings.ModeTesting.Create($"The policy of {domain} is in testing mode: failures are reported, mail is still delivered without authenticated TLS.", domain));
                        }
                    }
                }

                if (status == MtaStsStatus.FetchFailed || status == MtaStsStatus.InvalidPolicy)
                {
                    // A TXT record without a usable policy: a first-time sender applies no MTA-STS (RFC 8461 §3.3, §5.1).
                    findings.Add(MtaStsFindings.PolicyUnavailable.Create($"_mta-sts.{domain} announces policy id {discovery.Id}, but no valid policy could be obtained: a sender without a cached policy treats {domain} as having no MTA-STS.", domain));
                }
            }

            var tlsRpt = await tlsRptTask.ConfigureAwait(false);
            return new MtaStsPublication(new MtaStsPublicationBuilder
            {
                Domain = domain,
                Status = status.Value,
                Discovery = discovery,
                Fetch = fetch,
                Policy = policy,
                Findings = findings,
                TlsRpt = tlsRpt,
                CheckedAt = checkedAt,
            });
        }

        /// <summary>
        /// Completes a check from the policy and the MX evidence: coverage and per-MX TLS judged by <see cref="MtaStsMxEvaluator"/>,
        /// the TLS-RPT finding, and drift against an earlier state. Pure: it looks nothing up.
        /// </summary>
        /// <param name="publication">The policy half (<see cref="DiscoverAsync"/>).</param>
        /// <param name="mxSet">The domain's MX RRset, or null when the MX check is skipped.</param>
        /// <param name="tls">The STARTTLS evidence of a covered MX host, or null when its TLS was not checked.</param>
        /// <param name="previous">An earlier state to report drift against, or null.</param>
        internal static MtaStsPolicyResult Complete(MtaStsPublication publication, MxRecordSet? mxSet, Func<MxHost, MtaStsMxTlsEvidence?> tls, MtaStsPolicySnapshot? previous)
        {
            var domain = publication.Domain;
            var status = publication.Status;
            var policy = publication.Policy;
            var findings = new List<Finding>(publication.Findings);
            var mxResults = Array.Empty<MtaStsMxResult>() as IReadOnlyList<MtaStsMxResult>;
            if (mxSet != null && policy != null && status == MtaStsStatus.Valid)
            {
                // Coverage only means something for an active policy (mode none and invalid policies bind no sender).
                mxResults = MtaStsMxEvaluator.Evaluate(domain, status, policy, mxSet, tls, findings);
            }

            var tlsRptFinding = TlsRptFinding(domain, publication.TlsRpt);
            if (status != MtaStsStatus.NoRecord && status != MtaStsStatus.LookupFailed && tlsRptFinding != null)
            {
                findings.Add(tlsRptFinding);
            }

            IReadOnlyList<Finding> drift = Array.Empty<Finding>();
            if (previous != null)
            {
                var now = new MtaStsPolicySnapshot(status, publication.Discovery.Id, policy?.Mode, policy?.MaxAgeSeconds, policy?.MxPatterns, publication.CheckedAt);
                drift = MtaStsDriftDetector.Compare(previous, now, domain);
                findings.AddRange(drift);
            }

            var ordered = findings.Select((f, i) => (f, i)).OrderByDescending(x => x.f.Severity).ThenBy(x => x.i).Select(x => x.f).ToList();
            return new MtaStsPolicyResult(new MtaStsPolicyResultBuilder
            {
                Domain = domain,
                Status = status,
                Discovery = publication.Discovery,
                Fetch = publication.Fetch,
                Policy = policy,
                MxChecked = mxSet != null && status == MtaStsStatus.Valid,
                MxResults = mxResults,
                TlsRpt = publication.TlsRpt,
                Drift = drift,
                Findings = ordered,
                CheckedAt = publication.CheckedAt,
            });
        }

        /// <summary>
        /// What the TXT discovery means for a sender (RFC 8461 §3.1): null when exactly one valid record was found (go on and
        /// fetch the policy); otherwise the status at which discovery stops.
        /// </summary>
        internal static MtaStsStatus? StopStatus(MtaStsTxtStatus txtStatus) => txtStatus switch
        {
            MtaStsTxtStatus.Valid => null,
            MtaStsTxtStatus.NoRecord => MtaStsStatus.NoRecord,
            MtaStsTxtStatus.MultipleRecords => MtaStsStatus.MultipleRecords,
            MtaStsTxtStatus.Invalid => MtaStsStatus.InvalidRecord,
            _ => MtaStsStatus.LookupFailed,
        };

        private async Task<MxRecordSet?> ResolveMxAsync(string domain, CancellationToken cancellationToken)
            => await _mx.ResolveAsync(domain, cancellationToken).ConfigureAwait(false);

        /// <summary>The finding that explains a failed fetch.</summary>
        internal static Finding FetchFinding(MtaStsPolicyFetch fetch)
        {
            var why = fetch.Error ?? fetch.Outcome.ToString();
            var message = $"Fetching {fetch.Url} failed: {why}.";
            return fetch.Outcome switch
            {
                MtaStsFetchOutcome.HostNotFound => MtaStsFindings.PolicyHostNotFound.Create($"The policy host {fetch.PolicyHost} has no address: {why}", fetch.PolicyHost),
                MtaStsFetchOutcome.HostLookupFailed => MtaStsFindings.PolicyHostLookupFailed.Create($"The address lookup of the policy host failed: {why}", fetch.PolicyHost),
                MtaStsFetchOutcome.ConnectFailed => MtaStsFindings.PolicyConnectFailed.Create(message, fetch.PolicyHost),
                MtaStsFetchOutcome.TlsFailed => MtaStsFindings.PolicyTlsFailed.Create(message, fetch.PolicyHost),
                MtaStsFetchOutcome.CertificateInvalid => MtaStsFindings.PolicyHostCertificateInvalid.Create(message, fetch.PolicyHost),
                MtaStsFetchOutcome.Timeout => MtaStsFindings.PolicyTimeout.Create(message, fetch.Url),
                MtaStsFetchOutcome.Redirect => MtaStsFindings.PolicyRedirect.Create(message, fetch.Url),
                MtaStsFetchOutcome.HttpStatus => MtaStsFindings.PolicyHttpStatus.Create(message, fetch.Url),
                MtaStsFetchOutcome.ContentType => MtaStsFindings.PolicyContentType.Create(message, fetch.Url),
                MtaStsFetchOutcome.TooLarge => MtaStsFindings.PolicyTooLarge.Create(message, fetch.Url),
                MtaStsFetchOutcome.Truncated => MtaStsFindings.PolicyTruncated.Create(message, fetch.Url),
                _ => MtaStsFindings.PolicyHttpProtocolError.Create(message, fetch.Url),
            };
        }

        /// <summary>Every address of a covered MX host (A, then AAAA), each checked by the probe, or why there is none.</summary>
        private async Task<MtaStsMxTlsEvidence> GatherTlsAsync(string host, Func<string, IPAddress, CancellationToken, Task<MtaStsMxTlsCheck>> probe, CancellationToken cancellationToken)
        {
            var resolved = await _addresses.ResolveAsync(host, cancellationToken).ConfigureAwait(false);
            var checks = await Task.WhenAll(resolved.Addresses.Select(a => probe(host, a, cancellationToken))).ConfigureAwait(false);
            return MtaStsMxTlsEvidence.Of(resolved, checks);
        }

        /// <summary>
        /// What the TLS-RPT record means for this MTA-STS check (RFC 8461 §6; RFC 8460 §3): no finding when reporters find a
        /// usable record; otherwise why senders' policy failures go unreported, or that the lookup failed (never "no record").
        /// </summary>
        internal static Finding? TlsRptFinding(string domain, TlsRptRecord tlsRpt)
        {
            var name = tlsRpt.QueryName;
            switch (tlsRpt.Status)
            {
                case TlsRptStatus.Valid:
                    return null;
                case TlsRptStatus.TempError:
                    return MtaStsFindings.TlsRptLookupFailed.Create($"{tlsRpt.Findings.FirstOrDefault()?.Message} Whether {domain} publishes TLS-RPT is unknown.", name);
                case TlsRptStatus.MultipleRecords:
                    return MtaStsFindings.NoTlsRpt.Create($"{name} has {tlsRpt.Records.Count(TlsRptRecordParser.IsTlsRptRecord)} v=TLSRPTv1 records, which counts as none (RFC 8460 §3): senders' MTA-STS failures go unreported.", name);
                case TlsRptStatus.Invalid:
                    var why = tlsRpt.Findings.FirstOrDefault(f => f.Severity >= Severity.Error)?.Message ?? "it is not valid.";
                    return MtaStsFindings.NoTlsRpt.Create($"{domain} has a TLS-RPT record at {name} that reporters cannot use: {why} Senders' MTA-STS failures go unreported.", name);
                default:
                    return MtaStsFindings.NoTlsRpt.Create($"{domain} has no TLS-RPT record at {name}: senders' MTA-STS failures go unreported.", name);
            }
        }
    }

    /// <summary>
    /// The policy half of an MTA-STS check (RFC 8461 §3): the TXT discovery, the fetch and the parsed policy with the status a
    /// first-time sender reaches, their findings, and the TLS-RPT record. Immutable.
    /// </summary>
    internal sealed class MtaStsPublication
    {
        internal MtaStsPublication(MtaStsPublicationBuilder b)
        {
            Domain = b.Domain;
            Status = b.Status;
            Discovery = b.Discovery;
            Fetch = b.Fetch;
            Policy = b.Policy;
            Findings = b.Findings;
            TlsRpt = b.TlsRpt;
            CheckedAt = b.CheckedAt;
        }

        public string Domain { get; }

        public MtaStsStatus Status { get; }

        public MtaStsTxtRecord Discovery { get; }

        public MtaStsPolicyFetch? Fetch { get; }

        public MtaStsPolicy? Policy { get; }

        public IReadOnlyList<Finding> Findings { get; }

        public TlsRptRecord TlsRpt { get; }

        public DateTimeOffset CheckedAt { get; }
    }
}
