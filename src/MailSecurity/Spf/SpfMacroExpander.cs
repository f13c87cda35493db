using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailSecurity.Spf
{
    /// <summary>Where a macro-string appears, which decides what it may contain (RFC 7208 §7.1, §7.2, §12).</summary>
    public enum SpfMacroSyntax
    {
        /// <summary>A domain-spec: no spaces; the letters c, r and t are not allowed; must end in a top label or a macro.</summary>
        DomainSpec,
        /// <summary>The value of an unknown modifier: a macro-string (any macro letter, no spaces).</summary>
        ModifierValue,
        /// <summary>Explanation text fetched from the exp= target: spaces and the letters c, r, t allowed.</summary>
        Explanation,
    }

    /// <summary>The values the macro letters expand to for one check_host() call (RFC 7208 §7.2).</summary>
    public sealed class SpfMacroContext
    {
        /// <summary>Creates the context.</summary>
        /// <param name="sender">&lt;sender&gt; (local-part@domain; an empty local-part already replaced by postmaster).</param>
        /// <param name="domain">The current &lt;domain&gt;.</param>
        /// <param name="ip">The client address (IPv4-mapped addresses already unmapped).</param>
        /// <param name="heloName">The HELO/EHLO name, or null.</param>
        /// <param name="receiver">The receiving host's name for %{r}.</param>
        /// <param name="timestamp">The time for %{t}.</param>
        public SpfMacroContext(string sender, string domain, IPAddress ip, string? heloName, string receiver, DateTimeOffset timestamp)
        {
            Sender = sender;
            Domain = domain;
            Ip = ip;
            HeloName = heloName;
            Receiver = receiver;
            Timestamp = timestamp;
            var at = sender.LastIndexOf('@');
            LocalPart = at <= 0 ? "postmaster" : sender.Substring(0, at);
            SenderDomain = at < 0 ? sender : sender.Substring(at + 1);
        }

        /// <summary>&lt;sender&gt;.</summary>
        public string Sender { get; }

        /// <summary>The local-part of the sender (%{l}).</summary>
        public string LocalPart { get; }

        /// <summary>The domain of the sender (%{o}).</summary>
        public string SenderDomain { get; }

        /// <summary>The current domain (%{d}).</summary>
        public string Domain { get; }

        /// <summary>The client address.</summary>
        public IPAddress Ip { get; }

        /// <summary>The HELO/EHLO name (%{h}).</summary>
        public string? HeloName { get; }

        /// <summary>The receiving host (%{r}).</summary>
        public string Receiver { get; }

        /// <summary>The time for %{t}.</summary>
        public DateTimeOffset Timestamp { get; }

        /// <summary>The validated client domain for %{p}; set by the evaluator only when a string uses it.</summary>
        public string ValidatedDomain { get; private set; } = "unknown";

        /// <summary>A copy for another current domain (include/redirect).</summary>
        public SpfMacroContext WithDomain(string domain) => new SpfMacroContext(Sender, domain, Ip, HeloName, Receiver, Timestamp) { ValidatedDomain = ValidatedDomain };

        /// <summary>A copy with the %{p} value.</summary>
        public SpfMacroContext WithValidatedDomain(string validated) => new SpfMacroContext(Sender, Domain, Ip, HeloName, Receiver, Timestamp) { ValidatedDomain = validated };
    }

    /// <summary>
    /// Validates and expands SPF macro-strings (RFC 7208 §7): <c>%{letter [digits] [r] [delimiters]}</c>, <c>%%</c>,
    /// <c>%_</c>, <c>%-</c>; URL-escaping of upper-case letters; dotted-nibble %{i} for IPv6; 253-octet truncation.
    /// Hand-written: no .NET library implements SPF macros.
    /// </summary>
    public static class SpfMacroExpander
    {
        private const string Delimiters = ".-+,/_=";

        /// <summary>Checks the syntax of <paramref name="text"/>; returns false with a one-sentence reason.</summary>
        public static bool TryValidate(string text, SpfMacroSyntax syntax, out string error)
        {
            var tokens = new List<Token>();
            if (!TryTokenize(text, syntax, tokens, out var tailLiteral, out error))
            {
                return false;
            }

            if (syntax != SpfMacroSyntax.DomainSpec)
            {
                return true;
            }

            if (text.Length == 0)
            {
                error = "the domain-spec is empty";
                return false;
            }

            // domain-end = ( "." toplabel [ "." ] ) / macro-expand (RFC 7208 §7.1, §12); the escapes count as macro-expand.
            if (tailLiteral.Length == 0)
            {
                return true;
            }

            var tail = tailLiteral.EndsWith(".", StringComparison.Ordinal) ? tailLiteral.Substring(0, tailLiteral.Length - 1) : tailLiteral;
            var dot = tail.LastIndexOf('.');
            if (dot < 0)
            {
                error = $"'{Shorten(text)}' does not end in a dot and a top-level label, or in a macro";
                return false;
            }

            var top = tail.Substring(dot + 1);
            if (!IsTopLabel(top))
            {
                error = $"'{Shorten(text)}' ends in '{Shorten(top)}', which is not a valid top-level label (letters, digits and inner hyphens, not all digits)";
                return false;
            }

            return true;
        }

        /// <summary>True when <paramref name="text"/> contains a macro of the given letter (either case).</summary>
        public static bool UsesLetter(string text, char letter)
        {
            for (var i = 0; i + 2 < text.Length; i++)
            {
                if (text[i] == '%')
                {
                    if (text[i + 1] == '{' && char.ToLowerInvariant(text[i + 2]) == letter)
                    {
                        return true;
                    }

                    i++;
                }
            }

            return false;
        }

        /// <summary>True when the string contains any macro-expand other than the escapes.</summary>
        public static bool HasMacros(string text) => text.IndexOf("%{", StringComparison.Ordinal) >= 0;

        /// <summary>Expands a validated macro-string.</summary>
        /// <exception cref="FormatException">The text is not valid for <paramref name="syntax"/>.</exception>
        public static string Expand(string text, SpfMacroSyntax syntax, SpfMacroContext context)
        {
            var tokens = new List<Token>();
            if (!TryTokenize(text, syntax, tokens, out _, out var error))
            {
                throw new FormatException(error);
            }

            var sb = new StringBuilder();
            foreach (var token in tokens)
            {
                if (token.IsLiteral)
                {
                    sb.Append(token.Literal);
                    continue;
                }

                var value = Value(char.ToLowerInvariant(token.Letter), context);
                var parts = value.Split(token.Delimiters.ToCharArray());
                if (token.Reverse)
                {
                    Array.Reverse(parts);
                }

                // §7.3: keep the right-most N parts after optional reversal; N larger than the count keeps all.
                var start = token.Digits.HasValue && token.Digits.Value < parts.Length ? parts.Length - token.Digits.Value : 0;
                var joined = string.Join(".", parts, start, parts.Length - start);
                sb.Append(char.IsUpper(token.Letter) ? UrlEscape(joined) : joined);
            }

            return sb.ToString();
        }

        /// <summary>
        /// Expands a domain-spec into a target name: drops one trailing dot and, when longer than 253 characters,
        /// removes labels from the left until it fits (RFC 7208 §7.3).
        /// </summary>
        public static string ExpandDomain(string domainSpec, SpfMacroContext context)
        {
            var name = Expand(domainSpec, SpfMacroSyntax.DomainSpec, context);
            if (name.EndsWith(".", StringComparison.Ordinal))
            {
                name = name.Substring(0, name.Length - 1);
            }

            while (name.Length > 253)
            {
                var dot = name.IndexOf('.');
                if (dot < 0)
                {
                    break;
                }

                name = name.Substring(dot + 1);
            }

            return name;
        }

        /// <summary>The reverse-lookup style form of an address: dotted quad, or 32 dotted lower-case nibbles for IPv6.</summary>
        public static string DottedAddress(IPAddress ip)
        {
            if (ip.AddressFamily == AddressFamily.InterNetwork)
            {
                return ip.ToString();
            }

            var bytes = ip.GetAddressBytes();
            var sb = new StringBuilder(63);
            foreach (var b in bytes)
            {
                if (sb.Length > 0)
                {
                    sb.Append('.');
                }

                sb.Append("0123456789abcdef"[b >> 4]).Append('.').Append("0123456789abcdef"[b & 0xF]);
            }

            return sb.ToString();
        }

        /// <summary>The reverse DNS name of an address (in-addr.arpa / ip6.arpa).</summary>
        public static string ReverseName(IPAddress ip)
        {
            var parts = DottedAddress(ip).Split('.');
            Array.Reverse(parts);
            return string.Join(".", parts) + (ip.AddressFamily == AddressFamily.InterNetwork ? ".in-addr.arpa" : ".ip6.arpa");
        }

        private static string Value(char letter, SpfMacroContext c) => letter switch
        {
            's' => c.Sender,
            'l' => c.LocalPart,
            'o' => c.SenderDomain,
            'd' => c.Domain,
            'i' => DottedAddress(c.Ip),
            'p' => c.ValidatedDomain,
            'v' => c.Ip.AddressFamily == AddressFamily.InterNetwork ? "in-addr" : "ip6",
            'h' => c.HeloName ?? string.Empty,
            'c' => c.Ip.ToString(),
            'r' => c.Receiver,
            't' => c.Timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            _ => string.Empty,
        };

        /// <summary>URL-escapes everything outside the RFC 3986 unreserved set (RFC 7208 §7.3).</summary>
        private static string UrlEscape(string s)
        {
            var sb = new StringBuilder(s.Length * 3);
            foreach (var b in Encoding.UTF8.GetBytes(s))
            {
                var ch = (char)b;
                if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_' || ch == '~')
                {
                    sb.Append(ch);
                }
                else
                {
                    sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
            }

            return sb.ToString();
        }

        private static bool IsTopLabel(string label)
        {
            // toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum )
            if (label.Length == 0 || label.Length > 63)
            {
                return false;
            }

            var hasAlpha = false;
            foreach (var ch in label)
            {
                var alpha = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
                var digit = ch >= '0' && ch <= '9';
                if (!alpha && !digit && ch != '-')
                {
                    return false;
                }

                hasAlpha |= alpha;
            }

            if (label.IndexOf('-') < 0)
            {
                return hasAlpha;
            }

            return label[0] != '-' && label[label.Length - 1] != '-';
        }

        private static bool TryTokenize(string s, SpfMacroSyntax syntax, List<Token> tokens, out string tailLiteral, out string error)
        {
            error = string.Empty;
            tailLiteral = string.Empty;
            var literal = new StringBuilder();
            var tail = new StringBuilder(); // literal characters after the last macro-expand
            for (var i = 0; i < s.Length; i++)
            {
                var ch = s[i];
                if (ch != '%')
                {
                    var allowed = (ch >= 0x21 && ch <= 0x7E) || (ch == ' ' && syntax == SpfMacroSyntax.Explanation);
                    if (!allowed)
                    {
                        error = $"'{Shorten(s)}' contains {Describe(ch)}, which is not allowed here";
                        return false;
                    }

                    literal.Append(ch);
                    tail.Append(ch);
                    continue;
                }

                if (i + 1 >= s.Length)
                {
                    error = $"'{Shorten(s)}' ends with a lone '%'; write '%%' for a percent sign";
                    return false;
                }

                var next = s[i + 1];
                if (next == '%' || next == '_' || next == '-')
                {
                    literal.Append(next == '%' ? "%" : next == '_' ? " " : "%20");
                    tail.Clear();
                    i++;
                    continue;
                }

                if (next != '{')
                {
                    error = $"'{Shorten(s)}' contains '%{Printable(next)}'; a '%' must be followed by '{{', '%', '_' or '-'";
                    return false;
                }

                var close = s.IndexOf('}', i + 2);
                if (close < 0)
                {
                    error = $"'{Shorten(s)}' has a macro '%{{' without a closing '}}'";
                    return false;
                }

                var body = s.Substring(i + 2, close - i - 2);
                if (!TryParseMacro(body, syntax, out var token, out error))
                {
                    error = $"'%{{{Shorten(body)}}}' in '{Shorten(s)}' {error}";
                    return false;
                }

                if (literal.Length > 0)
                {
                    tokens.Add(Token.Text(literal.ToString()));
                    literal.Clear();
                }

                tokens.Add(token);
                tail.Clear();
                i = close;
            }

            if (literal.Length > 0)
            {
                tokens.Add(Token.Text(literal.ToString()));
            }

            tailLiteral = tail.ToString();
            return true;
        }

        private static bool TryParseMacro(string body, SpfMacroSyntax syntax, out Token token, out string error)
        {
            token = default;
            error = string.Empty;
            if (body.Length == 0)
            {
                error = "has no macro letter";
                return false;
            }

            var letter = body[0];
            var lower = char.ToLowerInvariant(letter);
            if ("slodipvhcrt".IndexOf(lower) < 0 || letter > 0x7F)
            {
                error = $"uses '{Printable(letter)}', which is not a macro letter (s, l, o, d, i, p, v, h; c, r, t in explanations)";
                return false;
            }

            if ((lower == 'c' || lower == 'r' || lower == 't') && syntax == SpfMacroSyntax.DomainSpec)
            {
                error = $"uses '{letter}', which is allowed only in explanation text (RFC 7208 §7.2)";
                return false;
            }

            var pos = 1;
            var digitStart = pos;
            while (pos < body.Length && body[pos] >= '0' && body[pos] <= '9')
            {
                pos++;
            }

            int? digits = null;
            if (pos > digitStart)
            {
                var text = body.Substring(digitStart, pos - digitStart);
                // Values beyond int are "more parts than available": all parts (§7.3); at least 127 must work.
                digits = text.Length > 9 ? int.MaxValue : int.Parse(text, CultureInfo.InvariantCulture);
                if (digits == 0 && text.TrimStart('0').Length == 0)
                {
                    error = "asks for zero parts; the digit transformer must be nonzero";
                    return false;
                }
            }

            var reverse = false;
            if (pos < body.Length && (body[pos] == 'r' || body[pos] == 'R'))
            {
                reverse = true;
                pos++;
            }

            var delimiters = pos < body.Length ? body.Substring(pos) : string.Empty;
            foreach (var d in delimiters)
            {
                if (Delimiters.IndexOf(d) < 0)
                {
                    error = $"has '{Printable(d)}' where only the delimiters . - + , / _ = may follow";
                    return false;
                }
            }

            token = Token.Macro(letter, digits, reverse, delimiters.Length == 0 ? "." : delimiters);
            return true;
        }

        private static string Describe(char ch)
            => ch == ' ' ? "a space" : ch < 0x20 || ch == 0x7F ? $"the control character 0x{(int)ch:X2}" : $"the non-ASCII character U+{(int)ch:X4}";

        private static string Printable(char ch) => ch < 0x20 || ch >= 0x7F ? $"\\x{(int)ch:X2}" : ch.ToString();

        private static string Shorten(string s)
        {
            var p = Dns.DomainName.Printable(s.Length > 200 ? s.Substring(0, 200) : s);
            return p.Length > 60 || s.Length > 200 ? p.Substring(0, Math.Min(p.Length, 57)) + "..." : p;
        }

        private readonly struct Token
        {
            private Token(string? literal, char letter, int? digits, bool reverse, string delimiters)
            {
                Literal = literal;
                Letter = letter;
                Digits = digits;
                Reverse = reverse;
                Delimiters = delimiters;
            }

            public string? Literal { get; }

            public char Letter { get; }

            public int? Digits { get; }

            public bool Reverse { get; }

            public string Delimiters { get; }

            public bool IsLiteral => Literal != null;

            public static Token Text(string s) => new Token(s, '\0', null, false, string.Empty);

            public static Token Macro(char letter, int? digits, bool reverse, string delimiters) => new Token(null, letter, digits, reverse, delimiters);
        }
    }
}
