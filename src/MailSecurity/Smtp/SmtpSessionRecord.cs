using System;
using System.Collections.Generic;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MailKit.Security;
using MailSecurity.Dns;

namespace MailSecurity.Smtp
{
    /// <summary>
    /// One probe session as recorded, and nothing else: the input of <see cref="SmtpSessionClassifier"/>. The prober
    /// fills it from what <see cref="SmtpSessionRecorder"/> (the plaintext dialogue), <see cref="SmtpSessionGuard"/>
    /// (deadline and limits) and the TLS validation callback held when the session ended, so the verdict can be
    /// decided offline from a replayed transcript exactly as from a live session.
    /// </summary>
    internal sealed class SmtpSessionRecord
    {
        /// <summary>When the session started (the verification time of the certificate checks).</summary>
        public DateTimeOffset StartedAt { get; init; }

        /// <summary>The TCP connection was established; when false, <see cref="Failure"/> says why not.</summary>
        public bool Connected { get; init; }

        /// <summary>The EHLO argument used (empty when the connection failed).</summary>
        public string HeloName { get; init; } = string.Empty;

        /// <summary>How long the TCP connect took.</summary>
        public TimeSpan ConnectTime { get; init; }

        /// <summary>Every complete server reply, paired with the command it answers.</summary>
        public IReadOnlyList<SmtpReply> Replies { get; init; } = Array.Empty<SmtpReply>();

        /// <summary>The first server line that was not an SMTP reply, or <c>null</c>.</summary>
        public string? MalformedLine { get; init; }

        /// <summary>The longest server line, in octets including the line end.</summary>
        public int LongestLine { get; init; }

        /// <summary>Plaintext bytes the server sent.</summary>
        public long ServerBytes { get; init; }

        /// <summary>The phase the session was in when it ended or broke (not the probe's own QUIT after a failure).</summary>
        public SmtpProbePhase LastPhase { get; init; }

        /// <summary>The certificates the server presented, leaf first, in the order sent.</summary>
        public IReadOnlyList<X509Certificate2> CertificateChain { get; init; } = Array.Empty<X509Certificate2>();

        /// <summary>The TLS session was established and its parameters read.</summary>
        public bool TlsEstablished { get; init; }

        public TlsVersion? TlsProtocol { get; init; }

        public string? CipherSuite { get; init; }

        public string? KeyExchange { get; init; }

        /// <summary>What the connect or the client library reported when the session broke; <c>null</c> when it completed.</summary>
        public SmtpSessionFailure? Failure { get; init; }

        /// <summary>A phase deadline passed (set by the guard before it stopped the session).</summary>
        public bool TimedOut { get; init; }

        /// <summary>The limit the server exceeded, in plain words, or <c>null</c>.</summary>
        public string? LimitExceeded { get; init; }
    }

    /// <summary>A failure as recorded: the exception reduced to the facts the verdict uses.</summary>
    internal sealed class SmtpSessionFailure
    {
        public SmtpSessionFailure(string description, string message, bool tlsHandshake, SocketError? socketError)
        {
            Description = description;
            Message = message;
            TlsHandshake = tlsHandshake;
            SocketError = socketError;
        }

        /// <summary>The messages of the exception and its causes, printable, joined with " -> ".</summary>
        public string Description { get; }

        /// <summary>The message of the exception itself.</summary>
        public string Message { get; }

        /// <summary>The client library reported a failed TLS handshake.</summary>
        public bool TlsHandshake { get; }

        /// <summary>The socket error of a failed connect, if any.</summary>
        public SocketError? SocketError { get; }

        public static SmtpSessionFailure From(Exception ex)
            => new SmtpSessionFailure(Describe(ex), ex.Message, ex is SslHandshakeException, (ex as SocketException)?.SocketErrorCode);

        private static string Describe(Exception ex)
        {
            var parts = new List<string>();
            for (Exception? e = ex; e != null && parts.Count < 4; e = e.InnerException)
            {
                if (e is SslHandshakeException && e.InnerException != null)
                {
                    continue; // MailKit's advice text is about untrusted certificates, which this probe accepts; the cause is inside
                }

                var m = string.Join(" ", e.Message.Split(new[] { '\r', '\n', '\t' }, StringSplitOptions.RemoveEmptyEntries)).Trim();
                if (m.Length > 0 && !parts.Contains(m))
                {
                    parts.Add(m);
                }
            }

            return DomainName.Printable(string.Join(" -> ", parts));
        }
    }
}
