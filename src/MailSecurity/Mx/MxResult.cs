using System;
using System.Collections.Generic;
using System.Linq;
using MailSecurity.Dns;
using MailSecurity.Mx;

namespace MailSecurity
{
    /// <summary>How the MX lookup for a domain ended.</summary>
    public enum MxStatus
    {
        /// <summary>MX records found.</summary>
        Found,
        /// <summary>A null MX (<c>0 .</c>): the domain accepts no mail (RFC 7505).</summary>
        NullMx,
        /// <summary>No MX records; the domain's own A/AAAA records act as the implicit MX (RFC 5321 §5.1).</summary>
        ImplicitMx,
        /// <summary>No MX and no address records: nowhere to deliver.</summary>
        NoMailService,
        /// <summary>The domain does not exist (NXDOMAIN).</summary>
        DomainNotFound,
        /// <summary>The lookup failed (SERVFAIL, DNSSEC bogus, timeout, network). Never "no MX".</summary>
        LookupFailed,
    }

    /// <summary>One mail exchanger of a domain.</summary>
    public sealed class MxHost
    {
        /// <summary>Creates an MX host entry.</summary>
        public MxHost(ushort preference, string hostName, bool isImplicit, bool isIpAddress)
        {
            Preference = preference;
            HostName = hostName;
            IsImplicit = isImplicit;
            IsIpAddress = isIpAddress;
        }

        /// <summary>MX preference; lower is tried first.</summary>
        public ushort Preference { get; }

        /// <summary>Target host name (lower case A-labels, no trailing dot); empty for a null MX.</summary>
        public string HostName { get; }

        /// <summary>True for the implicit MX (the domain itself, when it has no MX records).</summary>
        public bool IsImplicit { get; }

        /// <summary>True when the MX target is written as an IP address, which RFC 5321 does not allow.</summary>
        public bool IsIpAddress { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Preference} {HostName}";
    }

    /// <summary>A domain's MX RRset, interpreted: preference order, null MX, implicit MX, DNSSEC state.</summary>
    public sealed class MxRecordSet
    {
        /// <summary>Creates the result.</summary>
        internal MxRecordSet(MxRecordSetBuilder b)
        {
            DnssecProbeFailure = b.DnssecProbeFailure;
            DnssecValidatedBy = b.DnssecValidatedBy;
            Domain = b.Domain;
            Status = b.Status;
            Hosts = b.Hosts;
            DnssecStatus = b.DnssecStatus;
            Records = b.Records;
            Findings = b.Findings;
            Error = b.Error;
            LookupStatus = b.LookupStatus;
        }

        /// <summary>How the decisive DNS question ended (the MX query, or the address query for an implicit MX).</summary>
        public DnsLookupStatus LookupStatus { get; }

        /// <summary>The domain looked up.</summary>
        public string Domain { get; }

        /// <summary>How the lookup ended.</summary>
        public MxStatus Status { get; }

        /// <summary>MX hosts in the order a sender tries them (preference, then name); for a null MX, empty.</summary>
        public IReadOnlyList<MxHost> Hosts { get; }

        /// <summary>
        /// DNSSEC state of the MX RRset (or of the denial of its existence). <see cref="Dns.DnssecStatus.Unvalidated"/> in
        /// Get-MailAuthRecords for signed data without AD (the record checks never probe); settled where DANE needs it.
        /// </summary>
        public DnssecStatus DnssecStatus { get; }

        /// <summary>Which DNSSEC probe failed when <see cref="DnssecStatus"/> could not be determined; otherwise <c>null</c>.</summary>
        public string? DnssecProbeFailure { get; }

        /// <summary>Who established <see cref="DnssecStatus"/>: the resolver, or this module's own validation (<c>-DnssecValidation</c>).</summary>
        public DnssecValidatedBy DnssecValidatedBy { get; }

        /// <summary>The raw MX records as returned, in presentation format.</summary>
        public IReadOnlyList<string> Records { get; }

        /// <summary>Findings about the MX RRset.</summary>
        public IReadOnlyList<Finding> Findings { get; }

        /// <summary>For <see cref="MxStatus.LookupFailed"/>: what failed, in plain words.</summary>
        public string? Error { get; }

        /// <summary>True when the domain declares it receives no mail.</summary>
        public bool IsNullMx => Status == MxStatus.NullMx;

        /// <summary>The host names, comma-separated in preference order (a flat column for CSV).</summary>
        public string HostList => string.Join(", ", Hosts.Select(h => h.HostName));

        /// <inheritdoc />
        public override string ToString() => Status switch
        {
            MxStatus.Found => string.Join(", ", Hosts.Select(h => h.ToString())),
            MxStatus.ImplicitMx => $"(implicit) {Domain}",
            _ => Status.ToString(),
        };
    }
}
