using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MailSecurity.Report
{
    /// <summary>The colour rules of the report: findings, a check's own status, a hop level.</summary>
    internal static class ReportRatings
    {
        /// <summary>The colour of the worst finding (Info or none is Good, or Neutral when the record is simply not there).</summary>
        internal static ReportRating RatingOf(IEnumerable<ReportFinding> findings, bool absent)
        {
            Severity? worst = null;
            foreach (var f in findings)
            {
                if (worst is null || f.Severity > worst)
                {
                    worst = f.Severity;
                }
            }

            return RatingOf(worst ?? Severity.Info, absent);
        }

        /// <summary>The colour of a severity.</summary>
        internal static ReportRating RatingOf(Severity worst, bool absent) => worst switch
        {
            Severity.Critical => ReportRating.Critical,
            Severity.Error => ReportRating.Error,
            Severity.Warning => ReportRating.Warning,
            _ => absent ? ReportRating.Neutral : ReportRating.Good,
        };

        /// <summary>
        /// The colour a check's own status implies, whatever its findings say: a failed lookup, an unusable record, a failed
        /// policy fetch or a failed TLS session is never green. NotChecked when the status implies nothing.
        /// </summary>
        /// <param name="check">The matrix column.</param>
        /// <param name="status">The status as the cell shows it (an enum name).</param>
        internal static ReportRating StatusRating(ReportCheck check, string? status)
        {
            switch (check)
            {
                case ReportCheck.Mx:
                    return status == nameof(MxStatus.LookupFailed) ? ReportRating.Critical
                        : status == nameof(MxStatus.DomainNotFound) || status == nameof(MxStatus.NoMailService) ? ReportRating.Error : ReportRating.NotChecked;
                case ReportCheck.Spf:
                    return status == nameof(SpfVerdict.PermError) || status == nameof(SpfVerdict.TempError) ? ReportRating.Error : ReportRating.NotChecked;
                case ReportCheck.Dmarc:
                    return status == nameof(DmarcStatus.TempError) ? ReportRating.Error : ReportRating.NotChecked;
                case ReportCheck.Dkim:
                    return status == nameof(DkimStatus.LookupFailed) ? ReportRating.Error : ReportRating.NotChecked;
                case ReportCheck.MtaSts:
                    // The TXT record's status (Get-MailAuthRecords) or the policy's (Get-MtaStsPolicy, Resolve-HopSecurity).
                    return status == nameof(MtaStsStatus.FetchFailed) || status == nameof(MtaStsStatus.InvalidPolicy) || status == nameof(MtaStsStatus.InvalidRecord)
                        || status == nameof(MtaStsStatus.MultipleRecords) || status == nameof(MtaStsStatus.LookupFailed) || status == nameof(MtaStsTxtStatus.Invalid)
                        || status == nameof(MtaStsTxtStatus.TempError)
                        ? ReportRating.Error : ReportRating.NotChecked;
                case ReportCheck.TlsRpt:
                case ReportCheck.Bimi:
                    return status == nameof(TlsRptStatus.MultipleRecords) || status == nameof(TlsRptStatus.Invalid) || status == nameof(TlsRptStatus.TempError) || status == "LookupFailed"
                        ? ReportRating.Warning : ReportRating.NotChecked;
                case ReportCheck.StartTls:
                    return ReportText.ParseEnum<SmtpTlsOutcome>(status) is SmtpTlsOutcome outcome && outcome != SmtpTlsOutcome.Success ? ReportRating.Error : ReportRating.NotChecked;
                case ReportCheck.Dane:
                    switch (ReportText.ParseEnum<DaneVerdict>(status))
                    {
                        case DaneVerdict.NoMatch:
                        case DaneVerdict.TlsFailed:
                        case DaneVerdict.LookupFailed:
                            return ReportRating.Critical;
                        case DaneVerdict.ConnectFailed:
                        case DaneVerdict.NoAddress:
                            return ReportRating.Error;
                        case DaneVerdict.AllRecordsUnusable:
                        case DaneVerdict.ResolverNotValidating:
                            return ReportRating.Warning;
                        default:
                            return ReportRating.NotChecked;
                    }

                default:
                    return ReportRating.NotChecked;
            }
        }

        /// <summary>
        /// The least colour a hop level implies (SPEC §9), also when a file lost the findings: the severity of the finding the hop
        /// verdict states that level with (<see cref="Delivery.HopDecision.LevelDescriptor"/>), when it is a Warning or worse.
        /// No service and the authenticated levels imply nothing; their findings colour the cell.
        /// </summary>
        /// <param name="level">The level, or null when the result did not say.</param>
        internal static ReportRating LevelRating(HopSecurityLevel? level)
        {
            var severity = level is null ? Severity.Info : Delivery.HopDecision.LevelDescriptor(level.Value).Severity;
            return severity >= Severity.Warning ? RatingOf(severity, absent: false) : ReportRating.NotChecked;
        }
    }
}
