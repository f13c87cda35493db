using System;
using System.Linq;
using System.Security.Cryptography;
using MailSecurity.Dkim;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Xunit;

namespace MailSecurity.Tests.Dkim
{
    public class DkimKeyRecordParserTests
    {
        private static DkimKey Parse(string record) => DkimKeyRecordParser.Parse("example.com", "s1", record);

        private static bool Has(DkimKey k, FindingDescriptor d) => k.Findings.Any(f => f.Code == d.Code);

        /// <summary>An RSA SubjectPublicKeyInfo whose modulus has exactly <paramref name="bits"/> bits (top bit set, odd).</summary>
        private static string RsaSpki(int bits)
        {
            var modulus = BigInteger.One.ShiftLeft(bits - 1).Add(BigInteger.One);
            var spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance), new RsaPublicKeyStructure(modulus, BigInteger.ValueOf(65537)));
            return Convert.ToBase64String(spki.GetDerEncoded());
        }

        [Fact]
        public void Rsa_key_size_is_the_modulus_length_of_a_real_key()
        {
            using var rsa = RSA.Create(2048);
            var key = Parse("v=DKIM1; k=rsa; p=" + Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()));
            Assert.Equal(DkimKeyStatus.Valid, key.Status);
            Assert.Equal(DkimKeyType.Rsa, key.KeyType);
            Assert.Equal(2048, key.KeySize);
            Assert.Equal("SubjectPublicKeyInfo", key.KeyEncoding);
            Assert.Empty(key.Findings);
        }

        [Theory]
        [InlineData(512, DkimKeyStatus.Invalid)]   // RFC 8301 §3.2: verifiers MUST NOT accept < 1024
        [InlineData(1023, DkimKeyStatus.Invalid)]
        [InlineData(1024, DkimKeyStatus.Weak)]     // signers SHOULD use >= 2048
        [InlineData(2047, DkimKeyStatus.Weak)]
        [InlineData(2048, DkimKeyStatus.Valid)]
        [InlineData(4096, DkimKeyStatus.Valid)]
        public void Rsa_key_size_thresholds_follow_rfc8301(int bits, DkimKeyStatus expected)
        {
            var key = Parse("v=DKIM1; p=" + RsaSpki(bits));
            Assert.Equal(bits, key.KeySize);
            Assert.Equal(expected, key.Status);
            Assert.Equal(bits < 1024, Has(key, DkimFindings.RsaKeyTooShort));
            Assert.Equal(bits >= 1024 && bits < 2048, Has(key, DkimFindings.RsaKeyWeak));
        }

        [Fact]
        public void Bare_rsa_public_key_is_sized_and_flagged()
        {
            using var rsa = RSA.Create(1024);
            var key = Parse("v=DKIM1; p=" + Convert.ToBase64String(rsa.ExportRSAPublicKey()));
            Assert.Equal(1024, key.KeySize);
            Assert.Equal("RSAPublicKey", key.KeyEncoding);
            Assert.True(Has(key, DkimFindings.KeyNotSubjectPublicKeyInfo));
        }

        [Fact]
        public void Ed25519_key_from_rfc8463_appendix_a_is_256_bits()
        {
            var key = Parse("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
            Assert.Equal(DkimKeyType.Ed25519, key.KeyType);
            Assert.Equal(256, key.KeySize);
            Assert.Equal(DkimKeyStatus.Valid, key.Status);
        }

        [Fact]
        public void Ed25519_key_of_the_wrong_length_is_unusable()
        {
            var key = Parse("v=DKIM1; k=ed25519; p=" + Convert.ToBase64String(new byte[31]));
            Assert.Equal(DkimKeyStatus.Invalid, key.Status);
            Assert.True(Has(key, DkimFindings.KeyUnparseable));
        }

        [Fact]
        public void Non_rsa_key_under_k_rsa_is_unusable()
        {
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var key = Parse("v=DKIM1; k=rsa; p=" + Convert.ToBase64String(ec.ExportSubjectPublicKeyInfo()));
            Assert.Equal(DkimKeyStatus.Invalid, key.Status);
            Assert.Contains(key.Findings, f => f.Code == DkimFindings.KeyUnparseable.Code && f.Message.Contains("1.2.840.10045.2.1"));
        }

        [Fact]
        public void Empty_p_means_revoked()
        {
            var key = Parse("v=DKIM1; k=rsa; p=");
            Assert.Equal(DkimKeyStatus.Revoked, key.Status);
            Assert.True(key.IsRevoked);
            Assert.Null(key.KeySize);
            Assert.True(Has(key, DkimFindings.KeyRevoked));
        }

        [Theory]
        [InlineData("k=rsa; v=DKIM1; p=AAAA")]   // v must be first
        [InlineData("v=DKIM2; p=AAAA")]           // only DKIM1
        [InlineData("v=DKIM1; k=rsa")]            // p= required
        [InlineData("v=DKIM1; p=AAAA; p=BBBB")]   // duplicate tag invalidates the tag-list (RFC 6376 §3.2)
        [InlineData("v=DKIM1; p=not*base64")]
        public void Syntax_errors_make_the_key_invalid(string record)
        {
            var key = Parse(record);
            Assert.Equal(DkimKeyStatus.Invalid, key.Status);
            Assert.True(Has(key, DkimFindings.KeySyntaxError));
        }

        [Fact]
        public void Unknown_key_type_is_unusable()
        {
            var key = Parse("v=DKIM1; k=dsa; p=AAAA");
            Assert.Equal(DkimKeyType.Unknown, key.KeyType);
            Assert.True(Has(key, DkimFindings.UnknownKeyType));
        }

        [Theory]
        [InlineData("sha1", true, false)]
        [InlineData("sha1:sha256", false, false)]
        [InlineData("sha256", false, false)]
        [InlineData("md5", false, true)]
        public void Hash_restrictions_are_judged(string h, bool sha1Only, bool noUsable)
        {
            var key = Parse($"v=DKIM1; h={h}; p=" + RsaSpki(2048));
            Assert.Equal(sha1Only, Has(key, DkimFindings.Sha1Only));
            Assert.Equal(noUsable, Has(key, DkimFindings.NoUsableHashAlgorithm));
            Assert.Equal(sha1Only || noUsable ? DkimKeyStatus.Invalid : DkimKeyStatus.Valid, key.Status);
        }

        [Fact]
        public void Flags_and_services_are_reported()
        {
            var testing = Parse("v=DKIM1; t=y:s; p=" + RsaSpki(2048));
            Assert.True(testing.IsTesting);
            Assert.True(Has(testing, DkimFindings.TestingMode));
            Assert.Equal(new[] { "y", "s" }, testing.Flags);

            var strictOnly = Parse("v=DKIM1; t=s; p=" + RsaSpki(2048));
            Assert.False(strictOnly.IsTesting);

            Assert.True(Has(Parse("v=DKIM1; s=tlsrpt; p=" + RsaSpki(2048)), DkimFindings.NotForEmail));
            Assert.False(Has(Parse("v=DKIM1; s=email:tlsrpt; p=" + RsaSpki(2048)), DkimFindings.NotForEmail));
            Assert.Equal(new[] { "*" }, Parse("v=DKIM1; p=" + RsaSpki(2048)).ServiceTypes);
        }

        [Fact]
        public void Folding_white_space_inside_p_is_ignored()
        {
            var b64 = RsaSpki(2048);
            var folded = string.Join(" ", Enumerable.Range(0, (b64.Length + 63) / 64).Select(i => b64.Substring(i * 64, Math.Min(64, b64.Length - i * 64))));
            var key = Parse("v=DKIM1; p=" + folded);
            Assert.Equal(2048, key.KeySize);
            Assert.Equal(b64, key.PublicKey);
        }

        [Fact]
        public void Hostile_records_give_findings_not_crashes()
        {
            var control = Parse("v=DKIM1; p=AB\u0000CD");
            Assert.Equal(DkimKeyStatus.Invalid, control.Status);

            var huge = Parse("v=DKIM1; p=" + new string('A', 10_000));
            Assert.Equal(DkimKeyStatus.Invalid, huge.Status);
            Assert.True(Has(huge, DkimFindings.KeyUnparseable));
        }

        [Theory]
        [InlineData("v=DKIM1; p=AAAA", true)]
        [InlineData("k=rsa", true)]
        [InlineData("v=spf1 -all", false)]
        [InlineData("google-site-verification=abc", false)]
        public void Key_records_are_told_apart_from_stray_txt(string text, bool expected)
        {
            Assert.Equal(expected, DkimKeyRecordParser.IsKeyRecord(text));
        }
    }
}
