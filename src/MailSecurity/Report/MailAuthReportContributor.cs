using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MailSecurity.Report
{
    /// <summary>Get-MailAuthRecords: the domain's MX, SPF, DMARC, DKIM, MTA-STS, TLS-RPT and BIMI cells, and its MX hosts for the host results.</summary>
    internal sealed class MailAuthReportContributor : IReportContributor
    {
        /// <inheritdoc />
        public string TypeName => typeof(MailAuthReport).FullName!;

        /// <inheritdoc />
        public void Contribute(ReportSource r, ReportRows rows)
        {
            var domain = r.GetText("Domain") ?? string.Empty;
            var entry = rows.Row(domain);
            entry.ResultCount++;
            const string source = "Get-MailAuthRecords";
            var findings = ReportFindingReader.Read(r, "Findings", source);
            entry.AddFindings(findings);

            var hosts = r.Objects("Mx.Hosts").Select(h => h.GetText("HostName")).Where(h => !string.IsNullOrEmpty(h)).Select(h => h!).ToList();
            if (hosts.Count == 0)
            {
                hosts = ReportText.Split(r.GetText("MxHosts"));
            }

            foreach (var h in hosts)
            {
                rows.NoteMx(entry.Name, h);
            }

            var mxStatus = ReportText.EnumText<MxStatus>(r.GetText("MxStatus") ?? r.Text("Mx.Status")) ?? "?";
            var mxDnssec = ReportText.EnumText<Dns.DnssecStatus>(r.GetText("MxDnssec") ?? r.Text("Mx.DnssecStatus"));
            entry.Add(ReportCheck.Mx, mxStatus, ReportText.Join("; ", hosts.Count == 0 ? null : "MX hosts: " + string.Join(", ", hosts), mxDnssec is null ? null : "DNSSEC: " + mxDnssec, r.Text("Mx.Error")),
                ReportFindingReader.For(findings, ReportCheck.Mx), absent: mxStatus == "NullMx");

            var spf = ReportText.EnumText<SpfVerdict>(r.GetText("SpfStatus")) ?? "?";
            entry.Add(ReportCheck.Spf, spf, r.GetText("SpfRecord") ?? "No SPF record.", ReportFindingReader.For(findings, ReportCheck.Spf), absent: spf == "None");

            var dmarcPolicy = ReportText.EnumText<DmarcPolicyAction>(r.GetText("DmarcPolicyApplied"));
            var dmarcStatus = ReportText.EnumText<DmarcStatus>(r.GetText("DmarcStatus")) ?? "?";
            entry.Add(ReportCheck.Dmarc, dmarcPolicy is null ? dmarcStatus : "p=" + dmarcPolicy.ToLowerInvariant(), r.Text("Dmarc.RawRecord") ?? dmarcStatus,
                ReportFindingReader.For(findings, ReportCheck.Dmarc), absent: dmarcStatus == "NoRecord");

            var dkimStatus = ReportText.EnumText<DkimStatus>(r.GetText("DkimStatus")) ?? "?";
            var dkimCount = r.GetText("DkimKeyCount");
            var selectors = r.GetText("DkimSelectorsFound");
            entry.Add(ReportCheck.Dkim, dkimStatus == "Found" && dkimCount != null ? $"Found ({dkimCount})" : dkimStatus,
                string.IsNullOrEmpty(selectors) ? "No key at the selectors asked." : "Selectors: " + selectors, ReportFindingReader.For(findings, ReportCheck.Dkim), absent: dkimStatus == "NoneFound");

            var sts = ReportText.EnumText<MtaStsTxtStatus>(r.GetText("MtaStsStatus")) ?? "?";
            entry.Add(ReportCheck.MtaSts, sts, r.Text("MtaStsRecord.Record") ?? "_mta-sts TXT: " + sts, ReportFindingReader.For(findings, ReportCheck.MtaSts), absent: sts == "NoRecord");

            var tlsRpt = ReportText.EnumText<TlsRptStatus>(r.GetText("TlsRptStatus")) ?? "?";
            entry.Add(ReportCheck.TlsRpt, tlsRpt, r.Text("TlsRpt.Record") ?? "_smtp._tls TXT: " + tlsRpt, ReportFindingReader.For(findings, ReportCheck.TlsRpt), absent: tlsRpt == "NoRecord");

            var bimi = ReportText.EnumText<BimiStatus>(r.GetText("BimiStatus")) ?? "?";
            entry.Add(ReportCheck.Bimi, bimi, r.Text("Bimi.Record") ?? "BIMI: " + bimi, ReportFindingReader.For(findings, ReportCheck.Bimi), absent: bimi == "NoRecord" || bimi == "Declined");

            var items = new List<ReportEvidenceItem>();
            ReportCells.Item(items, "MX status", mxStatus);
            ReportCells.Item(items, "MX records", string.Join("\n", r.Texts("Mx.Records")), preformatted: true);
            ReportCells.Item(items, "MX DNSSEC", mxDnssec);
            ReportCells.Item(items, "MX lookup error", r.Text("Mx.Error"));
            ReportCells.Item(items, "SPF record", r.GetText("SpfRecord"), preformatted: true);
            ReportCells.Item(items, "SPF DNS lookups", r.GetText("SpfLookupCount"));
            ReportCells.Item(items, "DMARC record", r.Text("Dmarc.RawRecord"), preformatted: true);
            ReportCells.Item(items, "DMARC policy domain", r.GetText("DmarcPolicyDomain"));
            ReportCells.Item(items, "DMARC aggregate reports to", r.GetText("DmarcRua"));
            ReportCells.Item(items, "DKIM selectors with a key", selectors);
            ReportCells.Item(items, "DKIM keys", string.Join("\n", r.Objects("Dkim.Keys").Select(k => $"{k.GetText("Selector")}: {k.GetText("KeyType")} {k.GetText("KeySize")} bits, {k.GetText("Status")}")), preformatted: true);
            ReportCells.Item(items, "MTA-STS TXT record", r.Text("MtaStsRecord.Record"), preformatted: true);
            ReportCells.Item(items, "TLS-RPT record", r.Text("TlsRpt.Record"), preformatted: true);
            ReportCells.Item(items, "BIMI record", r.Text("Bimi.Record"), preformatted: true);
            entry.Evidence.Add(new ReportEvidence(source, items));
        }
    }
}
