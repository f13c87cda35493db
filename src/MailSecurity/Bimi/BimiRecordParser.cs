using System;
using System.Collections.Generic;
using System.Linq;
using MailSecurity.Dkim;
using MailSecurity.Records;

namespace MailSecurity.Bimi
{
    /// <summary>The outcome of parsing one v=BIMI1 record.</summary>
    internal sealed class BimiParseResult
    {
        internal BimiParseResult(string? logoUri, string? evidenceUri, IReadOnlyList<string> localPartSelectors, string avatarPreference, bool declined,
            IReadOnlyList<KeyValuePair<FindingDescriptor, string>> problems)
        {
            LogoUri = logoUri;
            EvidenceUri = evidenceUri;
            LocalPartSelectors = localPartSelectors;
            AvatarPreference = avatarPreference;
            Declined = declined;
            Problems = problems;
        }

        /// <summary>l= when non-empty.</summary>
        public string? LogoUri { get; }

        /// <summary>a= when non-empty.</summary>
        public string? EvidenceUri { get; }

        /// <summary>lps= prefixes (valid ones).</summary>
        public IReadOnlyList<string> LocalPartSelectors { get; }

        /// <summary>avp= (brand unless a valid personal).</summary>
        public string AvatarPreference { get; }

        /// <summary>True for an explicit declination (empty l=).</summary>
        public bool Declined { get; }

        /// <summary>Each problem with the finding it produces.</summary>
        public IReadOnlyList<KeyValuePair<FindingDescriptor, string>> Problems { get; }

        /// <summary>True when no problem makes the record an error (InvalidTagValue problems are only ignored tags).</summary>
        public bool IsValid => Problems.All(p => p.Key == BimiFindings.InvalidTagValue);
    }

    /// <summary>
    /// Parses BIMI assertion records (draft -12 §8.1): DKIM-style tag-list, v=BIMI1 first and exact, l= required but
    /// possibly empty, l= and a= single HTTPS URIs, lps/avp optional. Receivers must not repair errors, so none are repaired.
    /// </summary>
    internal static class BimiRecordParser
    {
        /// <summary>True when the first tag is v with the exact value BIMI1 (white space around '=' allowed).</summary>
        public static bool IsBimiRecord(string text)
        {
            var list = DkimTagList.Parse(text ?? string.Empty, StringComparison.Ordinal);
            return list.Tags.Count > 0 && list.Tags[0].Name == "v" && list.Tags[0].Value == "BIMI1";
        }

        /// <summary>True for text that was plainly meant as BIMI but is not a BIMI record.</summary>
        public static bool IsNearMiss(string text)
            => text != null && !IsBimiRecord(text) && text.IndexOf("bimi1", StringComparison.OrdinalIgnoreCase) >= 0;

        /// <summary>Parses a record for which <see cref="IsBimiRecord"/> is true.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
        public static BimiParseResult Parse(string text)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            var problems = new List<KeyValuePair<FindingDescriptor, string>>();
            void Add(FindingDescriptor d, string m) => problems.Add(new KeyValuePair<FindingDescriptor, string>(d, m));
            var list = DkimTagList.Parse(text, StringComparison.Ordinal);
            foreach (var p in list.Problems)
            {
                Add(BimiFindings.SyntaxError, p);
            }

            foreach (var d in list.Duplicates.Distinct())
            {
                Add(BimiFindings.SyntaxError, $"the tag '{DisplayText.Shorten(d)}' appears more than once");
            }

            var l = list.Find("l", StringComparison.Ordinal);
            var a = list.Find("a", StringComparison.Ordinal);
            string? logo = null;
            string? evidence = null;
            if (l is null)
            {
                Add(BimiFindings.SyntaxError, "the required l= tag is missing (it may be empty to decline)");
            }
            else if (l.Value.Length > 0)
            {
                var why = CheckHttpsUri(l.Value, requireSvg: true);
                if (why is null)
                {
                    logo = l.Value;
                }
                else
                {
                    Add(BimiFindings.InvalidUri, "l=" + DisplayText.Shorten(l.Value) + ": " + why);
                }
            }

            if (a != null && a.Value.Length > 0)
            {
                var why = CheckHttpsUri(a.Value, requireSvg: false);
                if (why is null)
                {
                    evidence = a.Value;
                }
                else
                {
                    Add(BimiFindings.InvalidUri, "a=" + DisplayText.Shorten(a.Value) + ": " + why);
                }
            }

            var lps = new List<string>();
            var lpsTag = list.Find("lps", StringComparison.Ordinal);
            if (lpsTag != null)
            {
                foreach (var prefix in lpsTag.Value.Split(',').Select(DkimTagList.Trim))
                {
                    if (prefix.Length >= 1 && prefix.Length <= 63 && prefix.All(c => char.IsLetterOrDigit(c) && c < 0x80 || c == '-'))
                    {
                        lps.Add(prefix);
                    }
                    else
                    {
                        Add(BimiFindings.InvalidTagValue, $"the lps prefix '{DisplayText.Shorten(prefix)}' is not 1-63 letters, digits or hyphens and is ignored");
                    }
                }
            }

            var avp = "brand";
            var avpTag = list.Find("avp", StringComparison.Ordinal);
            if (avpTag != null)
            {
                if (avpTag.Value == "personal" || avpTag.Value == "brand")
                {
                    avp = avpTag.Value;
                }
                else
                {
                    Add(BimiFindings.InvalidTagValue, $"avp={DisplayText.Shorten(avpTag.Value)} is neither personal nor brand and is ignored (brand applies)");
                }
            }

            var declined = l != null && l.Value.Length == 0;
            if (problems.Count > DisplayText.MaxProblems)
            {
                // One broken record gives a readable list: the first problems, then how many more (as DisplayText.LimitProblems).
                var more = problems.Count - DisplayText.MaxProblems + 1;
                problems.RemoveRange(DisplayText.MaxProblems - 1, more);
                Add(BimiFindings.SyntaxError, $"and {more} more problems of the same kind");
            }

            return new BimiParseResult(logo, evidence, lps, avp, declined, problems);
        }

        /// <summary>A single https URI with a fully qualified host; for l=, an SVG/SVGZ path when it has an extension. Null when fine.</summary>
        internal static string? CheckHttpsUri(string value, bool requireSvg)
        {
            if (value.IndexOf(',') >= 0)
            {
                return "draft -12 allows a single URI here and commas must be percent-encoded";
            }

            if (value.Any(c => c <= ' ' || c > '~'))
            {
                return "it contains white space, a control or a non-ASCII character";
            }

            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
            {
                return "it is not an absolute URI";
            }

            if (!string.Equals(uri.Scheme, "https", StringComparison.OrdinalIgnoreCase))
            {
                return $"the scheme is {DisplayText.Shorten(uri.Scheme)}, but only https is allowed";
            }

            if (uri.HostNameType != UriHostNameType.Dns || uri.Host.IndexOf('.') < 0)
            {
                return "the host is not a fully qualified domain name";
            }

            if (requireSvg)
            {
                var path = uri.AbsolutePath;
                var slash = path.LastIndexOf('/');
                var file = path.Substring(slash + 1);
                var dot = file.LastIndexOf('.');
                if (dot >= 0)
                {
                    var ext = file.Substring(dot + 1).ToLowerInvariant();
                    if (ext != "svg" && ext != "svgz")
                    {
                        return $"the logo is a .{DisplayText.Shorten(ext)} file, but only SVG/SVGZ are allowed";
                    }
                }
            }

            return null;
        }
    }
}
