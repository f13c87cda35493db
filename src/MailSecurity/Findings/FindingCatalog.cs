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

        // The column of each findings class by the prefix of its codes (one class per prefix), for codes this build does not
        // know: a result file written by another version still puts its findings in the right column.
        private static readonly Dictionary<string, Report.ReportCheck?> ColumnByPrefix = new Dictionary<string, Report.ReportCheck?>(StringComparer.Ordinal);

        /// <summary>All descriptors, sorted by code.</summary>
        public static IReadOnlyList<FindingDescriptor> Descriptors => All.Value;

        /// <summary>Looks a code up; <c>null</c> when unknown.</summary>
        public static FindingDescriptor? Find(string code)
            => All.Value.FirstOrDefault(d => string.Equals(d.Code, code, StringComparison.Ordinal));

        /// <summary>
        /// The report matrix column of a finding code: its descriptor's, or for a code this build does not know, the column of
        /// the findings class that holds its prefix. Null for message-mode codes and unknown prefixes.
        /// </summary>
        /// <param name="code">A finding code such as <c>MtaSts.MxNotCovered</c>.</param>
        internal static Report.ReportCheck? ReportColumnOf(string code)
        {
            var known = Find(code);
            if (known != null)
            {
                return known.ReportColumn;
            }

            var dot = code.IndexOf('.');
            return ColumnByPrefix.TryGetValue(dot > 0 ? code.Substring(0, dot) : code, out var column) ? column : null;
        }

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

                var classColumn = type.GetCustomAttribute<ReportColumnAttribute>()?.Column;
                foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
                {
                    if (field.FieldType == typeof(FindingDescriptor) && field.GetValue(null) is FindingDescriptor d)
                    {
                        if (!seen.Add(d.Code))
                        {
                            throw new InvalidOperationException($"Finding code '{d.Code}' is declared twice.");
                        }

                        d.ReportColumn = field.GetCustomAttribute<ReportColumnAttribute>()?.Column ?? classColumn;
                        ColumnByPrefix[d.Code.Substring(0, d.Code.IndexOf('.'))] = classColumn;
                        list.Add(d);
                    }
                }
            }

            list.Sort((a, b) => string.CompareOrdinal(a.Code, b.Code));
            return list;
        }
    }
}
