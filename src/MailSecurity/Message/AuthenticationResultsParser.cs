using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using MimeKit.Cryptography;

namespace MailSecurity.Message
{
    /// <summary>
    /// Parses Authentication-Results fields (RFC 8601) with MimeKit's <see cref="AuthenticationResults"/> and adds
    /// what it lacks: which results RFC 8601 defines per method (§2.7; others MUST be ignored), lower-cased
    /// values, and a result type that keeps the raw text when the field does not parse.
    /// </summary>
    internal static class AuthenticationResultsParser
    {
        // RFC 8601 §2.7 (and RFC 8617 §10.1 for arc, RFC 7489 §11.2 for dmarc): the defined results per method.
        private static readonly Dictionary<string, HashSet<string>> KnownResults = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["dkim"] = Set("none", "pass", "fail", "policy", "neutral", "temperror", "permerror"),
            ["domainkeys"] = Set("none", "pass", "fail", "policy", "neutral", "temperror", "permerror"),
            ["spf"] = Set("none", "neutral", "pass", "fail", "softfail", "temperror", "permerror", "policy", "hardfail"),
            ["sender-id"] = Set("none", "neutral", "pass", "fail", "softfail", "temperror", "permerror", "policy", "hardfail"),
            ["iprev"] = Set("pass", "fail", "temperror", "permerror"),
            ["auth"] = Set("none", "pass", "fail", "temperror", "permerror"),
            ["dmarc"] = Set("none", "pass", "fail", "temperror", "permerror"),
            ["arc"] = Set("none", "pass", "fail"),
            ["dkim-adsp"] = Set("none", "pass", "unknown", "fail", "discard", "nxdomain", "temperror", "permerror"),
            ["vbr"] = Set("none", "pass", "fail", "temperror", "permerror"),
            ["rrvs"] = Set("none", "pass", "fail", "unknown", "temperror", "permerror"),
            ["smime"] = Set("none", "pass", "fail", "policy", "neutral", "temperror", "permerror"),
            ["dnswl"] = Set("pass", "none", "temperror", "permerror"),
        };

        /// <summary>True when RFC 8601 (or the RFC registering the method) defines the method.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="method"/> is null.</exception>
        public static bool IsKnownMethod(string method) => KnownResults.ContainsKey(method ?? throw new ArgumentNullException(nameof(method)));

        /// <summary>Parses one field value (the text after <c>Authentication-Results:</c>).</summary>
        /// <param name="value">The field value; folding may still be in it.</param>
        /// <param name="position">The field's position in the header block (0 = top).</param>
        /// <returns>The field; <see cref="AuthResultsHeader.Parsed"/> is false when it does not follow RFC 8601.</returns>
        public static AuthResultsHeader Parse(string? value, int position = 0)
        {
            var raw = FieldText.Unfold(value ?? string.Empty);
            var bytes = Encoding.UTF8.GetBytes(raw);
            if (bytes.Length == 0 || !AuthenticationResults.TryParse(bytes, out var parsed) || parsed is null)
            {
                return new AuthResultsHeader(new AuthResultsHeaderBuilder
                {
                    Position = position,
                    Raw = raw,
                });
            }

            var results = new List<AuthMethodResult>();
            foreach (var r in parsed.Results)
            {
                var method = (r.Method ?? string.Empty).ToLowerInvariant();
                var result = (r.Result ?? string.Empty).ToLowerInvariant();
                var recognized = KnownResults.TryGetValue(method, out var allowed) && allowed.Contains(result);
                var properties = r.Properties
                    .Select(p => new AuthResultProperty((p.PropertyType ?? string.Empty).ToLowerInvariant(), (p.Property ?? string.Empty).ToLowerInvariant(), p.Value ?? string.Empty))
                    .ToList();
                results.Add(new AuthMethodResult(new AuthMethodResultBuilder
                {
                    Method = method,
                    Version = r.Version,
                    Result = result,
                    Reason = r.Reason,
                    Comment = r.ResultComment,
                    Action = r.Action,
                    Recognized = recognized,
                    Properties = properties,
                }));
            }

            // Microsoft 365 writes fields without an authserv-id; MimeKit then returns an empty id.
            var id = (parsed.AuthenticationServiceIdentifier ?? string.Empty).ToLowerInvariant();
            return new AuthResultsHeader(new AuthResultsHeaderBuilder
            {
                Position = position,
                AuthServId = id,
                Version = parsed.Version,
                Parsed = true,
                Results = results,
                Raw = raw,
            });
        }

        /// <summary>The same field with its placement decided.</summary>
        internal static AuthResultsHeader Place(AuthResultsHeader header, int? addedAtHop, bool trusted)
            => new AuthResultsHeader(new AuthResultsHeaderBuilder
            {
                Position = header.Position,
                AuthServId = header.AuthServId,
                Version = header.Version,
                Parsed = header.Parsed,
                Results = header.Results,
                AddedAtHop = addedAtHop,
                Trusted = trusted,
                Raw = header.Raw,
            });

        private static HashSet<string> Set(params string[] values) => new HashSet<string>(values, StringComparer.OrdinalIgnoreCase);
    }
}
