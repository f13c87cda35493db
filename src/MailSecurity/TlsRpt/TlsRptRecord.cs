using System.Collections.Generic;
using System.Linq;
using MailSecurity.Dns;
using MailSecurity.TlsRpt;

namespace MailSecurity
{
    /// <summary>How the TLS-RPT lookup ended.</summary>
    public enum TlsRptStatus
    {
        /// <summary>Exactly one valid record with at least one usable rua URI.</summary>
        Valid,
        /// <summary>No v=TLSRPTv1 record.</summary>
        NoRecord,
        /// <summary>Several v=TLSRPTv1 records: no TLS-RPT.</summary>
        MultipleRecords,
        /// <summary>One record, unusable (syntax, missing rua, no usable URI).</summary>
        Invalid,
        /// <summary>The lookup failed. Never "no record".</summary>
        TempError,
    }

    /// <summary>One rua destination of a TLS-RPT record.</summary>
    public sealed class TlsRptReportUri
    {
        /// <summary>Creates an entry.</summary>
        public TlsRptReportUri(string uri, string? scheme, string? host, string? problem)
        {
            Uri = uri;
            Scheme = scheme;
            Host = host;
            Problem = problem;
        }

        /// <summary>The URI as published.</summary>
        public string Uri { get; }

        /// <summary>mailto or https (lower case), or what was found.</summary>
        public string? Scheme { get; }

        /// <summary>The mailto domain or https host.</summary>
        public string? Host { get; }

        /// <summary>Why it is unusable; null when usable.</summary>
        public string? Problem { get; }

        /// <summary>True when usable.</summary>
        public bool IsValid => Problem is null;

        /// <inheritdoc />
        public override string ToString() => Uri;
    }

    /// <summary>The <c>_smtp._tls.&lt;domain&gt;</c> TLS-RPT record (RFC 8460 §3), raw and parsed.</summary>
    public sealed class TlsRptRecord
    {
        /// <summary>Creates the result.</summary>
        internal TlsRptRecord(TlsRptRecordBuilder b)
        {
            Domain = b.Domain;
            Status = b.Status;
            Records = b.Records;
            Record = b.Record;
            ReportUris = b.ReportUris;
            Extensions = b.Extensions;
            CnameChain = b.CnameChain;
            DnssecStatus = b.DnssecStatus;
            Findings = b.Findings;
        }

        /// <summary>The Policy Domain.</summary>
        public string Domain { get; }

        /// <summary>The name asked.</summary>
        public string QueryName => "_smtp._tls." + Domain;

        /// <summary>How the lookup ended.</summary>
        public TlsRptStatus Status { get; }

        /// <summary>Every TXT record at the name.</summary>
        public IReadOnlyList<string> Records { get; }

        /// <summary>The v=TLSRPTv1 record considered, or null.</summary>
        public string? Record { get; }

        /// <summary>The rua destinations, valid or not.</summary>
        public IReadOnlyList<TlsRptReportUri> ReportUris { get; }

        /// <summary>Extension fields.</summary>
        public IReadOnlyDictionary<string, string> Extensions { get; }

        /// <summary>CNAME links followed, as "alias -> target".</summary>
        public IReadOnlyList<string> CnameChain { get; }

        /// <summary>DNSSEC state of the answer.</summary>
        public DnssecStatus DnssecStatus { get; }

        /// <summary>True when reporters find a usable record.</summary>
        public bool Present => Status == TlsRptStatus.Valid;

        /// <summary>Summary: usable destinations, comma-separated.</summary>
        public string Destinations => string.Join(", ", ReportUris.Where(u => u.IsValid).Select(u => u.Uri));

        /// <summary>Findings.</summary>
        public IReadOnlyList<Finding> Findings { get; }

        /// <inheritdoc />
        public override string ToString() => Status == TlsRptStatus.Valid ? Destinations : Status.ToString();
    }
}
