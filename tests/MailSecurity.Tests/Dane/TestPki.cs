using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailSecurity.Dane;
using Xunit;

namespace MailSecurity.Tests.Dane
{
    /// <summary>A certificate and the key that can sign with it.</summary>
    public sealed class TestCert
    {
        public TestCert(X509Certificate2 certificate, ECDsa key)
        {
            Certificate = certificate;
            Key = key;
        }

        public X509Certificate2 Certificate { get; }

        public ECDsa Key { get; }

        public X500DistinguishedName Name => Certificate.SubjectName;

        /// <summary>SHA-256 of the DER SubjectPublicKeyInfo, computed with the BCL (independent of the code under test).</summary>
        public string Spki256 => Hex(SHA256.HashData(Certificate.PublicKey.ExportSubjectPublicKeyInfo()));

        public string Spki512 => Hex(SHA512.HashData(Certificate.PublicKey.ExportSubjectPublicKeyInfo()));

        public string SpkiFull => Hex(Certificate.PublicKey.ExportSubjectPublicKeyInfo());

        public string Cert256 => Hex(SHA256.HashData(Certificate.RawData));

        public string Cert512 => Hex(SHA512.HashData(Certificate.RawData));

        public string CertFull => Hex(Certificate.RawData);

        public static string Hex(byte[] bytes) => Convert.ToHexString(bytes);
    }

    /// <summary>Builds small PKIs for tests with the BCL's CertificateRequest (ECDSA P-256).</summary>
    public static class TestPki
    {
        /// <summary>The validation time of the tests: certificates are made relative to it.</summary>
        public static readonly DateTimeOffset Now = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

        public static TestCert Root(string cn = "Test Root", int? pathLength = null, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
        {
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var name = new X500DistinguishedName("CN=" + cn);
            var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, pathLength.HasValue, pathLength ?? 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            var cert = request.Create(name, X509SignatureGenerator.CreateForECDsa(key), notBefore ?? Now.AddYears(-6), notAfter ?? Now.AddYears(14), Serial());
            return new TestCert(cert, key);
        }

        public static TestCert Intermediate(TestCert issuer, string cn = "Test Intermediate", int? pathLength = null, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, bool isCa = true, bool keyCertSign = true)
        {
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest(new X500DistinguishedName("CN=" + cn), key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(isCa, pathLength.HasValue, pathLength ?? 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(keyCertSign ? X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature : X509KeyUsageFlags.DigitalSignature, true));
            return Sign(request, key, issuer, notBefore ?? Now.AddYears(-3), notAfter ?? Now.AddYears(5));
        }

        public static TestCert Leaf(TestCert issuer, string cn, IEnumerable<string>? dnsNames = null, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
        {
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = LeafRequest(cn, dnsNames, key);
            return Sign(request, key, issuer, notBefore ?? Now.AddDays(-30), notAfter ?? Now.AddDays(60));
        }

        public static TestCert SelfSignedLeaf(string cn, IEnumerable<string>? dnsNames = null, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
        {
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = LeafRequest(cn, dnsNames, key);
            var cert = request.Create(request.SubjectName, X509SignatureGenerator.CreateForECDsa(key), notBefore ?? Now.AddDays(-30), notAfter ?? Now.AddDays(60), Serial());
            return new TestCert(cert, key);
        }

        /// <summary>A record classified under the SMTP profile, from presentation text.</summary>
        public static TlsaRecordInfo Record(string text, TimeSpan? ttl = null, TlsaUsageProfile profile = TlsaUsageProfile.Smtp)
        {
            Assert.True(TlsaRecordClassifier.TryParse(text, ttl ?? TimeSpan.FromHours(1), profile, out var record, out var error), error);
            return record!;
        }

        public static IReadOnlyList<X509Certificate2> Chain(params TestCert[] certs) => certs.Select(c => c.Certificate).ToList();

        internal static TlsaMatcher Matcher() => new TlsaMatcher(new TlsaMatchOptions(validationTime: Now));

        private static CertificateRequest LeafRequest(string cn, IEnumerable<string>? dnsNames, ECDsa key)
        {
            var request = new CertificateRequest(new X500DistinguishedName("CN=" + cn), key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            if (dnsNames != null && dnsNames.Any())
            {
                var san = new SubjectAlternativeNameBuilder();
                foreach (var n in dnsNames)
                {
                    san.AddDnsName(n);
                }

                request.CertificateExtensions.Add(san.Build());
            }

            return request;
        }

        private static TestCert Sign(CertificateRequest request, ECDsa key, TestCert issuer, DateTimeOffset notBefore, DateTimeOffset notAfter)
        {
            // The generator overload skips the BCL's issuer checks, so tests can build the invalid chains they need.
            var cert = request.Create(issuer.Name, X509SignatureGenerator.CreateForECDsa(issuer.Key), notBefore, notAfter, Serial());
            return new TestCert(cert, key);
        }

        private static byte[] Serial() => RandomNumberGenerator.GetBytes(12).Select((b, i) => i == 0 ? (byte)(b & 0x7F | 0x01) : b).ToArray();
    }
}
