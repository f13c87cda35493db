using System;
using MailSecurity.Dane;
using MailSecurity.Tests.Tls;
using Xunit;

namespace MailSecurity.Tests.Dane
{
    /// <summary>TLSA records and the matcher at the offline tests' validation time (certificates: <see cref="TestPki"/>).</summary>
    public static class TestTlsa
    {
        /// <summary>A record classified under the SMTP profile, from presentation text.</summary>
        public static TlsaRecordInfo Record(string text, TimeSpan? ttl = null, TlsaUsageProfile profile = TlsaUsageProfile.Smtp)
        {
            Assert.True(TlsaRecordClassifier.TryParse(text, ttl ?? TimeSpan.FromHours(1), profile, out var record, out var error), error);
            return record!;
        }

        internal static TlsaMatcher Matcher() => new TlsaMatcher(new TlsaMatchOptions(validationTime: TestPki.Now));
    }
}
