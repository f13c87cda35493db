using System;
using System.Globalization;
using System.Text;

namespace MailSecurity.Dns
{
    /// <summary>
    /// Normalises and validates domain names as typed by administrators: trims, drops one trailing dot,
    /// lower-cases, converts U-labels to A-labels (IDNA via <see cref="IdnMapping"/>) and checks the DNS
    /// length limits (RFC 1035 §2.3.4). Underscore labels are allowed (<c>_dmarc</c>, <c>_25._tcp</c>).
    /// </summary>
    internal static class DomainName
    {
        /// <summary>The longest name in text form, without the trailing dot (RFC 1035 §2.3.4: 255 octets on the wire).</summary>
        public const int MaxLength = 253;

        private static readonly IdnMapping Idn = new IdnMapping { AllowUnassigned = false, UseStd3AsciiRules = false };

        /// <summary>Normalises <paramref name="input"/>; returns false with a plain reason when it is not a usable name.</summary>
        /// <param name="input">The name as typed.</param>
        /// <param name="normalized">Lower-case A-label form without trailing dot.</param>
        /// <param name="error">Why the name is unusable.</param>
        public static bool TryNormalize(string? input, out string normalized, out string error)
            => TryNormalize(input, DnsNameSyntax.HostName, out normalized, out error);

        /// <summary>Normalises <paramref name="input"/> under the given label syntax; returns false with a plain reason when it is not a usable name.</summary>
        /// <param name="input">The name as typed or built.</param>
        /// <param name="syntax">Which characters labels may hold.</param>
        /// <param name="normalized">Lower-case A-label form without trailing dot.</param>
        /// <param name="error">Why the name is unusable.</param>
        public static bool TryNormalize(string? input, DnsNameSyntax syntax, out string normalized, out string error)
        {
            normalized = string.Empty;
            error = string.Empty;
            if (input is null)
            {
                error = "The name is empty.";
                return false;
            }

            // RFC 1035 §2.3.4: 253 characters in text form. Every code point of a U-label becomes at least one A-label
            // character (only ignorable ones vanish), so text four times longer cannot fit: refused before any copy of it.
            if (input.Length > (4 * MaxLength) + 64)
            {
                error = $"The name is {input.Length} characters long; DNS names are at most {MaxLength} (RFC 1035 §2.3.4).";
                return false;
            }

            var s = syntax == DnsNameSyntax.AnyPrintableAscii ? input : input.Trim();
            if (s.EndsWith(".", StringComparison.Ordinal))
            {
                s = s.Substring(0, s.Length - 1);
            }

            if (s.Length == 0)
            {
                error = "The name is empty.";
                return false;
            }

            if (s.Length > 4 * MaxLength)
            {
                error = $"The name is {s.Length} characters long; DNS names are at most {MaxLength} (RFC 1035 §2.3.4).";
                return false;
            }

            foreach (var ch in s)
            {
                if (char.IsControl(ch) || (char.IsWhiteSpace(ch) && !(syntax == DnsNameSyntax.AnyPrintableAscii && ch == ' ')))
                {
                    error = $"The name '{Printable(input)}' contains a control or white-space character.";
                    return false;
                }
            }

            var ascii = true;
            foreach (var ch in s)
            {
                if (ch > 0x7F)
                {
                    ascii = false;
                    break;
                }
            }

            if (!ascii)
            {
                try
                {
                    s = Idn.GetAscii(s);
                }
                catch (ArgumentException ex)
                {
                    error = $"The name '{Printable(input)}' is not a valid internationalised domain name: {ex.Message}";
                    return false;
                }
            }

            s = s.ToLowerInvariant();
            if (s.Length > MaxLength)
            {
                error = $"The name is {s.Length} characters long; DNS names are at most {MaxLength} (RFC 1035 §2.3.4).";
                return false;
            }

            // Label by label over the string itself: every DNS question passes here, and splitting allocated an array and
            // a string per label for names that are nearly always valid (issue 16).
            for (var start = 0; start <= s.Length;)
            {
                var end = s.IndexOf('.', start);
                if (end < 0)
                {
                    end = s.Length;
                }

                var length = end - start;
                if (length == 0)
                {
                    error = $"The name '{Printable(input)}' has an empty label.";
                    return false;
                }

                if (length > 63)
                {
                    error = $"The name '{Printable(input)}' has a label of {length} characters; labels are at most 63.";
                    return false;
                }

                if (syntax == DnsNameSyntax.HostName && !IsValidALabel(s, start, length))
                {
                    // RFC 5890 §2.3.2.1: an "xn--" label must be the Punycode form of a valid U-label; otherwise no
                    // registry can hold it, and asking a resolver would blame the network for a typing mistake.
                    error = $"The name '{Printable(input)}' has the label '{s.Substring(start, length)}', which starts with 'xn--' but is not a valid internationalised (IDNA) label.";
                    return false;
                }

                for (var i = start; i < end; i++)
                {
                    var ch = s[i];
                    var ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '*'
                        || (syntax == DnsNameSyntax.AnyPrintableAscii && ch >= 0x20 && ch < 0x7F);
                    if (!ok)
                    {
                        error = $"The name '{Printable(input)}' contains the character '{Printable(ch.ToString())}', which is not allowed in a host or domain name.";
                        return false;
                    }
                }

                start = end + 1;
            }

            normalized = s;
            return true;
        }

        /// <summary>True unless the label claims to be an A-label ("xn--") without decoding to a U-label that encodes back to it.</summary>
        private static bool IsValidALabel(string name, int start, int length)
        {
            // Compared in place: only the rare "xn--" label is copied out (every DNS question passes here, issue 16).
            if (length < 4 || string.CompareOrdinal(name, start, "xn--", 0, 4) != 0)
            {
                return true;
            }

            var label = name.Substring(start, length);
            try
            {
                return string.Equals(Idn.GetAscii(Idn.GetUnicode(label)), label, StringComparison.Ordinal);
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        /// <summary>
        /// A name read from a DNS response, as lower-case wire-form (A-label) text without the trailing dot.
        /// DnsClient's <see cref="DnsClient.DnsString.Value"/> is the Unicode (U-label) form; comparisons and lookups
        /// need the wire form, which is <see cref="DnsClient.DnsString.Original"/>.
        /// </summary>
        internal static string FromResponse(DnsClient.DnsString name)
        {
            var text = string.IsNullOrEmpty(name.Original) ? name.Value : name.Original;
            // Names inside record data (an MX exchange, a CNAME target) come back decoded too: re-encode to A-labels.
            return TryNormalize(text, out var normalized, out _) ? normalized : text.TrimEnd('.').ToLowerInvariant();
        }

        /// <summary>The name with one label removed from the left, or <c>null</c> at a single label.</summary>
        public static string? Parent(string name)
        {
            var dot = name.IndexOf('.');
            return dot < 0 ? null : name.Substring(dot + 1);
        }

        /// <summary>Number of labels in a normalised name.</summary>
        public static int LabelCount(string name) => name.Length == 0 ? 0 : name.Split('.').Length;

        /// <summary>Escapes control characters so a hostile name can be shown safely in a message (at most about 256 characters; see <see cref="DisplayText"/>).</summary>
        public static string Printable(string s) => DisplayText.Shorten(s, DisplayText.MaxLength);
    }

    /// <summary>Which characters the labels of a DNS name may hold.</summary>
    internal enum DnsNameSyntax
    {
        /// <summary>Host names: letters, digits, hyphen, underscore (and <c>*</c>); U-labels are converted to A-labels.</summary>
        HostName = 0,

        /// <summary>
        /// Any printable US-ASCII character including space (RFC 2181 §11 allows any octet): names built from data,
        /// such as SPF target names after macro expansion (RFC 7208 §7.3). Control characters are still refused.
        /// </summary>
        AnyPrintableAscii,
    }
}
