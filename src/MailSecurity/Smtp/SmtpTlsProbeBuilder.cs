using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;

namespace MailSecurity.Smtp
{
    /// <summary>The mutable state a probe fills in before it is frozen into an <see cref="SmtpTlsProbe"/>.</summary>
    internal sealed class SmtpTlsProbeBuilder
    {
        public string HostName = string.Empty;
        public string Address = string.Empty;
        public int Port;
        public bool ImplicitTls;
        public string? ServerName;
        public string HeloName = string.Empty;
        public DateTimeOffset StartedAt;
        public SmtpTlsOutcome Outcome = SmtpTlsOutcome.ProtocolViolation;
        public SmtpProbePhase? FailurePhase;
        public string? Error;
        public int? BannerCode;
        public string? Banner;
        public bool StartTlsOffered;
        public string? StartTlsReply;
        public IReadOnlyList<string> CapabilitiesBeforeTls = Array.Empty<string>();
        public IReadOnlyList<string> CapabilitiesAfterTls = Array.Empty<string>();
        public bool TlsEstablished;
        public TlsVersion? TlsProtocol;
        public string? CipherSuite;
        public string? KeyExchange;
        public IReadOnlyList<X509Certificate2> CertificateChain = Array.Empty<X509Certificate2>();
        public PkixValidation? Pkix;
        public HostNameMatch? HostNameMatch;
        public List<TlsVersionSupport> TlsVersions = new List<TlsVersionSupport>();
        public TimeSpan ConnectTime;
        public TimeSpan? TlsHandshakeTime;
        public TimeSpan TotalTime;
        public IReadOnlyList<SmtpPhaseTiming> PhaseTimings = Array.Empty<SmtpPhaseTiming>();
        public IReadOnlyList<SmtpTranscriptLine> Transcript = Array.Empty<SmtpTranscriptLine>();
        public List<Finding> Findings = new List<Finding>();

        public string Target => HostName == Address ? $"[{Address}]:{Port}" : $"{HostName} [{Address}]:{Port}";
    }
}
