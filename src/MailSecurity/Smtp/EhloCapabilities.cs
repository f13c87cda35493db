using System;
using System.Collections.Generic;
using System.Globalization;

namespace MailSecurity.Smtp
{
    /// <summary>Reads SMTP reply lines and EHLO extension lists (RFC 5321 §4.1.1.1, §4.2).</summary>
    internal static class EhloCapabilities
    {
        /// <summary>
        /// Splits one reply line (without CRLF) into code, continuation flag and text. A line is well formed when it
        /// is three digits followed by nothing, a space or a hyphen (RFC 5321 §4.2: <c>Reply-code [ SP textstring ]</c>
        /// on the last line, <c>Reply-code "-" [ textstring ]</c> on the others).
        /// </summary>
        /// <param name="line">The line.</param>
        /// <param name="code">The reply code (100–599).</param>
        /// <param name="isLast">True when this ends the reply (no hyphen).</param>
        /// <param name="text">The text after the separator.</param>
        public static bool TryParseReplyLine(string line, out int code, out bool isLast, out string text)
        {
            code = 0;
            isLast = true;
            text = string.Empty;
            if (line is null || line.Length < 3 || !IsDigit(line[0]) || !IsDigit(line[1]) || !IsDigit(line[2]))
            {
                return false;
            }

            code = int.Parse(line.Substring(0, 3), NumberStyles.None, CultureInfo.InvariantCulture);
            if (code < 100 || code > 599)
            {
                return false;
            }

            if (line.Length == 3)
            {
                return true;
            }

            if (line[3] != ' ' && line[3] != '-')
            {
                return false;
            }

            isLast = line[3] == ' ';
            text = line.Substring(4);
            return true;
        }

        /// <summary>
        /// The extension lines of an EHLO reply: every line's text but the first (which carries the server's
        /// domain and greeting), trimmed, empty lines dropped.
        /// </summary>
        /// <param name="replyTexts">The text part of each line of the 250 reply, in order.</param>
        public static IReadOnlyList<string> FromEhloReply(IReadOnlyList<string> replyTexts)
        {
            var list = new List<string>();
            if (replyTexts is null)
            {
                return list;
            }

            for (var i = 1; i < replyTexts.Count; i++)
            {
                var t = replyTexts[i].Trim();
                if (t.Length > 0)
                {
                    list.Add(t);
                }
            }

            return list;
        }

        /// <summary>The keyword of an extension line (upper case): <c>SIZE 1000</c> → <c>SIZE</c>; <c>AUTH=LOGIN</c> → <c>AUTH</c>.</summary>
        public static string Keyword(string extensionLine)
        {
            var t = (extensionLine ?? string.Empty).Trim();
            var end = 0;
            while (end < t.Length && t[end] != ' ' && t[end] != '=')
            {
                end++;
            }

            return t.Substring(0, end).ToUpperInvariant();
        }

        /// <summary>True when one of the extension lines has the keyword (case-insensitive; the old <c>AUTH=</c> form counts as AUTH).</summary>
        public static bool Has(IEnumerable<string> extensionLines, string keyword)
        {
            if (extensionLines is null)
            {
                return false;
            }

            foreach (var line in extensionLines)
            {
                if (string.Equals(Keyword(line), keyword, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The parameters of the first line with the keyword (e.g. <c>PLAIN LOGIN</c> for AUTH), or <c>null</c>.</summary>
        public static string? Parameters(IEnumerable<string> extensionLines, string keyword)
        {
            if (extensionLines is null)
            {
                return null;
            }

            foreach (var line in extensionLines)
            {
                if (string.Equals(Keyword(line), keyword, StringComparison.OrdinalIgnoreCase))
                {
                    var t = line.Trim();
                    return t.Length > keyword.Length ? t.Substring(keyword.Length + 1).Trim() : string.Empty;
                }
            }

            return null;
        }

        /// <summary>The SIZE limit (RFC 1870 §4): the number, 0 for SIZE without a number, <c>null</c> when SIZE is absent or malformed.</summary>
        public static long? SizeLimit(IEnumerable<string> extensionLines)
        {
            var p = Parameters(extensionLines, "SIZE");
            if (p is null)
            {
                return null;
            }

            if (p.Length == 0)
            {
                return 0;
            }

            return long.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : (long?)null;
        }

        private static bool IsDigit(char c) => c >= '0' && c <= '9';
    }
}
