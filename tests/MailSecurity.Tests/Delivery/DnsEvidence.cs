using System;
using System.Linq;
using System.Net;
using DnsClient;
using MailSecurity.Dns;
using MailSecurity.Smtp;
using MailSecurity.Tests.Dane;
using MailSecurity.Tests.Dns;

namespace MailSecurity.Tests.Delivery
{
    /// <summary>A host's A/AAAA lookup as HostAddressResolver returns it, for evidence built by hand in offline tests.</summary>
    internal static class DnsEvidence
    {
        /// <summary>The A/AAAA lookup of a host holding <paramref name="addresses"/> (none: NODATA for both).</summary>
        public static HostAddresses Addresses(string host, DnssecStatus dnssec, params string[] addresses)
        {
            var dns = DaneAnswers.Zone().Addresses(host, dnssec, addresses);
            return new HostAddresses(host, HostAddressResolver.InConnectOrder(addresses.Select(IPAddress.Parse)), false, null, dns.AnswerFor(host, QueryType.A), dns.AnswerFor(host, QueryType.AAAA));
        }

        /// <summary>An A/AAAA lookup that failed (SERVFAIL with the given DNSSEC state).</summary>
        public static HostAddresses FailedAddresses(string host, DnssecStatus dnssec)
        {
            var dns = DaneAnswers.Zone().Fail(host, QueryType.A, DnsLookupStatus.ServerFailure, dnssec).Fail(host, QueryType.AAAA, DnsLookupStatus.ServerFailure, dnssec);
            var a = dns.AnswerFor(host, QueryType.A);
            return new HostAddresses(host, Array.Empty<IPAddress>(), true, a.Describe(), a, dns.AnswerFor(host, QueryType.AAAA));
        }
    }
}
