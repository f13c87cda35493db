using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MailSecurity.Dkim;
using MailSecurity.Records;

namespace MailSecurity.Dmarc
{
    /// <summary>
    /// Parses DMARC policy records by the RFC 9989 grammar (§4.7, §4.8): <c>v=DMARC1</c> first and case-sensitive,
    /// tags in any order, syntax errors discarded in favour of defaults with a finding. Where RFC 7489 differs
    /// (p second; pct/rf/ri) the finding says "7489-strict" or "9989".
    /// </summary>
    internal static class DmarcRecordParser
    {
        private static readonly string[] RegistryOrder = { "v", "p", "sp", "np", "adkim", "aspf", "fo", "rua", "ruf", "psd", "t" };
        private static readonly string[] ObsoleteTags = { "pct", "rf", "ri" };

        /// <summary>
        /// True when <paramref name="text"/> starts with the DMARC version tag: <c>"v" *WSP "=" *WSP %s"DMARC1"</c>
        /// followed by a separator or the end (RFC 9989 §4.8 dmarc-version, dmarc-sep). Other TXT records are discarded.
        /// </summary>
        public static bool IsDmarcRecord(string text)
        {
            if (text is null || text.Length == 0 || (text[0] != 'v' && text[0] != 'V'))
            {
                return false;
            }

            var i = SkipWsp(text, 1);
            if (i >= text.Length || text[i] != '=')
            {
                return false;
            }

            i = SkipWsp(text, i + 1);
            if (string.CompareOrdinal(text, i, "DMARC1", 0, 6) != 0)
            {
                return false;
            }

            i = SkipWsp(text, i + 6);
            return i == text.Length || text[i] == ';';
        }

        /// <summary>
        /// When a TXT record at a _dmarc name is not a DMARC record but was plainly meant to be one, says why it is
        /// ignored (wrong case, version not first, missing separator); otherwise null.
        /// </summary>
        /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
        public static string? ExplainNearMiss(string text)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            if (IsDmarcRecord(text) || text.IndexOf("dmarc", StringComparison.OrdinalIgnoreCase) < 0)
            {
                return null;
            }

            var trimmed = DkimTagList.Trim(text);
            if (trimmed.Length != text.Length && IsDmarcRecord(trimmed))
            {
                return "it has white space before the version tag";
            }

            if (trimmed.StartsWith("v", StringComparison.OrdinalIgnoreCase))
            {
                var eq = trimmed.IndexOf('=');
                var rest = eq < 0 ? string.Empty : DkimTagList.Trim(trimmed.Substring(eq + 1));
                if (rest.StartsWith("DMARC1", StringComparison.OrdinalIgnoreCase) && !rest.StartsWith("DMARC1", StringComparison.Ordinal))
                {
                    return "the version value must be exactly 'DMARC1' (upper case)";
                }

                if (rest.StartsWith("DMARC1", StringComparison.Ordinal))
                {
                    return "the version tag is not followed by ';'";
                }

                return "the version value is not DMARC1";
            }

            return "it does not begin with the v=DMARC1 tag";
        }

        /// <summary>Parses a DMARC record published for <paramref name="domain"/>.</summary>
        /// <param name="domain">The domain the record belongs to (without <c>_dmarc.</c>).</param>
        /// <param name="text">The record; callers pass only text for which <see cref="IsDmarcRecord"/> is true.</param>
        /// <exception cref="ArgumentNullException"><paramref name="domain"/> or <paramref name="text"/> is null.</exception>
        public static DmarcRecord Parse(string domain, string text)
        {
            if (domain is null)
            {
                throw new ArgumentNullException(nameof(domain));
            }

            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            var findings = new List<Finding>();
            var target = "_dmarc." + domain;
            var list = DkimTagList.Parse(text, StringComparison.OrdinalIgnoreCase);
            foreach (var problem in list.Problems)
            {
                findings.Add(DmarcFindings.SyntaxError.Create($"The DMARC record of {domain} has a malformed part ({problem}); it is ignored.", target));
            }

            foreach (var dup in list.Duplicates.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                findings.Add(DmarcFindings.DuplicateTag.Create($"The DMARC record of {domain} has the tag '{DisplayText.Shorten(dup.ToLowerInvariant())}' more than once; the first is used.", target));
            }

            string? Get(string name) => list.Find(name, StringComparison.OrdinalIgnoreCase)?.Value;

            var tags = new List<DmarcTag> { new DmarcTag("v", "DMARC1", "DMARC1", false, true, true, false) };

            // rua first: whether it holds a valid URI decides how invalid or missing p/sp/np are read (§4.10.1).
            var ruaRaw = Get("rua");
            var rua = SplitUris(ruaRaw);
            var ruf = SplitUris(Get("ruf"));
            var hasValidRua = rua.Any(u => DmarcReportUri.Parse(u).IsValid);
            CheckUris(domain, "rua", rua, findings, target);
            CheckUris(domain, "ruf", ruf, findings, target);

            var invalidPolicyTags = new List<string>();
            var pRaw = Get("p");
            var p = ParsePolicy(pRaw);
            if (pRaw != null && p is null)
            {
                invalidPolicyTags.Add("p");
            }

            var spRaw = Get("sp");
            var sp = ParsePolicy(spRaw);
            if (spRaw != null && sp is null)
            {
                invalidPolicyTags.Add("sp");
            }

            var npRaw = Get("np");
            var np = ParsePolicy(npRaw);
            if (npRaw != null && np is null)
            {
                invalidPolicyTags.Add("np");
            }

            // §4.10.1 reading (SPEC §10): a missing or invalid p/sp/np means p=none only when rua has a valid URI.
            var fallbackNone = hasValidRua ? "none" : null;
            var policyBroken = pRaw is null || invalidPolicyTags.Count > 0;
            tags.Add(PolicyTag("p", pRaw, p, policyBroken ? fallbackNone : Lower(p)));
            tags.Add(PolicyTag("sp", spRaw, sp, policyBroken ? fallbackNone : Lower(sp ?? p)));
            tags.Add(PolicyTag("np", npRaw, np, policyBroken ? fallbackNone : Lower(np ?? sp ?? p)));
            foreach (var name in invalidPolicyTags)
            {
                findings.Add(DmarcFindings.InvalidPolicy.Create(
                    $"The DMARC record of {domain} has {name}={DisplayText.Shorten(Get(name) ?? string.Empty)}, which is not none, quarantine or reject; "
                    + (hasValidRua ? "receivers act as if the record said p=none." : "with no valid rua URI, receivers apply no DMARC at all."), target));
            }

            if (pRaw is null)
            {
                // RFC 9989 §4.8: a malformed tag is discarded, so a p tag with a bad character counts as no p tag at all.
                var what = list.MalformedNames.Any(n => string.Equals(n, "p", StringComparison.OrdinalIgnoreCase))
                    ? "has a malformed p tag, which is discarded, so it has no usable p tag"
                    : "has no p tag";
                findings.Add(DmarcFindings.PolicyMissing.Create(
                    $"The DMARC record of {domain} {what}; " + (hasValidRua
                        ? "it has a valid rua URI, so it counts as p=none."
                        : "it has no valid rua URI either, so (RFC 9989 §4.10.1) receivers apply no DMARC; under the §4.7 reading it would mean p=none."), target));
            }
            else if (list.Tags.Count > 1 && !string.Equals(list.Tags[1].Name, "p", StringComparison.OrdinalIgnoreCase))
            {
                findings.Add(DmarcFindings.PolicyNotSecond.Create($"7489-strict: in the DMARC record of {domain} the p tag is not directly after v=DMARC1.", target));
            }

            var adkim = Enumerated(domain, "adkim", Get("adkim"), new[] { "r", "s" }, "r", tags, findings, target);
            var aspf = Enumerated(domain, "aspf", Get("aspf"), new[] { "r", "s" }, "r", tags, findings, target);

            var foRaw = Get("fo");
            var foValid = foRaw is null || IsFailureOptions(foRaw);
            tags.Add(new DmarcTag("fo", foRaw, foValid && foRaw != null ? foRaw.ToLowerInvariant() : "0", foRaw is null || !foValid, foValid, true, false));
            if (!foValid)
            {
                findings.Add(DmarcFindings.InvalidTagValue.Create($"The DMARC record of {domain} has fo={DisplayText.Shorten(foRaw!)}; fo is a colon list of 0, 1, d, s with 0 and 1 not together, so the default 0 applies.", target));
            }

            if (foRaw != null && ruf.Count == 0)
            {
                findings.Add(DmarcFindings.FailureOptionsWithoutRuf.Create($"The DMARC record of {domain} sets fo={DisplayText.Shorten(foRaw)} without ruf; fo is ignored.", target));
            }

            tags.Add(new DmarcTag("rua", ruaRaw, ruaRaw, ruaRaw is null, ruaRaw is null || rua.Count > 0, true, false));
            var rufRaw = Get("ruf");
            tags.Add(new DmarcTag("ruf", rufRaw, rufRaw, rufRaw is null, rufRaw is null || ruf.Count > 0, true, false));

            var psdValue = Enumerated(domain, "psd", Get("psd"), new[] { "y", "n", "u" }, "u", tags, findings, target);
            var psd = psdValue == "y" ? DmarcPsdFlag.Yes : psdValue == "n" ? DmarcPsdFlag.No : DmarcPsdFlag.Undeclared;
            var t = Enumerated(domain, "t", Get("t"), new[] { "y", "n" }, "n", tags, findings, target);

            int? pct = null;
            foreach (var name in ObsoleteTags)
            {
                var raw = Get(name);
                if (raw is null)
                {
                    continue;
                }

                var valid = name switch
                {
                    "pct" => int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && raw.Length <= 3 && n <= 100,
                    "ri" => uint.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out _),
                    _ => raw.Length > 0,
                };
                if (name == "pct" && valid)
                {
                    pct = int.Parse(raw, CultureInfo.InvariantCulture);
                }

                tags.Add(new DmarcTag(name, raw, raw, false, valid, true, true));
                var extra = name == "pct" && pct.HasValue && pct.Value < 100
                    ? $" RFC 7489 receivers apply the policy to only {pct}% of failing mail; RFC 9989 receivers apply it to all (use t=y to signal testing)."
                    : string.Empty;
                findings.Add(DmarcFindings.ObsoleteTag.Create($"9989: the DMARC record of {domain} uses {name}={DisplayText.Shorten(raw)}, removed by RFC 9989.{extra}", target,
                    extra.Length > 0 ? Severity.Warning : (Severity?)null));
            }

            // One set of the names already listed: a per-tag scan of the list made 40,000 unknown tags take seconds.
            var listed = new HashSet<string>(tags.Select(x => x.Name), StringComparer.Ordinal);
            foreach (var tag in list.Tags)
            {
                var name = tag.Name.ToLowerInvariant();
                if (Array.IndexOf(RegistryOrder, name) < 0 && Array.IndexOf(ObsoleteTags, name) < 0 && listed.Add(name))
                {
                    tags.Add(new DmarcTag(name, tag.Value, tag.Value, false, true, false, false));
                    findings.Add(DmarcFindings.UnknownTag.Create($"The DMARC record of {domain} has the unknown tag '{DisplayText.Shorten(tag.Name)}', which receivers ignore.", target));
                }
            }

            return new DmarcRecord(new DmarcRecordBuilder
            {
                Domain = domain,
                Raw = text,
                Tags = tags,
                Policy = p,
                SubdomainPolicy = spRaw is null ? p : sp,
                NonExistentSubdomainPolicy = npRaw is null ? (spRaw is null ? p : sp) : np,
                HasPolicyTag = pRaw != null,
                InvalidPolicyTags = invalidPolicyTags,
                DkimAlignment = adkim == "s" ? DmarcAlignmentMode.Strict : DmarcAlignmentMode.Relaxed,
                SpfAlignment = aspf == "s" ? DmarcAlignmentMode.Strict : DmarcAlignmentMode.Relaxed,
                FailureReportingOptions = foValid && foRaw != null ? foRaw.ToLowerInvariant() : "0",
                Testing = t == "y",
                Psd = psd,
                AggregateReportUris = rua,
                FailureReportUris = ruf,
                HasValidAggregateReportUri = hasValidRua,
                Percentage = pct,
                Findings = Finding.LimitRepeats(findings),
            });
        }

        /// <summary>Splits a <c>dmarc-urilist</c> at commas (with optional white space around them).</summary>
        internal static IReadOnlyList<string> SplitUris(string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return Array.Empty<string>();
            }

            return value!.Split(',').Select(DkimTagList.Trim).Where(s => s.Length > 0).ToList();
        }

        /// <summary>
        /// RFC 9989 §4.8 dmarc-fo: a colon list of 0, 1, d, s, each at most once, with 0 and 1 mutually exclusive.
        /// </summary>
        internal static bool IsFailureOptions(string value)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var token in value.ToLowerInvariant().Split(':'))
            {
                if (!(token == "0" || token == "1" || token == "d" || token == "s") || !seen.Add(token))
                {
                    return false;
                }
            }

            return !(seen.Contains("0") && seen.Contains("1"));
        }

        /// <summary>Parses none/quarantine/reject (ABNF literals, so case-insensitive).</summary>
        internal static DmarcPolicyAction? ParsePolicy(string? value) => value?.ToLowerInvariant() switch
        {
            "none" => DmarcPolicyAction.None,
            "quarantine" => DmarcPolicyAction.Quarantine,
            "reject" => DmarcPolicyAction.Reject,
            _ => null,
        };

        private static string? Lower(DmarcPolicyAction? a) => a?.ToString().ToLowerInvariant();

        private static DmarcTag PolicyTag(string name, string? raw, DmarcPolicyAction? parsed, string? effective)
            => new DmarcTag(name, raw, effective, raw is null || parsed is null, raw is null || parsed != null, true, false);

        private static string Enumerated(string domain, string name, string? raw, string[] allowed, string defaultValue, List<DmarcTag> tags, List<Finding> findings, string target)
        {
            if (raw is null)
            {
                tags.Add(new DmarcTag(name, null, defaultValue, true, true, true, false));
                return defaultValue;
            }

            var lower = raw.ToLowerInvariant();
            if (Array.IndexOf(allowed, lower) >= 0)
            {
                tags.Add(new DmarcTag(name, raw, lower, false, true, true, false));
                return lower;
            }

            tags.Add(new DmarcTag(name, raw, defaultValue, true, false, true, false));
            findings.Add(DmarcFindings.InvalidTagValue.Create(
                $"The DMARC record of {domain} has {name}={DisplayText.Shorten(raw)}; allowed values are {string.Join(", ", allowed)}, so the default {defaultValue} applies.", target));
            return defaultValue;
        }

        private static void CheckUris(string domain, string tag, IReadOnlyList<string> uris, List<Finding> findings, string target)
        {
            foreach (var u in uris)
            {
                var parsed = DmarcReportUri.Parse(u);
                if (!parsed.IsValid)
                {
                    findings.Add(DmarcFindings.InvalidReportUri.Create($"The {tag} entry '{DisplayText.Shorten(u)}' of {domain} is ignored: {parsed.Error}.", target));
                    continue;
                }

                if (parsed.SizeSuffix != null)
                {
                    findings.Add(DmarcFindings.ObsoleteReportSize.Create($"9989: the {tag} entry '{DisplayText.Shorten(u)}' of {domain} has the obsolete size limit '!{parsed.SizeSuffix}', which reporters ignore.", target));
                }

                if (!parsed.IsMailto)
                {
                    findings.Add(DmarcFindings.UnsupportedReportScheme.Create($"The {tag} entry '{DisplayText.Shorten(u)}' of {domain} uses the {DisplayText.Shorten(parsed.Scheme)} scheme; receivers need only support mailto and ignore schemes they do not support.", target));
                }
            }
        }

        private static int SkipWsp(string s, int i)
        {
            while (i < s.Length && (s[i] == ' ' || s[i] == '\t'))
            {
                i++;
            }

            return i;
        }
    }
}
