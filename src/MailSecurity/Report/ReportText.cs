using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MailSecurity.Report
{
    /// <summary>Result values as the report shows them: enum names (also from a file that held numbers), joined and split lists.</summary>
    internal static class ReportText
    {
        /// <summary>An enum value's name, also when the file held its number; other text as it is.</summary>
        internal static string? EnumText<T>(string? text)
            where T : struct
            => ParseEnum<T>(text)?.ToString() ?? text;

        /// <summary>Reads an enum from its name or (as JSON writes it) its number; null when it is neither.</summary>
        internal static T? ParseEnum<T>(string? text)
            where T : struct
        {
            if (string.IsNullOrWhiteSpace(text) || !Enum.TryParse<T>(text!.Trim(), ignoreCase: true, out var value) || !Enum.IsDefined(typeof(T), value))
            {
                return null;
            }

            return value;
        }

        /// <summary>The parts that are not blank, joined; null when none is.</summary>
        internal static string? Join(string separator, params string?[] parts)
        {
            var present = parts.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
            return present.Count == 0 ? null : string.Join(separator, present);
        }

        /// <summary>The non-blank items of a separated list (trimmed).</summary>
        internal static List<string> Split(string? text, char separator = ',')
            => string.IsNullOrWhiteSpace(text) ? new List<string>() : text!.Split(separator).Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
    }
}
