using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using MailSecurity.Report;

namespace MailSecurity.Tests.Report
{
    /// <summary>
    /// A property bag standing in for a result read back from a file (Import-Clixml, ConvertFrom-Json): values are text or
    /// numbers, nested parts are bags, lists are plain lists, and an item that lost its structure is only its text.
    /// </summary>
    internal sealed class FakeReportSource : ReportSource
    {
        private readonly Dictionary<string, object?> _properties;
        private readonly string? _display;

        public FakeReportSource(string? typeName, params (string Name, object? Value)[] properties)
        {
            TypeName = typeName;
            _properties = properties.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        }

        private FakeReportSource(string display)
        {
            _properties = new Dictionary<string, object?>();
            _display = display;
        }

        public override string? TypeName { get; }

        public override string Display => _display ?? TypeName ?? string.Empty;

        public static FakeReportSource Finding(string code, Severity severity, string message, string target = "")
            => new FakeReportSource("MailSecurity.Finding", ("Code", code), ("Severity", severity.ToString()), ("Message", message), ("Target", target), ("Reference", "RFC 0 §0"));

        public override string? GetText(string name)
        {
            if (!_properties.TryGetValue(name, out var value) || value is null)
            {
                return null;
            }

            return value switch
            {
                FakeReportSource f => f.Display,
                string s => s,
                IEnumerable list => string.Join(", ", list.Cast<object>().Select(o => o is FakeReportSource f ? f.Display : FormatValue(o))),
                _ => FormatValue(value),
            };
        }

        public override ReportSource? GetObject(string name)
            => _properties.TryGetValue(name, out var value) ? value as FakeReportSource : null;

        public override IReadOnlyList<ReportSource> GetObjects(string name)
        {
            if (!_properties.TryGetValue(name, out var value) || !(value is IEnumerable list) || value is string)
            {
                return Array.Empty<ReportSource>();
            }

            return list.Cast<object>().Select(o => o as FakeReportSource ?? new FakeReportSource(FormatValue(o) ?? string.Empty)).ToList();
        }

        public override IReadOnlyList<string> GetTexts(string name)
        {
            if (!_properties.TryGetValue(name, out var value) || value is null)
            {
                return Array.Empty<string>();
            }

            return value is IEnumerable list && !(value is string) ? list.Cast<object>().Select(o => FormatValue(o) ?? string.Empty).ToList() : new[] { FormatValue(value) ?? string.Empty };
        }
    }
}
