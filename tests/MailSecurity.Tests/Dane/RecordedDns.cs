using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using MailSecurity.Dns;

namespace MailSecurity.Tests.Dane
{
    /// <summary>
    /// Canned DNS answers for the TLSA discovery decision table (RFC 7672 §2.1-§2.3): each answer is what the
    /// DNS layer would return, with its DNSSEC state. Anything not set up is a secure NODATA. Records what was asked.
    /// </summary>
    internal sealed class RecordedDns : IDnsLookup
    {
        private readonly Dictionary<(string, QueryType), DnsAnswer> _answers = new Dictionary<(string, QueryType), DnsAnswer>();

        public List<(string Name, QueryType Type)> Asked { get; } = new List<(string, QueryType)>();

        public IEnumerable<string> AskedTlsa => Asked.Where(q => q.Type == QueryType.TLSA).Select(q => q.Name);

        public RecordedDns Add(DnsAnswer answer)
        {
            _answers[(answer.QueryName, answer.QueryType)] = answer;
            return this;
        }

        public RecordedDns Address(string name, DnssecStatus dnssec, params CnameLink[] chain)
        {
            var owner = chain.Length > 0 ? chain[^1].Target : name;
            var record = new ARecord(new ResourceRecordInfo(owner, ResourceRecordType.A, QueryClass.IN, 300, 4), IPAddress.Parse("192.0.2.25"));
            return Add(Answer(name, QueryType.A, DnsLookupStatus.Success, dnssec, new[] { record }, chain));
        }

        /// <summary>A and AAAA answers holding the given addresses (IPv4 and IPv6 in the order given).</summary>
        public RecordedDns Addresses(string name, DnssecStatus dnssec, params string[] addresses)
        {
            var ips = addresses.Select(IPAddress.Parse).ToList();
            var a = ips.Where(ip => ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                .Select(ip => (DnsResourceRecord)new ARecord(new ResourceRecordInfo(name, ResourceRecordType.A, QueryClass.IN, 300, 4), ip)).ToList();
            var aaaa = ips.Where(ip => ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
                .Select(ip => (DnsResourceRecord)new AaaaRecord(new ResourceRecordInfo(name, ResourceRecordType.AAAA, QueryClass.IN, 300, 16), ip)).ToList();
            Add(Answer(name, QueryType.A, a.Count > 0 ? DnsLookupStatus.Success : DnsLookupStatus.NoData, dnssec, a, Array.Empty<CnameLink>()));
            return Add(Answer(name, QueryType.AAAA, aaaa.Count > 0 ? DnsLookupStatus.Success : DnsLookupStatus.NoData, dnssec, aaaa, Array.Empty<CnameLink>()));
        }

        public RecordedDns Tlsa(string name, DnssecStatus dnssec, int ttl, params string[] records)
            => Tlsa(name, dnssec, ttl, Array.Empty<CnameLink>(), records);

        public RecordedDns Tlsa(string name, DnssecStatus dnssec, int ttl, CnameLink[] chain, params string[] records)
        {
            var owner = chain.Length > 0 ? chain[^1].Target : name;
            var rrs = records.Select(text =>
            {
                var f = text.Split(' ');
                var data = Convert.FromHexString(f[3]);
                return (DnsResourceRecord)new TlsaRecord(new ResourceRecordInfo(owner, ResourceRecordType.TLSA, QueryClass.IN, ttl, 3 + data.Length), byte.Parse(f[0]), byte.Parse(f[1]), byte.Parse(f[2]), data);
            }).ToList();
            return Add(Answer(name, QueryType.TLSA, DnsLookupStatus.Success, dnssec, rrs, chain));
        }

        public RecordedDns Fail(string name, QueryType type, DnsLookupStatus status, DnssecStatus dnssec = DnssecStatus.Indeterminate)
            => Add(Answer(name, type, status, dnssec, Array.Empty<DnsResourceRecord>(), Array.Empty<CnameLink>()));

        public RecordedDns Deny(string name, QueryType type, DnssecStatus dnssec, DnsLookupStatus status = DnsLookupStatus.NxDomain)
            => Add(Answer(name, type, status, dnssec, Array.Empty<DnsResourceRecord>(), Array.Empty<CnameLink>()));

        /// <summary>The answer set up for a question (a secure NODATA when none was), without recording it as asked.</summary>
        public DnsAnswer AnswerFor(string name, QueryType type)
            => _answers.TryGetValue((name, type), out var answer) ? answer : Answer(name, type, DnsLookupStatus.NoData, DnssecStatus.Secure, Array.Empty<DnsResourceRecord>(), Array.Empty<CnameLink>());

        /// <summary>
        /// Marks an answer already set up as one whose DNSSEC state the probe could not determine (signed without AD, the DS
        /// walk failed): what <see cref="DnsResolver.DetermineDnssecAsync"/> returns then.
        /// </summary>
        public RecordedDns ProbeFailed(string name, QueryType type, string failure)
        {
            var answer = _answers[(name, type)];
            _answers[(name, type)] = answer.WithDnssec(new DnssecClassification(DnssecStatus.Unvalidated, answer.CnameChain.Select(_ => DnssecStatus.Unvalidated).ToList(), DnssecSource.DsProbe, failure));
            return this;
        }

        public bool MayValidateLocally => false;

        public Task<DnsAnswer> DetermineDnssecAsync(DnsAnswer answer, CancellationToken cancellationToken = default) => Task.FromResult(answer);

        public Task<DnsAnswer> QueryAnyNameAsync(string name, QueryType type, CancellationToken cancellationToken = default) => QueryAsync(name, type, cancellationToken);

        public Task<DnsAnswer> QueryAsync(string name, QueryType type, CancellationToken cancellationToken = default)
        {
            lock (Asked)
            {
                Asked.Add((name, type));
            }

            if (!DomainName.TryNormalize(name, out var normalized, out var error))
            {
                return Task.FromResult(new DnsAnswer(name, type, DnsLookupStatus.InvalidName, string.Empty, DnssecStatus.Unknown, Array.Empty<DnsResourceRecord>(), Array.Empty<CnameLink>(), string.Empty, TimeSpan.Zero, error));
            }

            return Task.FromResult(_answers.TryGetValue((normalized, type), out var answer)
                ? answer
                : Answer(normalized, type, DnsLookupStatus.NoData, DnssecStatus.Secure, Array.Empty<DnsResourceRecord>(), Array.Empty<CnameLink>()));
        }

        private static DnsAnswer Answer(string name, QueryType type, DnsLookupStatus status, DnssecStatus dnssec, IReadOnlyList<DnsResourceRecord> records, IReadOnlyList<CnameLink> chain)
        {
            var rcode = status switch
            {
                DnsLookupStatus.NxDomain => "NXDomain",
                DnsLookupStatus.ServerFailure => "ServFail",
                DnsLookupStatus.Timeout => string.Empty,
                _ => "NoError",
            };
            var error = status.IsLookupError() ? (dnssec == DnssecStatus.Bogus ? "DNSSEC validation failed" : "the resolver could not obtain an answer") : null;
            return new DnsAnswer(name, type, status, rcode, dnssec, records, chain, "127.0.0.1:53", TimeSpan.Zero, error);
        }
    }
}
