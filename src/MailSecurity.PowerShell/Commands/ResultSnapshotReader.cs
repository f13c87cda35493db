using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using MailSecurity.Changes;

namespace MailSecurity.Commands
{
    /// <summary>
    /// Reads a MailSecurity result for comparison, by property names, the same way whether it is the live object or
    /// its Import-Clixml form (a property bag whose enums may come back as numbers, dates as bags, lists as ArrayLists).
    /// Used by Compare-MailSecurityResult and by Get-MtaStsPolicy -PreviousPolicy.
    /// </summary>
    internal static class ResultSnapshotReader
    {
        /// <summary>The shape of an object's result type (live, deserialized, or shown in a #Domain view), or null.</summary>
        public static ResultShape? ShapeOf(object? item)
        {
            if (item is null)
            {
                return null;
            }

            foreach (var name in PSObject.AsPSObject(item).TypeNames)
            {
                var shape = ResultShape.Of(name);
                if (shape != null)
                {
                    return shape;
                }
            }

            return null;
        }

        /// <summary>Reads <paramref name="item"/> as a result of <paramref name="shape"/> (by default: its own type); null when it is none.</summary>
        public static ResultSnapshot? Read(object? item, ResultShape? shape = null)
        {
            if (item is null)
            {
                return null;
            }

            shape ??= ShapeOf(item);
            if (shape is null)
            {
                return null;
            }

            var root = PSObject.AsPSObject(item);
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var key in shape.KeyProperties)
            {
                values[key] = Text(Resolve(root, key).FirstOrDefault());
            }

            foreach (var v in shape.Values)
            {
                var found = Resolve(root, v.Path).ToList();
                var raw = v.IsList
                    ? string.Join(", ", found.SelectMany(Items).Select(Text).Where(t => !string.IsNullOrEmpty(t)))
                    : Text(found.FirstOrDefault());
                values[v.Path] = v.Normalize(raw);
            }

            var findings = new List<FindingSnapshot>();
            foreach (var f in Resolve(root, "Findings").SelectMany(Items))
            {
                var code = Text(Member(f, "Code"));
                if (string.IsNullOrEmpty(code))
                {
                    continue;
                }

                var severity = Enum.TryParse<Severity>(Text(Member(f, "Severity")), true, out var s) ? s : Severity.Info;
                findings.Add(new FindingSnapshot(code!, severity, Text(Member(f, "Target")) ?? string.Empty, Text(Member(f, "Message")) ?? string.Empty));
            }

            var certificates = new List<CertificateSnapshot>();
            foreach (var path in shape.CertificatePaths)
            {
                foreach (var c in Resolve(root, path))
                {
                    var thumbprint = Text(Member(c, "Thumbprint"));
                    if (!string.IsNullOrEmpty(thumbprint))
                    {
                        certificates.Add(new CertificateSnapshot(thumbprint!, Text(Member(c, "Subject")), Date(Member(c, "NotAfter"))));
                    }
                }
            }

            var checkedAt = shape.CheckedAtPath is null ? null : Date(Resolve(root, shape.CheckedAtPath).FirstOrDefault());
            return new ResultSnapshot(shape, values, findings, certificates, checkedAt);
        }

        /// <summary>The values at a path such as Fetch.Certificate, Probes.Certificate (through a list) or CertificateChain[0].</summary>
        private static IEnumerable<object> Resolve(object root, string path)
        {
            IEnumerable<object> current = new[] { root };
            foreach (var part in path.Split('.'))
            {
                var name = part;
                int? index = null;
                var bracket = part.IndexOf('[');
                if (bracket > 0 && part.EndsWith("]", StringComparison.Ordinal))
                {
                    name = part.Substring(0, bracket);
                    index = int.Parse(part.Substring(bracket + 1, part.Length - bracket - 2), CultureInfo.InvariantCulture);
                }

                var next = new List<object>();
                foreach (var o in current)
                {
                    var value = Member(o, name);
                    if (value is null)
                    {
                        continue;
                    }

                    if (index.HasValue)
                    {
                        var item = Items(value).Skip(index.Value).FirstOrDefault();
                        if (item != null)
                        {
                            next.Add(item);
                        }
                    }
                    else if (Unwrap(value) is IEnumerable && !(Unwrap(value) is string) && !(Unwrap(value) is IDictionary) && part != path.Split('.').Last())
                    {
                        next.AddRange(Items(value));
                    }
                    else
                    {
                        next.Add(value);
                    }
                }

                current = next;
            }

            return current;
        }

        private static IEnumerable<object> Items(object? value)
        {
            var v = Unwrap(value);
            if (v is null)
            {
                yield break;
            }

            if (v is IEnumerable many && !(v is string) && !(v is IDictionary))
            {
                foreach (var item in many)
                {
                    if (item != null)
                    {
                        yield return item;
                    }
                }

                yield break;
            }

            yield return value!;
        }

        private static object? Member(object? item, string name)
        {
            if (item is null)
            {
                return null;
            }

            return PSObject.AsPSObject(item).Properties[name]?.Value;
        }

        /// <summary>A value as text: enums by name (a deserialized enum keeps its name as its ToString), numbers invariantly.</summary>
        private static string? Text(object? value)
        {
            if (value is PSObject ps && (ps.BaseObject is PSCustomObject || (ps.TypeNames.Count > 0 && ps.TypeNames[0].StartsWith("Deserialized.", StringComparison.Ordinal))))
            {
                return ps.ToString();
            }

            var v = Unwrap(value);
            return v switch
            {
                null => null,
                Enum e => e.ToString(),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => v.ToString(),
            };
        }

        /// <summary>A time as a DateTimeOffset: live, a DateTime, or the property bag Import-Clixml makes of a DateTimeOffset.</summary>
        private static DateTimeOffset? Date(object? value)
        {
            switch (Unwrap(value))
            {
                case null:
                    return null;
                case DateTimeOffset dto:
                    return dto;
                case DateTime dt:
                    return new DateTimeOffset(dt.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(dt, DateTimeKind.Utc) : dt.ToUniversalTime(), TimeSpan.Zero);
            }

            if (Unwrap(Member(value, "UtcDateTime")) is DateTime utc)
            {
                return new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
            }

            return DateTimeOffset.TryParse(Text(value), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : (DateTimeOffset?)null;
        }

        private static object? Unwrap(object? value) => value is PSObject p && !(p.BaseObject is PSCustomObject) ? p.BaseObject : value;
    }
}
