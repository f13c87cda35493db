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
    /// <summary>
    /// The one in-process fake of the DNS seam (<see cref="IDnsLookup"/>) for unit tests: a scripted zone answering like
    /// <see cref="DnsResolver.QueryAsync"/> does: CNAME chains, NXDOMAIN for names that hold nothing (and have no
    /// descendants), NODATA for names that exist, SERVFAIL or timeouts where scripted. DNSSEC states are the scripted
    /// ones (<see cref="DetermineDnssecAsync"/> returns the answer as it is).
    /// </summary>
    internal sealed class ScriptedZone : IDnsLookup
    {
        private readonly Dictionary<string, List<string[]>> _txt = new Dictionary<string, List<string[]>>(StringComparer.Ordinal);
        private readonly Dictionary<string, List<(ushort, string)>> _mx = new Dictionary<string, List<(ushort, string)>>(StringComparer.Ordinal);
        private readonly Dictionary<string, List<string>> _a = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _cname = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly HashSet<string> _servfail = new HashSet<string>(StringComparer.Ordinal);
        private readonly HashSet<string> _exists = new HashSet<string>(StringComparer.Ordinal);
        private readonly HashSet<string> _silent = new HashSet<string>(StringComparer.Ordinal);

        private Task? _hold;

        /// <summary>Every question asked, in order, as "name TYPE" (the name normalised).</summary>
        public ConcurrentQueue<string> Queries { get; } = new ConcurrentQueue<string>();

        /// <summary>Holds every answer until <paramref name="release"/> completes (questions are still recorded at once).</summary>
        public ScriptedZone HoldAnswersUntil(Task release)
        {
            _hold = release;
            return this;
        }

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

        /// <summary>The resolver never answers for this name (a timeout).</summary>
        public ScriptedZone Silent(string name)
        {
            _silent.Add(Norm(name));
            return this;
        }

        /// <summary>Marks a name as existing (NODATA instead of NXDOMAIN) without records.</summary>
        public ScriptedZone Exists(string name)
        {
            _exists.Add(Norm(name));
            return this;
        }

        /// <inheritdoc/>
        public bool MayValidateLocally => false;

        /// <inheritdoc/>
        public Task<DnsAnswer> DetermineDnssecAsync(DnsAnswer answer, CancellationToken cancellationToken = default) => Task.FromResult(answer);

        /// <inheritdoc/>
        public Task<DnsAnswer> QueryAnyNameAsync(string name, QueryType type, CancellationToken cancellationToken = default) => QueryAsync(name, type, cancellationToken);

        public bool WasAsked(string name, QueryType type) => Queries.Contains($"{Norm(name)} {type}");

        /// <inheritdoc/>
        public Task<DnsAnswer> QueryAsync(string name, QueryType type, CancellationToken cancellationToken = default)
        {
            var answer = Answer(name, type);
            return _hold is null ? answer : HeldAsync(_hold, answer, cancellationToken);
        }

        private static async Task<DnsAnswer> HeldAsync(Task release, Task<DnsAnswer> answer, CancellationToken cancellationToken)
        {
            await release.ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return await answer.ConfigureAwait(false);
        }

        private Task<DnsAnswer> Answer(string name, QueryType type)
        {
            if (!DomainName.TryNormalize(name, out var current, out var error))
            {
                return Task.FromResult(new DnsAnswer(name, type, DnsLookupStatus.InvalidName, string.Empty, DnssecStatus.Unknown, Array.Empty<DnsResourceRecord>(), Array.Empty<CnameLink>(), string.Empty, TimeSpan.Zero, error));
            }

            var query = current;
            Queries.Enqueue($"{query} {type}");
            var chain = new List<CnameLink>();
            while (_cname.TryGetValue(current, out var target) && type != QueryType.CNAME && chain.Count < 16)
            {
                chain.Add(new CnameLink(current, target, DnssecStatus.Insecure, 300));
                current = target;
            }

            if (_silent.Contains(current))
            {
                return Task.FromResult(new DnsAnswer(query, type, DnsLookupStatus.Timeout, string.Empty, DnssecStatus.Indeterminate, Array.Empty<DnsResourceRecord>(), chain, "127.0.0.1:53", TimeSpan.FromSeconds(2), "no answer within 2 s"));
            }

            if (_servfail.Contains(current))
            {
                return Task.FromResult(new DnsAnswer(query, type, DnsLookupStatus.ServerFailure, "ServFail", DnssecStatus.Indeterminate, Array.Empty<DnsResourceRecord>(), chain, "127.0.0.1:53", TimeSpan.Zero, "the resolver could not obtain an answer"));
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

            return Task.FromResult(new DnsAnswer(query, type, status, status == DnsLookupStatus.NxDomain ? "NXDomain" : "NoError", DnssecStatus.Insecure, records, chain, "127.0.0.1:53", TimeSpan.Zero, null));
        }

        private bool NameExists(string name)
        {
            // A name exists when it or a descendant owns data (RFC 8020: NXDOMAIN means nothing below either).
            bool Owns(IEnumerable<string> keys) => keys.Any(k => k == name || k.EndsWith("." + name, StringComparison.Ordinal));
            return Owns(_txt.Keys) || Owns(_mx.Keys) || Owns(_a.Keys) || Owns(_cname.Keys) || Owns(_exists);
        }

        private static string Norm(string name) => name.TrimEnd('.').ToLowerInvariant();
    }
}
