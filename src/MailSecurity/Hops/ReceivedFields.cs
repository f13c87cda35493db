using System;
using System.Collections.Generic;

namespace MailSecurity.Hops
{
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

    /// <summary>
    /// Everything <see cref="ReceivedHeaderParser"/> reads from one Received field, before the field is placed in a
    /// path (which adds its index and the delay since the previous hop, see <see cref="MessageHop"/>).
    /// </summary>
    public sealed class ReceivedFields
    {
        internal ReceivedFields(
            string raw,
            bool parsed,
            string? from,
            string? fromReverseName,
            string? fromAddress,
            string? by,
            string? byAddress,
            string? with,
            WithProtocolInfo? withProtocol,
            string? via,
            string? id,
            string? forRecipient,
            string? software,
            HopTls tls,
            TlsEvidence tlsEvidence,
            string? tlsVersion,
            string? cipher,
            bool authenticated,
            string? authenticatedUser,
            string? dateText,
            DateTimeOffset? timestamp,
            ReceivedDateState dateState,
            IReadOnlyList<Finding> findings)
        {
            Raw = raw;
            Parsed = parsed;
            From = from;
            FromReverseName = fromReverseName;
            FromAddress = fromAddress;
            By = by;
            ByAddress = byAddress;
            With = with;
            WithProtocol = withProtocol;
            Via = via;
            Id = id;
            For = forRecipient;
            Software = software;
            Tls = tls;
            TlsEvidence = tlsEvidence;
            TlsVersion = tlsVersion;
            Cipher = cipher;
            Authenticated = authenticated;
            AuthenticatedUser = authenticatedUser;
            DateText = dateText;
            Timestamp = timestamp;
            DateState = dateState;
            Findings = findings;
        }

        /// <summary>The field value, unfolded.</summary>
        public string Raw { get; }

        /// <summary>False when the field could not be interpreted.</summary>
        public bool Parsed { get; }

        /// <summary>EHLO/HELO name of the sender.</summary>
        public string? From { get; }

        /// <summary>Reverse-DNS name of the sender as recorded.</summary>
        public string? FromReverseName { get; }

        /// <summary>Sender IP address.</summary>
        public string? FromAddress { get; }

        /// <summary>Receiving host.</summary>
        public string? By { get; }

        /// <summary>Receiving host address, when recorded.</summary>
        public string? ByAddress { get; }

        /// <summary>WITH value as written.</summary>
        public string? With { get; }

        /// <summary>Meaning of the WITH value.</summary>
        public WithProtocolInfo? WithProtocol { get; }

        /// <summary>VIA clause.</summary>
        public string? Via { get; }

        /// <summary>ID clause.</summary>
        public string? Id { get; }

        /// <summary>FOR clause.</summary>
        public string? For { get; }

        /// <summary>Receiving software, when named.</summary>
        public string? Software { get; }

        /// <summary>Whether the hop was encrypted.</summary>
        public HopTls Tls { get; }

        /// <summary>Where the TLS verdict came from.</summary>
        public TlsEvidence TlsEvidence { get; }

        /// <summary>Normalised TLS version.</summary>
        public string? TlsVersion { get; }

        /// <summary>Cipher suite.</summary>
        public string? Cipher { get; }

        /// <summary>Authenticated submission.</summary>
        public bool Authenticated { get; }

        /// <summary>Authenticated user, when named.</summary>
        public string? AuthenticatedUser { get; }

        /// <summary>Date-time text after the ';'.</summary>
        public string? DateText { get; }

        /// <summary>The date-time, when readable.</summary>
        public DateTimeOffset? Timestamp { get; }

        /// <summary>How the date-time was read.</summary>
        public ReceivedDateState DateState { get; }

        /// <summary>Findings about the field alone (the path adds ordering findings).</summary>
        public IReadOnlyList<Finding> Findings { get; }
    }
}
