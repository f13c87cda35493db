using System;
using System.Collections.Generic;

namespace MailSecurity.MtaSts
{
    /// <summary>
    /// Matches MX host names against MTA-STS mx patterns with the exact RFC 8461 §4.1 rule: a literal pattern matches
    /// only itself; <c>*.example.com</c> matches exactly one extra left-most label (<c>mail.example.com</c>), never
    /// <c>example.com</c> and never <c>a.b.example.com</c>. Comparison is case-insensitive; a trailing dot is ignored.
    /// </summary>
    internal static class MtaStsMxMatcher
    {
        /// <summary>True when <paramref name="pattern"/> is a valid mx value: an A-label host name, optionally prefixed by <c>*.</c>.</summary>
        /// <param name="pattern">The mx value as written in the policy.</param>
        /// <param name="reason">Why it is invalid (empty when valid).</param>
        public static bool IsValidPattern(string? pattern, out string reason)
        {
            reason = string.Empty;
            if (string.IsNullOrEmpty(pattern))
            {
                reason = "the mx value is empty";
                return false;
            }

            var p = Trim(pattern!);
            if (p.Length == 0)
            {
                reason = "the mx value is only a dot";
                return false;
            }

            var name = p.StartsWith("*.", StringComparison.Ordinal) ? p.Substring(2) : p;
            if (name.Length == 0)
            {
                reason = "the wildcard covers no domain";
                return false;
            }

            if (name.Length > 253)
            {
                reason = $"the name is {name.Length} characters long (at most 253)";
                return false;
            }

            var labels = name.Split('.');
            if (p.StartsWith("*.", StringComparison.Ordinal) && labels.Length < 2)
            {
                // '*.com' would make every host under a top-level domain acceptable; RFC 6125 §6.4.3 forbids it for certificates too.
                reason = "a wildcard over a single-label name is not allowed";
                return false;
            }

            foreach (var label in labels)
            {
                if (label.Length == 0)
                {
                    reason = "the name has an empty label";
                    return false;
                }

                if (label.Length > 63)
                {
                    reason = $"a label has {label.Length} characters (at most 63)";
                    return false;
                }

                foreach (var c in label)
                {
                    if (c == '*')
                    {
                        reason = "'*' is only allowed as the whole left-most label ('*.')";
                        return false;
                    }

                    if (c > 0x7F)
                    {
                        // RFC 8461 §3.2: internationalised names must be written as A-labels.
                        reason = "the name contains non-ASCII characters; write internationalised names as A-labels (xn--)";
                        return false;
                    }

                    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
                    {
                        reason = $"the character '{Dns.DomainName.Printable(c.ToString())}' is not allowed in a host name";
                        return false;
                    }
                }

                if (label[0] == '-' || label[label.Length - 1] == '-')
                {
                    reason = "a label begins or ends with a hyphen";
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// True when <paramref name="hostName"/> matches <paramref name="pattern"/> (RFC 8461 §4.1, App. B: split the host at its first
        /// dot and compare the rest with the pattern without its leading <c>*.</c>). Invalid patterns match nothing.
        /// </summary>
        public static bool Matches(string pattern, string hostName)
        {
            if (!IsValidPattern(pattern, out _) || string.IsNullOrEmpty(hostName))
            {
                return false;
            }

            var p = Trim(pattern);
            var host = Trim(hostName);
            if (p.StartsWith("*.", StringComparison.Ordinal))
            {
                var dot = host.IndexOf('.');
                if (dot <= 0)
                {
                    return false;
                }

                // The wildcard stands for exactly the first label; the rest must equal the pattern's domain.
                return string.Equals(host.Substring(dot + 1), p.Substring(2), StringComparison.OrdinalIgnoreCase);
            }

            return string.Equals(host, p, StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>The first pattern of <paramref name="patterns"/> that matches <paramref name="hostName"/>, or null.</summary>
        public static string? FirstMatch(IEnumerable<string> patterns, string hostName)
        {
            foreach (var p in patterns)
            {
                if (Matches(p, hostName))
                {
                    return p;
                }
            }

            return null;
        }

        private static string Trim(string name)
            => name.EndsWith(".", StringComparison.Ordinal) ? name.Substring(0, name.Length - 1) : name;
    }
}
