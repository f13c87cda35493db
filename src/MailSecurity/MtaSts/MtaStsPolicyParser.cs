using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using MailSecurity.Records;

namespace MailSecurity.MtaSts
{
    /// <summary>
    /// Parses an MTA-STS policy body (RFC 8461 §3.2). Decisions: LF and CRLF line ends are both accepted
    /// (the ABNF's <c>sts-policy-term = LF / CRLF</c>; erratum 6253); keys and the version/mode values are
    /// case-sensitive as the ABNF's <c>%s</c> strings say; for every key but <c>mx</c> the first occurrence wins;
    /// unknown keys are kept as extensions and otherwise ignored; a max_age above 31557600 makes the policy invalid
    /// rather than being clamped (erratum 7282); a line that is not <c>key: value</c> is ignored with a warning.
    /// </summary>
    internal static class MtaStsPolicyParser
    {
        /// <summary>The largest max_age RFC 8461 §3.2 defines (one year).</summary>
        public const long MaxAgeLimit = 31557600;

        /// <summary>max_age below this (one week) gets <see cref="MtaStsFindings.MaxAgeShort"/>: §3.2 expects "weeks or greater".</summary>
        public const long RecommendedMinimumMaxAge = 604800;

        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        /// <summary>
        /// Decodes the body as UTF-8. Returns false (with the text decoded leniently, for evidence) when it is not valid UTF-8.
        /// </summary>
        /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
        public static bool TryDecode(byte[] body, out string text)
        {
            if (body is null)
            {
                throw new ArgumentNullException(nameof(body));
            }

            try
            {
                text = StrictUtf8.GetString(body);
                return true;
            }
            catch (DecoderFallbackException)
            {
                text = Encoding.UTF8.GetString(body);
                return false;
            }
        }

        /// <summary>Parses a policy body.</summary>
        /// <param name="text">The body, decoded.</param>
        /// <param name="target">Target of the findings (the policy URL or domain).</param>
        /// <param name="findings">What is wrong or noteworthy, in order of appearance.</param>
        /// <returns>The policy, valid or not.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
        public static MtaStsPolicy Parse(string text, string? target, out IReadOnlyList<Finding> findings)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            var list = new List<Finding>();
            string? version = null, modeText = null, maxAgeText = null;
            var mx = new List<string>();
            var extensions = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var lineNumber = 0;
            foreach (var rawLine in text.Split('\n'))
            {
                lineNumber++;
                var line = rawLine.EndsWith("\r", StringComparison.Ordinal) ? rawLine.Substring(0, rawLine.Length - 1) : rawLine;
                if (line.Trim(' ', '\t').Length == 0)
                {
                    continue;
                }

                var colon = line.IndexOf(':');
                var key = colon < 0 ? string.Empty : line.Substring(0, colon);
                if (colon <= 0 || !VersionedFieldList.IsExtensionName(key))
                {
                    list.Add(MtaStsFindings.PolicyLineInvalid.Create($"Line {lineNumber} of the policy, '{DisplayText.Shorten(line)}', is not 'key: value'; it is ignored.", target));
                    continue;
                }

                // sts-policy-field-delim = ":" *WSP; trailing *WSP is allowed after every field.
                var value = line.Substring(colon + 1).Trim(' ', '\t');
                if (key == "mx")
                {
                    mx.Add(value);
                    continue;
                }

                if (!seen.Add(key))
                {
                    list.Add(MtaStsFindings.DuplicateKey.Create($"The policy repeats '{key}' on line {lineNumber} ('{DisplayText.Shorten(value)}'); senders use only the first occurrence.", target));
                    continue;
                }

                switch (key)
                {
                    case "version":
                        version = value;
                        break;
                    case "mode":
                        modeText = value;
                        break;
                    case "max_age":
                        maxAgeText = value;
                        break;
                    default:
                        extensions[key] = value;
                        break;
                }
            }

            var valid = true;
            if (version != "STSv1")
            {
                valid = false;
                list.Add(MtaStsFindings.PolicyVersionInvalid.Create(version is null
                    ? $"The policy has no 'version' field{CaseHint(extensions, "version")}."
                    : $"The policy's version is '{DisplayText.Shorten(version)}', not 'STSv1'.", target));
            }

            MtaStsMode? mode = modeText switch
            {
                "enforce" => MtaStsMode.Enforce,
                "testing" => MtaStsMode.Testing,
                "none" => MtaStsMode.None,
                _ => null,
            };
            if (mode is null)
            {
                valid = false;
                list.Add(MtaStsFindings.ModeInvalid.Create(modeText is null
                    ? $"The policy has no 'mode' field{CaseHint(extensions, "mode")}."
                    : $"The policy's mode '{DisplayText.Shorten(modeText)}' is not enforce, testing or none (values are case-sensitive).", target));
            }

            long? maxAge = null;
            if (maxAgeText is null)
            {
                valid = false;
                list.Add(MtaStsFindings.MaxAgeInvalid.Create($"The policy has no 'max_age' field{CaseHint(extensions, "max_age")}.", target));
            }
            else if (maxAgeText.Length < 1 || maxAgeText.Length > 10 || !maxAgeText.All(c => c >= '0' && c <= '9'))
            {
                // sts-policy-max-age-value = 1*10(DIGIT)
                valid = false;
                list.Add(MtaStsFindings.MaxAgeInvalid.Create($"The policy's max_age '{DisplayText.Shorten(maxAgeText)}' is not a number of 1 to 10 digits.", target));
            }
            else
            {
                maxAge = long.Parse(maxAgeText, NumberStyles.None, CultureInfo.InvariantCulture);
                if (maxAge > MaxAgeLimit)
                {
                    // Erratum 7282: values above one year are undefined; this tool rejects them instead of clamping.
                    valid = false;
                    list.Add(MtaStsFindings.MaxAgeTooLarge.Create($"The policy's max_age {maxAge} is above {MaxAgeLimit} seconds (one year); this tool treats the policy as invalid (some senders clamp it instead).", target));
                }
                else if (maxAge < RecommendedMinimumMaxAge && mode != MtaStsMode.None)
                {
                    var severity = maxAge < 86400 ? Severity.Warning : Severity.Info;
                    list.Add(MtaStsFindings.MaxAgeShort.Create($"The policy's max_age is {maxAge} seconds ({Describe(maxAge.Value)}); RFC 8461 expects weeks or more.", target, severity));
                }
            }

            foreach (var pattern in mx)
            {
                if (!MtaStsMxMatcher.IsValidPattern(pattern, out var reason))
                {
                    list.Add(MtaStsFindings.InvalidMxPattern.Create($"The mx value '{DisplayText.Shorten(pattern)}' is not valid: {reason}; it matches no MX host.", target));
                }
            }

            // sts-policy-record: at least one mx unless the mode is none (RFC 8461 §3.2).
            if (mx.Count == 0 && mode != MtaStsMode.None && mode != null)
            {
                valid = false;
                list.Add(MtaStsFindings.MissingMx.Create($"The policy has no mx field although its mode is {modeText}.", target));
            }

            findings = Finding.LimitRepeats(list);
            return new MtaStsPolicy(new MtaStsPolicyBuilder
            {
                Text = text,
                Version = version,
                Mode = mode,
                ModeText = modeText,
                MaxAgeSeconds = maxAge,
                MxPatterns = mx,
                Extensions = extensions,
                UsesCrlf = text.IndexOf("\r\n", StringComparison.Ordinal) >= 0,
                IsValid = valid,
            });
        }

        private static string CaseHint(IReadOnlyDictionary<string, string> extensions, string key)
        {
            var near = extensions.Keys.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
            return near is null ? string.Empty : $" (there is a '{near}' field, but keys are case-sensitive)";
        }

        private static string Describe(long seconds)
        {
            var t = TimeSpan.FromSeconds(seconds);
            return t.TotalDays >= 1 ? $"{t.TotalDays:0.#} days" : t.TotalHours >= 1 ? $"{t.TotalHours:0.#} hours" : $"{seconds} seconds";
        }

    }
}
