using System;
using System.Collections.Generic;

namespace MailSecurity
{
    /// <summary>Which kind of presented identifier matched a reference name.</summary>
    public enum HostNameMatchSource
    {
        /// <summary>Nothing matched.</summary>
        None = 0,
        /// <summary>A subjectAltName dNSName (DNS-ID, RFC 6125 §6.4).</summary>
        DnsId,
        /// <summary>The subject common name, used only because the certificate has no DNS-ID (RFC 6125 §6.4.4).
        /// MTA-STS senders do not accept this (RFC 8461 §3.3, §4.2: DNS-IDs only).</summary>
        CommonName,
    }

    /// <summary>The outcome of matching a certificate's names against a reference identifier. Immutable.</summary>
    public sealed class HostNameMatch
    {
        /// <summary>Creates a result.</summary>
        public HostNameMatch(string referenceName, bool matches, string? matchedIdentifier, HostNameMatchSource source, IReadOnlyList<string> dnsIds, IReadOnlyList<string> commonNames, string explanation)
        {
            ReferenceName = referenceName ?? string.Empty;
            Matches = matches;
            MatchedIdentifier = matchedIdentifier;
            Source = source;
            DnsIds = dnsIds ?? Array.Empty<string>();
            CommonNames = commonNames ?? Array.Empty<string>();
            Explanation = explanation ?? string.Empty;
        }

        /// <summary>The name the certificate was checked against (lower-case A-labels).</summary>
        public string ReferenceName { get; }

        /// <summary>True when a presented identifier matches the reference name.</summary>
        public bool Matches { get; }

        /// <summary>The presented identifier that matched (e.g. <c>*.example.com</c>), or <c>null</c>.</summary>
        public string? MatchedIdentifier { get; }

        /// <summary>Whether the match came from a DNS-ID or, lacking any, from the common name.</summary>
        public HostNameMatchSource Source { get; }

        /// <summary>The certificate's subjectAltName dNSName entries (lower case), in certificate order.</summary>
        public IReadOnlyList<string> DnsIds { get; }

        /// <summary>The subject's common names (lower case), in certificate order.</summary>
        public IReadOnlyList<string> CommonNames { get; }

        /// <summary>Why it matched or did not, in one sentence.</summary>
        public string Explanation { get; }

        /// <inheritdoc />
        public override string ToString() => Explanation;
    }
}
