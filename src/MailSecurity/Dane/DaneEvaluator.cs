using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailSecurity.Dns;
using MailSecurity.Smtp;

namespace MailSecurity.Dane
{
    /// <summary>
    /// Decides what a DANE SMTP sender does with one host (RFC 7672 §2.2 decision table): combines the TLSA
    /// discovery, the TLS outcome (chain or failure) and the matcher into a <see cref="DaneResult"/> with a
    /// verdict, an explanation and findings, including operational advice from RFC 7671 (recommended
    /// records, rollover, TTLs).
    /// </summary>
    internal sealed class DaneEvaluator
    {
        /// <summary>TLSA TTLs above this are reported (RFC 7671 §13: short enough to bound outages and rollovers).</summary>
        public static readonly TimeSpan LongTtlThreshold = TimeSpan.FromDays(1);

        /// <summary>
        /// Wire size above which a TLSA RRset is reported: the 1232-byte EDNS buffer commonly used to avoid IP
        /// fragmentation (RFC 7671 §10.1.1 asks publishers to avoid fragmenting sizes).
        /// </summary>
        public const int LargeRRsetBytes = 1232;

        private readonly TlsaLookup? _lookup;
        private readonly TlsaMatcher _matcher;

        /// <summary>Creates an evaluator for results already looked up (<see cref="Evaluate"/> only).</summary>
        /// <param name="options">Matching rules; SMTP when <c>null</c>.</param>
        public DaneEvaluator(TlsaMatchOptions? options = null)
        {
            _matcher = new TlsaMatcher(options);
        }

        /// <summary>Creates an evaluator that also looks TLSA records up over the run's DNS seam.</summary>
        /// <param name="dns">The run's DNS lookups (a scripted zone in unit tests).</param>
        /// <param name="options">Matching rules; SMTP when <c>null</c>.</param>
        /// <exception cref="ArgumentNullException"><paramref name="dns"/> is null.</exception>
        internal DaneEvaluator(IDnsLookup dns, TlsaMatchOptions? options = null)
            : this(options)
        {
            _lookup = new TlsaLookup(dns ?? throw new ArgumentNullException(nameof(dns)), (options ?? TlsaMatchOptions.Smtp).Profile);
        }

        /// <summary>The matching rules.</summary>
        public TlsaMatchOptions Options => _matcher.Options;

        /// <summary>
        /// Looks up the host's TLSA records and, when a secure non-empty RRset commits the host to TLS, asks
        /// <paramref name="tlsProbe"/> for the handshake (SNI should be <see cref="TlsaLookupResult.TlsaBaseDomain"/>,
        /// RFC 7672 §8.1); then decides.
        /// </summary>
        /// <param name="target">The host and its MX context.</param>
        /// <param name="tlsProbe">Connects and returns the presented chain or the failure; <c>null</c> to check DNS only.</param>
        /// <param name="cancellationToken">Cancels lookups and the probe.</param>
        /// <exception cref="InvalidOperationException">The evaluator was created without a resolver or lookup.</exception>
        public async Task<DaneResult> EvaluateAsync(DaneTarget target, Func<TlsaLookupResult, CancellationToken, Task<TlsHandshakeOutcome>>? tlsProbe = null, CancellationToken cancellationToken = default)
        {
            if (target is null)
            {
                throw new ArgumentNullException(nameof(target));
            }

            if (_lookup is null)
            {
                throw new InvalidOperationException("This evaluator was created without a DNS resolver; use Evaluate with a lookup result.");
            }

            var lookup = await _lookup.LookupAsync(target, cancellationToken).ConfigureAwait(false);
            var tls = TlsHandshakeOutcome.NotAttempted;
            if (lookup.Outcome == TlsaLookupOutcome.Found && tlsProbe != null)
            {
                tls = await tlsProbe(lookup, cancellationToken).ConfigureAwait(false) ?? TlsHandshakeOutcome.NotAttempted;
            }

            return Evaluate(target, lookup, tls);
        }

        /// <summary>
        /// Like <see cref="EvaluateAsync"/>, but when a secure TLSA RRset commits the host to TLS, connects to every one
        /// of its addresses (a sender may pick any of them, so each must authenticate) and returns one result per
        /// distinct outcome: a single result when all addresses agree (same verdict, TLS status, matched record and
        /// depth, server certificate and finding codes), otherwise one per group of agreeing addresses, in address
        /// order (IPv4 first). <see cref="DaneResult.ProbedAddresses"/> says which addresses each result stands for.
        /// Without a secure TLSA RRset no connection is made and there is one result.
        /// </summary>
        /// <param name="target">The host and its MX context.</param>
        /// <param name="tlsProbe">Connects to one address and returns the presented chain or the failure (SNI should be
        /// <see cref="TlsaLookupResult.TlsaBaseDomain"/>, RFC 7672 §8.1).</param>
        /// <param name="cancellationToken">Cancels lookups and probes.</param>
        /// <exception cref="InvalidOperationException">The evaluator was created without a resolver or lookup.</exception>
        public async Task<IReadOnlyList<DaneResult>> EvaluateEachAddressAsync(DaneTarget target, Func<TlsaLookupResult, IPAddress, CancellationToken, Task<TlsHandshakeOutcome>> tlsProbe, CancellationToken cancellationToken = default)
        {
            if (target is null)
            {
                throw new ArgumentNullException(nameof(target));
            }

            if (tlsProbe is null)
            {
                throw new ArgumentNullException(nameof(tlsProbe));
            }

            if (_lookup is null)
            {
                throw new InvalidOperationException("This evaluator was created without a DNS resolver; use Evaluate with a lookup result.");
            }

            var lookup = await _lookup.LookupAsync(target, cancellationToken).ConfigureAwait(false);
            var addresses = OrderAddresses(lookup.Addresses);
            if (lookup.Outcome != TlsaLookupOutcome.Found || addresses.Count == 0)
            {
                return EvaluateEachAddress(target, lookup, Array.Empty<(IPAddress, TlsHandshakeOutcome)>());
            }

            var outcomes = await Task.WhenAll(addresses.Select(a => tlsProbe(lookup, a, cancellationToken))).ConfigureAwait(false);
            return EvaluateEachAddress(target, lookup, addresses.Select((a, i) => (a, outcomes[i] ?? TlsHandshakeOutcome.NotAttempted)).ToList());
        }

        /// <summary>
        /// Decides for every address of a host from TLS outcomes already obtained (the hop verdict hands in the sessions it
        /// opened once), grouped exactly as <see cref="EvaluateEachAddressAsync"/> groups them. Without a secure TLSA RRset, or
        /// without outcomes, there is one result and the outcomes are not looked at (no TLS is required, RFC 7672 §2.2).
        /// </summary>
        /// <param name="target">The host and its MX context.</param>
        /// <param name="lookup">The TLSA discovery result for that host.</param>
        /// <param name="outcomes">The TLS outcome of each address, in connect order (SNI = the TLSA base domain).</param>
        internal IReadOnlyList<DaneResult> EvaluateEachAddress(DaneTarget target, TlsaLookupResult lookup, IReadOnlyList<(IPAddress Address, TlsHandshakeOutcome Tls)> outcomes)
        {
            if (lookup.Outcome != TlsaLookupOutcome.Found || outcomes.Count == 0)
            {
                return new[] { Evaluate(target, lookup, TlsHandshakeOutcome.NotAttempted) };
            }

            return outcomes
                .Select(o => (Address: o.Address.ToString(), Result: Evaluate(target, lookup, o.Tls)))
                .GroupBy(x => OutcomeKey(x.Result), StringComparer.Ordinal)
                .Select(g => g.First().Result.WithProbedAddresses(g.Select(x => x.Address).ToList()))
                .ToList();
        }

        /// <summary>What two addresses must share to be reported as one result.</summary>
        private static string OutcomeKey(DaneResult r)
        {
            var leaf = r.CertificateChain.Count > 0 ? r.CertificateChain[0].Thumbprint : string.Empty;
            var codes = string.Join(",", r.Findings.Select(f => f.Code).Distinct().OrderBy(c => c, StringComparer.Ordinal));
            return string.Join("|", r.Verdict, r.TlsStatus, r.MatchedRecordText, r.MatchDepth?.ToString(CultureInfo.InvariantCulture) ?? "-", leaf, codes);
        }

        /// <summary>The addresses in the order every probe uses (IPv4 before IPv6, each in byte order; see <see cref="HostAddressResolver"/>).</summary>
        private static List<IPAddress> OrderAddresses(IEnumerable<string> addresses)
            => HostAddressResolver.InConnectOrder(addresses.Select(text => IPAddress.TryParse(text, out var ip) ? ip : null).Where(ip => ip != null).Select(ip => ip!));

        /// <summary>Decides from a lookup result and a TLS outcome.</summary>
        /// <param name="target">The host and its MX context.</param>
        /// <param name="lookup">The TLSA discovery result for that host.</param>
        /// <param name="tls">The TLS outcome; <c>null</c> when no handshake was attempted.</param>
        public DaneResult Evaluate(DaneTarget target, TlsaLookupResult lookup, TlsHandshakeOutcome? tls)
        {
            if (target is null)
            {
                throw new ArgumentNullException(nameof(target));
            }

            if (lookup is null)
            {
                throw new ArgumentNullException(nameof(lookup));
            }

            tls ??= TlsHandshakeOutcome.NotAttempted;
            var findings = new List<Finding>(lookup.Findings);
            var refs = ReferenceIdentifiers(target, lookup);
            var host = lookup.HostName;

            switch (lookup.Outcome)
            {
                case TlsaLookupOutcome.Found:
                    return EvaluateFound(target, lookup, tls, refs, findings);
                case TlsaLookupOutcome.NoTlsa:
                    return Result(target, lookup, tls, null, DaneVerdict.NoTlsa, lookup.Explanation, refs, findings);
                case TlsaLookupOutcome.TlsaInsecure:
                case TlsaLookupOutcome.AddressInsecure:
                case TlsaLookupOutcome.NotApplicable:
                    return Result(target, lookup, tls, null, DaneVerdict.Insecure, lookup.Explanation, refs, findings);
                case TlsaLookupOutcome.NoAddress:
                    return Result(target, lookup, tls, null, DaneVerdict.NoAddress, lookup.Explanation, refs, findings);
                case TlsaLookupOutcome.ResolverNotValidating:
                    return Result(target, lookup, tls, null, DaneVerdict.ResolverNotValidating, lookup.Explanation, refs, findings);
                case TlsaLookupOutcome.DnssecUndetermined:
                    return Result(target, lookup, tls, null, DaneVerdict.DnssecUndetermined, lookup.Explanation, refs, findings);
                default:
                    // RFC 7672 §2.1.1: bogus, indeterminate, SERVFAIL and timeouts are lookup failures, never "no TLSA".
                    return Result(target, lookup, tls, null, DaneVerdict.LookupFailed, lookup.Explanation + (lookup.Outcome == TlsaLookupOutcome.TlsaLookupFailed ? string.Empty : $" ({host} cannot be used by DANE senders.)"), refs, findings);
            }
        }

        private DaneResult EvaluateFound(DaneTarget target, TlsaLookupResult lookup, TlsHandshakeOutcome tls, IReadOnlyList<string> refs, List<Finding> findings)
        {
            var host = lookup.HostName;
            var records = lookup.Records
                .Select(r => r.Profile == Options.Profile ? r : TlsaRecordClassifier.Classify((byte)r.Usage, (byte)r.Selector, (byte)r.MatchingType, r.Data, r.Ttl, Options.Profile))
                .ToList();
            var usable = records.Where(r => r.Usable).ToList();
            AddRecordFindings(host, lookup, records, findings);
            AddOperationalFindings(target, lookup, usable, findings);

            if (target.MxDnssecStatus == DnssecStatus.Insecure)
            {
                // RFC 7672 §2.2.1: with an insecure MX RRset, DANE is optional for the sender and the MX host name is the only reference identifier.
                findings.Add(DaneFindings.TlsaWithInsecureMx.Create($"{host} publishes secure TLSA records, but the MX RRset of {target.Domain ?? "the domain"} is not DNSSEC-signed, so senders need not apply DANE and cannot trust that {host} is the right host.", host));
            }

            TlsaMatchResult? match = null;
            if (tls.Status == TlsHandshakeStatus.Established)
            {
                match = _matcher.Match(records, tls.Chain, refs, host);
            }

            if (usable.Count == 0)
            {
                var reasons = string.Join(", ", records.GroupBy(r => r.UnusableReason).Select(g => $"{g.Count()} {Describe(g.Key)}"));
                var explanation = $"All {records.Count} TLSA record(s) at {lookup.TlsaName} are unusable{(Options.Profile == TlsaUsageProfile.Smtp ? " for SMTP" : string.Empty)} ({reasons}); DANE senders still require TLS but do not authenticate the server.";
                findings.Add(DaneFindings.AllRecordsUnusable.Create(explanation, host));
                if (tls.Status == TlsHandshakeStatus.StartTlsNotOffered || tls.Status == TlsHandshakeStatus.HandshakeFailed)
                {
                    return TlsFailed(target, lookup, tls, match, refs, findings, explanation);
                }

                if (tls.Status == TlsHandshakeStatus.ConnectFailed)
                {
                    return ConnectFailed(target, lookup, tls, match, refs, findings);
                }

                return Result(target, lookup, tls, match, DaneVerdict.AllRecordsUnusable, explanation, refs, findings);
            }

            switch (tls.Status)
            {
                case TlsHandshakeStatus.NotAttempted:
                    return Result(target, lookup, tls, null, DaneVerdict.NotTested, $"{lookup.TlsaName} has {usable.Count} usable secure TLSA record(s); the server's certificate chain was not checked against them.", refs, findings);
                case TlsHandshakeStatus.ConnectFailed:
                    return ConnectFailed(target, lookup, tls, null, refs, findings);
                case TlsHandshakeStatus.StartTlsNotOffered:
                case TlsHandshakeStatus.HandshakeFailed:
                    return TlsFailed(target, lookup, tls, null, refs, findings, null);
            }

            findings.AddRange(match!.Findings);
            if (match.Status == TlsaMatchStatus.Matched)
            {
                findings.Add(DaneFindings.Valid.Create($"{host}: {match.Explanation}", host));
                return Result(target, lookup, tls, match, DaneVerdict.Valid, match.Explanation, refs, findings);
            }

            // RFC 7672 §3.2: with usable records, failed authentication means no delivery (outside audit-only mode).
            return Result(target, lookup, tls, match, DaneVerdict.NoMatch, match.Explanation + " DANE senders will not deliver to this host.", refs, findings);
        }

        private static DaneResult TlsFailed(DaneTarget target, TlsaLookupResult lookup, TlsHandshakeOutcome tls, TlsaMatchResult? match, IReadOnlyList<string> refs, List<Finding> findings, string? prefix)
        {
            var host = lookup.HostName;
            var what = tls.Status == TlsHandshakeStatus.StartTlsNotOffered ? "does not offer STARTTLS" : "failed the TLS handshake";
            findings.Add(DaneFindings.TlsRequiredButFailed.Create($"{host} publishes secure TLSA records at {lookup.TlsaName} but {what}: {tls.Description}", host));
            var explanation = $"{host} publishes secure TLSA records, which commit it to TLS, but {what}; DANE senders will not deliver to it.";
            return Result(target, lookup, tls, match, DaneVerdict.TlsFailed, explanation, refs, findings);
        }

        private static DaneResult ConnectFailed(DaneTarget target, TlsaLookupResult lookup, TlsHandshakeOutcome tls, TlsaMatchResult? match, IReadOnlyList<string> refs, List<Finding> findings)
        {
            var host = lookup.HostName;
            findings.Add(DaneFindings.ConnectFailed.Create($"{host} could not be reached: {tls.Description}", host));
            return Result(target, lookup, tls, match, DaneVerdict.ConnectFailed, $"{host} has secure TLSA records but could not be reached to check them: {tls.Description}", refs, findings);
        }

        private static DaneResult Result(DaneTarget target, TlsaLookupResult lookup, TlsHandshakeOutcome tls, TlsaMatchResult? match, DaneVerdict verdict, string explanation, IReadOnlyList<string> refs, List<Finding> findings)
        {
            // Worst first; the sort is stable so related findings keep their order.
            var ordered = findings.Select((f, i) => (f, i)).OrderByDescending(x => x.f.Severity).ThenBy(x => x.i).Select(x => x.f).ToList();
            return new DaneResult(new DaneResultBuilder
            {
                Target = target,
                Lookup = lookup,
                Tls = tls,
                Match = match,
                Verdict = verdict,
                Explanation = explanation,
                ReferenceIdentifiers = refs,
                Findings = ordered,
            });
        }

        /// <summary>
        /// RFC 7672 §3.2.2: the TLSA base domain first; with a secure MX, also the next-hop domain and its
        /// CNAME-expanded form; with an insecure MX, the MX host name only; for a host checked on its own whose
        /// base domain is its CNAME target, also the original name.
        /// </summary>
        internal static IReadOnlyList<string> ReferenceIdentifiers(DaneTarget target, TlsaLookupResult lookup)
        {
            var list = new List<string>();
            void Add(string? name)
            {
                if (name != null && DomainName.TryNormalize(name, out var n, out _) && !list.Contains(n))
                {
                    list.Add(n);
                }
            }

            Add(lookup.TlsaBaseDomain ?? lookup.HostName);
            if (target.MxDnssecStatus == DnssecStatus.Secure && target.Domain != null)
            {
                Add(target.Domain);
                Add(target.DomainCanonicalName);
            }
            else
            {
                Add(lookup.HostName);
            }

            return list;
        }

        private static void AddRecordFindings(string host, TlsaLookupResult lookup, IReadOnlyList<TlsaRecordInfo> records, List<Finding> findings)
        {
            foreach (var r in records)
            {
                var message = $"{lookup.TlsaName} '{r.Text}': {r.Explanation}";
                switch (r.UnusableReason)
                {
                    case TlsaUnusableReason.PkixUsageInSmtp:
                        findings.Add(DaneFindings.PkixUsageInSmtp.Create(message, host));
                        break;
                    case TlsaUnusableReason.UnknownUsage:
                    case TlsaUnusableReason.UnknownSelector:
                    case TlsaUnusableReason.UnknownMatchingType:
                    case TlsaUnusableReason.PrivateUse:
                        findings.Add(DaneFindings.UnknownParameter.Create(message, host));
                        break;
                    case TlsaUnusableReason.WrongDigestLength:
                        findings.Add(DaneFindings.WrongDigestLength.Create(message, host));
                        break;
                    case TlsaUnusableReason.MalformedData:
                        findings.Add(DaneFindings.MalformedAssociationData.Create(message, host));
                        break;
                    case TlsaUnusableReason.None when r.MatchingType == TlsaMatchingType.Full && r.Selector == TlsaSelector.Cert:
                        findings.Add(DaneFindings.FullCertFullMatch.Create($"{lookup.TlsaName} publishes a whole certificate ('{r.Parameters}', {r.DataLength} bytes); use a SHA2-256 digest instead.", host));
                        break;
                    case TlsaUnusableReason.None when r.MatchingType == TlsaMatchingType.Full:
                        findings.Add(DaneFindings.FullMatchNotRecommended.Create($"{lookup.TlsaName} publishes a whole public key ('{r.Parameters}', {r.DataLength} bytes); a SHA2-256 digest is recommended.", host));
                        break;
                }
            }
        }

        private static void AddOperationalFindings(DaneTarget target, TlsaLookupResult lookup, IReadOnlyList<TlsaRecordInfo> usable, List<Finding> findings)
        {
            var host = lookup.HostName;
            if (usable.Count > 0 && !usable.Any(r => r.IsRecommendedForm))
            {
                findings.Add(DaneFindings.NoRecommendedRecord.Create($"{lookup.TlsaName} has no '3 1 1' or '2 0 1' record; its usable records are {string.Join(", ", usable.Select(r => "'" + r.Parameters + "'").Distinct())}.", host));
            }

            if (usable.Count == 1)
            {
                findings.Add(DaneFindings.SingleRecord.Create($"{lookup.TlsaName} has a single usable record ('{usable[0].Parameters}'); a key or certificate change will need new records published two TTLs ahead.", host));
            }

            if (lookup.Records.Count > 0)
            {
                var ttl = lookup.Records.Max(r => r.Ttl);
                if (ttl > LongTtlThreshold)
                {
                    findings.Add(DaneFindings.LongTtl.Create(string.Format(CultureInfo.InvariantCulture, "The TLSA RRset at {0} has a TTL of {1:0.#} hours; a rollover must wait two TTLs ({2:0.#} hours) between publishing and switching.", lookup.TlsaName, ttl.TotalHours, ttl.TotalHours * 2), host));
                }
            }

            // Each record on the wire: compressed owner (2) + type, class, TTL, length (10) + usage, selector, mtype (3) + data.
            var wireSize = lookup.Records.Sum(r => 15 + r.DataLength);
            if (wireSize > LargeRRsetBytes)
            {
                findings.Add(DaneFindings.LargeRRset.Create(string.Format(CultureInfo.InvariantCulture, "The {0} TLSA record(s) at {1} take about {2} bytes on the wire before signatures, more than the {3} bytes that fit an unfragmented UDP answer.", lookup.Records.Count, lookup.TlsaName, wireSize, LargeRRsetBytes), host));
            }

            if (lookup.TlsaCanonicalName != null && usable.Any(r => r.Usage == TlsaUsage.DaneEe))
            {
                findings.Add(DaneFindings.SharedEeRecord.Create($"{lookup.TlsaName} is an alias of {lookup.TlsaCanonicalName}, whose RRset holds DANE-EE(3) records; hosts sharing it can impersonate one another.", host));
            }
        }

        private static string Describe(TlsaUnusableReason reason) => reason switch
        {
            TlsaUnusableReason.PkixUsageInSmtp => "PKIX-TA(0)/PKIX-EE(1) record(s), which SMTP does not use (RFC 7672 §3.1.3)",
            TlsaUnusableReason.UnknownUsage => "with an unassigned usage",
            TlsaUnusableReason.UnknownSelector => "with an unassigned selector",
            TlsaUnusableReason.UnknownMatchingType => "with an unassigned matching type",
            TlsaUnusableReason.PrivateUse => "with private-use values",
            TlsaUnusableReason.WrongDigestLength => "with a digest of the wrong length",
            TlsaUnusableReason.MalformedData => "with malformed data",
            _ => "usable",
        };
    }
}
