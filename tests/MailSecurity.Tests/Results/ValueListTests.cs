using System;
using System.Linq;
using MailSecurity.Tests.Tls;
using Xunit;

namespace MailSecurity.Tests.Results
{
    /// <summary>The export shape: list cells, finding-code cells and certificate summaries.</summary>
    public class ValueListTests
    {
        [Fact]
        public void A_list_is_one_flat_cell_of_its_items()
        {
            Assert.Equal("PIPELINING;SIZE 10240000;STARTTLS", new ValueList<string>(new[] { "PIPELINING", "SIZE 10240000", "STARTTLS" }).ToString());
            Assert.Equal(string.Empty, ValueList<string>.EmptyList.ToString());
            // A multi-line item keeps its first line: a CSV cell never spans rows.
            Assert.Equal("first;b", new ValueList<string>(new[] { "first\r\nsecond", "b" }).ToString());
        }

        [Fact]
        public void A_finding_list_is_its_distinct_codes_and_merges_worst_first()
        {
            var f = new FindingList(new[]
            {
                new FindingDescriptor("Tls.A", Severity.Error, "m", "RFC 1", "fix").Create("one"),
                new FindingDescriptor("Tls.A", Severity.Error, "m", "RFC 1", "fix").Create("two"),
                new FindingDescriptor("Tls.B", Severity.Info, "m", "RFC 1", string.Empty).Create("three"),
            });
            Assert.Equal("Tls.A;Tls.B", f.ToString());
            var merged = f.With(new[] { InputFindings.WildcardDomain.Create("wild", "*.contoso.test"), new FindingDescriptor("Tls.C", Severity.Critical, "m", "RFC 1", "fix").Create("worst") });
            Assert.Equal(new[] { "Tls.C", "Tls.A", "Tls.A", "Input.WildcardDomain", "Tls.B" }, merged.Select(x => x.Code));
        }

        [Fact]
        public void A_certificate_summary_keeps_what_audits_compare_and_the_certificate_itself()
        {
            var leaf = TestPki.Leaf(TestPki.Intermediate(TestPki.Root()), "mx.contoso.test", new[] { "mx.contoso.test", "MX2.contoso.test" }).Certificate;
            var info = CertificateInfo.From(leaf)!;
            Assert.Equal(leaf.Thumbprint, info.Thumbprint);
            Assert.Equal(leaf.Subject, info.Subject);
            Assert.Equal(leaf.Issuer, info.Issuer);
            Assert.Equal(leaf.NotAfter.ToUniversalTime(), info.NotAfter.UtcDateTime);
            Assert.Equal(new[] { "mx.contoso.test", "mx2.contoso.test" }, info.DnsNames);
            Assert.StartsWith("ECDSA ", info.PublicKey, StringComparison.Ordinal);
            var spki = System.Security.Cryptography.SHA256.HashData(leaf.PublicKey.ExportSubjectPublicKeyInfo());
            Assert.Equal(Convert.ToHexString(spki).ToLowerInvariant(), info.SpkiSha256);
            Assert.Equal(leaf.RawData, info.ToX509Certificate2().RawData);
            Assert.Equal(leaf.RawData, System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(info.ToPem()).RawData);
            Assert.DoesNotContain("\n", info.ToString(), StringComparison.Ordinal);
            Assert.Contains(leaf.Thumbprint, info.ToString(), StringComparison.Ordinal);
        }
    }
}
