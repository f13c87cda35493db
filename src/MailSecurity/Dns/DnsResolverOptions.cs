using System;
using System.Collections.Generic;
using System.Net;

namespace MailSecurity.Dns
{
    /// <summary>
    /// Mutable options for a <see cref="DnsResolver"/>; the resolver takes a snapshot when it is created.
    /// </summary>
    internal sealed class DnsResolverOptions
    {
        /// <summary>Servers to ask, in order. Empty (the default) means the system's resolvers.</summary>
        public IList<IPEndPoint> Servers { get; } = new List<IPEndPoint>();

        /// <summary>Longest time one question may take per server, all attempts together. Default: 5 seconds.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

        /// <summary>UDP attempts per server within <see cref="Timeout"/>. Default: 2.</summary>
        public int Attempts { get; set; } = 2;

        /// <summary>Retry over TCP when a UDP answer is truncated (RFC 7766). Default: true.</summary>
        public bool UseTcpFallback { get; set; } = true;

        /// <summary>Send every query over TCP. Default: false.</summary>
        public bool UseTcpOnly { get; set; }

        /// <summary>
        /// On SERVFAIL, ask again with the CD bit to tell a DNSSEC validation failure (<see cref="DnssecStatus.Bogus"/>)
        /// from other failures (<see cref="DnssecStatus.Indeterminate"/>). Default: true.
        /// </summary>
        public bool DetectBogus { get; set; } = true;

        /// <summary>
        /// Most queries on the wire at once (others wait their turn, without the wait counting towards the timeout).
        /// A burst of hundreds of UDP questions overflows a resolver's receive buffer and every lost datagram costs a
        /// full timeout. Default: 128 (about 128 KB of answers, within a typical 208 KB receive buffer).
        /// </summary>
        public int MaxConcurrentQueries { get; set; } = 128;

        /// <summary>
        /// Most answers the run cache keeps; beyond it the least recently used completed answers are dropped, so memory
        /// stays flat in bulk runs while answers many inputs share (SPF include providers, shared MX hosts) stay. Default: 20,000.
        /// </summary>
        public int CacheCapacity { get; set; } = 20000;

        /// <summary>
        /// Longest time a DNSSEC-dependent verdict waits for the DNSSEC classification of one answer (the DS walk that tells
        /// an island of security from a resolver that does not validate) before reporting its state as not determined
        /// (<see cref="DnssecStatus.Unvalidated"/> with the probe that failed). Verdicts that do not depend on DNSSEC never
        /// wait for it. Default: <c>null</c>, meaning the same as <see cref="Timeout"/>.
        /// </summary>
        public TimeSpan? DnssecProbeTimeout { get; set; }

        /// <summary>
        /// Where DNSSEC-dependent verdicts get the DNSSEC state of answers: the resolver's AD bit
        /// (<see cref="DnssecValidationMode.Resolver"/>), our own validation (<see cref="DnssecValidationMode.Local"/>), or the
        /// resolver where it validates and our own validation where it does not (<see cref="DnssecValidationMode.Auto"/>).
        /// Default: <see cref="DnssecValidationMode.Resolver"/>, for the checks whose verdicts do not depend on DNSSEC; the
        /// cmdlets whose verdicts do (Test-DaneTlsa, Resolve-HopSecurity) default to <see cref="DnssecValidationMode.Auto"/>.
        /// </summary>
        public DnssecValidationMode DnssecValidation { get; set; } = DnssecValidationMode.Resolver;

        /// <summary>
        /// A file of trust anchors for local validation: DS or DNSKEY records in zone-file syntax (what Unbound's
        /// <c>trust-anchor-file</c> reads), for private trees and labs. They are added to the built-in root KSKs; root
        /// anchors in the file replace the built-in ones. Default: <c>null</c>, the built-in IANA root KSKs only.
        /// </summary>
        public string? TrustAnchorPath { get; set; }
    }
}
