using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using DnsClient;
using DnsClient.Protocol;
using MailSecurity.Dns;
using MailSecurity.Smtp;

namespace MailSecurity.Tests.Delivery
{
    /// <summary>DNS answers as the DNS layer returns them, for evidence built by hand in offline tests.</summary>
    internal static class DnsEvidence
    {
        public static DnsAnswer Answer(string name, QueryType type, DnsLookupStatus status, DnssecStatus dnssec, IReadOnlyList<DnsResourceRecord>? records = null)
        {
            var error = status.IsLookupError() ? (dnssec == DnssecStatus.Bogus ? "DNSSEC validation failed" : "the resolver could not obtain an answer") : null;
            var rcode = status == DnsLookupStatus.NxDomain ? "NXDomain" : status == DnsLookupStatus.ServerFailure ? "ServFail" : "NoError";
            return new DnsAnswer(name, type, status, rcode, dnssec, records ?? Array.Empty<DnsResourceRecord>(), Array.Empty<CnameLink>(), "127.0.0.1:53", TimeSpan.Zero, error);
        }

        /// <summary>The A/AAAA lookup of a host holding <paramref name="addresses"/> (none: NODATA for both).</summary>
        public static HostAddresses Addresses(string host, DnssecStatus dnssec, params string[] addresses)
        {
            var ips = addresses.Select(IPAddress.Parse).ToList();
            var a = ips.Where(ip => ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                .Select(ip => (DnsResourceRecord)new ARecord(new ResourceRecordInfo(host, ResourceRecordType.A, QueryClass.IN, 300, 4), ip)).ToList();
            var aaaa = ips.Where(ip => ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
                .Select(ip => (DnsResourceRecord)new AaaaRecord(new ResourceRecordInfo(host, ResourceRecordType.AAAA, QueryClass.IN, 300, 16), ip)).ToList();
            var aAnswer = Answer(host, QueryType.A, a.Count > 0 ? DnsLookupStatus.Success : DnsLookupStatus.NoData, dnssec, a);
            var aaaaAnswer = Answer(host, QueryType.AAAA, aaaa.Count > 0 ? DnsLookupStatus.Success : DnsLookupStatus.NoData, dnssec, aaaa);
            return new HostAddresses(host, HostAddressResolver.InConnectOrder(ips), false, null, aAnswer, aaaaAnswer);
        }

        /// <summary>An A/AAAA lookup that failed (SERVFAIL with the given DNSSEC state).</summary>
        public static HostAddresses FailedAddresses(string host, DnssecStatus dnssec)
        {
            var a = Answer(host, QueryType.A, DnsLookupStatus.ServerFailure, dnssec);
            var aaaa = Answer(host, QueryType.AAAA, DnsLookupStatus.ServerFailure, dnssec);
            return new HostAddresses(host, Array.Empty<IPAddress>(), true, a.Describe(), a, aaaa);
        }
    }
}
