using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MailSecurity.Report
{
    /// <summary>Test-DaneTlsa: the DANE cell and evidence of one host, for its domain or (without one) every domain whose MX it is.</summary>
    internal sealed class DaneResultContributor : IReportContributor
    {
        /// <inheritdoc />
        public string TypeName => typeof(DaneResult).FullName!;

        /// <inheritdoc />
        public void Contribute(ReportSource r, ReportRows rows)
        {
            var host = r.GetText(nameof(DaneResult.HostName)) ?? string.Empty;
            var domain = r.GetText(nameof(DaneResult.Domain));
            var source = "Test-DaneTlsa " + host;
            var findings = ReportFindingReader.Read(r, nameof(DaneResult.Findings), source);
            var verdict = ReportText.EnumText<DaneVerdict>(r.GetText(nameof(DaneResult.Verdict))) ?? "?";
            var items = new List<ReportEvidenceItem>();
            ReportCells.Item(items, "Verdict", verdict);
            ReportCells.Item(items, "Explanation", r.GetText(nameof(DaneResult.Explanation)));
            ReportCells.Item(items, "TLSA name", r.GetText(nameof(DaneResult.TlsaName)));
            ReportCells.Item(items, "TLSA DNSSEC", r.GetText(nameof(DaneResult.TlsaDnssecStatus)));
            ReportCells.Item(items, "MX DNSSEC", r.GetText(nameof(DaneResult.MxDnssecStatus)));
            ReportCells.Item(items, "TLSA records", string.Join("\n", ReportText.Split(r.GetText(nameof(DaneResult.RecordList)), ';')), preformatted: true);
            ReportCells.Item(items, "Matched record", r.GetText(nameof(DaneResult.MatchedRecordText)), preformatted: true);
            ReportCells.Item(items, "Match depth", r.GetText(nameof(DaneResult.MatchDepth)));
            ReportCells.Item(items, "TLS", r.GetText(nameof(DaneResult.TlsDescription)));
            ReportCells.Item(items, "DNS answers", string.Join("\n", r.GetTexts(nameof(DaneResult.Evidence))), preformatted: true);
            var evidence = new ReportEvidence(source, items);
            void Apply(ReportRow e)
            {
                e.ResultCount++;
                e.AddFindings(findings);
                if (verdict == nameof(DaneVerdict.Valid) && ReportText.EnumText<Dns.DnssecStatus>(r.GetText(nameof(DaneResult.MxDnssecStatus))) == nameof(Dns.DnssecStatus.Secure))
                {
                    e.NoteDaneAuthenticated(host);
                }

                e.Add(ReportCheck.Dane, verdict, $"{host}: {r.GetText(nameof(DaneResult.Explanation)) ?? verdict}", ReportFindingReader.For(findings, ReportCheck.Dane), absent: verdict == "NoTlsa" || verdict == "Insecure", host: host);
                e.Evidence.Add(evidence);
            }

            if (!string.IsNullOrWhiteSpace(domain))
            {
                var entry = rows.Row(domain);
                rows.NoteMx(entry.Name, host);
                Apply(entry);
            }
            else
            {
                rows.AddHostResult(host, Apply);
            }
        }
    }
}
