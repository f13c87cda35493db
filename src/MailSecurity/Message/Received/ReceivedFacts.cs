using System;
using System.Collections.Generic;

namespace MailSecurity.Message.Received
{
    /// <summary>How the FROM clause's value is to be read, which depends on the MTA that wrote the field.</summary>
    internal enum FromConvention
    {
        /// <summary>RFC 5321 §4.4: the FROM value is the HELO/EHLO name; a TCP-info comment may add the reverse name (Postfix, Sendmail, Exchange).</summary>
        HeloFirst = 0,
        /// <summary>The FROM value is the receiver's verified reverse name, an address, or <c>unknown</c>; the HELO name is shown apart only when it differs (Exim, qmail, ZMailer, CommuniGate, smap).</summary>
        ReverseFirst,
        /// <summary>The FROM value names a local user or sender, not a host (Exim local submissions, content scanners).</summary>
        LocalUser,
        /// <summary>The FROM value is a server a retriever polled (fetchmail): neither a HELO name nor a verified reverse name.</summary>
        PolledServer,
        /// <summary>The FROM value identifies an API client, not a host (the Gmail API's project number).</summary>
        ApiClient,
    }

    /// <summary>
    /// What the readers of one Received field have established, before any verdict: the parsing half of the parser.
    /// Every property is as the field states it; <see cref="ReceivedHopJudge"/> decides what it means.
    /// </summary>
    internal sealed class ReceivedFacts
    {
        public ReceivedFacts(ReceivedStamp stamp) => Stamp = stamp;

        public ReceivedStamp Stamp { get; }

        // ---- FROM side ----

        /// <summary>The FROM clause's value as written (trailing dot removed), or <c>null</c>.</summary>
        public string? FromValue { get; set; }

        /// <summary>True when the FROM value is an address literal or a bare address.</summary>
        public bool FromValueIsAddress { get; set; }

        /// <summary>How to read <see cref="FromValue"/>.</summary>
        public FromConvention Convention { get; set; }

        /// <summary>The HELO/EHLO/LHLO name a comment states explicitly (<c>helo=</c>, <c>(HELO x)</c>, <c>"EHLO x"</c>); empty when the client sent an empty one.</summary>
        public string? ExplicitHelo { get; set; }

        /// <summary>The reverse name a TCP-info comment states (<c>(name [addr])</c>).</summary>
        public string? CommentReverseName { get; set; }

        /// <summary>The client address, normalised (IPv4-mapped IPv6 read as IPv4, no zone, no port).</summary>
        public string? Address { get; set; }

        /// <summary>True when an address literal was present but is not an IP address (<c>[Masked]</c>, <c>[?.?.?.?]</c>).</summary>
        public bool AddressInvalid { get; set; }

        /// <summary>True when the literal names a local socket (<c>[local]</c>, <c>[unix socket]</c>, <c>[UNIX: localhost]</c>).</summary>
        public bool LocalSocket { get; set; }

        /// <summary>The RFC 1413 ident or remote-info user (<c>foobar@213.228.0.129</c>), when stated.</summary>
        public string? Ident { get; set; }

        // ---- BY side ----

        public string? By { get; set; }

        public string? ByAddress { get; set; }

        /// <summary>The receiving software when stated.</summary>
        public string? Software { get; set; }

        // ---- other clauses ----

        public string? With { get; set; }

        public string? Via { get; set; }

        public string? Id { get; set; }

        public string? For { get; set; }

        // ---- TLS ----

        public string? TlsVersion { get; set; }

        public string? Cipher { get; set; }

        /// <summary>True when a comment or tag states that TLS was used (a version, a cipher, "encrypted", "with STARTTLS").</summary>
        public bool TlsStated { get; set; }

        /// <summary>True when the RFC 8314 §4.3 <c>tls</c> clause names the cipher suite.</summary>
        public bool TlsClause { get; set; }

        /// <summary>True when Exchange marks the hop <c>(TLS)</c> without details.</summary>
        public bool ExchangeTlsMarker { get; set; }

        /// <summary>True when the field names Microsoft's transport (the product convention: no version comment = no TLS).</summary>
        public bool Exchange { get; set; }

        /// <summary>True for Google's "Google Transport Security" note.</summary>
        public bool GoogleTransport { get; set; }

        // ---- authentication ----

        /// <summary>True when a comment or text says the client authenticated.</summary>
        public bool AuthByComment { get; set; }

        /// <summary>The SASL mechanism when stated (<c>LOGIN</c>, <c>PLAIN</c>).</summary>
        public string? AuthMechanism { get; set; }

        /// <summary>The authenticated identity when stated.</summary>
        public string? AuthUser { get; set; }

        // ---- locality and understanding ----

        /// <summary>Why a reader knows the hop never left the host (qmail-queue, a content scanner, a local channel), or <c>null</c>.</summary>
        public string? LocalReason { get; set; }

        /// <summary>True when a reader recognised a stamp that has neither FROM nor BY but is understood (qmail-queue records).</summary>
        public bool RecognisedStamp { get; set; }

        /// <summary>Text the grammar placed but no reader could interpret.</summary>
        public List<string> NotUnderstood { get; } = new List<string>();

        /// <summary>Values of the FROM and BY clauses beyond the first that a reader took (index into the clause's values).</summary>
        public HashSet<(ReceivedClause Clause, int Index)> ClaimedValues { get; } = new HashSet<(ReceivedClause, int)>();

        /// <summary>Sets the TLS version if not set yet, normalised.</summary>
        public void SetVersion(string? version)
        {
            if (TlsVersion is null && !string.IsNullOrWhiteSpace(version))
            {
                TlsVersion = TlsVersionText.Normalize(version);
            }
        }

        /// <summary>Sets the cipher if not set yet.</summary>
        public void SetCipher(string? cipher)
        {
            if (Cipher is null && !string.IsNullOrWhiteSpace(cipher))
            {
                Cipher = cipher!.Trim().TrimEnd(',', ';');
            }
        }

        /// <summary>Records an authenticated submission stated by a comment.</summary>
        public void SetAuthenticated(string? user = null, string? mechanism = null)
        {
            AuthByComment = true;
            if (AuthUser is null && !string.IsNullOrWhiteSpace(user))
            {
                AuthUser = user!.Trim().TrimEnd(',', ';');
            }

            if (AuthMechanism is null && !string.IsNullOrWhiteSpace(mechanism))
            {
                AuthMechanism = mechanism!.Trim().TrimEnd(',').ToUpperInvariant();
            }
        }

        /// <summary>Records the client address from a literal or bare address (the first one wins).</summary>
        public bool TrySetAddress(string text)
        {
            if (Address != null)
            {
                return AddressText.TryRead(text, out _);
            }

            if (AddressText.TryRead(text, out var normalized))
            {
                Address = normalized;
                return true;
            }

            return false;
        }
    }
}
