using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using MailSecurity.Dns;
using MailSecurity.Tests.Dns;

namespace MailSecurity.Tests.Dane
{
    /// <summary>
    /// Canned answers for the TLSA discovery decision table (RFC 7672 §2.1-§2.3), on a
    /// <see cref="ScriptedZone"/> made with <see cref="UnscriptedAnswer.SecureNoData"/>: each answer is what the DNS layer
    /// would return, with its DNSSEC state; anything not set up is a secure NODATA.
    /// </summary>
    internal static class DaneAnswers
    {
        /// <summary>A zone for the decision table: every question not set up is a secure NODATA.</summary>
        public static ScriptedZone Zone() => new ScriptedZone(UnscriptedAnswer.SecureNoData);

        public static ScriptedZone Address(this ScriptedZone zone, string name, DnssecStatus dnssec, params CnameLink[] chain)
        {
            var owner = chain.Length > 0 ? chain[^1].Target : name;
            var record = new ARecord(new ResourceRecordInfo(owner, ResourceRecordType.A, QueryClass.IN, 300, 4), IPAddress.Parse("192.0.2.25"));
            return zone.Answer(Answer(name, QueryType.A, DnsLookupStatus.Success, dnssec, new[] { record }, chain));
        }

        /// <summary>A and AAAA answers holding the given addresses (IPv4 and IPv6 in the order given).</summary>
        public static ScriptedZone Addresses(this ScriptedZone zone, string name, DnssecStatus dnssec, params string[] addresses)
        {
            var ips = addresses.Select(IPAddress.Parse).ToList();
            var a = ips.Where(ip => ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                .Select(ip => (DnsResourceRecord)new ARecord(new ResourceRecordInfo(name, ResourceRecordType.A, QueryClass.IN, 300, 4), ip)).ToList();
            var aaaa = ips.Where(ip => ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
                .Select(ip => (DnsResourceRecord)new AaaaRecord(new ResourceRecordInfo(name, ResourceRecordType.AAAA, QueryClass.IN, 300, 16), ip)).ToList();
            zone.Answer(Answer(name, QueryType.A, a.Count > 0 ? DnsLookupStatus.Success : DnsLookupStatus.NoData, dnssec, a, Array.Empty<CnameLink>()));
            return zone.Answer(Answer(name, QueryType.AAAA, aaaa.Count > 0 ? DnsLookupStatus.Success : DnsLookupStatus.NoData, dnssec, aaaa, Array.Empty<CnameLink>()));
        }

        public static ScriptedZone Tlsa(this ScriptedZone zone, string name, DnssecStatus dnssec, int ttl, params string[] records)
            => zone.Tlsa(name, dnssec, ttl, Array.Empty<CnameLink>(), records);

        public static ScriptedZone Tlsa(this ScriptedZone zone, string name, DnssecStatus dnssec, int ttl, CnameLink[] chain, params string[] records)
        {
            var owner = chain.Length > 0 ? chain[^1].Target : name;
            var rrs = records.Select(text =>
            {
                var f = text.Split(' ');
                var data = Convert.FromHexString(f[3]);
                return (DnsResourceRecord)new TlsaRecord(new ResourceRecordInfo(owner, ResourceRecordType.TLSA, QueryClass.IN, ttl, 3 + data.Length), byte.Parse(f[0]), byte.Parse(f[1]), byte.Parse(f[2]), data);
            }).ToList();
            return zone.Answer(Answer(name, QueryType.TLSA, DnsLookupStatus.Success, dnssec, rrs, chain));
        }

        public static ScriptedZone Fail(this ScriptedZone zone, string name, QueryType type, DnsLookupStatus status, DnssecStatus dnssec = DnssecStatus.Indeterminate)
            => zone.Answer(Answer(name, type, status, dnssec, Array.Empty<DnsResourceRecord>(), Array.Empty<CnameLink>()));

        public static ScriptedZone Deny(this ScriptedZone zone, string name, QueryType type, DnssecStatus dnssec, DnsLookupStatus status = DnsLookupStatus.NxDomain)
            => zone.Answer(Answer(name, type, status, dnssec, Array.Empty<DnsResourceRecord>(), Array.Empty<CnameLink>()));

        /// <summary>
        /// Marks an answer already set up as one whose DNSSEC state the probe could not determine (signed without AD, the DS
        /// walk failed): what <see cref="DnsResolver.DetermineDnssecAsync"/> returns then.
        /// </summary>
        public static ScriptedZone ProbeFailed(this ScriptedZone zone, string name, QueryType type, string failure)
        {
            var answer = zone.AnswerFor(name, type);
            return zone.Answer(answer.WithDnssec(new DnssecClassification(DnssecStatus.Unvalidated, answer.CnameChain.Select(_ => DnssecStatus.Unvalidated).ToList(), DnssecSource.DsProbe, failure)));
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
