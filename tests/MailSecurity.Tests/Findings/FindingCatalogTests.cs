using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace MailSecurity.Tests.Findings
{
    public class FindingCatalogTests
    {
        [Fact]
        public void Catalog_is_not_empty_and_codes_are_unique_and_well_formed()
        {
            var all = FindingCatalog.Descriptors;
            Assert.NotEmpty(all);
            Assert.Equal(all.Count, all.Select(d => d.Code).Distinct(StringComparer.Ordinal).Count());
            Assert.All(all, d => Assert.Matches(@"^[A-Z][A-Za-z0-9]*(\.[A-Z][A-Za-z0-9]*)+$", d.Code));
        }

        [Fact]
        public void Every_code_explains_itself_and_cites_its_rule()
        {
            foreach (var d in FindingCatalog.Descriptors)
            {
                Assert.False(string.IsNullOrWhiteSpace(d.Meaning), d.Code + ": meaning");
                Assert.False(string.IsNullOrWhiteSpace(d.Reference), d.Code + ": reference");
                Assert.Matches(@"RFC \d+|draft-|DESIGN", d.Reference);
                if (d.Severity >= Severity.Warning)
                {
                    Assert.False(string.IsNullOrWhiteSpace(d.Remedy), d.Code + ": a Warning or worse needs a remedy");
                }
            }
        }

        [Fact]
        public void Findings_are_only_created_from_catalog_descriptors()
        {
            // A finding built with a raw code string would bypass the catalog (and the help that lists it).
            var src = Path.Combine(RepositoryRoot(), "src");
            var offenders = Directory.GetFiles(src, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.EndsWith(Path.Combine("Findings", "Finding.cs"), StringComparison.Ordinal)
                         && !f.EndsWith(Path.Combine("Findings", "FindingDescriptor.cs"), StringComparison.Ordinal))
                .Where(f => Regex.IsMatch(File.ReadAllText(f), @"new\s+(MailSecurity\.)?Finding\s*\("))
                .ToList();
            Assert.Empty(offenders);
        }

        [Fact]
        public void Descriptor_rejects_malformed_codes()
        {
            Assert.Throws<ArgumentException>(() => new FindingDescriptor("NoDot", Severity.Info, "m", "RFC 1", ""));
            Assert.Throws<ArgumentException>(() => new FindingDescriptor("Trailing.", Severity.Info, "m", "RFC 1", ""));
            var f = new FindingDescriptor("Test.Code", Severity.Warning, "m", "RFC 1 §2", "fix").Create("msg", "t", Severity.Error);
            Assert.Equal(Severity.Error, f.Severity);
            Assert.Equal("RFC 1 §2", f.Reference);
        }

        internal static string RepositoryRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "MailSecurity.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("MailSecurity.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
