using System;
using System.Collections.Generic;
using System.Linq;
using DnsClient;
using DnsClient.Protocol;

namespace MailSecurity.Dns
{
    /// <summary>One link of a CNAME chain, with its own DNSSEC state (RFC 7672 §2.1.3).</summary>
    internal sealed class CnameLink
    {
        /// <summary>Creates a link.</summary>
        public CnameLink(string name, string target, DnssecStatus dnssecStatus, int ttl)
        {
            Name = name;
            Target = target;
            DnssecStatus = dnssecStatus;
            Ttl = ttl;
        }

        /// <summary>The alias (owner of the CNAME record), without trailing dot.</summary>
        public string Name { get; }

        /// <summary>The canonical name it points to, without trailing dot.</summary>
        public string Target { get; }

        /// <summary>DNSSEC state of this link; once a link is insecure, every later link is insecure too.</summary>
        public DnssecStatus DnssecStatus { get; }

        /// <summary>TTL of the CNAME record in seconds.</summary>
        public int Ttl { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Name} -> {Target} ({DnssecStatus})";
    }

    /// <summary>
    /// The outcome of one DNS question: status, DNSSEC state, the records of the asked type at the end of
    /// any CNAME chain, the chain itself and the evidence needed to explain it. Immutable.
    /// </summary>
    /// <remarks>
    /// As <see cref="DnsResolver.QueryAsync"/> returns it, the DNSSEC state is what the response itself says (AD bit,
    /// signatures present, failure): signed data without AD is <see cref="DnssecStatus.Unvalidated"/>. Only
    /// <see cref="DnsResolver.DetermineDnssecAsync"/> settles that, with extra queries; it returns a copy.
    /// </remarks>
    internal sealed class DnsAnswer
    {
        internal DnsAnswer(
            string queryName,
            QueryType queryType,
            DnsLookupStatus status,
            string responseCode,
            DnssecStatus dnssecStatus,
            IReadOnlyList<DnsResourceRecord> records,
            IReadOnlyList<CnameLink> cnameChain,
            string server,
            TimeSpan elapsed,
            string? errorMessage,
            DnsResponseEvidence? evidence = null)
        {
            QueryName = queryName;
            QueryType = queryType;
            Status = status;
            ResponseCode = responseCode;
            DnssecStatus = dnssecStatus;
            Records = records;
            CnameChain = cnameChain;
            Server = server;
            Elapsed = elapsed;
            ErrorMessage = errorMessage;
            Evidence = evidence ?? DnsResponseEvidence.None;
            DnssecSource = DnssecSource.Response;
        }

        private DnsAnswer(DnsAnswer answer, DnssecClassification classification, bool locallyBogus)
            : this(answer.QueryName, answer.QueryType,
                // Data our own validation finds bogus is withheld as a validating resolver withholds it (SERVFAIL, RFC 4035
                // §5.5), so every verdict treats it as a lookup failure (RFC 7672 §2.1.1), never as data.
                locallyBogus ? DnsLookupStatus.ServerFailure : answer.Status,
                answer.ResponseCode, classification.Status,
                locallyBogus ? Array.Empty<DnsResourceRecord>() : answer.Records,
                answer.CnameChain.Select((l, i) => i < classification.LinkStatuses.Count && classification.LinkStatuses[i] != l.DnssecStatus
                    ? new CnameLink(l.Name, l.Target, classification.LinkStatuses[i], l.Ttl)
                    : l).ToList(),
                answer.Server, answer.Elapsed,
                locallyBogus ? "DNSSEC validation failed (local validation): " + classification.Reason : answer.ErrorMessage,
                answer.Evidence)
        {
            DnssecSource = classification.Source;
            DnssecProbeFailure = classification.Failure;
            DnssecReason = classification.Reason;
        }

        /// <summary>The name asked (normalised: lower case A-labels, no trailing dot).</summary>
        public string QueryName { get; }

        /// <summary>The record type asked.</summary>
        public QueryType QueryType { get; }

        /// <summary>How the lookup ended.</summary>
        public DnsLookupStatus Status { get; }

        /// <summary>The DNS response code as text (e.g. <c>NoError</c>, <c>NXDomain</c>, <c>ServFail</c>), or empty when no response arrived.</summary>
        public string ResponseCode { get; }

        /// <summary>DNSSEC state of the answer (of the final RRset when a CNAME chain was followed).</summary>
        public DnssecStatus DnssecStatus { get; }

        /// <summary>Records of the asked type at the canonical name (signatures and CNAMEs excluded).</summary>
        public IReadOnlyList<DnsResourceRecord> Records { get; }

        /// <summary>The CNAME chain followed, in order; empty when the name had no CNAME.</summary>
        public IReadOnlyList<CnameLink> CnameChain { get; }

        /// <summary>The name the records belong to: the end of the CNAME chain, or the query name.</summary>
        public string CanonicalName => CnameChain.Count == 0 ? QueryName : CnameChain[CnameChain.Count - 1].Target;

        /// <summary>The server that answered (or was asked last), as <c>ip:port</c>.</summary>
        public string Server { get; }

        /// <summary>Time the lookup took (zero for an answer shared from the run cache).</summary>
        public TimeSpan Elapsed { get; }

        /// <summary>Why the lookup failed, in plain words; <c>null</c> on success, NODATA and NXDOMAIN.</summary>
        public string? ErrorMessage { get; }

        /// <summary>The AD (authentic data) bit of the response: the resolver says it validated every RRset in it (RFC 4035 §3.2.3).</summary>
        public bool AuthenticData => Evidence.AuthenticData;

        /// <summary>True when the response carried DNSSEC signatures (RRSIG records in the answer or authority section).</summary>
        public bool HasSignatures => Evidence.Signatures.Count > 0;

        /// <summary>
        /// Why the DNSSEC state could not be determined, naming the probe that failed (e.g. the DS question that went
        /// unanswered); <c>null</c> unless <see cref="DnssecStatus"/> is <see cref="Dns.DnssecStatus.Unvalidated"/> after
        /// <see cref="DnsResolver.DetermineDnssecAsync"/>.
        /// </summary>
        public string? DnssecProbeFailure { get; }

        /// <summary>What settled <see cref="DnssecStatus"/>: the response alone, or a probe after it.</summary>
        internal DnssecSource DnssecSource { get; }

        /// <summary>
        /// Who established <see cref="DnssecStatus"/>: <see cref="Dns.DnssecValidatedBy.Local"/> when this module validated
        /// the signatures itself (<c>-DnssecValidation Local</c>, or <c>Auto</c> behind a resolver that does not validate),
        /// otherwise <see cref="Dns.DnssecValidatedBy.Resolver"/>.
        /// </summary>
        public DnssecValidatedBy DnssecValidatedBy => DnssecSource == DnssecSource.LocalValidation ? DnssecValidatedBy.Local : DnssecValidatedBy.Resolver;

        /// <summary>
        /// Why local validation found the answer <see cref="Dns.DnssecStatus.Bogus"/> or <see cref="Dns.DnssecStatus.Insecure"/>
        /// (e.g. "the RRSIG … expired", "no DNSKEY … matches its DS record"); <c>null</c> otherwise.
        /// </summary>
        public string? DnssecReason { get; }

        /// <summary>The response sections a DNSSEC classifier or validator reads (AD bit, signatures, authority records).</summary>
        internal DnsResponseEvidence Evidence { get; }

        /// <summary>True when neither the final RRset nor any CNAME link is still <see cref="Dns.DnssecStatus.Unvalidated"/> without a verdict.</summary>
        internal bool IsDnssecSettled
            => DnssecSource != DnssecSource.Response
               || (DnssecStatus != DnssecStatus.Unvalidated && CnameChain.All(l => l.DnssecStatus != DnssecStatus.Unvalidated));

        /// <summary>This answer with the DNSSEC state a classifier settled.</summary>
        internal DnsAnswer WithDnssec(DnssecClassification classification)
            => new DnsAnswer(this, classification ?? throw new ArgumentNullException(nameof(classification)),
                classification.Source == DnssecSource.LocalValidation && classification.Status == DnssecStatus.Bogus && !IsLookupError);

        /// <summary>True when no answer was obtained (SERVFAIL, timeout, network error, malformed): never "no record".</summary>
        public bool IsLookupError => Status.IsLookupError();

        /// <summary>True for an authoritative "nothing here": NXDOMAIN or NODATA.</summary>
        public bool IsNoRecord => Status == DnsLookupStatus.NxDomain || Status == DnsLookupStatus.NoData;

        /// <summary>Smallest TTL of the returned records, or <c>null</c> when there are none.</summary>
        public int? MinTtl => Records.Count == 0 ? (int?)null : Records.Min(r => r.InitialTimeToLive);

        /// <summary>The records of one concrete type.</summary>
        public IEnumerable<T> RecordsOf<T>() where T : DnsResourceRecord => Records.OfType<T>();

        /// <summary>
        /// The TXT records as whole strings: each record's character-strings joined with nothing between
        /// (RFC 7208 §3.3, RFC 7489 §6.1, RFC 8461 §3.1, RFC 6376 §3.6.2.2).
        /// </summary>
        public IReadOnlyList<string> TxtStrings
            => RecordsOf<TxtRecord>().Select(t => string.Concat(t.Text)).ToList();

        /// <summary>Each record in presentation format, for evidence.</summary>
        public IReadOnlyList<string> RecordText => Records.Select(r => r.ToString()).ToList();

        /// <inheritdoc />
        public override string ToString()
            => $"{QueryName} {QueryType}: {Status} ({DnssecStatus}), {Records.Count} record(s)";

        /// <summary>A one-line explanation of a failed lookup for findings and error messages.</summary>
        public string Describe()
        {
            var what = $"{QueryType} lookup for {QueryName}";
            var dnssec = (DnssecProbeFailure ?? DnssecReason) is string why ? $"{DnssecStatus}: {why}" : DnssecStatus.ToString();
            if (DnssecSource == DnssecSource.LocalValidation)
            {
                dnssec += ", validated locally";
            }

            switch (Status)
            {
                case DnsLookupStatus.Success:
                    return $"{what} returned {Records.Count} record(s) ({dnssec}).";
                case DnsLookupStatus.NoData:
                    return $"{what}: the name exists but has no {QueryType} record ({dnssec}).";
                case DnsLookupStatus.NxDomain:
                    return $"{what}: the name does not exist (NXDOMAIN, {dnssec}).";
                case DnsLookupStatus.ServerFailure when DnssecStatus == DnssecStatus.Bogus && DnssecSource == DnssecSource.LocalValidation:
                    return $"{what} via {Server} failed local DNSSEC validation (bogus: {DnssecReason}): validating senders treat this as a lookup failure.";
                case DnsLookupStatus.ServerFailure when DnssecStatus == DnssecStatus.Bogus:
                    return $"{what} failed DNSSEC validation at the resolver {Server} (SERVFAIL, bogus): validating senders treat this as a lookup failure.";
                case DnsLookupStatus.ServerFailure:
                    return $"{what} failed: the resolver {Server} answered SERVFAIL (indeterminate).";
                case DnsLookupStatus.Timeout:
                    return $"{what} timed out at {Server}{(ErrorMessage is null ? "" : ": " + ErrorMessage)}.";
                case DnsLookupStatus.NetworkError:
                    return $"{what} could not reach {Server}{(ErrorMessage is null ? "" : ": " + ErrorMessage)}.";
                case DnsLookupStatus.InvalidName:
                    return $"{what} was not sent: {ErrorMessage}";
                default:
                    return $"{what} failed ({Status}, {ResponseCode}){(ErrorMessage is null ? "" : ": " + ErrorMessage)}.";
            }
        }
    }
}
