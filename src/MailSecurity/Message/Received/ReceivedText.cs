using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;

namespace MailSecurity.Message.Received
{
    /// <summary>Reads addresses as Received fields write them, with the ports and prefixes MTAs glue to them.</summary>
    internal static class AddressText
    {
        /// <summary>
        /// Reads <c>192.0.2.1</c>, <c>[192.0.2.1]</c>, <c>[192.0.2.1]:25</c>, <c>[IPv6:2001:db8::1]</c>, <c>[::ffff:192.0.2.1]</c>,
        /// Exim 3's <c>[192.0.2.1.54321]</c>, ecelerity's <c>[192.0.2.1:54321]</c>, XMail's <c>192.0.2.1:54321</c>. IPv4-mapped IPv6
        /// addresses come out as IPv4 (the client was an IPv4 host on a dual-stack socket); zone ids and ports are dropped.
        /// </summary>
        public static bool TryRead(string? text, out string normalized)
        {
            normalized = string.Empty;
            if (string.IsNullOrEmpty(text))
            {
                return false;
            }

            var s = text!.Trim().Trim('"').TrimEnd(',', ';', '.');
            if (s.StartsWith("[", StringComparison.Ordinal))
            {
                var close = s.IndexOf(']');
                if (close < 0)
                {
                    return false;
                }

                s = s.Substring(1, close - 1);
            }

            if (s.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase) || s.StartsWith("IPv4:", StringComparison.OrdinalIgnoreCase))
            {
                s = s.Substring(5);
            }

            if (s.IndexOf(':') < 0 || CountOf(s, ':') == 1 && s.IndexOf('.') > 0)
            {
                // IPv4, possibly with ":port" (ecelerity, XMail) or ".port" as a fifth part (Exim 3).
                var colon = s.IndexOf(':');
                if (colon > 0)
                {
                    s = s.Substring(0, colon);
                }

                var parts = s.Split('.');
                if (parts.Length == 5)
                {
                    s = string.Join(".", parts, 0, 4);
                }
            }

            if (!AddressScopeClassifier.TryParse(s, out var ip, out var text2) || ip is null)
            {
                return false;
            }

            normalized = ip.AddressFamily == AddressFamily.InterNetworkV6 && ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4().ToString() : text2;
            return true;
        }

        /// <summary>True when the text reads as an address (see <see cref="TryRead"/>).</summary>
        public static bool IsAddress(string? text) => TryRead(text, out _);

        private static int CountOf(string s, char c)
        {
            var n = 0;
            foreach (var ch in s)
            {
                if (ch == c)
                {
                    n++;
                }
            }

            return n;
        }
    }

    /// <summary>TLS protocol names as MTAs write them.</summary>
    internal static class TlsVersionText
    {
        /// <summary>
        /// Normalises <c>TLSv1.3</c>, <c>TLS1.3</c>, <c>TLS1_2</c>, <c>TLSv1</c>, <c>TLS1</c>, <c>TLS-1.0</c>, <c>SSLv3</c> to
        /// <c>TLSv1.3</c> / <c>TLSv1.0</c> / <c>SSLv3</c>. Anything else (OpenSSL's ambiguous <c>TLSv1/SSLv3</c>) is kept as written.
        /// Hand-written: a dozen fixed spellings, no pattern engine needed.
        /// </summary>
        public static string Normalize(string? version)
        {
            var v = (version ?? string.Empty).Trim().TrimEnd(',', ';', ':');
            var upper = v.ToUpperInvariant();
            string prefix;
            if (upper.StartsWith("TLS", StringComparison.Ordinal))
            {
                prefix = "TLS";
            }
            else if (upper.StartsWith("SSL", StringComparison.Ordinal))
            {
                prefix = "SSL";
            }
            else
            {
                return v;
            }

            var rest = upper.Substring(3).TrimStart('V', '-', '_');
            if (rest.Length == 0 || !char.IsDigit(rest[0]))
            {
                return v;
            }

            var major = rest[0];
            string minor;
            if (rest.Length == 1)
            {
                minor = "0";
            }
            else if ((rest[1] == '.' || rest[1] == '_') && rest.Length == 3 && char.IsDigit(rest[2]))
            {
                minor = rest[2].ToString();
            }
            else
            {
                return v;
            }

            return prefix == "SSL" ? "SSLv" + major : $"TLSv{major}.{minor}";
        }

        /// <summary>True when the text is a TLS or SSL version in one of the forms <see cref="Normalize"/> knows.</summary>
        public static bool IsVersion(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return false;
            }

            var n = Normalize(text);
            return n.StartsWith("TLSv", StringComparison.Ordinal) && n.Length == 7 || n.StartsWith("SSLv", StringComparison.Ordinal) && n.Length == 5
                || string.Equals(text, "TLSv1/SSLv3", StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>Host-name shapes.</summary>
    internal static class HostText
    {
        /// <summary>Placeholders MTAs write instead of a reverse name they could not find.</summary>
        private static readonly HashSet<string> NoName = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "unknown", "softdnserr", "<unknown.domain>", "unverified", "nodnsquery", "no.name.available",
        };

        /// <summary>True for <c>unknown</c> and the other "no reverse name" placeholders.</summary>
        public static bool IsPlaceholder(string s) => NoName.Contains(s);

        /// <summary>Removes one trailing dot (<c>mga07.intel.com.</c>) and trailing commas.</summary>
        public static string Trim(string s)
        {
            var t = s.Trim().TrimEnd(',');
            return t.Length > 1 && t.EndsWith(".", StringComparison.Ordinal) ? t.Substring(0, t.Length - 1) : t;
        }

        /// <summary>Letters, digits, dots, hyphens and underscores (and non-ASCII letters for IDN U-labels) only.</summary>
        public static bool LooksLikeHostName(string s)
        {
            var t = Trim(s);
            if (t.Length == 0 || t.Length > 253)
            {
                return false;
            }

            foreach (var ch in t)
            {
                if (!(char.IsLetterOrDigit(ch) || ch == '.' || ch == '-' || ch == '_'))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>A host name with at least two labels that is not a placeholder or an address.</summary>
        public static bool IsQualifiedName(string s)
        {
            var t = Trim(s);
            return !IsPlaceholder(t) && t.IndexOf('.') > 0 && LooksLikeHostName(t) && !AddressText.IsAddress(t);
        }

        /// <summary>True for <c>localhost</c> and <c>localhost.localdomain</c>.</summary>
        public static bool IsLocalhost(string? s)
            => s != null && (s.Equals("localhost", StringComparison.OrdinalIgnoreCase) || s.Equals("localhost.localdomain", StringComparison.OrdinalIgnoreCase));

        /// <summary>Splits the top level of a comment (nested comments removed) into words, with its nested comments apart.</summary>
        public static string[] Words(string commentText, List<string>? nested = null)
            => ReceivedTokenizer.TopLevelText(commentText, nested).Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
    }
}
