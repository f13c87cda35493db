using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using MailSecurity.Dns;

namespace MailSecurity.Tests.Dns
{
    /// <summary>What a <see cref="ScriptedZone"/> answers for a question nothing was scripted for.</summary>
    internal enum UnscriptedAnswer
    {
        /// <summary>NXDOMAIN for a name that holds nothing and has no descendants, NODATA for one that exists (insecure).</summary>
        NameExistence,

        /// <summary>A secure NODATA (the TLSA discovery decision table, RFC 7672 §2.1: everything not set up is signed and empty).</summary>
        SecureNoData,

        /// <summary>The test fails: every question must be scripted (the DS walk, which must ask only what it needs).</summary>
        Throw,
    }

    /// <summary>
    /// The one in-process fake of the DNS seam (<see cref="IDnsLookup"/>) for unit tests, in two layers: a scripted zone
    /// answering like <see cref="DnsResolver.QueryAsync"/> does (CNAME chains, NXDOMAIN for names that hold nothing and
    /// have no descendants, NODATA for names that exist, SERVFAIL, timeouts or no answer at all where scripted), and
    /// canned answers (<see cref="Answer(DnsAnswer)"/>) for evidence no zone data gives: DNSSEC states, signatures,
    /// denial proofs, probe failures. DNSSEC states are the scripted ones: <see cref="DetermineDnssecAsync"/> returns the
    /// answer as it is. Tests that need DNS on the wire (UDP/TCP, truncation, malformed packets) use the real
    /// <see cref="DnsResolver"/> against MailSecurity.TestPeers' InMemoryDnsServer instead.
    /// </summary>
    internal sealed class ScriptedZone : IDnsLookup
    {
        private readonly Dictionary<string, List<string[]>> _txt = new Dictionary<string, List<string[]>>(StringComparer.Ordinal);
        private readonly Dictionary<string, List<(ushort, string)>> _mx = new Dictionary<string, List<(ushort, string)>>(StringComparer.Ordinal);
        private readonly Dictionary<string, List<string>> _a = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _cname = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly Dictionary<(string, QueryType), Func<DnsAnswer>> _canned = new Dictionary<(string, QueryType), Func<DnsAnswer>>();
        private readonly HashSet<string> _servfail = new HashSet<string>(StringComparer.Ordinal);
        private readonly HashSet<string> _exists = new HashSet<string>(StringComparer.Ordinal);
        private readonly HashSet<string> _silent = new HashSet<string>(StringComparer.Ordinal);
        private readonly HashSet<string> _hang = new HashSet<string>(StringComparer.Ordinal);
        private readonly ConcurrentQueue<(string Name, QueryType Type)> _asked = new ConcurrentQueue<(string, QueryType)>();
        private readonly UnscriptedAnswer _unscripted;
        private Task? _hold;
        private bool _asynchronous;

        /// <summary>Creates an empty zone.</summary>
        /// <param name="unscripted">What questions nothing was scripted for get.</param>
        public ScriptedZone(UnscriptedAnswer unscripted = UnscriptedAnswer.NameExistence) => _unscripted = unscripted;

        /// <summary>Every question asked (valid names, normalised), in order.</summary>
        public List<(string Name, QueryType Type)> Asked => _asked.ToList();

        /// <summary>Every question asked, in order, as "name TYPE".</summary>
        public IReadOnlyList<string> Queries => _asked.Select(q => $"{q.Name} {q.Type}").ToList();

        /// <summary>The names of the TLSA questions asked, in order.</summary>
        public IEnumerable<string> AskedTlsa => Asked.Where(q => q.Type == QueryType.TLSA).Select(q => q.Name);

        public ScriptedZone Txt(string name, params string[] records)
        {
            foreach (var r in records)
            {
                TxtStrings(name, r);
            }

            return this;
        }

        /// <summary>One TXT record made of several character-strings.</summary>
        public ScriptedZone TxtStrings(string name, params string[] strings)
        {
            name = Norm(name);
            if (!_txt.TryGetValue(name, out var list))
            {
                _txt[name] = list = new List<string[]>();
            }

            list.Add(strings);
            return this;
        }

        public ScriptedZone Mx(string name, ushort preference, string target)
        {
            name = Norm(name);
            if (!_mx.TryGetValue(name, out var list))
            {
                _mx[name] = list = new List<(ushort, string)>();
            }

            list.Add((preference, target));
            return this;
        }

        public ScriptedZone A(string name, params string[] addresses)
        {
            _a[Norm(name)] = addresses.ToList();
            return this;
        }

        public ScriptedZone Cname(string name, string target)
        {
            _cname[Norm(name)] = Norm(target);
            return this;
        }

        public ScriptedZone ServFail(string name)
        {
            _servfail.Add(Norm(name));
            return this;
        }

        /// <summary>The resolver never answers for this name (a timeout answer, as the DNS layer reports it).</summary>
        public ScriptedZone Silent(string name)
        {
            _silent.Add(Norm(name));
            return this;
        }

        /// <summary>Questions for this name are never answered: the caller waits until it gives up (cancellation).</summary>
        public ScriptedZone Hang(string name)
        {
            _hang.Add(Norm(name));
            return this;
        }

        /// <summary>Marks a name as existing (NODATA instead of NXDOMAIN) without records.</summary>
        public ScriptedZone Exists(string name)
        {
            _exists.Add(Norm(name));
            return this;
        }

        /// <summary>A canned answer for its question (<see cref="DnsAnswer.QueryName"/>, <see cref="DnsAnswer.QueryType"/>).</summary>
        public ScriptedZone Answer(DnsAnswer answer) => Answer(answer.QueryName, answer.QueryType, () => answer);

        /// <summary>A canned answer, built each time the question is asked.</summary>
        public ScriptedZone Answer(string name, QueryType type, Func<DnsAnswer> build)
        {
            _canned[(Norm(name), type)] = build;
            return this;
        }

        /// <summary>The answer set up for a question, without recording it as asked (canned answers and <see cref="UnscriptedAnswer.SecureNoData"/> zones).</summary>
        public DnsAnswer AnswerFor(string name, QueryType type)
            => _canned.TryGetValue((Norm(name), type), out var build) ? build() : SecureNoData(Norm(name), type);

        /// <summary>Holds every answer until <paramref name="release"/> completes (questions are still recorded at once).</summary>
        public ScriptedZone HoldAnswersUntil(Task release)
        {
            _hold = release;
            return this;
        }

        /// <summary>Answers after yielding, as a resolver on the network does, instead of synchronously.</summary>
        public ScriptedZone AnswerAsynchronously()
        {
            _asynchronous = true;
            return this;
        }

        public bool WasAsked(string name, QueryType type) => _asked.Contains((Norm(name), type));

        /// <inheritdoc/>
        public bool MayValidateLocally => false;

        /// <inheritdoc/>
        public Task<DnsAnswer> DetermineDnssecAsync(DnsAnswer answer, CancellationToken cancellationToken = default) => Task.FromResult(answer);

        /// <inheritdoc/>
        public Task<DnsAnswer> QueryAnyNameAsync(string name, QueryType type, CancellationToken cancellationToken = default) => QueryAsync(name, type, cancellationToken);

        /// <inheritdoc/>
        public Task<DnsAnswer> QueryAsync(string name, QueryType type, CancellationToken cancellationToken = default)
        {
            var key = Norm(name ?? string.Empty);
            if (_canned.TryGetValue((key, type), out var build))
            {
                _asked.Enqueue((key, type));
                return DeliverAsync(build, key, cancellationToken);
            }

            if (!DomainName.TryNormalize(name, out var current, out var error))
            {
                return Task.FromResult(new DnsAnswer(name ?? string.Empty, type, DnsLookupStatus.InvalidName, string.Empty, DnssecStatus.Unknown, Array.Empty<DnsResourceRecord>(), Array.Empty<CnameLink>(), string.Empty, TimeSpan.Zero, error));
            }

            _asked.Enqueue((current, type));
            return DeliverAsync(() => FromZone(current, type), current, cancellationToken);
        }

        private async Task<DnsAnswer> DeliverAsync(Func<DnsAnswer> answer, string name, CancellationToken cancellationToken)
        {
            if (_hang.Contains(name))
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }

            if (_hold != null)
            {
                await _hold.ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (_asynchronous)
            {
                await Task.Yield();
            }

            return answer();
        }

        private DnsAnswer FromZone(string query, QueryType type)
        {
            if (_unscripted == UnscriptedAnswer.SecureNoData)
            {
                return SecureNoData(query, type);
            }

            if (_unscripted == UnscriptedAnswer.Throw)
            {
                throw new InvalidOperationException($"unscripted question {query} {type}");
            }

            var current = query;
            var chain = new List<CnameLink>();
            while (_cname.TryGetValue(current, out var target) && type != QueryType.CNAME && chain.Count < 16)
            {
                chain.Add(new CnameLink(current, target, DnssecStatus.Insecure, 300));
                current = target;
            }

            if (_silent.Contains(current))
            {
                return new DnsAnswer(query, type, DnsLookupStatus.Timeout, string.Empty, DnssecStatus.Indeterminate, Array.Empty<DnsResourceRecord>(), chain, "127.0.0.1:53", TimeSpan.FromSeconds(2), "no answer within 2 s");
            }

            if (_servfail.Contains(current))
            {
                return new DnsAnswer(query, type, DnsLookupStatus.ServerFailure, "ServFail", DnssecStatus.Indeterminate, Array.Empty<DnsResourceRecord>(), chain, "127.0.0.1:53", TimeSpan.Zero, "the resolver could not obtain an answer");
            }

            var records = new List<DnsResourceRecord>();
            var info = new ResourceRecordInfo(current + ".", (ResourceRecordType)(int)type, QueryClass.IN, 300, 0);
            if (type == QueryType.TXT && _txt.TryGetValue(current, out var txt))
            {
                records.AddRange(txt.Select(t => new TxtRecord(info, t, t)));
            }
            else if (type == QueryType.MX && _mx.TryGetValue(current, out var mx))
            {
                records.AddRange(mx.Select(m => new MxRecord(info, m.Item1, DnsString.Parse(m.Item2 + "."))));
            }
            else if (type == QueryType.A && _a.TryGetValue(current, out var a))
            {
                records.AddRange(a.Where(x => !x.Contains(':')).Select(x => new ARecord(info, IPAddress.Parse(x))));
            }
            else if (type == QueryType.AAAA && _a.TryGetValue(current, out var aaaa))
            {
                records.AddRange(aaaa.Where(x => x.Contains(':')).Select(x => new AaaaRecord(info, IPAddress.Parse(x))));
            }

            DnsLookupStatus status;
            if (records.Count > 0)
            {
                status = DnsLookupStatus.Success;
            }
            else
            {
                status = NameExists(current) ? DnsLookupStatus.NoData : DnsLookupStatus.NxDomain;
            }

            return new DnsAnswer(query, type, status, status == DnsLookupStatus.NxDomain ? "NXDomain" : "NoError", DnssecStatus.Insecure, records, chain, "127.0.0.1:53", TimeSpan.Zero, null);
        }

        private static DnsAnswer SecureNoData(string name, QueryType type)
            => new DnsAnswer(name, type, DnsLookupStatus.NoData, "NoError", DnssecStatus.Secure, Array.Empty<DnsResourceRecord>(), Array.Empty<CnameLink>(), "127.0.0.1:53", TimeSpan.Zero, null);

        private bool NameExists(string name)
        {
            // A name exists when it or a descendant owns data (RFC 8020: NXDOMAIN means nothing below either).
            bool Owns(IEnumerable<string> keys) => keys.Any(k => k == name || k.EndsWith("." + name, StringComparison.Ordinal));
            return Owns(_txt.Keys) || Owns(_mx.Keys) || Owns(_a.Keys) || Owns(_cname.Keys) || Owns(_exists);
        }

        private static string Norm(string name) => name.TrimEnd('.').ToLowerInvariant();
    }
}
