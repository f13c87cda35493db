using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CsCheck;

namespace MailSecurity.Tests.Fuzz
{
    /// <summary>
    /// Generators of hostile text: a seed from <see cref="SeedCorpus"/> put through a few mutations (insert, delete,
    /// repeat, splice, case flip, truncate, grammar tokens that parsers treat specially), or plain random text over an
    /// alphabet that includes controls, non-ASCII, lone surrogates and the separators of every record grammar. A mutation
    /// is a list of integers, so CsCheck shrinks a failing input towards its seed and the fewest changes.
    /// </summary>
    internal static class Mutants
    {
        /// <summary>The longest text a mutation builds (a TXT RRset holds at most about 64 KB).</summary>
        public const int MaxLength = 70_000;

        /// <summary>Tokens that separate, start or end something in one of the grammars we parse, and boundary values.</summary>
        private static readonly string[] Tokens =
        {
            ";", "=", ":", ",", ".", "..", " ", "\t", "\r\n", "\r\n ", "\n", "\r", "\0", "%", "%%", "%{", "}", "%{d}", "%{s}", "%{i}", "%{ir}", "%{l1r-}",
            "%{d0000000000}", "%{d0}", "%{D2r+-}", "%_", "%-", "::", "[", "]", "]:25", "[::1]:25", "/", "//", "/0", "/128", "/33", "!", "!10m",
            "v=spf1 ", "v=DMARC1", "v=DKIM1", "v=STSv1", "v=TLSRPTv1", "v=BIMI1", "p=", "id=", "rua=", "mailto:", "https://", "*.", "xn--", "xn--zz",
            "(", ")", "((((", "))))", "\\", "\"", "<", ">", "@", "[IPv6:", "by ", "from ", "with ESMTPS ", "id ", "for ", "; ", "tls=", "TLSv1.3",
            "Received: ", "Authentication-Results: ", "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s1; b=; bh=;", "ARC-Seal: i=1; cv=none;",
            "Content-Length: ", "Transfer-Encoding: chunked\r\n", "HTTP/1.1 ", "99999999999999999999", "-1", "4294967296", "0x10", "\u00e9", "\u00ad",
            "\u200b", "\ufeff", "\ud800", "\udc00", "\ud83d\ude00", "\u0130", "\u212a", "\u3002", "\uff0e", "é.example", "ü", "\u0085", "\u2028",
        };

        private const string Alphabet = "abcdefxyzABCDEFXYZ0123456789-_.;=:,/%{}[]()<>@!~+*?\"'\\ \t\r\n\0\u0001\u007f\u0085\u00a0\u00e9\u00ff\u0130\u2028\ud800\udc00\uffff";

        /// <summary>Random text over <see cref="Alphabet"/>, up to 300 characters.</summary>
        public static readonly Gen<string> Random = Gen.Char[Alphabet].Array[0, 300].Select(c => new string(c));

        /// <summary>Mutants of <paramref name="seeds"/> (nine in ten) and random text (one in ten).</summary>
        public static Gen<string> Of(IReadOnlyList<string> seeds)
        {
            if (seeds.Count == 0)
            {
                throw new ArgumentException("A fuzz target needs at least one seed.", nameof(seeds));
            }

            var step = Gen.Select(Gen.Int[0, 11], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue]);
            var mutant = Gen.Select(Gen.Int[0, seeds.Count - 1], Gen.Int[0, seeds.Count - 1], step.Array[0, 6])
                .Select(t => Apply(seeds[t.Item1], seeds[t.Item2], t.Item3));
            return Gen.Frequency((9, mutant), (1, Random));
        }

        /// <summary>Applies a list of mutation steps (operation, three arguments) to <paramref name="text"/>.</summary>
        public static string Apply(string text, string other, (int Op, int A, int B, int C)[] steps)
        {
            var sb = new StringBuilder(text);
            foreach (var (op, a, b, c) in steps)
            {
                var pos = sb.Length == 0 ? 0 : a % (sb.Length + 1);
                var len = sb.Length - pos == 0 ? 0 : 1 + (b % Math.Min(64, sb.Length - pos));
                switch (op)
                {
                    case 0: // insert one character of the alphabet
                        sb.Insert(pos, Alphabet[b % Alphabet.Length]);
                        break;
                    case 1: // delete a range
                        sb.Remove(pos, len);
                        break;
                    case 2: // repeat a range up to 2,000 times (the shape of every complexity bug we have had)
                    {
                        var piece = sb.ToString(pos, len);
                        var times = 1 + (c % 2000);
                        for (var i = 0; i < times && sb.Length + piece.Length <= MaxLength; i++)
                        {
                            sb.Insert(pos, piece);
                        }

                        break;
                    }

                    case 3: // replace one character with a token
                        if (sb.Length > 0 && pos < sb.Length)
                        {
                            sb.Remove(pos, 1);
                        }

                        sb.Insert(pos, Tokens[b % Tokens.Length]);
                        break;
                    case 4: // splice: this text's head with another seed's tail
                    {
                        var cut = other.Length == 0 ? 0 : c % (other.Length + 1);
                        sb.Length = pos;
                        sb.Append(other, cut, other.Length - cut);
                        break;
                    }

                    case 5: // insert a token
                    case 6:
                        sb.Insert(pos, Tokens[b % Tokens.Length]);
                        break;
                    case 7: // flip the case of a range
                        for (var i = pos; i < pos + len; i++)
                        {
                            var ch = sb[i];
                            sb[i] = char.IsUpper(ch) ? char.ToLowerInvariant(ch) : char.ToUpperInvariant(ch);
                        }

                        break;
                    case 8: // truncate
                        sb.Length = pos;
                        break;
                    case 9: // repeat a token many times
                    {
                        var token = Tokens[b % Tokens.Length];
                        var times = 1 + (c % 5000);
                        var insert = new StringBuilder();
                        for (var i = 0; i < times && sb.Length + insert.Length + token.Length <= MaxLength; i++)
                        {
                            insert.Append(token);
                        }

                        sb.Insert(pos, insert.ToString());
                        break;
                    }

                    case 10: // insert a digit run (numbers at and past every limit)
                        sb.Insert(pos, new string((char)('0' + (b % 10)), 1 + (c % 40)));
                        break;
                    default: // swap two characters
                        if (sb.Length > 1)
                        {
                            var j = c % sb.Length;
                            var k = pos % sb.Length;
                            (sb[j], sb[k]) = (sb[k], sb[j]);
                        }

                        break;
                }

                if (sb.Length > MaxLength)
                {
                    sb.Length = MaxLength;
                }
            }

            return sb.ToString();
        }

        /// <summary>Shows an input in a failure message: escaped, and cut in the middle when long (the seed reproduces it whole).</summary>
        public static string Show(string? s)
        {
            if (s is null)
            {
                return "null";
            }

            var escaped = string.Concat(s.Select(ch => ch < 0x20 || ch == 0x7f || char.IsSurrogate(ch) || ch > 0xff ? $"\\u{(int)ch:x4}" : ch.ToString()));
            return escaped.Length <= 400 ? $"\"{escaped}\" ({s.Length} chars)" : $"\"{escaped.Substring(0, 200)}...{escaped.Substring(escaped.Length - 150)}\" ({s.Length} chars)";
        }
    }
}
