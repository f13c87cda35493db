using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using MailSecurity.Delivery;
using Xunit;

namespace MailSecurity.Tests.Findings
{
    /// <summary>
    /// The shape of the findings classes (issue 17): a finding field is named as its code's suffix (the field for
    /// <c>Hop.OpportunisticTlsOnly</c> is <c>OpportunisticTlsOnly</c>), a class holds the codes of one prefix, and the
    /// class is named after that prefix, so a code found in a log leads straight to its declaration.
    /// </summary>
    public class FindingClassShapeTests
    {
        public static IEnumerable<object[]> FindingClasses()
            => typeof(FindingCatalog).Assembly.GetTypes()
                .Where(t => t.IsAbstract && t.IsSealed && t.Name.EndsWith("Findings", StringComparison.Ordinal) && Descriptors(t).Any())
                .OrderBy(t => t.Name, StringComparer.Ordinal)
                .Select(t => new object[] { t.FullName! });

        [Theory]
        [MemberData(nameof(FindingClasses))]
        public void Every_field_is_named_as_its_code_and_the_class_holds_one_prefix_named_after_it(string typeName)
        {
            var type = typeof(FindingCatalog).Assembly.GetType(typeName, true)!;
            Assert.Empty(Violations(type));
        }

        [Fact]
        public void Each_prefix_has_one_findings_class()
        {
            // Once split by which cmdlet reports them (MtaStsTxtFindings, MxTargetFindings, DkimSignatureFindings); which
            // codes Get-MailAuthRecords emits is now said by the MailAuthFindings Pester cases (OtherCmdletCodes).
            var owners = typeof(FindingCatalog).Assembly.GetTypes()
                .Where(t => t.IsAbstract && t.IsSealed && t.Name.EndsWith("Findings", StringComparison.Ordinal))
                .SelectMany(t => Descriptors(t).Select(f => (Prefix: Prefix(f.Descriptor.Code), Class: t.Name)))
                .GroupBy(x => x.Prefix, StringComparer.Ordinal)
                .Where(g => g.Select(x => x.Class).Distinct(StringComparer.Ordinal).Count() > 1)
                .Select(g => $"{g.Key}: {string.Join(", ", g.Select(x => x.Class).Distinct(StringComparer.Ordinal))}");
            Assert.Empty(owners);
        }

        [Fact]
        public void The_rule_sees_every_code_of_the_catalog()
        {
            // Guards the theory above: a findings class it failed to find would go unchecked.
            var declared = typeof(FindingCatalog).Assembly.GetTypes()
                .Where(t => t.IsAbstract && t.IsSealed && t.Name.EndsWith("Findings", StringComparison.Ordinal))
                .SelectMany(Descriptors).Select(f => f.Descriptor.Code).OrderBy(c => c, StringComparer.Ordinal);
            Assert.Equal(FindingCatalog.Descriptors.Select(d => d.Code).OrderBy(c => c, StringComparer.Ordinal), declared);
            Assert.Contains(FindingCatalog.Descriptors, d => d.Code == "Hop.OpportunisticTlsOnly");
        }

        [Fact]
        public void The_rule_fails_on_a_misnamed_field_a_second_prefix_and_a_class_not_named_after_its_prefix()
        {
            // Shaped like the old HopSecurityFindings (OpportunisticOnly for Hop.OpportunisticTlsOnly) plus a second prefix.
            var violations = Violations(typeof(MisnamedFindings));
            Assert.Contains(violations, v => v.Contains("OpportunisticOnly declares Hop.OpportunisticTlsOnly", StringComparison.Ordinal));
            Assert.Contains(violations, v => v.Contains("holds the prefixes Hop, Mx", StringComparison.Ordinal));
            Assert.Empty(Violations(typeof(HopFindings)));
        }

        /// <summary>What is wrong with the shape of one findings class (nothing: empty).</summary>
        private static List<string> Violations(Type type)
        {
            var fields = Descriptors(type).ToList();
            var problems = fields.Where(f => f.Field.Name != Suffix(f.Descriptor.Code))
                .Select(f => $"{type.Name}: the field {f.Field.Name} declares {f.Descriptor.Code}").ToList();
            var prefixes = fields.Select(f => Prefix(f.Descriptor.Code)).Distinct(StringComparer.Ordinal).ToList();
            if (prefixes.Count != 1)
            {
                problems.Add($"{type.Name} holds the prefixes {string.Join(", ", prefixes)}; one findings class per prefix");
                return problems;
            }

            var expected = type.Name.Substring(0, type.Name.Length - "Findings".Length);
            if (expected != prefixes[0])
            {
                problems.Add($"{type.Name} holds {prefixes[0]}.* codes; name it {prefixes[0]}Findings");
            }

            return problems;
        }

        private static string Prefix(string code) => code.Substring(0, code.IndexOf('.'));

        private static string Suffix(string code) => code.Substring(code.IndexOf('.') + 1);

        private static IEnumerable<(FieldInfo Field, FindingDescriptor Descriptor)> Descriptors(Type type)
            => type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                .Where(f => f.FieldType == typeof(FindingDescriptor))
                .Select(f => (f, (FindingDescriptor)f.GetValue(null)!));

        private static class MisnamedFindings
        {
            public static readonly FindingDescriptor OpportunisticOnly = new FindingDescriptor("Hop.OpportunisticTlsOnly", Severity.Info, "x", "RFC 8461", string.Empty);

            public static readonly FindingDescriptor DnssecSecure = new FindingDescriptor("Mx.DnssecSecure", Severity.Info, "x", "RFC 4035", string.Empty);
        }
    }
}
