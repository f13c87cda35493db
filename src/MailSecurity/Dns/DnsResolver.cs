using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using MailSecurity.Dns.Wire;
using MailSecurity.Runtime;

namespace MailSecurity.Dns
{
    /// <summary>
    /// The one DNS layer every check uses: UDP through <see cref="DnsUdpExchange"/> (sockets shared between queries),
    /// DnsClient.NET for TCP and its record types, the DO bit on every query, a DNSSEC state
    /// per answer, CNAME chains with per-link state, TCP fallback, a cache shared by every input of a run in which
    /// concurrent identical questions coalesce into one query, a query log and a query counter.
    /// </summary>
    /// <remarks>
    /// The cache is per instance: create one resolver per run (per cmdlet invocation) and share it between inputs.
    /// DNS-level outcomes (NXDOMAIN, SERVFAIL, timeouts) are returned as <see cref="DnsAnswer"/> data, never thrown.
    /// <para>Two steps, so that no DNSSEC side probe delays or decides a verdict that does not depend on DNSSEC:
    /// <see cref="QueryAsync"/> returns the answer as soon as it arrives, with the DNSSEC state the response itself gives
    /// (<see cref="DnssecStatus.Unvalidated"/> for signed data without AD); <see cref="DetermineDnssecAsync"/> settles that
    /// through the run's <see cref="IDnssecClassifier"/> within <see cref="DnsResolverOptions.DnssecProbeTimeout"/>, for
    /// DNSSEC-dependent verdicts only (DANE/TLSA, MX-RRset security, CNAME link security). See <see cref="IDnssecClassifier"/>.</para>
    /// </remarks>
    internal sealed class DnsResolver : IDnsLookup
    {
        private const int MaxCnameLinks = 16;
        private readonly LookupClient _client;
        private readonly LookupClient _tcpClient;
        private readonly DnsUdpExchange _udp = new DnsUdpExchange();
        private readonly DnsResolverOptions _options;
        private readonly IReadOnlyList<IPEndPoint> _servers;
        private readonly string _firstServerText;
        private readonly string? _firstServerAddress;
        private readonly Func<(string, QueryType), Task<DnsAnswer>> _resolveQuery;
        private readonly Func<(string, QueryType), Task<DnsAnswer>> _resolveProbe;
        private readonly CancellationToken _runToken;
        private readonly SharedTaskCache<(string, QueryType), DnsAnswer> _cache;
        private readonly SemaphoreSlim _inFlight;
        private readonly IDnssecClassifier _classifier;
        private long _distinctQuestions;
        private long _queriesSent;
        private long _probeQueriesSent;
        private long _cacheHits;

        /// <summary>Creates a resolver from a snapshot of <paramref name="options"/>.</summary>
        /// <param name="options">Servers, timeout, transport and DNSSEC validation settings.</param>
        /// <param name="runToken">Cancels every in-flight query of the run (shared lookups are not tied to one caller).</param>
        /// <exception cref="System.IO.IOException"><see cref="DnsResolverOptions.TrustAnchorPath"/> cannot be read.</exception>
        /// <exception cref="UnauthorizedAccessException"><see cref="DnsResolverOptions.TrustAnchorPath"/> cannot be read.</exception>
        /// <exception cref="FormatException"><see cref="DnsResolverOptions.TrustAnchorPath"/> holds no anchor or a malformed record (the message names the line).</exception>
        public DnsResolver(DnsResolverOptions? options = null, CancellationToken runToken = default)
            : this(options, null, runToken)
        {
        }

        /// <summary>Creates a resolver whose DNSSEC classification is <paramref name="classifier"/>'s (a local validator, a test double).</summary>
        /// <param name="options">Servers, timeout and transport settings.</param>
        /// <param name="classifier">
        /// Builds the run's classifier from the lookup it must use for its own questions (DS, DNSKEY): answers shared with
        /// the run cache, logged with the purpose <c>ds-probe</c> and counted in <see cref="DnssecProbeQueriesSent"/>.
        /// <c>null</c>: the DS walk (<see cref="DsProbeClassifier"/>) within <see cref="DnssecProbeTimeout"/>.
        /// </param>
        /// <param name="runToken">Cancels every in-flight query of the run.</param>
        internal DnsResolver(DnsResolverOptions? options, Func<IDnsLookup, IDnssecClassifier>? classifier, CancellationToken runToken)
        {
            options ??= new DnsResolverOptions();
            _options = new DnsResolverOptions
            {
                Timeout = options.Timeout,
                Attempts = Math.Max(1, options.Attempts),
                UseTcpFallback = options.UseTcpFallback,
                UseTcpOnly = options.UseTcpOnly,
                DetectBogus = options.DetectBogus,
                MaxConcurrentQueries = Math.Max(1, options.MaxConcurrentQueries),
                CacheCapacity = Math.Max(16, options.CacheCapacity),
                DnssecProbeTimeout = options.DnssecProbeTimeout,
                DnssecValidation = options.DnssecValidation,
                TrustAnchorPath = options.TrustAnchorPath,
            };
            _cache = new SharedTaskCache<(string, QueryType), DnsAnswer>(_options.CacheCapacity);
            _inFlight = new SemaphoreSlim(_options.MaxConcurrentQueries);
            foreach (var s in options.Servers)
            {
                _options.Servers.Add(s);
            }

            _runToken = runToken;
            var perAttempt = TimeSpan.FromMilliseconds(Math.Max(250, _options.Timeout.TotalMilliseconds / _options.Attempts));
            var lookupOptions = _options.Servers.Count > 0
                ? new LookupClientOptions(_options.Servers.ToArray())
                : new LookupClientOptions();
            lookupOptions.UseCache = false; // our own run cache coalesces concurrent questions and counts them
            lookupOptions.Timeout = perAttempt;
            lookupOptions.Retries = _options.Attempts - 1;
            lookupOptions.ThrowDnsErrors = false;
            lookupOptions.ContinueOnDnsError = true;
            lookupOptions.ContinueOnEmptyResponse = false;
            lookupOptions.RequestDnsSecRecords = true; // DO bit (RFC 3225): signatures come back, so "signed but not validated" is visible
            lookupOptions.UseTcpFallback = _options.UseTcpFallback;
            lookupOptions.UseTcpOnly = _options.UseTcpOnly;
            lookupOptions.UseRandomNameServer = false;
            lookupOptions.EnableAuditTrail = false;
            _client = new LookupClient(lookupOptions);
            // DnsClient stays the TCP transport (answers too large for UDP, RFC 7766 §5, and -UseTcpOnly runs); UDP is
            // DnsUdpExchange's, which shares sockets between queries (see there).
            lookupOptions.UseTcpOnly = true;
            _tcpClient = new LookupClient(lookupOptions);
            _servers = _client.NameServers.Select(n => new IPEndPoint(IPAddress.Parse(n.Address), n.Port)).ToList();
            _firstServerText = _servers.Count > 0 ? DnsServerAddress.Format(_servers[0]) : "(system)";
            _firstServerAddress = _servers.Count > 0 ? _servers[0].Address.ToString() : null;

            // One delegate per purpose for the run cache, made once: a closure per question was a measurable share of
            // a bulk run's allocations (tests/bench/README.md).
            _resolveQuery = k => ResolveAsync(k.Item1, k.Item2, QueryPurpose, _runToken);
            _resolveProbe = k => ResolveAsync(k.Item1, k.Item2, ProbePurpose, _runToken);
            var probeLookup = new ProbeLookup(this);
            _classifier = classifier is null
                ? CreateClassifier(probeLookup, runToken)
                : classifier(probeLookup) ?? throw new ArgumentException("The classifier factory returned null.", nameof(classifier));
        }

        /// <summary>The classifier <see cref="DnsResolverOptions.DnssecValidation"/> selects, over the probe lookup.</summary>
        private IDnssecClassifier CreateClassifier(IDnsLookup probeLookup, CancellationToken runToken)
        {
            var walk = new DsProbeClassifier(probeLookup, DnssecProbeTimeout, runToken, _options.CacheCapacity);
            if (_options.DnssecValidation == DnssecValidationMode.Resolver)
            {
                return walk;
            }

            var validator = new Dnssec.DnssecValidator(probeLookup, Dnssec.TrustAnchors.ForRun(_options.TrustAnchorPath), null, runToken);
            return new Dnssec.LocalValidationClassifier(validator, _options.DnssecValidation == DnssecValidationMode.Auto ? walk : null);
        }

        /// <summary>The DNSSEC validation this resolver's DNSSEC-dependent verdicts use (<see cref="DnsResolverOptions.DnssecValidation"/>).</summary>
        public DnssecValidationMode DnssecValidation => _options.DnssecValidation;

        /// <summary>
        /// True when this run may validate answers itself (<see cref="DnssecValidationMode.Auto"/> or
        /// <see cref="DnssecValidationMode.Local"/>): data it finds bogus is then withheld, as a validating resolver withholds
        /// it, so the addresses a sender would connect to are settled before use (<see cref="Smtp.HostAddressResolver"/>).
        /// </summary>
        internal bool MayValidateLocally => _options.DnssecValidation != DnssecValidationMode.Resolver;

        /// <inheritdoc/>
        bool IDnsLookup.MayValidateLocally => MayValidateLocally;

        private static readonly TimeSpan BudgetGrace = TimeSpan.FromSeconds(1);

        /// <summary>The query-log purpose of questions a DNSSEC classifier asks (DS walk, DNSKEY).</summary>
        internal const string ProbePurpose = "ds-probe";

        /// <summary>The purpose logged for the cmdlets' own questions.</summary>
        internal const string QueryPurpose = "query";

        /// <summary>The servers in use (the system's when none were given).</summary>
        public IReadOnlyList<IPEndPoint> Servers => _servers;

        /// <summary>The timeout per question and server.</summary>
        public TimeSpan Timeout => _options.Timeout;

        /// <summary>Raised (on a worker thread) after every query sent on the wire.</summary>
        public event EventHandler<DnsQueryLogEntry>? QueryLogged;

        /// <summary>Queries sent on the wire so far, probes included.</summary>
        public long QueriesSent => Interlocked.Read(ref _queriesSent);

        /// <summary>Queries the DNSSEC classification sent on the wire so far (the DS walk: at most one per zone cut per run).</summary>
        public long DnssecProbeQueriesSent => Interlocked.Read(ref _probeQueriesSent);

        /// <summary>The longest a DNSSEC classification may take before its state is reported as not determined.</summary>
        public TimeSpan DnssecProbeTimeout => _options.DnssecProbeTimeout ?? _options.Timeout;

        /// <summary>Questions answered from the run cache (including ones that joined an in-flight query).</summary>
        public long CacheHits => Interlocked.Read(ref _cacheHits);

        /// <summary>Questions that needed a new query (distinct (name, type) pairs, plus any asked again after being evicted).</summary>
        public int DistinctQuestions => (int)Interlocked.Read(ref _distinctQuestions);

        /// <summary>Answers held in the run cache now (at most <see cref="DnsResolverOptions.CacheCapacity"/>).</summary>
        public int CachedAnswers => _cache.Count;

        /// <summary>Answers dropped from the run cache to keep memory flat (least recently used first).</summary>
        public long CacheEvictions => _cache.Evictions;

        /// <summary>Asks one question, sharing the answer with every other caller of this run.</summary>
        /// <param name="name">Domain name (U-labels are converted; a trailing dot is fine).</param>
        /// <param name="type">Record type.</param>
        /// <param name="cancellationToken">Cancels this caller's wait.</param>
        /// <returns>The answer; lookup failures are data, never exceptions.</returns>
        /// <exception cref="OperationCanceledException">The caller or the run was cancelled.</exception>
        /// <remarks>
        /// Never waits for a DNSSEC probe: the answer's <see cref="DnsAnswer.DnssecStatus"/> is what the response says, and
        /// signed data without the AD bit is <see cref="DnssecStatus.Unvalidated"/>. Verdicts that depend on DNSSEC use
        /// <see cref="QueryWithDnssecAsync"/> or <see cref="DetermineDnssecAsync"/>.
        /// </remarks>
        public Task<DnsAnswer> QueryAsync(string name, QueryType type, CancellationToken cancellationToken = default)
            => QueryCoreAsync(name, type, DnsNameSyntax.HostName, probe: false, cancellationToken);

        /// <summary>
        /// Asks one question and settles its DNSSEC state (<see cref="DetermineDnssecAsync"/>): for DNSSEC-dependent verdicts
        /// only (DANE/TLSA, MX-RRset security, CNAME link security of a TLSA base domain).
        /// </summary>
        /// <param name="name">Domain name (U-labels are converted; a trailing dot is fine).</param>
        /// <param name="type">Record type.</param>
        /// <param name="cancellationToken">Cancels this caller's wait.</param>
        /// <returns>The answer with its DNSSEC state settled, or <see cref="DnssecStatus.Unvalidated"/> with <see cref="DnsAnswer.DnssecProbeFailure"/>.</returns>
        /// <exception cref="OperationCanceledException">The caller or the run was cancelled.</exception>
        public Task<DnsAnswer> QueryWithDnssecAsync(string name, QueryType type, CancellationToken cancellationToken = default)
            => DnsLookupExtensions.QueryWithDnssecAsync(this, name, type, cancellationToken);

        /// <summary>
        /// Settles the DNSSEC state of an answer its response did not settle (signed data without AD, on the final RRset or
        /// any CNAME link) through the run's <see cref="IDnssecClassifier"/>, waiting at most
        /// <see cref="DnssecProbeTimeout"/>. Answers the response settled come back unchanged, without a query.
        /// </summary>
        /// <param name="answer">An answer of this resolver.</param>
        /// <param name="cancellationToken">Cancels this caller's wait.</param>
        /// <returns>
        /// A copy with the state settled; when the probe fails or the budget runs out, the unsettled parts stay
        /// <see cref="DnssecStatus.Unvalidated"/> and <see cref="DnsAnswer.DnssecProbeFailure"/> names the probe. Never a
        /// lookup failure: the answer itself is as good as before.
        /// </returns>
        /// <exception cref="OperationCanceledException">The caller or the run was cancelled.</exception>
        public async Task<DnsAnswer> DetermineDnssecAsync(DnsAnswer answer, CancellationToken cancellationToken = default)
        {
            if (answer is null)
            {
                throw new ArgumentNullException(nameof(answer));
            }

            if (answer.IsDnssecSettled
                && (!_classifier.ClassifiesSettledAnswers || answer.DnssecSource != DnssecSource.Response || answer.IsLookupError || answer.Status == DnsLookupStatus.InvalidName))
            {
                return answer;
            }

            // A classifier keeps the budget itself (so the failure it reports is remembered per zone); this is the backstop.
            var budget = DnssecProbeTimeout;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _runToken);
            deadline.CancelAfter(budget + BudgetGrace);
            try
            {
                var classification = await _classifier.ClassifyAsync(answer, deadline.Token).ConfigureAwait(false);
                return answer.WithDnssec(classification);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !_runToken.IsCancellationRequested)
            {
                // The budget ran out: the answer stands, its DNSSEC state is not known, and the message says what was pending.
                var pending = _classifier.DescribePending(answer);
                var failure = string.Format(CultureInfo.InvariantCulture, "the DNSSEC probe did not finish within {0:0.#} s{1}", budget.TotalSeconds, pending is null ? string.Empty : " (" + pending + ")");
                return answer.WithDnssec(DnssecClassification.NotDetermined(answer, _classifier.Source, failure));
            }
        }

        /// <summary>
        /// Asks one question for a name built from data, whose labels may hold any printable US-ASCII character
        /// (RFC 2181 §11), such as an SPF target name after macro expansion (RFC 7208 §7.3); otherwise like
        /// <c>QueryAsync(string, QueryType, CancellationToken)</c>, sharing its cache.
        /// </summary>
        /// <param name="name">Domain name (a trailing dot is fine).</param>
        /// <param name="type">Record type.</param>
        /// <param name="cancellationToken">Cancels this caller's wait.</param>
        /// <returns>The answer; lookup failures are data, never exceptions.</returns>
        /// <exception cref="OperationCanceledException">The caller or the run was cancelled.</exception>
        public Task<DnsAnswer> QueryAnyNameAsync(string name, QueryType type, CancellationToken cancellationToken = default)
            => QueryCoreAsync(name, type, DnsNameSyntax.AnyPrintableAscii, probe: false, cancellationToken);

        private async Task<DnsAnswer> QueryCoreAsync(string name, QueryType type, DnsNameSyntax syntax, bool probe, CancellationToken cancellationToken)
        {
            string normalized;
            if (probe && (name == "." || name.Length == 0))
            {
                // The root zone, which no check asks for but local validation does: the DNSKEY RRset of the root trust
                // anchor (RFC 4035 §5). Kept as the empty name, as DomainName.FromResponse gives the root's records.
                normalized = string.Empty;
            }
            else if (!DomainName.TryNormalize(name, syntax, out normalized, out var error))
            {
                return new DnsAnswer(DomainName.Printable(name ?? string.Empty), type, DnsLookupStatus.InvalidName, string.Empty, DnssecStatus.Unknown, Array.Empty<DnsResourceRecord>(), Array.Empty<CnameLink>(), string.Empty, TimeSpan.Zero, error);
            }

            var task = _cache.GetOrStart((normalized, type), probe ? _resolveProbe : _resolveQuery, out var created);
            if (created)
            {
                Interlocked.Increment(ref _distinctQuestions);
            }
            else
            {
                Interlocked.Increment(ref _cacheHits);
            }

            return await SharedTaskCache<(string, QueryType), DnsAnswer>.WaitAsync(task, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Parses the <c>-DnsServer</c> list into options; throws <see cref="FormatException"/> naming the bad entry.</summary>
        public static DnsResolverOptions CreateOptions(IEnumerable<string>? servers, TimeSpan timeout)
        {
            var options = new DnsResolverOptions { Timeout = timeout };
            if (servers != null)
            {
                foreach (var s in servers)
                {
                    foreach (var part in s.Split(new[] { ',', ' ' }, StringSplitOptions.RemoveEmptyEntries))
                    {
                        options.Servers.Add(DnsServerAddress.Parse(part));
                    }
                }
            }

            return options;
        }

        private async Task<DnsAnswer> ResolveAsync(string name, QueryType type, string purpose, CancellationToken cancellationToken)
        {
            var wire = await SendAsync(name, type, purpose, cancellationToken).ConfigureAwait(false);
            if (wire.Response is null)
            {
                return new DnsAnswer(name, type, wire.FailureStatus, string.Empty, DnssecStatus.Indeterminate, Array.Empty<DnsResourceRecord>(), Array.Empty<CnameLink>(), wire.Server, wire.Elapsed, wire.Error);
            }

            var response = wire.Response;
            var rcode = response.ResponseCode;
            var rcodeText = rcode.ToString();
            if (rcode == DnsHeaderResponseCode.ServerFailure)
            {
                var dnssec = DnssecStatus.Indeterminate;
                if (_options.DetectBogus && DnsServerAddress.TryParse(wire.Server, out var serverEp, out _))
                {
                    Interlocked.Increment(ref _queriesSent);
                    var sw = Stopwatch.StartNew();
                    int? cd;
                    await _inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        cd = await CheckingDisabledProbe.QueryResponseCodeAsync(_udp, serverEp!, name, (ushort)type, PerAttempt, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        _inFlight.Release();
                    }

                    Log(new DnsQueryLogEntry(name, type.ToString(), wire.Server, cd.HasValue ? ((DnsHeaderResponseCode)cd.Value).ToString() : "no answer", false, 0, sw.Elapsed, "cd-probe"));
                    if (cd == 0 || cd == 3)
                    {
                        dnssec = DnssecStatus.Bogus;
                    }
                }

                return new DnsAnswer(name, type, DnsLookupStatus.ServerFailure, rcodeText, dnssec, Array.Empty<DnsResourceRecord>(), Array.Empty<CnameLink>(), wire.Server, wire.Elapsed,
                    dnssec == DnssecStatus.Bogus ? "DNSSEC validation failed (the answer is available with checking disabled)" : "the resolver could not obtain an answer");
            }

            if (rcode != DnsHeaderResponseCode.NoError && rcode != DnsHeaderResponseCode.NotExistentDomain)
            {
                return new DnsAnswer(name, type, DnsLookupStatus.Refused, rcodeText, DnssecStatus.Indeterminate, Array.Empty<DnsResourceRecord>(), Array.Empty<CnameLink>(), wire.Server, wire.Elapsed, $"the server answered {rcodeText}");
            }

            // Follow the CNAME chain inside the answer (RFC 1034 §3.6.2); stop at loops and absurd lengths. Written with
            // loops, not LINQ, and allocating only when there is a chain: every answer of a bulk run comes through here.
            var answers = response.Answers;
            List<(string Name, string Target, int Ttl)>? chain = null;
            var current = name;
            if (type != QueryType.CNAME)
            {
                HashSet<string>? seen = null;
                while (chain is null || chain.Count < MaxCnameLinks)
                {
                    CNameRecord? cname = null;
                    for (var i = 0; i < answers.Count; i++)
                    {
                        if (answers[i] is CNameRecord c && Same(c.DomainName, current))
                        {
                            cname = c;
                            break;
                        }
                    }

                    if (cname is null)
                    {
                        break;
                    }

                    chain ??= new List<(string Name, string Target, int Ttl)>();
                    seen ??= new HashSet<string>(StringComparer.Ordinal) { current };
                    var target = Normalize(cname.CanonicalName);
                    chain.Add((current, target, cname.InitialTimeToLive));
                    if (!seen.Add(target))
                    {
                        return new DnsAnswer(name, type, DnsLookupStatus.MalformedResponse, rcodeText, DnssecStatus.Indeterminate, Array.Empty<DnsResourceRecord>(), Array.Empty<CnameLink>(), wire.Server, wire.Elapsed, $"CNAME loop at {target}");
                    }

                    current = target;
                }
            }

            var records = new List<DnsResourceRecord>(answers.Count);
            for (var i = 0; i < answers.Count; i++)
            {
                var r = answers[i];
                if (r.RecordType == (ResourceRecordType)(int)type && Same(r.DomainName, current))
                {
                    records.Add(r);
                }
            }

            var status = rcode == DnsHeaderResponseCode.NotExistentDomain
                ? DnsLookupStatus.NxDomain
                : records.Count > 0 ? DnsLookupStatus.Success : DnsLookupStatus.NoData;

            var evidence = new DnsResponseEvidence(response.AuthenticData, answers, response.Authorities);
            if (chain is null)
            {
                var (final, _) = SettleFromResponse(evidence, Array.Empty<string>(), current, status == DnsLookupStatus.Success ? type : (QueryType?)null);
                return new DnsAnswer(name, type, status, rcodeText, final, records, Array.Empty<CnameLink>(), wire.Server, wire.Elapsed, null, evidence);
            }

            var (dnssecStatus, linkStatuses) = SettleFromResponse(evidence, chain.Select(c => c.Name).ToList(), current, status == DnsLookupStatus.Success ? type : (QueryType?)null);
            var links = chain.Select((c, i) => new CnameLink(c.Name, c.Target, linkStatuses[i], c.Ttl)).ToList();
            return new DnsAnswer(name, type, status, rcodeText, dnssecStatus, records, links, wire.Server, wire.Elapsed, null, evidence);
        }

        /// <summary>
        /// The DNSSEC state of each part of an answer (each CNAME link, then the final RRset) as far as the response itself
        /// says: all <see cref="DnssecStatus.Secure"/> on the AD bit (it covers every RRset, RFC 4035 §3.2.3); an unsigned part
        /// is <see cref="DnssecStatus.Insecure"/> and so is everything after it (RFC 7672 §2.1.3); a signed part without AD
        /// is <see cref="DnssecStatus.Unvalidated"/>, for <see cref="DetermineDnssecAsync"/> to settle.
        /// </summary>
        /// <param name="evidence">The response.</param>
        /// <param name="linkOwners">The owner of each CNAME link, in order.</param>
        /// <param name="finalName">The name the final RRset belongs to.</param>
        /// <param name="finalType">The type of the final RRset, or <c>null</c> for a denial (NODATA, NXDOMAIN: its proof is in the authority section).</param>
        internal static (DnssecStatus Final, IReadOnlyList<DnssecStatus> Links) SettleFromResponse(DnsResponseEvidence evidence, IReadOnlyList<string> linkOwners, string finalName, QueryType? finalType)
        {
            if (evidence.AuthenticData)
            {
                return (DnssecStatus.Secure, linkOwners.Select(_ => DnssecStatus.Secure).ToList());
            }

            var insecureFromHere = false;
            DnssecStatus Part(bool signed)
            {
                insecureFromHere |= !signed;
                return insecureFromHere ? DnssecStatus.Insecure : DnssecStatus.Unvalidated;
            }

            var links = linkOwners.Select(owner => Part(evidence.SignaturesOver(owner, QueryType.CNAME).Count > 0)).ToList();
            var final = Part(evidence.SignaturesOver(finalName, finalType).Count > 0);
            return (final, links);
        }

        private TimeSpan PerAttempt => TimeSpan.FromMilliseconds(Math.Max(250, _options.Timeout.TotalMilliseconds / _options.Attempts));

        private async Task<WireResult> SendAsync(string name, QueryType type, string purpose, CancellationToken cancellationToken)
        {
            // Bounded in flight: a burst of hundreds of UDP questions overflows the resolver's socket buffer, and every
            // dropped datagram costs a whole timeout (measured by tests/bench). The wait does not count towards the timeout.
            await _inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await SendOnWireAsync(name, type, purpose, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _inFlight.Release();
            }
        }

        private async Task<WireResult> SendOnWireAsync(string name, QueryType type, string purpose, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _queriesSent);
            if (purpose == ProbePurpose)
            {
                Interlocked.Increment(ref _probeQueriesSent);
            }

            var sw = Stopwatch.StartNew();
            var firstServer = _firstServerText;
            var logName = name.Length == 0 ? "." : name;
            try
            {
                var (response, server) = _options.UseTcpOnly || _servers.Count == 0
                    ? await QueryDnsClientAsync(_client, null, logName, type, cancellationToken).ConfigureAwait(false)
                    : await QueryUdpAsync(name, logName, type, cancellationToken).ConfigureAwait(false);
                sw.Stop();
                if (Logging)
                {
                    Log(new DnsQueryLogEntry(logName, type.ToString(), server, response.ResponseCode.ToString(), response.AuthenticData, response.Answers.Count, sw.Elapsed, purpose));
                }
                return new WireResult(response, DnsLookupStatus.Success, server, sw.Elapsed, null);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ex is DnsResponseException || ex is DnsResponseParseException || ex is DnsXidMismatchException || ex is DnsWireFormatException || ex is SocketException || ex is OperationCanceledException || ex is TimeoutException || ex is System.IO.IOException || ex is ArgumentException || ex is IndexOutOfRangeException || ex is InvalidOperationException)
            {
                sw.Stop();
                var (status, classified) = Classify(ex);
                // DnsClient's parse errors go on with a base64 dump of the packet on further lines: keep one bounded line.
                var message = DisplayText.FirstLine(classified, DisplayText.MaxLength);
                Log(new DnsQueryLogEntry(logName, type.ToString(), firstServer, status.ToString(), false, 0, sw.Elapsed, purpose));
                return new WireResult(null, status, firstServer, sw.Elapsed, message);
            }
        }

        /// <summary>
        /// One question over UDP, server by server in the configured order and <see cref="DnsResolverOptions.Attempts"/>
        /// times each while none answers: an answer other than NOERROR/NXDOMAIN goes on to the next server (the last one's
        /// stands), a truncated one is asked again over TCP (RFC 7766 §5).
        /// </summary>
        /// <exception cref="TimeoutException">No server answered.</exception>
        /// <exception cref="DnsXidMismatchException">A server answered the question only under another message ID.</exception>
        /// <param name="name">The normalised name (empty for the root).</param>
        /// <param name="dnsClientName">The same name as DnsClient takes it (the root as ".").</param>
        /// <param name="type">The question type.</param>
        /// <param name="cancellationToken">Cancels the question.</param>
        private async Task<(DnsWireResponse Response, string Server)> QueryUdpAsync(string name, string dnsClientName, QueryType type, CancellationToken cancellationToken)
        {
            (DnsWireResponse Response, string Server)? last = null;
            Exception? failure = null;
            var wrongId = false;
            for (var s = 0; s < _servers.Count; s++)
            {
                var server = _servers[s];
                var serverText = s == 0 ? _firstServerText : DnsServerAddress.Format(server);
                for (var attempt = 0; attempt < _options.Attempts; attempt++)
                {
                    (DnsUdpOutcome Outcome, byte[]? Response) reply;
                    try
                    {
                        reply = await _udp.QueryAsync(server, name, (ushort)type, PerAttempt, cancellationToken).ConfigureAwait(false);
                    }
                    catch (SocketException ex)
                    {
                        failure = ex;
                        break; // this server cannot be reached from here: the next one
                    }

                    if (reply.Outcome != DnsUdpOutcome.Answered)
                    {
                        wrongId |= reply.Outcome == DnsUdpOutcome.WrongId;
                        continue;
                    }

                    var response = DnsWireMessage.Parse(reply.Response!, reply.Response!.Length);
                    if (response.Truncated && _options.UseTcpFallback)
                    {
                        return await QueryDnsClientAsync(_tcpClient, server, dnsClientName, type, cancellationToken).ConfigureAwait(false);
                    }

                    last = (response, serverText);
                    if (response.ResponseCode == DnsHeaderResponseCode.NoError || response.ResponseCode == DnsHeaderResponseCode.NotExistentDomain)
                    {
                        return last.Value;
                    }

                    break; // SERVFAIL, REFUSED, ...: another server may do better
                }
            }

            if (last.HasValue)
            {
                return last.Value;
            }

            if (wrongId)
            {
                throw new DnsXidMismatchException(0, 0);
            }

            throw failure ?? new TimeoutException();
        }

        /// <summary>One question through DnsClient's own transport: TCP, or a run that has no server at all (DnsClient found none in the system's configuration, and says so).</summary>
        private async Task<(DnsWireResponse Response, string Server)> QueryDnsClientAsync(LookupClient client, IPEndPoint? server, string name, QueryType type, CancellationToken cancellationToken)
        {
            var question = new DnsQuestion(name, type);
            var response = server is null
                ? await client.QueryAsync(question, cancellationToken).ConfigureAwait(false)
                : await client.QueryServerAsync(new[] { new NameServer(server) }, question.QueryName, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
            var text = response.NameServer is null ? (server is null ? _firstServerText : DnsServerAddress.Format(server)) : FormatServer(response.NameServer);
            return (DnsWireResponse.From(response), text);
        }

        private (DnsLookupStatus, string) Classify(Exception ex)
        {
            var servers = string.Join(", ", _servers.Select(DnsServerAddress.Format));
            if (ex is DnsResponseException dre)
            {
                if (dre.Code == DnsResponseCode.ConnectionTimeout || dre.InnerException is TimeoutException || dre.InnerException is OperationCanceledException)
                {
                    return (DnsLookupStatus.Timeout, $"no answer from {servers} within {_options.Timeout.TotalSeconds:0.#} s");
                }

                var inner = dre.InnerException;
                while (inner?.InnerException != null && !(inner is SocketException))
                {
                    inner = inner.InnerException;
                }

                if (inner is SocketException se)
                {
                    return (DnsLookupStatus.NetworkError, $"{servers}: {se.SocketErrorCode} ({se.Message})");
                }

                if (dre.Code == DnsResponseCode.Unassigned && !(dre.InnerException is DnsResponseParseException))
                {
                    // DnsClient reports transport failures as "Unassigned" with the cause inside.
                    return (DnsLookupStatus.NetworkError, $"{servers}: {dre.InnerException?.Message ?? dre.Message}");
                }

                return (DnsLookupStatus.MalformedResponse, $"{servers}: {dre.Message}");
            }

            return ex switch
            {
                DnsXidMismatchException _ => (DnsLookupStatus.MalformedResponse, $"{servers}: the answer's message ID did not match the query"),
                SocketException se => (DnsLookupStatus.NetworkError, $"{servers}: {se.SocketErrorCode} ({se.Message})"),
                TimeoutException _ or OperationCanceledException _ => (DnsLookupStatus.Timeout, $"no answer from {servers} within {_options.Timeout.TotalSeconds:0.#} s"),
                DnsWireFormatException wf => (DnsLookupStatus.MalformedResponse, $"{servers}: {wf.Message}"),
                _ => (DnsLookupStatus.MalformedResponse, $"{servers}: {ex.Message}"),
            };
        }

        private void Log(DnsQueryLogEntry entry) => QueryLogged?.Invoke(this, entry);

        /// <summary>True when something listens to <see cref="QueryLogged"/> (the entry is not built otherwise).</summary>
        private bool Logging => QueryLogged != null;

        private string FormatServer(NameServer ns)
        {
            if (_firstServerAddress != null && ns.Port == _servers[0].Port && string.Equals(ns.Address, _firstServerAddress, StringComparison.Ordinal))
            {
                return _firstServerText; // nearly every answer: formatted once
            }

            return IPAddress.TryParse(ns.Address, out var ip) ? DnsServerAddress.Format(new IPEndPoint(ip, ns.Port)) : ns.ToString();
        }

        private static string Normalize(DnsString name) => DomainName.FromResponse(name);

        private static string Normalize(string name)
        {
            var n = name.EndsWith(".", StringComparison.Ordinal) ? name.Substring(0, name.Length - 1) : name;
            return n.ToLowerInvariant();
        }

        /// <summary>
        /// True when a name from a response is <paramref name="b"/> (normalised). A name of plain ASCII (the usual case)
        /// compares in place, case-insensitively and without its trailing dots, as <see cref="DomainName.FromResponse"/>
        /// would normalise it; anything else (non-ASCII, escapes) goes through that normalisation.
        /// </summary>
        private static bool Same(DnsString a, string b)
        {
            var text = string.IsNullOrEmpty(a.Original) ? a.Value : a.Original;
            var length = text.Length;
            while (length > 0 && text[length - 1] == '.')
            {
                length--;
            }

            for (var i = 0; i < length; i++)
            {
                var c = text[i];
                if (c > 0x7E || c == '\\')
                {
                    return string.Equals(Normalize(a), b, StringComparison.Ordinal);
                }
            }

            return length == b.Length && string.Compare(text, 0, b, 0, length, StringComparison.OrdinalIgnoreCase) == 0;
        }

        /// <summary>
        /// The lookup a DNSSEC classifier asks its own questions (DS, DNSKEY) through: the run cache and its coalescing,
        /// logged with the purpose <see cref="ProbePurpose"/> and counted in <see cref="DnssecProbeQueriesSent"/>. Its
        /// answers are never classified again (the classifier is the one settling them), and the root may be asked.
        /// </summary>
        private sealed class ProbeLookup : IDnsLookup
        {
            private readonly DnsResolver _resolver;

            public ProbeLookup(DnsResolver resolver) => _resolver = resolver;

            public bool MayValidateLocally => false;

            public Task<DnsAnswer> QueryAsync(string name, QueryType type, CancellationToken cancellationToken = default)
                => _resolver.QueryCoreAsync(name, type, DnsNameSyntax.HostName, probe: true, cancellationToken);

            public Task<DnsAnswer> QueryAnyNameAsync(string name, QueryType type, CancellationToken cancellationToken = default)
                => _resolver.QueryCoreAsync(name, type, DnsNameSyntax.AnyPrintableAscii, probe: true, cancellationToken);

            public Task<DnsAnswer> DetermineDnssecAsync(DnsAnswer answer, CancellationToken cancellationToken = default)
                => Task.FromResult(answer);
        }

        private readonly struct WireResult
        {
            public WireResult(DnsWireResponse? response, DnsLookupStatus failureStatus, string server, TimeSpan elapsed, string? error)
            {
                Response = response;
                FailureStatus = failureStatus;
                Server = server;
                Elapsed = elapsed;
                Error = error;
            }

            public DnsWireResponse? Response { get; }

            public DnsLookupStatus FailureStatus { get; }

            public string Server { get; }

            public TimeSpan Elapsed { get; }

            public string? Error { get; }
        }
    }
}
