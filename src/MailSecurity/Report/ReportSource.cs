using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography.X509Certificates;

namespace MailSecurity.Report
{
    /// <summary>
    /// A result object as the report reads it: by property name, with values as text. The report accepts live results and
    /// results read back from a file (Import-Clixml), whose nested parts may be property bags, enums numbers and lists
    /// plain collections; this one view over both keeps a single code path for them.
    /// </summary>
    internal abstract class ReportSource
    {
        /// <summary>The object's type name without the <c>Deserialized.</c> prefix (e.g. <c>MailSecurity.HopSecurity</c>), or null.</summary>
        public abstract string? TypeName { get; }

        /// <summary>The value of a property as text (enums by name, numbers and dates invariant), or null when absent or null.</summary>
        /// <param name="name">The property name.</param>
        public abstract string? GetText(string name);

        /// <summary>A nested object, or null when absent, null or not an object.</summary>
        /// <param name="name">The property name.</param>
        public abstract ReportSource? GetObject(string name);

        /// <summary>The items of a list property as objects (empty when absent or null).</summary>
        /// <param name="name">The property name.</param>
        public abstract IReadOnlyList<ReportSource> GetObjects(string name);

        /// <summary>The items of a list property as text (empty when absent or null); a single value gives one item.</summary>
        /// <param name="name">The property name.</param>
        public abstract IReadOnlyList<string> GetTexts(string name);

        /// <summary>The object itself as text (its <c>ToString()</c>, or the text it had when it was serialized).</summary>
        public abstract string Display { get; }

        /// <summary>Follows a dotted path (<c>Mx.Status</c>) and returns the last property as text, or null.</summary>
        /// <param name="path">Property names separated by dots.</param>
        public string? Text(string path)
        {
            var (owner, last) = Walk(path);
            return owner?.GetText(last);
        }

        /// <summary>Follows a dotted path and returns the list at its end as objects (empty when any step is missing).</summary>
        /// <param name="path">Property names separated by dots.</param>
        public IReadOnlyList<ReportSource> Objects(string path)
        {
            var (owner, last) = Walk(path);
            return owner?.GetObjects(last) ?? Array.Empty<ReportSource>();
        }

        /// <summary>Follows a dotted path and returns the list at its end as text (empty when any step is missing).</summary>
        /// <param name="path">Property names separated by dots.</param>
        public IReadOnlyList<string> Texts(string path)
        {
            var (owner, last) = Walk(path);
            return owner?.GetTexts(last) ?? Array.Empty<string>();
        }

        /// <summary>Follows a dotted path to a nested object, or null.</summary>
        /// <param name="path">Property names separated by dots.</param>
        public ReportSource? Object(string path)
        {
            var (owner, last) = Walk(path);
            return owner?.GetObject(last);
        }

        /// <summary>Formats a plain value the way the report shows it: invariant culture, dates in ISO form, enums by name.</summary>
        /// <param name="value">Any value.</param>
        public static string? FormatValue(object? value) => value switch
        {
            null => null,
            string s => s,
            Enum e => e.ToString(),
            bool b => b ? "True" : "False",
            DateTimeOffset d => d.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture),
            DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
            X509Certificate2 c => c.Subject,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };

        /// <summary>True for values shown as text rather than walked as objects.</summary>
        /// <param name="value">Any value.</param>
        public static bool IsScalar(object value)
            => value is string || value is Enum || value is IFormattable || value is bool || value is char || value is X509Certificate || value.GetType().IsPrimitive;

        private (ReportSource? Owner, string Last) Walk(string path)
        {
            var parts = path.Split('.');
            ReportSource? current = this;
            for (var i = 0; i < parts.Length - 1 && current != null; i++)
            {
                current = current.GetObject(parts[i]);
            }

            return (current, parts[parts.Length - 1]);
        }
    }

    /// <summary>A <see cref="ReportSource"/> over a live .NET object, read through its public properties.</summary>
    internal sealed class ClrReportSource : ReportSource
    {
        private readonly object _value;

        /// <summary>Wraps a live object.</summary>
        /// <param name="value">The result object.</param>
        public ClrReportSource(object value)
        {
            _value = value ?? throw new ArgumentNullException(nameof(value));
        }

        /// <inheritdoc />
        public override string? TypeName => _value.GetType().FullName;

        /// <inheritdoc />
        public override string Display => FormatValue(_value) ?? string.Empty;

        /// <inheritdoc />
        public override string? GetText(string name)
        {
            var value = Member(name);
            if (value is null)
            {
                return null;
            }

            return value is IEnumerable list && !(value is string) ? string.Join(", ", Items(list)) : FormatValue(value);
        }

        /// <inheritdoc />
        public override ReportSource? GetObject(string name)
        {
            var value = Member(name);
            return value is null || IsScalar(value) || (value is IEnumerable && !(value is string)) ? null : new ClrReportSource(value);
        }

        /// <inheritdoc />
        public override IReadOnlyList<ReportSource> GetObjects(string name)
        {
            var result = new List<ReportSource>();
            if (Member(name) is IEnumerable list && !(list is string))
            {
                foreach (var item in list)
                {
                    if (item != null)
                    {
                        result.Add(new ClrReportSource(item));
                    }
                }
            }

            return result;
        }

        /// <inheritdoc />
        public override IReadOnlyList<string> GetTexts(string name)
        {
            var value = Member(name);
            if (value is null)
            {
                return Array.Empty<string>();
            }

            return value is IEnumerable list && !(value is string) ? Items(list) : new[] { FormatValue(value) ?? string.Empty };
        }

        private object? Member(string name)
        {
            var property = _value.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
            if (property is null || property.GetIndexParameters().Length > 0)
            {
                return null;
            }

            try
            {
                return property.GetValue(_value);
            }
            catch (TargetInvocationException)
            {
                // A computed property that throws on a half-built object is shown as missing, not as a crash.
                return null;
            }
        }

        private static List<string> Items(IEnumerable list)
        {
            var items = new List<string>();
            foreach (var item in list)
            {
                if (item != null)
                {
                    items.Add(FormatValue(item) ?? string.Empty);
                }
            }

            return items;
        }
    }
}
