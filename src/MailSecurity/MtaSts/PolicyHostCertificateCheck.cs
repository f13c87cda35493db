using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace MailSecurity.MtaSts
{
    /// <summary>
    /// The TLS certificate validation of one policy fetch (RFC 8461 §3.3): the platform's PKIX result (chain to a trusted root,
    /// validity period, host name), plus a DNS-ID-only name check (never the CN; a wildcard only as the whole left-most label).
    /// Captures the presented chain and the reasons for the report. It never accepts what the platform rejects.
    /// </summary>
    internal sealed class PolicyHostCertificateCheck
    {
        private readonly string _host;

        public PolicyHostCertificateCheck(string host) => _host = host;

        /// <summary>The chain the server presented (copies, leaf first); empty until the handshake reached the certificate.</summary>
        public IReadOnlyList<X509Certificate2> Chain { get; private set; } = Array.Empty<X509Certificate2>();

        /// <summary>Null until a certificate was seen; then whether it passed.</summary>
        public bool? Valid { get; private set; }

        /// <summary>Why it failed.</summary>
        public IReadOnlyList<string> Errors { get; private set; } = Array.Empty<string>();

        /// <summary>The RemoteCertificateValidationCallback for SslStream / SocketsHttpHandler.</summary>
        public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            var reasons = new List<string>();
            var presented = new List<X509Certificate2>();
            if (chain != null && chain.ChainElements.Count > 0)
            {
                foreach (var element in chain.ChainElements)
                {
                    presented.Add(new X509Certificate2(element.Certificate.RawData));
                }
            }
            else if (certificate != null)
            {
                presented.Add(new X509Certificate2(certificate.GetRawCertData()));
            }

            Chain = presented;
            if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
            {
                reasons.Add("the server presented no certificate");
            }

            if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            {
                var statuses = chain?.ChainStatus.Where(s => s.Status != X509ChainStatusFlags.NoError).ToList() ?? new List<X509ChainStatus>();
                if (statuses.Count == 0)
                {
                    reasons.Add("the certificate chain does not validate");
                }

                foreach (var s in statuses)
                {
                    reasons.Add(DescribeChainStatus(s));
                }
            }

            var nameRejected = false;
            if (presented.Count > 0)
            {
                // RFC 8461 §3.3 / RFC 6125: DNS-IDs only, never the CN; a wildcard only as the whole left-most label.
                var names = CertificateDnsNames.Of(presented[0]);
                if (!names.Any(n => MtaStsMxMatcher.Matches(n, _host)))
                {
                    nameRejected = true;
                    reasons.Add(names.Count == 0
                        ? $"the certificate has no subjectAltName DNS names (the CN is not used), so it is not valid for {_host}"
                        : $"the certificate is for {string.Join(", ", names)}, not {_host}");
                }
            }

            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0 && !nameRejected)
            {
                reasons.Add($"the certificate's names do not match {_host}");
            }

            Errors = reasons.Distinct().ToList();
            Valid = certificate != null && Errors.Count == 0;
            return Valid == true;
        }

        private static string DescribeChainStatus(X509ChainStatus s)
        {
            switch (s.Status)
            {
                case X509ChainStatusFlags.NotTimeValid:
                    return "a certificate in the chain is expired or not yet valid";
                case X509ChainStatusFlags.UntrustedRoot:
                    return "the chain ends at a root that is not trusted";
                case X509ChainStatusFlags.PartialChain:
                    return "the chain does not reach a trusted root (missing intermediate or unknown issuer)";
                case X509ChainStatusFlags.Revoked:
                    return "a certificate in the chain is revoked";
                case X509ChainStatusFlags.NotSignatureValid:
                    return "a signature in the chain is not valid";
                default:
                    var info = (s.StatusInformation ?? string.Empty).Trim();
                    return info.Length > 0 ? $"{s.Status}: {info}" : s.Status.ToString();
            }
        }
    }

    /// <summary>The subjectAltName DNS names of a certificate (read with BouncyCastle, which both targets have through MimeKit).</summary>
    internal static class CertificateDnsNames
    {
        public static IReadOnlyList<string> Of(X509Certificate2 certificate)
        {
            try
            {
                var bc = new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(certificate.RawData);
                var sans = bc.GetSubjectAlternativeNames();
                if (sans is null)
                {
                    return Array.Empty<string>();
                }

                var names = new List<string>();
                foreach (var entry in sans)
                {
                    // Each entry is [tag, value]; tag 2 is dNSName (RFC 5280 §4.2.1.6).
                    if (entry.Count >= 2 && entry[0] is int tag && tag == 2 && entry[1] is string name)
                    {
                        names.Add(name);
                    }
                }

                return names;
            }
            catch (Exception ex) when (ex is ArgumentException || ex is InvalidOperationException || ex is Org.BouncyCastle.Security.Certificates.CertificateException || ex is System.IO.IOException)
            {
                return Array.Empty<string>();
            }
        }
    }
}
