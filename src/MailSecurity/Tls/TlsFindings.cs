using System;
using System.Collections.Generic;

namespace MailSecurity.Tls
{
    /// <summary>Finding codes about a TLS session and the server's certificate (RFC 5280, RFC 6125, RFC 8996, RFC 7525).</summary>
    [ReportColumn(Report.ReportCheck.StartTls)]
    internal static class TlsFindings
    {
        /// <summary>STARTTLS (or implicit TLS) was accepted but the TLS handshake failed.</summary>
        public static readonly FindingDescriptor HandshakeFailed = new FindingDescriptor(
            "Tls.HandshakeFailed", Severity.Error,
            "The server accepted STARTTLS (or listens for implicit TLS) but the TLS handshake failed, so no encrypted session could be set up; opportunistic senders fall back to cleartext or defer, DANE and MTA-STS senders defer.",
            "RFC 3207 §4, §4.1; RFC 8446 §6",
            "Check the server's TLS configuration (certificate and key files, protocol versions, cipher suites) and its logs for the handshake error.");

        /// <summary>A certificate of the chain has expired.</summary>
        public static readonly FindingDescriptor CertificateExpired = new FindingDescriptor(
            "Tls.CertificateExpired", Severity.Error,
            "A certificate of the server's chain has expired, so PKIX validation fails (MTA-STS senders in enforce mode will not deliver).",
            "RFC 5280 §4.1.2.5, §6.1.3; RFC 8461 §4.2",
            "Renew the certificate and install the new chain on every listener; automate renewal.");

        /// <summary>A certificate of the chain is not valid yet.</summary>
        public static readonly FindingDescriptor CertificateNotYetValid = new FindingDescriptor(
            "Tls.CertificateNotYetValid", Severity.Error,
            "A certificate of the server's chain is not valid yet (its notBefore lies in the future), so PKIX validation fails.",
            "RFC 5280 §4.1.2.5",
            "Check the server's clock and the certificate's validity dates; install a currently valid certificate.");

        /// <summary>The chain ends at an untrusted root.</summary>
        public static readonly FindingDescriptor CertificateUntrusted = new FindingDescriptor(
            "Tls.CertificateUntrusted", Severity.Error,
            "The server's certificate chain does not lead to a trusted root, so PKIX validation fails.",
            "RFC 5280 §6.1",
            "Use a certificate from a publicly trusted CA (or publish DANE TLSA records if you use a private CA).");

        /// <summary>The server certificate is self-signed.</summary>
        public static readonly FindingDescriptor SelfSigned = new FindingDescriptor(
            "Tls.SelfSigned", Severity.Error,
            "The server presents a self-signed certificate: encryption works but no PKIX-validating sender (MTA-STS) can authenticate it.",
            "RFC 5280 §6.1; RFC 8461 §4.2",
            "Install a certificate from a trusted CA, or publish a DANE-EE (3 1 1) TLSA record for the key.");

        /// <summary>The chain cannot be completed (missing intermediate).</summary>
        public static readonly FindingDescriptor IncompleteChain = new FindingDescriptor(
            "Tls.IncompleteChain", Severity.Error,
            "The server does not send the intermediate certificate(s) needed to reach a trusted root; mail servers do not fetch missing intermediates, so validation fails.",
            "RFC 8446 §4.4.2; RFC 5246 §7.4.2; RFC 5280 §6.1",
            "Configure the full chain (server certificate followed by the intermediates) on the server, e.g. Postfix smtpd_tls_chain_files.");

        /// <summary>The certificate does not match the host name.</summary>
        public static readonly FindingDescriptor CertificateHostMismatch = new FindingDescriptor(
            "Tls.CertificateHostMismatch", Severity.Error,
            "The server certificate does not name the host that was connected to (DNS-ID rules, single-label wildcards), so authenticated TLS (MTA-STS, DANE-TA) fails for this host.",
            "RFC 6125 §6.4; RFC 8461 §4.2; RFC 7672 §3.2.3",
            "Add the MX host name as a subjectAltName DNS entry of the certificate (or use a wildcard covering exactly that label).");

        /// <summary>The name matched only through the CN.</summary>
        public static readonly FindingDescriptor MatchedByCommonNameOnly = new FindingDescriptor(
            "Tls.MatchedByCommonNameOnly", Severity.Warning,
            "The certificate has no subjectAltName DNS entries and matches the host only through its common name, which MTA-STS senders and modern TLS clients do not accept.",
            "RFC 6125 §6.4.4; RFC 8461 §4.2",
            "Reissue the certificate with the host name as a subjectAltName DNS entry.");

        /// <summary>The certificate expires soon.</summary>
        public static readonly FindingDescriptor CertificateExpiresSoon = new FindingDescriptor(
            "Tls.CertificateExpiresSoon", Severity.Warning,
            "The server certificate expires within 14 days.",
            "RFC 5280 §4.1.2.5",
            "Renew the certificate now and check that renewal is automated and reloads the mail server.");

        /// <summary>The certificate is not valid for server authentication.</summary>
        public static readonly FindingDescriptor CertificateWrongUsage = new FindingDescriptor(
            "Tls.CertificateWrongUsage", Severity.Error,
            "A certificate of the chain is not valid for TLS server authentication (extended key usage, key usage or CA constraints).",
            "RFC 5280 §4.2.1.3, §4.2.1.9, §4.2.1.12",
            "Use a certificate issued for TLS server authentication (id-kp-serverAuth) under a properly constrained CA.");

        /// <summary>A certificate was revoked.</summary>
        public static readonly FindingDescriptor CertificateRevoked = new FindingDescriptor(
            "Tls.CertificateRevoked", Severity.Error,
            "A certificate of the server's chain has been revoked by its issuer.",
            "RFC 5280 §6.3",
            "Install a new certificate; find out why the old one was revoked (key compromise?).");

        /// <summary>Revocation status unknown.</summary>
        public static readonly FindingDescriptor RevocationUnknown = new FindingDescriptor(
            "Tls.RevocationUnknown", Severity.Warning,
            "Revocation checking was requested but the revocation status of a certificate could not be determined (CRL/OCSP unreachable or missing).",
            "RFC 5280 §6.3; RFC 6960",
            "Check that the CRL distribution points / OCSP responder of the CA are reachable, or run without revocation checking.");

        /// <summary>Any other chain error.</summary>
        public static readonly FindingDescriptor CertificateChainInvalid = new FindingDescriptor(
            "Tls.CertificateChainInvalid", Severity.Error,
            "The server's certificate chain fails PKIX validation for a structural reason (bad signature, malformed certificate or similar).",
            "RFC 5280 §6.1",
            "Reinstall a correctly issued certificate chain.");

        /// <summary>TLS 1.0/1.1 negotiated or accepted.</summary>
        public static readonly FindingDescriptor LegacyProtocol = new FindingDescriptor(
            "Tls.LegacyProtocol", Severity.Warning,
            "The server negotiates or accepts TLS 1.0 or TLS 1.1, which are deprecated; MTA-STS requires TLS 1.2 or later.",
            "RFC 8996 §2, §3; RFC 7525 §3.1.1; RFC 8461 §7.2",
            "Disable TLS 1.0 and 1.1 on the server (Postfix: smtpd_tls_protocols = >=TLSv1.2).");

        /// <summary>TLS 1.3 not accepted.</summary>
        public static readonly FindingDescriptor NoTls13 = new FindingDescriptor(
            "Tls.NoTls13", Severity.Info,
            "The server does not accept TLS 1.3 (TLS 1.2 still meets current requirements).",
            "RFC 8446; RFC 9325 §3.1.1",
            "Enable TLS 1.3 when the server software supports it.");

        /// <summary>
        /// The codes that judge a certificate by PKIX (trust anchor, chain, name, dates, usage). When DANE authenticates the
        /// server they do not count against it: DANE-EE and DANE-TA records replace PKIX validation (RFC 7672 §3.1.1, §3.1.2).
        /// </summary>
        internal static readonly IReadOnlyCollection<string> PkixOnly = new HashSet<string>(StringComparer.Ordinal)
        {
            CertificateUntrusted.Code, SelfSigned.Code, IncompleteChain.Code, CertificateChainInvalid.Code, CertificateHostMismatch.Code,
            MatchedByCommonNameOnly.Code, CertificateExpired.Code, CertificateNotYetValid.Code, CertificateWrongUsage.Code,
        };
    }
}
