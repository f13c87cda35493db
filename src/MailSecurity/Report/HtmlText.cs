using System.Globalization;
using System.Text;

namespace MailSecurity.Report
{
    /// <summary>
    /// Encodes untrusted text (domain names, DNS records, finding messages) for HTML element content and quoted attribute
    /// values. Written here rather than taken from the BCL because the report needs more than markup safety:
    /// <c>WebUtility.HtmlEncode</c> (the encoder available on netstandard2.0) passes control characters, bidirectional
    /// overrides and most non-ASCII text through unchanged, while the report must (1) be pure ASCII, so the page is right
    /// whatever encoding Set-Content or Out-File uses on Windows PowerShell 5.1, and (2) show invisible or reordering
    /// characters from hostile records instead of letting them hide or rearrange what the reader sees.
    /// </summary>
    internal static class HtmlText
    {
        /// <summary>Encodes <paramref name="text"/> so that it is shown literally, as ASCII.</summary>
        public static string Encode(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return string.Empty;
            }

            var sb = new StringBuilder(text!.Length + 16);
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                switch (c)
                {
                    case '&':
                        sb.Append("&amp;");
                        continue;
                    case '<':
                        sb.Append("&lt;");
                        continue;
                    case '>':
                        sb.Append("&gt;");
                        continue;
                    case '"':
                        sb.Append("&quot;");
                        continue;
                    case '\'':
                        sb.Append("&#39;");
                        continue;
                    case '\n':
                    case '\t':
                        sb.Append(c);
                        continue;
                    case '\r':
                        // CRLF is a line break; a lone CR is shown like any other control character.
                        if (i + 1 < text.Length && text[i + 1] == '\n')
                        {
                            continue;
                        }

                        break;
                }

                if (c >= 0x20 && c < 0x7F)
                {
                    sb.Append(c);
                }
                else if (c < 0x20 || c == 0x7F)
                {
                    // C0 controls and DEL as their Unicode control pictures (U+2400-U+2421): visible, one glyph each.
                    AppendReference(sb, c == 0x7F ? 0x2421 : 0x2400 + c);
                }
                else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    AppendReference(sb, char.ConvertToUtf32(c, text[i + 1]));
                    i++;
                }
                else if (char.IsSurrogate(c) || Hidden(c))
                {
                    // Lone surrogates, C1 controls, format characters (bidirectional overrides, zero-width characters) and
                    // non-characters are shown as escapes rather than rendered.
                    sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                }
                else
                {
                    AppendReference(sb, c);
                }
            }

            return sb.ToString();
        }

        private static bool Hidden(char c)
        {
            if ((c >= 0x80 && c <= 0x9F) || c == 0xFFFE || c == 0xFFFF)
            {
                return true;
            }

            var category = char.GetUnicodeCategory(c);
            return category == UnicodeCategory.Format || category == UnicodeCategory.LineSeparator || category == UnicodeCategory.ParagraphSeparator
                || category == UnicodeCategory.PrivateUse;
        }

        private static void AppendReference(StringBuilder sb, int codePoint)
            => sb.Append("&#x").Append(codePoint.ToString("X", CultureInfo.InvariantCulture)).Append(';');
    }
}
