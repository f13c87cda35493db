using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace MailSecurity.Spf
{
    /// <summary>
    /// Parses SPF records against the normative ABNF of RFC 7208 §12: terms separated by spaces only, qualifiers,
    /// the eight mechanisms with their arguments and dual CIDR lengths, redirect/exp/unknown modifiers, macro syntax
    /// (§7) and duplicate redirect/exp (§6). Every violation is collected, so an invalid record is still returned
    /// with its terms and reasons. Hand-written: no maintained .NET library parses SPF to the RFC 7208 grammar.
    /// </summary>
    internal static class SpfRecordParser
    {
        /// <summary>The version tag.</summary>
        public const string Version = "v=spf1";

        private static readonly Regex ModifierPattern = new Regex("^([A-Za-z][A-Za-z0-9_.-]*)=(.*)\\z", RegexOptions.CultureInvariant | RegexOptions.Singleline);
        private static readonly Regex DualCidrPattern = new Regex("^(?<spec>.*?)(?:/(?<c4>[0-9]+))?(?://(?<c6>[0-9]+))?\\z", RegexOptions.CultureInvariant | RegexOptions.Singleline);
        private static readonly Regex Ip4Pattern = new Regex("^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\\z", RegexOptions.CultureInvariant);
        private static readonly Regex CidrPattern = new Regex("^(?:0|[1-9][0-9]{0,2})\\z", RegexOptions.CultureInvariant);

        /// <summary>
        /// True when a TXT string is an SPF record: it starts with <c>v=spf1</c> (any case) followed by a space or
        /// the end (RFC 7208 §4.5); so <c>v=spf10</c> is not one.
        /// </summary>
        public static bool IsSpfRecord(string? text)
            => text != null && text.Length >= Version.Length
               && string.Compare(text, 0, Version, 0, Version.Length, StringComparison.OrdinalIgnoreCase) == 0
               && (text.Length == Version.Length || text[Version.Length] == ' ');

        /// <summary>Parses a record (the TXT strings already joined).</summary>
        public static SpfRecord Parse(string text)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            var errors = new List<string>();
            var terms = new List<SpfTerm>();
            if (!IsSpfRecord(text))
            {
                errors.Add("The record does not start with 'v=spf1' followed by a space or the end.");
                return new SpfRecord(text, terms, errors);
            }

            // terms = *( 1*SP ( directive / modifier ) ); only SP (0x20) separates terms (§4.6.1, §12).
            var index = 0;
            foreach (var raw in text.Substring(Version.Length).Split(' '))
            {
                if (raw.Length == 0)
                {
                    continue;
                }

                var term = ParseTerm(raw, index++);
                terms.Add(term);
                if (term.Error != null)
                {
                    errors.Add($"Term {term.Index + 1} '{DisplayText.Shorten(raw)}': {term.Error}.");
                }
            }

            // §6: redirect and exp MUST NOT appear more than once each.
            foreach (var kind in new[] { SpfTermKind.Redirect, SpfTermKind.Explanation })
            {
                var count = terms.Count(t => t.Kind == kind);
                if (count > 1)
                {
                    errors.Add($"The '{(kind == SpfTermKind.Redirect ? "redirect" : "exp")}' modifier appears {count} times; it may appear at most once (RFC 7208 §6).");
                }
            }

            return new SpfRecord(text, terms, DisplayText.LimitProblems(errors));
        }

        private static SpfTerm ParseTerm(string raw, int index)
        {
            var modifier = ModifierPattern.Match(raw);
            if (modifier.Success)
            {
                return ParseModifier(raw, index, modifier.Groups[1].Value.ToLowerInvariant(), modifier.Groups[2].Value);
            }

            var qualifier = SpfQualifier.Pass;
            var pos = 0;
            switch (raw[0])
            {
                case '+': qualifier = SpfQualifier.Pass; pos = 1; break;
                case '-': qualifier = SpfQualifier.Fail; pos = 1; break;
                case '~': qualifier = SpfQualifier.SoftFail; pos = 1; break;
                case '?': qualifier = SpfQualifier.Neutral; pos = 1; break;
            }

            var nameStart = pos;
            while (pos < raw.Length && IsAlphaNum(raw[pos]))
            {
                pos++;
            }

            var name = raw.Substring(nameStart, pos - nameStart).ToLowerInvariant();
            var rest = raw.Substring(pos);
            SpfTerm Fail(SpfTermKind kind, string error, string? spec = null)
                => new SpfTerm(new SpfTermBuilder
                {
                    Text = raw,
                    Index = index,
                    Kind = kind,
                    Qualifier = qualifier,
                    DomainSpec = spec,
                    Error = error,
                });

            switch (name)
            {
                case "all":
                    return rest.Length == 0
                        ? new SpfTerm(new SpfTermBuilder
                        {
                            Text = raw,
                            Index = index,
                            Kind = SpfTermKind.All,
                            Qualifier = qualifier,
                        })
                        : Fail(SpfTermKind.All, "'all' takes no argument or prefix length");
                case "include":
                case "exists":
                {
                    var kind = name == "include" ? SpfTermKind.Include : SpfTermKind.Exists;
                    if (!rest.StartsWith(":", StringComparison.Ordinal))
                    {
                        return Fail(kind, $"'{DisplayText.Shorten(name)}' needs ':' and a domain");
                    }

                    var spec = rest.Substring(1);
                    return SpfMacroExpander.TryValidate(spec, SpfMacroSyntax.DomainSpec, out var error)
                        ? new SpfTerm(new SpfTermBuilder
                        {
                            Text = raw,
                            Index = index,
                            Kind = kind,
                            Qualifier = qualifier,
                            DomainSpec = spec,
                        })
                        : Fail(kind, error, spec);
                }

                case "ptr":
                {
                    if (rest.Length == 0)
                    {
                        return new SpfTerm(new SpfTermBuilder
                        {
                            Text = raw,
                            Index = index,
                            Kind = SpfTermKind.Ptr,
                            Qualifier = qualifier,
                        });
                    }

                    if (!rest.StartsWith(":", StringComparison.Ordinal))
                    {
                        return Fail(SpfTermKind.Ptr, "'ptr' may only be followed by ':' and a domain (no prefix length)");
                    }

                    var spec = rest.Substring(1);
                    return SpfMacroExpander.TryValidate(spec, SpfMacroSyntax.DomainSpec, out var error)
                        ? new SpfTerm(new SpfTermBuilder
                        {
                            Text = raw,
                            Index = index,
                            Kind = SpfTermKind.Ptr,
                            Qualifier = qualifier,
                            DomainSpec = spec,
                        })
                        : Fail(SpfTermKind.Ptr, error, spec);
                }

                case "a":
                case "mx":
                    return ParseAddressMechanism(raw, index, qualifier, name == "a" ? SpfTermKind.A : SpfTermKind.Mx, name, rest);
                case "ip4":
                case "ip6":
                    return ParseIpMechanism(raw, index, qualifier, name == "ip4" ? SpfTermKind.Ip4 : SpfTermKind.Ip6, name, rest);
                default:
                    if (name.Length == 0)
                    {
                        return Fail(SpfTermKind.Invalid, "is neither a mechanism nor a modifier (name=value)");
                    }

                    if (rest.StartsWith("=", StringComparison.Ordinal))
                    {
                        return Fail(SpfTermKind.Invalid, "is not a valid modifier: a modifier name must start with a letter and hold only letters, digits, '-', '_' and '.'");
                    }

                    if (rest.Length > 0 && rest[0] != ':' && rest[0] != '/')
                    {
                        return Fail(SpfTermKind.Invalid, $"is neither a mechanism nor a modifier: '{DisplayText.Shorten(rest.Substring(0, 1))}' cannot follow '{DisplayText.Shorten(name)}'");
                    }

                    return Fail(SpfTermKind.Invalid, name == "redirect" || name == "exp"
                        ? $"'{DisplayText.Shorten(name)}' is a modifier and must be written '{DisplayText.Shorten(name)}=domain'"
                        : $"'{DisplayText.Shorten(name)}' is not a mechanism (all, include, a, mx, ptr, ip4, ip6, exists)");
            }
        }

        private static SpfTerm ParseModifier(string raw, int index, string name, string value)
        {
            if (name == "redirect" || name == "exp")
            {
                var kind = name == "redirect" ? SpfTermKind.Redirect : SpfTermKind.Explanation;
                // Known modifier names are not "greedy" unknown-modifiers: a bad domain-spec is an error (suite: redirect-syntax-error).
                var ok = SpfMacroExpander.TryValidate(value, SpfMacroSyntax.DomainSpec, out var error);
                return new SpfTerm(new SpfTermBuilder
                {
                    Text = raw,
                    Index = index,
                    Kind = kind,
                    Qualifier = SpfQualifier.Pass,
                    DomainSpec = value,
                    ModifierName = name,
                    ModifierValue = value,
                    Error = ok ? null : error,
                });
            }

            var valid = SpfMacroExpander.TryValidate(value, SpfMacroSyntax.ModifierValue, out var macroError);
            return new SpfTerm(new SpfTermBuilder
            {
                Text = raw,
                Index = index,
                Kind = SpfTermKind.UnknownModifier,
                Qualifier = SpfQualifier.Pass,
                ModifierName = name,
                ModifierValue = value,
                Error = valid ? null : macroError,
            });
        }

        private static SpfTerm ParseAddressMechanism(string raw, int index, SpfQualifier qualifier, SpfTermKind kind, string name, string rest)
        {
            if (rest.Length > 0 && rest[0] != ':' && rest[0] != '/')
            {
                return new SpfTerm(new SpfTermBuilder
                {
                    Text = raw,
                    Index = index,
                    Kind = kind,
                    Qualifier = qualifier,
                    Error = $"'{DisplayText.Shorten(name)}' may only be followed by ':domain' and/or '/prefix'",
                });
            }

            var hasSpec = rest.StartsWith(":", StringComparison.Ordinal);
            var body = hasSpec ? rest.Substring(1) : rest;
            var m = DualCidrPattern.Match(body);
            var spec = m.Groups["spec"].Value;
            string? error = null;
            int? c4 = null;
            int? c6 = null;
            if (!hasSpec && spec.Length > 0)
            {
                error = $"'{DisplayText.Shorten(rest)}' is not a valid dual prefix length (/ip4-length, //ip6-length or both)";
            }
            else if (hasSpec && !SpfMacroExpander.TryValidate(spec, SpfMacroSyntax.DomainSpec, out var specError))
            {
                error = specError;
            }
            else
            {
                c4 = ParseCidr(m.Groups["c4"], 32, "IPv4", ref error);
                c6 = ParseCidr(m.Groups["c6"], 128, "IPv6", ref error);
            }

            return new SpfTerm(new SpfTermBuilder
            {
                Text = raw,
                Index = index,
                Kind = kind,
                Qualifier = qualifier,
                DomainSpec = hasSpec ? spec : null,
                Ip4PrefixLength = c4,
                Ip6PrefixLength = c6,
                Error = error,
            });
        }

        private static SpfTerm ParseIpMechanism(string raw, int index, SpfQualifier qualifier, SpfTermKind kind, string name, string rest)
        {
            if (!rest.StartsWith(":", StringComparison.Ordinal) || rest.Length == 1)
            {
                return new SpfTerm(new SpfTermBuilder
                {
                    Text = raw,
                    Index = index,
                    Kind = kind,
                    Qualifier = qualifier,
                    Error = $"'{DisplayText.Shorten(name)}' needs ':' and a network address",
                });
            }

            var body = rest.Substring(1);
            var slash = body.IndexOf('/');
            var network = slash < 0 ? body : body.Substring(0, slash);
            var cidrText = slash < 0 ? null : body.Substring(slash + 1);
            string? error = null;
            int? c4 = null;
            int? c6 = null;
            if (kind == SpfTermKind.Ip4)
            {
                // ip4-network = qnum "." qnum "." qnum "." qnum: no abbreviated forms, no leading zeros (§5.6).
                if (!Ip4Pattern.IsMatch(network))
                {
                    error = $"'{DisplayText.Shorten(network)}' is not a complete dotted-quad IPv4 address";
                }
            }
            else if (!IsIp6Network(network))
            {
                error = $"'{DisplayText.Shorten(network)}' is not a valid IPv6 address";
            }

            if (error is null && cidrText != null)
            {
                var max = kind == SpfTermKind.Ip4 ? 32 : 128;
                if (!CidrPattern.IsMatch(cidrText) || int.Parse(cidrText, CultureInfo.InvariantCulture) > max)
                {
                    error = $"'/{DisplayText.Shorten(cidrText)}' is not a valid prefix length (0-{max}, no leading zeros{(kind == SpfTermKind.Ip4 ? ", no dual length" : string.Empty)})";
                }
                else if (kind == SpfTermKind.Ip4)
                {
                    c4 = int.Parse(cidrText, CultureInfo.InvariantCulture);
                }
                else
                {
                    c6 = int.Parse(cidrText, CultureInfo.InvariantCulture);
                }
            }

            return new SpfTerm(new SpfTermBuilder
            {
                Text = raw,
                Index = index,
                Kind = kind,
                Qualifier = qualifier,
                Network = network,
                Ip4PrefixLength = c4,
                Ip6PrefixLength = c6,
                Error = error,
            });
        }

        /// <summary>
        /// RFC 7208 §5.6 ip6-network: the text forms of RFC 4291 §2.2 (the IPv6address rule of RFC 3986 §3.2.2): eight
        /// groups of 1-4 hex digits, one "::" standing for one or more zero groups, an optional dotted-quad for the last
        /// 32 bits. Hand-written because <see cref="IPAddress.TryParse(string, out IPAddress)"/> also takes brackets, a
        /// port and a zone id ("[::1]:25", "fe80::1%eth0"), none of which a record may hold.
        /// </summary>
        internal static bool IsIp6Network(string text)
        {
            if (text.Length < 2 || text.Length > 45)
            {
                return false;
            }

            var compressed = text.IndexOf("::", StringComparison.Ordinal);
            if (compressed >= 0 && text.IndexOf("::", compressed + 1, StringComparison.Ordinal) >= 0)
            {
                return false;
            }

            var groups = 0;
            if (compressed < 0)
            {
                return CountGroups(text, ref groups) && groups == 8;
            }

            var head = text.Substring(0, compressed);
            var tail = text.Substring(compressed + 2);
            // The dotted quad may only end the address, so not before "::".
            return (head.Length == 0 || (head.IndexOf('.') < 0 && CountGroups(head, ref groups)))
                && (tail.Length == 0 || CountGroups(tail, ref groups))
                && groups <= 7;
        }

        /// <summary>Counts the h16 groups of a ':'-separated run (a final dotted quad counts as two); false on any bad group.</summary>
        private static bool CountGroups(string run, ref int groups)
        {
            var parts = run.Split(':');
            for (var i = 0; i < parts.Length; i++)
            {
                var part = parts[i];
                if (i == parts.Length - 1 && part.IndexOf('.') >= 0)
                {
                    if (!Ip4Pattern.IsMatch(part))
                    {
                        return false;
                    }

                    groups += 2;
                    continue;
                }

                if (part.Length == 0 || part.Length > 4)
                {
                    return false;
                }

                foreach (var c in part)
                {
                    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
                    {
                        return false;
                    }
                }

                groups++;
            }

            return true;
        }

        private static int? ParseCidr(Group group, int max, string family, ref string? error)
        {
            if (!group.Success)
            {
                return null;
            }

            var text = group.Value;
            if (!CidrPattern.IsMatch(text) || int.Parse(text, CultureInfo.InvariantCulture) > max)
            {
                error ??= $"'{DisplayText.Shorten(text)}' is not a valid {family} prefix length (0-{max}, no leading zeros)";
                return null;
            }

            return int.Parse(text, CultureInfo.InvariantCulture);
        }

        private static bool IsAlphaNum(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
