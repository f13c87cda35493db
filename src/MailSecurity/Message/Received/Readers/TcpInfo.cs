using System;
using System.Collections.Generic;

namespace MailSecurity.Message.Received
{
    /// <summary>
    /// The TCP-info of RFC 5321 §4.4 (<c>address-literal / ( Domain FWS address-literal )</c>) and the variants MTAs
    /// write in its place: a name glued to the literal, a bare address, <c>ident@address</c>, <c>IDENT:ident@name</c>,
    /// placeholders for a missing reverse name, local-socket "literals". Shared by the readers of the MTAs that write it.
    /// </summary>
    internal static class TcpInfo
    {
        /// <summary>Words that qualify the TCP-info without naming anything.</summary>
        private static readonly HashSet<string> Markers = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "verified", "unverified", "may", "be", "forged", "RDNS", "failed",
        };

        /// <summary>
        /// Reads TCP-info words into the facts: the first address, the name before it (a reverse name unless it is a
        /// placeholder), an ident. Returns true when an address, an invalid literal or a name was found.
        /// </summary>
        public static bool Read(IReadOnlyList<string> all, ReceivedFacts facts)
        {
            // TCP-info ends with the address literal; what follows (a qualifier such as "verified", or the rest of the field
            // when a parenthesis was never closed) is not part of it.
            var words = UpToLiteral(all);
            if (!Shaped(words))
            {
                return false;
            }

            var found = false;
            var addressHere = false;
            string? name = null;
            string? identHost = null;
            for (var i = 0; i < words.Count; i++)
            {
                var w = words[i].TrimEnd(',');
                if (w.Length == 0 || Markers.Contains(w) || w.StartsWith("rhost-flags", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (w.StartsWith("IDENT:", StringComparison.OrdinalIgnoreCase))
                {
                    w = w.Substring(6);
                }

                var bracket = w.IndexOf('[');
                if (bracket >= 0)
                {
                    // A literal, possibly glued to a name ("unknown[192.0.2.1]") and possibly spanning words ("[unix socket]").
                    var literal = w.Substring(bracket);
                    while (literal.IndexOf(']') < 0 && i + 1 < words.Count)
                    {
                        literal += " " + words[++i];
                    }

                    var prefix = w.Substring(0, bracket);
                    if (prefix.EndsWith("@", StringComparison.Ordinal))
                    {
                        facts.Ident ??= prefix.TrimEnd('@');
                    }
                    else if (prefix.Length > 0)
                    {
                        name ??= prefix;
                    }

                    found = true;
                    addressHere |= ReadLiteral(literal, facts);
                    continue;
                }

                var at = w.LastIndexOf('@');
                if (at > 0 && at < w.Length - 1)
                {
                    // qmail "(ident@192.0.2.1)", Sendmail "(user@localhost)" or "(IDENT:user@host [addr])".
                    var rest = w.Substring(at + 1);
                    facts.Ident ??= w.Substring(0, at);
                    if (facts.TrySetAddress(rest))
                    {
                        found = true;
                        addressHere = true;
                    }
                    else if (HostText.LooksLikeHostName(rest))
                    {
                        // "(user@host [addr])" names the reverse name; "(user@localhost)" alone is only an ident.
                        identHost ??= rest;
                        found = true;
                    }

                    continue;
                }

                if (AddressText.IsAddress(w))
                {
                    facts.TrySetAddress(w);
                    found = true;
                    addressHere = true;
                    continue;
                }

                if (name is null && facts.Address is null && (HostText.LooksLikeHostName(w) || HostText.IsPlaceholder(w)))
                {
                    name = w;
                    found = true;
                }
            }

            if (name is null && identHost != null && addressHere)
            {
                name = identHost;
            }

            if (name != null && !HostText.IsPlaceholder(name) && HostText.LooksLikeHostName(name) && !AddressText.IsAddress(name))
            {
                facts.CommentReverseName ??= HostText.Trim(name);
            }

            return found;
        }

        private static IReadOnlyList<string> UpToLiteral(IReadOnlyList<string> words)
        {
            for (var i = 0; i < words.Count; i++)
            {
                if (words[i].IndexOf(']') >= 0)
                {
                    var keep = new List<string>(i + 2);
                    for (var j = 0; j <= i; j++)
                    {
                        keep.Add(words[j]);
                    }

                    // Qualifiers right after the literal ("[ip] verified", "[ip] (may be forged)") and a second literal stay.
                    for (var j = i + 1; j < words.Count && (Markers.Contains(words[j].TrimEnd(',')) || words[j].StartsWith("[", StringComparison.Ordinal)); j++)
                    {
                        keep.Add(words[j]);
                    }

                    return keep;
                }
            }

            return words;
        }

        /// <summary>Reads one address literal: an IP address (true), a local socket, or something invalid.</summary>
        public static bool ReadLiteral(string literal, ReceivedFacts facts)
        {
            if (facts.TrySetAddress(literal))
            {
                return true;
            }

            var inner = literal.Trim('[', ']', ' ');
            if (inner.Equals("local", StringComparison.OrdinalIgnoreCase) || inner.IndexOf("unix", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                facts.LocalSocket = true;
                return true;
            }

            if (facts.Address is null)
            {
                facts.AddressInvalid = true;
            }

            return false;
        }

        /// <summary>
        /// True when the words have the shape of TCP-info: at most one word that is neither an address, a literal, an
        /// ident form nor a marker. "(AVG SMTP 7.0.299 [265.6.8])" is a product note, not TCP-info.
        /// </summary>
        private static bool Shaped(IReadOnlyList<string> words)
        {
            var others = 0;
            foreach (var raw in words)
            {
                var w = raw.TrimEnd(',');
                if (w.Length == 0 || Markers.Contains(w) || w.IndexOf('[') >= 0 || w.IndexOf(']') >= 0 || w.IndexOf('@') > 0
                    || w.StartsWith("rhost-flags", StringComparison.OrdinalIgnoreCase) || AddressText.IsAddress(w))
                {
                    continue;
                }

                others++;
            }

            return others <= 1;
        }

        /// <summary>The words of a comment's top level.</summary>
        public static string[] Words(ReceivedComment comment) => HostText.Words(comment.Text);

        /// <summary>True when the comment belongs to the FROM clause (or sits before any clause).</summary>
        public static bool InFrom(ReceivedComment comment) => comment.Clause.Keyword == "from";
    }
}
