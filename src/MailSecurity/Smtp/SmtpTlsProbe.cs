using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using MailSecurity.Smtp;

namespace MailSecurity
{
    /// <summary>
    /// What Test-SmtpStartTls found for one (host, address, port): how the session went, the TLS parameters, the
    /// certificate chain as presented with its PKIX and host-name verdicts, the capabilities before and after TLS,
    /// timings, an optional transcript and findings. Immutable; flat summary columns for Export-Csv.
    /// </summary>
    public sealed class SmtpTlsProbe
    {
        internal SmtpTlsProbe(SmtpTlsProbeBuilder b)
        {
            HostName = b.HostName;
            Address = b.Address;
            Port = b.Port;
            ImplicitTls = b.ImplicitTls;
            ServerName = b.ServerName;
            HeloName = b.HeloName;
            StartedAt = b.StartedAt;
            Outcome = b.Outcome;
            FailurePhase = b.FailurePhase;
            Error = b.Error;
            BannerCode = b.BannerCode;
            Banner = b.Banner;
            StartTlsOffered = b.StartTlsOffered;
            StartTlsReply = b.StartTlsReply;
            CapabilitiesBeforeTls = new ValueList<string>(b.CapabilitiesBeforeTls);
            CapabilitiesAfterTls = new ValueList<string>(b.CapabilitiesAfterTls);
            TlsEstablished = b.TlsEstablished;
            TlsProtocol = b.TlsProtocol;
            CipherSuite = b.CipherSuite;
            KeyExchange = b.KeyExchange;
            X509Chain = b.CertificateChain.ToList();
            CertificateChain = CertificateInfo.FromChain(X509Chain);
            Pkix = b.Pkix;
            HostNameMatch = b.HostNameMatch;
            TlsVersions = new ValueList<TlsVersionSupport>(b.TlsVersions);
            ConnectTime = b.ConnectTime;
            TlsHandshakeTime = b.TlsHandshakeTime;
            TotalTime = b.TotalTime;
            PhaseTimings = new ValueList<SmtpPhaseTiming>(b.PhaseTimings);
            Transcript = new ValueList<SmtpTranscriptLine>(b.Transcript);
            Findings = new FindingList(b.Findings.OrderByDescending(f => f.Severity));
        }

        private SmtpTlsProbe(SmtpTlsProbe o, string? domain, FindingList findings)
        {
            Domain = domain;
            HostName = o.HostName;
            Address = o.Address;
            Port = o.Port;
            ImplicitTls = o.ImplicitTls;
            ServerName = o.ServerName;
            HeloName = o.HeloName;
            StartedAt = o.StartedAt;
            Outcome = o.Outcome;
            FailurePhase = o.FailurePhase;
            Error = o.Error;
            BannerCode = o.BannerCode;
            Banner = o.Banner;
            StartTlsOffered = o.StartTlsOffered;
            StartTlsReply = o.StartTlsReply;
            CapabilitiesBeforeTls = o.CapabilitiesBeforeTls;
            CapabilitiesAfterTls = o.CapabilitiesAfterTls;
            TlsEstablished = o.TlsEstablished;
            TlsProtocol = o.TlsProtocol;
            CipherSuite = o.CipherSuite;
            KeyExchange = o.KeyExchange;
            X509Chain = o.X509Chain;
            CertificateChain = o.CertificateChain;
            Pkix = o.Pkix;
            HostNameMatch = o.HostNameMatch;
            TlsVersions = o.TlsVersions;
            ConnectTime = o.ConnectTime;
            TlsHandshakeTime = o.TlsHandshakeTime;
            TotalTime = o.TotalTime;
            PhaseTimings = o.PhaseTimings;
            Transcript = o.Transcript;
            Findings = findings;
        }

        /// <summary>
        /// The same probe, reported for <paramref name="domain"/> (whose MX the host is), with findings about the input
        /// added. A probe may be shared by several domains (one session per host and address), so this is a copy.
        /// </summary>
        internal SmtpTlsProbe ForInput(string? domain, IEnumerable<Finding>? added = null)
            => new SmtpTlsProbe(this, domain, added is null ? (FindingList)Findings : ((FindingList)Findings).With(added));

        /// <summary>The domain whose MX this host is, when the probe was asked for by domain (Test-SmtpStartTls -Domain); otherwise null.</summary>
        public string? Domain { get; }

        /// <summary>The host probed (lower-case A-labels), or the address when probed by address.</summary>
        public string HostName { get; }

        /// <summary>The IP address connected to.</summary>
        public string Address { get; }

        /// <summary>The TCP port.</summary>
        public int Port { get; }

        /// <summary>True when TLS started on connect (RFC 8314) instead of with STARTTLS.</summary>
        public bool ImplicitTls { get; }

        /// <summary>The SNI name sent (normally the host name; the TLSA base domain for DANE), or <c>null</c> when none was sent.</summary>
        public string? ServerName { get; }

        /// <summary>The EHLO argument used.</summary>
        public string HeloName { get; }

        /// <summary>When the probe started.</summary>
        public DateTimeOffset StartedAt { get; }

        /// <summary>How the probe ended (see <see cref="SmtpTlsOutcome"/>).</summary>
        public SmtpTlsOutcome Outcome { get; }

        /// <summary>The phase in which the session failed, or <c>null</c> when it completed.</summary>
        public SmtpProbePhase? FailurePhase { get; }

        /// <summary>What went wrong, in plain words, or <c>null</c>.</summary>
        public string? Error { get; }

        /// <summary>The greeting's reply code (220 normally), or <c>null</c> when none arrived.</summary>
        public int? BannerCode { get; }

        /// <summary>The greeting's text (lines joined with a space), or <c>null</c>.</summary>
        public string? Banner { get; }

        /// <summary>True when the EHLO reply before TLS lists STARTTLS (always false with implicit TLS).</summary>
        public bool StartTlsOffered { get; }

        /// <summary>The reply to the STARTTLS command (e.g. <c>220 2.0.0 Ready to start TLS</c>), or <c>null</c> when not sent.</summary>
        public string? StartTlsReply { get; }

        /// <summary>The EHLO extension lines before TLS (e.g. <c>SIZE 10240000</c>, <c>STARTTLS</c>); empty with implicit TLS.</summary>
        public IReadOnlyList<string> CapabilitiesBeforeTls { get; }

        /// <summary>The EHLO extension lines inside TLS; empty when TLS was not established.</summary>
        public IReadOnlyList<string> CapabilitiesAfterTls { get; }

        /// <summary>True when a TLS session was established (whatever the certificate's validity).</summary>
        public bool TlsEstablished { get; }

        /// <summary>The negotiated TLS version, or <c>null</c>.</summary>
        public TlsVersion? TlsProtocol { get; }

        /// <summary>The negotiated cipher suite by its IANA name (e.g. <c>TLS_AES_256_GCM_SHA384</c>), or <c>null</c> when unknown.</summary>
        public string? CipherSuite { get; }

        /// <summary>The key exchange (e.g. <c>ECDHE_RSA</c>; <c>(EC)DHE</c> for TLS 1.3, whose group the platform does not expose), or <c>null</c>.</summary>
        public string? KeyExchange { get; }

        /// <summary>
        /// The certificates as the server presented them, server certificate first: subject, issuer, thumbprint, validity,
        /// DNS names (each item's ToPem() and ToX509Certificate2() give the certificate itself).
        /// </summary>
        public IReadOnlyList<CertificateInfo> CertificateChain { get; }

        /// <summary>The presented chain as platform certificates, for matching (DANE) and validation.</summary>
        internal IReadOnlyList<X509Certificate2> X509Chain { get; }

        /// <summary>The PKIX validation of the presented chain, or <c>null</c> when no certificate was received.</summary>
        public PkixValidation? Pkix { get; }

        /// <summary>The host-name check of the server certificate, or <c>null</c> when no certificate was received.</summary>
        public HostNameMatch? HostNameMatch { get; }

        /// <summary>Per-version results when versions were probed one by one; otherwise empty.</summary>
        public IReadOnlyList<TlsVersionSupport> TlsVersions { get; }

        /// <summary>Time to set up the TCP connection.</summary>
        internal TimeSpan ConnectTime { get; }

        /// <summary>Time of the TLS handshake, or <c>null</c> without one.</summary>
        internal TimeSpan? TlsHandshakeTime { get; }

        /// <summary>Time of the probe from connect to the last reply it needs (QUIT and its reply excluded, version probes excluded).</summary>
        internal TimeSpan TotalTime { get; }

        // Durations as milliseconds (0.1 ms resolution) rather than TimeSpans: a TimeSpan serialises as fifteen fields in
        // ConvertTo-Json, and a hop result carries a probe per address, which kept it from a compact JSON shape.

        /// <summary>Milliseconds to set up the TCP connection.</summary>
        public double ConnectMilliseconds => Math.Round(ConnectTime.TotalMilliseconds, 1);

        /// <summary>Milliseconds of the TLS handshake, or <c>null</c> without one.</summary>
        public double? TlsHandshakeMilliseconds => TlsHandshakeTime is TimeSpan t ? Math.Round(t.TotalMilliseconds, 1) : (double?)null;

        /// <summary>Milliseconds of the probe from connect to the last reply it needs (QUIT and its reply excluded, version probes excluded).</summary>
        public double TotalMilliseconds => Math.Round(TotalTime.TotalMilliseconds, 1);

        /// <summary>Duration of each phase reached, in order.</summary>
        public IReadOnlyList<SmtpPhaseTiming> PhaseTimings { get; }

        /// <summary>The SMTP transcript (secrets redacted) when it was asked for; otherwise empty.</summary>
        public IReadOnlyList<SmtpTranscriptLine> Transcript { get; }

        /// <summary>Findings, worst first.</summary>
        public IReadOnlyList<Finding> Findings { get; }

        /// <summary>The server certificate, or <c>null</c>.</summary>
        public CertificateInfo? Certificate => CertificateChain.Count > 0 ? CertificateChain[0] : null;

        /// <summary>True when the presented chain is PKIX-valid; <c>null</c> when no certificate was received.</summary>
        public bool? PkixValid => Pkix?.IsValid;

        /// <summary>Summary: what is wrong with the chain (<c>None</c> when valid or when there is no certificate).</summary>
        public CertificateProblems CertificateProblems => Pkix?.Problems ?? CertificateProblems.None;

        /// <summary>Summary: the chain status reasons in plain words.</summary>
        public IReadOnlyList<string> PkixErrors => ValueList.From(Pkix?.Reasons);

        /// <summary>True when the certificate names the host; <c>null</c> when no certificate was received.</summary>
        public bool? HostNameMatches => HostNameMatch?.Matches;

        /// <summary>Whole days until the server certificate expires (negative once expired); <c>null</c> without a certificate.</summary>
        public int? DaysUntilExpiry => Certificate is null ? (int?)null : (int)Math.Floor((Certificate.NotAfter - StartedAt).TotalDays);

        /// <summary>Summary: the server certificate's subject.</summary>
        public string? CertificateSubject => Certificate?.Subject;

        /// <summary>Summary: the server certificate's issuer.</summary>
        public string? CertificateIssuer => Certificate?.Issuer;

        /// <summary>Summary: the server certificate's SHA-1 thumbprint.</summary>
        public string? CertificateThumbprint => Certificate?.Thumbprint;

        /// <summary>Summary: the server certificate's DNS-IDs (or CNs when it has none), comma-separated.</summary>
        public string? CertificateNames => HostNameMatch is null ? null : string.Join(", ", HostNameMatch.DnsIds.Count > 0 ? HostNameMatch.DnsIds : HostNameMatch.CommonNames);

        /// <summary>Summary: the server certificate's notAfter.</summary>
        public DateTimeOffset? CertificateNotAfter => Certificate?.NotAfter;

        /// <summary>True when AUTH is advertised before TLS (a finding: credentials in cleartext).</summary>
        public bool AuthBeforeTls => EhloCapabilities.Has(CapabilitiesBeforeTls, "AUTH");

        /// <summary>True when REQUIRETLS (RFC 8689) is advertised in the session's effective capabilities.</summary>
        public bool RequireTlsAdvertised => EhloCapabilities.Has(EffectiveCapabilities, "REQUIRETLS");

        /// <summary>True when SMTPUTF8 (RFC 6531) is advertised.</summary>
        public bool SmtpUtf8Advertised => EhloCapabilities.Has(EffectiveCapabilities, "SMTPUTF8");

        /// <summary>True when CHUNKING (RFC 3030) is advertised.</summary>
        public bool ChunkingAdvertised => EhloCapabilities.Has(EffectiveCapabilities, "CHUNKING");

        /// <summary>The SIZE limit in bytes (RFC 1870); 0 when SIZE is advertised without a limit; <c>null</c> when not advertised.</summary>
        public long? SizeLimit => EhloCapabilities.SizeLimit(EffectiveCapabilities);

        /// <summary>Summary: the versions accepted in per-version probing, comma-separated (empty when not probed).</summary>
        public string AcceptedTlsVersions => string.Join(", ", TlsVersions.Where(v => v.Status == TlsVersionStatus.Accepted).Select(v => v.Version.ToString()));

        /// <summary>True for a valid authenticated TLS session (<see cref="SmtpTlsOutcome.Success"/>).</summary>
        public bool IsAuthenticatedTls => Outcome == SmtpTlsOutcome.Success;

        /// <summary>Summary: number of findings.</summary>
        public int FindingCount => Findings.Count;

        /// <summary>Summary: the worst severity among the findings (Info when there are none).</summary>
        public Severity WorstSeverity => Finding.Worst(Findings) ?? Severity.Info;

        private IReadOnlyList<string> EffectiveCapabilities => TlsEstablished ? CapabilitiesAfterTls : CapabilitiesBeforeTls;

        /// <summary>The summary a sending MTA would give, in one line.</summary>
        public override string ToString()
            => $"{HostName} [{Address}]:{Port} {Outcome}" + (TlsEstablished ? $" {TlsProtocol} {CipherSuite}" : string.Empty);
    }
}
