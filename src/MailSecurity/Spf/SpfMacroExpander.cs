using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailSecurity.Spf
{
    /// <summary>Where a macro-string appears, which decides what it may contain (RFC 7208 §7.1, §7.2, §12).</summary>
    internal enum SpfMacroSyntax
    {
        /// <summary>A domain-spec: no spaces; the letters c, r and t are not allowed; must end in a top label or a macro.</summary>
        DomainSpec,
        /// <summary>The value of an unknown modifier: a macro-string (any macro letter, no spaces).</summary>
        ModifierValue,
        /// <summary>Explanation text fetched from the exp= target: spaces and the letters c, r, t allowed.</summary>
        Explanation,
    }

    /// <summary>The values the macro letters expand to for one check_host() call (RFC 7208 §7.2).</summary>
    internal sealed class SpfMacroContext
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
    internal static class SpfMacroExpander
    {
        private const string Delimiters = ".-+,/_=";

        /// <summary>
        /// The longest explanation <see cref="Expand(string, SpfMacroSyntax, SpfMacroContext, int)"/> returns by default: the
        /// explanation goes into an SMTP reply, whose lines are at most 512 octets (RFC 5321 §4.5.3.1.5), so a few lines' worth is
        /// more than any receiver shows, and a hostile exp= record (one %{s} per four characters of a 64 KB TXT) stays small.
        /// </summary>
        public const int MaxExpansionLength = 2048;

        /// <summary>A name built for a DNS query is at most 253 characters (RFC 7208 §7.3, RFC 1035 §2.3.4).</summary>
        public const int MaxDomainLength = 253;

        /// <summary>Checks the syntax of <paramref name="text"/>; returns false with a one-sentence reason.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
        public static bool TryValidate(string text, SpfMacroSyntax syntax, out string error)
            => TryParse(text, syntax, null, out error);

        /// <summary>True when <paramref name="text"/> contains a macro of the given letter (either case).</summary>
        /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
        public static bool UsesLetter(string text, char letter)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

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
        /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
        public static bool HasMacros(string text) => (text ?? throw new ArgumentNullException(nameof(text))).IndexOf("%{", StringComparison.Ordinal) >= 0;

        /// <summary>
        /// Expands a macro-string. The whole text is checked first (<see cref="TryValidate"/>, including the domain-end
        /// rule of a domain-spec), so anything <see cref="TryValidate"/> refuses is refused here too. The result is cut at
        /// <see cref="MaxExpansionLength"/> characters.
        /// </summary>
        /// <exception cref="ArgumentNullException"><paramref name="text"/> or <paramref name="context"/> is null.</exception>
        /// <exception cref="FormatException">The text is not valid for <paramref name="syntax"/>.</exception>
        public static string Expand(string text, SpfMacroSyntax syntax, SpfMacroContext context)
            => Expand(text, syntax, context, MaxExpansionLength);

        /// <summary>Expands a macro-string, stopping as soon as the result has <paramref name="maxLength"/> characters.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="text"/> or <paramref name="context"/> is null.</exception>
        /// <exception cref="FormatException">The text is not valid for <paramref name="syntax"/>.</exception>
        public static string Expand(string text, SpfMacroSyntax syntax, SpfMacroContext context, int maxLength)
        {
            var tokens = Tokens(text, syntax, context);
            var sb = new StringBuilder();
            var values = new MacroValues(context);
            foreach (var token in tokens)
            {
                sb.Append(token.IsLiteral ? token.Literal : values.Of(token));
                if (sb.Length >= maxLength)
                {
                    sb.Length = maxLength;
                    break;
                }
            }

            return sb.ToString();
        }

        /// <summary>
        /// Expands a domain-spec into a target name: drops one trailing dot and, when longer than 253 characters,
        /// removes labels from the left until it fits (RFC 7208 §7.3). Linear: the tokens are expanded from the right
        /// and only as far as the kept name reaches, so a long domain-spec or a long sender costs no more than the
        /// characters that can end up in the name.
        /// </summary>
        /// <exception cref="ArgumentNullException"><paramref name="domainSpec"/> or <paramref name="context"/> is null.</exception>
        /// <exception cref="FormatException">The text is not a valid domain-spec.</exception>
        public static string ExpandDomain(string domainSpec, SpfMacroContext context)
        {
            if (domainSpec is null)
            {
                throw new ArgumentNullException(nameof(domainSpec));
            }

            var tokens = Tokens(domainSpec, SpfMacroSyntax.DomainSpec, context);
            var values = new MacroValues(context);

            // Pieces of the expansion, right-most first; enough of them to hold the 253 characters kept plus the dot
            // before them and one trailing dot (255), and then, if no label boundary was found there, up to the next dot.
            var pieces = new List<string>();
            var collected = 0;
            var i = tokens.Count - 1;
            for (; i >= 0 && collected <= MaxDomainLength + 2; i--)
            {
                var piece = tokens[i].IsLiteral ? tokens[i].Literal! : values.Of(tokens[i]);
                pieces.Add(piece);
                collected += piece.Length;
            }

            var complete = i < 0;
            var tail = Join(pieces);
            if (tail.EndsWith(".", StringComparison.Ordinal))
            {
                tail = tail.Substring(0, tail.Length - 1);
            }

            if (complete && tail.Length <= MaxDomainLength)
            {
                return tail;
            }

            // Drop labels from the left: the kept name is the longest suffix that starts a label and fits.
            var cut = tail.IndexOf('.', tail.Length - MaxDomainLength - 1);
            if (cut >= 0)
            {
                return tail.Substring(cut + 1);
            }

            // No label boundary among the last 254 characters: the RFC procedure ends with the last label alone, which is
            // too long for DNS (the lookup reports it as an invalid name). Expand on to its beginning to return it whole.
            for (; i >= 0; i--)
            {
                var piece = tokens[i].IsLiteral ? tokens[i].Literal! : values.Of(tokens[i]);
                var dot = piece.LastIndexOf('.');
                pieces.Add(dot < 0 ? piece : piece.Substring(dot + 1));
                if (dot >= 0)
                {
                    break;
                }
            }

            var whole = Join(pieces);
            if (whole.EndsWith(".", StringComparison.Ordinal))
            {
                whole = whole.Substring(0, whole.Length - 1);
            }

            var lastDot = whole.LastIndexOf('.');
            return lastDot < 0 ? whole : whole.Substring(lastDot + 1);
        }

        private static string Join(List<string> rightToLeft)
        {
            var sb = new StringBuilder();
            for (var k = rightToLeft.Count - 1; k >= 0; k--)
            {
                sb.Append(rightToLeft[k]);
            }

            return sb.ToString();
        }

        private static List<Token> Tokens(string text, SpfMacroSyntax syntax, SpfMacroContext context)
        {
            if (context is null)
            {
                throw new ArgumentNullException(nameof(context));
            }

            var tokens = new List<Token>();
            if (!TryParse(text, syntax, tokens, out var error))
            {
                throw new FormatException(error);
            }

            return tokens;
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

        /// <summary>Tokenizes <paramref name="text"/> into <paramref name="tokens"/> (when given) and applies the domain-end rule to a domain-spec.</summary>
        private static bool TryParse(string text, SpfMacroSyntax syntax, List<Token>? tokens, out string error)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            if (!TryTokenize(text, syntax, tokens ?? new List<Token>(), out var tailLiteral, out error))
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
                error = $"'{DisplayText.Shorten(text)}' does not end in a dot and a top-level label, or in a macro";
                return false;
            }

            var top = tail.Substring(dot + 1);
            if (!IsTopLabel(top))
            {
                error = $"'{DisplayText.Shorten(text)}' ends in '{DisplayText.Shorten(top)}', which is not a valid top-level label (letters, digits and inner hyphens, not all digits)";
                return false;
            }

            return true;
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
                        error = $"'{DisplayText.Shorten(s)}' contains {Describe(ch)}, which is not allowed here";
                        return false;
                    }

                    literal.Append(ch);
                    tail.Append(ch);
                    continue;
                }

                if (i + 1 >= s.Length)
                {
                    error = $"'{DisplayText.Shorten(s)}' ends with a lone '%'; write '%%' for a percent sign";
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
                    error = $"'{DisplayText.Shorten(s)}' contains '%{Printable(next)}'; a '%' must be followed by '{{', '%', '_' or '-'";
                    return false;
                }

                var close = s.IndexOf('}', i + 2);
                if (close < 0)
                {
                    error = $"'{DisplayText.Shorten(s)}' has a macro '%{{' without a closing '}}'";
                    return false;
                }

                var body = s.Substring(i + 2, close - i - 2);
                if (!TryParseMacro(body, syntax, out var token, out error))
                {
                    error = $"'%{{{DisplayText.Shorten(body)}}}' in '{DisplayText.Shorten(s)}' {error}";
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
                // §7.1: the digit transformer must be nonzero, however many zeros spell it ("0", "000"); leading zeros
                // do not change the number. Values beyond int are "more parts than available": all parts (§7.3).
                var significant = body.Substring(digitStart, pos - digitStart).TrimStart('0');
                if (significant.Length == 0)
                {
                    error = "asks for zero parts; the digit transformer must be nonzero";
                    return false;
                }

                digits = significant.Length > 9 ? int.MaxValue : int.Parse(significant, CultureInfo.InvariantCulture);
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

        /// <summary>The expansions of the macros of one string, each distinct macro computed once.</summary>
        private sealed class MacroValues
        {
            private readonly SpfMacroContext _context;
            private readonly Dictionary<string, string> _cache = new Dictionary<string, string>(StringComparer.Ordinal);

            public MacroValues(SpfMacroContext context) => _context = context;

            public string Of(Token token)
            {
                var key = token.Letter + (token.Digits?.ToString(CultureInfo.InvariantCulture) ?? string.Empty) + (token.Reverse ? "r" : string.Empty) + token.Delimiters;
                if (_cache.TryGetValue(key, out var cached))
                {
                    return cached;
                }

                var value = Value(char.ToLowerInvariant(token.Letter), _context);
                var parts = value.Split(token.Delimiters.ToCharArray());
                if (token.Reverse)
                {
                    Array.Reverse(parts);
                }

                // §7.3: keep the right-most N parts after optional reversal; N larger than the count keeps all.
                var start = token.Digits.HasValue && token.Digits.Value < parts.Length ? parts.Length - token.Digits.Value : 0;
                var joined = string.Join(".", parts, start, parts.Length - start);
                var result = char.IsUpper(token.Letter) ? UrlEscape(joined) : joined;
                _cache[key] = result;
                return result;
            }
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
