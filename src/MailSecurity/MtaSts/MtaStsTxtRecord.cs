using System.Collections.Generic;
using MailSecurity.Dns;

namespace MailSecurity
{
    /// <summary>How the <c>_mta-sts</c> TXT lookup ended.</summary>
    public enum MtaStsTxtStatus
    {
        /// <summary>Exactly one valid v=STSv1 record.</summary>
        Valid,
        /// <summary>No v=STSv1 record.</summary>
        NoRecord,
        /// <summary>Several v=STSv1 records: no available policy.</summary>
        MultipleRecords,
        /// <summary>One v=STSv1 record with a syntax error: no available policy.</summary>
        Invalid,
        /// <summary>The lookup failed. Never "no record".</summary>
        TempError,
    }

    /// <summary>The <c>_mta-sts.&lt;domain&gt;</c> TXT record (RFC 8461 §3.1), raw and parsed.</summary>
    public sealed class MtaStsTxtRecord
    {
        /// <summary>Creates the result.</summary>
        public MtaStsTxtRecord(string domain, MtaStsTxtStatus status, IReadOnlyList<string> records, string? record, string? id,
            IReadOnlyDictionary<string, string> extensions, IReadOnlyList<string> cnameChain, DnssecStatus dnssecStatus, IReadOnlyList<Finding> findings)
        {
            Domain = domain;
            Status = status;
            Records = records;
            Record = record;
            Id = id;
            Extensions = extensions;
            CnameChain = cnameChain;
            DnssecStatus = dnssecStatus;
            Findings = findings;
        }

        /// <summary>The Policy Domain.</summary>
        public string Domain { get; }

        /// <summary>The name asked.</summary>
        public string QueryName => "_mta-sts." + Domain;

        /// <summary>How the lookup ended.</summary>
        public MtaStsTxtStatus Status { get; }

        /// <summary>Every TXT record at the name (strings joined), MTA-STS or not.</summary>
        public IReadOnlyList<string> Records { get; }

        /// <summary>The v=STSv1 record considered (also when invalid), or null.</summary>
        public string? Record { get; }

        /// <summary>The policy id (valid records only).</summary>
        public string? Id { get; }

        /// <summary>Extension fields.</summary>
        public IReadOnlyDictionary<string, string> Extensions { get; }

        /// <summary>CNAME links followed (delegation, RFC 8461 §8.2), as "alias -> target".</summary>
        public IReadOnlyList<string> CnameChain { get; }

        /// <summary>DNSSEC state of the answer.</summary>
        public DnssecStatus DnssecStatus { get; }

        /// <summary>True when senders find an available record.</summary>
        public bool Present => Status == MtaStsTxtStatus.Valid;

        /// <summary>Findings.</summary>
        public IReadOnlyList<Finding> Findings { get; }

        /// <inheritdoc />
        public override string ToString() => Status == MtaStsTxtStatus.Valid ? $"id={Id}" : Status.ToString();
    }
}
