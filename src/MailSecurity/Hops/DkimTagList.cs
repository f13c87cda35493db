using System;
using System.Collections.Generic;
using System.Text;

namespace MailSecurity.Hops
{
    /// <summary>
    /// An RFC 6376 §3.2 tag list (<c>v=1; a=rsa-sha256; d=example.org; ...</c>), as used by DKIM-Signature,
    /// ARC headers and DKIM key records. Written here because MimeKit's tag parser is internal, and verdicts need
    /// the tag values (d=, s=, a=, h=) even when MimeKit rejects the field.
    /// </summary>
    internal sealed class DkimTagList
    {
        private readonly Dictionary<string, string> _tags;

        private DkimTagList(Dictionary<string, string> tags, List<string> order)
        {
            _tags = tags;
            Order = order;
        }

        /// <summary>Tag names in the order they appear.</summary>
        public IReadOnlyList<string> Order { get; }

        /// <summary>Parses a tag list; <paramref name="error"/> explains a syntax error (RFC 6376 §3.2: duplicates invalidate the list).</summary>
        public static DkimTagList Parse(string text, out string? error)
        {
            error = null;
            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            var order = new List<string>();
            foreach (var part in text.Split(';'))
            {
                var spec = part.Trim();
                if (spec.Length == 0)
                {
                    continue;
                }

                var eq = spec.IndexOf('=');
                if (eq <= 0)
                {
                    error ??= $"'{Shorten(spec)}' is not a tag=value pair";
                    continue;
                }

                var name = spec.Substring(0, eq).Trim();
                var valid = name.Length > 0 && char.IsLetter(name[0]);
                foreach (var ch in name)
                {
                    valid &= (ch < 128 && char.IsLetterOrDigit(ch)) || ch == '_';
                }

                if (!valid)
                {
                    error ??= $"'{Shorten(name)}' is not a valid tag name";
                    continue;
                }

                var value = spec.Substring(eq + 1).Trim();
                if (tags.ContainsKey(name))
                {
                    error ??= $"the tag '{name}' appears twice";
                    continue;
                }

                tags[name] = value;
                order.Add(name);
            }

            return new DkimTagList(tags, order);
        }

        /// <summary>The value of a tag, or <c>null</c> when absent.</summary>
        public string? this[string name] => _tags.TryGetValue(name, out var v) ? v : null;

        /// <summary>True when the tag is present.</summary>
        public bool Has(string name) => _tags.ContainsKey(name);

        /// <summary>A value with all white space removed (base64 values such as <c>b=</c>, <c>bh=</c>, <c>p=</c> may be folded).</summary>
        public string? Compact(string name)
        {
            var v = this[name];
            if (v is null)
            {
                return null;
            }

            var sb = new StringBuilder(v.Length);
            foreach (var ch in v)
            {
                if (!char.IsWhiteSpace(ch))
                {
                    sb.Append(ch);
                }
            }

            return sb.ToString();
        }

        private static string Shorten(string s) => s.Length > 40 ? s.Substring(0, 40) + "..." : s;
    }
}
