using System;
using System.Collections.Generic;
using System.Linq;

namespace MailSecurity.Message.Received
{
    /// <summary>One clause of a time stamp (RFC 5321 §4.4): its keyword, its value atoms and the comments inside it.</summary>
    internal sealed class ReceivedClause
    {
        public ReceivedClause(string keyword, int position)
        {
            Keyword = keyword;
            Position = position;
        }

        /// <summary>The keyword in lower case (<c>from</c>, <c>by</c>, <c>via</c>, <c>with</c>, <c>id</c>, <c>for</c>, <c>tls</c>), or empty for text before the first clause.</summary>
        public string Keyword { get; }

        /// <summary>Order of the clause in the field (0 = the text before the first keyword).</summary>
        public int Position { get; }

        /// <summary>The clause's atoms, literals and quoted strings, in order; the first is the clause's value.</summary>
        public List<ReceivedToken> Values { get; } = new List<ReceivedToken>();

        /// <summary>The comments of the clause, each with the number of values that preceded it.</summary>
        public List<ReceivedComment> Comments { get; } = new List<ReceivedComment>();

        /// <summary>The first value's text, or <c>null</c> when the clause is empty.</summary>
        public string? Value => Values.Count > 0 ? Values[0].Text : null;

        /// <summary>The values joined by single spaces (WITH values such as <c>Microsoft SMTP Server</c>).</summary>
        public string? Joined => Values.Count == 0 ? null : string.Join(" ", Values.Select(v => v.Text));

        /// <inheritdoc />
        public override string ToString() => $"{Keyword} {Joined} ({Comments.Count} comment(s))";
    }

    /// <summary>A comment and where it sits: in which clause, and after how many of that clause's values.</summary>
    internal sealed class ReceivedComment
    {
        public ReceivedComment(ReceivedClause clause, string text, int afterValues, bool glued)
        {
            Clause = clause;
            Text = text;
            AfterValues = afterValues;
            Glued = glued;
        }

        public ReceivedClause Clause { get; }

        /// <summary>The text between the outer parentheses (nested comments kept with their parentheses).</summary>
        public string Text { get; }

        /// <summary>How many values of its clause came before the comment (TCP-info follows the FROM domain: 1).</summary>
        public int AfterValues { get; }

        /// <summary>True when the comment follows the previous value without white space (smap's <c>host(192.0.2.1)</c>).</summary>
        public bool Glued { get; }

        /// <inheritdoc />
        public override string ToString() => $"({Text})";
    }

    /// <summary>
    /// The clause structure of one Received field, before anything is interpreted: the clauses in order, the text before
    /// the first clause, and the date-time part.
    /// </summary>
    internal sealed class ReceivedStamp
    {
        public ReceivedStamp(string raw) => Raw = raw;

        /// <summary>The field value as parsed (unfolded).</summary>
        public string Raw { get; }

        /// <summary>Text and comments before the first keyword (qmail's <c>(qmail 123 invoked ...)</c>, Sendmail's <c>(from user@localhost)</c>).</summary>
        public ReceivedClause Leading { get; } = new ReceivedClause(string.Empty, 0);

        /// <summary>Every clause in field order.</summary>
        public List<ReceivedClause> Clauses { get; } = new List<ReceivedClause>();

        /// <summary>The date-time text (after the last top-level ';', or the trailing date when the ';' is missing), or <c>null</c>.</summary>
        public string? DateText { get; set; }

        /// <summary>True when a top-level ';' introduced the date-time.</summary>
        public bool HasSemicolon { get; set; }

        /// <summary>True when the date-time was found at the end of the field without the ';' RFC 5321 §4.4 requires.</summary>
        public bool DateWithoutSemicolon { get; set; }

        /// <summary>True when parentheses, brackets or quotes did not balance.</summary>
        public bool Unbalanced { get; set; }

        /// <summary>True when the field was longer than the parser reads.</summary>
        public bool Truncated { get; set; }

        /// <summary>The first clause with the keyword, or <c>null</c>.</summary>
        public ReceivedClause? First(string keyword)
        {
            foreach (var c in Clauses)
            {
                if (c.Keyword == keyword)
                {
                    return c;
                }
            }

            return null;
        }

        /// <summary>Every clause with the keyword, in order.</summary>
        public IEnumerable<ReceivedClause> All(string keyword) => Clauses.Where(c => c.Keyword == keyword);

        /// <summary>Every comment in field order, the leading ones first.</summary>
        public IEnumerable<ReceivedComment> AllComments => Leading.Comments.Concat(Clauses.SelectMany(c => c.Comments));
    }

    /// <summary>
    /// Reads the clause structure of a Received field (RFC 5321 §4.4: <c>from</c>, <c>by</c>, <c>via</c>, <c>with</c>,
    /// <c>id</c>, <c>for</c> and the RFC 8314 §4.3 <c>tls</c> clause, in any order, with RFC 5322 comments anywhere) from
    /// the tokens of <see cref="ReceivedTokenizer"/>. Nothing is interpreted here: which comment means what is the MTA
    /// readers' business. One pass over the tokens; never fails.
    /// </summary>
    internal static class ReceivedGrammar
    {
        /// <summary>The clause keywords (case-insensitive).</summary>
        private static readonly HashSet<string> Keywords = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "from", "by", "via", "with", "id", "for", "tls" };

        private static readonly HashSet<string> DayNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

        private static readonly HashSet<string> MonthNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

        /// <summary>Builds the stamp of an unfolded field value.</summary>
        public static ReceivedStamp Parse(string text, bool truncated)
        {
            var stamp = new ReceivedStamp(text) { Truncated = truncated };
            var tokens = ReceivedTokenizer.Tokenize(text, out var unbalanced);
            stamp.Unbalanced = unbalanced;

            // RFC 5321 §4.4: the date-time follows the last ';' outside comments. Semicolons before it are junk some
            // MTAs write (SquirrelMail's "(...); by host"); they separate nothing.
            var lastSemicolon = -1;
            for (var i = tokens.Count - 1; i >= 0; i--)
            {
                if (tokens[i].Kind == ReceivedTokenKind.Semicolon)
                {
                    lastSemicolon = i;
                    break;
                }
            }

            var end = tokens.Count;
            if (lastSemicolon >= 0)
            {
                stamp.HasSemicolon = true;
                var dateText = text.Substring(tokens[lastSemicolon].End).Trim();
                stamp.DateText = dateText.Length == 0 ? null : dateText;
                end = lastSemicolon;
            }
            else
            {
                var dateStart = FindTrailingDate(tokens);
                if (dateStart >= 0)
                {
                    stamp.DateText = text.Substring(tokens[dateStart].Start).Trim();
                    stamp.DateWithoutSemicolon = true;
                    end = dateStart;
                }
            }

            var current = stamp.Leading;
            for (var i = 0; i < end; i++)
            {
                var token = tokens[i];
                switch (token.Kind)
                {
                    case ReceivedTokenKind.Semicolon:
                        continue;
                    case ReceivedTokenKind.Comment:
                        var glued = current.Values.Count > 0 && current.Values[current.Values.Count - 1].End == token.Start;
                        current.Comments.Add(new ReceivedComment(current, token.Text, current.Values.Count, glued));
                        continue;
                    case ReceivedTokenKind.Atom when Keywords.Contains(token.Text):
                        // A keyword always opens a clause: "from by 24.3.96.11" has an empty FROM clause, not a FROM of "by".
                        current = new ReceivedClause(token.Text.ToLowerInvariant(), stamp.Clauses.Count + 1);
                        stamp.Clauses.Add(current);
                        continue;
                    default:
                        current.Values.Add(token);
                        continue;
                }
            }

            return stamp;
        }

        /// <summary>
        /// Where a date-time starts at the end of a field that has no ';' (<c>... id EF01 Mon, 11 Sep 2006 11:41:10 -0500</c>):
        /// the first of the last few atoms that is a day name or a day of month followed by a month name. -1 when none.
        /// Only the last eight tokens are looked at, so the scan is bounded.
        /// </summary>
        private static int FindTrailingDate(List<ReceivedToken> tokens)
        {
            for (var i = Math.Max(0, tokens.Count - 8); i < tokens.Count - 2; i++)
            {
                var t = tokens[i];
                if (t.Kind != ReceivedTokenKind.Atom)
                {
                    continue;
                }

                var word = t.Text.TrimEnd(',');
                var next = tokens[i + 1];
                if (DayNames.Contains(word) && i + 2 < tokens.Count && IsDayOfMonth(next.Text) && MonthNames.Contains(tokens[i + 2].Text))
                {
                    return i;
                }

                if (IsDayOfMonth(word) && next.Kind == ReceivedTokenKind.Atom && MonthNames.Contains(next.Text))
                {
                    return i;
                }
            }

            return -1;
        }

        private static bool IsDayOfMonth(string s) => s.Length >= 1 && s.Length <= 2 && s.All(char.IsDigit);
    }
}
