using System;
using MailSecurity.Dns;

namespace MailSecurity.Dane
{
    /// <summary>
    /// What a DANE check is about: the host and port, and (for MX delivery) the next-hop domain with the DNSSEC
    /// state of its MX RRset, which decide the reference identifiers (RFC 7672 §3.2.2). Immutable.
    /// </summary>
    internal sealed class DaneTarget
    {
        /// <summary>Creates a target.</summary>
        /// <param name="hostName">The MX host (or SMTP server) name.</param>
        /// <param name="port">The TCP port; 25 for MX delivery.</param>
        /// <param name="domain">The next-hop (recipient) domain whose MX RRset named the host; <c>null</c> for a host checked on its own.</param>
        /// <param name="mxDnssecStatus">DNSSEC state of that MX RRset; <c>null</c> for a host checked on its own.</param>
        /// <param name="domainCanonicalName">The next-hop domain after CNAME expansion, when it differs.</param>
        /// <param name="mxDnssecProbeFailure">Which DNSSEC probe failed when the MX RRset's state could not be determined.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is not 1-65535.</exception>
        public DaneTarget(string hostName, int port = 25, string? domain = null, DnssecStatus? mxDnssecStatus = null, string? domainCanonicalName = null, string? mxDnssecProbeFailure = null)
        {
            MxDnssecProbeFailure = mxDnssecProbeFailure;
            if (port < 1 || port > 65535)
            {
                throw new ArgumentOutOfRangeException(nameof(port), port, "The port must be 1-65535.");
            }

            HostName = hostName ?? throw new ArgumentNullException(nameof(hostName));
            Port = port;
            Domain = domain;
            MxDnssecStatus = mxDnssecStatus;
            DomainCanonicalName = domainCanonicalName;
        }

        /// <summary>The host name.</summary>
        public string HostName { get; }

        /// <summary>The TCP port.</summary>
        public int Port { get; }

        /// <summary>The next-hop domain, or <c>null</c>.</summary>
        public string? Domain { get; }

        /// <summary>DNSSEC state of the MX RRset, or <c>null</c> when the host was not found through MX.</summary>
        public DnssecStatus? MxDnssecStatus { get; }

        /// <summary>Which DNSSEC probe failed when <see cref="MxDnssecStatus"/> is <see cref="DnssecStatus.Unvalidated"/>; otherwise <c>null</c>.</summary>
        public string? MxDnssecProbeFailure { get; }

        /// <summary>The CNAME-expanded next-hop domain, or <c>null</c>.</summary>
        public string? DomainCanonicalName { get; }

        /// <inheritdoc />
        public override string ToString() => Domain is null ? $"{HostName}:{Port}" : $"{Domain} -> {HostName}:{Port}";
    }
}
