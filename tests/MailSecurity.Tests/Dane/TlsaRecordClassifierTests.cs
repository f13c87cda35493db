using System;
using System.Linq;
using MailSecurity.Dane;
using MailSecurity.Tests.Tls;
using Xunit;

namespace MailSecurity.Tests.Dane
{
    public class TlsaRecordClassifierTests
    {
        private static readonly string Sha256Hex = new string('A', 64);
        private static readonly string Sha512Hex = new string('B', 128);

        [Theory]
        // RFC 7218 §2.1-§2.3 mnemonics.
        [InlineData(0, 0, 0, "PKIX-TA", "Cert", "Full")]
        [InlineData(1, 1, 1, "PKIX-EE", "SPKI", "SHA2-256")]
        [InlineData(2, 0, 2, "DANE-TA", "Cert", "SHA2-512")]
        [InlineData(3, 1, 1, "DANE-EE", "SPKI", "SHA2-256")]
        [InlineData(255, 255, 255, "PrivCert", "PrivSel", "PrivMatch")]
        [InlineData(7, 4, 9, "Unassigned(7)", "Unassigned(4)", "Unassigned(9)")]
        public void Mnemonics_follow_RFC_7218(byte usage, byte selector, byte mtype, string u, string s, string m)
        {
            var r = TlsaRecordClassifier.Classify(usage, selector, mtype, new byte[32], TimeSpan.FromMinutes(5));
            Assert.Equal(u, r.UsageMnemonic);
            Assert.Equal(s, r.SelectorMnemonic);
            Assert.Equal(m, r.MatchingTypeMnemonic);
            Assert.Equal($"{usage} {selector} {mtype}", r.Parameters);
            Assert.Equal(usage, (byte)r.Usage);
            Assert.Equal(TimeSpan.FromMinutes(5), r.Ttl);
        }

        [Theory]
        [InlineData("3 1 1", true, TlsaUnusableReason.None)]
        [InlineData("3 0 1", true, TlsaUnusableReason.None)]
        [InlineData("2 0 1", true, TlsaUnusableReason.None)]
        [InlineData("2 1 1", true, TlsaUnusableReason.None)]
        [InlineData("0 0 1", false, TlsaUnusableReason.PkixUsageInSmtp)]
        [InlineData("1 1 1", false, TlsaUnusableReason.PkixUsageInSmtp)]
        [InlineData("4 1 1", false, TlsaUnusableReason.UnknownUsage)]
        [InlineData("3 2 1", false, TlsaUnusableReason.UnknownSelector)]
        [InlineData("3 1 3", false, TlsaUnusableReason.UnknownMatchingType)]
        [InlineData("255 1 1", false, TlsaUnusableReason.PrivateUse)]
        [InlineData("3 255 1", false, TlsaUnusableReason.PrivateUse)]
        [InlineData("3 1 255", false, TlsaUnusableReason.PrivateUse)]
        public void Smtp_usability_of_parameter_combinations(string parameters, bool usable, TlsaUnusableReason reason)
        {
            var r = TestTlsa.Record(parameters + " " + Sha256Hex);
            Assert.Equal(usable, r.Usable);
            Assert.Equal(reason, r.UnusableReason);
            Assert.False(string.IsNullOrWhiteSpace(r.Explanation));
        }

        [Fact]
        public void Pkix_usages_are_usable_in_the_generic_profile_only()
        {
            Assert.True(TestTlsa.Record("1 1 1 " + Sha256Hex, profile: TlsaUsageProfile.Generic).Usable);
            var smtp = TestTlsa.Record("1 1 1 " + Sha256Hex);
            Assert.False(smtp.Usable);
            Assert.Contains("RFC 7672 §3.1.3", smtp.Explanation);
        }

        [Theory]
        [InlineData(1, 31)]
        [InlineData(1, 33)]
        [InlineData(1, 64)]
        [InlineData(2, 32)]
        [InlineData(2, 63)]
        public void Digest_of_the_wrong_length_is_unusable(byte mtype, int length)
        {
            var r = TlsaRecordClassifier.Classify(3, 1, mtype, new byte[length], TimeSpan.Zero);
            Assert.False(r.Usable);
            Assert.Equal(TlsaUnusableReason.WrongDigestLength, r.UnusableReason);
            Assert.Contains(length.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Explanation);
        }

        [Fact]
        public void Sha512_record_of_64_bytes_is_usable()
        {
            Assert.True(TestTlsa.Record("3 1 2 " + Sha512Hex).Usable);
        }

        [Fact]
        public void Empty_association_data_is_malformed()
        {
            var r = TlsaRecordClassifier.Classify(3, 1, 1, Array.Empty<byte>(), TimeSpan.Zero);
            Assert.Equal(TlsaUnusableReason.MalformedData, r.UnusableReason);
            Assert.Equal("3 1 1", r.Text);
        }

        [Fact]
        public void Full_data_must_parse_as_certificate_or_spki()
        {
            var leaf = TestPki.SelfSignedLeaf("mx.example.com");
            Assert.True(TestTlsa.Record("3 0 0 " + leaf.CertFull).Usable);
            Assert.True(TestTlsa.Record("3 1 0 " + leaf.SpkiFull).Usable);
            Assert.Equal(TlsaUnusableReason.MalformedData, TestTlsa.Record("3 0 0 " + leaf.SpkiFull).UnusableReason);
            Assert.Equal(TlsaUnusableReason.MalformedData, TestTlsa.Record("3 1 0 DEADBEEF").UnusableReason);
            Assert.Equal(TlsaUnusableReason.MalformedData, TestTlsa.Record("2 0 0 " + leaf.CertFull + "00").UnusableReason);
        }

        [Fact]
        public void Ten_kilobytes_of_data_are_classified_not_crashed()
        {
            var r = TlsaRecordClassifier.Classify(3, 1, 1, new byte[10240], TimeSpan.Zero);
            Assert.Equal(TlsaUnusableReason.WrongDigestLength, r.UnusableReason);
            Assert.Equal(20480, r.AssociationData.Length);
            var full = TlsaRecordClassifier.Classify(3, 0, 0, Enumerable.Repeat((byte)0x30, 10240).ToArray(), TimeSpan.Zero);
            Assert.Equal(TlsaUnusableReason.MalformedData, full.UnusableReason);
        }

        [Fact]
        public void Presentation_format_round_trips_with_upper_case_hex()
        {
            var r = TestTlsa.Record("3 1 1 0123456789abcdef 0123456789ABCDEF0123456789abcdef0123456789ABCDEF");
            Assert.Equal("3 1 1 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF", r.Text);
            Assert.Equal(32, r.DataLength);
            Assert.True(r.IsRecommendedForm);
            Assert.Equal("DANE-EE SPKI SHA2-256", r.ParameterMnemonics);
        }

        [Theory]
        [InlineData("")]
        [InlineData("3 1")]
        [InlineData("3 1 x AB")]
        [InlineData("3 1 256 AB")]
        [InlineData("3 1 1 ABC")]
        [InlineData("3 1 1 GG")]
        public void Unparsable_text_is_rejected_with_a_reason(string text)
        {
            Assert.False(TlsaRecordClassifier.TryParse(text, TimeSpan.Zero, TlsaUsageProfile.Smtp, out var record, out var error));
            Assert.Null(record);
            Assert.False(string.IsNullOrEmpty(error));
        }

        [Theory]
        [InlineData("3 1 1", true)]
        [InlineData("2 0 1", true)]
        [InlineData("2 1 1", false)]
        [InlineData("3 0 1", false)]
        [InlineData("3 1 2", false)]
        public void Recommended_forms_are_3_1_1_and_2_0_1(string parameters, bool recommended)
        {
            var hex = parameters.EndsWith('2') ? Sha512Hex : Sha256Hex;
            Assert.Equal(recommended, TestTlsa.Record(parameters + " " + hex).IsRecommendedForm);
        }
    }
}
