using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MailSecurity.Tls;

namespace MailSecurity
{
    /// <summary>
    /// A certificate as results show it: subject, issuer, thumbprint, serial number, validity, DNS names and the
    /// public key, which is what an audit compares run to run and what fits a CSV cell or a small JSON document.
    /// The certificate itself stays reachable for scripts through <see cref="ToX509Certificate2"/> and
    /// <see cref="ToPem"/> (methods, so that ConvertTo-Json and Export-Clixml never serialise the whole X.509 object).
    /// </summary>
    public sealed class CertificateInfo
    {
        private readonly byte[] _der;

        private CertificateInfo(X509Certificate2 certificate)
        {
            _der = certificate.RawData;
            Subject = certificate.Subject;
            Issuer = certificate.Issuer;
            Thumbprint = certificate.Thumbprint;
            SerialNumber = certificate.SerialNumber;
            NotBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
            NotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            // Parsed once, as the DANE matcher parses it: the SPKI (RFC 5280 §4.1.2.7) read leniently, the names as RFC 6125 reads them.
            var parsed = new Dane.CandidateCertificate(_der, certificate, 0);
            HostNameMatcher.ReadIdentifiers(parsed.Parsed, out var dnsIds, out _);
            DnsNames = new ValueList<string>(dnsIds);
            PublicKey = DescribeKey(certificate);
            var spki = parsed.Spki;
            using (var sha256 = SHA256.Create())
            {
                SpkiSha256 = spki is null ? string.Empty : Hex(sha256.ComputeHash(spki));
            }
        }

        /// <summary>The subject distinguished name.</summary>
        public string Subject { get; }

        /// <summary>The issuer distinguished name.</summary>
        public string Issuer { get; }

        /// <summary>The SHA-1 thumbprint in upper-case hex (as Windows certificate tools show it).</summary>
        public string Thumbprint { get; }

        /// <summary>The serial number in hex.</summary>
        public string SerialNumber { get; }

        /// <summary>Start of validity (UTC).</summary>
        public DateTimeOffset NotBefore { get; }

        /// <summary>End of validity (UTC).</summary>
        public DateTimeOffset NotAfter { get; }

        /// <summary>The subjectAltName dNSName entries (lower case); empty when the certificate has none.</summary>
        public IReadOnlyList<string> DnsNames { get; }

        /// <summary>The public key algorithm and size, for example <c>RSA 2048</c> or <c>ECDSA 256</c>.</summary>
        public string PublicKey { get; }

        /// <summary>SHA-256 of the subjectPublicKeyInfo in lower-case hex: the data of a DANE x 1 1 TLSA record (RFC 6698 §2.1); empty when the key cannot be read.</summary>
        public string SpkiSha256 { get; }

        /// <summary>True when subject and issuer are the same name.</summary>
        public bool SelfIssued => string.Equals(Subject, Issuer, StringComparison.Ordinal);

        /// <summary>Summarises a certificate; null stays null.</summary>
        public static CertificateInfo? From(X509Certificate2? certificate) => certificate is null ? null : new CertificateInfo(certificate);

        /// <summary>Summarises a chain, in order.</summary>
        public static ValueList<CertificateInfo> FromChain(IEnumerable<X509Certificate2>? chain)
            => chain is null ? ValueList<CertificateInfo>.EmptyList : new ValueList<CertificateInfo>(chain.Select(c => new CertificateInfo(c)));

        /// <summary>A new <see cref="X509Certificate2"/> of this certificate (the caller owns it).</summary>
        public X509Certificate2 ToX509Certificate2() => new X509Certificate2(_der);

        /// <summary>The DER encoding.</summary>
        public byte[] GetRawData() => (byte[])_der.Clone();

        /// <summary>The certificate in PEM (RFC 7468 §5), for openssl or a ticket.</summary>
        public string ToPem()
        {
            var base64 = Convert.ToBase64String(_der);
            var sb = new StringBuilder("-----BEGIN CERTIFICATE-----\n");
            for (var i = 0; i < base64.Length; i += 64)
            {
                sb.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
            }

            return sb.Append("-----END CERTIFICATE-----\n").ToString();
        }

        /// <summary>Subject, thumbprint and expiry on one line.</summary>
        public override string ToString()
            => string.Format(CultureInfo.InvariantCulture, "{0} (SHA-1 {1}, expires {2:yyyy-MM-dd})", Subject, Thumbprint, NotAfter);

        private static string DescribeKey(X509Certificate2 certificate)
        {
            try
            {
                using (var rsa = certificate.GetRSAPublicKey())
                {
                    if (rsa != null)
                    {
                        return "RSA " + rsa.KeySize.ToString(CultureInfo.InvariantCulture);
                    }
                }

                using (var ecdsa = certificate.GetECDsaPublicKey())
                {
                    if (ecdsa != null)
                    {
                        return "ECDSA " + ecdsa.KeySize.ToString(CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (CryptographicException)
            {
                // An unusual key the platform cannot load: the OID below still names the algorithm.
            }

            return certificate.PublicKey.Oid?.FriendlyName ?? certificate.PublicKey.Oid?.Value ?? "unknown";
        }

        private static string Hex(byte[] bytes)
        {
            var sb = new StringBuilder(bytes.Length * 2);
            foreach (var b in bytes)
            {
                sb.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            }

            return sb.ToString();
        }
    }
}
