using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace MailSecurity
{
    /// <summary>
    /// A read-only list in a result (addresses, capabilities, records, probes...). It is what scripts enumerate and what
    /// ConvertTo-Json writes as an array; its <see cref="ToString"/> is the items joined with ";", which is the cell
    /// Export-Csv writes for it (instead of the collection's type name). Items whose text would break a CSV row keep
    /// only their first line.
    /// </summary>
    /// <typeparam name="T">The item type; its own ToString gives the item's text.</typeparam>
    public class ValueList<T> : ReadOnlyCollection<T>
    {
        /// <summary>An empty list.</summary>
        public static readonly ValueList<T> EmptyList = new ValueList<T>(Array.Empty<T>());

        /// <summary>Wraps a copy of the items.</summary>
        /// <param name="items">The items, in order.</param>
        public ValueList(IEnumerable<T>? items)
            : base(items is null ? new List<T>() : items.ToList())
        {
        }

        /// <summary>The items' texts joined with ";" (one flat CSV cell).</summary>
        public override string ToString() => string.Join(";", this.Select(ItemText).Where(t => t.Length > 0));

        /// <summary>The text of one item in <see cref="ToString"/>.</summary>
        protected virtual string ItemText(T item) => OneLine(item?.ToString());

        /// <summary>The first line of a text, trimmed (a CSV cell never spans lines).</summary>
        internal static string OneLine(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return string.Empty;
            }

            var end = text!.IndexOfAny(new[] { '\r', '\n' });
            return (end < 0 ? text : text.Substring(0, end)).Trim();
        }
    }

    /// <summary>Builds <see cref="ValueList{T}"/> instances.</summary>
    internal static class ValueList
    {
        /// <summary>The items as a <see cref="ValueList{T}"/> (the same instance when they already are one).</summary>
        public static ValueList<T> From<T>(IEnumerable<T>? items)
            => items as ValueList<T> ?? (items is null ? ValueList<T>.EmptyList : new ValueList<T>(items));
    }

    /// <summary>
    /// A result's findings, worst first. Its <see cref="ToString"/> is the distinct finding codes joined with ";" (the CSV
    /// cell scripts and spreadsheets filter on); the items keep code, severity, message, target and RFC reference.
    /// </summary>
    public sealed class FindingList : ValueList<Finding>
    {
        /// <summary>An empty list.</summary>
        public static readonly FindingList NoFindings = new FindingList(Array.Empty<Finding>());

        /// <summary>Wraps a copy of the findings, in the order given.</summary>
        public FindingList(IEnumerable<Finding>? findings)
            : base(findings)
        {
        }

        /// <summary>The findings as a <see cref="FindingList"/> (the same instance when they already are one).</summary>
        public static FindingList From(IEnumerable<Finding>? findings) => findings as FindingList ?? (findings is null ? NoFindings : new FindingList(findings));

        /// <summary>
        /// This list with <paramref name="added"/> merged in, worst first; within one severity the added findings come
        /// first (they concern the input itself).
        /// </summary>
        public FindingList With(IEnumerable<Finding> added)
            => new FindingList(added.Concat(this).Select((f, i) => (f, i)).OrderByDescending(x => x.f.Severity).ThenBy(x => x.i).Select(x => x.f));

        /// <summary>The distinct codes, in list order, joined with ";".</summary>
        public override string ToString() => string.Join(";", this.Select(f => f.Code).Distinct(StringComparer.Ordinal));
    }
}
