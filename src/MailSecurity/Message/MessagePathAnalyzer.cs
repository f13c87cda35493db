using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailSecurity.Dkim;
using MailSecurity.Dns;
using MailSecurity.Message.Protection;
using MimeKit;

namespace MailSecurity.Message
{
    /// <summary>Settings for <see cref="MessagePathAnalyzer"/>.</summary>
    internal sealed class MessagePathOptions
    {
        /// <summary>
        /// The authserv-ids of the receiving domain (RFC 8601 §2.5). Default: empty, which means "the authserv-id of the
        /// top-most Authentication-Results field".
        /// </summary>
        public IList<string> TrustedAuthServIds { get; } = new List<string>();

        /// <summary>Verify DKIM signatures and the ARC chain against live DNS keys. Default: true (needs a DNS resolver).</summary>
        public bool VerifySignatures { get; set; } = true;

        /// <summary>At most this many DKIM-Signature fields are verified per message (a bound against hostile input). Default: 16.</summary>
        public int MaxSignatures { get; set; } = 16;

        /// <summary>
        /// Roots for an S/MIME signer's certificate. Default: <c>null</c>, the platform store, the one the TLS checks use
        /// (on Linux it honours <c>SSL_CERT_FILE</c>).
        /// </summary>
        public IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2>? TrustAnchors { get; set; }
    }

    /// <summary>
    /// Reads a message (a file, a stream, header text or a <see cref="MimeMessage"/>) into a <see cref="MessagePath"/>:
    /// the Received chain as hops (SPEC §7.6, §7.7), the Authentication-Results fields placed on the hop that added them
    /// (§7.8), DKIM signatures and the ARC chain verified through the run's DNS layer (§6, §7.9), and the path summary.
    /// One analyzer serves a whole run: DKIM keys are looked up once and shared between messages.
    /// </summary>
    internal sealed class MessagePathAnalyzer
    {
        private static readonly TimeSpan SkewTolerance = TimeSpan.FromHours(1);
        private static readonly TimeSpan LongDelayThreshold = TimeSpan.FromHours(1);
        private static readonly TimeSpan FutureTolerance = TimeSpan.FromDays(1);

        // RFC 5322 §3.6: the message's own fields; trace fields (RFC 5321 §4.4) are prepended above them.
        private static readonly HashSet<string> OriginatorFields = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "From", "Sender", "To", "Cc", "Subject", "Date", "Message-ID", "In-Reply-To", "References", "MIME-Version", "Content-Type",
        };

        private static readonly HashSet<string> InternalTopLevelDomains = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "local", "lan", "internal", "intranet", "corp", "home", "localdomain", "private", "localhost", "invalid",
        };

        private static readonly HashSet<string> SecondLevelRegistries = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "co", "com", "net", "org", "ac", "gov", "edu", "ne", "or", "go", "mil", "ltd", "plc", "gv",
        };

        private readonly MessagePathOptions _options;
        private readonly MessageSignatureVerifier? _verifier;

        /// <summary>Creates an analyzer.</summary>
        /// <param name="dns">The run's DNS layer, for DKIM and ARC keys; <c>null</c> to skip signature verification.</param>
        /// <param name="options">Settings; defaults when null.</param>
        internal MessagePathAnalyzer(IDnsLookup? dns, MessagePathOptions? options = null)
        {
            _options = options ?? new MessagePathOptions();
            if (dns != null && _options.VerifySignatures)
            {
                _verifier = new MessageSignatureVerifier(new DkimKeyLocator(dns));
            }
        }

        /// <summary>Analyses a message given as raw bytes (an .eml file, or a header block).</summary>
        /// <param name="content">The message or its header block.</param>
        /// <param name="source">What to call the input in the result (a file path, <c>HeaderText</c>...).</param>
        /// <param name="cancellationToken">Cancels DNS lookups.</param>
        public Task<MessagePath> AnalyzeAsync(byte[] content, string source, CancellationToken cancellationToken = default)
        {
            if (content is null)
            {
                throw new ArgumentNullException(nameof(content));
            }

            var findings = new List<Finding>();
            var start = SkipLeadingText(content, out var skipped);
            if (skipped)
            {
                findings.Add(MessageFindings.LeadingTextIgnored.Create("Text before the first header field was ignored.", source));
            }

            var bodyAvailable = HasBody(content, start);
            MimeMessage message;
            try
            {
                using var stream = new MemoryStream(content, start, content.Length - start, false);
                message = MimeMessage.Load(stream, cancellationToken);
            }
            catch (FormatException ex)
            {
                findings.Add(MessageFindings.NoHeaders.Create($"The input is not a message: {ex.Message}", source));
                return Task.FromResult(Empty(source, findings));
            }

            return AnalyzeCoreAsync(message, source, bodyAvailable, findings, cancellationToken);
        }

        /// <summary>Analyses a message read from a stream (read to the end into memory).</summary>
        public async Task<MessagePath> AnalyzeAsync(Stream stream, string source, CancellationToken cancellationToken = default)
        {
            if (stream is null)
            {
                throw new ArgumentNullException(nameof(stream));
            }

            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, 81920, cancellationToken).ConfigureAwait(false);
            return await AnalyzeAsync(buffer.ToArray(), source, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Analyses header text as copied from a mail client (the body may follow after a blank line).</summary>
        public Task<MessagePath> AnalyzeHeaderTextAsync(string text, string source = "HeaderText", CancellationToken cancellationToken = default)
            => AnalyzeAsync(Encoding.UTF8.GetBytes(text ?? throw new ArgumentNullException(nameof(text))), source, cancellationToken);

        /// <summary>Analyses a parsed message (its body is taken to be complete).</summary>
        public Task<MessagePath> AnalyzeAsync(MimeMessage message, string source = "Message", CancellationToken cancellationToken = default)
            => AnalyzeCoreAsync(message ?? throw new ArgumentNullException(nameof(message)), source, true, new List<Finding>(), cancellationToken);

        private async Task<MessagePath> AnalyzeCoreAsync(MimeMessage message, string source, bool bodyAvailable, List<Finding> findings, CancellationToken cancellationToken)
        {
            var headers = message.Headers;
            if (headers.Count == 0)
            {
                findings.Add(MessageFindings.NoHeaders.Create("The input contains no header fields.", source));
                return Empty(source, findings);
            }

            var hops = BuildHops(headers, source, findings);
            var (authHeaders, servers, trusted) = PlaceAuthenticationResults(headers, hops, findings);

            var dkim = new List<DkimSignatureCheck>();
            ArcChainCheck? arc = null;
            if (_verifier != null)
            {
                if (!bodyAvailable)
                {
                    findings.Add(MessageFindings.BodyUnavailable.Create("Only the header block was given; DKIM and ARC body hashes were not checked.", source));
                }

                var signatures = headers.Select((h, i) => (Header: h, Position: i)).Where(x => x.Header.Id == HeaderId.DkimSignature).ToList();
                if (signatures.Count == 0)
                {
                    findings.Add(DkimFindings.NoSignature.Create("The message has no DKIM-Signature field.", source));
                }
                else if (signatures.Count > _options.MaxSignatures)
                {
                    findings.Add(DkimFindings.TooManySignatures.Create($"The message has {signatures.Count} DKIM-Signature fields; only the top {_options.MaxSignatures} were verified.", source));
                }

                await _verifier.PrefetchKeysAsync(message, Math.Max(0, _options.MaxSignatures), cancellationToken).ConfigureAwait(false);

                foreach (var (header, position) in signatures.Take(Math.Max(0, _options.MaxSignatures)))
                {
                    var (check, f) = await _verifier.CheckDkimAsync(message, header, position, bodyAvailable, cancellationToken).ConfigureAwait(false);
                    dkim.Add(check);
                    findings.AddRange(f);
                }

                var (arcCheck, arcFindings) = await _verifier.CheckArcAsync(message, bodyAvailable, cancellationToken).ConfigureAwait(false);
                arc = arcCheck;
                findings.AddRange(arcFindings);
            }

            var authentication = new MessageAuthentication(authHeaders, servers, trusted, dkim, arc, _verifier != null);

            // The other half of the message's security: what protects the content end to end (S/MIME, OpenPGP).
            var protection = ContentProtectionReader.Read(message, bodyAvailable, _options.VerifySignatures, _options.TrustAnchors, findings);
            var network = hops.Where(h => h.Tls != HopTls.Local).ToList();
            bool? encryptedAll = network.Count == 0 ? (bool?)null
                : network.Any(h => h.Tls == HopTls.Cleartext) ? false
                : network.All(h => h.Tls == HopTls.Encrypted) ? true
                : (bool?)null;
            var weakest = network.OrderBy(Rank).ThenBy(h => h.Index).FirstOrDefault();
            var firstAuth = authHeaders.Where(h => h.Parsed && h.AddedAtHop.HasValue).Select(h => h.AddedAtHop!.Value).DefaultIfEmpty(0).Min();
            var dated = hops.Where(h => h.Timestamp.HasValue).ToList();
            TimeSpan? transit = dated.Count >= 2 ? dated[dated.Count - 1].Timestamp!.Value - dated[0].Timestamp!.Value : (TimeSpan?)null;

            // Each hop keeps all of its findings; the message-level list repeats each code at most Finding.MaxRepeats times.
            var all = Finding.LimitRepeats(hops.SelectMany(h => h.Findings).Concat(findings).OrderByDescending(f => f.Severity).ToList());
            DateTimeOffset? date = headers.Contains(HeaderId.Date) && message.Date != DateTimeOffset.MinValue ? message.Date : (DateTimeOffset?)null;
            return new MessagePath(new MessagePathBuilder
            {
                Source = source,
                MessageId = message.MessageId,
                Subject = message.Subject,
                HeaderFrom = message.From?.Count > 0 ? message.From.ToString() : null,
                Date = date,
                HeaderCount = headers.Count,
                BodyAvailable = bodyAvailable,
                Hops = hops,
                Authentication = authentication,
                EncryptedAllHops = encryptedAll,
                WeakestHop = weakest,
                FirstAuthResultsHop = firstAuth == 0 ? (int?)null : firstAuth,
                TransitTime = transit,
                Findings = all,
                Protection = protection,
            });
        }

        private static List<MessageHop> BuildHops(HeaderList headers, string source, List<Finding> messageFindings)
        {
            var positions = new List<int>();
            for (var i = 0; i < headers.Count; i++)
            {
                if (headers[i].Id == HeaderId.Received)
                {
                    positions.Add(i);
                }
            }

            if (positions.Count == 0)
            {
                messageFindings.Add(MessageFindings.NoReceivedFields.Create("The message has no Received fields.", source));
                return new List<MessageHop>();
            }

            // The bottom-most Received field is the oldest hop (RFC 5321 §4.4: fields are prepended).
            var n = positions.Count;
            var parsed = new MessageHop[n];
            var extra = new List<Finding>[n];
            for (var k = 0; k < n; k++)
            {
                var index = k + 1;
                var header = headers[positions[n - 1 - k]];
                parsed[k] = ReceivedHeaderParser.Parse(Encoding.UTF8.GetString(header.RawValue), index);
                extra[k] = new List<Finding>();
            }

            string Label(int k) => $"Hop {k + 1} ({DisplayText.Shorten(parsed[k].From ?? parsed[k].FromAddress ?? "?")} -> {DisplayText.Shorten(parsed[k].By ?? "?")})";
            string Target(int k) => parsed[k].By ?? parsed[k].From ?? "Received";

            // Ordering in time: each hop should be dated at or after the one below it.
            var delays = new TimeSpan?[n];
            for (var k = 1; k < n; k++)
            {
                if (parsed[k].Timestamp is DateTimeOffset t && parsed[k - 1].Timestamp is DateTimeOffset prev)
                {
                    var delay = t - prev;
                    delays[k] = delay;
                    if (delay < TimeSpan.Zero && -delay <= SkewTolerance)
                    {
                        extra[k].Add(ReceivedFindings.ClockSkew.Create($"{Label(k)} is dated {Describe(-delay)} before hop {k}: the servers' clocks disagree.", Target(k)));
                    }
                    else if (delay < TimeSpan.Zero)
                    {
                        extra[k].Add(ReceivedFindings.Reordered.Create($"{Label(k)} is dated {Describe(-delay)} before hop {k}, far beyond clock skew: the fields were reordered or inserted, or a date is wrong.", Target(k)));
                    }
                    else if (delay > LongDelayThreshold)
                    {
                        extra[k].Add(ReceivedFindings.LongDelay.Create($"{Label(k)} came {Describe(delay)} after hop {k}: the message was queued.", Target(k)));
                    }
                }
            }

            // Impossible ordering: a hop below the newest one dated after final delivery, or far in the future.
            var newest = parsed[n - 1].Timestamp;
            var now = DateTimeOffset.UtcNow;
            for (var k = 0; k < n; k++)
            {
                if (parsed[k].Timestamp is DateTimeOffset t)
                {
                    if (t > now + FutureTolerance)
                    {
                        extra[k].Add(ReceivedFindings.ForgedLooking.Create($"{Label(k)} is dated {t.ToString("u", CultureInfo.InvariantCulture)}, in the future.", Target(k)));
                    }
                    else if (k < n - 1 && newest is DateTimeOffset last && t - last > SkewTolerance)
                    {
                        extra[k].Add(ReceivedFindings.ForgedLooking.Create($"{Label(k)} is dated {Describe(t - last)} after the final hop received the message, which is impossible.", Target(k)));
                    }
                }
            }

            // Trace fields are prepended above the message's own fields; one below them was moved or inserted.
            var firstOriginator = Enumerable.Range(0, headers.Count).Where(i => OriginatorFields.Contains(headers[i].Field)).DefaultIfEmpty(-1).First();
            if (firstOriginator >= 0)
            {
                for (var k = 0; k < n; k++)
                {
                    var position = positions[n - 1 - k];
                    if (position > firstOriginator)
                    {
                        extra[k].Add(ReceivedFindings.Reordered.Create($"{Label(k)}: its Received field sits below the '{headers[firstOriginator].Field}' field, where no MTA writes it (some gateways reorder headers).", Target(k), Severity.Info));
                    }
                }
            }

            // The organisation edge: the newest hop between two public domains of different organisations. A private
            // or loopback client address there means the receiving MX did not record an internet client.
            for (var k = n - 1; k >= 0; k--)
            {
                var f = parsed[k];
                if (!f.Parsed || f.Tls == HopTls.Local)
                {
                    continue;
                }

                var fromName = f.FromReverseName ?? f.From;
                var fromSite = Site(fromName);
                var bySite = Site(f.By);
                if (fromSite is null || bySite is null || string.Equals(fromSite, bySite, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (f.FromAddress != null && AddressScopeClassifier.TryParse(f.FromAddress, out var ip, out _))
                {
                    var scope = AddressScopeClassifier.Classify(ip!);
                    if (scope == AddressScope.Private || scope == AddressScope.Loopback || scope == AddressScope.LinkLocal)
                    {
                        extra[k].Add(ReceivedFindings.ForgedLooking.Create($"{Label(k)} crosses from {fromSite} to {bySite} but records the {scope.ToString().ToLowerInvariant()} address {f.FromAddress}: an internet-facing MX records a public client address, so either this field and those below it were fabricated or the MX sits behind a NAT or load balancer that hides client addresses.", Target(k)));
                    }
                }

                break;
            }

            var hops = new List<MessageHop>(n);
            for (var k = 0; k < n; k++)
            {
                hops.Add(parsed[k].InPath(k + 1, delays[k], extra[k]));
            }

            return hops;
        }

        private (List<AuthResultsHeader> Headers, List<AuthServResults> Servers, List<string> Trusted) PlaceAuthenticationResults(HeaderList headers, List<MessageHop> hops, List<Finding> findings)
        {
            var receivedPositions = new List<int>();
            var parsedHeaders = new List<AuthResultsHeader>();
            for (var i = 0; i < headers.Count; i++)
            {
                if (headers[i].Id == HeaderId.Received)
                {
                    receivedPositions.Add(i);
                }
                else if (headers[i].Id == HeaderId.AuthenticationResults)
                {
                    parsedHeaders.Add(AuthenticationResultsParser.Parse(Encoding.UTF8.GetString(headers[i].RawValue), i));
                }
            }

            var trusted = _options.TrustedAuthServIds.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim().ToLowerInvariant()).Distinct().ToList();
            if (trusted.Count == 0)
            {
                var top = parsedHeaders.FirstOrDefault(h => h.Parsed);
                if (top != null)
                {
                    trusted.Add(top.AuthServId ?? string.Empty);
                }
            }

            var n = receivedPositions.Count;
            int HopAt(int receivedOrdinalFromTop) => n - receivedOrdinalFromTop;
            // The Received fields directly above (newer) and below (older) each A-R field. RFC 8601 §5 and §7.1 item 5
            // have the adding MTA prepend it above its own Received field (the hop below); Gmail writes it under its
            // own (the hop above). The authserv-id matching the hop's BY host decides; otherwise the hop below.
            (int? Above, int? Below) Neighbours(AuthResultsHeader h)
            {
                var above = receivedPositions.Count(p => p < h.Position) - 1;
                var below = above + 1;
                return (above >= 0 ? HopAt(above) : (int?)null, below < n ? HopAt(below) : (int?)null);
            }

            bool ByMatches(int? hop, string? id) => hop.HasValue && Matches(id, hops[hop.Value - 1].By);

            // Hops that already placed a field of an id above their Received field the RFC way; a field of the same id
            // under that Received field is not theirs (an MTA deletes incoming fields claiming its id, RFC 8601 §5).
            var rfcPlaced = new HashSet<(string, int)>(parsedHeaders
                .Select(h => (Id: h.AuthServId ?? string.Empty, Below: Neighbours(h).Below))
                .Where(x => ByMatches(x.Below, x.Id))
                .Select(x => (x.Id, x.Below!.Value)));

            var placed = new List<AuthResultsHeader>();
            foreach (var h in parsedHeaders)
            {
                var (aboveHop, belowHop) = Neighbours(h);
                int? added = ByMatches(aboveHop, h.AuthServId) && !ByMatches(belowHop, h.AuthServId) && !rfcPlaced.Contains((h.AuthServId ?? string.Empty, aboveHop!.Value))
                    ? aboveHop
                    : belowHop;

                // A field below every Received field was written before the first recorded hop: never trusted.
                var isTrusted = h.Parsed && trusted.Contains(h.AuthServId ?? string.Empty) && !(n > 0 && !added.HasValue);
                var result = AuthenticationResultsParser.Place(h, added, isTrusted);
                placed.Add(result);
                var id = string.IsNullOrEmpty(h.AuthServId) ? "(no authserv-id)" : h.AuthServId!;
                if (!h.Parsed)
                {
                    findings.Add(AuthResultsFindings.Unparsable.Create($"The Authentication-Results field '{Shorten(h.Raw)}' does not follow RFC 8601 and is ignored.", "Authentication-Results"));
                    continue;
                }

                if (n > 0 && !added.HasValue)
                {
                    findings.Add(AuthResultsFindings.BeforeFirstHop.Create($"The Authentication-Results field of {id} lies below every Received field: it was written before the first recorded hop and proves nothing.", id));
                }
                else if (!isTrusted)
                {
                    findings.Add(AuthResultsFindings.UntrustedServer.Create($"The Authentication-Results field of {id}{(added.HasValue ? $" (added at hop {added})" : string.Empty)} is not from the receiving domain's authserv-id ({string.Join(", ", trusted.Select(t => t.Length == 0 ? "(none)" : t))}); its results are not trusted.", id));
                }

                foreach (var r in h.Results.Where(r => !r.Recognized && AuthenticationResultsParser.IsKnownMethod(r.Method)))
                {
                    findings.Add(AuthResultsFindings.UnknownResult.Create($"The result '{r.Method}={DomainName.Printable(r.Result)}' from {id} is not defined by RFC 8601 and is ignored.", id));
                }
            }

            var servers = placed.Where(h => h.Parsed)
                .GroupBy(h => h.AuthServId ?? string.Empty, StringComparer.OrdinalIgnoreCase)
                .Select(g => new AuthServResults(g.Key, g.Any(x => x.Trusted), g.Max(x => x.AddedAtHop), g.ToList()))
                .OrderBy(s => s.Trusted ? 0 : 1)
                .ThenBy(s => placed.First(h => (h.AuthServId ?? string.Empty) == s.AuthServId).Position)
                .ToList();
            return (placed, servers, trusted);
        }

        private static bool Matches(string? authServId, string? by)
        {
            if (string.IsNullOrEmpty(authServId) || string.IsNullOrEmpty(by))
            {
                return false;
            }

            return by!.Equals(authServId, StringComparison.OrdinalIgnoreCase) || by.EndsWith("." + authServId, StringComparison.OrdinalIgnoreCase);
        }

        private static int Rank(MessageHop h)
        {
            switch (h.Tls)
            {
                case HopTls.Cleartext:
                    return 0;
                case HopTls.Unknown:
                    return 1;
                case HopTls.Encrypted:
                    switch (h.TlsVersion)
                    {
                        case null:
                            return 3;
                        case "TLSv1.2":
                            return 4;
                        case "TLSv1.3":
                            return 5;
                        default:
                            // SSLv3, TLSv1.0, TLSv1.1 and anything unrecognised rank below an unstated version.
                            return string.CompareOrdinal(h.TlsVersion, "TLSv1.3") > 0 && h.TlsVersion.StartsWith("TLSv", StringComparison.Ordinal) ? 6 : 2;
                    }

                default:
                    return 7;
            }
        }

        /// <summary>
        /// An approximation of the organisation a host name belongs to: its last two labels, or three under common
        /// second-level registries (co.uk). No public-suffix list is shipped; null for addresses and internal names.
        /// </summary>
        private static string? Site(string? host)
        {
            if (string.IsNullOrEmpty(host) || host!.StartsWith("[", StringComparison.Ordinal) || AddressScopeClassifier.TryParse(host, out _, out _))
            {
                return null;
            }

            var labels = host.TrimEnd('.').ToLowerInvariant().Split('.');
            if (labels.Length < 2 || labels.Any(l => l.Length == 0) || InternalTopLevelDomains.Contains(labels[labels.Length - 1]))
            {
                return null;
            }

            var take = labels.Length >= 3 && labels[labels.Length - 1].Length == 2 && SecondLevelRegistries.Contains(labels[labels.Length - 2]) ? 3 : 2;
            return string.Join(".", labels.Skip(labels.Length - take));
        }

        private static int SkipLeadingText(byte[] content, out bool skipped)
        {
            skipped = false;
            var pos = 0;
            if (content.Length >= 3 && content[0] == 0xEF && content[1] == 0xBB && content[2] == 0xBF)
            {
                pos = 3;
            }

            while (pos < content.Length)
            {
                var end = Array.IndexOf(content, (byte)'\n', pos);
                var lineEnd = end < 0 ? content.Length : end;
                var blank = true;
                for (var i = pos; i < lineEnd; i++)
                {
                    if (content[i] != (byte)' ' && content[i] != (byte)'\t' && content[i] != (byte)'\r')
                    {
                        blank = false;
                        break;
                    }
                }

                if (!blank && LooksLikeHeaderLine(content, pos, lineEnd))
                {
                    return pos;
                }

                if (!blank)
                {
                    skipped = true;
                }

                if (end < 0)
                {
                    return content.Length;
                }

                pos = end + 1;
            }

            return pos;
        }

        private static bool LooksLikeHeaderLine(byte[] content, int start, int end)
        {
            // RFC 5322 §2.2: a field name of printable characters other than ':' and space, then ':'.
            for (var i = start; i < end; i++)
            {
                var b = content[i];
                if (b == (byte)':')
                {
                    return i > start;
                }

                if (b <= 32 || b >= 127)
                {
                    return false;
                }
            }

            return false;
        }

        private static bool HasBody(byte[] content, int start)
        {
            // The header block ends at the first empty line; a body is present when anything but white space follows.
            var lineStart = start;
            while (lineStart < content.Length)
            {
                var end = Array.IndexOf(content, (byte)'\n', lineStart);
                if (end < 0)
                {
                    return false;
                }

                var lineLength = end - lineStart;
                if (lineLength == 0 || (lineLength == 1 && content[lineStart] == (byte)'\r'))
                {
                    for (var i = end + 1; i < content.Length; i++)
                    {
                        if (content[i] != (byte)' ' && content[i] != (byte)'\t' && content[i] != (byte)'\r' && content[i] != (byte)'\n')
                        {
                            return true;
                        }
                    }

                    return false;
                }

                lineStart = end + 1;
            }

            return false;
        }

        private static MessagePath Empty(string source, List<Finding> findings)
            => new MessagePath(new MessagePathBuilder
            {
                Source = source,
                Authentication = new MessageAuthentication(Array.Empty<AuthResultsHeader>(), Array.Empty<AuthServResults>(), Array.Empty<string>(), Array.Empty<DkimSignatureCheck>(), null, false),
                Findings = findings.OrderByDescending(f => f.Severity).ToList(),
            });

        private static string Describe(TimeSpan t)
        {
            if (t.TotalDays >= 1)
            {
                return $"{t.TotalDays.ToString("0.#", CultureInfo.InvariantCulture)} days";
            }

            if (t.TotalHours >= 1)
            {
                return $"{t.TotalHours.ToString("0.#", CultureInfo.InvariantCulture)} h";
            }

            return t.TotalMinutes >= 1 ? $"{t.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} min" : $"{t.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s";
        }

        private static string Shorten(string s) => DomainName.Printable(s.Length > 100 ? s.Substring(0, 100) + "..." : s);
    }
}
