using System;
using System.Collections.Generic;
using System.Linq;
using DnsClient.Protocol;

namespace MailSecurity.Dns
{
    /// <summary>
    /// What one response says about DNSSEC, kept with its <see cref="DnsAnswer"/> for whoever settles the answer's state
    /// (<see cref="IDnssecClassifier"/>): the AD bit and the answer and authority sections as received, signatures,
    /// NSEC/NSEC3 denial records and SOA included. Immutable.
    /// </summary>
    internal sealed class DnsResponseEvidence
    {
        /// <summary>No response (a failure, an invalid name, or an answer scripted in a test).</summary>
        public static readonly DnsResponseEvidence None = new DnsResponseEvidence(false, Array.Empty<DnsResourceRecord>(), Array.Empty<DnsResourceRecord>());

        public DnsResponseEvidence(bool authenticData, IReadOnlyList<DnsResourceRecord> answerSection, IReadOnlyList<DnsResourceRecord> authoritySection)
        {
            AuthenticData = authenticData;
            AnswerSection = answerSection ?? throw new ArgumentNullException(nameof(answerSection));
            AuthoritySection = authoritySection ?? throw new ArgumentNullException(nameof(authoritySection));
        }

        private IReadOnlyList<RRSigRecord>? _signatures;

        /// <summary>The AD bit of the response header (RFC 4035 §3.2.3).</summary>
        public bool AuthenticData { get; }

        /// <summary>Every record of the answer section, CNAMEs and RRSIGs included.</summary>
        public IReadOnlyList<DnsResourceRecord> AnswerSection { get; }

        /// <summary>Every record of the authority section (SOA, NSEC, NSEC3, their RRSIGs) as received.</summary>
        public IReadOnlyList<DnsResourceRecord> AuthoritySection { get; }

        /// <summary>The RRSIG records of both sections.</summary>
        public IReadOnlyList<RRSigRecord> Signatures
            => _signatures ??= AnswerSection.OfType<RRSigRecord>().Concat(AuthoritySection.OfType<RRSigRecord>()).ToList(); // on demand: most answers never need it

        /// <summary>
        /// The signatures over the RRset <paramref name="owner"/>/<paramref name="type"/> (owner normalised: lower case, no
        /// trailing dot); for a denial (NODATA, NXDOMAIN) pass <c>null</c> as type to get the authority section's signatures.
        /// </summary>
        public IReadOnlyList<RRSigRecord> SignaturesOver(string owner, DnsClient.QueryType? type)
            => type is null
                ? AuthoritySection.OfType<RRSigRecord>().ToList()
                : AnswerSection.OfType<RRSigRecord>()
                    .Where(s => (int)s.CoveredType == (int)type.Value && string.Equals(DomainName.FromResponse(s.DomainName), owner, StringComparison.Ordinal))
                    .ToList();
    }
}
