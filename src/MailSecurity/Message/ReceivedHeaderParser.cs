using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using MailSecurity.Dns;
using MimeKit.Utils;

namespace MailSecurity.Message
{
    /// <summary>
    /// Reads one <c>Received:</c> field value: the RFC 5321 §4.4 clauses (FROM, BY, VIA, WITH, ID, FOR and the
    /// RFC 8314 <c>tls</c> clause) in any order, the TCP-info comments of Postfix, Sendmail, Exim, qmail, Exchange
    /// and Gmail, TLS details from their comments, authenticated submission, and the date-time. Never throws:
    /// anything it cannot interpret is kept raw with a <see cref="ReceivedFindings.Unparsed"/> finding.
    /// </summary>
    /// <remarks>
    /// Hand-written because no library parses Received fields: MimeKit stores them as unstructured text.
    /// Dates are read with MimeKit's <see cref="DateUtils"/>, then checked field by field, because DateUtils
    /// silently accepts out-of-range times such as 25:00.
    /// </remarks>
    internal static class ReceivedHeaderParser
    {
        private const int MaxLength = 256 * 1024;
        private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);
        private static readonly HashSet<string> Keywords = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "from", "by", "via", "with", "id", "for", "tls" };

        // Postfix smtpd_tls_received_header: "using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)".
        private static readonly Regex PostfixTls = new Regex(@"\busing\s+(?<v>(?:TLS|SSL)v?[0-9][0-9._]*)\s+with\s+cipher\s+(?<c>[A-Za-z0-9_\-]+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, RegexTimeout);

        // Sendmail, Gmail, Exchange: "version=TLSv1.3 cipher=..." / "version=TLS1_2, cipher=...".
        private static readonly Regex VersionTag = new Regex(@"\bversion=(?<v>[A-Za-z0-9_.]+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, RegexTimeout);
        private static readonly Regex CipherTag = new Regex(@"\bcipher=(?<c>[A-Za-z0-9_\-]+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, RegexTimeout);

        // Exim: "(TLS1.3)" or the older "(TLS1.2:ECDHE_RSA_AES_256_GCM_SHA384:256)".
        private static readonly Regex EximTls = new Regex(@"^(?<v>(?:TLS|SSL)v?[0-9][0-9._]*)(?::(?<c>[A-Za-z0-9_\-]+)(?::(?<b>[0-9]+))?)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, RegexTimeout);

        // qmail-smtpd with the TLS patch: "(DHE-RSA-AES256-GCM-SHA384 encrypted)".
        private static readonly Regex QmailTls = new Regex(@"^(?<c>[A-Za-z0-9_\-]+)\s+encrypted$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, RegexTimeout);

        private static readonly Regex TlsVersionShape = new Regex(@"^(?:(?<p>TLS)v?(?<maj>[0-9])(?:[._](?<min>[0-9]))?|(?<p>SSL)v?(?<maj>[0-9])(?:[._]0)?)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, RegexTimeout);

        private static readonly Regex QmailInvoked = new Regex(@"^qmail\s+[0-9]+\s+invoked\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, RegexTimeout);

        private static readonly Regex AuthenticatedSender = new Regex(@"^Authenticated\s+sender:\s*(?<u>\S+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, RegexTimeout);

        private static readonly Regex AuthenticatedMarker = new Regex(@"\bauthenticated\s+(?:bits=|user\b|as\b|sender\b)|^authenticated$|\bauthenticated\)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, RegexTimeout);

        private static readonly Regex DateShape = new Regex(
            @"^(?:(?<dow>[A-Za-z]+)\s*,\s*)?(?<day>[0-9]{1,2})\s+(?<mon>[A-Za-z]+)\s+(?<year>[0-9]{2,4})\s+(?<h>[0-9]{1,2}):(?<m>[0-9]{1,2})(?::(?<s>[0-9]{1,2}))?\s*(?<zone>[+-][0-9]{4}|[A-Za-z]{1,5})?$",
            RegexOptions.CultureInvariant, RegexTimeout);

        private static readonly string[] Months = { "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec" };

        /// <summary>Parses one Received field value (the text after <c>Received:</c>; folding may still be in it).</summary>
        /// <param name="value">The field value.</param>
        /// <param name="hopIndex">The hop number used in finding messages (1 = oldest); 0 when unknown.</param>
        /// <returns>The interpreted field as a hop numbered <paramref name="hopIndex"/>, not yet placed in a path (no delay); never null.</returns>
        public static MessageHop Parse(string? value, int hopIndex = 0)
        {
            var raw = Unfold(value ?? string.Empty);
            var findings = new List<Finding>();
            var label = hopIndex > 0 ? $"Hop {hopIndex.ToString(CultureInfo.InvariantCulture)}" : "The hop";
            var text = raw.Length > MaxLength ? raw.Substring(0, MaxLength) : raw;

            if (raw.Length > MaxLength)
            {
                findings.Add(ReceivedFindings.Unparsed.Create($"{label}: the Received field is {raw.Length.ToString(CultureInfo.InvariantCulture)} characters long; only the first {MaxLength.ToString(CultureInfo.InvariantCulture)} were read.", "Received"));
            }

            var tokens = ReceivedTokenizer.Tokenize(text, out var unbalanced);
            var lastSemicolon = tokens.FindLastIndex(t => t.Kind == ReceivedTokenKind.Semicolon);
            var clauseTokens = lastSemicolon >= 0 ? tokens.Take(lastSemicolon).ToList() : tokens;
            string? dateText = null;
            if (lastSemicolon >= 0)
            {
                dateText = text.Substring(tokens[lastSemicolon].End).Trim();
                if (dateText.Length == 0)
                {
                    dateText = null;
                }
            }

            // Split the tokens before the date into clauses. A keyword starts a clause only once the current
            // clause has a value, so "from by.example" and "id with" keep their values.
            var preamble = new Clause(string.Empty);
            var clauses = new List<Clause>();
            var current = preamble;
            foreach (var token in clauseTokens)
            {
                if (token.Kind == ReceivedTokenKind.Atom && Keywords.Contains(token.Text) && (current == preamble || current.Values.Count > 0))
                {
                    current = new Clause(token.Text.ToLowerInvariant());
                    clauses.Add(current);
                }
                else if (token.Kind == ReceivedTokenKind.Comment)
                {
                    current.Comments.Add(token.Text);
                }
                else if (token.Kind != ReceivedTokenKind.Semicolon)
                {
                    current.Values.Add(token);
                }
            }

            var fromClause = clauses.FirstOrDefault(c => c.Keyword == "from");
            var byClause = clauses.FirstOrDefault(c => c.Keyword == "by");
            var withClause = clauses.FirstOrDefault(c => c.Keyword == "with");
            var viaClause = clauses.FirstOrDefault(c => c.Keyword == "via");
            var idClause = clauses.FirstOrDefault(c => c.Keyword == "id");
            var forClause = clauses.FirstOrDefault(c => c.Keyword == "for");
            var tlsClause = clauses.FirstOrDefault(c => c.Keyword == "tls");
            var allComments = preamble.Comments.Concat(clauses.SelectMany(c => c.Comments)).ToList();

            var qmail = preamble.Comments.Any(c => SafeIsMatch(QmailInvoked, c));
            var sendmailLocal = preamble.Comments.Any(c => c.StartsWith("from ", StringComparison.OrdinalIgnoreCase) && c.IndexOf('@') > 0 && c.IndexOf('[') < 0);
            var parsed = fromClause != null || byClause != null || qmail;

            if (!parsed)
            {
                findings.Add(ReceivedFindings.Unparsed.Create($"{label}: the Received field has neither a FROM nor a BY clause and is kept raw: '{Shorten(raw)}'.", "Received"));
            }
            else if (preamble.Values.Count > 0)
            {
                findings.Add(ReceivedFindings.Unparsed.Create($"{label}: the text '{Shorten(string.Join(" ", preamble.Values.Select(v => v.Text)))}' before the first clause was not understood and is ignored.", "Received"));
            }

            if (unbalanced)
            {
                findings.Add(ReceivedFindings.Unparsed.Create($"{label}: the Received field has unbalanced parentheses, brackets or quotes; the parts after the break may be misread.", "Received"));
            }

            // BY clause: host, optional address (Exchange), software comment.
            string? by = byClause?.Values.Count > 0 ? TrimDot(byClause.Values[0].Text) : null;
            string? byAddress = null;
            string? software = null;
            if (byClause != null)
            {
                foreach (var c in byClause.Comments)
                {
                    if (byAddress is null && TryFindAddress(c, out var a))
                    {
                        byAddress = a;
                    }
                    else if (software is null)
                    {
                        software = c.Split(',')[0].Trim();
                        if (software.Length > 0 && char.IsDigit(software[0]) && software.IndexOf('/') > 0)
                        {
                            // Sendmail writes its version pair, e.g. "(8.17.1/8.17.1)".
                            software = "sendmail " + software;
                        }
                    }
                }
            }

            if (software is null)
            {
                software = allComments.FirstOrDefault(c => c.StartsWith("Exim ", StringComparison.OrdinalIgnoreCase));
            }

            var isExim = allComments.Any(c => c.StartsWith("Exim ", StringComparison.OrdinalIgnoreCase) || c.Equals("Exim", StringComparison.OrdinalIgnoreCase));

            // WITH / VIA / ID / FOR: their values joined ("Microsoft SMTP Server", "Frontend Transport").
            var with = Joined(withClause);
            var via = Joined(viaClause);
            var id = idClause?.Values.Count > 0 ? idClause.Values[0].Text : null;
            var forRecipient = Joined(forClause);
            if (software is null && with != null && with.Equals("Microsoft SMTP Server", StringComparison.OrdinalIgnoreCase))
            {
                software = "Microsoft SMTP Server";
            }

            if (software is null && qmail)
            {
                software = "qmail";
            }

            // FROM clause: the EHLO name, the reverse name and the address from the TCP-info comment(s).
            string? from = null;
            string? reverse = null;
            string? fromAddress = null;
            var fromAddressInvalid = false;
            if (fromClause != null && fromClause.Values.Count > 0)
            {
                var token = fromClause.Values[0];
                string? helo = null;
                foreach (var c in fromClause.Comments)
                {
                    ReadTcpInfo(c, ref helo, ref reverse, ref fromAddress, ref fromAddressInvalid);
                }

                var tokenText = token.Text;
                var tokenIsLiteral = token.Kind == ReceivedTokenKind.Literal || AddressScopeClassifier.TryParse(tokenText, out _, out _);
                if (helo != null)
                {
                    // Exim and qmail put the verified reverse name first and the HELO name in the comment.
                    from = helo;
                    if (reverse is null && !tokenIsLiteral && IsQualifiedHostName(tokenText))
                    {
                        reverse = TrimDot(tokenText);
                    }
                }
                else
                {
                    from = token.Kind == ReceivedTokenKind.Literal ? tokenText : TrimDot(tokenText);
                    if (isExim && reverse is null && !tokenIsLiteral && IsQualifiedHostName(tokenText))
                    {
                        // Exim omits helo= when it equals the verified host name, which it writes first.
                        reverse = TrimDot(tokenText);
                    }
                }

                if (fromAddress is null && tokenIsLiteral)
                {
                    if (AddressScopeClassifier.TryParse(tokenText, out _, out var literalAddress))
                    {
                        fromAddress = literalAddress;
                    }
                    else
                    {
                        fromAddressInvalid = true;
                    }
                }
            }

            // Authenticated submission.
            var authenticated = false;
            string? authenticatedUser = null;
            foreach (var c in allComments)
            {
                var m = SafeMatch(AuthenticatedSender, c);
                if (m != null)
                {
                    authenticated = true;
                    authenticatedUser ??= m.Groups["u"].Value;
                }
                else if (SafeIsMatch(AuthenticatedMarker, c))
                {
                    authenticated = true;
                }
            }

            var withInfo = with is null ? null : WithProtocolTable.Find(with);
            if (withInfo?.Authenticated == true)
            {
                authenticated = true;
            }

            // TLS details from comments and the tls clause.
            ReadTlsDetails(allComments, tlsClause, out var tlsVersionRaw, out var cipher, out var tlsFrom, out var bareTlsComment, out var googleTransport);
            var tlsVersion = NormalizeTlsVersion(tlsVersionRaw);

            // Local hand-offs: nothing crossed a network.
            IPAddress? fromIp = null;
            if (fromAddress != null)
            {
                AddressScopeClassifier.TryParse(fromAddress, out fromIp, out _);
            }

            var fromScope = fromIp is null ? (AddressScope?)null : AddressScopeClassifier.Classify(fromIp);
            var fromIsBy = from != null && by != null && string.Equals(TrimDot(from), by, StringComparison.OrdinalIgnoreCase);
            var reverseIsBy = reverse != null && by != null && string.Equals(reverse, by, StringComparison.OrdinalIgnoreCase);
            var sameHost = fromIsBy
                && (fromAddress is null || fromScope == AddressScope.Loopback || reverseIsBy || string.Equals(fromAddress, byAddress, StringComparison.OrdinalIgnoreCase));
            var localReason =
                qmail ? "qmail-queue record" :
                fromClause is null && byClause != null ? (sendmailLocal ? "local submission (no FROM clause)" : "no FROM clause: an internal hand-off") :
                fromScope == AddressScope.Loopback ? "loopback address" :
                withInfo?.Local == true ? $"'with {with}'" :
                sameHost ? "the sending and receiving host are the same" :
                fromAddress is null && from != null && (from.Equals("localhost", StringComparison.OrdinalIgnoreCase) || from.Equals("localhost.localdomain", StringComparison.OrdinalIgnoreCase)) ? "localhost" :
                null;

            HopTls tls;
            TlsEvidence evidence;
            if (tlsFrom != TlsEvidence.None)
            {
                tls = HopTls.Encrypted;
                evidence = tlsFrom;
            }
            else if (bareTlsComment)
            {
                tls = HopTls.Encrypted;
                evidence = TlsEvidence.TlsComment;
            }
            else if (withInfo?.Registered == true && withInfo.Tls == true)
            {
                tls = HopTls.Encrypted;
                evidence = TlsEvidence.WithKeyword;
            }
            else if (googleTransport)
            {
                tls = HopTls.Encrypted;
                evidence = TlsEvidence.ProductConvention;
            }
            else if (localReason != null)
            {
                tls = HopTls.Local;
                evidence = TlsEvidence.LocalHop;
            }
            else if (withInfo?.Registered == true && withInfo.Tls == false)
            {
                tls = HopTls.Cleartext;
                evidence = TlsEvidence.WithKeyword;
            }
            else if (withInfo != null && withInfo.Keyword == "Microsoft SMTP Server")
            {
                // Exchange writes "(version=..., cipher=...)" after "with Microsoft SMTP Server" whenever TLS was used.
                tls = HopTls.Cleartext;
                evidence = TlsEvidence.ProductConvention;
            }
            else if (withInfo != null && withInfo.Tls.HasValue)
            {
                tls = withInfo.Tls.Value ? HopTls.Encrypted : HopTls.Cleartext;
                evidence = TlsEvidence.NonIanaProtocol;
            }
            else
            {
                tls = HopTls.Unknown;
                evidence = TlsEvidence.None;
            }

            var target = by ?? from ?? "Received";
            var route = $"{(from ?? reverse ?? fromAddress ?? "?")}{(fromAddress != null && from != null ? " [" + fromAddress + "]" : string.Empty)} -> {by ?? "?"}";

            if (with != null && withInfo?.Registered != true)
            {
                findings.Add(ReceivedFindings.NonIanaProtocol.Create(
                    withInfo is null
                        ? $"{label} ({route}) uses the WITH value '{DomainName.Printable(with)}', which is neither registered nor a known variant; it says nothing about TLS."
                        : $"{label} ({route}) uses the unregistered WITH value '{with}': {withInfo.Meaning}.",
                    target));
            }

            if (parsed && tls == HopTls.Cleartext)
            {
                var internalHop = fromScope == AddressScope.Private || fromScope == AddressScope.LinkLocal;
                findings.Add(ReceivedFindings.CleartextHop.Create(
                    $"{label} ({route}) was not encrypted: {(evidence == TlsEvidence.ProductConvention ? "Exchange recorded no TLS version or cipher" : $"'with {with}' means no STARTTLS")}{(internalHop ? ", inside a private network" : string.Empty)}.",
                    target,
                    internalHop ? Severity.Info : (Severity?)null));
            }
            else if (parsed && tls == HopTls.Unknown)
            {
                findings.Add(ReceivedFindings.NoTlsInformation.Create($"{label} ({route}) does not say whether it was encrypted{(with is null ? " (no WITH clause)" : $" ('with {DomainName.Printable(with)}')")}.", target));
            }

            if (tlsVersion != null && (tlsVersion == "SSLv3" || tlsVersion == "SSLv2" || tlsVersion == "TLSv1.0" || tlsVersion == "TLSv1.1"))
            {
                findings.Add(ReceivedFindings.WeakTlsVersion.Create($"{label} ({route}) used {tlsVersion}, which is deprecated.", target));
            }

            if (fromAddressInvalid)
            {
                findings.Add(ReceivedFindings.ForgedLooking.Create($"{label} ({route}) records an address literal that is not a valid IP address; no MTA writes that.", target));
            }
            else if (fromScope == AddressScope.Unroutable)
            {
                findings.Add(ReceivedFindings.ForgedLooking.Create($"{label} ({route}) claims a connection from {fromAddress}, an address that can never be the source of a TCP connection.", target));
            }

            if (fromIsBy && !sameHost && fromScope == AddressScope.Public)
            {
                findings.Add(ReceivedFindings.ForgedLooking.Create($"{label}: a client at {fromAddress} greeted {by} with {by}'s own name, a common sign of a forged or spoofing sender.", target));
            }

            // Date-time.
            DateTimeOffset? timestamp = null;
            var dateState = ReadDate(dateText, out var parsedDate, out var dateProblem);
            if (dateState == ReceivedDateState.Valid || dateState == ReceivedDateState.Obsolete)
            {
                timestamp = parsedDate;
            }

            if (parsed || dateText != null)
            {
                switch (dateState)
                {
                    case ReceivedDateState.Missing:
                        findings.Add(ReceivedFindings.MissingDate.Create($"{label} ({route}) has no date-time{(lastSemicolon < 0 ? " (no ';' separator)" : string.Empty)}.", target));
                        break;
                    case ReceivedDateState.Invalid:
                        findings.Add(ReceivedFindings.InvalidDate.Create($"{label} ({route}) has the date-time '{Shorten(dateText ?? string.Empty)}', which is not valid: {dateProblem}.", target));
                        break;
                    case ReceivedDateState.Obsolete:
                        findings.Add(ReceivedFindings.ObsoleteDate.Create($"{label} ({route}) has the date-time '{Shorten(dateText ?? string.Empty)}' in an obsolete form: {dateProblem}.", target));
                        break;
                }
            }

            return new MessageHop(
                hopIndex, from, reverse, fromAddress, by, byAddress, with, withInfo, via, id, forRecipient, software,
                tls, evidence, tlsVersion, cipher, authenticated, authenticatedUser, timestamp, null, dateText, dateState, parsed, raw, findings);
        }

        /// <summary>Normalises a TLS version as MTAs write it (<c>TLS1_2</c>, <c>TLSv1.3</c>, <c>TLS1.3</c>, <c>TLSv1</c>) to <c>TLSv1.2</c> form.</summary>
        public static string? NormalizeTlsVersion(string? version)
        {
            if (string.IsNullOrWhiteSpace(version))
            {
                return null;
            }

            var m = SafeMatch(TlsVersionShape, version!.Trim());
            if (m is null)
            {
                return version.Trim();
            }

            var major = m.Groups["maj"].Value;
            if (m.Groups["p"].Value.Equals("SSL", StringComparison.OrdinalIgnoreCase))
            {
                return "SSLv" + major;
            }

            var minor = m.Groups["min"].Success ? m.Groups["min"].Value : "0";
            return $"TLSv{major}.{minor}";
        }

        private static void ReadTcpInfo(string comment, ref string? helo, ref string? reverse, ref string? address, ref bool invalid)
        {
            var top = ReceivedTokenizer.TopLevelText(comment, null);
            var words = top.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            string? previous = null;
            for (var i = 0; i < words.Length; i++)
            {
                var w = words[i];
                if (w.StartsWith("helo=", StringComparison.OrdinalIgnoreCase))
                {
                    helo ??= TrimDot(w.Substring(5));
                    previous = null;
                    continue;
                }

                if (w.Equals("HELO", StringComparison.OrdinalIgnoreCase) || w.Equals("EHLO", StringComparison.OrdinalIgnoreCase))
                {
                    if (i + 1 < words.Length)
                    {
                        helo ??= TrimDot(words[i + 1]);
                        i++;
                    }

                    previous = null;
                    continue;
                }

                if (w.StartsWith("[", StringComparison.Ordinal))
                {
                    if (address is null)
                    {
                        if (AddressScopeClassifier.TryParse(w, out _, out var a))
                        {
                            address = a;
                            if (reverse is null && previous != null && !IsUnknown(previous) && LooksLikeHostName(previous))
                            {
                                reverse = TrimDot(previous);
                            }
                        }
                        else
                        {
                            invalid = true;
                        }
                    }

                    previous = null;
                    continue;
                }

                if (address is null && AddressScopeClassifier.TryParse(w, out _, out var bare))
                {
                    address = bare;
                    if (reverse is null && previous != null && !IsUnknown(previous) && LooksLikeHostName(previous))
                    {
                        reverse = TrimDot(previous);
                    }

                    previous = null;
                    continue;
                }

                previous = w;
            }
        }

        private static void ReadTlsDetails(List<string> comments, Clause? tlsClause, out string? version, out string? cipher, out TlsEvidence evidence, out bool bareTls, out bool googleTransport)
        {
            version = null;
            cipher = null;
            evidence = TlsEvidence.None;
            bareTls = false;
            googleTransport = false;
            foreach (var c in comments)
            {
                var flat = c.Replace('\t', ' ');
                var postfix = SafeMatch(PostfixTls, flat);
                if (postfix != null)
                {
                    version ??= postfix.Groups["v"].Value;
                    cipher ??= postfix.Groups["c"].Value;
                    evidence = TlsEvidence.TlsComment;
                    continue;
                }

                var v = SafeMatch(VersionTag, flat);
                var ci = SafeMatch(CipherTag, flat);
                if (v != null && !v.Groups["v"].Value.Equals("NONE", StringComparison.OrdinalIgnoreCase) && (ci != null || SafeIsMatch(TlsVersionShape, v.Groups["v"].Value)))
                {
                    version ??= v.Groups["v"].Value;
                    if (ci != null)
                    {
                        cipher ??= ci.Groups["c"].Value;
                    }

                    evidence = TlsEvidence.TlsComment;
                    continue;
                }

                var exim = SafeMatch(EximTls, flat.Trim());
                if (exim != null)
                {
                    version ??= exim.Groups["v"].Value;
                    if (exim.Groups["c"].Success)
                    {
                        cipher ??= exim.Groups["c"].Value;
                    }

                    evidence = TlsEvidence.TlsComment;
                    continue;
                }

                var qmailTls = SafeMatch(QmailTls, flat.Trim());
                if (qmailTls != null)
                {
                    cipher ??= qmailTls.Groups["c"].Value;
                    evidence = TlsEvidence.TlsComment;
                    continue;
                }

                if (flat.Trim().Equals("TLS", StringComparison.OrdinalIgnoreCase))
                {
                    bareTls = true;
                }
                else if (flat.IndexOf("Google Transport Security", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    googleTransport = true;
                }
            }

            if (tlsClause?.Values.Count > 0)
            {
                // RFC 8314 §4.3: the "tls" clause names the cipher suite.
                cipher ??= tlsClause.Values[0].Text;
                if (evidence == TlsEvidence.None)
                {
                    evidence = TlsEvidence.TlsClause;
                }
            }
        }

        private static ReceivedDateState ReadDate(string? dateText, out DateTimeOffset value, out string problem)
        {
            value = default;
            problem = string.Empty;
            if (dateText is null)
            {
                return ReceivedDateState.Missing;
            }

            var bare = ReceivedTokenizer.TopLevelText(dateText, null).Replace('\t', ' ').Trim();
            while (bare.IndexOf("  ", StringComparison.Ordinal) >= 0)
            {
                bare = bare.Replace("  ", " ");
            }

            var libraryOk = DateUtils.TryParse(dateText, out value);
            var m = SafeMatch(DateShape, bare);
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

        private static bool TryFindAddress(string comment, out string address)
        {
            foreach (var w in ReceivedTokenizer.TopLevelText(comment, null).Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries))
            {
                if (AddressScopeClassifier.TryParse(w, out _, out var a))
                {
                    address = a;
                    return true;
                }
            }

            address = string.Empty;
            return false;
        }

        private static string? Joined(Clause? clause)
            => clause is null || clause.Values.Count == 0 ? null : string.Join(" ", clause.Values.Select(v => v.Text));

        private static bool IsUnknown(string s) => s.Equals("unknown", StringComparison.OrdinalIgnoreCase);

        // A reverse name is a qualified host name; Exim's "from henry ... with local" names a user, not a host.
        private static bool IsQualifiedHostName(string s) => !IsUnknown(s) && TrimDot(s).IndexOf('.') > 0 && LooksLikeHostName(s);

        private static bool LooksLikeHostName(string s)
        {
            var t = TrimDot(s);
            if (t.Length == 0 || t.Length > 253)
            {
                return false;
            }

            foreach (var ch in t)
            {
                if (!(char.IsLetterOrDigit(ch) || ch == '.' || ch == '-' || ch == '_'))
                {
                    return false;
                }
            }

            return true;
        }

        private static string TrimDot(string s) => s.Length > 1 && s.EndsWith(".", StringComparison.Ordinal) ? s.Substring(0, s.Length - 1) : s;

        private static string Unfold(string value)
        {
            var sb = new StringBuilder(value.Length);
            foreach (var ch in value)
            {
                if (ch != '\r' && ch != '\n')
                {
                    sb.Append(ch);
                }
            }

            return sb.ToString().Trim();
        }

        private static string Shorten(string s) => DomainName.Printable(s.Length > 120 ? s.Substring(0, 120) + "..." : s);

        private static Match? SafeMatch(Regex regex, string input)
        {
            try
            {
                var m = regex.Match(input);
                return m.Success ? m : null;
            }
            catch (RegexMatchTimeoutException)
            {
                return null;
            }
        }

        private static bool SafeIsMatch(Regex regex, string input) => SafeMatch(regex, input) != null;

        private sealed class Clause
        {
            public Clause(string keyword) => Keyword = keyword;

            public string Keyword { get; }

            public List<ReceivedToken> Values { get; } = new List<ReceivedToken>();

            public List<string> Comments { get; } = new List<string>();
        }
    }
}
