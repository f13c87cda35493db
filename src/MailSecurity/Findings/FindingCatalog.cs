using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace MailSecurity
{
    /// <summary>Every finding code this assembly can emit, found by reflection over <c>*Findings</c> classes.</summary>
    public static class FindingCatalog
    {
        private static readonly Lazy<IReadOnlyList<FindingDescriptor>> All = new Lazy<IReadOnlyList<FindingDescriptor>>(Discover);

        /// <summary>All descriptors, sorted by code.</summary>
        public static IReadOnlyList<FindingDescriptor> Descriptors => All.Value;

        /// <summary>Looks a code up; <c>null</c> when unknown.</summary>
        public static FindingDescriptor? Find(string code)
            => All.Value.FirstOrDefault(d => string.Equals(d.Code, code, StringComparison.Ordinal));

        private static IReadOnlyList<FindingDescriptor> Discover()
        {
            var list = new List<FindingDescriptor>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var type in typeof(FindingCatalog).Assembly.GetTypes())
            {
                if (!type.IsAbstract || !type.IsSealed || !type.Name.EndsWith("Findings", StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
                {
                    if (field.FieldType == typeof(FindingDescriptor) && field.GetValue(null) is FindingDescriptor d)
                    {
                        if (!seen.Add(d.Code))
                        {
                            throw new InvalidOperationException($"Finding code '{d.Code}' is declared twice.");
                        }

                        list.Add(d);
                    }
                }
            }

            list.Sort((a, b) => string.CompareOrdinal(a.Code, b.Code));
            return list;
        }
    }
}
