using System;
using System.Collections.Generic;
using System.Linq;
using MailSecurity.Dane;
using Xunit;

namespace MailSecurity.Tests.Dane
{
    /// <summary>
    /// OpenSSL's DANE verification vectors (test/danetest.in), one theory case each, read from
    /// ../shared/conformance/dane/. Expected results come from the file; verify codes as in the conformance README.
    /// </summary>
    public class OpenSslDaneVectorTests
    {
        private const int X509VOk = 0;
        private const int X509VErrUnableToGetIssuerCertLocally = 20;
        private const int X509VErrHostnameMismatch = 62;
        private const int X509VErrDaneNoMatch = 65;

        // The vectors' certificates are valid 2015/2016 to 3015/2116; a fixed time keeps the run reproducible.
        internal static readonly DateTimeOffset ValidationTime = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public static IEnumerable<object[]> Cases() => DaneTestVectors.Numbers();

        [Fact]
        public void The_file_has_the_fifty_cases_numbered_one_to_fifty()
        {
            Assert.Equal(Enumerable.Range(1, 50), DaneTestVectors.All.Select(c => c.Number));
            Assert.All(DaneTestVectors.All, c => Assert.NotEmpty(c.Chain));
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void Generic_matcher_reproduces_OpenSSL_result_and_depth(int number)
        {
            var vector = DaneTestVectors.Get(number);
            var options = new TlsaMatchOptions(
                TlsaUsageProfile.Generic,
                checkDaneEeNames: !vector.NoNameChecks,
                pkixTrustAnchors: new[] { DaneTestVectors.RootCa },
                validationTime: ValidationTime);
            var records = Classify(vector, TlsaUsageProfile.Generic);

            var result = new TlsaMatcher(options).Match(records, vector.Chain, new[] { "example.com" });

            Assert.True(vector.ExpectedVerifyCode == ToOpenSslCode(result.Status), $"case {number}: expected X509 code {vector.ExpectedVerifyCode}, got {result.Status}: {result.Explanation}");
            Assert.Equal(vector.ExpectedDepth, result.MatchDepth ?? -1);
        }

        internal static IReadOnlyList<TlsaRecordInfo> Classify(DaneTestVector vector, TlsaUsageProfile profile)
            => vector.Records.Select(r =>
            {
                Assert.True(TlsaRecordClassifier.TryParse($"{r.Usage} {r.Selector} {r.MatchingType} {r.Hex}", TimeSpan.FromHours(1), profile, out var info, out var error), error);
                return info!;
            }).ToList();

        private static int ToOpenSslCode(TlsaMatchStatus status) => status switch
        {
            TlsaMatchStatus.Matched => X509VOk,
            TlsaMatchStatus.NoMatch => X509VErrDaneNoMatch,
            TlsaMatchStatus.NameMismatch => X509VErrHostnameMismatch,
            TlsaMatchStatus.PkixUntrusted => X509VErrUnableToGetIssuerCertLocally,
            _ => -1000 - (int)status,
        };
    }
}
