using System;
using MailSecurity.Tls;
using Xunit;

namespace MailSecurity.Tests.Tls
{
    /// <summary>PKIX validation of presented chains (RFC 5280 §6) against a test root given as the only trust anchor.</summary>
    public sealed class PkixValidatorTests : IDisposable
    {
        private readonly TestPki _pki = new TestPki();

        private PkixValidationOptions Anchored => new PkixValidationOptions { TrustAnchors = new[] { _pki.RootCa.Certificate } };

        [Fact]
        public void Accepts_a_complete_chain_to_the_anchor()
        {
            var leaf = _pki.IssueLeaf("mx.example.net");
            var r = PkixValidator.Validate(new[] { leaf.Certificate, _pki.IssuingCa.Certificate }, Anchored);
            Assert.True(r.IsValid, string.Join("; ", r.Reasons));
            Assert.Equal(CertificateProblems.None, r.Problems);
            Assert.Equal(3, r.BuiltChain.Count);
            Assert.False(r.RevocationChecked);
        }

        [Fact]
        public void Reports_an_expired_server_certificate()
        {
            var leaf = _pki.IssueLeaf("mx.example.net", DateTimeOffset.UtcNow.AddDays(-60), DateTimeOffset.UtcNow.AddDays(-1));
            var r = PkixValidator.Validate(new[] { leaf.Certificate, _pki.IssuingCa.Certificate }, Anchored);
            Assert.False(r.IsValid);
            Assert.True(r.Problems.HasFlag(CertificateProblems.Expired));
            Assert.Contains(r.Reasons, x => x.StartsWith("NotTimeValid", StringComparison.Ordinal) && x.Contains("expired"));
        }

        [Fact]
        public void Reports_a_certificate_that_is_not_valid_yet()
        {
            var leaf = _pki.IssueLeaf("mx.example.net", DateTimeOffset.UtcNow.AddDays(2), DateTimeOffset.UtcNow.AddDays(90));
            var r = PkixValidator.Validate(new[] { leaf.Certificate, _pki.IssuingCa.Certificate }, Anchored);
            Assert.True(r.Problems.HasFlag(CertificateProblems.NotYetValid));
            Assert.False(r.Problems.HasFlag(CertificateProblems.Expired));
        }

        [Fact]
        public void Reports_a_missing_intermediate_as_an_incomplete_chain_without_fetching_it()
        {
            var leaf = _pki.IssueLeaf("mx.example.net");
            var r = PkixValidator.Validate(new[] { leaf.Certificate }, Anchored);
            Assert.False(r.IsValid);
            Assert.True(r.Problems.HasFlag(CertificateProblems.IncompleteChain), r.ToString());
        }

        [Fact]
        public void Reports_a_self_signed_server_certificate()
        {
            var leaf = _pki.SelfSigned("mx.example.net");
            var r = PkixValidator.Validate(new[] { leaf.Certificate }, Anchored);
            Assert.True(r.Problems.HasFlag(CertificateProblems.SelfSigned), r.ToString());
            Assert.False(r.IsValid);
        }

        [Fact]
        public void Reports_a_chain_that_ends_at_another_root_as_untrusted()
        {
            var otherRoot = _pki.OtherRoot("Some Other Root");
            var leaf = _pki.IssueLeaf("mx.example.net");
            var options = new PkixValidationOptions { TrustAnchors = new[] { otherRoot.Certificate } };
            var r = PkixValidator.Validate(new[] { leaf.Certificate, _pki.IssuingCa.Certificate, _pki.RootCa.Certificate }, options);
            Assert.False(r.IsValid);
            Assert.True(r.Problems.HasFlag(CertificateProblems.Untrusted) || r.Problems.HasFlag(CertificateProblems.IncompleteChain), r.ToString());
        }

        [Fact]
        public void Reports_a_certificate_without_the_server_auth_purpose()
        {
            var leaf = _pki.IssueLeaf("mx.example.net", eku: "1.3.6.1.5.5.7.3.2");
            var r = PkixValidator.Validate(new[] { leaf.Certificate, _pki.IssuingCa.Certificate }, Anchored);
            Assert.True(r.Problems.HasFlag(CertificateProblems.WrongUsage), r.ToString());
        }

        [Fact]
        public void Says_so_when_there_is_no_certificate()
        {
            var r = PkixValidator.Validate(Array.Empty<System.Security.Cryptography.X509Certificates.X509Certificate2>());
            Assert.Equal(CertificateProblems.NoCertificate, r.Problems);
        }

        [Fact]
        public void Validates_for_the_time_it_is_asked_for()
        {
            var leaf = _pki.IssueLeaf("mx.example.net", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10));
            var options = Anchored;
            options.VerificationTime = DateTimeOffset.UtcNow.AddDays(20);
            var r = PkixValidator.Validate(new[] { leaf.Certificate, _pki.IssuingCa.Certificate }, options);
            Assert.True(r.Problems.HasFlag(CertificateProblems.Expired));
        }

        public void Dispose() => _pki.Dispose();
    }
}
