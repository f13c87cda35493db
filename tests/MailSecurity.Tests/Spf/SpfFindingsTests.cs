using System.Linq;
using MailSecurity.Spf;
using Xunit;

namespace MailSecurity.Tests.Spf
{
    public class SpfFindingsTests
    {
        [Fact]
        public void Every_spf_code_is_in_the_catalog_once_with_a_section_reference()
        {
            var spf = FindingCatalog.Descriptors.Where(d => d.Code.StartsWith("Spf.", System.StringComparison.Ordinal)).ToList();
            var declared = typeof(SpfFindings).GetFields().Select(f => (FindingDescriptor)f.GetValue(null)!).ToList();
            Assert.Equal(declared.Select(d => d.Code).OrderBy(c => c, System.StringComparer.Ordinal), spf.Select(d => d.Code));
            Assert.All(spf, d => Assert.Matches("^RFC 7208 §", d.Reference));
            Assert.All(spf.Where(d => d.Severity >= Severity.Warning), d => Assert.False(string.IsNullOrEmpty(d.Remedy), d.Code));
        }
    }
}
