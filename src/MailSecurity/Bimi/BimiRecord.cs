using System.Collections.Generic;
using MailSecurity.Bimi;
using MailSecurity.Dns;

namespace MailSecurity
{
    /// <summary>How the BIMI lookup ended.</summary>
    public enum BimiStatus
    {
        /// <summary>One valid record with a logo URI.</summary>
        Valid,
        /// <summary>An explicit declination (empty l= and a=).</summary>
        Declined,
        /// <summary>No record at the domain or its Organizational Domain.</summary>
        NoRecord,
        /// <summary>Several v=BIMI1 records: no BIMI.</summary>
        MultipleRecords,
        /// <summary>One record, malformed.</summary>
        Invalid,
        /// <summary>The lookup failed. Never "no record".</summary>
        TempError,
    }

    /// <summary>The BIMI assertion record of a domain (draft -12 §8.1), raw and parsed.</summary>
    public sealed class BimiRecord
    {
        /// <summary>Creates the result.</summary>
        internal BimiRecord(BimiRecordBuilder b)
        {
            Domain = b.Domain;
            Selector = b.Selector;
            RecordDomain = b.RecordDomain;
            Status = b.Status;
            Records = b.Records;
            Record = b.Record;
            LogoUri = b.LogoUri;
            EvidenceUri = b.EvidenceUri;
            LocalPartSelectors = b.LocalPartSelectors;
            AvatarPreference = b.AvatarPreference;
            CnameChain = b.CnameChain;
            DnssecStatus = b.DnssecStatus;
            Findings = b.Findings;
        }

        /// <summary>The domain examined.</summary>
        public string Domain { get; }

        /// <summary>The selector (default).</summary>
        public string Selector { get; }

        /// <summary>Where the record was found: the domain, or its Organizational Domain as fallback.</summary>
        public string RecordDomain { get; }

        /// <summary>The name of the record that decided the result.</summary>
        public string QueryName => Selector + "._bimi." + RecordDomain;

        /// <summary>How the lookup ended.</summary>
        public BimiStatus Status { get; }

        /// <summary>Every TXT record at the deciding name.</summary>
        public IReadOnlyList<string> Records { get; }

        /// <summary>The v=BIMI1 record considered, or null.</summary>
        public string? Record { get; }

        /// <summary>l=: the logo URI (null when empty or absent).</summary>
        public string? LogoUri { get; }

        /// <summary>a=: the evidence document URI (null when empty or absent).</summary>
        public string? EvidenceUri { get; }

        /// <summary>lps=: local-part selector prefixes.</summary>
        public IReadOnlyList<string> LocalPartSelectors { get; }

        /// <summary>avp=: brand (default) or personal.</summary>
        public string AvatarPreference { get; }

        /// <summary>CNAME links followed, as "alias -> target".</summary>
        public IReadOnlyList<string> CnameChain { get; }

        /// <summary>DNSSEC state of the answer.</summary>
        public DnssecStatus DnssecStatus { get; }

        /// <summary>True when a usable record (not a declination) is published.</summary>
        public bool Present => Status == BimiStatus.Valid;

        /// <summary>Findings.</summary>
        public IReadOnlyList<Finding> Findings { get; }

        /// <inheritdoc />
        public override string ToString() => Status == BimiStatus.Valid ? LogoUri ?? string.Empty : Status.ToString();
    }
}
