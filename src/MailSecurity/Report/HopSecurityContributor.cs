using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MailSecurity.Report
{
    /// <summary>Resolve-HopSecurity -Domain: one hop row per MX host, and what the verdict adds to the MX, DANE, MTA-STS, TLS-RPT and STARTTLS cells.</summary>
    internal sealed class HopSecurityContributor : IReportContributor
    {
        /// <inheritdoc />
        public string TypeName => typeof(HopSecurity).FullName!;

        /// <inheritdoc />
        public void Contribute(ReportSource r, ReportRows rows)
        {
            var domain = r.GetText(nameof(HopSecurity.Domain)) ?? string.Empty;
            var entry = rows.Row(domain);
            entry.ResultCount++;
            var host = r.GetText(nameof(HopSecurity.MxHost)) ?? string.Empty;
            rows.NoteMx(entry.Name, host);
            var source = host.Length == 0 ? "Resolve-HopSecurity" : "Resolve-HopSecurity " + host;
            var findings = ReportFindingReader.Read(r, nameof(HopSecurity.Findings), source);
            var risks = ReportFindingReader.Read(r, nameof(HopSecurity.DeliveryRisks), source);
            entry.AddFindings(findings);
            entry.AddFindings(risks);
            var all = findings.Concat(risks).ToList();

            var levelText = ReportText.EnumText<HopSecurityLevel>(r.GetText(nameof(HopSecurity.Level)));
            var level = ReportText.ParseEnum<HopSecurityLevel>(levelText);
            var riskCodes = risks.Select(f => f.Code).Distinct().ToList();
            if (riskCodes.Count == 0)
            {
                riskCodes = ReportText.Split(r.GetText(nameof(HopSecurity.DeliveryRiskCodes)), ';');
            }

            var hopRating = ReportRatings.RatingOf(ReportFindingReader.For(all, ReportCheck.HopLevel), absent: level == HopSecurityLevel.NoService);
            var levelRating = ReportRatings.LevelRating(level);
            if (levelRating > hopRating)
            {
                // The level itself counts, also when the findings were lost on the way (a shallow file).
                hopRating = levelRating;
            }

            if (level == HopSecurityLevel.DaneAuthenticated)
            {
                entry.NoteDaneAuthenticated(host);
            }

            if (riskCodes.Count > 0 && hopRating < ReportRating.Error)
            {
                // A delivery risk means a policy-honouring sender refuses this MX: mail is deferred or lost.
                hopRating = ReportRating.Error;
            }

            var reason = r.GetText(nameof(HopSecurity.Reason)) ?? string.Empty;
            entry.Hops.Add(new ReportHopRow
            {
                Host = host,
                Preference = r.GetText(nameof(HopSecurity.Preference)) ?? string.Empty,
                Level = level,
                LevelText = levelText ?? "?",
                Rating = hopRating,
                Reason = reason,
                Encrypted = r.GetText(nameof(HopSecurity.Encrypted)),
                Authenticated = r.GetText(nameof(HopSecurity.Authenticated)),
                DowngradeResistant = r.GetText(nameof(HopSecurity.DowngradeResistant)),
                Risks = riskCodes,
                RequireTls = r.GetText(nameof(HopSecurity.RequireTlsReady)),
                RequireTlsDetail = r.GetText(nameof(HopSecurity.RequireTlsDetail)),
                TlsVersion = r.GetText(nameof(HopSecurity.TlsVersion)),
                Dane = r.GetText(nameof(HopSecurity.DaneVerdict)) ?? r.Text("Dane.Verdict"),
                MtaSts = r.GetText(nameof(HopSecurity.MtaStsMode)) ?? r.Text("MtaSts.Mode"),
            });

            if (host.Length == 0)
            {
                var mx = level == HopSecurityLevel.NoService ? "NoService" : "LookupFailed";
                entry.Add(ReportCheck.Mx, mx, reason, ReportFindingReader.For(all, ReportCheck.Mx), absent: level == HopSecurityLevel.NoService, secondary: true);
                return;
            }

            entry.Add(ReportCheck.Mx, "Found", $"Resolve-HopSecurity: {host} (preference {r.GetText(nameof(HopSecurity.Preference))})", ReportFindingReader.For(all, ReportCheck.Mx), secondary: true);

            var dane = r.GetObject(nameof(HopSecurity.Dane));
            var daneVerdict = ReportText.EnumText<DaneVerdict>(r.GetText(nameof(HopSecurity.DaneVerdict)) ?? dane?.GetText(nameof(DaneResult.Verdict)));
            if (daneVerdict != null)
            {
                var daneFindings = dane is null ? new List<ReportFinding>() : ReportFindingReader.Read(dane, nameof(DaneResult.Findings), "DANE " + host);
                entry.AddFindings(daneFindings);
                entry.Add(ReportCheck.Dane, daneVerdict, $"{host}: {dane?.GetText(nameof(DaneResult.Explanation)) ?? daneVerdict}", ReportFindingReader.For(daneFindings.Concat(all), ReportCheck.Dane),
                    absent: daneVerdict == "NoTlsa" || daneVerdict == "Insecure", host: host);
            }

            var stsMode = ReportText.EnumText<MtaStsMode>(r.GetText(nameof(HopSecurity.MtaStsMode)) ?? r.Text("MtaSts.Mode"));
            var stsStatus = ReportText.EnumText<MtaStsStatus>(r.Text("MtaSts.Status"));
            if (stsMode != null || stsStatus != null)
            {
                var covered = r.GetText(nameof(HopSecurity.MtaStsCovered)) ?? r.Text("MtaSts.Covered");
                entry.Add(ReportCheck.MtaSts, stsMode ?? stsStatus!, $"{host}: policy {stsStatus ?? stsMode}, covered {covered ?? "?"}", ReportFindingReader.For(all, ReportCheck.MtaSts),
                    absent: stsStatus == "NoRecord" || stsMode == "None", secondary: true);
            }

            var tlsRpt = r.GetText(nameof(HopSecurity.TlsRptPresent));
            if (tlsRpt != null)
            {
                entry.Add(ReportCheck.TlsRpt, tlsRpt == "True" ? "Valid" : "NoRecord", "Resolve-HopSecurity: TLS-RPT record " + (tlsRpt == "True" ? "published" : "not published"),
                    ReportFindingReader.For(all, ReportCheck.TlsRpt), absent: tlsRpt != "True", secondary: true);
            }

            foreach (var probe in r.GetObjects(nameof(HopSecurity.Probes)))
            {
                var probeFindings = ReportFindingReader.Read(probe, nameof(SmtpTlsProbe.Findings), $"STARTTLS {host} [{probe.GetText(nameof(SmtpTlsProbe.Address))}]");
                entry.AddFindings(probeFindings, host);
                entry.Add(ReportCheck.StartTls, SmtpTlsProbeContributor.Text(probe), SmtpTlsProbeContributor.Detail(probe), ReportFindingReader.For(probeFindings, ReportCheck.StartTls), secondary: true, host: host);
            }
        }
    }
}
