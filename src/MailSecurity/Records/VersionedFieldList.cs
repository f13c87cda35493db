using System;
using System.Collections.Generic;
using System.Linq;

namespace MailSecurity.Records
{
    /// <summary>
    /// The record shape RFC 8461 §3.1 defines for <c>_mta-sts</c> and RFC 8460 §3 reuses for <c>_smtp._tls</c>:
    /// <c>version 1*(field-delim field) [field-delim]</c>, <c>field-delim = *WSP ";" *WSP</c>, each field <c>name=value</c>.
    /// This splits a record into its fields and reports the structural errors; what each field means is left to
    /// <see cref="MtaSts.MtaStsTxtRecordParser"/> and <see cref="TlsRpt.TlsRptRecordParser"/>. Written by hand: no DNS or mail
    /// library parses these records.
    /// </summary>
    internal sealed class VersionedFieldList
    {
        private VersionedFieldList(IReadOnlyList<KeyValuePair<string, string>> fields, IReadOnlyList<string> errors, int nonEmptyFields, bool whitespaceBeforeSeparator)
        {
            Fields = fields;
            Errors = errors;
            NonEmptyFields = nonEmptyFields;
            WhitespaceBeforeSeparator = whitespaceBeforeSeparator;
        }

        /// <summary>The well-formed <c>name=value</c> fields after the version, in order (repeats kept).</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Fields { get; }

        /// <summary>Structural errors: no ';' after the version, an empty field in the middle, a field without '='.</summary>
        public IReadOnlyList<string> Errors { get; }

        /// <summary>How many fields follow the version, well-formed or not (a trailing ';' adds none).</summary>
        public int NonEmptyFields { get; }

        /// <summary>True when white space separates the version from the first ';' (allowed by the ABNF; erratum 6285).</summary>
        public bool WhitespaceBeforeSeparator { get; }

        /// <summary>
        /// True when <paramref name="text"/> begins with the exact, case-sensitive <paramref name="version"/> followed by the end,
        /// white space or ';': the ABNF reading of the "records not beginning with v=...; are discarded" rule.
        /// </summary>
        public static bool BeginsWithVersion(string? text, string version)
        {
            if (text is null || !text.StartsWith(version, StringComparison.Ordinal))
            {
                return false;
            }

            if (text.Length == version.Length)
            {
                return true;
            }

            var c = text[version.Length];
            return c == ';' || c == ' ' || c == '\t';
        }

        /// <summary>
        /// Splits a record into its fields. The version is compared, not skipped: a record that does not begin with
        /// <paramref name="version"/> (see <see cref="BeginsWithVersion"/>) gets one error and no fields.
        /// </summary>
        /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
        public static VersionedFieldList Parse(string text, string version)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            var fields = new List<KeyValuePair<string, string>>();
            var errors = new List<string>();
            if (!BeginsWithVersion(text, version))
            {
                // RFC 8461 §3.1 / RFC 8460 §3: the exact, case-sensitive version must come first.
                errors.Add(text.Length == 0 ? $"the record is empty; it must begin with {version}" : $"the record begins with '{DisplayText.Shorten(text, version.Length + 8)}', not with {version}");
                return new VersionedFieldList(fields, errors, 0, false);
            }

            var rest = text.Substring(version.Length);
            var ws = rest.Length > 0 && (rest[0] == ' ' || rest[0] == '\t') && rest.TrimStart(' ', '\t').StartsWith(";", StringComparison.Ordinal);
            var parts = rest.Split(';');
            if (parts[0].Trim(' ', '\t').Length != 0)
            {
                errors.Add($"{version} must be followed by ';'");
            }

            var nonEmpty = 0;
            for (var i = 1; i < parts.Length; i++)
            {
                var field = parts[i].Trim(' ', '\t');
                if (field.Length == 0)
                {
                    // One trailing field-delim is allowed; an empty field anywhere else is a syntax error.
                    if (i != parts.Length - 1)
                    {
                        errors.Add("an empty field between two semicolons");
                    }

                    continue;
                }

                nonEmpty++;
                var eq = field.IndexOf('=');
                if (eq <= 0)
                {
                    errors.Add($"'{DisplayText.Shorten(field)}' is not name=value");
                    continue;
                }

                fields.Add(new KeyValuePair<string, string>(field.Substring(0, eq), field.Substring(eq + 1)));
            }

            return new VersionedFieldList(fields, DisplayText.LimitProblems(errors), nonEmpty, ws);
        }

        /// <summary>RFC 8461 §3.1 sts-ext-name (RFC 8460 §3 tlsrpt-ext-name, and the policy's field names) = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".").</summary>
        public static bool IsExtensionName(string name)
        {
            if (name.Length == 0 || name.Length > 32 || !IsAlnum(name[0]))
            {
                return false;
            }

            return name.All(c => IsAlnum(c) || c == '_' || c == '-' || c == '.');
        }

        /// <summary>RFC 8461 §3.1 sts-ext-value (RFC 8460 §3 tlsrpt-ext-value) = 1*(%x21-3A / %x3C / %x3E-7E): visible characters except ';' and '='.</summary>
        public static bool IsExtensionValue(string value)
            => value.Length > 0 && value.All(c => c >= 0x21 && c <= 0x7E && c != ';' && c != '=');

        /// <summary>ALPHA / DIGIT (RFC 5234 B.1).</summary>
        public static bool IsAlnum(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
