using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using MailSecurity.Report;

namespace MailSecurity.Commands
{
    /// <summary>
    /// The report's view of a pipeline object: a live MailSecurity result, or one read back with Import-Clixml, whose
    /// type names start with <c>Deserialized.</c>, whose enums are numbers that remember their names, and whose nested
    /// parts are property bags.
    /// </summary>
    internal sealed class PSObjectReportSource : ReportSource
    {
        private const string DeserializedPrefix = "Deserialized.";
        private readonly PSObject _object;

        public PSObjectReportSource(object value)
        {
            _object = PSObject.AsPSObject(value ?? throw new ArgumentNullException(nameof(value)));
        }

        /// <inheritdoc />
        public override string? TypeName
        {
            get
            {
                string? first = null;
                foreach (var name in _object.TypeNames)
                {
                    var plain = name.StartsWith(DeserializedPrefix, StringComparison.Ordinal) ? name.Substring(DeserializedPrefix.Length) : name;
                    // A view name such as MailSecurity.SmtpTlsProbe#Domain stands for its type.
                    var view = plain.IndexOf('#');
                    plain = view > 0 ? plain.Substring(0, view) : plain;
                    if (plain.StartsWith("MailSecurity.", StringComparison.Ordinal))
                    {
                        return plain;
                    }

                    first ??= plain;
                }

                return first;
            }
        }

        /// <inheritdoc />
        public override string Display => Format(_object) ?? string.Empty;

        /// <inheritdoc />
        public override string? GetText(string name)
        {
            var value = Member(name);
            if (value is null)
            {
                return null;
            }

            var items = Items(value);
            return items is null ? Format(value) : string.Join(", ", Texts(items));
        }

        /// <inheritdoc />
        public override ReportSource? GetObject(string name)
        {
            var value = Member(name);
            if (value is null || Items(value) != null || IsScalar(Unwrap(value)))
            {
                return null;
            }

            return new PSObjectReportSource(value);
        }

        /// <inheritdoc />
        public override IReadOnlyList<ReportSource> GetObjects(string name)
        {
            var result = new List<ReportSource>();
            var value = Member(name);
            var items = value is null ? null : Items(value);
            if (items != null)
            {
                foreach (var item in items)
                {
                    if (item != null)
                    {
                        result.Add(new PSObjectReportSource(item));
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

            var items = Items(value);
            return items is null ? new[] { Format(value) ?? string.Empty } : Texts(items);
        }

        private object? Member(string name)
        {
            try
            {
                return _object.Properties[name]?.Value;
            }
            catch (GetValueException)
            {
                // A property getter that throws is shown as missing, never as a failed report.
                return null;
            }
        }

        private static object Unwrap(object value) => value is PSObject ps ? ps.BaseObject : value;

        private static IEnumerable? Items(object value)
        {
            var inner = Unwrap(value);
            return inner is IEnumerable list && !(inner is string) && !(inner is PSCustomObject) ? list : null;
        }

        private static List<string> Texts(IEnumerable items)
        {
            var list = new List<string>();
            foreach (var item in items)
            {
                if (item != null)
                {
                    list.Add(Format(item) ?? string.Empty);
                }
            }

            return list;
        }

        private static string? Format(object? value)
        {
            if (value is PSObject ps)
            {
                // A deserialized value (an enum that came back as its number, a date, a certificate) keeps the text it
                // had when it was written; PSObject.ToString() returns that text.
                if (ps.TypeNames.Count > 0 && ps.TypeNames[0].StartsWith(DeserializedPrefix, StringComparison.Ordinal))
                {
                    // A DateTimeOffset comes back as a property bag whose text is in the writer's culture; rebuild it so that
                    // a report from a file reads like one from live results.
                    if (ps.TypeNames[0] == DeserializedPrefix + "System.DateTimeOffset"
                        && Unwrap(ps.Properties["UtcDateTime"]?.Value ?? string.Empty) is DateTime utc && Unwrap(ps.Properties["Offset"]?.Value ?? string.Empty) is TimeSpan offset)
                    {
                        return FormatValue(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToOffset(offset));
                    }

                    return ps.ToString();
                }

                value = ps.BaseObject;
                if (value is PSCustomObject)
                {
                    return ps.ToString();
                }
            }

            return FormatValue(value);
        }
    }
}
