using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;

namespace MailSecurity
{
    /// <summary>How the attempt to get a TLS session with a host ended, as far as DANE cares.</summary>
    public enum TlsHandshakeStatus
    {
        /// <summary>No attempt was made (for example, DANE did not apply, or only DNS was checked).</summary>
        NotAttempted = 0,
        /// <summary>TLS was established and the server presented a certificate chain.</summary>
        Established,
        /// <summary>The server answered but did not offer STARTTLS.</summary>
        StartTlsNotOffered,
        /// <summary>STARTTLS was offered (or the port is implicit TLS) but the handshake failed.</summary>
        HandshakeFailed,
        /// <summary>No TCP connection or no SMTP greeting: the host could not be reached at all.</summary>
        ConnectFailed,
    }
}

namespace MailSecurity.Dane
{
    /// <summary>
    /// What a TLS probe reports to the DANE evaluator: the chain presented (server certificate first) or why
    /// there is none. Immutable. The SMTP probe builds one from its handshake; tests build them directly.
    /// </summary>
    internal sealed class TlsHandshakeOutcome
    {
        private TlsHandshakeOutcome(TlsHandshakeStatus status, IReadOnlyList<X509Certificate2> chain, string description, string? address, string? serverName)
        {
            Status = status;
            Chain = chain;
            Description = description;
            Address = address;
            ServerName = serverName;
        }

        /// <summary>No handshake was attempted.</summary>
        public static TlsHandshakeOutcome NotAttempted { get; } = new TlsHandshakeOutcome(TlsHandshakeStatus.NotAttempted, Array.Empty<X509Certificate2>(), "No TLS handshake was attempted.", null, null);

        /// <summary>How the attempt ended.</summary>
        public TlsHandshakeStatus Status { get; }

        /// <summary>The certificates presented, server certificate first (empty unless established).</summary>
        public IReadOnlyList<X509Certificate2> Chain { get; }

        /// <summary>What happened, in plain words (for failures: the reason).</summary>
        public string Description { get; }

        /// <summary>The address connected to, when known.</summary>
        public string? Address { get; }

        /// <summary>The SNI name sent (RFC 7672 §8.1: the TLSA base domain), when known.</summary>
        public string? ServerName { get; }

        /// <summary>A handshake that succeeded with the given chain.</summary>
        /// <param name="chain">The certificates as presented, server certificate first.</param>
        /// <param name="address">The address connected to.</param>
        /// <param name="serverName">The SNI name sent.</param>
        /// <exception cref="ArgumentNullException"><paramref name="chain"/> is null.</exception>
        public static TlsHandshakeOutcome Established(IEnumerable<X509Certificate2> chain, string? address = null, string? serverName = null)
        {
            var list = (chain ?? throw new ArgumentNullException(nameof(chain))).Where(c => c != null).ToList();
            return new TlsHandshakeOutcome(TlsHandshakeStatus.Established, list, $"TLS was established; the server presented {list.Count} certificate(s).", address, serverName);
        }

        /// <summary>An attempt that did not produce a TLS session.</summary>
        /// <param name="status">Why: no STARTTLS, handshake failure or connection failure.</param>
        /// <param name="description">What happened, in plain words.</param>
        /// <param name="address">The address tried.</param>
        /// <param name="serverName">The SNI name sent, if the handshake started.</param>
        /// <exception cref="ArgumentException"><paramref name="status"/> is not a failure.</exception>
        public static TlsHandshakeOutcome Failed(TlsHandshakeStatus status, string description, string? address = null, string? serverName = null)
        {
            if (status == TlsHandshakeStatus.Established || status == TlsHandshakeStatus.NotAttempted)
            {
                throw new ArgumentException("Use Established or NotAttempted for that status.", nameof(status));
            }

            return new TlsHandshakeOutcome(status, Array.Empty<X509Certificate2>(), string.IsNullOrEmpty(description) ? status.ToString() : description, address, serverName);
        }

        /// <summary>
        /// What a STARTTLS probe means for DANE: the presented chain when a TLS session was established (whatever its PKIX
        /// verdict: DANE does its own authentication, RFC 7672 §3.2), otherwise whether STARTTLS was missing, the TLS
        /// handshake failed, or the host could not be reached at all.
        /// </summary>
        public static TlsHandshakeOutcome FromProbe(SmtpTlsProbe probe)
        {
            if (probe is null)
            {
                throw new ArgumentNullException(nameof(probe));
            }

            var serverName = probe.ServerName ?? probe.HostName;
            if (probe.TlsEstablished && probe.X509Chain.Count > 0)
            {
                return Established(probe.X509Chain, probe.Address, serverName);
            }

            var why = $"{probe.Outcome}: {probe.Error ?? "no TLS session"}";
            switch (probe.Outcome)
            {
                case SmtpTlsOutcome.NoStartTls:
                    return Failed(TlsHandshakeStatus.StartTlsNotOffered, why, probe.Address, serverName);
                case SmtpTlsOutcome.StartTlsRejected:
                case SmtpTlsOutcome.HandshakeFailed:
                case SmtpTlsOutcome.CertificateInvalid:
                    return Failed(TlsHandshakeStatus.HandshakeFailed, why, probe.Address, serverName);
                case SmtpTlsOutcome.Timeout when probe.FailurePhase == SmtpProbePhase.TlsHandshake || probe.FailurePhase == SmtpProbePhase.StartTls:
                    return Failed(TlsHandshakeStatus.HandshakeFailed, why, probe.Address, serverName);
                default:
                    return Failed(TlsHandshakeStatus.ConnectFailed, why, probe.Address, serverName);
            }
        }

        /// <inheritdoc />
        public override string ToString() => Description;
    }
}
