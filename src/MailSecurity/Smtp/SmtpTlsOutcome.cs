using System;

namespace MailSecurity
{
    /// <summary>How a STARTTLS probe ended. Each failure class is kept apart; none is folded into another.</summary>
    public enum SmtpTlsOutcome
    {
        /// <summary>TLS was established, the chain is PKIX-valid and the certificate names the host: authenticated TLS.</summary>
        Success = 0,
        /// <summary>TLS was established, but the certificate failed PKIX validation or does not name the host.</summary>
        CertificateInvalid,
        /// <summary>The server answered SMTP but did not offer STARTTLS: cleartext only.</summary>
        NoStartTls,
        /// <summary>STARTTLS was offered but the STARTTLS command was refused (e.g. 454).</summary>
        StartTlsRejected,
        /// <summary>STARTTLS was accepted (or implicit TLS was used) but the TLS handshake failed.</summary>
        HandshakeFailed,
        /// <summary>No TCP connection: refused, unreachable or timed out while connecting.</summary>
        ConnectFailed,
        /// <summary>Connected, but the server stopped answering within the per-phase timeout.</summary>
        Timeout,
        /// <summary>The server refused service: a 4xx/5xx greeting, or EHLO and HELO both rejected.</summary>
        ServerRefused,
        /// <summary>The peer did not speak SMTP correctly: no or malformed greeting, malformed reply, oversized reply, unexpected close.</summary>
        ProtocolViolation,
    }

    /// <summary>The steps of a probe, in order; used for timings and to say where a probe failed.</summary>
    public enum SmtpProbePhase
    {
        /// <summary>TCP connection to the address.</summary>
        Connect = 0,
        /// <summary>Waiting for and reading the 220 greeting.</summary>
        Greeting,
        /// <summary>EHLO (or the HELO fallback) and its reply, before TLS.</summary>
        Ehlo,
        /// <summary>The STARTTLS command and its reply.</summary>
        StartTls,
        /// <summary>The TLS handshake.</summary>
        TlsHandshake,
        /// <summary>EHLO again inside the TLS session (RFC 3207 §4.2).</summary>
        EhloAfterTls,
        /// <summary>QUIT and its reply.</summary>
        Quit,
    }

    /// <summary>Who wrote a transcript line.</summary>
    public enum SmtpTranscriptDirection
    {
        /// <summary>Sent by the probe (C:).</summary>
        Client,
        /// <summary>Received from the server (S:).</summary>
        Server,
        /// <summary>A note by the probe (connection, TLS, errors).</summary>
        Note,
    }

    /// <summary>One line of an SMTP transcript. Immutable.</summary>
    public sealed class SmtpTranscriptLine
    {
        /// <summary>Creates a line.</summary>
        public SmtpTranscriptLine(TimeSpan elapsed, SmtpTranscriptDirection direction, string text)
        {
            ElapsedMilliseconds = (long)elapsed.TotalMilliseconds;
            Direction = direction;
            Text = text ?? string.Empty;
        }

        /// <summary>
        /// Milliseconds since the probe started. A number rather than a TimeSpan: a transcript has dozens of lines, and
        /// each TimeSpan would serialise as fifteen fields in ConvertTo-Json.
        /// </summary>
        public long ElapsedMilliseconds { get; }

        /// <summary>Client, server or note.</summary>
        public SmtpTranscriptDirection Direction { get; }

        /// <summary>The line without CRLF; secrets redacted, control characters escaped, long lines cut.</summary>
        public string Text { get; }

        /// <inheritdoc />
        public override string ToString()
        {
            var prefix = Direction == SmtpTranscriptDirection.Client ? "C:" : Direction == SmtpTranscriptDirection.Server ? "S:" : "--";
            return string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0,7} ms {1} {2}", ElapsedMilliseconds, prefix, Text);
        }
    }

    /// <summary>How long one phase of a probe took. Immutable.</summary>
    public sealed class SmtpPhaseTiming
    {
        /// <summary>Creates a timing.</summary>
        public SmtpPhaseTiming(SmtpProbePhase phase, TimeSpan duration)
        {
            Phase = phase;
            Milliseconds = Math.Round(duration.TotalMilliseconds, 1);
        }

        /// <summary>The phase.</summary>
        public SmtpProbePhase Phase { get; }

        /// <summary>
        /// Its duration in milliseconds (0.1 ms resolution). A number rather than a TimeSpan, so that the timings of every
        /// phase stay a few bytes each in ConvertTo-Json (as the probe's ConnectMilliseconds, TlsHandshakeMilliseconds and TotalMilliseconds).
        /// </summary>
        public double Milliseconds { get; }

        /// <inheritdoc />
        public override string ToString() => string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0} {1:0} ms", Phase, Milliseconds);
    }

    /// <summary>Whether a server accepted one TLS version when offered only that version.</summary>
    public enum TlsVersionStatus
    {
        /// <summary>The handshake succeeded with only this version offered.</summary>
        Accepted,
        /// <summary>The server refused a handshake with only this version.</summary>
        Rejected,
        /// <summary>This machine's TLS library refuses to offer the version (e.g. TLS 1.0/1.1 disabled by OpenSSL policy), so it could not be tested.</summary>
        NotSupportedByPlatform,
        /// <summary>The test could not reach the handshake (no STARTTLS, connection or SMTP failure).</summary>
        NotTested,
    }

    /// <summary>The result of offering one TLS version alone. Immutable.</summary>
    public sealed class TlsVersionSupport
    {
        /// <summary>Creates a result.</summary>
        public TlsVersionSupport(TlsVersion version, TlsVersionStatus status, string detail)
        {
            Version = version;
            Status = status;
            Detail = detail ?? string.Empty;
        }

        /// <summary>The version offered.</summary>
        public TlsVersion Version { get; }

        /// <summary>What happened.</summary>
        public TlsVersionStatus Status { get; }

        /// <summary>Details (the error, or the negotiated cipher suite).</summary>
        public string Detail { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Version}: {Status}";
    }
}
