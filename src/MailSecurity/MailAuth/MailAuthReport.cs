using System;
using System.Collections.Generic;
using System.Linq;
using MailSecurity.Dns;
using MailSecurity.MailAuth;

namespace MailSecurity
{
    /// <summary>
    /// Everything Get-MailAuthRecords found for one domain: each record part with its raw evidence, parsed
    /// fields and findings, plus flat summary columns for Export-Csv.
    /// </summary>
    public sealed class MailAuthReport
    {
        /// <summary>Creates a report.</summary>
        internal MailAuthReport(MailAuthReportBuilder b)
        {
            Domain = b.Domain;
            Mx = b.Mx ?? throw new ArgumentNullException(nameof(b.Mx));
            Spf = b.Spf ?? throw new ArgumentNullException(nameof(b.Spf));
            MxTargets = ValueList.From(b.MxTargets);
            Dmarc = b.Dmarc ?? throw new ArgumentNullException(nameof(b.Dmarc));
            Dkim = b.Dkim ?? throw new ArgumentNullException(nameof(b.Dkim));
            MtaStsRecord = b.MtaStsRecord ?? throw new ArgumentNullException(nameof(b.MtaStsRecord));
            TlsRpt = b.TlsRpt ?? throw new ArgumentNullException(nameof(b.TlsRpt));
            Bimi = b.Bimi ?? throw new ArgumentNullException(nameof(b.Bimi));
            Findings = FindingList.From(b.Findings);
        }

        /// <summary>The same report with findings about the input added (such as a wildcard accepted domain).</summary>
        internal MailAuthReport WithAddedFindings(IEnumerable<Finding> added)
            => new MailAuthReport(new MailAuthReportBuilder
            {
                Domain = Domain,
                Mx = Mx,
                MxTargets = MxTargets,
                Spf = Spf,
                Dmarc = Dmarc,
                Dkim = Dkim,
                MtaStsRecord = MtaStsRecord,
                TlsRpt = TlsRpt,
                Bimi = Bimi,
                Findings = ((FindingList)Findings).With(added),
            });

        /// <summary>The domain (lower-case A-labels).</summary>
        public string Domain { get; }

        /// <summary>The SPF policy: record, include/redirect tree, lookup counts, verdict and findings (RFC 7208).</summary>
        public SpfPolicy Spf { get; }

        /// <summary>Summary: the SPF verdict (Valid, PermError, TempError, None).</summary>
        public SpfVerdict SpfStatus => Spf.Verdict;

        /// <summary>Summary: the SPF record as published (null when there is none).</summary>
        public string? SpfRecord => Spf.Record;

        /// <summary>Summary: DNS-querying terms in the whole include/redirect tree (the limit is 10, RFC 7208 §4.6.4).</summary>
        public int SpfLookupCount => Spf.DnsLookupCount;

        /// <summary>The MX RRset.</summary>
        public MxRecordSet Mx { get; }

        /// <summary>The address check of every MX host (CNAME targets, hosts without addresses).</summary>
        public IReadOnlyList<MxTargetCheck> MxTargets { get; }

        /// <summary>The DMARC policy that applies (RFC 9989 discovery).</summary>
        public DmarcPolicy Dmarc { get; }

        /// <summary>DKIM keys at the given or common selectors.</summary>
        public DkimSummary Dkim { get; }

        /// <summary>The <c>_mta-sts</c> TXT record.</summary>
        public MtaStsTxtRecord MtaStsRecord { get; }

        /// <summary>The TLS-RPT record.</summary>
        public TlsRptRecord TlsRpt { get; }

        /// <summary>The BIMI assertion record.</summary>
        public BimiRecord Bimi { get; }

        /// <summary>All findings of every part, worst first.</summary>
        public IReadOnlyList<Finding> Findings { get; }

        /// <summary>Summary: how the MX lookup ended.</summary>
        public MxStatus MxStatus => Mx.Status;

        /// <summary>Summary: MX hosts in preference order, comma-separated.</summary>
        public string MxHosts => Mx.HostList;

        /// <summary>Summary: DNSSEC state of the MX RRset.</summary>
        public DnssecStatus MxDnssec => Mx.DnssecStatus;

        /// <summary>Summary: how DMARC discovery ended.</summary>
        public DmarcStatus DmarcStatus => Dmarc.Status;

        /// <summary>Summary: the DMARC policy requested for the domain (p, or the inherited sp/np); empty when none applies.</summary>
        public DmarcPolicyAction? DmarcPolicy => Dmarc.Policy;

        /// <summary>Summary: the policy after t=y lowers it.</summary>
        public DmarcPolicyAction? DmarcPolicyApplied => Dmarc.PolicyAfterTesting;

        /// <summary>Summary: where the DMARC record was found.</summary>
        public DmarcPolicySource DmarcPolicySource => Dmarc.Source;

        /// <summary>Summary: the domain publishing the applicable DMARC record.</summary>
        public string? DmarcPolicyDomain => Dmarc.PolicyDomain;

        /// <summary>Summary: the Organizational Domain (RFC 9989 §4.10.2).</summary>
        public string DmarcOrganizationalDomain => Dmarc.OrganizationalDomain;

        /// <summary>Summary: aggregate report destinations that will receive reports (after external authorization and overrides, RFC 9990 §4).</summary>
        public string DmarcRua => Dmarc.AggregateReportDestinations;

        /// <summary>Summary: how DKIM probing ended.</summary>
        public DkimStatus DkimStatus => Dkim.Status;

        /// <summary>Summary: selectors with a DKIM key, comma-separated.</summary>
        public string DkimSelectorsFound => Dkim.SelectorsFound;

        /// <summary>Summary: number of DKIM key records found.</summary>
        public int DkimKeyCount => Dkim.Keys.Count;

        /// <summary>Summary: the smallest RSA key size found, or empty.</summary>
        public int? DkimMinRsaKeySize => Dkim.SmallestRsaKeySize;

        /// <summary>Summary: the _mta-sts TXT status.</summary>
        public MtaStsTxtStatus MtaStsStatus => MtaStsRecord.Status;

        /// <summary>Summary: true when a valid _mta-sts TXT record is published.</summary>
        public bool MtaStsPresent => MtaStsRecord.Present;

        /// <summary>Summary: the MTA-STS policy id.</summary>
        public string? MtaStsId => MtaStsRecord.Id;

        /// <summary>Summary: the TLS-RPT status.</summary>
        public TlsRptStatus TlsRptStatus => TlsRpt.Status;

        /// <summary>Summary: true when a usable TLS-RPT record is published.</summary>
        public bool TlsRptPresent => TlsRpt.Present;

        /// <summary>Summary: usable TLS-RPT destinations.</summary>
        public string TlsRptRua => TlsRpt.Destinations;

        /// <summary>Summary: the BIMI status.</summary>
        public BimiStatus BimiStatus => Bimi.Status;

        /// <summary>Summary: true when a usable BIMI record (not a declination) is published.</summary>
        public bool BimiPresent => Bimi.Present;

        /// <summary>Summary: number of findings.</summary>
        public int FindingCount => Findings.Count;

        /// <summary>Summary: findings of severity Error or Critical.</summary>
        public int ErrorCount => Findings.Count(f => f.Severity >= Severity.Error);

        /// <summary>Summary: findings of severity Warning.</summary>
        public int WarningCount => Findings.Count(f => f.Severity == Severity.Warning);

        /// <summary>Summary: the worst severity among the findings (Info when there are none).</summary>
        public Severity WorstSeverity => Finding.Worst(Findings) ?? Severity.Info;

        /// <summary>Summary: finding codes, semicolon-separated, worst first.</summary>
        public string FindingCodes => Findings.ToString() ?? string.Empty;

        /// <inheritdoc />
        public override string ToString() => $"{Domain}: DMARC {DmarcPolicy?.ToString() ?? DmarcStatus.ToString()}, DKIM {DkimKeyCount}, MTA-STS {MtaStsPresent}, TLS-RPT {TlsRptPresent}";
    }
}
