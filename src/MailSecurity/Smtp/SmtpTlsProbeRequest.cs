using System;
using System.Collections.Generic;
using System.Net;

namespace MailSecurity.Smtp
{
    /// <summary>
    /// What to probe and how. Create it, set what differs from the defaults, and hand it to
    /// <see cref="SmtpTlsProber.ProbeAsync"/>; the prober takes a snapshot, so a request can be reused.
    /// </summary>
    internal sealed class SmtpTlsProbeRequest
    {
        /// <summary>Creates a request for one host name and one of its addresses.</summary>
        /// <param name="hostName">The host as the sender knows it (MX target): the reference name for the certificate check.</param>
        /// <param name="address">The address to connect to (resolved by the caller's DNS layer).</param>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        public SmtpTlsProbeRequest(string hostName, IPAddress address)
        {
            HostName = hostName ?? throw new ArgumentNullException(nameof(hostName));
            Address = address ?? throw new ArgumentNullException(nameof(address));
        }

        /// <summary>The host name (lower-case A-labels); the certificate is matched against it. May be an IP literal, then no name can match.</summary>
        public string HostName { get; }

        /// <summary>The address connected to.</summary>
        public IPAddress Address { get; }

        /// <summary>TCP port. Default: 25.</summary>
        public int Port { get; set; } = 25;

        /// <summary>TLS from the first byte (RFC 8314, port 465) instead of STARTTLS. Default: false.</summary>
        public bool ImplicitTls { get; set; }

        /// <summary>The EHLO argument. Default (<c>null</c>): the machine's FQDN when it has one, else the address literal of the local end.</summary>
        public string? HeloName { get; set; }

        /// <summary>
        /// The SNI name sent in the TLS handshake. Default (<c>null</c>): <see cref="HostName"/>. DANE callers send the TLSA
        /// base domain here (RFC 7672 §8.1). No SNI is sent when the name is an IP address.
        /// </summary>
        public string? ServerName { get; set; }

        /// <summary>The reference names the certificate is matched against. Default (empty): <see cref="HostName"/> only.</summary>
        public IList<string> ReferenceNames { get; } = new List<string>();

        /// <summary>Timeout of each phase (connect, greeting, each command and its reply, the handshake). Default: 10 s.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>Attach the SMTP transcript to the result (secrets redacted). Default: false.</summary>
        public bool IncludeTranscript { get; set; }

        /// <summary>The TLS versions to offer in the main handshake. Default (empty): the platform's defaults.</summary>
        public IList<TlsVersion> AllowedVersions { get; } = new List<TlsVersion>();

        /// <summary>Versions to test one by one in separate connections (reported in <see cref="SmtpTlsProbe.TlsVersions"/>). Default: none.</summary>
        public IList<TlsVersion> ProbeVersions { get; } = new List<TlsVersion>();

        /// <summary>Check certificate revocation (CRL/OCSP, network access). Default: false.</summary>
        public bool CheckRevocation { get; set; }

        /// <summary>Roots to trust instead of the platform store (tests, private PKIs). Default: <c>null</c>, the platform store.</summary>
        public IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2>? TrustAnchors { get; set; }

        /// <summary>Most bytes read from the socket in one session (TLS records included). Default: 1 MiB.</summary>
        public int MaxSessionBytes { get; set; } = 1024 * 1024;

        /// <summary>Most lines in one SMTP reply. Default: 256 (a real EHLO reply has about 15).</summary>
        public int MaxReplyLines { get; set; } = 256;

        /// <summary>Longest reply line accepted before the probe stops reading. Default: 8192 (RFC 5321 allows 512; longer ones get a warning).</summary>
        public int MaxLineLength { get; set; } = 8192;
    }
}
