using System.Collections.Generic;
using MailSecurity.Dns;
using MailSecurity.MtaSts;

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

    /// <summary>
    /// The <c>_mta-sts.&lt;domain&gt;</c> TXT record (RFC 8461 §3.1), raw and parsed: the evidence of MTA-STS discovery,
    /// in Get-MailAuthRecords (<c>MtaStsRecord</c>) and Get-MtaStsPolicy (<c>Discovery</c>) alike.
    /// </summary>
    public sealed class MtaStsTxtRecord
    {
        /// <summary>Creates the result.</summary>
        internal MtaStsTxtRecord(MtaStsTxtRecordBuilder b)
        {
            Domain = b.Domain;
            Status = b.Status;
            LookupStatus = b.LookupStatus;
            Records = b.Records;
            StsRecords = b.StsRecords;
            Record = b.Record;
            Id = b.Id;
            Extensions = b.Extensions;
            CnameChain = b.CnameChain;
            DnssecStatus = b.DnssecStatus;
            Error = b.Error;
            Findings = b.Findings;
        }

        /// <summary>The Policy Domain.</summary>
        public string Domain { get; }

        /// <summary>The name asked.</summary>
        public string QueryName => "_mta-sts." + Domain;

        /// <summary>How the lookup ended.</summary>
        public MtaStsTxtStatus Status { get; }

        /// <summary>How the TXT lookup ended in DNS.</summary>
        public DnsLookupStatus LookupStatus { get; }

        /// <summary>Every TXT record at the name (strings joined), MTA-STS or not.</summary>
        public IReadOnlyList<string> Records { get; }

        /// <summary>The records that begin with v=STSv1 (those a sender keeps).</summary>
        public IReadOnlyList<string> StsRecords { get; }

        /// <summary>The single v=STSv1 record (also when invalid), or null when there is none or more than one.</summary>
        public string? Record { get; }

        /// <summary>The policy id (valid records only).</summary>
        public string? Id { get; }

        /// <summary>Extension fields.</summary>
        public IReadOnlyDictionary<string, string> Extensions { get; }

        /// <summary>CNAME links followed (delegation, RFC 8461 §8.2), as "alias -> target".</summary>
        public IReadOnlyList<string> CnameChain { get; }

        /// <summary>DNSSEC state of the answer.</summary>
        public DnssecStatus DnssecStatus { get; }

        /// <summary>When the name could not be looked up (or not asked): what failed, in plain words; otherwise null.</summary>
        public string? Error { get; }

        /// <summary>True when senders find an available record.</summary>
        public bool Present => Status == MtaStsTxtStatus.Valid;

        /// <summary>Findings.</summary>
        public IReadOnlyList<Finding> Findings { get; }

        /// <inheritdoc />
        public override string ToString() => Status == MtaStsTxtStatus.Valid ? $"id={Id}" : Status.ToString();
    }
}
