using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MailSecurity.Dns;

namespace MailSecurity.Message.Received
{
    /// <summary>
    /// The judging half of the Received parser: from the <see cref="ReceivedFacts"/> the readers established, decides the
    /// hop's HELO and reverse names (by the MTA's convention), whether it crossed a network, whether it was encrypted
    /// and on what evidence (SPEC §7.6, §7.7), whether the client authenticated, and the findings. Pure: no I/O.
    /// </summary>
    internal static class ReceivedHopJudge
    {
        public static MessageHop Judge(ReceivedFacts facts, string raw, int hopIndex)
        {
            var stamp = facts.Stamp;
            var label = hopIndex > 0 ? $"Hop {hopIndex.ToString(CultureInfo.InvariantCulture)}" : "The hop";
            var b = new MessageHopBuilder { Index = hopIndex, Raw = raw };

            var (helo, reverse) = Names(facts);
            b.From = helo;
            b.FromReverseName = reverse;
            b.FromAddress = facts.Address;
            b.By = facts.By;
            b.ByAddress = facts.ByAddress;
            b.With = facts.With;
            b.WithProtocol = facts.With is null ? null : WithProtocolTable.Find(facts.With);
            b.Via = facts.Via;
            b.Id = facts.Id;
            b.For = facts.For;
            b.Software = facts.Software;
            b.TlsVersion = facts.TlsVersion;
            b.Cipher = facts.Cipher;

            var hasFrom = stamp.First("from") != null || facts.FromValue != null;
            b.Parsed = hasFrom || facts.By != null || facts.RecognisedStamp;

            // Authentication: the WITH keyword (RFC 3848 "A") and what comments say.
            var withInfo = b.WithProtocol;
            if (withInfo?.Authenticated == true)
            {
                b.AuthenticationEvidence |= AuthenticationEvidence.WithKeyword;
            }

            if (facts.AuthByComment)
            {
                b.AuthenticationEvidence |= AuthenticationEvidence.Comment;
            }

            b.AuthenticationMethod = facts.AuthMechanism;
            b.AuthenticatedUser = facts.AuthUser;
            if (b.AuthenticatedUser is null && withInfo?.Authenticated == true && facts.Convention == FromConvention.ReverseFirst && facts.Ident != null && QmailRemoteInfo(facts))
            {
                // qmail's SMTP AUTH patches put the authenticated user where the ident goes: "(user@192.0.2.1) ... with ESMTPA".
                b.AuthenticatedUser = facts.Ident;
            }

            var localReason = LocalReason(facts, b, hasFrom, withInfo);
            (b.Tls, b.TlsEvidence) = Tls(facts, withInfo, localReason);

            var route = $"{DisplayText.Shorten(helo ?? reverse ?? facts.Address ?? "?")}{(facts.Address != null && (helo ?? reverse) != null ? " [" + DisplayText.Shorten(facts.Address) + "]" : string.Empty)} -> {DisplayText.Shorten(facts.By ?? "?")}";
            var target = facts.By ?? helo ?? "Received";
            Findings(facts, b, label, route, target, withInfo, raw);
            Date(stamp, b, label, route, target);
            return new MessageHop(b);
        }

        /// <summary>The HELO name and the reverse name, read by the convention of the MTA that wrote the field.</summary>
        private static (string? Helo, string? Reverse) Names(ReceivedFacts facts)
        {
            var value = facts.FromValue;
            var explicitHelo = string.IsNullOrEmpty(facts.ExplicitHelo) ? null : facts.ExplicitHelo;
            var valueIsName = value != null && !facts.FromValueIsAddress && !HostText.IsPlaceholder(value) && HostText.LooksLikeHostName(value);
            switch (facts.Convention)
            {
                case FromConvention.ReverseFirst:
                {
                    var reverse = valueIsName ? value : facts.CommentReverseName;
                    // The HELO name is written only when it differs from the verified name (or the literal): absent means equal.
                    var helo = facts.ExplicitHelo != null ? explicitHelo : (value != null && !HostText.IsPlaceholder(value) ? value : null);
                    return (helo, reverse);
                }

                case FromConvention.LocalUser:
                    return (explicitHelo, null);
                case FromConvention.PolledServer:
                    return (value, null);
                case FromConvention.ApiClient:
                    return (null, null);
                default:
                {
                    // A mailbox or "<unavailable>" in the FROM clause is not a HELO name.
                    var helo = explicitHelo ?? (value != null && value.IndexOf('@') < 0 && !value.StartsWith("<", StringComparison.Ordinal) ? value : null);
                    return (helo, facts.CommentReverseName);
                }
            }
        }

        private static bool QmailRemoteInfo(ReceivedFacts facts)
            => facts.Stamp.First("from")?.Comments.Exists(c => c.Text.IndexOf('@') > 0 && c.Text.IndexOf(' ') < 0) == true;

        /// <summary>Why the hop never crossed a network, or <c>null</c>.</summary>
        private static string? LocalReason(ReceivedFacts facts, MessageHopBuilder b, bool hasFrom, WithProtocolInfo? withInfo)
        {
            if (facts.LocalReason != null)
            {
                return facts.LocalReason;
            }

            if (!hasFrom && facts.By != null && withInfo?.Authenticated != true)
            {
                // "by host (Postfix)", "by mail-x.google.com with SMTP": the host stamped a hand-off to itself. A stamp
                // whose WITH says AUTH (Yahoo's "by hermes... with ESMTPA") records a client it chose not to name.
                return "no FROM clause: a hand-off inside the receiving host";
            }

            if (facts.LocalSocket)
            {
                return "local socket";
            }

            if (facts.Address != null && AddressScopeClassifier.TryParse(facts.Address, out var ip, out _) && ip != null && AddressScopeClassifier.Classify(ip) == AddressScope.Loopback)
            {
                return "loopback address";
            }

            if (withInfo?.Local == true || (facts.With != null && facts.With.StartsWith("local", StringComparison.OrdinalIgnoreCase)))
            {
                return $"'with {facts.With}'";
            }

            if (facts.Convention == FromConvention.LocalUser && facts.Address is null)
            {
                return "local submission by a user";
            }

            var name = b.From ?? facts.FromValue;
            if (name != null && facts.By != null && SameHost(name, facts.By)
                && (facts.Address is null || string.Equals(facts.Address, facts.ByAddress, StringComparison.OrdinalIgnoreCase) || (b.FromReverseName != null && SameHost(b.FromReverseName, facts.By)) || IsLinkLocal(facts.Address)))
            {
                return "the sending and receiving host are the same";
            }

            if (facts.Address is null && HostText.IsLocalhost(name))
            {
                return "localhost";
            }

            return null;
        }

        private static (HopTls Tls, TlsEvidence Evidence) Tls(ReceivedFacts facts, WithProtocolInfo? withInfo, string? localReason)
        {
            if (localReason != null)
            {
                return (HopTls.Local, TlsEvidence.LocalHop);
            }

            if (facts.TlsStated || facts.ExchangeTlsMarker)
            {
                return (HopTls.Encrypted, TlsEvidence.TlsComment);
            }

            if (facts.TlsClause)
            {
                return (HopTls.Encrypted, TlsEvidence.TlsClause);
            }

            if (facts.GoogleTransport)
            {
                return (HopTls.Encrypted, TlsEvidence.ProductConvention);
            }

            if (withInfo?.Tls != null)
            {
                var evidence = withInfo.Registered ? TlsEvidence.WithKeyword : TlsEvidence.NonIanaProtocol;
                return (withInfo.Tls.Value ? HopTls.Encrypted : HopTls.Cleartext, evidence);
            }

            if (facts.Exchange)
            {
                // Exchange writes "(version=..., cipher=...)" (older builds "(TLS)") after its WITH value whenever TLS was used.
                return (HopTls.Cleartext, TlsEvidence.ProductConvention);
            }

            return (HopTls.Unknown, TlsEvidence.None);
        }

        private static void Findings(ReceivedFacts facts, MessageHopBuilder b, string label, string route, string target, WithProtocolInfo? withInfo, string raw)
        {
            var findings = b.Findings;
            if (facts.Stamp.Truncated)
            {
                findings.Add(ReceivedFindings.Unparsed.Create($"{label}: the Received field is {raw.Length.ToString(CultureInfo.InvariantCulture)} characters long; only the first {ReceivedHeaderParser.MaxLength.ToString(CultureInfo.InvariantCulture)} were read.", "Received"));
            }

            if (!b.Parsed)
            {
                findings.Add(ReceivedFindings.Unparsed.Create($"{label}: the Received field has neither a FROM nor a BY clause and is kept raw: '{Shorten(raw)}'.", "Received"));
            }
            else if (facts.NotUnderstood.Count > 0)
            {
                findings.Add(ReceivedFindings.Unparsed.Create($"{label} ({route}): the text '{Shorten(string.Join(" ", facts.NotUnderstood))}' was not understood and is ignored; the rest of the field was read. The field: '{Shorten(raw)}'.", target));
            }

            if (facts.Stamp.Unbalanced)
            {
                findings.Add(ReceivedFindings.Unparsed.Create($"{label}: the Received field has unbalanced parentheses, brackets or quotes; the parts after the break may be misread. The field: '{Shorten(raw)}'.", "Received"));
            }

            if (facts.With != null && withInfo?.Registered != true)
            {
                findings.Add(ReceivedFindings.NonIanaProtocol.Create(
                    withInfo is null
                        ? $"{label} ({route}) uses the WITH value '{DomainName.Printable(facts.With)}', which is neither registered nor a known variant; it says nothing about TLS."
                        : $"{label} ({route}) uses the unregistered WITH value '{facts.With}': {withInfo.Meaning}.",
                    target));
            }

            AddressScope? scope = null;
            if (facts.Address != null && AddressScopeClassifier.TryParse(facts.Address, out var ip, out _) && ip != null)
            {
                scope = AddressScopeClassifier.Classify(ip);
            }

            if (b.Parsed && b.Tls == HopTls.Cleartext)
            {
                var internalHop = scope == AddressScope.Private || scope == AddressScope.LinkLocal;
                findings.Add(ReceivedFindings.CleartextHop.Create(
                    $"{label} ({route}) was not encrypted: {(b.TlsEvidence == TlsEvidence.ProductConvention ? "Exchange recorded no TLS version or cipher" : $"'with {facts.With}' means no STARTTLS")}{(internalHop ? ", inside a private network" : string.Empty)}.",
                    target,
                    internalHop ? Severity.Info : (Severity?)null));
            }
            else if (b.Parsed && b.Tls == HopTls.Unknown)
            {
                findings.Add(ReceivedFindings.NoTlsInformation.Create($"{label} ({route}) does not say whether it was encrypted{(facts.With is null ? " (no WITH clause)" : $" ('with {DomainName.Printable(facts.With)}')")}.", target));
            }

            if (b.TlsVersion is "SSLv3" or "SSLv2" or "TLSv1.0" or "TLSv1.1")
            {
                findings.Add(ReceivedFindings.WeakTlsVersion.Create($"{label} ({route}) used {b.TlsVersion}, which is deprecated.", target));
            }

            var fromIsBy = b.From != null && facts.By != null && string.Equals(b.From, facts.By, StringComparison.OrdinalIgnoreCase);
            if (facts.AddressInvalid && facts.Address is null)
            {
                findings.Add(ReceivedFindings.ForgedLooking.Create($"{label} ({route}) records an address literal that is not a valid IP address; no MTA writes that.", target));
            }
            else if (scope == AddressScope.Unroutable)
            {
                findings.Add(ReceivedFindings.ForgedLooking.Create($"{label} ({route}) claims a connection from {facts.Address}, an address that can never be the source of a TCP connection.", target));
            }

            if (fromIsBy && b.Tls != HopTls.Local && scope == AddressScope.Public)
            {
                findings.Add(ReceivedFindings.ForgedLooking.Create($"{label}: a client at {facts.Address} greeted {facts.By} with {facts.By}'s own name, a common sign of a forged or spoofing sender.", target));
            }
        }

        private static void Date(ReceivedStamp stamp, MessageHopBuilder b, string label, string route, string target)
        {
            b.DateText = stamp.DateText;
            b.DateState = ReceivedDateReader.Read(stamp.DateText, out var parsedDate, out var problem);
            if (b.DateState == ReceivedDateState.Valid || b.DateState == ReceivedDateState.Obsolete)
            {
                b.Timestamp = parsedDate;
            }

            if (!b.Parsed && stamp.DateText is null)
            {
                return;
            }

            switch (b.DateState)
            {
                case ReceivedDateState.Missing:
                    b.Findings.Add(ReceivedFindings.MissingDate.Create($"{label} ({route}) has no date-time{(!stamp.HasSemicolon ? " (no ';' separator)" : string.Empty)}.", target));
                    break;
                case ReceivedDateState.Invalid:
                    b.Findings.Add(ReceivedFindings.InvalidDate.Create($"{label} ({route}) has the date-time '{Shorten(stamp.DateText ?? string.Empty)}', which is not valid: {problem}.", target));
                    break;
                case ReceivedDateState.Obsolete:
                    b.Findings.Add(ReceivedFindings.ObsoleteDate.Create($"{label} ({route}) has the date-time '{Shorten(stamp.DateText ?? string.Empty)}' in an obsolete form: {problem}.", target));
                    break;
            }

            if (stamp.DateWithoutSemicolon && b.DateState != ReceivedDateState.Missing)
            {
                b.Findings.Add(ReceivedFindings.ObsoleteDate.Create($"{label} ({route}) has no ';' before its date-time, which RFC 5321 §4.4 requires; the date was read from the end of the field.", target));
            }
        }

        /// <summary>The same host: equal names, or one is the other's first label (<c>senmail2</c> / <c>senmail2.senate.gov</c>).</summary>
        private static bool SameHost(string a, string b)
        {
            var x = HostText.Trim(a);
            var y = HostText.Trim(b);
            if (string.Equals(x, y, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            var shortX = x.IndexOf('.') < 0;
            var shortY = y.IndexOf('.') < 0;
            return (shortX && !shortY && y.StartsWith(x + ".", StringComparison.OrdinalIgnoreCase)) || (shortY && !shortX && x.StartsWith(y + ".", StringComparison.OrdinalIgnoreCase));
        }

        private static bool IsLinkLocal(string address)
            => AddressScopeClassifier.TryParse(address, out var ip, out _) && ip != null && AddressScopeClassifier.Classify(ip) == AddressScope.LinkLocal;

        private static string Shorten(string s) => DisplayText.Shorten(s, 120);
    }
}
