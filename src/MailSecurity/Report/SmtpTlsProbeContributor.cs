using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MailSecurity.Report
{
    /// <summary>Test-SmtpStartTls: the STARTTLS cell and evidence of one host, joined to every domain whose MX it is.</summary>
    internal sealed class SmtpTlsProbeContributor : IReportContributor
    {
        /// <inheritdoc />
        public string TypeName => typeof(SmtpTlsProbe).FullName!;

        /// <inheritdoc />
        public void Contribute(ReportSource r, ReportRows rows)
        {
            var host = r.GetText("HostName") ?? string.Empty;
            var source = $"Test-SmtpStartTls {host} [{r.GetText("Address")}]:{r.GetText("Port")}";
            var findings = ReportFindingReader.Read(r, "Findings", source);
            var items = new List<ReportEvidenceItem>();
            ReportCells.Item(items, "Outcome", r.GetText("Outcome"));
            ReportCells.Item(items, "Failure phase", r.GetText("FailurePhase"));
            ReportCells.Item(items, "Error", r.GetText("Error"));
            ReportCells.Item(items, "Banner", r.GetText("Banner"));
            ReportCells.Item(items, "TLS", ReportText.Join(" ", r.GetText("TlsProtocol"), r.GetText("CipherSuite")));
            ReportCells.Item(items, "Certificate subject", r.GetText("CertificateSubject"));
            ReportCells.Item(items, "Certificate issuer", r.GetText("CertificateIssuer"));
            ReportCells.Item(items, "Certificate names", r.GetText("CertificateNames"));
            ReportCells.Item(items, "Certificate expires", r.GetText("CertificateNotAfter"));
            ReportCells.Item(items, "Days until expiry", r.GetText("DaysUntilExpiry"));
            ReportCells.Item(items, "PKIX valid", r.GetText("PkixValid"));
            ReportCells.Item(items, "PKIX errors", string.Join("\n", r.GetTexts("PkixErrors")), preformatted: true);
            ReportCells.Item(items, "Host name matches", r.GetText("HostNameMatches"));
            ReportCells.Item(items, "Capabilities after TLS", string.Join(", ", r.GetTexts("CapabilitiesAfterTls")));
            var evidence = new ReportEvidence(source, items);
            var text = Text(r);
            var detail = Detail(r);
            rows.AddHostResult(host, e =>
            {
                e.ResultCount++;
                e.AddFindings(findings, host);
                e.Add(ReportCheck.StartTls, text, detail, ReportFindingReader.For(findings, ReportCheck.StartTls), host: host);
                e.Evidence.Add(evidence);
            });
        }

        /// <summary>What a probe shows in the STARTTLS cell: the TLS version when the session worked, else the outcome.</summary>
        /// <param name="probe">A STARTTLS probe, alone or inside a hop verdict.</param>
        internal static string Text(ReportSource probe)
        {
            var outcome = ReportText.EnumText<SmtpTlsOutcome>(probe.GetText("Outcome")) ?? "?";
            var tls = ReportText.EnumText<TlsVersion>(probe.GetText("TlsProtocol"));
            return outcome == "Success" && tls != null ? tls : outcome;
        }

        /// <summary>The host, address, port, outcome and TLS of a probe, for the tooltip of the cell.</summary>
        /// <param name="probe">A STARTTLS probe, alone or inside a hop verdict.</param>
        internal static string Detail(ReportSource probe)
            => ReportText.Join(" ", $"{probe.GetText("HostName")} [{probe.GetText("Address")}]:{probe.GetText("Port")}", probe.GetText("Outcome"), probe.GetText("TlsProtocol"), probe.GetText("CipherSuite"),
                probe.GetText("Error")) ?? string.Empty;
    }
}
