using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MailSecurity.Tests.Tls
{
    /// <summary>A certificate and the key that can sign with it.</summary>
    public sealed class TestCert
    {
        public TestCert(X509Certificate2 certificate, ECDsa key)
        {
            Certificate = certificate;
            Key = key;
        }

        /// <summary>The certificate alone (no private key), as a server presents it.</summary>
        public X509Certificate2 Certificate { get; }

        public ECDsa Key { get; }

        public X500DistinguishedName Name => Certificate.SubjectName;

        /// <summary>SHA-256 of the SubjectPublicKeyInfo, as hex.</summary>
        public string Spki256 => Hex(SHA256.HashData(Certificate.PublicKey.ExportSubjectPublicKeyInfo()));

        public string Spki512 => Hex(SHA512.HashData(Certificate.PublicKey.ExportSubjectPublicKeyInfo()));

        public string SpkiFull => Hex(Certificate.PublicKey.ExportSubjectPublicKeyInfo());

        public string Cert256 => Hex(SHA256.HashData(Certificate.RawData));

        public string Cert512 => Hex(SHA512.HashData(Certificate.RawData));

        public string CertFull => Hex(Certificate.RawData);

        public static string Hex(byte[] bytes) => Convert.ToHexString(bytes);
    }

    /// <summary>
    /// The one test PKI (issue 17: one of each test helper), made in memory with the BCL's CertificateRequest (ECDSA
    /// P-256); nothing touches the machine's trust store: tests pass a root as a trust anchor.
    /// <list type="bullet">
    /// <item>The static factories make certificates around the fixed validation time <see cref="Now"/>, for offline
    /// decision tests that pass that time in (DANE matching, name checks). They skip the BCL's issuer checks, so a test
    /// can build the broken chains it needs.</item>
    /// <item>An instance is a ready root → intermediate chain valid around the machine's clock at construction, with a
    /// temporary folder where <see cref="Write"/> puts PEM files for the test SMTP peer: for live TLS sessions and the
    /// PKIX validator, which read the real clock.</item>
    /// </list>
    /// </summary>
    public sealed class TestPki : IDisposable
    {
        /// <summary>The validation time of the offline tests: the static factories make certificates around it.</summary>
        public static readonly DateTimeOffset Now = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

        private const string ServerAuth = "1.3.6.1.5.5.7.3.1";

        private readonly string _dir = Path.Combine(Path.GetTempPath(), "mailsecurity-pki-" + Guid.NewGuid().ToString("N"));

        public TestPki()
        {
            // One clock reading for the whole chain: a CA made a second later must not outlive its issuer.
            Epoch = DateTimeOffset.UtcNow;
            Directory.CreateDirectory(_dir);
            RootCa = OtherRoot("MailSecurity Test Root");
            IssuingCa = Intermediate(RootCa, "MailSecurity Test Intermediate", pathLength: 0, notBefore: Epoch.AddDays(-365), notAfter: Epoch.AddYears(5));
        }

        /// <summary>The machine's clock when this PKI was made.</summary>
        public DateTimeOffset Epoch { get; }

        /// <summary>The root (path length 1): the trust anchor the tests pass.</summary>
        public TestCert RootCa { get; }

        /// <summary>The intermediate (path length 0) that issues <see cref="IssueLeaf"/>'s certificates.</summary>
        public TestCert IssuingCa { get; }

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

        /// <summary>A server certificate; <paramref name="eku"/> adds an extended key usage (none: any purpose).</summary>
        public static TestCert Leaf(TestCert issuer, string cn, IEnumerable<string>? dnsNames = null, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, string? eku = null)
        {
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = LeafRequest(cn, dnsNames, key, eku);
            return Sign(request, key, issuer, notBefore ?? Now.AddDays(-30), notAfter ?? Now.AddDays(60));
        }

        public static TestCert SelfSignedLeaf(string cn, IEnumerable<string>? dnsNames = null, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, string? eku = null)
        {
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = LeafRequest(cn, dnsNames, key, eku);
            var cert = request.Create(request.SubjectName, X509SignatureGenerator.CreateForECDsa(key), notBefore ?? Now.AddDays(-30), notAfter ?? Now.AddDays(60), Serial());
            return new TestCert(cert, key);
        }

        public static IReadOnlyList<X509Certificate2> Chain(params TestCert[] certs) => certs.Select(c => c.Certificate).ToList();

        /// <summary>A server certificate for <paramref name="name"/> from <see cref="IssuingCa"/>, valid around the machine's clock unless told.</summary>
        public TestCert IssueLeaf(string name, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, string eku = ServerAuth)
            => Leaf(IssuingCa, name, new[] { name }, notBefore ?? Epoch.AddDays(-1), notAfter ?? Epoch.AddDays(90), eku);

        /// <summary>A self-signed server certificate valid around the machine's clock.</summary>
        public TestCert SelfSigned(string name) => SelfSignedLeaf(name, new[] { name }, Epoch.AddDays(-1), Epoch.AddDays(90), ServerAuth);

        /// <summary>A root valid around the machine's clock, other than <see cref="RootCa"/> (or it, when made by the constructor).</summary>
        public TestCert OtherRoot(string cn) => Root(cn, pathLength: 1, notBefore: Epoch.AddDays(-365), notAfter: Epoch.AddYears(5));

        /// <summary>Writes the leaf's key and the chain (leaf, then <paramref name="rest"/> in order) as PEM; returns the two paths.</summary>
        public (string Chain, string Key) Write(string name, TestCert leaf, params TestCert[] rest)
        {
            var chainPath = Path.Combine(_dir, name + ".chain.pem");
            var keyPath = Path.Combine(_dir, name + ".key");
            using (var w = new StreamWriter(chainPath))
            {
                foreach (var c in rest.Prepend(leaf))
                {
                    w.WriteLine(c.Certificate.ExportCertificatePem());
                }
            }

            File.WriteAllText(keyPath, leaf.Key.ExportPkcs8PrivateKeyPem());
            return (chainPath, keyPath);
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(_dir, true);
            }
            catch (IOException)
            {
            }
        }

        private static CertificateRequest LeafRequest(string cn, IEnumerable<string>? dnsNames, ECDsa key, string? eku)
        {
            var request = new CertificateRequest(new X500DistinguishedName("CN=" + cn), key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            if (eku != null)
            {
                request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
                request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid(eku) }, false));
            }

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
