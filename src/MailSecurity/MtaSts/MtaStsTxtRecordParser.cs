using System;
using System.Collections.Generic;
using System.Linq;
using MailSecurity.Dkim;

namespace MailSecurity.MtaSts
{
    /// <summary>The outcome of parsing one v=STSv1 record.</summary>
    public sealed class MtaStsTxtParseResult
    {
        internal MtaStsTxtParseResult(string? id, string? idError, IReadOnlyDictionary<string, string> extensions, IReadOnlyList<string> errors, IReadOnlyList<string> duplicates, bool whitespaceBeforeSeparator)
        {
            Id = id;
            IdError = idError;
            Extensions = extensions;
            Errors = errors;
            Duplicates = duplicates;
            WhitespaceBeforeSeparator = whitespaceBeforeSeparator;
        }

        /// <summary>The id (first occurrence), when syntactically valid.</summary>
        public string? Id { get; }

        /// <summary>Why the id is unusable (missing, empty, too long, not letters and digits), or null; also in <see cref="Errors"/>.</summary>
        public string? IdError { get; }

        /// <summary>Extension fields (first occurrence of each).</summary>
        public IReadOnlyDictionary<string, string> Extensions { get; }

        /// <summary>Grammar violations; empty when the record is valid.</summary>
        public IReadOnlyList<string> Errors { get; }

        /// <summary>Fields that occur more than once.</summary>
        public IReadOnlyList<string> Duplicates { get; }

        /// <summary>True when white space separates v=STSv1 from the first ';' (erratum 6285).</summary>
        public bool WhitespaceBeforeSeparator { get; }

        /// <summary>True when the record is valid.</summary>
        public bool IsValid => Errors.Count == 0;
    }

    /// <summary>
    /// Parses the <c>_mta-sts</c> TXT record by the RFC 8461 §3.1 ABNF. Erratum 6285 decision: the ABNF
    /// (<c>sts-field-delim = *WSP ";" *WSP</c>) is followed, so "v=STSv1 ;id=x" is a record, but it gets a warning
    /// because senders applying the prose's literal "v=STSv1;" prefix test drop it.
    /// </summary>
    public static class MtaStsTxtRecordParser
    {
        private const string Version = "v=STSv1";

        /// <summary>
        /// True for records kept by the first discovery step: the exact, case-sensitive "v=STSv1" followed by the end,
        /// white space or ";" (the ABNF reading of the §3.1 prefix rule).
        /// </summary>
        public static bool IsStsRecord(string text)
        {
            if (text is null || !text.StartsWith(Version, StringComparison.Ordinal))
            {
                return false;
            }

            if (text.Length == Version.Length)
            {
                return true;
            }

            var c = text[Version.Length];
            return c == ';' || c == ' ' || c == '\t';
        }

        /// <summary>Parses a record for which <see cref="IsStsRecord"/> is true.</summary>
        public static MtaStsTxtParseResult Parse(string text)
        {
            var errors = new List<string>();
            var duplicates = new List<string>();
            var extensions = new Dictionary<string, string>(StringComparer.Ordinal);
            string? id = null;
            string? idError = null;
            var idSeen = false;
            var rest = text.Substring(Version.Length);
            var ws = rest.Length > 0 && (rest[0] == ' ' || rest[0] == '\t') && rest.TrimStart(' ', '\t').StartsWith(";", StringComparison.Ordinal);
            var parts = rest.Split(';');
            if (parts[0].Trim(' ', '\t').Length != 0)
            {
                errors.Add("v=STSv1 must be followed by ';'");
            }

            var fields = 0;
            for (var i = 1; i < parts.Length; i++)
            {
                var field = parts[i].Trim(' ', '\t');
                if (field.Length == 0)
                {
                    // sts-text-record allows one trailing sts-field-delim; an empty field elsewhere is a syntax error.
                    if (i != parts.Length - 1)
                    {
                        errors.Add("an empty field between two semicolons");
                    }

                    continue;
                }

                fields++;
                var eq = field.IndexOf('=');
                if (eq <= 0)
                {
                    errors.Add($"'{DkimTagList.Shorten(field)}' is not name=value");
                    continue;
                }

                var name = field.Substring(0, eq);
                var value = field.Substring(eq + 1);
                if (name == "id")
                {
                    if (idSeen)
                    {
                        duplicates.Add("id");
                        continue;
                    }

                    idSeen = true;
                    // sts-id = %s"id=" 1*32(ALPHA / DIGIT)
                    if (value.Length >= 1 && value.Length <= 32 && value.All(IsAlnum))
                    {
                        id = value;
                    }
                    else
                    {
                        idError = value.Length == 0 ? "the id is empty" : value.Length > 32 ? $"the id has {value.Length} characters (at most 32)" : $"the id '{DkimTagList.Shorten(value)}' contains characters other than letters and digits";
                        errors.Add(idError);
                    }

                    continue;
                }

                if (!IsExtensionName(name))
                {
                    errors.Add($"'{DkimTagList.Shorten(name)}' is not a valid field name");
                    continue;
                }

                if (!IsExtensionValue(value))
                {
                    errors.Add($"the value of '{name}' is empty or contains characters not allowed (space, '=', ';', controls, non-ASCII)");
                    continue;
                }

                if (extensions.ContainsKey(name))
                {
                    duplicates.Add(name);
                    continue;
                }

                extensions[name] = value;
            }

            if (fields == 0)
            {
                errors.Add("the record has no fields after the version");
            }

            if (!idSeen)
            {
                idError = "the required id field is missing";
                errors.Add(idError);
            }

            return new MtaStsTxtParseResult(id, idError, extensions, errors, duplicates, ws);
        }

        /// <summary>RFC 8461 §3.1 sts-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".").</summary>
        internal static bool IsExtensionName(string name)
        {
            if (name.Length == 0 || name.Length > 32 || !IsAlnum(name[0]))
            {
                return false;
            }

            return name.All(c => IsAlnum(c) || c == '_' || c == '-' || c == '.');
        }

        /// <summary>RFC 8461 §3.1 sts-ext-value = 1*(%x21-3A / %x3C / %x3E-7E): visible characters except ';' and '='.</summary>
        internal static bool IsExtensionValue(string value)
            => value.Length > 0 && value.All(c => c >= 0x21 && c <= 0x7E && c != ';' && c != '=');

        private static bool IsAlnum(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
