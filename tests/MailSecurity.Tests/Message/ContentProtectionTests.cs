using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Tasks;
using MailSecurity.Message;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Xunit;
using X509KeyUsageFlags = System.Security.Cryptography.X509Certificates.X509KeyUsageFlags;

namespace MailSecurity.Tests.Message
{
    /// <summary>
    /// Message-level protection (draft-ietf-emailcore-as §6.2, §6.4): S/MIME signed, opaque-signed and encrypted messages
    /// made here with MimeKit from certificates of a CA made here, and OpenPGP messages made with BouncyCastle. Every
    /// expectation is what the test chose when it built the message (signer, digest, key size, cipher, key id), never
    /// what the reader returned. The lab test (MessageProtection.Tests.ps1) does the same with openssl and gpg.
    /// </summary>
    public sealed class ContentProtectionTests : IClassFixture<ContentProtectionTests.Certificates>
    {
        private const string Alice = "alice@example.org";
        private readonly X509Certificate2 _root;
        private readonly X509Certificate2 _alice;

        public ContentProtectionTests(Certificates certificates)
        {
            _root = certificates.Root;
            _alice = certificates.Alice;
        }

        /// <summary>The test CA and Alice's certificate, made once for the class (RSA key generation is slow).</summary>
        public sealed class Certificates : IDisposable
        {
            public Certificates()
            {
                Root = MakeRoot("CN=Protection Test Root");
                Alice = MakeLeaf(Root, "CN=Alice", ContentProtectionTests.Alice, 2048);
            }

            public X509Certificate2 Root { get; }

            public X509Certificate2 Alice { get; }

            public void Dispose()
            {
                Root.Dispose();
                Alice.Dispose();
            }
        }

        [Fact]
        public async Task A_detached_smime_signature_from_a_trusted_ca_passes_with_signer_and_algorithms()
        {
            var path = await Analyze(Build(Signed(_alice, DigestAlgorithm.Sha256)), _root);
            var p = path.Protection;
            Assert.Equal(ContentProtectionFormat.SMime, p.SignatureFormat);
            Assert.True(p.Signed);
            Assert.False(p.Encrypted);
            Assert.True(p.WholeMessage);
            Assert.Equal("multipart/signed; protocol=application/pkcs7-signature", p.Structure);
            var s = Assert.Single(p.Signatures);
            Assert.Equal(ContentSignatureResult.Pass, s.Result);
            Assert.True(s.SignatureValid);
            Assert.True(s.CertificateValid);
            Assert.Equal("CN=Alice", s.Signer);
            Assert.Equal(new[] { Alice }, s.SignerAddresses);
            Assert.True(s.SignerMatchesSender);
            Assert.Equal("SHA-256", s.DigestAlgorithm);
            Assert.Equal("RSA", s.KeyAlgorithm);
            Assert.Equal(2048, s.KeySize);
            Assert.Equal(_alice.Thumbprint, s.Thumbprint);
            Assert.Equal(_alice.RawData, s.GetSignerCertificate()!.RawData);
            Assert.Contains(path.Findings, f => f.Code == "Smime.SignatureValid");
            Assert.Equal("S/MIME signed (Pass)", path.ContentProtection);
            Assert.Equal(ContentSignatureResult.Pass, path.ContentSignatureResult);
        }

        [Fact]
        public async Task A_signed_message_saved_with_unix_line_ends_still_passes()
        {
            var bytes = Build(Signed(_alice, DigestAlgorithm.Sha256), NewLineFormat.Unix);
            Assert.DoesNotContain((byte)'\r', bytes);
            var path = await Analyze(bytes, _root);
            Assert.Equal(ContentSignatureResult.Pass, Assert.Single(path.Protection.Signatures).Result);
        }

        [Fact]
        public async Task The_x_pkcs7_spelling_of_older_agents_is_read_too()
        {
            var text = Encoding.ASCII.GetString(Build(Signed(_alice, DigestAlgorithm.Sha256)));
            Assert.Contains("application/pkcs7-signature", text);
            var path = await Analyze(Encoding.ASCII.GetBytes(text.Replace("application/pkcs7-signature", "application/x-pkcs7-signature")), _root);
            Assert.Equal("multipart/signed; protocol=application/x-pkcs7-signature", path.Protection.Structure);
            Assert.Equal(ContentSignatureResult.Pass, Assert.Single(path.Protection.Signatures).Result);
        }

        [Fact]
        public async Task A_changed_signed_body_fails()
        {
            var text = Encoding.ASCII.GetString(Build(Signed(_alice, DigestAlgorithm.Sha256)));
            Assert.Contains("Meet at noon.", text);
            var path = await Analyze(Encoding.ASCII.GetBytes(text.Replace("Meet at noon.", "Meet at 1 pm.")), _root);
            var s = Assert.Single(path.Protection.Signatures);
            Assert.Equal(ContentSignatureResult.Fail, s.Result);
            Assert.False(s.SignatureValid);
            Assert.Contains(path.Findings, f => f.Code == "Smime.SignatureInvalid" && f.Severity == Severity.Error);
        }

        [Fact]
        public async Task A_signer_from_an_untrusted_ca_verifies_but_its_certificate_does_not()
        {
            using var otherRoot = MakeRoot("CN=Someone Else Root");
            var path = await Analyze(Build(Signed(_alice, DigestAlgorithm.Sha256)), otherRoot);
            var s = Assert.Single(path.Protection.Signatures);
            Assert.Equal(ContentSignatureResult.CertificateInvalid, s.Result);
            Assert.True(s.SignatureValid);
            Assert.False(s.CertificateValid);
            Assert.True((s.CertificateProblems & (CertificateProblems.Untrusted | CertificateProblems.IncompleteChain)) != 0);
            Assert.Contains(path.Findings, f => f.Code == "Smime.CertificateInvalid");
        }

        [Fact]
        public async Task A_certificate_for_another_address_is_flagged_rfc8550_section_3()
        {
            using var bob = MakeLeaf(_root, "CN=Bob", "bob@example.net", 2048);
            var path = await Analyze(Build(Signed(bob, DigestAlgorithm.Sha256)), _root);
            var s = Assert.Single(path.Protection.Signatures);
            Assert.Equal(ContentSignatureResult.Pass, s.Result);
            Assert.False(s.SignerMatchesSender);
            Assert.Contains(path.Findings, f => f.Code == "Smime.SignerNotSender");
        }

        [Fact]
        public async Task Sha1_and_a_1024_bit_key_are_weak_rfc8551()
        {
            using var weak = MakeLeaf(_root, "CN=Alice Old", Alice, 1024);
            var path = await Analyze(Build(Signed(weak, DigestAlgorithm.Sha1)), _root);
            var s = Assert.Single(path.Protection.Signatures);
            Assert.Equal("SHA-1", s.DigestAlgorithm);
            Assert.Equal(1024, s.KeySize);
            var finding = Assert.Single(path.Findings, f => f.Code == "Smime.WeakAlgorithm");
            Assert.Contains("SHA-1", finding.Message);
            Assert.Contains("1024-bit RSA", finding.Message);
        }

        [Fact]
        public async Task An_opaque_signed_data_message_passes()
        {
            using var ctx = new TemporarySecureMimeContext();
            var body = ApplicationPkcs7Mime.Sign(ctx, new CmsSigner(_alice) { DigestAlgorithm = DigestAlgorithm.Sha384 }, Content());
            var path = await Analyze(Build(body), _root);
            Assert.Equal("application/pkcs7-mime; smime-type=signed-data", path.Protection.Structure);
            var s = Assert.Single(path.Protection.Signatures);
            Assert.Equal(ContentSignatureResult.Pass, s.Result);
            Assert.Equal("SHA-384", s.DigestAlgorithm);
        }

        [Theory]
        [InlineData(EncryptionAlgorithm.Aes256, "AES-256-CBC", false)]
        [InlineData(EncryptionAlgorithm.Aes128, "AES-128-CBC", false)]
        [InlineData(EncryptionAlgorithm.TripleDes, "3DES-CBC", true)]
        public async Task Enveloped_data_gives_its_cipher_and_recipient(EncryptionAlgorithm cipher, string name, bool weak)
        {
            using var ctx = new TemporarySecureMimeContext();
            var recipients = new CmsRecipientCollection { new CmsRecipient(_alice) { EncryptionAlgorithms = new[] { cipher } } };
            var body = ApplicationPkcs7Mime.Encrypt(ctx, recipients, Content());
            var path = await Analyze(Build(body), _root);
            var p = path.Protection;
            Assert.True(p.Encrypted);
            Assert.Null(p.Signed);
            Assert.Equal(ContentProtectionFormat.SMime, p.EncryptionFormat);
            Assert.Equal(name, p.EncryptionAlgorithm);
            Assert.Equal($"CN=Protection Test Root, serial {_alice.SerialNumber}", Assert.Single(p.Recipients));
            Assert.Contains(path.Findings, f => f.Code == "Smime.Encrypted");
            Assert.Equal(weak, path.Findings.Any(f => f.Code == "Smime.WeakAlgorithm"));
            Assert.True(path.ContentEncrypted);
        }

        [Fact]
        public async Task Headers_only_say_signed_but_not_verified()
        {
            var full = Encoding.ASCII.GetString(Build(Signed(_alice, DigestAlgorithm.Sha256)));
            var headers = full.Substring(0, full.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4);
            var path = await new MessagePathAnalyzer(null).AnalyzeHeaderTextAsync(headers);
            Assert.False(path.BodyAvailable);
            Assert.Equal(ContentProtectionFormat.SMime, path.Protection.SignatureFormat);
            Assert.Equal(ContentSignatureResult.NotVerified, Assert.Single(path.Protection.Signatures).Result);
            Assert.Contains(path.Findings, f => f.Code == "Smime.NotVerified");
        }

        [Fact]
        public async Task Verification_switched_off_still_names_the_signer()
        {
            var path = await new MessagePathAnalyzer(null, new MessagePathOptions { VerifySignatures = false }).AnalyzeAsync(Build(Signed(_alice, DigestAlgorithm.Sha256)), "t");
            var s = Assert.Single(path.Protection.Signatures);
            Assert.Equal(ContentSignatureResult.NotVerified, s.Result);
            Assert.Equal("CN=Alice", s.Signer);
            Assert.Null(s.SignatureValid);
        }

        [Theory]
        [InlineData("bm90IGEgQ01TIHN0cnVjdHVyZQ==")]
        [InlineData("")]
        [InlineData("MIAGCSqGSIb3DQEHAqCAMIACAQExDzANBglghkgBZQMEAgEFADCABgkqhkiG9w0BBwEAAA==")]
        public async Task A_malformed_signature_part_is_a_finding_not_an_exception(string base64)
        {
            var text = "From: alice@example.org\r\nSubject: bad\r\nMIME-Version: 1.0\r\n" +
                "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=\"b\"\r\n\r\n" +
                "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
                base64 + "\r\n--b--\r\n";
            var path = await Analyze(Encoding.ASCII.GetBytes(text), _root);
            Assert.True(path.Protection.Signed);
            Assert.Equal(ContentSignatureResult.PermError, Assert.Single(path.Protection.Signatures).Result);
            Assert.Contains(path.Findings, f => f.Code == "Smime.Malformed");
        }

        [Fact]
        public async Task A_signed_part_beside_a_list_footer_covers_part_of_the_message_only()
        {
            var mixed = new Multipart("mixed") { Signed(_alice, DigestAlgorithm.Sha256), new TextPart("plain") { Text = "-- \r\nlist footer\r\n" } };
            var path = await Analyze(Build(mixed), _root);
            Assert.False(path.Protection.WholeMessage);
            Assert.Equal(ContentSignatureResult.Pass, path.Protection.SignatureResult);
            Assert.Contains(path.Findings, f => f.Code == "Message.ProtectedPartOnly");
            Assert.EndsWith("part of the message only", path.ContentProtection);
        }

        [Fact]
        public async Task A_plain_message_is_unprotected()
        {
            var path = await Analyze(Build(Content()), _root);
            Assert.False(path.Protection.Signed);
            Assert.False(path.Protection.Encrypted);
            Assert.Equal("none", path.ContentProtection);
            Assert.Null(path.ContentSignatureResult);
            Assert.DoesNotContain(path.Findings, f => f.Code.StartsWith("Smime.", StringComparison.Ordinal) || f.Code.StartsWith("OpenPgp.", StringComparison.Ordinal));
        }

        [Fact]
        public async Task A_pgp_mime_signature_gives_key_id_and_algorithms_unverified()
        {
            var (secret, _) = PgpKey();
            var signature = PgpSign(secret, HashAlgorithmTag.Sha512, Encoding.ASCII.GetBytes("Content-Type: text/plain\r\n\r\nMeet at noon.\r\n"));
            var text = "From: alice@example.org\r\nSubject: pgp\r\nMIME-Version: 1.0\r\n" +
                "Content-Type: multipart/signed; micalg=pgp-sha512; protocol=\"application/pgp-signature\"; boundary=\"b\"\r\n\r\n" +
                "--b\r\nContent-Type: text/plain\r\n\r\nMeet at noon.\r\n--b\r\nContent-Type: application/pgp-signature; name=signature.asc\r\n\r\n" +
                signature + "\r\n--b--\r\n";
            var path = await Analyze(Encoding.ASCII.GetBytes(text), _root);
            var p = path.Protection;
            Assert.Equal(ContentProtectionFormat.OpenPgp, p.SignatureFormat);
            var s = Assert.Single(p.Signatures);
            Assert.Equal(ContentSignatureResult.NotVerified, s.Result);
            Assert.Equal(secret.KeyId.ToString("X16"), s.KeyId);
            Assert.Equal("SHA-512", s.DigestAlgorithm);
            Assert.Equal("RSA", s.KeyAlgorithm);
            Assert.Contains(path.Findings, f => f.Code == "OpenPgp.Signed");
        }

        [Fact]
        public async Task A_pgp_mime_encrypted_message_gives_its_recipient_key()
        {
            var (_, publicKey) = PgpKey();
            var armored = PgpEncrypt(publicKey, Encoding.ASCII.GetBytes("secret"));
            var text = "From: alice@example.org\r\nSubject: pgp\r\nMIME-Version: 1.0\r\n" +
                "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"b\"\r\n\r\n" +
                "--b\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n--b\r\nContent-Type: application/octet-stream\r\n\r\n" +
                armored + "\r\n--b--\r\n";
            var path = await Analyze(Encoding.ASCII.GetBytes(text), _root);
            var p = path.Protection;
            Assert.True(p.Encrypted);
            Assert.Equal(ContentProtectionFormat.OpenPgp, p.EncryptionFormat);
            Assert.Equal(new[] { publicKey.KeyId.ToString("X16") }, p.Recipients);
            Assert.Contains(path.Findings, f => f.Code == "OpenPgp.Encrypted");
        }

        [Fact]
        public async Task An_inline_cleartext_signature_is_openpgp_signed()
        {
            var (secret, _) = PgpKey();
            var signature = PgpSign(secret, HashAlgorithmTag.Sha256, Encoding.ASCII.GetBytes("Meet at noon."));
            var text = "From: alice@example.org\r\nSubject: inline\r\n\r\n-----BEGIN PGP SIGNED MESSAGE-----\r\nHash: SHA256\r\n\r\nMeet at noon.\r\n" + signature + "\r\n";
            var path = await Analyze(Encoding.ASCII.GetBytes(text), _root);
            Assert.Equal(ContentProtectionFormat.OpenPgp, path.Protection.SignatureFormat);
            Assert.Equal(secret.KeyId.ToString("X16"), Assert.Single(path.Protection.Signatures).KeyId);
        }

        [Fact]
        public async Task A_pgp_signature_part_with_garbage_is_malformed()
        {
            var text = "From: alice@example.org\r\nSubject: pgp\r\nMIME-Version: 1.0\r\n" +
                "Content-Type: multipart/signed; protocol=\"application/pgp-signature\"; boundary=\"b\"\r\n\r\n" +
                "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b\r\nContent-Type: application/pgp-signature\r\n\r\n-----BEGIN PGP SIGNATURE-----\r\n\r\nAAAA\r\n-----END PGP SIGNATURE-----\r\n--b--\r\n";
            var path = await Analyze(Encoding.ASCII.GetBytes(text), _root);
            Assert.Equal(ContentSignatureResult.PermError, Assert.Single(path.Protection.Signatures).Result);
            Assert.Contains(path.Findings, f => f.Code == "OpenPgp.Malformed");
        }

        private static Task<MessagePath> Analyze(byte[] bytes, X509Certificate2 anchor)
            => new MessagePathAnalyzer(null, new MessagePathOptions { TrustAnchors = new[] { anchor } }).AnalyzeAsync(bytes, "test");

        private static TextPart Content() => new TextPart("plain") { Text = "Meet at noon.\r\n" };

        private static MultipartSigned Signed(X509Certificate2 signer, DigestAlgorithm digest)
        {
            using var ctx = new TemporarySecureMimeContext();
            return MultipartSigned.Create(ctx, new CmsSigner(signer) { DigestAlgorithm = digest }, Content());
        }

        private static byte[] Build(MimeEntity body, NewLineFormat newLines = NewLineFormat.Dos)
        {
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse(Alice));
            message.To.Add(MailboxAddress.Parse("bob@example.net"));
            message.Subject = "protected";
            message.Date = new DateTimeOffset(2024, 5, 14, 10, 0, 0, TimeSpan.Zero);
            message.Headers.Add("Received", "from a.example.org (a.example.org [192.0.2.1]) by mx.example.net with ESMTPS id 1; Tue, 14 May 2024 10:00:01 +0000");
            message.Body = body;
            using var stream = new MemoryStream();
            var options = FormatOptions.Default.Clone();
            options.NewLineFormat = newLines;
            message.WriteTo(options, stream);
            return stream.ToArray();
        }

        private static X509Certificate2 MakeRoot(string subject)
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        }

        private static X509Certificate2 MakeLeaf(X509Certificate2 issuer, string subject, string email, int bits)
        {
            using var key = RSA.Create(bits);
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            san.AddEmailAddress(email);
            request.CertificateExtensions.Add(san.Build());
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.4") }, false));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
            var serial = new byte[8];
            RandomNumberGenerator.Fill(serial);
            serial[0] = 0x12;
            using var cert = request.Create(issuer, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6), serial);
            return cert.CopyWithPrivateKey(key);
        }

        private static (PgpSecretKey Secret, PgpPublicKey Public) PgpKey()
        {
            var generator = new RsaKeyPairGenerator();
            generator.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(65537), new SecureRandom(), 2048, 12));
            var pair = new PgpKeyPair(PublicKeyAlgorithmTag.RsaGeneral, generator.GenerateKeyPair(), DateTime.UtcNow);
            var secret = new PgpSecretKey(PgpSignature.DefaultCertification, pair, "Alice <alice@example.org>", SymmetricKeyAlgorithmTag.Aes256,
                Array.Empty<char>(), true, null, null, new SecureRandom());
            return (secret, secret.PublicKey);
        }

        private static string PgpSign(PgpSecretKey secret, HashAlgorithmTag hash, byte[] data)
        {
            var generator = new PgpSignatureGenerator(secret.PublicKey.Algorithm, hash);
            generator.InitSign(PgpSignature.BinaryDocument, secret.ExtractPrivateKey(Array.Empty<char>()));
            generator.Update(data);
            using var output = new MemoryStream();
            using (var armor = new ArmoredOutputStream(output))
            {
                generator.Generate().Encode(armor);
            }

            return Encoding.ASCII.GetString(output.ToArray());
        }

        private static string PgpEncrypt(PgpPublicKey key, byte[] data)
        {
            var generator = new PgpEncryptedDataGenerator(SymmetricKeyAlgorithmTag.Aes256, true, new SecureRandom());
            generator.AddMethod(key);
            using var output = new MemoryStream();
            using (var armor = new ArmoredOutputStream(output))
            using (var encrypted = generator.Open(armor, new byte[4096]))
            {
                var literal = new PgpLiteralDataGenerator();
                using var literalStream = literal.Open(encrypted, PgpLiteralData.Binary, "msg", data.Length, DateTime.UtcNow);
                literalStream.Write(data, 0, data.Length);
            }

            return Encoding.ASCII.GetString(output.ToArray());
        }
    }
}
