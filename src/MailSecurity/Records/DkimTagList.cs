using System;
using System.Collections.Generic;
using MailSecurity.Dkim;

namespace MailSecurity.Records
{
    /// <summary>One <c>tag=value</c> pair of a tag-list, with its position (0-based) in the list.</summary>
    internal sealed class TagSpec
    {
        public TagSpec(string name, string value, int position)
        {
            Name = name;
            Value = value;
            Position = position;
        }

        /// <summary>The tag name as written.</summary>
        public string Name { get; }

        /// <summary>The value with surrounding white space removed (inner white space kept).</summary>
        public string Value { get; }

        /// <summary>Index among the well-formed tags of the list.</summary>
        public int Position { get; }
    }

    /// <summary>
    /// Splits a DKIM-style tag-list (RFC 6376 §3.2), the syntax DKIM keys, DKIM-Signature and ARC header fields,
    /// DMARC (RFC 9989 §4.7) and BIMI records share. Written by hand because neither MimeKit (its tag parser is
    /// internal) nor DnsClient exposes a tag-list tokenizer, and each caller needs the raw problems (duplicates,
    /// malformed parts, control characters) to explain them, and the tag values even when MimeKit rejects a field.
    /// </summary>
    internal sealed class DkimTagList
    {
        // A field, not a params list at the call: that allocated an array on every call of a bulk run's hot path.
        private static readonly char[] TrimmedCharacters = { ' ', '\t', '\r', '\n' };

        private readonly StringComparison _nameComparison;

        private DkimTagList(IReadOnlyList<TagSpec> tags, IReadOnlyList<string> problems, IReadOnlyList<string> duplicates, int emptyElements, IReadOnlyList<string> malformedNames, StringComparison nameComparison)
        {
            _nameComparison = nameComparison;
            MalformedNames = malformedNames;
            EmptyElements = emptyElements;
            Tags = tags;
            Problems = problems;
            Duplicates = duplicates;
        }

        /// <summary>The well-formed tags in order.</summary>
        public IReadOnlyList<TagSpec> Tags { get; }

        /// <summary>Plain-language descriptions of malformed parts (each part skipped).</summary>
        public IReadOnlyList<string> Problems { get; }

        /// <summary>How many empty elements (";;") the list has; they are also listed in <see cref="Problems"/>.</summary>
        public int EmptyElements { get; }

        /// <summary>Names of well-named tags whose value was refused (control or non-ASCII characters); they are not in <see cref="Tags"/>.</summary>
        public IReadOnlyList<string> MalformedNames { get; }

        /// <summary>Tag names that occur more than once (compared as the caller asked).</summary>
        public IReadOnlyList<string> Duplicates { get; }

        /// <summary>
        /// Why the tag-list is invalid (RFC 6376 §3.2): the first malformed part, or else the first repeated tag name;
        /// null when it is valid. Empty elements (";;") are tolerated here; <see cref="Problems"/> still lists them.
        /// </summary>
        public string? SyntaxError
        {
            get
            {
                foreach (var problem in Problems)
                {
                    if (!problem.StartsWith(EmptyElementProblem, StringComparison.Ordinal))
                    {
                        return problem;
                    }
                }

                // RFC 6376 §3.2: a tag name that occurs more than once makes the entire tag-list invalid.
                return Duplicates.Count > 0 ? $"the tag '{DisplayText.Shorten(Duplicates[0])}' appears more than once" : null;
            }
        }

        /// <summary>The value of the first tag of a name (names compared as <see cref="Parse"/> was told), or null when absent.</summary>
        public string? this[string name] => Find(name, _nameComparison)?.Value;

        /// <summary>True when a tag of that name is present.</summary>
        public bool Has(string name) => Find(name, _nameComparison) != null;

        /// <summary>A value with folding white space removed (base64 values such as <c>b=</c>, <c>bh=</c>, <c>p=</c> may be folded), or null when absent.</summary>
        public string? Compact(string name)
        {
            var value = this[name];
            return value is null ? null : DkimPublicKeyReader.Compact(value);
        }

        /// <summary>The first tag of a name, or null.</summary>
        public TagSpec? Find(string name, StringComparison comparison)
        {
            foreach (var t in Tags)
            {
                if (string.Equals(t.Name, name, comparison))
                {
                    return t;
                }
            }

            return null;
        }

        /// <summary>Tokenizes <paramref name="text"/>.</summary>
        /// <param name="text">The record (TXT strings already joined).</param>
        /// <param name="nameComparison">How tag names compare for duplicate detection: DKIM and BIMI names are case-sensitive (RFC 6376 §3.2), DMARC's are ABNF literals and so case-insensitive (RFC 5234 §2.3).</param>
        /// <param name="allowUtf8Values">True for DKIM-Signature and ARC header fields, whose values may carry UTF-8 in internationalized mail (RFC 8616 §4); DNS records stay ASCII.</param>
        public static DkimTagList Parse(string text, StringComparison nameComparison, bool allowUtf8Values = false)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            var tags = new List<TagSpec>();
            var problems = new List<string>();
            var duplicates = new List<string>();
            var malformed = new List<string>();
            var empty = 0;
            var seen = new HashSet<string>(nameComparison == StringComparison.Ordinal ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
            var parts = text.Split(';');
            for (var i = 0; i < parts.Length; i++)
            {
                var part = Trim(parts[i]);
                if (part.Length == 0)
                {
                    // A trailing ";" is allowed (RFC 6376 §3.2 tag-list); an empty part elsewhere is not a tag-spec.
                    if (i < parts.Length - 1)
                    {
                        problems.Add(EmptyElementProblem + " between two semicolons");
                        empty++;
                    }

                    continue;
                }

                var eq = part.IndexOf('=');
                if (eq < 0)
                {
                    problems.Add($"'{DisplayText.Shorten(part)}' is not of the form tag=value");
                    continue;
                }

                var name = Trim(part.Substring(0, eq));
                var value = Trim(part.Substring(eq + 1));
                if (!IsTagName(name))
                {
                    problems.Add($"'{DisplayText.Shorten(name)}' is not a valid tag name");
                    continue;
                }

                var bad = FindBadCharacter(value, allowUtf8Values);
                if (bad != null)
                {
                    problems.Add($"the value of '{DisplayText.Shorten(name)}' contains {bad}");
                    malformed.Add(name);
                    continue;
                }

                if (!seen.Add(name))
                {
                    duplicates.Add(name);
                }

                tags.Add(new TagSpec(name, value, tags.Count));
            }

            return new DkimTagList(tags, DisplayText.LimitProblems(problems), duplicates, empty, malformed, nameComparison);
        }

        /// <summary>RFC 6376 §3.2: <c>tag-name = ALPHA *ALNUMPUNC</c>, ALNUMPUNC = ALPHA / DIGIT / "_".</summary>
        internal static bool IsTagName(string name)
        {
            if (name.Length == 0 || !IsAlpha(name[0]))
            {
                return false;
            }

            foreach (var c in name)
            {
                if (!(IsAlpha(c) || (c >= '0' && c <= '9') || c == '_'))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Describes the first character a tag value may not contain (controls; non-ASCII unless allowed), or null.</summary>
        internal static string? FindBadCharacter(string value, bool allowUtf8 = false)
        {
            foreach (var c in value)
            {
                // RFC 6376 §3.2: VALCHAR = %x21-3A / %x3C-7E, with folding white space between value parts.
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
                {
                    continue;
                }

                if (allowUtf8 && c > 0x7F && !char.IsControl(c))
                {
                    // RFC 8616 §4: internationalized header fields may carry UTF-8 (C1 controls stay refused).
                    continue;
                }

                if (c < 0x21 || c > 0x7E)
                {
                    return c < 0x20 || c == 0x7F
                        ? $"the control character \\x{(int)c:x2}"
                        : $"the non-ASCII character U+{(int)c:X4}";
                }
            }

            return null;
        }

        /// <summary>Removes folding white space (SP, HTAB, CR, LF) from both ends.</summary>
        internal static string Trim(string s) => s.Trim(TrimmedCharacters);

        private const string EmptyElementProblem = "an empty element";

        private static bool IsAlpha(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
