using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MailSecurity.Tests.Tls
{
    /// <summary>
    /// A throw-away PKI made in memory for offline tests (root → intermediate → leaves), written as PEM files the
    /// test SMTP peer loads. Nothing touches the machine's trust store: tests pass the root as a trust anchor.
    /// </summary>
    internal sealed class TestPki : IDisposable
    {
        private static readonly DateTimeOffset Epoch = DateTimeOffset.UtcNow;

        private readonly string _dir = Path.Combine(Path.GetTempPath(), "mailsecurity-pki-" + Guid.NewGuid().ToString("N"));

        public TestPki()
        {
            Directory.CreateDirectory(_dir);
            Root = CreateCa("MailSecurity Test Root", null, pathLength: 1);
            Intermediate = CreateCa("MailSecurity Test Intermediate", Root, pathLength: 0);
        }

        public X509Certificate2 Root { get; }

        public X509Certificate2 Intermediate { get; }

        public static X509Certificate2 CreateCa(string name, X509Certificate2? issuer, int pathLength)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var req = new CertificateRequest($"CN={name}, O=MailSecurity Tests", key, HashAlgorithmName.SHA256);
            req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, pathLength, true));
            req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            var ski = new X509SubjectKeyIdentifierExtension(req.PublicKey, false);
            req.CertificateExtensions.Add(ski);
            // One clock reading for the whole PKI: a child CA made a second later must not outlive its issuer.
            var notBefore = Epoch.AddDays(-365);
            var notAfter = Epoch.AddYears(5);
            if (issuer is null)
            {
                return req.CreateSelfSigned(notBefore, notAfter);
            }

            req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
            using var signed = req.Create(issuer, notBefore, notAfter, Serial());
            return signed.CopyWithPrivateKey(key);
        }

        /// <summary>A server certificate. <paramref name="issuer"/> null makes it self-signed.</summary>
        public static X509Certificate2 CreateLeaf(X509Certificate2? issuer, string commonName, IEnumerable<string>? dnsNames, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, string eku = "1.3.6.1.5.5.7.3.1")
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var req = new CertificateRequest($"CN={commonName}, O=MailSecurity Tests", key, HashAlgorithmName.SHA256);
            req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid(eku) }, false));
            if (dnsNames != null)
            {
                var san = new SubjectAlternativeNameBuilder();
                var any = false;
                foreach (var n in dnsNames)
                {
                    san.AddDnsName(n);
                    any = true;
                }

                if (any)
                {
                    req.CertificateExtensions.Add(san.Build());
                }
            }

            req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
            var from = notBefore ?? Epoch.AddDays(-1);
            var to = notAfter ?? Epoch.AddDays(90);
            if (issuer is null)
            {
                return req.CreateSelfSigned(from, to);
            }

            req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
            using var signed = req.Create(issuer, from, to, Serial());
            return signed.CopyWithPrivateKey(key);
        }

        public X509Certificate2 Leaf(string name, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
            => CreateLeaf(Intermediate, name, new[] { name }, notBefore, notAfter);

        /// <summary>Writes the key and the chain (<paramref name="chain"/> in order) as PEM; returns (chainPath, keyPath).</summary>
        public (string Chain, string Key) Write(string name, X509Certificate2 leaf, params X509Certificate2[] rest)
        {
            var chainPath = Path.Combine(_dir, name + ".chain.pem");
            var keyPath = Path.Combine(_dir, name + ".key");
            using (var w = new StreamWriter(chainPath))
            {
                w.WriteLine(leaf.ExportCertificatePem());
                foreach (var c in rest)
                {
                    w.WriteLine(c.ExportCertificatePem());
                }
            }

            using var key = leaf.GetECDsaPrivateKey() ?? throw new InvalidOperationException("no key");
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
            return (chainPath, keyPath);
        }

        /// <summary>Public-only copies, as a server would present them.</summary>
        public static X509Certificate2 Public(X509Certificate2 c) => X509CertificateLoader.LoadCertificate(c.RawData);

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

        private static byte[] Serial()
        {
            var serial = new byte[12];
            RandomNumberGenerator.Fill(serial);
            serial[0] &= 0x7F;
            return serial;
        }
    }
}
