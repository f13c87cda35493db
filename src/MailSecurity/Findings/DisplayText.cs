using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace MailSecurity
{
    /// <summary>
    /// The one place where text from someone else's DNS, web server or message is made fit for a finding message or
    /// a trace line: control characters and lone surrogates escaped, at most a fixed number of characters kept. The
    /// work is bounded by the length of the output, not of the input, so a megabyte-long record costs no more than a
    /// short one. Raw evidence (the record as published) is kept elsewhere, whole.
    /// </summary>
    internal static class DisplayText
    {
        /// <summary>The default number of characters a shortened value keeps (excerpts of records, tags, URIs).</summary>
        public const int DefaultLength = 60;

        /// <summary>The longest excerpt any caller asks for; finding messages stay a sentence long.</summary>
        public const int MaxLength = 260;

        /// <summary>How many problems of one parse are listed in full (parse errors, malformed parts) before the rest are counted.</summary>
        public const int MaxProblems = 20;

        private const string Ellipsis = "...";

        /// <summary>
        /// Cuts a list of problem sentences to <see cref="MaxProblems"/>, the last saying how many more there were; the
        /// list is returned as given when it is short enough.
        /// </summary>
        public static List<string> LimitProblems(List<string> problems)
        {
            if (problems.Count <= MaxProblems)
            {
                return problems;
            }

            var kept = problems.GetRange(0, MaxProblems - 1);
            kept.Add($"and {problems.Count - MaxProblems + 1} more problems of the same kind");
            return kept;
        }

        /// <summary>The first line of <paramref name="text"/> (a library's exception message, say), shortened as <see cref="Shorten"/> does.</summary>
        public static string FirstLine(string? text, int maxLength = DefaultLength)
        {
            if (string.IsNullOrEmpty(text))
            {
                return string.Empty;
            }

            var end = text!.IndexOfAny(new[] { '\r', '\n' });
            return Shorten(end < 0 ? text : text.Substring(0, end), maxLength);
        }

        /// <summary>
        /// <paramref name="text"/> with controls shown as <c>\xNN</c> and lone surrogates as <c>\uNNNN</c>, cut to at most
        /// <paramref name="maxLength"/> characters with a trailing "..." when anything was left out. Null gives "".
        /// </summary>
        public static string Shorten(string? text, int maxLength = DefaultLength)
        {
            if (string.IsNullOrEmpty(text))
            {
                return string.Empty;
            }

            if (maxLength < Ellipsis.Length + 1)
            {
                maxLength = Ellipsis.Length + 1;
            }

            var s = text!;
            if (s.Length <= maxLength && IsPlain(s))
            {
                return s; // nothing to escape or cut: the common case, without copying
            }

            var sb = new StringBuilder(System.Math.Min(s.Length, maxLength) + 8);
            var budget = maxLength - Ellipsis.Length; // characters kept when the text must be cut
            var cutAt = -1; // output length at the last character boundary within the budget
            for (var i = 0; i < s.Length; i++)
            {
                var start = sb.Length;
                var ch = s[i];
                if (char.IsHighSurrogate(ch) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                {
                    sb.Append(ch).Append(s[++i]);
                }
                else if (char.IsSurrogate(ch))
                {
                    // A lone surrogate is not text: it would break UTF-8, XML (Export-Clixml) and JSON output.
                    sb.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
                }
                else if (char.IsControl(ch))
                {
                    sb.Append("\\x").Append(((int)ch).ToString("x2", CultureInfo.InvariantCulture));
                }
                else
                {
                    sb.Append(ch);
                }

                if (sb.Length <= budget)
                {
                    cutAt = sb.Length;
                }
                else if (cutAt < 0)
                {
                    cutAt = start;
                }

                if (sb.Length > maxLength)
                {
                    sb.Length = cutAt;
                    return sb.Append(Ellipsis).ToString();
                }
            }

            // Everything fit (or exactly fills maxLength): nothing was left out.
            return sb.ToString();
        }

        private static bool IsPlain(string s)
        {
            foreach (var ch in s)
            {
                if (char.IsSurrogate(ch) || char.IsControl(ch))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
