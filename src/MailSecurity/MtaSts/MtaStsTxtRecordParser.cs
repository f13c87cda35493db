using System;
using System.Collections.Generic;
using System.Linq;
using MailSecurity.Dkim;
using MailSecurity.Records;

namespace MailSecurity.MtaSts
{
    /// <summary>The outcome of parsing one v=STSv1 record.</summary>
    internal sealed class MtaStsTxtParseResult
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
    internal static class MtaStsTxtRecordParser
    {
        private const string Version = "v=STSv1";

        /// <summary>
        /// True for records kept by the first discovery step: the exact, case-sensitive "v=STSv1" followed by the end,
        /// white space or ";" (the ABNF reading of the §3.1 prefix rule).
        /// </summary>
        public static bool IsStsRecord(string text) => VersionedFieldList.BeginsWithVersion(text, Version);

        /// <summary>Parses a record; one that does not begin with v=STSv1 (<see cref="IsStsRecord"/>) is invalid with that error.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
        public static MtaStsTxtParseResult Parse(string text)
        {
            var list = VersionedFieldList.Parse(text, Version);
            var errors = list.Errors.ToList();
            var duplicates = new List<string>();
            var extensions = new Dictionary<string, string>(StringComparer.Ordinal);
            string? id = null;
            string? idError = null;
            var idSeen = false;
            foreach (var field in list.Fields)
            {
                var name = field.Key;
                var value = field.Value;
                if (name == "id")
                {
                    if (idSeen)
                    {
                        duplicates.Add("id");
                        continue;
                    }

                    idSeen = true;
                    // sts-id = %s"id=" 1*32(ALPHA / DIGIT)
                    if (value.Length >= 1 && value.Length <= 32 && value.All(VersionedFieldList.IsAlnum))
                    {
                        id = value;
                    }
                    else
                    {
                        idError = value.Length == 0 ? "the id is empty" : value.Length > 32 ? $"the id has {value.Length} characters (at most 32)" : $"the id '{DisplayText.Shorten(value)}' contains characters other than letters and digits";
                        errors.Add(idError);
                    }

                    continue;
                }

                if (!VersionedFieldList.IsExtensionName(name))
                {
                    errors.Add($"'{DisplayText.Shorten(name)}' is not a valid field name");
                    continue;
                }

                if (!VersionedFieldList.IsExtensionValue(value))
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

            if (list.NonEmptyFields == 0 && IsStsRecord(text))
            {
                errors.Add("the record has no fields after the version");
            }

            if (!idSeen && IsStsRecord(text))
            {
                idError = "the required id field is missing";
                errors.Add(idError);
            }

            return new MtaStsTxtParseResult(id, idError, extensions, DisplayText.LimitProblems(errors), duplicates.Distinct(StringComparer.Ordinal).Take(DisplayText.MaxProblems).ToList(), list.WhitespaceBeforeSeparator);
        }
    }
}
