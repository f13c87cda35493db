using System;
using System.Linq;
using System.Text;
using MailSecurity.Dns.Dnssec;
using Xunit;

namespace MailSecurity.Tests.Dns
{
    /// <summary>Published vectors for the pure DNSSEC building blocks (sources named per test).</summary>
    public class DnssecPrimitivesTests
    {
        // RFC 5155 Appendix A: the example zone's owner-name hashes, salt aabbccdd, 12 iterations.
        [Theory]
        [InlineData("example", "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom")]
        [InlineData("a.example", "35mthgpgcu1qg68fab165klnsnk3dpvl")]
        [InlineData("ai.example", "gjeqe526plbf1g8mklp59enfd789njgi")]
        [InlineData("ns1.example", "2t7b4g4vsa5smi47k61mv5bv1a22bojr")]
        [InlineData("ns2.example", "q04jkcevqvmu85r014c7dkba38o0ji5r")]
        [InlineData("w.example", "k8udemvp1j2f7eg6jebps17vp3n8i58h")]
        [InlineData("*.w.example", "r53bq7cc2uvmubfu5ocmm6pers9tk9en")]
        [InlineData("x.w.example", "b4um86eghhds6nea196smvmlo4ors995")]
        [InlineData("y.w.example", "ji6neoaepv8b5o6k4ev33abha8ht9fgc")]
        [InlineData("x.y.w.example", "2vptu5timamqttgl4luu9kg21e0aor3s")]
        [InlineData("X.Y.W.EXAMPLE", "2vptu5timamqttgl4luu9kg21e0aor3s")]
        public void Nsec3_hashes_match_rfc5155_appendix_a(string name, string expected)
        {
            var hash = DnssecCrypto.Nsec3Hash(DnssecName.Parse(name), new byte[] { 0xaa, 0xbb, 0xcc, 0xdd }, 12);
            Assert.Equal(Base32Hex.Decode(Encoding.ASCII.GetBytes(expected)), hash);
            Assert.Equal(20, hash.Length);
        }

        [Fact]
        public void Names_sort_in_the_canonical_order_of_rfc4034_section_6_1()
        {
            // The example list of RFC 4034 §6.1, in its order.
            var expected = new[] { "example", "a.example", "yljkjljk.a.example", "Z.a.example", "zABC.a.EXAMPLE", "z.example", "\\001.z.example", "*.z.example", "\\200.z.example" };
            var shuffled = expected.Reverse().Select(DnssecName.Parse).ToList();
            shuffled.Sort();
            Assert.Equal(expected.Select(n => DnssecName.Parse(n).ToString()), shuffled.Select(n => n.ToString()));
        }

        [Fact]
        public void A_wildcard_owner_does_not_count_its_star_label_rfc4034_section_3_1_3()
        {
            Assert.Equal(3, DnssecName.Parse("*.a.example.com").SignatureLabelCount);
            Assert.Equal(3, DnssecName.Parse("www.example.com.").SignatureLabelCount);
            Assert.Equal(0, DnssecName.Root.SignatureLabelCount);
        }

        [Fact]
        public void Canonical_wire_form_lowercases_and_keeps_escaped_octets()
        {
            Assert.Equal(new byte[] { 3, (byte)'w', (byte)'w', (byte)'w', 2, 1, (byte)'.', 0 }, DnssecName.Parse("WWW.\\001\\.").ToWire());
            Assert.Throws<FormatException>(() => DnssecName.Parse("a..b"));
            Assert.Throws<FormatException>(() => DnssecName.Parse(new string('a', 64) + ".test"));
        }

        [Fact]
        public void Key_tag_and_ds_digest_match_the_lab_style_example_of_rfc4034_section_5_4()
        {
            // RFC 4034 §5.4: dskey.example.com. DNSKEY 256 3 5 (...) ; key id = 60485, DS 60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118.
            var key = Convert.FromBase64String(
                "AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/2pHm822aJ5iI9BMzNXxeYCmZDRD99WYwYqUSdjMmmAphXdvxegXd/M5+X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2wwjM9XzcnOf+EPbtG9DMBmADjFDc2w/rljwvFw==");
            var rdata = new byte[] { 0x01, 0x00, 3, 5 }.Concat(key).ToArray();
            Assert.Equal(60485, DnssecCrypto.KeyTag(rdata));
            var digest = DnssecCrypto.DsDigest(1, DnssecName.Parse("dskey.example.com"), rdata);
            Assert.Equal("2BB183AF5F22588179A53B0A98631FAD1A292118", BitConverter.ToString(digest!).Replace("-", string.Empty));
            Assert.Null(DnssecCrypto.DsDigest(3, DnssecName.Parse("dskey.example.com"), rdata)); // GOST: unsupported
        }

        [Theory]
        [InlineData(8, "Supported")]
        [InlineData(10, "Supported")]
        [InlineData(13, "Supported")]
        [InlineData(14, "Supported")]
        [InlineData(15, "Supported")]
        [InlineData(5, "Deprecated")] // RFC 9905 §2
        [InlineData(7, "Deprecated")]
        [InlineData(1, "Unsupported")] // RSAMD5: MUST NOT (RFC 8624 §3.1)
        [InlineData(3, "Unsupported")]
        [InlineData(12, "Unsupported")]
        [InlineData(253, "Unsupported")]
        public void Algorithm_policy_follows_the_iana_validation_column(int algorithm, string expected)
            => Assert.Equal(expected, DnssecCrypto.Support(algorithm).ToString());

        [Fact]
        public void Malformed_keys_and_signatures_verify_as_false_without_throwing()
        {
            var data = new byte[] { 1, 2, 3 };
            Assert.False(DnssecCrypto.Verify(8, new byte[] { 0 }, data, new byte[256]));
            Assert.False(DnssecCrypto.Verify(13, new byte[64], data, new byte[64]));
            Assert.False(DnssecCrypto.Verify(15, new byte[31], data, new byte[64]));
            Assert.False(DnssecCrypto.Verify(99, new byte[32], data, new byte[64]));
        }

        [Fact]
        public void Trust_anchor_files_read_ds_and_dnskey_records_in_zone_file_syntax()
        {
            var anchors = TrustAnchors.Parse(
                "; comment\n$ORIGIN test.\n@ 3600 IN DS 60344 13 2 DA8BA96E4ECA403AF839E10C88BEADE4D7C0602EB53D1ECDFAB2AA6D375AE2E3\n" +
                "example.com. IN DNSKEY 257 3 13 ( mdsswUyr3DPW132mOi8V9xESWE8jTo0d\n xCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ== ) ; KSK\n",
                "test");
            Assert.Single(anchors.For(DnssecName.Parse("test")));
            var key = Assert.Single(anchors.For(DnssecName.Parse("example.com")));
            Assert.Equal(13, key.Algorithm);
            Assert.Equal(DnssecName.Parse("test"), anchors.ClosestAnchor(DnssecName.Parse("a.b.test")));
            Assert.Null(anchors.ClosestAnchor(DnssecName.Parse("example.org")));
            var error = Assert.Throws<FormatException>(() => TrustAnchors.Parse("test. IN DS 1 13 2 XYZ\n", "bad.ds"));
            Assert.Contains("bad.ds line 1", error.Message, StringComparison.Ordinal);
            Assert.Throws<FormatException>(() => TrustAnchors.Parse("; nothing\n", "empty"));
            Assert.Equal(2, TrustAnchors.Root.For(DnssecName.Root).Count);
        }
    }
}
