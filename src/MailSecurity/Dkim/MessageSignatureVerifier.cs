using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using MailSecurity.Records;

namespace MailSecurity.Dkim
{
    /// <summary>
    /// Verifies DKIM signatures and the ARC chain of a message with MimeKit, explaining each verdict.
    /// </summary>
    /// <remarks>
    /// MimeKit's <see cref="DkimVerifier.VerifyAsync(MimeMessage, Header, CancellationToken)"/> returns only a bool,
    /// so this class derives from it to reach the same primitives MimeKit uses (<c>VerifyBodyHash</c>,
    /// <c>VerifySignature</c>) and reports which step failed: body hash, header signature, key lookup, or an
    /// RFC 8301 rejection. The ARC chain itself is validated by MimeKit's <see cref="ArcVerifier"/>; this class
    /// adds the optional oldest-pass computation of RFC 8617 §5.2 step 5 and plain-language reasons.
    /// </remarks>
    internal sealed class MessageSignatureVerifier : DkimVerifier
    {
        private readonly DkimKeyLocator _keys;

        public MessageSignatureVerifier(DkimKeyLocator keys)
            : base(keys)
        {
            _keys = keys;
            // RFC 8301 §3.1/§3.2: rsa-sha1 is never accepted and RSA keys under 1024 bits fail (MimeKit's defaults; stated here).
            Disable(DkimSignatureAlgorithm.RsaSha1);
            MinimumRsaKeyLength = 1024;
        }

        /// <summary>Looks up every DKIM and ARC key the message names, concurrently, so verification waits on DNS once.</summary>
        public Task PrefetchKeysAsync(MimeMessage message, int maxSignatures, CancellationToken cancellationToken = default)
        {
            var keys = new HashSet<(string, string)>();
            var dkim = 0;
            foreach (var header in message.Headers)
            {
                if (header.Id != HeaderId.DkimSignature && header.Id != HeaderId.ArcSeal && header.Id != HeaderId.ArcMessageSignature)
                {
                    continue;
                }

                if (header.Id == HeaderId.DkimSignature && ++dkim > maxSignatures)
                {
                    continue;
                }

                var tags = ParseTags(header.Value);
                var d = tags["d"];
                var s = tags["s"];
                if (!string.IsNullOrEmpty(d) && !string.IsNullOrEmpty(s) && !(tags["a"] ?? string.Empty).Equals("rsa-sha1", StringComparison.OrdinalIgnoreCase))
                {
                    keys.Add((d!, s!));
                }
            }

            return Task.WhenAll(keys.Take(100).Select(k => _keys.LookupAsync(k.Item1, k.Item2, cancellationToken)));
        }

        /// <summary>Verifies one DKIM-Signature field.</summary>
        public async Task<(DkimSignatureCheck Check, List<Finding> Findings)> CheckDkimAsync(MimeMessage message, Header header, int position, bool bodyAvailable, CancellationToken cancellationToken = default)
        {
            var findings = new List<Finding>();
            var value = header.Value ?? string.Empty;
            var tags = ParseTags(value);
            var syntax = tags.SyntaxError;
            var d = tags["d"];
            var s = tags["s"];
            var a = tags["a"]?.ToLowerInvariant();
            var i = tags["i"];
            var c = tags["c"];
            var signedHeaders = (tags["h"] ?? string.Empty).Split(':').Select(h => h.Trim()).Where(h => h.Length > 0).ToList();
            var target = d ?? "DKIM-Signature";
            var label = $"The DKIM signature d={d ?? "?"} s={s ?? "?"}";

            DkimSignatureCheck Make(DkimResult result, string reason, DkimKeyLookup? key = null, bool? body = null, bool? sig = null)
                => new DkimSignatureCheck(new DkimSignatureCheckBuilder
                {
                    Position = position,
                    Domain = d,
                    Selector = s,
                    Algorithm = a,
                    Identity = i,
                    Canonicalization = c ?? "simple/simple",
                    SignedHeaders = signedHeaders,
                    Result = result,
                    Reason = reason,
                    KeyBits = key?.Bits,
                    KeyRecord = key?.Record,
                    BodyHashVerified = body,
                    HeaderSignatureVerified = sig,
                    KeyTesting = key?.Testing ?? false,
                    Raw = value,
                });

            (DkimSignatureCheck, List<Finding>) PermError(string reason, DkimKeyLookup? key = null)
            {
                findings.Add(DkimFindings.SignaturePermError.Create($"{label}: {reason}.", target));
                return (Make(DkimResult.PermError, reason, key), findings);
            }

            // RFC 6376 §3.5 and §6.1.1: required tags and their syntax; anything wrong is PERMFAIL.
            var problem = syntax
                ?? (tags["v"] != "1" ? (tags.Has("v") ? $"v={tags["v"]} is not 1" : "the v= tag is missing") : null)
                ?? (a is null ? "the a= tag is missing" : null)
                ?? (string.IsNullOrEmpty(d) ? "the d= tag is missing or empty" : null)
                ?? (string.IsNullOrEmpty(s) ? "the s= tag is missing or empty" : null)
                ?? (string.IsNullOrEmpty(tags.Compact("b")) ? "the b= tag is missing or empty" : null)
                ?? (tags.Compact("bh") is null ? "the bh= tag is missing" : null)
                ?? (signedHeaders.Count == 0 ? "the h= tag is missing or empty" : null)
                ?? (!signedHeaders.Any(h => h.Equals("from", StringComparison.OrdinalIgnoreCase)) ? "the From field is not signed (h= must include from, RFC 6376 §5.4)" : null)
                ?? CheckIdentity(i, d)
                ?? CheckLength(tags["l"])
                ?? CheckQuery(tags["q"]);
            if (problem != null)
            {
                return PermError($"malformed signature: {problem}");
            }

            if (!TryAlgorithm(a!, out var algorithm))
            {
                return PermError($"the algorithm a={a} is not defined (rsa-sha256, ed25519-sha256)");
            }

            if (!TryCanonicalization(c, out var headerCanon, out var bodyCanon))
            {
                return PermError($"the canonicalization c={c} is not defined");
            }

            if (algorithm == DkimSignatureAlgorithm.RsaSha1)
            {
                // RFC 8301 §3.1: rsa-sha1 MUST NOT be used for verifying; such signatures fail.
                const string reason = "rsa-sha1 signatures are not accepted (RFC 8301 §3.1)";
                findings.Add(DkimFindings.Sha1Signature.Create($"{label} uses rsa-sha1 and is treated as failed.", target));
                return (Make(DkimResult.Fail, reason), findings);
            }

            var key = await _keys.LookupAsync(d!, s!, cancellationToken).ConfigureAwait(false);
            switch (key.Status)
            {
                case DkimKeyLookupStatus.LookupFailed:
                    findings.Add(DkimFindings.SignatureTempError.Create($"{label}: the key lookup failed: {key.Reason}", target));
                    return (Make(DkimResult.TempError, $"key unavailable: {key.Reason}", key), findings);
                case DkimKeyLookupStatus.NotFound:
                    return PermError($"no key for signature: {key.Reason}", key);
                case DkimKeyLookupStatus.Revoked:
                case DkimKeyLookupStatus.Invalid:
                case DkimKeyLookupStatus.NotForEmail:
                    return PermError(key.Reason, key);
            }

            var wantsEd25519 = algorithm == DkimSignatureAlgorithm.Ed25519Sha256;
            if (wantsEd25519 != (key.Key is Ed25519PublicKeyParameters))
            {
                return PermError($"inappropriate key algorithm: a={a} but the key is {key.KeyType} (RFC 6376 §6.1.2)", key);
            }

            if (key.HashAlgorithms != null && !key.HashAlgorithms.Contains("sha256", StringComparer.OrdinalIgnoreCase))
            {
                return PermError($"inappropriate hash algorithm: the key record allows only h={string.Join(":", key.HashAlgorithms)} (RFC 6376 §3.6.1)", key);
            }

            if (key.Strict && i != null && !string.Equals(i.Substring(i.LastIndexOf('@') + 1), d, StringComparison.OrdinalIgnoreCase))
            {
                return PermError($"the key record has t=s but i={i} is a subdomain of d={d} (RFC 6376 §3.6.1)", key);
            }

            if (key.Testing)
            {
                findings.Add(DkimFindings.KeyTestingMode.Create($"{label}: the key record has t=y, so the result must not change how the message is treated.", target));
            }

            var testingNote = key.Testing ? "; the key is in testing mode (t=y)" : string.Empty;
            if (key.Key is RsaKeyParameters rsa && rsa.Modulus.BitLength < MinimumRsaKeyLength)
            {
                // RFC 8301 §3.2: verifiers MUST NOT accept RSA keys under 1024 bits.
                findings.Add(DkimFindings.SignatureKeyTooShort.Create($"{label} uses a {rsa.Modulus.BitLength}-bit RSA key and is treated as failed.", target));
                return (Make(DkimResult.Fail, $"the RSA key has {rsa.Modulus.BitLength} bits; keys under 1024 bits are not accepted (RFC 8301 §3.2)", key), findings);
            }

            var options = FormatOptions.Default.Clone();
            options.NewLineFormat = NewLineFormat.Dos;
            bool headerOk;
            try
            {
                if (bodyAvailable)
                {
                    var maxLength = tags["l"] is null ? -1 : int.Parse(tags["l"]!, NumberStyles.None, CultureInfo.InvariantCulture);
                    if (!VerifyBodyHash(options, message, algorithm, bodyCanon, maxLength, tags.Compact("bh")!))
                    {
                        const string reason = "the body hash (bh=) does not match: the body was changed after signing (RFC 6376 §6.1.3)";
                        findings.Add(DkimFindings.SignatureFailed.Create($"{label} failed: {reason}.", target));
                        return (Make(DkimResult.Fail, reason + testingNote, key, false, null), findings);
                    }
                }

                headerOk = VerifySignature(options, message, header, algorithm, key.Key!, signedHeaders.ToArray(), headerCanon, tags.Compact("b")!);
            }
            catch (Exception ex) when (ex is FormatException || ex is CryptoException || ex is ArgumentException || ex is InvalidCastException)
            {
                return PermError($"the signature could not be processed: {ex.Message}", key);
            }

            if (!headerOk)
            {
                const string reason = "the header signature (b=) does not verify with the published key: a signed header field was changed, or the key does not match";
                findings.Add(DkimFindings.SignatureFailed.Create($"{label} failed: {reason}.", target));
                return (Make(DkimResult.Fail, reason + testingNote, key, bodyAvailable ? true : (bool?)null, false), findings);
            }

            if (!bodyAvailable)
            {
                return (Make(DkimResult.Neutral, "the header signature verifies; the body hash was not checked because only the headers were given" + testingNote, key, null, true), findings);
            }

            findings.Add(DkimFindings.SignaturePassed.Create($"{label} verifies ({key.KeyType}, {key.Bits} bits){testingNote}.", target));
            return (Make(DkimResult.Pass, $"body hash and header signature verify ({key.KeyType}, {key.Bits} bits){testingNote}", key, true, true), findings);
        }

        /// <summary>Validates the ARC chain (RFC 8617 §5.2).</summary>
        public async Task<(ArcChainCheck Check, List<Finding> Findings)> CheckArcAsync(MimeMessage message, bool bodyAvailable, CancellationToken cancellationToken = default)
        {
            var findings = new List<Finding>();
            var sets = ReadSets(message);
            if (sets.Count == 0)
            {
                return (new ArcChainCheck(ArcResult.None, 0, null, "the message has no ARC sets", Array.Empty<ArcSetCheck>()), findings);
            }

            // Look the keys up first (concurrently, shared with DKIM through the run cache) so reasons can name failures.
            var keyTasks = sets.Values
                .SelectMany(x => new[] { (x.SealDomain, x.SealSelector), (x.AmsDomain, x.AmsSelector) })
                .Where(k => !string.IsNullOrEmpty(k.Item1) && !string.IsNullOrEmpty(k.Item2))
                .Distinct()
                .Select(k => _keys.LookupAsync(k.Item1!, k.Item2!, cancellationToken))
                .ToList();
            var keyLookups = await Task.WhenAll(keyTasks).ConfigureAwait(false);

            var verifier = new ArcVerifier(_keys);
            var result = await verifier.VerifyAsync(FormatOptions.Default, message, cancellationToken).ConfigureAwait(false);
            const ArcValidationErrors signatureErrors = ArcValidationErrors.MessageSignatureValidationFailed | ArcValidationErrors.SealValidationFailed;
            var structural = result.ChainErrors & ~signatureErrors;
            var count = sets.Keys.Max();

            var sealResults = new Dictionary<int, bool?>();
            if (result.Seals != null)
            {
                for (var n = 0; n < result.Seals.Length; n++)
                {
                    var seal = result.Seals[n];
                    sealResults[n + 1] = seal is null || seal.Signature == ArcSignatureValidationResult.None ? (bool?)null : seal.Signature == ArcSignatureValidationResult.Pass;
                }
            }

            bool? newestAms = result.MessageSignature is null || result.MessageSignature.Signature == ArcSignatureValidationResult.None
                ? (bool?)null
                : result.MessageSignature.Signature == ArcSignatureValidationResult.Pass;
            if (!bodyAvailable)
            {
                newestAms = null;
            }

            var reasons = new List<string>();
            if (structural != ArcValidationErrors.None)
            {
                reasons.Add(DescribeStructure(structural, sets, count));
            }

            // RFC 8617 §4.1.2: rules for the AMS that MimeKit's ArcVerifier does not check.
            var amsRule = sets.TryGetValue(count, out var newestSet) && newestSet.Ams != null ? AmsRuleViolation(newestSet.Ams) : null;
            if (amsRule != null)
            {
                reasons.Add($"the newest ARC-Message-Signature (i={count}) {amsRule}");
            }

            if (bodyAvailable && newestAms == false)
            {
                reasons.Add($"the newest ARC-Message-Signature (i={count}) does not verify");
            }

            var failedSeals = sealResults.Where(kv => kv.Value == false).Select(kv => kv.Key).OrderByDescending(k => k).ToList();
            if (failedSeals.Count > 0)
            {
                reasons.Add($"the ARC-Seal of instance {string.Join(", ", failedSeals)} does not verify");
            }

            var unusableKeys = keyLookups.Where(k => k.Status != DkimKeyLookupStatus.Found).ToList();
            if (unusableKeys.Count > 0 && reasons.Count > 0)
            {
                // RFC 8617 §5.2.1: every error, DNS failures included, is permanent.
                reasons.Add("key problems: " + string.Join("; ", unusableKeys.Select(k => $"{k.Name}: {k.Reason}")) + " (all ARC errors are permanent, RFC 8617 §5.2.1)");
            }

            int? oldestPass = null;
            ArcResult verdict;
            string reasonText;
            if (reasons.Count > 0)
            {
                verdict = ArcResult.Fail;
                reasonText = string.Join("; ", reasons);
                findings.Add(ArcFindings.ChainFailed.Create($"The ARC chain of {count} set(s) fails: {reasonText}.", sets[count].SealDomain ?? "ARC"));
            }
            else if (!bodyAvailable)
            {
                verdict = ArcResult.NotVerified;
                reasonText = "the structure and every ARC-Seal verify, but the newest ARC-Message-Signature covers the body, which was not given";
                findings.Add(ArcFindings.ChainNotVerified.Create($"The ARC chain of {count} set(s): {reasonText}.", sets[count].SealDomain ?? "ARC"));
            }
            else
            {
                verdict = result.Chain == ArcSignatureValidationResult.Pass ? ArcResult.Pass : ArcResult.Fail;
                oldestPass = await OldestPassAsync(message, sets, count, cancellationToken).ConfigureAwait(false);
                reasonText = verdict == ArcResult.Pass
                    ? $"the structure, the newest ARC-Message-Signature and all {count} ARC-Seal(s) verify"
                    : "MimeKit's ARC validation failed";
                findings.Add(verdict == ArcResult.Pass
                    ? ArcFindings.ChainPassed.Create($"The ARC chain of {count} set(s) validates (oldest-pass={oldestPass}); the newest sealer is {sets[count].SealDomain}.", sets[count].SealDomain ?? "ARC")
                    : ArcFindings.ChainFailed.Create($"The ARC chain of {count} set(s) fails: {reasonText}.", sets[count].SealDomain ?? "ARC"));
            }

            var checks = sets.OrderBy(kv => kv.Key).Select(kv =>
            {
                sealResults.TryGetValue(kv.Key, out var sealOk);
                var amsOk = kv.Key == count ? newestAms : null;
                return new ArcSetCheck(new ArcSetCheckBuilder
                {
                    Instance = kv.Key,
                    SealDomain = kv.Value.SealDomain,
                    SealSelector = kv.Value.SealSelector,
                    ChainValidation = kv.Value.ChainValidation,
                    AuthServId = kv.Value.AuthServId,
                    Results = kv.Value.Results,
                    SealVerified = sealOk,
                    MessageSignatureVerified = amsOk,
                });
            }).ToList();
            return (new ArcChainCheck(verdict, count, oldestPass, reasonText, checks), findings);
        }

        private async Task<int> OldestPassAsync(MimeMessage message, Dictionary<int, ArcSetInfo> sets, int count, CancellationToken cancellationToken)
        {
            // RFC 8617 §5.2 step 5: check AMS N-1 down to 1; the first failure at M gives oldest-pass = M+1, none gives 0.
            for (var m = count - 1; m >= 1; m--)
            {
                if (!sets.TryGetValue(m, out var set) || set.Ams is null || !await VerifyAmsAsync(message, set, cancellationToken).ConfigureAwait(false))
                {
                    return m + 1;
                }
            }

            return 0;
        }

        private async Task<bool> VerifyAmsAsync(MimeMessage message, ArcSetInfo set, CancellationToken cancellationToken)
        {
            if (AmsRuleViolation(set.Ams!) != null)
            {
                return false;
            }

            var tags = ParseTags(set.Ams!.Value);
            if (tags.SyntaxError != null || set.AmsDomain is null || set.AmsSelector is null || !TryAlgorithm((tags["a"] ?? string.Empty).ToLowerInvariant(), out var algorithm)
                || algorithm == DkimSignatureAlgorithm.RsaSha1 || !TryCanonicalization(tags["c"], out var headerCanon, out var bodyCanon)
                || tags.Compact("bh") is null || string.IsNullOrEmpty(tags.Compact("b")) || tags["h"] is null)
            {
                return false;
            }

            var key = await _keys.LookupAsync(set.AmsDomain, set.AmsSelector, cancellationToken).ConfigureAwait(false);
            if (key.Key is null || (key.Key is RsaKeyParameters rsa && rsa.Modulus.BitLength < MinimumRsaKeyLength)
                || (algorithm == DkimSignatureAlgorithm.Ed25519Sha256) != (key.Key is Ed25519PublicKeyParameters))
            {
                return false;
            }

            var options = FormatOptions.Default.Clone();
            options.NewLineFormat = NewLineFormat.Dos;
            try
            {
                var maxLength = tags["l"] is null ? -1 : int.Parse(tags["l"]!, NumberStyles.None, CultureInfo.InvariantCulture);
                var headers = tags["h"]!.Split(':').Select(h => h.Trim()).Where(h => h.Length > 0).ToArray();
                return VerifyBodyHash(options, message, algorithm, bodyCanon, maxLength, tags.Compact("bh")!)
                    && VerifySignature(options, message, set.Ams, algorithm, key.Key, headers, headerCanon, tags.Compact("b")!);
            }
            catch (Exception ex) when (ex is FormatException || ex is CryptoException || ex is ArgumentException || ex is InvalidCastException || ex is OverflowException)
            {
                return false;
            }
        }

        /// <summary>
        /// The RFC 8617 §4.1.2 rules on what an AMS signs: ARC header fields (ARC-Authentication-Results, ARC-Message-Signature,
        /// ARC-Seal) and Authentication-Results MUST NOT be in its h= list, and, since the AMS has the DKIM-Signature's semantics,
        /// the From field must be (RFC 6376 §5.4). Returns the broken rule in words, or <c>null</c>.
        /// </summary>
        internal static string? AmsRuleViolation(Header ams)
        {
            var h = ParseTags(ams.Value)["h"];
            if (h is null)
            {
                return null;
            }

            var fields = h.Split(':').Select(f => f.Trim()).Where(f => f.Length > 0).ToList();
            var arc = fields.Where(f => f.StartsWith("ARC-", StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (arc.Count > 0)
            {
                return $"signs ARC header fields ({string.Join(", ", arc)}), which RFC 8617 §4.1.2 forbids";
            }

            if (fields.Any(f => f.Equals("Authentication-Results", StringComparison.OrdinalIgnoreCase)))
            {
                return "signs Authentication-Results, which RFC 8617 §4.1.2 forbids";
            }

            return fields.Any(f => f.Equals("From", StringComparison.OrdinalIgnoreCase))
                ? null
                : "does not sign the From field (RFC 8617 §4.1.2 with RFC 6376 §5.4)";
        }

        private static Dictionary<int, ArcSetInfo> ReadSets(MimeMessage message)
        {
            var sets = new Dictionary<int, ArcSetInfo>();
            ArcSetInfo SetFor(int instance)
            {
                if (!sets.TryGetValue(instance, out var set))
                {
                    set = new ArcSetInfo();
                    sets[instance] = set;
                }

                return set;
            }

            foreach (var header in message.Headers)
            {
                switch (header.Id)
                {
                    case HeaderId.ArcSeal:
                    case HeaderId.ArcMessageSignature:
                    {
                        var tags = ParseTags(header.Value);
                        if (!int.TryParse(tags["i"], NumberStyles.None, CultureInfo.InvariantCulture, out var instance) || instance < 1 || instance > 50)
                        {
                            // Malformed instances still make the chain fail (MimeKit reports it); keep them out of the table.
                            continue;
                        }

                        var set = SetFor(instance);
                        if (header.Id == HeaderId.ArcSeal)
                        {
                            set.SealDomain ??= tags["d"];
                            set.SealSelector ??= tags["s"];
                            set.ChainValidation ??= tags["cv"];
                        }
                        else
                        {
                            set.Ams ??= header;
                            set.AmsDomain ??= tags["d"];
                            set.AmsSelector ??= tags["s"];
                        }

                        break;
                    }

                    case HeaderId.ArcAuthenticationResults:
                    {
                        var parsed = AuthenticationResults.TryParse(header.RawValue, out var aar) ? aar : null;
                        if (parsed?.Instance is int instance && instance >= 1 && instance <= 50)
                        {
                            var set = SetFor(instance);
                            set.AuthServId ??= parsed.AuthenticationServiceIdentifier;
                            set.Results ??= string.Join("; ", parsed.Results.Select(r => $"{r.Method}={r.Result}"));
                        }

                        break;
                    }
                }
            }

            return sets;
        }

        private static string DescribeStructure(ArcValidationErrors errors, Dictionary<int, ArcSetInfo> sets, int count)
        {
            var parts = new List<string>();
            if ((errors & (ArcValidationErrors.DuplicateArcAuthenticationResults | ArcValidationErrors.DuplicateArcMessageSignature | ArcValidationErrors.DuplicateArcSeal)) != 0)
            {
                parts.Add("an instance has more than one field of a kind");
            }

            if ((errors & (ArcValidationErrors.MissingArcAuthenticationResults | ArcValidationErrors.MissingArcMessageSignature | ArcValidationErrors.MissingArcSeal)) != 0)
            {
                parts.Add("an ARC set is incomplete or the instances 1..N have gaps");
            }

            if ((errors & (ArcValidationErrors.InvalidArcAuthenticationResults | ArcValidationErrors.InvalidArcMessageSignature | ArcValidationErrors.InvalidArcSeal)) != 0)
            {
                parts.Add("an ARC field is malformed (bad tags or an instance outside 1..50, or an h= tag in an ARC-Seal)");
            }

            if ((errors & (ArcValidationErrors.InvalidArcSealChainValidationValue | ArcValidationErrors.MissingArcSealChainValidationValue)) != 0)
            {
                var newestCv = sets.TryGetValue(count, out var newest) ? newest.ChainValidation : null;
                parts.Add(string.Equals(newestCv, "fail", StringComparison.OrdinalIgnoreCase)
                    ? $"the newest sealer (i={count}) already recorded cv=fail (RFC 8617 §5.2 step 2)"
                    : "the cv= values are wrong (must be none at i=1 and pass above, RFC 8617 §5.2 step 3)");
            }

            return parts.Count == 0 ? $"structure errors: {errors}" : string.Join("; ", parts);
        }

        /// <summary>RFC 6376 §3.2 tag-list of a DKIM-Signature or ARC field: case-sensitive names; UTF-8 values allowed (RFC 8616 §4).</summary>
        private static DkimTagList ParseTags(string? value) => DkimTagList.Parse(value ?? string.Empty, StringComparison.Ordinal, allowUtf8Values: true);

        private static bool TryAlgorithm(string a, out DkimSignatureAlgorithm algorithm)
        {
            switch (a)
            {
                case "rsa-sha256":
                    algorithm = DkimSignatureAlgorithm.RsaSha256;
                    return true;
                case "rsa-sha1":
                    algorithm = DkimSignatureAlgorithm.RsaSha1;
                    return true;
                case "ed25519-sha256":
                    algorithm = DkimSignatureAlgorithm.Ed25519Sha256;
                    return true;
                default:
                    algorithm = DkimSignatureAlgorithm.RsaSha256;
                    return false;
            }
        }

        private static bool TryCanonicalization(string? c, out DkimCanonicalizationAlgorithm header, out DkimCanonicalizationAlgorithm body)
        {
            // RFC 6376 §3.5: c= is "header/body", either part simple or relaxed; body defaults to simple.
            header = DkimCanonicalizationAlgorithm.Simple;
            body = DkimCanonicalizationAlgorithm.Simple;
            if (string.IsNullOrEmpty(c))
            {
                return true;
            }

            var parts = c!.ToLowerInvariant().Split('/');
            if (parts.Length > 2 || !TryOne(parts[0], out header))
            {
                return false;
            }

            return parts.Length == 1 || TryOne(parts[1], out body);

            static bool TryOne(string s, out DkimCanonicalizationAlgorithm v)
            {
                v = s == "relaxed" ? DkimCanonicalizationAlgorithm.Relaxed : DkimCanonicalizationAlgorithm.Simple;
                return s == "relaxed" || s == "simple";
            }
        }

        private static string? CheckIdentity(string? i, string? d)
        {
            if (i is null || d is null)
            {
                return null;
            }

            // RFC 6376 §3.5: the i= domain must be d= or a subdomain of it.
            var at = i.LastIndexOf('@');
            if (at < 0)
            {
                return $"i={i} has no '@'";
            }

            var domain = i.Substring(at + 1);
            return domain.Equals(d, StringComparison.OrdinalIgnoreCase) || domain.EndsWith("." + d, StringComparison.OrdinalIgnoreCase)
                ? null
                : $"the i= domain {domain} is not d={d} or a subdomain of it";
        }

        private static string? CheckLength(string? l)
            => l is null || (int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 0) ? null : $"l={l} is not a valid length";

        private static string? CheckQuery(string? q)
            => q is null || q.Split(':').Any(m => m.Trim().Equals("dns/txt", StringComparison.OrdinalIgnoreCase)) ? null : $"the query method q={q} is not supported (dns/txt)";

        private sealed class ArcSetInfo
        {
            public string? SealDomain { get; set; }

            public string? SealSelector { get; set; }

            public string? ChainValidation { get; set; }

            public Header? Ams { get; set; }

            public string? AmsDomain { get; set; }

            public string? AmsSelector { get; set; }

            public string? AuthServId { get; set; }

            public string? Results { get; set; }
        }
    }
}
