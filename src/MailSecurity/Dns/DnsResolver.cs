using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using MailSecurity.Runtime;

namespace MailSecurity.Dns
{
    /// <summary>
    /// The one DNS layer every check uses: DnsClient.NET underneath, the DO bit on every query, a DNSSEC state
    /// per answer, CNAME chains with per-link state, TCP fallback, a cache shared by every input of a run in which
    /// concurrent identical questions coalesce into one query, a query log and a query counter.
    /// </summary>
    /// <remarks>
    /// The cache is per instance: create one resolver per run (per cmdlet invocation) and share it between inputs.
    /// DNS-level outcomes (NXDOMAIN, SERVFAIL, timeouts) are returned as <see cref="DnsAnswer"/> data, never thrown.
    /// </remarks>
    public sealed class DnsResolver
    {
        private const int MaxCnameLinks = 16;
        private readonly LookupClient _client;
        private readonly DnsResolverOptions _options;
        private readonly IReadOnlyList<IPEndPoint> _servers;
        private readonly CancellationToken _runToken;
        private readonly SharedTaskCache<(string, QueryType), DnsAnswer> _cache;
        private readonly SemaphoreSlim _inFlight;
        private long _distinctQuestions;
        private readonly ConcurrentDictionary<string, Lazy<Task<bool>>> _validatingProbe = new ConcurrentDictionary<string, Lazy<Task<bool>>>(StringComparer.Ordinal);
        private long _queriesSent;
        private long _cacheHits;

        /// <summary>Creates a resolver from a snapshot of <paramref name="options"/>.</summary>
        /// <param name="options">Servers, timeout and transport settings.</param>
        /// <param name="runToken">Cancels every in-flight query of the run (shared lookups are not tied to one caller).</param>
        public DnsResolver(DnsResolverOptions? options = null, CancellationToken runToken = default)
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
            _servers = _client.NameServers.Select(n => new IPEndPoint(IPAddress.Parse(n.Address), n.Port)).ToList();
        }

        /// <summary>The servers in use (the system's when none were given).</summary>
        public IReadOnlyList<IPEndPoint> Servers => _servers;

        /// <summary>The timeout per question and server.</summary>
        public TimeSpan Timeout => _options.Timeout;

        /// <summary>Raised (on a worker thread) after every query sent on the wire.</summary>
        public event EventHandler<DnsQueryLogEntry>? QueryLogged;

        /// <summary>Queries sent on the wire so far, probes included.</summary>
        public long QueriesSent => Interlocked.Read(ref _queriesSent);

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
        public Task<DnsAnswer> QueryAsync(string name, QueryType type, CancellationToken cancellationToken = default)
            => QueryCoreAsync(name, type, DnsNameSyntax.HostName, cancellationToken);

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
            => QueryCoreAsync(name, type, DnsNameSyntax.AnyPrintableAscii, cancellationToken);

        private async Task<DnsAnswer> QueryCoreAsync(string name, QueryType type, DnsNameSyntax syntax, CancellationToken cancellationToken)
        {
            if (!DomainName.TryNormalize(name, syntax, out var normalized, out var error))
            {
                return new DnsAnswer(DomainName.Printable(name ?? string.Empty), type, DnsLookupStatus.InvalidName, string.Empty, DnssecStatus.Unknown, Array.Empty<DnsResourceRecord>(), Array.Empty<CnameLink>(), string.Empty, TimeSpan.Zero, error);
            }

            var task = _cache.GetOrStart((normalized, type), k => ResolveAsync(k.Item1, k.Item2, _runToken), out var created);
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

        private async Task<DnsAnswer> ResolveAsync(string name, QueryType type, CancellationToken cancellationToken)
        {
            var wire = await SendAsync(name, type, "query", cancellationToken).ConfigureAwait(false);
            if (wire.Response is null)
            {
                return new DnsAnswer(name, type, wire.FailureStatus, string.Empty, DnssecStatus.Indeterminate, Array.Empty<DnsResourceRecord>(), Array.Empty<CnameLink>(), wire.Server, wire.Elapsed, wire.Error);
            }

            var response = wire.Response;
            var rcode = response.Header.ResponseCode;
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
                        cd = await CheckingDisabledProbe.QueryResponseCodeAsync(serverEp!, name, (ushort)type, PerAttempt, cancellationToken).ConfigureAwait(false);
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

            // Follow the CNAME chain inside the answer (RFC 1034 §3.6.2); stop at loops and absurd lengths.
            var answers = response.Answers;
            var chain = new List<(string Name, string Target, int Ttl)>();
            var current = name;
            if (type != QueryType.CNAME)
            {
                var seen = new HashSet<string>(StringComparer.Ordinal) { current };
                while (chain.Count < MaxCnameLinks)
                {
                    var cname = answers.CnameRecords().FirstOrDefault(c => Same(c.DomainName, current));
                    if (cname is null)
                    {
                        break;
                    }

                    var target = Normalize(cname.CanonicalName);
                    chain.Add((current, target, cname.InitialTimeToLive));
                    if (!seen.Add(target))
                    {
                        return new DnsAnswer(name, type, DnsLookupStatus.MalformedResponse, rcodeText, DnssecStatus.Indeterminate, Array.Empty<DnsResourceRecord>(), Array.Empty<CnameLink>(), wire.Server, wire.Elapsed, $"CNAME loop at {target}");
                    }

                    current = target;
                }
            }

            var records = answers.Where(r => r.RecordType == (ResourceRecordType)(int)type && Same(r.DomainName, current)).ToList();
            var status = rcode == DnsHeaderResponseCode.NotExistentDomain
                ? DnsLookupStatus.NxDomain
                : records.Count > 0 ? DnsLookupStatus.Success : DnsLookupStatus.NoData;

            var signed = answers.OfType<RRSigRecord>().Concat(response.Authorities.OfType<RRSigRecord>()).ToList();
            var dnssecStatus = await ClassifyAsync(response.Header.IsAuthenticData, signed, cancellationToken).ConfigureAwait(false);
            var links = new List<CnameLink>(chain.Count);
            if (chain.Count > 0)
            {
                var insecureFromHere = false;
                foreach (var (owner, target, ttl) in chain)
                {
                    DnssecStatus linkStatus;
                    if (response.Header.IsAuthenticData)
                    {
                        linkStatus = DnssecStatus.Secure;
                    }
                    else if (insecureFromHere)
                    {
                        linkStatus = DnssecStatus.Insecure;
                    }
                    else
                    {
                        // The AD bit covers the whole answer; ask for each link alone to find where security ends (RFC 7672 §2.1.3).
                        var single = await QueryAsync(owner, QueryType.CNAME, cancellationToken).ConfigureAwait(false);
                        linkStatus = single.DnssecStatus;
                    }

                    if (linkStatus == DnssecStatus.Insecure)
                    {
                        insecureFromHere = true;
                    }

                    links.Add(new CnameLink(owner, target, linkStatus, ttl));
                }

                if (links.Any(l => l.DnssecStatus == DnssecStatus.Insecure) && dnssecStatus == DnssecStatus.Secure)
                {
                    dnssecStatus = DnssecStatus.Insecure;
                }
            }

            return new DnsAnswer(name, type, status, rcodeText, dnssecStatus, records, links, wire.Server, wire.Elapsed, null);
        }

        private async Task<DnssecStatus> ClassifyAsync(bool authenticData, IReadOnlyList<RRSigRecord> signatures, CancellationToken cancellationToken)
        {
            if (authenticData)
            {
                return DnssecStatus.Secure;
            }

            if (signatures.Count == 0)
            {
                return DnssecStatus.Insecure;
            }

            // Signed data without AD: an island of security behind a validating resolver (insecure),
            // or a resolver that does not validate at all. Tell them apart once per signer zone.
            var signer = Normalize(signatures[0].SignersName);
            var validating = await _validatingProbe.GetOrAdd(signer, z => new Lazy<Task<bool>>(() => ProbeValidatingAsync(z, _runToken))).Value.ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return validating ? DnssecStatus.Insecure : DnssecStatus.ResolverNotValidating;
        }

        /// <summary>
        /// Walks up from <paramref name="zone"/> asking for DS records: a validating resolver sets AD on the
        /// first secure answer (a secure proof that the DS is absent, for an island); one that never does is not validating.
        /// </summary>
        private async Task<bool> ProbeValidatingAsync(string zone, CancellationToken cancellationToken)
        {
            for (var z = zone; !string.IsNullOrEmpty(z); z = DomainName.Parent(z!))
            {
                var wire = await SendAsync(z!, QueryType.DS, "ds-probe", cancellationToken).ConfigureAwait(false);
                if (wire.Response?.Header.IsAuthenticData == true)
                {
                    return true;
                }
            }

            return false;
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
            var sw = Stopwatch.StartNew();
            var firstServer = _servers.Count > 0 ? DnsServerAddress.Format(_servers[0]) : "(system)";
            try
            {
                var response = await _client.QueryAsync(new DnsQuestion(name, type), cancellationToken).ConfigureAwait(false);
                sw.Stop();
                var server = response.NameServer is null ? firstServer : FormatServer(response.NameServer);
                Log(new DnsQueryLogEntry(name, type.ToString(), server, response.Header.ResponseCode.ToString(), response.Header.IsAuthenticData, response.Answers.Count, sw.Elapsed, purpose));
                return new WireResult(response, DnsLookupStatus.Success, server, sw.Elapsed, null);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ex is DnsResponseException || ex is DnsResponseParseException || ex is DnsXidMismatchException || ex is SocketException || ex is OperationCanceledException || ex is TimeoutException || ex is System.IO.IOException || ex is ArgumentException || ex is IndexOutOfRangeException || ex is InvalidOperationException)
            {
                sw.Stop();
                var (status, classified) = Classify(ex);
                // DnsClient's parse errors go on with a base64 dump of the packet on further lines: keep one bounded line.
                var message = DisplayText.FirstLine(classified, DisplayText.MaxLength);
                Log(new DnsQueryLogEntry(name, type.ToString(), firstServer, status.ToString(), false, 0, sw.Elapsed, purpose));
                return new WireResult(null, status, firstServer, sw.Elapsed, message);
            }
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
                _ => (DnsLookupStatus.MalformedResponse, $"{servers}: {ex.Message}"),
            };
        }

        private void Log(DnsQueryLogEntry entry) => QueryLogged?.Invoke(this, entry);

        private static string FormatServer(NameServer ns)
            => IPAddress.TryParse(ns.Address, out var ip) ? DnsServerAddress.Format(new IPEndPoint(ip, ns.Port)) : ns.ToString();

        private static string Normalize(DnsString name) => DomainName.FromResponse(name);

        private static string Normalize(string name)
        {
            var n = name.EndsWith(".", StringComparison.Ordinal) ? name.Substring(0, name.Length - 1) : name;
            return n.ToLowerInvariant();
        }

        private static bool Same(DnsString a, string b) => string.Equals(Normalize(a), b, StringComparison.Ordinal);

        private readonly struct WireResult
        {
            public WireResult(IDnsQueryResponse? response, DnsLookupStatus failureStatus, string server, TimeSpan elapsed, string? error)
            {
                Response = response;
                FailureStatus = failureStatus;
                Server = server;
                Elapsed = elapsed;
                Error = error;
            }

            public IDnsQueryResponse? Response { get; }

            public DnsLookupStatus FailureStatus { get; }

            public string Server { get; }

            public TimeSpan Elapsed { get; }

            public string? Error { get; }
        }
    }
}
