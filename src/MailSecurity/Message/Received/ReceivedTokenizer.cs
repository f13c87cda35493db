using System.Collections.Generic;
using System.Text;

namespace MailSecurity.Message.Received
{
    /// <summary>Kinds of lexical items in a Received field value.</summary>
    internal enum ReceivedTokenKind
    {
        /// <summary>A run of characters up to white space or a delimiter (a domain, keyword, id, path...).</summary>
        Atom,
        /// <summary>A parenthesised comment (RFC 5322 §3.2.2); nested comments stay inside its text.</summary>
        Comment,
        /// <summary>An address literal in square brackets, with any <c>:port</c> glued to it.</summary>
        Literal,
        /// <summary>A quoted string.</summary>
        Quoted,
        /// <summary>A ';' outside comments: the separator before the date-time.</summary>
        Semicolon,
    }

    /// <summary>One lexical item; for comments <see cref="Text"/> is the inner text without the outer parentheses.</summary>
    internal readonly struct ReceivedToken
    {
        public ReceivedToken(ReceivedTokenKind kind, string text, int start, int end)
        {
            Kind = kind;
            Text = text;
            Start = start;
            End = end;
        }

        public ReceivedTokenKind Kind { get; }

        public string Text { get; }

        /// <summary>Offset of the first character in the field value.</summary>
        public int Start { get; }

        /// <summary>Offset just past the last character.</summary>
        public int End { get; }

        public override string ToString() => $"{Kind}:{Text}";
    }

    /// <summary>
    /// Splits a Received field value into atoms, comments (nesting and quoted-pairs honoured, RFC 5322 §3.2.2),
    /// address literals, quoted strings and semicolons. Written here because MimeKit exposes no CFWS tokenizer;
    /// it is linear in the input and never fails: unbalanced brackets end at the end of the text and are reported.
    /// </summary>
    internal static class ReceivedTokenizer
    {
        public static List<ReceivedToken> Tokenize(string s, out bool unbalanced)
        {
            var tokens = new List<ReceivedToken>();
            unbalanced = false;
            var i = 0;
            while (i < s.Length)
            {
                var c = s[i];
                if (char.IsWhiteSpace(c) || char.IsControl(c))
                {
                    i++;
                    continue;
                }

                var start = i;
                switch (c)
                {
                    case '(':
                    {
                        var depth = 0;
                        var sb = new StringBuilder();
                        while (i < s.Length)
                        {
                            var ch = s[i];
                            if (ch == '\\' && i + 1 < s.Length)
                            {
                                sb.Append(s[i + 1]);
                                i += 2;
                                continue;
                            }

                            if (ch == '(')
                            {
                                depth++;
                                if (depth > 1)
                                {
                                    sb.Append(ch);
                                }
                            }
                            else if (ch == ')')
                            {
                                depth--;
                                if (depth == 0)
                                {
                                    i++;
                                    break;
                                }

                                sb.Append(ch);
                            }
                            else
                            {
                                sb.Append(ch);
                            }

                            i++;
                        }

                        if (depth > 0)
                        {
                            unbalanced = true;
                        }

                        tokens.Add(new ReceivedToken(ReceivedTokenKind.Comment, sb.ToString().Trim(), start, i));
                        break;
                    }

                    case ')':
                        // A stray closing parenthesis: skip it, but remember the field is malformed.
                        unbalanced = true;
                        i++;
                        break;

                    case '[':
                    {
                        var close = s.IndexOf(']', i + 1);
                        if (close < 0)
                        {
                            unbalanced = true;
                            close = s.Length - 1;
                        }

                        i = close + 1;
                        // Exim writes [192.0.2.1]:54321; keep the port glued to the literal.
                        while (i < s.Length && !char.IsWhiteSpace(s[i]) && s[i] != '(' && s[i] != ')' && s[i] != ';')
                        {
                            i++;
                        }

                        tokens.Add(new ReceivedToken(ReceivedTokenKind.Literal, s.Substring(start, i - start), start, i));
                        break;
                    }

                    case '"':
                    {
                        var sb = new StringBuilder();
                        i++;
                        var closed = false;
                        while (i < s.Length)
                        {
                            if (s[i] == '\\' && i + 1 < s.Length)
                            {
                                sb.Append(s[i + 1]);
                                i += 2;
                                continue;
                            }

                            if (s[i] == '"')
                            {
                                i++;
                                closed = true;
                                break;
                            }

                            sb.Append(s[i]);
                            i++;
                        }

                        if (!closed)
                        {
                            unbalanced = true;
                        }

                        tokens.Add(new ReceivedToken(ReceivedTokenKind.Quoted, sb.ToString(), start, i));
                        break;
                    }

                    case ';':
                        i++;
                        tokens.Add(new ReceivedToken(ReceivedTokenKind.Semicolon, ";", start, i));
                        break;

                    default:
                        while (i < s.Length && !char.IsWhiteSpace(s[i]) && s[i] != '(' && s[i] != ')' && s[i] != ';' && s[i] != '"')
                        {
                            i++;
                        }

                        tokens.Add(new ReceivedToken(ReceivedTokenKind.Atom, s.Substring(start, i - start), start, i));
                        break;
                }
            }

            return tokens;
        }

        /// <summary>The text of a comment with its nested comments removed, and the nested comments' texts.</summary>
        public static string TopLevelText(string commentText, List<string>? nested)
        {
            var sb = new StringBuilder(commentText.Length);
            var depth = 0;
            var inner = new StringBuilder();
            foreach (var ch in commentText)
            {
                if (ch == '(')
                {
                    depth++;
                    if (depth > 1)
                    {
                        inner.Append(ch);
                    }

                    continue;
                }

                if (ch == ')' && depth > 0)
                {
                    depth--;
                    if (depth == 0)
                    {
                        nested?.Add(inner.ToString().Trim());
                        inner.Clear();
                        sb.Append(' ');
                    }
                    else
                    {
                        inner.Append(ch);
                    }

                    continue;
                }

                if (depth > 0)
                {
                    inner.Append(ch);
                }
                else
                {
                    sb.Append(ch);
                }
            }

            return sb.ToString();
        }
    }
}
