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
            var domain = r.GetText(nameof(MailAuthReport.Domain)) ?? string.Empty;
            var entry = rows.Row(domain);
            entry.ResultCount++;
            const string source = "Get-MailAuthRecords";
            var findings = ReportFindingReader.Read(r, nameof(MailAuthReport.Findings), source);
            entry.AddFindings(findings);

            var hosts = r.Objects("Mx.Hosts").Select(h => h.GetText(nameof(MxHost.HostName))).Where(h => !string.IsNullOrEmpty(h)).Select(h => h!).ToList();
            if (hosts.Count == 0)
            {
                hosts = ReportText.Split(r.GetText(nameof(MailAuthReport.MxHosts)));
            }

            foreach (var h in hosts)
            {
                rows.NoteMx(entry.Name, h);
            }

            var mxStatus = ReportText.EnumText<MxStatus>(r.GetText(nameof(MailAuthReport.MxStatus)) ?? r.Text("Mx.Status")) ?? "?";
            var mxDnssec = ReportText.EnumText<Dns.DnssecStatus>(r.GetText(nameof(MailAuthReport.MxDnssec)) ?? r.Text("Mx.DnssecStatus"));
            entry.Add(ReportCheck.Mx, mxStatus, ReportText.Join("; ", hosts.Count == 0 ? null : "MX hosts: " + string.Join(", ", hosts), mxDnssec is null ? null : "DNSSEC: " + mxDnssec, r.Text("Mx.Error")),
                ReportFindingReader.For(findings, ReportCheck.Mx), absent: mxStatus == "NullMx");

            var spf = ReportText.EnumText<SpfVerdict>(r.GetText(nameof(MailAuthReport.SpfStatus))) ?? "?";
            entry.Add(ReportCheck.Spf, spf, r.GetText(nameof(MailAuthReport.SpfRecord)) ?? "No SPF record.", ReportFindingReader.For(findings, ReportCheck.Spf), absent: spf == "None");

            var dmarcPolicy = ReportText.EnumText<DmarcPolicyAction>(r.GetText(nameof(MailAuthReport.DmarcPolicyApplied)));
            var dmarcStatus = ReportText.EnumText<DmarcStatus>(r.GetText(nameof(MailAuthReport.DmarcStatus))) ?? "?";
            entry.Add(ReportCheck.Dmarc, dmarcPolicy is null ? dmarcStatus : "p=" + dmarcPolicy.ToLowerInvariant(), r.Text("Dmarc.RawRecord") ?? dmarcStatus,
                ReportFindingReader.For(findings, ReportCheck.Dmarc), absent: dmarcStatus == "NoRecord");

            var dkimStatus = ReportText.EnumText<DkimStatus>(r.GetText(nameof(MailAuthReport.DkimStatus))) ?? "?";
            var dkimCount = r.GetText(nameof(MailAuthReport.DkimKeyCount));
            var selectors = r.GetText(nameof(MailAuthReport.DkimSelectorsFound));
            entry.Add(ReportCheck.Dkim, dkimStatus == "Found" && dkimCount != null ? $"Found ({dkimCount})" : dkimStatus,
                string.IsNullOrEmpty(selectors) ? "No key at the selectors asked." : "Selectors: " + selectors, ReportFindingReader.For(findings, ReportCheck.Dkim), absent: dkimStatus == "NoneFound");

            var sts = ReportText.EnumText<MtaStsTxtStatus>(r.GetText(nameof(MailAuthReport.MtaStsStatus))) ?? "?";
            entry.Add(ReportCheck.MtaSts, sts, r.Text("MtaStsRecord.Record") ?? "_mta-sts TXT: " + sts, ReportFindingReader.For(findings, ReportCheck.MtaSts), absent: sts == "NoRecord");

            var tlsRpt = ReportText.EnumText<TlsRptStatus>(r.GetText(nameof(MailAuthReport.TlsRptStatus))) ?? "?";
            entry.Add(ReportCheck.TlsRpt, tlsRpt, r.Text("TlsRpt.Record") ?? "_smtp._tls TXT: " + tlsRpt, ReportFindingReader.For(findings, ReportCheck.TlsRpt), absent: tlsRpt == "NoRecord");

            var bimi = ReportText.EnumText<BimiStatus>(r.GetText(nameof(MailAuthReport.BimiStatus))) ?? "?";
            entry.Add(ReportCheck.Bimi, bimi, r.Text("Bimi.Record") ?? "BIMI: " + bimi, ReportFindingReader.For(findings, ReportCheck.Bimi), absent: bimi == "NoRecord" || bimi == "Declined");

            var items = new List<ReportEvidenceItem>();
            ReportCells.Item(items, "MX status", mxStatus);
            ReportCells.Item(items, "MX records", string.Join("\n", r.Texts("Mx.Records")), preformatted: true);
            ReportCells.Item(items, "MX DNSSEC", mxDnssec);
            ReportCells.Item(items, "MX lookup error", r.Text("Mx.Error"));
            ReportCells.Item(items, "SPF record", r.GetText(nameof(MailAuthReport.SpfRecord)), preformatted: true);
            ReportCells.Item(items, "SPF DNS lookups", r.GetText(nameof(MailAuthReport.SpfLookupCount)));
            ReportCells.Item(items, "DMARC record", r.Text("Dmarc.RawRecord"), preformatted: true);
            ReportCells.Item(items, "DMARC policy domain", r.GetText(nameof(MailAuthReport.DmarcPolicyDomain)));
            ReportCells.Item(items, "DMARC aggregate reports to", r.GetText(nameof(MailAuthReport.DmarcRua)));
            ReportCells.Item(items, "DKIM selectors with a key", selectors);
            ReportCells.Item(items, "DKIM keys", string.Join("\n", r.Objects("Dkim.Keys").Select(k => $"{k.GetText(nameof(DkimKey.Selector))}: {k.GetText(nameof(DkimKey.KeyType))} {k.GetText(nameof(DkimKey.KeySize))} bits, {k.GetText(nameof(DkimKey.Status))}")), preformatted: true);
            ReportCells.Item(items, "MTA-STS TXT record", r.Text("MtaStsRecord.Record"), preformatted: true);
            ReportCells.Item(items, "TLS-RPT record", r.Text("TlsRpt.Record"), preformatted: true);
            ReportCells.Item(items, "BIMI record", r.Text("Bimi.Record"), preformatted: true);
            entry.Evidence.Add(new ReportEvidence(source, items));
        }
    }
}
