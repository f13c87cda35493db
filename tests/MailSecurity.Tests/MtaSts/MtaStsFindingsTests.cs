using System.Linq;
using System.Reflection;
using MailSecurity.MtaSts;
using Xunit;

namespace MailSecurity.Tests.MtaSts
{
    /// <summary>
    /// The MTA-STS finding catalog (Get-MtaStsPolicy's codes and those of the TXT discovery it shares with
    /// Get-MailAuthRecords): stable dotted codes, unique across the assembly, each with its rule and a meaning.
    /// </summary>
    public class MtaStsFindingsTests
    {
        private static FindingDescriptor[] Declared()
            => typeof(MtaStsFindings).GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.FieldType == typeof(FindingDescriptor))
                .Select(f => (FindingDescriptor)f.GetValue(null)!)
                .ToArray();

        [Fact]
        public void Every_code_is_in_the_catalog_once()
        {
            var catalog = FindingCatalog.Descriptors.Select(d => d.Code).ToList(); // throws on a duplicate code
            foreach (var d in Declared())
            {
                Assert.Single(catalog, c => c == d.Code);
            }
        }

        [Fact]
        public void Every_code_has_the_MtaSts_prefix_an_RFC_section_and_a_meaning()
        {
            Assert.NotEmpty(Declared());
            Assert.All(Declared(), d =>
            {
                Assert.StartsWith("MtaSts.", d.Code);
                Assert.Matches(@"RFC \d{4} §\d", d.Reference);
                Assert.EndsWith(".", d.Meaning);
            });
        }

        [Fact]
        public void Codes_requested_by_the_issue_exist()
        {
            var codes = Declared().Select(d => d.Code).ToHashSet();
            foreach (var code in new[]
            {
                "MtaSts.NoRecord", "MtaSts.MultipleRecords", "MtaSts.InvalidId", "MtaSts.PolicyRedirect", "MtaSts.PolicyHttpStatus",
                "MtaSts.PolicyContentType", "MtaSts.PolicyTooLarge", "MtaSts.PolicyTimeout", "MtaSts.PolicyHostCertificateInvalid",
                "MtaSts.MaxAgeTooLarge", "MtaSts.MaxAgeShort", "MtaSts.MissingMx", "MtaSts.InvalidMxPattern", "MtaSts.DuplicateKey",
                "MtaSts.MxNotCovered", "MtaSts.CertificateInvalid", "MtaSts.NoTlsRpt", "MtaSts.ModeTesting", "MtaSts.ModeNone",
                "MtaSts.IdChangedPolicySame", "MtaSts.PolicyChangedIdSame", "MtaSts.ModeDowngrade", "MtaSts.MaxAgeShortened", "MtaSts.NonUtf8Policy",
            })
            {
                Assert.Contains(code, codes);
            }
        }
    }
}
