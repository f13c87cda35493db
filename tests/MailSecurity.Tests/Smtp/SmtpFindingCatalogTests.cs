using System.Linq;
using MailSecurity.Smtp;
using MailSecurity.Tls;
using Xunit;

namespace MailSecurity.Tests.Smtp
{
    public class SmtpFindingCatalogTests
    {
        [Fact]
        public void Every_Smtp_and_Tls_code_is_in_the_catalog_once_with_an_RFC_reference()
        {
            var declared = typeof(SmtpFindings).GetFields().Concat(typeof(TlsFindings).GetFields())
                .Select(f => (FindingDescriptor)f.GetValue(null)!)
                .ToList();
            Assert.True(declared.Count >= 25);
            foreach (var d in declared)
            {
                Assert.Same(d, FindingCatalog.Find(d.Code));
                Assert.Matches(@"^(Smtp|Tls)\.[A-Z][A-Za-z0-9]+$", d.Code);
                Assert.Contains("RFC", d.Reference);
                Assert.Contains("§", d.Reference);
                Assert.False(string.IsNullOrWhiteSpace(d.Meaning));
                Assert.True(d.Severity == Severity.Info || d.Remedy.Length > 0, d.Code + " needs a remedy");
            }
        }
    }
}
