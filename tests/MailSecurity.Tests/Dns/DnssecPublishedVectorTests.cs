using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using DnsClient;
using DnsClient.Protocol;
using MailSecurity.Dns.Dnssec;
using Org.BouncyCastle.Crypto.Parameters;
using Xunit;

namespace MailSecurity.Tests.Dns
{
    /// <summary>
    /// The published DNSSEC examples, through the validator's own signature check (RFC 4035 §5.3: signed data built from
    /// the RRSIG RDATA and the RRset in canonical form, RFC 4034 §3.1.8.1, §6), key tags (RFC 4034 App. B) and DS digests.
    /// </summary>
    /// <remarks>
    /// Sources (transcribed by hand; RFC text © IETF Trust, used under BCP 78 and the IETF Trust Legal Provisions, code
    /// components under the Simplified BSD License):
    /// - RFC 8080 §6.1, Ed25519, as corrected by verified Errata ID 4935
    ///   (https://www.rfc-editor.org/rfc/inline-errata/rfc8080.html): the RFC printed the RRSIGs with Labels 3 and
    ///   signatures made over that field; the erratum gives Labels 2 (example.com has two labels) and new signatures.
    ///   The private keys are published too, so the public keys are also derived from them here.
    /// - RFC 6605 §6.1 (ECDSA P-256, algorithm 13) and §6.2 (ECDSA P-384, algorithm 14).
    /// - RFC 4035 Appendix A (the example. zone, its ZSK 38519) and Appendix B.6 (the wildcard expansion a.z.w.example MX,
    ///   signed as *.w.example with Labels 2). RSA/SHA-1 (algorithm 5): the signature is checked at the crypto layer, and
    ///   the validator's policy still refuses the algorithm (RFC 9905 §2).
    /// ECDSA signatures are randomised, so they can only be verified, not reproduced; Ed25519 signing is deterministic.
    /// </remarks>
    public class DnssecPublishedVectorTests
    {
        private static readonly DateTimeOffset In2015 = new DateTimeOffset(2015, 8, 1, 0, 0, 0, TimeSpan.Zero);
        private static readonly DateTimeOffset In2010 = new DateTimeOffset(2010, 8, 20, 0, 0, 0, TimeSpan.Zero);

        public static IEnumerable<object[]> Rfc8080Ed25519 => new[]
        {
            // private key (seed), DNSKEY public key, key tag, DS SHA-256 digest, RRSIG over "example.com. 3600 IN MX 10 mail.example.com."
            new object[] { "ODIyNjAzODQ2MjgwODAxMjI2NDUxOTAyMDQxNDIyNjI=", "l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=", 3613,
                "3aa5ab37efce57f737fc1627013fee07bdf241bd10f3b1964ab55c78e79a304b",
                "oL9krJun7xfBOIWcGHi7mag5/hdZrKWw15jPGrHpjQeRAvTdszaPD+QLs3fx8A4M3e23mRZ9VrbpMngwcrqNAg==" },
            new object[] { "DSSF3o0s0f+ElWzj9E/Osxw8hLpk55chkmx0LYN5WiY=", "zPnZ/QwEe7S8C5SPz2OfS5RR40ATk2/rYnE9xHIEijs=", 35217,
                "401781b934e392de492ec77ae2e15d70f6575a1c0bc59c5275c04ebe80c6614c",
                "zXQ0bkYgQTEFyfLyi9QoiY6D8ZdYo4wyUhVioYZXFdT410QPRITQSqJSnzQoSm5poJ7gD7AQR0O7KuI5k2pcBg==" },
        };

        [Theory]
        [MemberData(nameof(Rfc8080Ed25519))]
        public void Rfc8080_ed25519_examples_verify_and_their_keys_tags_and_ds_match(string seed, string publicKey, int keyTag, string dsDigest, string signature)
        {
            // The published private key gives the published public key (RFC 8032 §5.1.5).
            var derived = new Ed25519PrivateKeyParameters(Convert.FromBase64String(seed), 0).GeneratePublicKey().GetEncoded();
            Assert.Equal(publicKey, Convert.ToBase64String(derived));

            var zone = DnssecName.Parse("example.com.");
            var key = Dnskey("example.com.", 257, 15, publicKey);
            var rdata = CanonicalForm.DnskeyRdata(key);
            Assert.Equal(keyTag, DnssecCrypto.KeyTag(rdata));
            Assert.Equal(dsDigest, Hex(DnssecCrypto.DsDigest(2, zone, rdata)!));

            var mx = new MxRecord(Info("example.com.", ResourceRecordType.MX, 3600, 20), 10, DnsString.Parse("mail.example.com."));
            var rrsig = Rrsig("example.com.", ResourceRecordType.MX, 15, 2, 3600, "20150819220000", "20150729220000", keyTag, "example.com.", signature);
            var check = SignatureCheck.Verify(zone, new[] { key }, new DnsResourceRecord[] { mx }, new[] { rrsig }, In2015);
            Assert.True(check.IsValid, check.Failure);

            // One bit of the record changed: the signature no longer verifies.
            var other = new MxRecord(Info("example.com.", ResourceRecordType.MX, 3600, 20), 11, DnsString.Parse("mail.example.com."));
            Assert.False(SignatureCheck.Verify(zone, new[] { key }, new DnsResourceRecord[] { other }, new[] { rrsig }, In2015).IsValid);
        }

        [Fact]
        public void Rfc8080_as_first_printed_labels_3_on_a_two_label_owner_is_rejected()
        {
            // The RRSIG as RFC 8080 §6.1 printed it before Errata ID 4935: Labels 3 > the owner's 2 labels, which
            // RFC 4035 §5.3.1 forbids (the signature cannot be checked against any expansion): never valid.
            var zone = DnssecName.Parse("example.com.");
            var key = Dnskey("example.com.", 257, 15, "l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=");
            var mx = new MxRecord(Info("example.com.", ResourceRecordType.MX, 3600, 20), 10, DnsString.Parse("mail.example.com."));
            var printed = Rrsig("example.com.", ResourceRecordType.MX, 15, 3, 3600, "20150819220000", "20150729220000", 3613, "example.com.",
                "Edk+IB9KNNWg0HAjm7FazXyrd5m3Rk8zNZbvNpAcM+eysqcUOMIjWoevFkjH5GaMWeG96GUVZu6ECKOQmemHDg==");
            Assert.False(SignatureCheck.Verify(zone, new[] { key }, new DnsResourceRecord[] { mx }, new[] { printed }, In2015).IsValid);
        }

        public static IEnumerable<object[]> Rfc6605Ecdsa => new[]
        {
            // algorithm, DNSKEY public key, key tag, DS digest type and digest, RRSIG (expiration, inception, signature) over "www.example.net. 3600 IN A 192.0.2.1"
            new object[] { 13, "GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==", 55648,
                2, "b4c8c1fe2e7477127b27115656ad6256f424625bf5c1e2770ce6d6e37df61d17",
                "20100909100439", "20100812100439", "qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXAyGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw==" },
            new object[] { 14, "xKYaNhWdGOfJ+nPrL8/arkwf2EY3MDJ+SErKivBVSum1w/egsXvSADtNJhyem5RCOpgQ6K8X1DRSEkrbYQ+OB+v8/uX45NBwY8rp65F6Glur8I/mlVNgF6W/qTI37m40", 10771,
                4, "72d7b62976ce06438e9c0bf319013cf801f09ecc84b8d7e9495f27e305c6a9b0563a9b5f4d288405c3008a946df983d6",
                "20100909102025", "20100812102025", "/L5hDKIvGDyI1fcARX3z65qrmPsVz73QD1Mr5CEqOiLP95hxQouuroGCeZOvzFaxsT8Glr74hbavRKayJNuydCuzWTSSPdz7wnqXL5bdcJzusdnI0RSMROxxwGipWcJm" },
        };

        [Theory]
        [MemberData(nameof(Rfc6605Ecdsa))]
        public void Rfc6605_ecdsa_examples_verify_and_their_key_tags_and_ds_match(int algorithm, string publicKey, int keyTag, int digestType, string dsDigest, string expiration, string inception, string signature)
        {
            var zone = DnssecName.Parse("example.net.");
            var key = Dnskey("example.net.", 257, algorithm, publicKey);
            var rdata = CanonicalForm.DnskeyRdata(key);
            Assert.Equal(keyTag, DnssecCrypto.KeyTag(rdata));
            Assert.Equal(dsDigest, Hex(DnssecCrypto.DsDigest(digestType, zone, rdata)!));

            var a = new ARecord(Info("www.example.net.", ResourceRecordType.A, 3600, 4), IPAddress.Parse("192.0.2.1"));
            var rrsig = Rrsig("www.example.net.", ResourceRecordType.A, algorithm, 3, 3600, expiration, inception, keyTag, "example.net.", signature);
            var check = SignatureCheck.Verify(zone, new[] { key }, new DnsResourceRecord[] { a }, new[] { rrsig }, In2010);
            Assert.True(check.IsValid, check.Failure);

            // Another address, the same signature: not valid. After the validity window: not valid (RFC 4035 §5.3.1).
            var forged = new ARecord(Info("www.example.net.", ResourceRecordType.A, 3600, 4), IPAddress.Parse("192.0.2.2"));
            Assert.False(SignatureCheck.Verify(zone, new[] { key }, new DnsResourceRecord[] { forged }, new[] { rrsig }, In2010).IsValid);
            Assert.False(SignatureCheck.Verify(zone, new[] { key }, new DnsResourceRecord[] { a }, new[] { rrsig }, In2010.AddMonths(2)).IsValid);
        }

        [Fact]
        public void Rfc4035_appendix_b6_wildcard_expansion_signature_verifies_and_algorithm_5_is_still_refused()
        {
            var key = Dnskey("example.", 256, 5, "AQOy1bZVvpPqhg4j7EJoM9rI3ZmyEx2OzDBVrZy/lvI5CQePxXHZS4i8dANH4DX3tbHol61ek8EFMcsGXxKciJFHyhl94C+NwILQdzsUlSFovBZsyl/NX6yEbtw/xN9ZNcrbYvgjjZ/UVPZIySFNsgEYvh0z2542lzMKR4Dh8uZffQ==");
            Assert.Equal(38519, DnssecCrypto.KeyTag(CanonicalForm.DnskeyRdata(key)));

            // The answer names a.z.w.example; the RRSIG's Labels 2 says it was expanded from *.w.example (RFC 4035 §5.3.2),
            // so the signed data must be rebuilt with the wildcard owner for the signature to verify.
            var mx = new MxRecord(Info("a.z.w.example.", ResourceRecordType.MX, 3600, 16), 1, DnsString.Parse("ai.example."));
            var rrsig = Rrsig("a.z.w.example.", ResourceRecordType.MX, 5, 2, 3600, "20040509183619", "20040409183619", 38519, "example.",
                "OMK8rAZlepfzLWW75Dxd63jy2wswESzxDKG2f9AMN1CytCd10cYISAxfAdvXSZ7xujKAtPbctvOQ2ofO7AZJ+d01EeeQTVBPq4/6KCWhqe2XTjnkVLNvvhnc0u28aoSsG0+4InvkkOHknKxw4kX18MMR34i8lC36SR5xBni8vHI=");
            var data = CanonicalForm.TryBuildSignedData(rrsig, new DnsResourceRecord[] { mx }, out var error);
            Assert.True(data != null, error);
            Assert.True(DnssecCrypto.Verify(5, key.PublicKey.ToArray(), data!, rrsig.Signature.ToArray()));

            // A different target, the same signature: false.
            var other = new MxRecord(Info("a.z.w.example.", ResourceRecordType.MX, 3600, 16), 1, DnsString.Parse("xx.example."));
            Assert.False(DnssecCrypto.Verify(5, key.PublicKey.ToArray(), CanonicalForm.TryBuildSignedData(rrsig, new DnsResourceRecord[] { other }, out _)!, rrsig.Signature.ToArray()));

            // The validator never accepts RSA/SHA-1, however good the signature (IANA "DNSSEC validation": MUST NOT).
            var check = SignatureCheck.Verify(DnssecName.Parse("example."), new[] { key }, new DnsResourceRecord[] { mx }, new[] { rrsig }, new DateTimeOffset(2004, 4, 20, 0, 0, 0, TimeSpan.Zero));
            Assert.False(check.IsValid);
            Assert.Contains("algorithm 5", check.Failure, StringComparison.Ordinal);
        }

        private static ResourceRecordInfo Info(string owner, ResourceRecordType type, int ttl, int length)
            => new ResourceRecordInfo(DnsString.Parse(owner), type, QueryClass.IN, ttl, length);

        private static DnsKeyRecord Dnskey(string owner, int flags, int algorithm, string publicKey)
        {
            var key = Convert.FromBase64String(publicKey);
            return new DnsKeyRecord(Info(owner, ResourceRecordType.DNSKEY, 3600, 4 + key.Length), flags, 3, (byte)algorithm, key);
        }

        private static RRSigRecord Rrsig(string owner, ResourceRecordType covered, int algorithm, int labels, int originalTtl, string expiration, string inception, int keyTag, string signer, string signature)
            => new RRSigRecord(Info(owner, ResourceRecordType.RRSIG, originalTtl, 100), (int)covered, (byte)algorithm, (byte)labels, originalTtl,
                Seconds(expiration), Seconds(inception), keyTag, DnsString.Parse(signer), Convert.FromBase64String(signature));

        /// <summary>An RRSIG time field (YYYYMMDDHHmmSS, RFC 4034 §3.2) as seconds since 1970.</summary>
        private static long Seconds(string stamp)
            => DateTimeOffset.ParseExact(stamp, "yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal).ToUnixTimeSeconds();

        private static string Hex(byte[] bytes) => string.Concat(bytes.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }
}
