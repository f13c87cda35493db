using System;
using System.Collections.Generic;
using System.Linq;

namespace MailSecurity
{
    /// <summary>Whether one hop of a message was encrypted, as its Received field tells it.</summary>
    public enum HopTls
    {
        /// <summary>The field does not say (no registered WITH value, no TLS details).</summary>
        Unknown = 0,
        /// <summary>The field says the hop was not encrypted (e.g. <c>with ESMTP</c>).</summary>
        Cleartext,
        /// <summary>The field says the hop was encrypted (e.g. <c>with ESMTPS</c> or a TLS comment).</summary>
        Encrypted,
        /// <summary>No network was crossed: a hand-off inside one host (local submission, loopback, LMTP on the same host, qmail-queue).</summary>
        Local,
    }

    /// <summary>How the date-time part of a Received field was read.</summary>
    public enum ReceivedDateState
    {
        /// <summary>A valid RFC 5322 date-time.</summary>
        Valid,
        /// <summary>Readable, but in an obsolete form (RFC 5322 §4.3) or without a zone.</summary>
        Obsolete,
        /// <summary>No ';' or nothing after it.</summary>
        Missing,
        /// <summary>Present but not a valid date-time.</summary>
        Invalid,
    }

    /// <summary>Where a hop's TLS verdict came from.</summary>
    public enum TlsEvidence
    {
        /// <summary>Nothing in the field speaks to TLS.</summary>
        None = 0,
        /// <summary>A registered WITH keyword (RFC 3848 / RFC 6531 §4.3): an <c>S</c> suffix means STARTTLS was used, none means it was not.</summary>
        WithKeyword,
        /// <summary>TLS details in a comment (Postfix <c>using TLSv1.3 with cipher ...</c>, Sendmail/Gmail/Exchange <c>version=... cipher=...</c>, Exim <c>(TLS1.3)</c>).</summary>
        TlsComment,
        /// <summary>The RFC 8314 §4.3 <c>tls</c> additional clause naming the cipher suite.</summary>
        TlsClause,
        /// <summary>A product convention: Exchange omits the version comment when it did not use TLS; Google writes "Google Transport Security".</summary>
        ProductConvention,
        /// <summary>A WITH value outside the IANA registry (HTTPS, SMTPS, HTTP...), interpreted heuristically.</summary>
        NonIanaProtocol,
        /// <summary>The hop never left the host (loopback address, no FROM clause, <c>with local</c>, qmail-queue).</summary>
        LocalHop,
    }

    /// <summary>Where a hop's "authenticated submission" verdict came from (several may apply).</summary>
    [Flags]
    public enum AuthenticationEvidence
    {
        /// <summary>Nothing in the field says the client authenticated.</summary>
        None = 0,
        /// <summary>The WITH value says so (<c>ESMTPA</c>, <c>ESMTPSA</c>, <c>LMTPA</c>, RFC 3848; <c>asmtp</c>, <c>mapi</c> by convention).</summary>
        WithKeyword = 1,
        /// <summary>A comment or note says so (<c>(Authenticated sender: ...)</c>, <c>(authenticated bits=0)</c>, <c>(AUTH: LOGIN ...)</c>, <c>(account ...)</c>).</summary>
        Comment = 2,
    }

    /// <summary>
    /// One hop of a message's path, read from one <c>Received:</c> field (RFC 5321 §4.4). Hops are numbered
    /// from 1 = the oldest (the bottom-most Received field) to N = the newest (the top-most).
    /// <see cref="Message.ReceivedHeaderParser"/> reads a field into a hop; the path then places it (index, delay
    /// since the hop below, ordering findings).
    /// </summary>
    public sealed class MessageHop
    {
        /// <summary>Creates a hop from its builder (the values are copied).</summary>
        internal MessageHop(MessageHopBuilder b)
        {
            Index = b.Index;
            From = b.From;
            FromReverseName = b.FromReverseName;
            FromAddress = b.FromAddress;
            By = b.By;
            ByAddress = b.ByAddress;
            With = b.With;
            WithProtocol = b.WithProtocol;
            Via = b.Via;
            Id = b.Id;
            For = b.For;
            Software = b.Software;
            Tls = b.Tls;
            TlsEvidence = b.TlsEvidence;
            TlsVersion = b.TlsVersion;
            Cipher = b.Cipher;
            Authenticated = b.AuthenticationEvidence != AuthenticationEvidence.None;
            AuthenticationEvidence = b.AuthenticationEvidence;
            AuthenticationMethod = b.AuthenticationMethod;
            AuthenticatedUser = b.AuthenticatedUser;
            Timestamp = b.Timestamp;
            Delay = b.Delay;
            DateText = b.DateText;
            DateState = b.DateState;
            Parsed = b.Parsed;
            Raw = b.Raw;
            Findings = new FindingList(b.Findings);
        }

        /// <summary>Position in the path: 1 = oldest (bottom-most Received field).</summary>
        public int Index { get; }

        /// <summary>The name the sending host gave in EHLO/HELO (the FROM clause), as written; may be an address literal.</summary>
        public string? From { get; }

        /// <summary>The sending host's reverse-DNS name as the receiver recorded it, when it did; <c>null</c> for "unknown".</summary>
        public string? FromReverseName { get; }

        /// <summary>The sending host's IP address from the TCP connection (IPv4 or IPv6, without brackets).</summary>
        public string? FromAddress { get; }

        /// <summary>The receiving host (the BY clause).</summary>
        public string? By { get; }

        /// <summary>The receiving host's own address, when recorded (Exchange does).</summary>
        public string? ByAddress { get; }

        /// <summary>The WITH value as written (e.g. <c>ESMTPS</c>, <c>esmtpsa</c>, <c>Microsoft SMTP Server</c>, <c>LMTP</c>).</summary>
        public string? With { get; }

        /// <summary>What the WITH value means (registered or heuristic), or <c>null</c> when there is none.</summary>
        public WithProtocolInfo? WithProtocol { get; }

        /// <summary>The VIA clause (e.g. <c>Frontend Transport</c>, <c>HTTP</c>).</summary>
        public string? Via { get; }

        /// <summary>The ID clause (the receiver's queue or message id).</summary>
        public string? Id { get; }

        /// <summary>The FOR clause (the envelope recipient of this copy).</summary>
        public string? For { get; }

        /// <summary>The receiving software when the field names it (Postfix, Exim 4.96, Microsoft SMTP Server, sendmail 8.17.1...).</summary>
        public string? Software { get; }

        /// <summary>Whether the hop was encrypted.</summary>
        public HopTls Tls { get; }

        /// <summary>Where the <see cref="Tls"/> verdict came from.</summary>
        public TlsEvidence TlsEvidence { get; }

        /// <summary>TLS version when stated, normalised (<c>TLSv1.3</c>, <c>TLSv1.2</c>, <c>TLSv1.0</c>, <c>SSLv3</c>).</summary>
        public string? TlsVersion { get; }

        /// <summary>Cipher suite when stated, as written.</summary>
        public string? Cipher { get; }

        /// <summary>True when the hop records an authenticated submission (ESMTPA/ESMTPSA..., "Authenticated sender", "authenticated bits=").</summary>
        public bool Authenticated { get; }

        /// <summary>What says the client authenticated: the WITH keyword, a comment, or both.</summary>
        public AuthenticationEvidence AuthenticationEvidence { get; }

        /// <summary>The SASL mechanism when the field names it (<c>LOGIN</c>, <c>PLAIN</c>).</summary>
        public string? AuthenticationMethod { get; }

        /// <summary>The authenticated identity when the field names it (Postfix "Authenticated sender: ...", Kerio "authenticated user ...", Courier "AUTH: LOGIN user").</summary>
        public string? AuthenticatedUser { get; }

        /// <summary>When the receiving host says it received the message; <c>null</c> when the date is missing or invalid.</summary>
        public DateTimeOffset? Timestamp { get; }

        /// <summary>Time since the previous hop's timestamp (negative = clock skew or reordering); <c>null</c> for the first hop or when a date is missing.</summary>
        public TimeSpan? Delay { get; }

        /// <summary>The date-time text after the ';', as written.</summary>
        public string? DateText { get; }

        /// <summary>How the date-time was read (valid, obsolete form, missing, invalid).</summary>
        public ReceivedDateState DateState { get; }

        /// <summary>False when the field could not be interpreted (see <see cref="Raw"/> and the findings).</summary>
        public bool Parsed { get; }

        /// <summary>The field's value, unfolded, exactly as received.</summary>
        public string Raw { get; }

        /// <summary>Findings about this hop.</summary>
        public IReadOnlyList<Finding> Findings { get; }

        /// <summary>This hop placed in a path: its position, the delay since the hop below, and the path's findings about it added.</summary>
        internal MessageHop InPath(int index, TimeSpan? delay, IEnumerable<Finding> pathFindings)
        {
            var b = MessageHopBuilder.CopyOf(this);
            b.Index = index;
            b.Delay = delay;
            b.Findings.AddRange(pathFindings);
            return new MessageHop(b);
        }

        /// <summary>A short description such as <c>mail.example.org [192.0.2.10] -> mx.example.net</c>.</summary>
        public string Route
        {
            get
            {
                var from = From ?? FromReverseName ?? (FromAddress is null ? "(local)" : string.Empty);
                var address = FromAddress is null ? string.Empty : (from.Length > 0 ? " " : string.Empty) + "[" + FromAddress + "]";
                return $"{from}{address} -> {By ?? "(unknown)"}";
            }
        }

        /// <inheritdoc />
        public override string ToString() => $"{Index}: {Route} {With} {Tls}{(TlsVersion is null ? string.Empty : " " + TlsVersion)}";
    }

    /// <summary>Collects the values of a <see cref="MessageHop"/> while a Received field is read.</summary>
    internal sealed class MessageHopBuilder
    {
        public int Index { get; set; }

        public string? From { get; set; }

        public string? FromReverseName { get; set; }

        public string? FromAddress { get; set; }

        public string? By { get; set; }

        public string? ByAddress { get; set; }

        public string? With { get; set; }

        public WithProtocolInfo? WithProtocol { get; set; }

        public string? Via { get; set; }

        public string? Id { get; set; }

        public string? For { get; set; }

        public string? Software { get; set; }

        public HopTls Tls { get; set; }

        public TlsEvidence TlsEvidence { get; set; }

        public string? TlsVersion { get; set; }

        public string? Cipher { get; set; }

        public AuthenticationEvidence AuthenticationEvidence { get; set; }

        public string? AuthenticationMethod { get; set; }

        public string? AuthenticatedUser { get; set; }

        public DateTimeOffset? Timestamp { get; set; }

        public TimeSpan? Delay { get; set; }

        public string? DateText { get; set; }

        public ReceivedDateState DateState { get; set; }

        public bool Parsed { get; set; }

        public string Raw { get; set; } = string.Empty;

        public List<Finding> Findings { get; } = new List<Finding>();

        /// <summary>A builder holding a hop's values, to derive a changed copy.</summary>
        public static MessageHopBuilder CopyOf(MessageHop h)
        {
            var b = new MessageHopBuilder
            {
                Index = h.Index, From = h.From, FromReverseName = h.FromReverseName, FromAddress = h.FromAddress, By = h.By, ByAddress = h.ByAddress,
                With = h.With, WithProtocol = h.WithProtocol, Via = h.Via, Id = h.Id, For = h.For, Software = h.Software, Tls = h.Tls,
                TlsEvidence = h.TlsEvidence, TlsVersion = h.TlsVersion, Cipher = h.Cipher, AuthenticationEvidence = h.AuthenticationEvidence,
                AuthenticationMethod = h.AuthenticationMethod, AuthenticatedUser = h.AuthenticatedUser, Timestamp = h.Timestamp, Delay = h.Delay,
                DateText = h.DateText, DateState = h.DateState, Parsed = h.Parsed, Raw = h.Raw,
            };
            b.Findings.AddRange(h.Findings);
            return b;
        }
    }

    /// <summary>The meaning of a WITH protocol value (IANA "WITH protocol types", SPEC §7.7).</summary>
    public sealed class WithProtocolInfo
    {
        /// <summary>Creates an entry.</summary>
        public WithProtocolInfo(string keyword, bool registered, bool? tls, bool? authenticated, bool local, string meaning, string reference)
        {
            Keyword = keyword;
            Registered = registered;
            Tls = tls;
            Authenticated = authenticated;
            Local = local;
            Meaning = meaning;
            Reference = reference;
        }

        /// <summary>The keyword in upper case (<c>ESMTPSA</c>).</summary>
        public string Keyword { get; }

        /// <summary>True when the value is in the IANA registry.</summary>
        public bool Registered { get; }

        /// <summary>True: STARTTLS/TLS was used; false: it was not; null: the keyword does not say.</summary>
        public bool? Tls { get; }

        /// <summary>True: SMTP AUTH was used; false: it was not; null: the keyword does not say.</summary>
        public bool? Authenticated { get; }

        /// <summary>True when the keyword denotes a hand-off inside one host.</summary>
        public bool Local { get; }

        /// <summary>What the keyword means, in plain words.</summary>
        public string Meaning { get; }

        /// <summary>The defining document.</summary>
        public string Reference { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Keyword}: {Meaning}";
    }
}
