using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using MailSecurity.Dns;
using MailSecurity.Tls;
using Org.BouncyCastle.Crypto;

namespace MailSecurity.Dane
{
    /// <summary>
    /// Matches a TLSA RRset against the certificate chain a server presented, with the rules of RFC 7671 and
    /// RFC 7672: DANE-EE(3) on the server certificate with no name and no expiry check; DANE-TA(2) on an issuer
    /// the chain builds to (signatures verified, dates and CA constraints checked, server name checked against
    /// the reference identifiers); digest agility (RFC 7671 §9). The platform trust store is never used.
    /// </summary>
    /// <remarks>
    /// Precedence follows OpenSSL's DANE verifier: a DANE-EE match wins, then the DANE-TA match closest to the
    /// server certificate, then (generic profile only) PKIX usages.
    /// </remarks>
    internal sealed class TlsaMatcher
    {
        private const int MaxDnsCertificates = 16;

        /// <summary>Creates a matcher.</summary>
        /// <param name="options">SMTP rules when <c>null</c>.</param>
        public TlsaMatcher(TlsaMatchOptions? options = null) => Options = options ?? TlsaMatchOptions.Smtp;

        /// <summary>The matching rules.</summary>
        public TlsaMatchOptions Options { get; }

        /// <summary>Matches the records against the chain.</summary>
        /// <param name="records">The TLSA RRset (reclassified if it was classified under another profile).</param>
        /// <param name="chain">The chain as presented, server certificate first; other certificates in any order.</param>
        /// <param name="referenceIdentifiers">Names the server certificate must carry for DANE-TA(2) (RFC 7672 §3.2.2), primary first.</param>
        /// <param name="target">The host the findings are about (default: the first reference identifier).</param>
        public TlsaMatchResult Match(IEnumerable<TlsaRecordInfo> records, IReadOnlyList<X509Certificate2>? chain, IEnumerable<string>? referenceIdentifiers, string? target = null)
        {
            if (records is null)
            {
                throw new ArgumentNullException(nameof(records));
            }

            var all = records.Where(r => r != null).Select(Reclassify).ToList();
            var usable = all.Where(r => r.Usable).ToList();
            var ignored = WeakerDigests(usable);
            var refs = NormalizeReferences(referenceIdentifiers);
            var host = target ?? (refs.Count > 0 ? refs[0] : "the server");
            var findings = new List<Finding>();

            if (chain is null || chain.Count == 0 || chain[0] is null)
            {
                var note = "No certificate was presented, so the record could not be compared.";
                findings.Add(DaneFindings.NoMatchingRecord.Create($"{host} presented no certificate, so no TLSA record can match.", host));
                return new TlsaMatchResult(new TlsaMatchResultBuilder
                {
                    Status = usable.Count == 0 ? TlsaMatchStatus.NoUsableRecords : TlsaMatchStatus.NoCertificate,
                    RecordMatches = all.Select(r => new TlsaRecordMatch(r, r.Usable ? TlsaRecordOutcome.NotEvaluated : TlsaRecordOutcome.Unusable, false, null, r.Usable ? note : r.Explanation)).ToList(),
                    Explanation = $"{host} presented no certificate.",
                    Findings = findings,
                });
            }

            if (usable.Count == 0)
            {
                return new TlsaMatchResult(new TlsaMatchResultBuilder
                {
                    Status = TlsaMatchStatus.NoUsableRecords,
                    RecordMatches = all.Select(r => new TlsaRecordMatch(r, TlsaRecordOutcome.Unusable, false, null, r.Explanation)).ToList(),
                    Explanation = $"None of the {all.Count} TLSA record(s) is usable{(Options.Profile == TlsaUsageProfile.Smtp ? " for SMTP" : string.Empty)}, so nothing authenticates the chain.",
                    Findings = findings,
                });
            }

            var now = (Options.ValidationTime ?? DateTimeOffset.UtcNow).UtcDateTime;
            var dnsCertificates = usable
                .Where(r => r.Selector == TlsaSelector.Cert && r.MatchingType == TlsaMatchingType.Full
                            && (r.Usage == TlsaUsage.DaneTa || r.Usage == TlsaUsage.PkixTa))
                .Select(r => r.Data)
                .Take(MaxDnsCertificates)
                .ToList();
            var graph = new CertificateGraph(chain, dnsCertificates, Options.Profile == TlsaUsageProfile.Generic ? Options.PkixTrustAnchors : Array.Empty<X509Certificate2>());
            var evaluations = Evaluate(graph, usable, now);
            // RFC 7672 §3.2.3: the same RFC 6125 matching as every other check (DNS-IDs first, one-label wildcards).
            HostNameMatcher.ReadIdentifiers(graph.Leaf.Parsed, out var dnsIds, out var commonNames);
            var fromSan = dnsIds.Count > 0;
            var presentedNames = fromSan ? dnsIds : commonNames;
            var nameMatch = HostNameMatcher.FirstMatch(dnsIds, commonNames, refs)?.ReferenceName;

            var considered = usable.Where(r => !ignored.Contains(r)).ToList();
            var outcome = Decide(graph, considered, evaluations, nameMatch);

            AddRecordFindings(host, usable, ignored, evaluations, findings);
            var explanation = AddOutcomeFindings(host, graph, considered, evaluations, outcome, presentedNames, fromSan, refs, nameMatch, now, findings);

            var recordMatches = all.Select(r =>
            {
                if (!r.Usable)
                {
                    return new TlsaRecordMatch(r, TlsaRecordOutcome.Unusable, false, null, r.Explanation);
                }

                var e = evaluations[r];
                if (ignored.Contains(r))
                {
                    return new TlsaRecordMatch(r, TlsaRecordOutcome.IgnoredWeakerDigest, e.Matches, e.Depth,
                        $"Ignored: the same usage and selector has a stronger digest (RFC 7671 §9); on its own it {(e.Matches ? "would match" : "would not match")}. {e.Note}");
                }

                return new TlsaRecordMatch(r, e.Matches ? TlsaRecordOutcome.Matched : TlsaRecordOutcome.NotMatched, e.Matches, e.Depth, e.Note);
            }).ToList();

            X509Certificate2? matchedCertificate = null;
            if (outcome.Record != null && outcome.Evaluation?.Path != null && !outcome.Evaluation.KeyOnly)
            {
                matchedCertificate = graph.Nodes[outcome.Evaluation.Path[outcome.Evaluation.Path.Count - 1]].ToX509Certificate2();
            }

            return new TlsaMatchResult(new TlsaMatchResultBuilder
            {
                Status = outcome.Status,
                MatchedRecord = outcome.Record,
                MatchDepth = outcome.Record is null ? (int?)null : outcome.Evaluation?.Depth,
                MatchedCertificate = matchedCertificate,
                MatchedName = outcome.Status == TlsaMatchStatus.Matched && outcome.NameChecked ? nameMatch : null,
                PresentedNames = presentedNames,
                RecordMatches = recordMatches,
                Explanation = explanation,
                Findings = findings,
            });
        }

        private TlsaRecordInfo Reclassify(TlsaRecordInfo r)
            => r.Profile == Options.Profile ? r : TlsaRecordClassifier.Classify((byte)r.Usage, (byte)r.Selector, (byte)r.MatchingType, r.Data, r.Ttl, Options.Profile);

        /// <summary>RFC 7671 §9: per (usage, selector), only Full(0) and the strongest digest present count; SHA2-512 beats SHA2-256.</summary>
        internal static HashSet<TlsaRecordInfo> WeakerDigests(IReadOnlyList<TlsaRecordInfo> usable)
        {
            var ignored = new HashSet<TlsaRecordInfo>();
            foreach (var group in usable.GroupBy(r => (r.Usage, r.Selector)))
            {
                if (group.Any(r => r.MatchingType == TlsaMatchingType.Sha512))
                {
                    foreach (var r in group.Where(r => r.MatchingType == TlsaMatchingType.Sha256))
                    {
                        ignored.Add(r);
                    }
                }
            }

            return ignored;
        }

        private static IReadOnlyList<string> NormalizeReferences(IEnumerable<string>? names)
        {
            var list = new List<string>();
            if (names is null)
            {
                return list;
            }

            foreach (var n in names)
            {
                if (DomainName.TryNormalize(n, out var normalized, out _) && !list.Contains(normalized))
                {
                    list.Add(normalized);
                }
            }

            return list;
        }

        private Dictionary<TlsaRecordInfo, RecordEvaluation> Evaluate(CertificateGraph graph, IReadOnlyList<TlsaRecordInfo> usable, DateTime now)
        {
            var result = usable.ToDictionary(r => r, _ => new RecordEvaluation());

            // DANE-EE(3): the server certificate itself; no name and no expiry check (RFC 7672 §3.1.1).
            foreach (var r in usable.Where(r => r.Usage == TlsaUsage.DaneEe))
            {
                var e = result[r];
                if (graph.Leaf.Matches(r))
                {
                    e.Matches = true;
                    e.Depth = 0;
                    e.Path = new[] { 0 };
                    e.Note = "Matches the server certificate (depth 0); DANE-EE needs no name or date check.";
                }
                else
                {
                    e.Note = "Does not match the server certificate.";
                }
            }

            EvaluateDaneTa(graph, usable.Where(r => r.Usage == TlsaUsage.DaneTa).ToList(), result, now);
            if (Options.Profile == TlsaUsageProfile.Generic)
            {
                EvaluatePkix(graph, usable.Where(r => r.Usage == TlsaUsage.PkixTa || r.Usage == TlsaUsage.PkixEe).ToList(), result, now);
            }

            return result;
        }

        private static void EvaluateDaneTa(CertificateGraph graph, IReadOnlyList<TlsaRecordInfo> records, Dictionary<TlsaRecordInfo, RecordEvaluation> result, DateTime now)
        {
            if (records.Count == 0)
            {
                return;
            }

            // RFC 7671 §5.2.2: a "2 1 0" record may carry the anchor's bare key, which need not appear in the chain.
            var keys = new Dictionary<TlsaRecordInfo, AsymmetricKeyParameter?>();
            foreach (var r in records.Where(r => r.Selector == TlsaSelector.Spki && r.MatchingType == TlsaMatchingType.Full))
            {
                keys[r] = CandidateCertificate.CreateKey(r.Data);
            }

            var candidates = records.ToDictionary(r => r, _ => new List<(int Depth, int[] Path, bool KeyOnly)>());
            graph.Walk(graph.IsDaneAvailable, path =>
            {
                var depth = path.Count - 1;
                var node = graph.Nodes[path[depth]];
                foreach (var r in records)
                {
                    // A trust anchor is an issuer: a DANE-TA record that matches the server certificate itself does not count.
                    if (depth >= 1 && node.Matches(r))
                    {
                        candidates[r].Add((depth, path.ToArray(), false));
                    }

                    if (keys.TryGetValue(r, out var key) && key != null
                        && !(depth == 0 && node.Spki != null && CandidateCertificate.Equal(node.Spki, r.Data))
                        && node.IsSignedBy(key))
                    {
                        candidates[r].Add((depth, path.ToArray(), true));
                    }
                }

                return true;
            });

            foreach (var r in records)
            {
                var e = result[r];
                var list = candidates[r].OrderBy(c => c.Depth).ToList();
                if (list.Count == 0)
                {
                    e.Note = r.MatchingType == TlsaMatchingType.Full
                        ? "No certificate of the chain matches, or is signed by, this trust anchor."
                        : "Matches no issuer certificate the server presented.";
                    continue;
                }

                List<PathProblem>? firstProblems = null;
                (int Depth, int[] Path, bool KeyOnly)? firstInvalid = null;
                foreach (var c in list)
                {
                    var problems = ValidatePath(graph, c.Path, lastIsAnchorCertificate: !c.KeyOnly, now);
                    if (problems.Count == 0)
                    {
                        e.Matches = true;
                        e.Depth = c.Depth;
                        e.Path = c.Path;
                        e.KeyOnly = c.KeyOnly;
                        e.Problems.Clear();
                        e.Note = c.KeyOnly
                            ? $"The trust anchor key signed {graph.Describe(c.Path[c.Depth])} at depth {c.Depth}; the chain to it is valid."
                            : $"Matches the trust anchor {graph.Describe(c.Path[c.Depth])} at depth {c.Depth}; the chain to it is valid.";
                        break;
                    }

                    if (firstProblems is null)
                    {
                        firstProblems = problems;
                        firstInvalid = c;
                    }
                }

                if (!e.Matches && firstInvalid.HasValue)
                {
                    var c = firstInvalid.Value;
                    e.Depth = c.Depth;
                    e.Path = c.Path;
                    e.KeyOnly = c.KeyOnly;
                    e.Problems.AddRange(firstProblems!);
                    e.Note = $"Matches the trust anchor at depth {c.Depth}, but the chain to it is invalid: {string.Join("; ", firstProblems!.Select(p => p.Message))}.";
                }
            }
        }

        private static void EvaluatePkix(CertificateGraph graph, IReadOnlyList<TlsaRecordInfo> records, Dictionary<TlsaRecordInfo, RecordEvaluation> result, DateTime now)
        {
            if (records.Count == 0)
            {
                return;
            }

            var validPaths = new List<int[]>();
            graph.Walk(_ => true, path =>
            {
                if (!graph.Nodes[path[path.Count - 1]].IsPkixAnchor)
                {
                    return true;
                }

                if (ValidatePath(graph, path, lastIsAnchorCertificate: true, now).Count == 0)
                {
                    validPaths.Add(path.ToArray());
                }

                return false; // a trust anchor ends the path (RFC 5280 §6.1)
            });

            foreach (var r in records)
            {
                var e = result[r];
                if (r.Usage == TlsaUsage.PkixEe)
                {
                    if (!graph.Leaf.Matches(r))
                    {
                        e.Note = "Does not match the server certificate.";
                    }
                    else if (validPaths.Count > 0)
                    {
                        e.Matches = true;
                        e.Depth = 0;
                        e.Path = new[] { 0 };
                        e.Note = "Matches the server certificate, which validates to a trusted root (PKIX).";
                    }
                    else
                    {
                        e.Depth = 0;
                        e.Untrusted = true;
                        e.Note = "Matches the server certificate, but no chain to a trusted root could be built (PKIX).";
                    }

                    continue;
                }

                var best = validPaths
                    .SelectMany(p => Enumerable.Range(1, p.Length - 1).Where(d => graph.Nodes[p[d]].Matches(r)).Select(d => (Depth: d, Path: p)))
                    .OrderBy(x => x.Depth)
                    .FirstOrDefault();
                if (best.Path != null)
                {
                    e.Matches = true;
                    e.Depth = best.Depth;
                    e.Path = best.Path.Take(best.Depth + 1).ToArray();
                    e.Note = $"Matches the CA {graph.Describe(best.Path[best.Depth])} at depth {best.Depth} on a chain to a trusted root (PKIX).";
                    continue;
                }

                int? untrustedDepth = null;
                graph.Walk(_ => true, path =>
                {
                    var d = path.Count - 1;
                    if (d >= 1 && graph.Nodes[path[d]].Matches(r) && (untrustedDepth is null || d < untrustedDepth))
                    {
                        untrustedDepth = d;
                    }

                    return true;
                });
                e.Depth = untrustedDepth;
                e.Untrusted = untrustedDepth.HasValue;
                e.Note = untrustedDepth.HasValue
                    ? $"Matches the CA at depth {untrustedDepth}, but no chain to a trusted root could be built (PKIX)."
                    : "Matches no CA certificate of the chain.";
            }
        }

        /// <summary>
        /// RFC 5280 §6.1 checks along a path from the server certificate: every certificate current, every issuer
        /// a CA whose path length and key usage allow it. A trust anchor certificate's own constraints apply too
        /// (RFC 7671 §5.2.2); a version 1 anchor is accepted as a CA.
        /// </summary>
        private static List<PathProblem> ValidatePath(CertificateGraph graph, IReadOnlyList<int> path, bool lastIsAnchorCertificate, DateTime now)
        {
            var problems = new List<PathProblem>();
            for (var i = 0; i < path.Count; i++)
            {
                var c = graph.Nodes[path[i]];
                if (c.Parsed is null)
                {
                    problems.Add(new PathProblem(PathProblemKind.Unreadable, $"{graph.Describe(path[i])} cannot be read: {c.ParseError}"));
                    continue;
                }

                if (now < c.NotBefore)
                {
                    problems.Add(new PathProblem(PathProblemKind.Expired, string.Format(CultureInfo.InvariantCulture, "{0} at depth {1} is not valid before {2:yyyy-MM-dd HH:mm} UTC", graph.Describe(path[i]), i, c.NotBefore)));
                }
                else if (now > c.NotAfter)
                {
                    problems.Add(new PathProblem(PathProblemKind.Expired, string.Format(CultureInfo.InvariantCulture, "{0} at depth {1} expired on {2:yyyy-MM-dd HH:mm} UTC", graph.Describe(path[i]), i, c.NotAfter)));
                }

                if (i == 0)
                {
                    continue;
                }

                var isAnchor = lastIsAnchorCertificate && i == path.Count - 1;
                var pathLength = c.Parsed.GetBasicConstraints();
                if (pathLength < 0)
                {
                    if (!(isAnchor && c.Parsed.Version < 3))
                    {
                        problems.Add(new PathProblem(PathProblemKind.NotCa, $"{graph.Describe(path[i])} at depth {i} issues a certificate but is not a CA (basicConstraints)"));
                    }
                }
                else
                {
                    var intermediates = 0;
                    for (var k = 1; k < i; k++)
                    {
                        if (!graph.Nodes[path[k]].IsSelfIssued)
                        {
                            intermediates++;
                        }
                    }

                    if (intermediates > pathLength)
                    {
                        problems.Add(new PathProblem(PathProblemKind.PathLength, string.Format(CultureInfo.InvariantCulture, "{0} at depth {1} allows {2} intermediate CA(s) below it but has {3}", graph.Describe(path[i]), i, pathLength, intermediates)));
                    }
                }

                var keyUsage = c.Parsed.GetKeyUsage();
                if (keyUsage != null && !(keyUsage.Length > 5 && keyUsage[5]))
                {
                    problems.Add(new PathProblem(PathProblemKind.KeyUsage, $"{graph.Describe(path[i])} at depth {i} is not allowed to sign certificates (keyUsage lacks keyCertSign)"));
                }
            }

            return problems;
        }

        private Outcome Decide(CertificateGraph graph, IReadOnlyList<TlsaRecordInfo> considered, Dictionary<TlsaRecordInfo, RecordEvaluation> evaluations, string? nameMatch)
        {
            // 1. DANE-EE(3) wins; names are checked only by a generic client that asks for it (RFC 7672 §3.2.1 forbids it for SMTP).
            var ee = considered.FirstOrDefault(r => r.Usage == TlsaUsage.DaneEe && evaluations[r].Matches);
            if (ee != null)
            {
                var status = Options.CheckDaneEeNames && nameMatch is null ? TlsaMatchStatus.NameMismatch : TlsaMatchStatus.Matched;
                return new Outcome(status, ee, evaluations[ee], Options.CheckDaneEeNames);
            }

            // 2. DANE-TA(2): the valid match closest to the server certificate; the server name must match (RFC 7672 §3.2.2).
            var ta = considered.Where(r => r.Usage == TlsaUsage.DaneTa && evaluations[r].Matches).OrderBy(r => evaluations[r].Depth).FirstOrDefault();
            if (ta != null)
            {
                return new Outcome(nameMatch is null ? TlsaMatchStatus.NameMismatch : TlsaMatchStatus.Matched, ta, evaluations[ta], true);
            }

            // 3. Generic profile: PKIX usages (after any DANE match, as OpenSSL does).
            if (Options.Profile == TlsaUsageProfile.Generic)
            {
                var pkix = considered.Where(r => (r.Usage == TlsaUsage.PkixTa || r.Usage == TlsaUsage.PkixEe) && evaluations[r].Matches).OrderBy(r => evaluations[r].Depth).FirstOrDefault();
                if (pkix != null)
                {
                    return new Outcome(nameMatch is null ? TlsaMatchStatus.NameMismatch : TlsaMatchStatus.Matched, pkix, evaluations[pkix], true);
                }

                var untrusted = considered.Where(r => evaluations[r].Untrusted).OrderBy(r => evaluations[r].Depth).FirstOrDefault();
                if (untrusted != null)
                {
                    return new Outcome(TlsaMatchStatus.PkixUntrusted, untrusted, evaluations[untrusted], false);
                }
            }

            // 4. A DANE-TA anchor matched, but every chain to it is invalid.
            var invalid = considered.Where(r => r.Usage == TlsaUsage.DaneTa && evaluations[r].Problems.Count > 0).OrderBy(r => evaluations[r].Depth).FirstOrDefault();
            if (invalid != null)
            {
                return new Outcome(TlsaMatchStatus.ChainInvalid, invalid, evaluations[invalid], false);
            }

            return new Outcome(TlsaMatchStatus.NoMatch, null, null, false);
        }

        private static void AddRecordFindings(string host, IReadOnlyList<TlsaRecordInfo> usable, HashSet<TlsaRecordInfo> ignored, Dictionary<TlsaRecordInfo, RecordEvaluation> evaluations, List<Finding> findings)
        {
            foreach (var group in usable.Where(ignored.Contains).GroupBy(r => (r.Usage, r.Selector)))
            {
                var weakMatches = group.Any(r => evaluations[r].Matches);
                var strongMatches = usable.Any(r => r.Usage == group.Key.Usage && r.Selector == group.Key.Selector && r.MatchingType == TlsaMatchingType.Sha512 && evaluations[r].Matches);
                var sample = group.First();
                findings.Add(DaneFindings.WeakerDigestIgnored.Create(
                    $"{host}: the {group.Count()} '{(byte)sample.Usage} {(byte)sample.Selector} 1' ({sample.UsageMnemonic} {sample.SelectorMnemonic} SHA2-256) record(s) are ignored because '{(byte)sample.Usage} {(byte)sample.Selector} 2' records exist"
                    + (weakMatches && !strongMatches ? "; the ignored SHA2-256 record matches the chain but no SHA2-512 record does, so clients fail." : "."),
                    host,
                    weakMatches && !strongMatches ? Severity.Error : (Severity?)null));
            }

            // RFC 7671 §8 / §8.4: every (usage, selector, matching type) combination must match on its own.
            if (usable.Any(r => evaluations[r].Matches))
            {
                foreach (var combo in usable.GroupBy(r => r.Parameters))
                {
                    if (!combo.Any(r => evaluations[r].Matches))
                    {
                        var first = combo.First();
                        var matching = usable.Where(r => evaluations[r].Matches).Select(r => r.Parameters).Distinct().ToList();
                        findings.Add(DaneFindings.StaleRecord.Create(
                            $"{host}: the '{combo.Key}' ({first.ParameterMnemonics}) record(s) do not match the chain in use on their own ({evaluations[first].Note.TrimEnd('.')}), while '{string.Join("', '", matching)}' do; a client that prefers '{combo.Key}' would fail.",
                            host));
                    }
                }
            }
        }

        private string AddOutcomeFindings(string host, CertificateGraph graph, IReadOnlyList<TlsaRecordInfo> considered, Dictionary<TlsaRecordInfo, RecordEvaluation> evaluations, Outcome outcome, IReadOnlyList<string> presentedNames, bool fromSan, IReadOnlyList<string> refs, string? nameMatch, DateTime now, List<Finding> findings)
        {
            var namesText = presentedNames.Count == 0
                ? "no DNS name"
                : (fromSan ? "DNS-IDs " : "CN ") + string.Join(", ", presentedNames);
            var refsText = refs.Count == 0 ? "(none)" : string.Join(", ", refs);
            var r = outcome.Record;
            var e = outcome.Evaluation;
            switch (outcome.Status)
            {
                case TlsaMatchStatus.Matched:
                    if (r!.Usage == TlsaUsage.DaneEe && !graph.Leaf.IsValidAt(now) && graph.Leaf.Parsed != null)
                    {
                        findings.Add(DaneFindings.EeCertificateExpired.Create(
                            string.Format(CultureInfo.InvariantCulture, "The server certificate of {0} is valid from {1:yyyy-MM-dd} to {2:yyyy-MM-dd}; the DANE-EE record '{3}' still authenticates it because DANE-EE ignores dates.", host, graph.Leaf.NotBefore, graph.Leaf.NotAfter, r.Parameters),
                            host));
                    }

                    return r.Usage == TlsaUsage.DaneEe
                        ? $"The {r.Parameters} ({r.ParameterMnemonics}) record matches the server certificate of {host} at depth 0."
                        : $"The {r.Parameters} ({r.ParameterMnemonics}) record matches at depth {e!.Depth}, the chain to it is valid, and the server certificate names {nameMatch}.";

                case TlsaMatchStatus.NameMismatch:
                    findings.Add(DaneFindings.NameMismatch.Create(
                        $"The {r!.Parameters} ({r.ParameterMnemonics}) record of {host} matches at depth {e!.Depth}, but the server certificate has {namesText}, which match none of the reference identifiers {refsText}.",
                        host));
                    return $"The {r.Parameters} record matches at depth {e.Depth}, but the server certificate ({namesText}) does not name {refsText}.";

                case TlsaMatchStatus.ChainInvalid:
                    var expired = e!.Problems.Where(p => p.Kind == PathProblemKind.Expired).ToList();
                    var other = e.Problems.Where(p => p.Kind != PathProblemKind.Expired).ToList();
                    if (expired.Count > 0)
                    {
                        findings.Add(DaneFindings.ExpiredCertificate.Create($"{host}: the {r!.Parameters} trust anchor matches at depth {e.Depth}, but {string.Join("; ", expired.Select(p => p.Message))}.", host));
                    }

                    if (other.Count > 0)
                    {
                        findings.Add(DaneFindings.ChainInvalid.Create($"{host}: the {r!.Parameters} trust anchor matches at depth {e.Depth}, but {string.Join("; ", other.Select(p => p.Message))}.", host));
                    }

                    return $"The {r!.Parameters} trust anchor matches at depth {e.Depth}, but the chain to it is invalid: {string.Join("; ", e.Problems.Select(p => p.Message))}.";

                case TlsaMatchStatus.PkixUntrusted:
                    findings.Add(DaneFindings.PkixChainUntrusted.Create($"{host}: the {r!.Parameters} ({r.ParameterMnemonics}) record matches at depth {e!.Depth}, but the chain does not reach a trusted root.", host));
                    return $"The {r.Parameters} record matches at depth {e.Depth}, but no PKIX chain to a trusted root exists.";

                default:
                    var leaf = graph.Leaf;
                    var spki256 = leaf.Digest(TlsaSelector.Spki, TlsaMatchingType.Sha256);
                    var cert256 = leaf.Digest(TlsaSelector.Cert, TlsaMatchingType.Sha256);
                    findings.Add(DaneFindings.NoMatchingRecord.Create(
                        $"None of the {considered.Count} usable TLSA record(s) of {host} matches the chain it presents; its server certificate ('{leaf.Subject}') would match '3 1 1 {(spki256 is null ? "?" : TlsaRecordInfo.ToHex(spki256))}' or '3 0 1 {(cert256 is null ? "?" : TlsaRecordInfo.ToHex(cert256))}'.",
                        host));
                    AddTaNotInChain(host, graph, considered, evaluations, findings);
                    return $"None of the {considered.Count} usable TLSA record(s) matches the chain presented by {host}.";
            }
        }

        private static void AddTaNotInChain(string host, CertificateGraph graph, IReadOnlyList<TlsaRecordInfo> considered, Dictionary<TlsaRecordInfo, RecordEvaluation> evaluations, List<Finding> findings)
        {
            // RFC 7671 §5.2.1: with DANE-TA digests (not "2 x 0"), the anchor must be among the certificates the server sends.
            var digestTa = considered.Where(r => r.Usage == TlsaUsage.DaneTa && r.MatchingType != TlsaMatchingType.Full).ToList();
            if (digestTa.Count == 0 || digestTa.Any(r => evaluations[r].Depth.HasValue))
            {
                return;
            }

            var path = graph.LongestPresentedPath();
            var top = graph.Nodes[path[path.Count - 1]];
            if (top.Parsed != null && !top.IsSelfIssued)
            {
                findings.Add(DaneFindings.TaNotInChain.Create(
                    $"{host} sends a chain that ends with '{top.Subject}', issued by '{top.Issuer}', which it does not send; no DANE-TA record matches a certificate it does send, so if a record pins '{top.Issuer}' the server must include that certificate.",
                    host));
            }
        }

        private enum PathProblemKind
        {
            Unreadable,
            Expired,
            NotCa,
            PathLength,
            KeyUsage,
        }

        private sealed class PathProblem
        {
            public PathProblem(PathProblemKind kind, string message)
            {
                Kind = kind;
                Message = message;
            }

            public PathProblemKind Kind { get; }

            public string Message { get; }
        }

        private sealed class RecordEvaluation
        {
            public bool Matches { get; set; }

            public int? Depth { get; set; }

            public IReadOnlyList<int>? Path { get; set; }

            public bool KeyOnly { get; set; }

            public bool Untrusted { get; set; }

            public List<PathProblem> Problems { get; } = new List<PathProblem>();

            public string Note { get; set; } = string.Empty;
        }

        private sealed class Outcome
        {
            public Outcome(TlsaMatchStatus status, TlsaRecordInfo? record, RecordEvaluation? evaluation, bool nameChecked)
            {
                Status = status;
                Record = record;
                Evaluation = evaluation;
                NameChecked = nameChecked;
            }

            public TlsaMatchStatus Status { get; }

            public TlsaRecordInfo? Record { get; }

            public RecordEvaluation? Evaluation { get; }

            public bool NameChecked { get; }
        }
    }
}
