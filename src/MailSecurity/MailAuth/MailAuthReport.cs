using System;
using System.Collections.Generic;
using System.Linq;
using MailSecurity.Dns;

namespace MailSecurity
{
    /// <summary>
    /// Everything Get-MailAuthRecords found for one domain: each record part with its raw evidence, parsed
    /// fields and findings, plus flat summary columns for Export-Csv.
    /// </summary>
    public sealed class MailAuthReport
    {
        /// <summary>Creates a report.</summary>
        public MailAuthReport(string domain, MxRecordSet mx, IReadOnlyList<Finding> findings)
        {
            Domain = domain;
            Mx = mx;
            Findings = findings;
        }

        /// <summary>The domain (lower-case A-labels).</summary>
        public string Domain { get; }

        /// <summary>The MX RRset.</summary>
        public MxRecordSet Mx { get; }

        /// <summary>All findings of every part, worst first.</summary>
        public IReadOnlyList<Finding> Findings { get; }

        /// <summary>Summary: how the MX lookup ended.</summary>
        public MxStatus MxStatus => Mx.Status;

        /// <summary>Summary: MX hosts in preference order, comma-separated.</summary>
        public string MxHosts => Mx.HostList;

        /// <summary>Summary: DNSSEC state of the MX RRset.</summary>
        public DnssecStatus MxDnssec => Mx.DnssecStatus;

        /// <summary>Summary: number of findings.</summary>
        public int FindingCount => Findings.Count;

        /// <summary>Summary: the worst severity among the findings (Info when there are none).</summary>
        public Severity WorstSeverity => Finding.Worst(Findings) ?? Severity.Info;
    }
}
