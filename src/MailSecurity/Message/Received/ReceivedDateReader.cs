using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using MimeKit.Utils;

namespace MailSecurity.Message.Received
{
    /// <summary>
    /// Reads the date-time of a Received field (RFC 5322 §3.3, obsolete forms §4.3) with MimeKit's <see cref="DateUtils"/>, then
    /// checks it field by field, because DateUtils silently accepts out-of-range times such as 25:00.
    /// </summary>
    internal static class ReceivedDateReader
    {
        private static readonly Regex DateShape = new Regex(
            @"^(?:(?<dow>[A-Za-z]+)\s*,\s*)?(?<day>[0-9]{1,2})\s+(?<mon>[A-Za-z]+)\s+(?<year>[0-9]{2,4})\s+(?<h>[0-9]{1,2}):(?<m>[0-9]{1,2})(?::(?<s>[0-9]{1,2}))?\s*(?<zone>[+-][0-9]{4}|[A-Za-z]{1,5})?$",
            RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

        private static readonly string[] Months = { "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec" };

        /// <summary>How the date-time reads; <paramref name="value"/> is set for valid and obsolete dates.</summary>
        public static ReceivedDateState Read(string? dateText, out DateTimeOffset value, out string problem)
        {
            value = default;
            problem = string.Empty;
            if (dateText is null)
            {
                return ReceivedDateState.Missing;
            }

            if (dateText.Length > 200)
            {
                // No date-time is this long; do not hand megabytes of junk to the date parser.
                problem = "far too long to be a date-time";
                return ReceivedDateState.Invalid;
            }

            var bare = ReceivedTokenizer.TopLevelText(dateText, null).Replace('\t', ' ').Trim();
            while (bare.IndexOf("  ", StringComparison.Ordinal) >= 0)
            {
                bare = bare.Replace("  ", " ");
            }

            var libraryOk = DateUtils.TryParse(dateText, out value);
            var m = Match(bare);
            if (m is null)
            {
                if (libraryOk)
                {
                    problem = "a non-standard layout";
                    return ReceivedDateState.Obsolete;
                }

                problem = "not an RFC 5322 date-time";
                return ReceivedDateState.Invalid;
            }

            var day = int.Parse(m.Groups["day"].Value, CultureInfo.InvariantCulture);
            var hour = int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture);
            var minute = int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture);
            var second = m.Groups["s"].Success ? int.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture) : 0;
            var month = Array.IndexOf(Months, m.Groups["mon"].Value.ToLowerInvariant());
            if (month < 0 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
            {
                problem = month < 0 ? $"'{m.Groups["mon"].Value}' is not a month" : "a field is out of range";
                return ReceivedDateState.Invalid;
            }

            if (!libraryOk)
            {
                problem = "the day does not exist in that month";
                return ReceivedDateState.Invalid;
            }

            var notes = new List<string>();
            var year = m.Groups["year"].Value;
            if (year.Length < 4)
            {
                notes.Add("a two- or three-digit year");
            }

            var zone = m.Groups["zone"];
            if (!zone.Success)
            {
                notes.Add("no time zone (read as +0000)");
            }
            else if (!(zone.Value.StartsWith("+", StringComparison.Ordinal) || zone.Value.StartsWith("-", StringComparison.Ordinal)))
            {
                notes.Add($"the alphabetic zone '{zone.Value}'");
            }

            if (notes.Count > 0)
            {
                problem = string.Join(", ", notes);
                return ReceivedDateState.Obsolete;
            }

            return ReceivedDateState.Valid;
        }

        private static Match? Match(string input)
        {
            if (input.Length > 200)
            {
                return null;
            }

            try
            {
                var m = DateShape.Match(input);
                return m.Success ? m : null;
            }
            catch (RegexMatchTimeoutException)
            {
                return null;
            }
        }
    }
}
