using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MailSecurity.Report
{
    /// <summary>Get-MtaStsPolicy: the MTA-STS cell from the policy, what it says about TLS-RPT, and the MX coverage table.</summary>
    internal sealed class MtaStsPolicyContributor : IReportContributor
    {
        /// <inheritdoc />
        public string TypeName => typeof(MtaStsPolicyResult).FullName!;

        /// <inheritdoc />
        public void Contribute(ReportSource r, ReportRows rows)
        {
            var domain = r.GetText(nameof(MtaStsPolicyResult.Domain)) ?? string.Empty;
            var entry = rows.Row(domain);
            entry.ResultCount++;
            const string source = "Get-MtaStsPolicy";
            var findings = ReportFindingReader.Read(r, nameof(MtaStsPolicyResult.Findings), source);
            entry.AddFindings(findings);
            var status = ReportText.EnumText<MtaStsStatus>(r.GetText(nameof(MtaStsPolicyResult.Status))) ?? "?";
            var mode = ReportText.EnumText<MtaStsMode>(r.GetText(nameof(MtaStsPolicyResult.Mode)));
            entry.Add(ReportCheck.MtaSts, status == "Valid" && mode != null ? mode : status, $"Policy {status}{(mode is null ? string.Empty : ", mode " + mode)}, id {r.GetText(nameof(MtaStsPolicyResult.Id)) ?? "-"}",
                ReportFindingReader.For(findings, ReportCheck.MtaSts), absent: status == "NoRecord" || status == "ModeNone");

            var tlsRpt = r.GetText(nameof(MtaStsPolicyResult.TlsRptPresent));
            entry.Add(ReportCheck.TlsRpt, tlsRpt is null ? "LookupFailed" : tlsRpt == "True" ? "Valid" : "NoRecord", r.GetText(nameof(MtaStsPolicyResult.TlsRptRecord)) ?? "Get-MtaStsPolicy: TLS-RPT",
                ReportFindingReader.For(findings, ReportCheck.TlsRpt), absent: tlsRpt == "False", secondary: true);

            var mxRows = new List<IReadOnlyList<ReportCell>>();
            foreach (var mx in r.GetObjects(nameof(MtaStsPolicyResult.MxResults)))
            {
                var host = mx.GetText(nameof(MtaStsMxResult.MxHost));
                rows.NoteMx(entry.Name, host);
                mxRows.Add(new[]
                {
                    ReportCells.Plain("MX host", host), ReportCells.Plain("Pref", mx.GetText(nameof(MtaStsMxResult.Preference))), ReportCells.Flag("Covered", mx.GetText(nameof(MtaStsMxResult.Covered))), ReportCells.Plain("Pattern", mx.GetText(nameof(MtaStsMxResult.MatchedPattern))),
                    ReportCells.Flag("TLS", mx.GetText(nameof(MtaStsMxResult.TlsOk))), ReportCells.Flag("Certificate", mx.GetText(nameof(MtaStsMxResult.CertificateValid))), ReportCells.Flag("Delivers", mx.GetText(nameof(MtaStsMxResult.WouldDeliver))),
                });
            }

            var items = new List<ReportEvidenceItem>();
            ReportCells.Item(items, "Status", status);
            ReportCells.Item(items, "Mode", mode);
            ReportCells.Item(items, "Policy id", r.GetText(nameof(MtaStsPolicyResult.Id)));
            ReportCells.Item(items, "max_age (seconds)", r.GetText(nameof(MtaStsPolicyResult.MaxAgeSeconds)));
            ReportCells.Item(items, "mx patterns", r.GetText(nameof(MtaStsPolicyResult.MxPatternList)));
            ReportCells.Item(items, "MX not covered", r.GetText(nameof(MtaStsPolicyResult.UncoveredMx)));
            ReportCells.Item(items, "_mta-sts TXT record", r.Text("Discovery.Record"), preformatted: true);
            ReportCells.Item(items, "Policy URL", r.Text("Fetch.Url"));
            ReportCells.Item(items, "HTTP status", r.GetText(nameof(MtaStsPolicyResult.HttpStatusCode)));
            ReportCells.Item(items, "Policy host certificate valid", r.GetText(nameof(MtaStsPolicyResult.PolicyHostCertificateValid)));
            ReportCells.Item(items, "Fetch error", r.Text("Fetch.Error"));
            ReportCells.Item(items, "Policy", r.Text("Policy.Text"), preformatted: true);
            ReportCells.Item(items, "TLS-RPT record", r.GetText(nameof(MtaStsPolicyResult.TlsRptRecord)), preformatted: true);
            var table = mxRows.Count == 0 ? null : new ReportTable(new[] { "MX host", "Pref", "Covered", "Pattern", "TLS", "Certificate", "Delivers" }, mxRows);
            entry.Evidence.Add(new ReportEvidence(source, items, table));
        }
    }
}
