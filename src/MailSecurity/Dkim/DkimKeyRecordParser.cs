using System;
using System.Collections.Generic;
using System.Linq;
using MailSecurity.Dns;
using MailSecurity.Records;

namespace MailSecurity.Dkim
{
    /// <summary>
    /// Parses DKIM key records (RFC 6376 §3.6.1) and judges them: version, key type, key size (RFC 8301 limits),
    /// revocation, hash and service restrictions, flags.
    /// </summary>
    internal static class DkimKeyRecordParser
    {
        /// <summary>
        /// True when the text looks like a key record at all (has p=, k= or v=DKIM1); TXT records without any of these
        /// at a selector name (often from a wildcard) are reported as "not a key record" rather than as broken keys.
        /// </summary>
        public static bool IsKeyRecord(string text)
        {
            var list = DkimTagList.Parse(text ?? string.Empty, StringComparison.Ordinal);
            return list.Find("p", StringComparison.Ordinal) != null
                || list.Find("k", StringComparison.Ordinal) != null
                || string.Equals(list.Find("v", StringComparison.Ordinal)?.Value, "DKIM1", StringComparison.Ordinal);
        }

        /// <summary>Parses one key record.</summary>
        /// <param name="domain">The signing domain.</param>
        /// <param name="selector">The selector.</param>
        /// <param name="text">The record (strings joined).</param>
        /// <param name="cnameChain">CNAME links followed, as text.</param>
        /// <param name="canonicalName">Where the record lives.</param>
        /// <param name="dnssecStatus">DNSSEC state of the answer.</param>
        /// <exception cref="ArgumentNullException"><paramref name="domain"/>, <paramref name="selector"/> or <paramref name="text"/> is null.</exception>
        public static DkimKey Parse(string domain, string selector, string text, IReadOnlyList<string>? cnameChain = null, string? canonicalName = null, DnssecStatus dnssecStatus = DnssecStatus.Unknown)
        {
            if (domain is null)
            {
                throw new ArgumentNullException(nameof(domain));
            }

            if (selector is null)
            {
                throw new ArgumentNullException(nameof(selector));
            }

            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            var name = selector + "._domainkey." + domain;
            var shown = DomainName.Printable(name); // selectors come from messages (s=); keep messages a sentence long
            var findings = new List<Finding>();
            var invalid = false;
            // RFC 6376 §3.2: tag names and values are case-sensitive unless a tag says otherwise.
            var list = DkimTagList.Parse(text, StringComparison.Ordinal);
            foreach (var problem in list.Problems)
            {
                if (list.EmptyElements > 0 && problem.StartsWith("an empty element", StringComparison.Ordinal))
                {
                    continue;
                }

                findings.Add(DkimFindings.KeySyntaxError.Create($"The key record at {shown} has a malformed part: {problem}.", shown));
                invalid = true;
            }

            if (list.Duplicates.Count > 0)
            {
                // RFC 6376 §3.2: a tag that occurs more than once makes the entire tag-list invalid.
                findings.Add(DkimFindings.KeySyntaxError.Create($"The key record at {shown} repeats the tag(s) {DisplayText.Shorten(string.Join(", ", list.Duplicates.Distinct()))}, which makes the whole record invalid.", shown));
                invalid = true;
            }

            string? Get(string tag) => list.Find(tag, StringComparison.Ordinal)?.Value;

            var v = list.Find("v", StringComparison.Ordinal);
            if (v != null && (v.Position != 0 || !string.Equals(v.Value, "DKIM1", StringComparison.Ordinal)))
            {
                // RFC 6376 §3.6.1 v=: MUST be first if present, and exactly DKIM1; otherwise the record is discarded.
                findings.Add(DkimFindings.KeySyntaxError.Create(v.Position != 0
                    ? $"The key record at {shown} has v= but not as its first tag."
                    : $"The key record at {shown} has v={DisplayText.Shorten(v.Value)}; only DKIM1 is defined and other versions are discarded.", shown));
                invalid = true;
            }

            // The published key-k-tag ABNF starts with %x76 ("v"), an evident typo for "k" (SPEC §10): k= is what is parsed.
            var kRaw = Get("k");
            var keyType = kRaw is null || string.Equals(kRaw, "rsa", StringComparison.OrdinalIgnoreCase) ? DkimKeyType.Rsa
                : string.Equals(kRaw, "ed25519", StringComparison.OrdinalIgnoreCase) ? DkimKeyType.Ed25519 : DkimKeyType.Unknown;
            if (keyType == DkimKeyType.Unknown)
            {
                findings.Add(DkimFindings.UnknownKeyType.Create($"The key record at {shown} has k={DisplayText.Shorten(kRaw!)}, which verifiers do not know.", shown));
                invalid = true;
            }

            var hashes = SplitColonList(Get("h"));
            if (hashes.Count > 0)
            {
                var hasSha256 = hashes.Contains("sha256", StringComparer.OrdinalIgnoreCase);
                var hasSha1 = hashes.Contains("sha1", StringComparer.OrdinalIgnoreCase);
                if (!hasSha256 && hasSha1)
                {
                    findings.Add(DkimFindings.Sha1Only.Create($"The key record at {shown} has h={DisplayText.Shorten(string.Join(":", hashes))}: only sha1, which verifiers must refuse.", shown));
                    invalid = true;
                }
                else if (!hasSha256)
                {
                    findings.Add(DkimFindings.NoUsableHashAlgorithm.Create($"The key record at {shown} has h={DisplayText.Shorten(string.Join(":", hashes))}, with no known hash algorithm.", shown));
                    invalid = true;
                }
            }

            var services = SplitColonList(Get("s"));
            if (services.Count > 0 && !services.Contains("*") && !services.Contains("email", StringComparer.OrdinalIgnoreCase))
            {
                findings.Add(DkimFindings.NotForEmail.Create($"The key record at {shown} has s={DisplayText.Shorten(string.Join(":", services))}, so mail verifiers ignore it.", shown));
            }

            var flags = SplitColonList(Get("t"));
            if (flags.Contains("y"))
            {
                findings.Add(DkimFindings.TestingMode.Create($"The key record at {shown} has t=y (testing mode).", shown));
            }

            var pTag = list.Find("p", StringComparison.Ordinal);
            var publicKey = pTag is null ? string.Empty : DkimPublicKeyReader.Compact(pTag.Value);
            int? bits = null;
            string? encoding = null;
            var revoked = false;
            if (pTag is null)
            {
                findings.Add(DkimFindings.KeySyntaxError.Create($"The key record at {shown} has no p= tag, which is required.", shown));
                invalid = true;
            }
            else if (publicKey.Length == 0)
            {
                revoked = true;
                findings.Add(DkimFindings.KeyRevoked.Create($"The key at {shown} is revoked (empty p=).", shown));
            }
            else if (keyType != DkimKeyType.Unknown)
            {
                var info = DkimPublicKeyReader.Read(publicKey, keyType);
                bits = info.Bits;
                encoding = info.Encoding;
                if (info.Error != null)
                {
                    findings.Add((info.Error.StartsWith("p= is not valid base64", StringComparison.Ordinal) ? DkimFindings.KeySyntaxError : DkimFindings.KeyUnparseable)
                        .Create($"The key at {shown} cannot be used: {info.Error}.", shown));
                    invalid = true;
                }
                else if (encoding == "RSAPublicKey")
                {
                    findings.Add(DkimFindings.KeyNotSubjectPublicKeyInfo.Create($"The RSA key at {shown} is a bare RSAPublicKey ({bits} bits).", shown));
                }
            }

            var weak = false;
            if (keyType == DkimKeyType.Rsa && bits.HasValue)
            {
                // RFC 8301 §3.2: verifiers MUST NOT accept RSA keys under 1024 bits; signers SHOULD use at least 2048.
                if (bits.Value < 1024)
                {
                    findings.Add(DkimFindings.RsaKeyTooShort.Create($"The RSA key at {shown} has {bits} bits; verifiers refuse keys under 1024 bits.", shown));
                    invalid = true;
                }
                else if (bits.Value < 2048)
                {
                    findings.Add(DkimFindings.RsaKeyWeak.Create($"The RSA key at {shown} has {bits} bits; at least 2048 are recommended.", shown));
                    weak = true;
                }
                else if (bits.Value > 4096)
                {
                    findings.Add(DkimFindings.RsaKeyLarge.Create($"The RSA key at {shown} has {bits} bits; verifiers need only support up to 4096.", shown));
                }
            }

            var status = invalid ? DkimKeyStatus.Invalid : revoked ? DkimKeyStatus.Revoked : weak ? DkimKeyStatus.Weak : DkimKeyStatus.Valid;
            return new DkimKey(new DkimKeyBuilder
            {
                Domain = domain,
                Selector = selector,
                CnameChain = cnameChain ?? Array.Empty<string>(),
                CanonicalName = canonicalName ?? name,
                DnssecStatus = dnssecStatus,
                Raw = text,
                Version = v?.Value,
                KeyTypeTag = kRaw,
                KeyType = keyType,
                KeySize = revoked ? null : bits,
                KeyEncoding = encoding,
                PublicKey = publicKey,
                HashAlgorithms = hashes,
                ServiceTypes = services.Count == 0 ? new[] { "*" } : services,
                Flags = flags,
                Notes = Get("n"),
                Status = status,
                Findings = Finding.LimitRepeats(findings),
            });
        }

        private static IReadOnlyList<string> SplitColonList(string? value)
            => string.IsNullOrEmpty(value) ? Array.Empty<string>() : value!.Split(':').Select(DkimTagList.Trim).Where(s => s.Length > 0).ToList();
    }
}
