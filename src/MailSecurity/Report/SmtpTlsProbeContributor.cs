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
            var host = r.GetText(nameof(SmtpTlsProbe.HostName)) ?? string.Empty;
            var source = $"Test-SmtpStartTls {host} [{r.GetText(nameof(SmtpTlsProbe.Address))}]:{r.GetText(nameof(SmtpTlsProbe.Port))}";
            var findings = ReportFindingReader.Read(r, nameof(SmtpTlsProbe.Findings), source);
            var items = new List<ReportEvidenceItem>();
            ReportCells.Item(items, "Outcome", r.GetText(nameof(SmtpTlsProbe.Outcome)));
            ReportCells.Item(items, "Failure phase", r.GetText(nameof(SmtpTlsProbe.FailurePhase)));
            ReportCells.Item(items, "Error", r.GetText(nameof(SmtpTlsProbe.Error)));
            ReportCells.Item(items, "Banner", r.GetText(nameof(SmtpTlsProbe.Banner)));
            ReportCells.Item(items, "TLS", ReportText.Join(" ", r.GetText(nameof(SmtpTlsProbe.TlsProtocol)), r.GetText(nameof(SmtpTlsProbe.CipherSuite))));
            ReportCells.Item(items, "Certificate subject", r.GetText(nameof(SmtpTlsProbe.CertificateSubject)));
            ReportCells.Item(items, "Certificate issuer", r.GetText(nameof(SmtpTlsProbe.CertificateIssuer)));
            ReportCells.Item(items, "Certificate names", r.GetText(nameof(SmtpTlsProbe.CertificateNames)));
            ReportCells.Item(items, "Certificate expires", r.GetText(nameof(SmtpTlsProbe.CertificateNotAfter)));
            ReportCells.Item(items, "Days until expiry", r.GetText(nameof(SmtpTlsProbe.DaysUntilExpiry)));
            ReportCells.Item(items, "PKIX valid", r.GetText(nameof(SmtpTlsProbe.PkixValid)));
            ReportCells.Item(items, "PKIX errors", string.Join("\n", r.GetTexts(nameof(SmtpTlsProbe.PkixErrors))), preformatted: true);
            ReportCells.Item(items, "Host name matches", r.GetText(nameof(SmtpTlsProbe.HostNameMatches)));
            ReportCells.Item(items, "Capabilities after TLS", string.Join(", ", r.GetTexts(nameof(SmtpTlsProbe.CapabilitiesAfterTls))));
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
            var outcome = ReportText.EnumText<SmtpTlsOutcome>(probe.GetText(nameof(SmtpTlsProbe.Outcome))) ?? "?";
            var tls = ReportText.EnumText<TlsVersion>(probe.GetText(nameof(SmtpTlsProbe.TlsProtocol)));
            return outcome == "Success" && tls != null ? tls : outcome;
        }

        /// <summary>The host, address, port, outcome and TLS of a probe, for the tooltip of the cell.</summary>
        /// <param name="probe">A STARTTLS probe, alone or inside a hop verdict.</param>
        internal static string Detail(ReportSource probe)
            => ReportText.Join(" ", $"{probe.GetText(nameof(SmtpTlsProbe.HostName))} [{probe.GetText(nameof(SmtpTlsProbe.Address))}]:{probe.GetText(nameof(SmtpTlsProbe.Port))}", probe.GetText(nameof(SmtpTlsProbe.Outcome)), probe.GetText(nameof(SmtpTlsProbe.TlsProtocol)), probe.GetText(nameof(SmtpTlsProbe.CipherSuite)),
                probe.GetText(nameof(SmtpTlsProbe.Error))) ?? string.Empty;
    }
}
