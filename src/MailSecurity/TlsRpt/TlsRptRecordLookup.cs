using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using MailSecurity.Dkim;
using MailSecurity.Dns;
using MailSecurity.Records;

namespace MailSecurity.TlsRpt
{
    /// <summary>Looks up and judges a domain's TLS-RPT record (RFC 8460 §3).</summary>
    internal sealed class TlsRptRecordLookup
    {
        /// <summary>The findings of the discovery at _smtp._tls (RFC 8460 §3), in TLS-RPT's words.</summary>
        private static readonly TxtDiscoveryFindings DiscoveryFindings = new TxtDiscoveryFindings(
            (TlsRptFindings.LookupFailed, c => c.Answer.Describe()),
            (TlsRptFindings.RecordDiscarded, (c, record) => $"The TXT record '{record}' at {c.Name} is ignored: it does not begin with the exact 'v=TLSRPTv1'."),
            (TlsRptFindings.RecordMissing, c => c.Answer.Status == DnsLookupStatus.Success
                ? $"{c.Name} has {c.Discovery.All.Count} TXT record(s), none beginning with v=TLSRPTv1."
                : $"{c.Domain} has no TLS-RPT record ({c.Answer.Status})."),
            (TlsRptFindings.MultipleRecords, c => $"{c.Name} has {c.Discovery.Candidates.Count} v=TLSRPTv1 records; reporters treat the domain as having none."));

        private readonly IDnsLookup _lookup;

        /// <summary>Creates a TlsRptRecordLookup over the run's DNS seam (the resolver, or a scripted zone in unit tests).</summary>
        /// <param name="dns">The run's DNS lookups.</param>
        /// <exception cref="ArgumentNullException"><paramref name="dns"/> is null.</exception>
        internal TlsRptRecordLookup(IDnsLookup dns) => _lookup = dns ?? throw new ArgumentNullException(nameof(dns));

        /// <summary>Fetches and judges the record of <paramref name="domain"/>.</summary>
        public async Task<TlsRptRecord> LookupAsync(string domain, CancellationToken cancellationToken = default)
        {
            var answer = await _lookup.QueryAsync("_smtp._tls." + domain, QueryType.TXT, cancellationToken).ConfigureAwait(false);
            return Evaluate(domain, answer);
        }

        /// <summary>Judges an answer: drop records not starting with v=TLSRPTv1; exactly one must remain (RFC 8460 §3).</summary>
        internal static TlsRptRecord Evaluate(string domain, DnsAnswer answer)
        {
            var name = "_smtp._tls." + domain;
            var empty = new Dictionary<string, string>();
            var none = Array.Empty<TlsRptReportUri>();
            var discovery = TxtDiscovery.Select(answer, TlsRptRecordParser.IsTlsRptRecord, t => t.TrimStart().StartsWith("v=tlsrpt", StringComparison.OrdinalIgnoreCase));
            var findings = DiscoveryFindings.Of(discovery, answer, name, domain);

            // What every outcome reports; each outcome below sets its status and what it found.
            var result = new TlsRptRecordBuilder
            {
                Domain = domain,
                Records = discovery.All,
                ReportUris = none,
                Extensions = empty,
                CnameChain = discovery.CnameChain,
                DnssecStatus = answer.DnssecStatus,
                Findings = findings,
            };
            if (discovery.Record is null)
            {
                result.Status = discovery.StatusWithoutRecord(TlsRptStatus.TempError, TlsRptStatus.NoRecord, TlsRptStatus.MultipleRecords);
                return new TlsRptRecord(result);
            }

            var record = discovery.Record;
            var parsed = TlsRptRecordParser.Parse(record);
            if (parsed.WhitespaceBeforeSeparator)
            {
                findings.Add(TlsRptFindings.WhitespaceBeforeSeparator.Create($"The record at {name} has white space before the first ';'.", name));
            }

            foreach (var error in parsed.Errors)
            {
                findings.Add(TlsRptFindings.SyntaxError.Create($"The record at {name} has a syntax error: {error}.", name));
            }

            if (!parsed.HasRua)
            {
                findings.Add(TlsRptFindings.RuaMissing.Create($"The record at {name} has no rua field.", name));
            }

            var usable = parsed.ReportUris.Count(u => u.IsValid);
            foreach (var bad in parsed.ReportUris.Where(u => !u.IsValid))
            {
                findings.Add(TlsRptFindings.InvalidUri.Create($"The rua entry '{DisplayText.Shorten(bad.Uri)}' at {name} is unusable: {bad.Problem}.", name,
                    usable > 0 ? Severity.Warning : (Severity?)null));
            }

            // One finding per unusable rua entry, but a hostile record may list hundreds: the first Finding.MaxRepeats of each
            // code are listed, the rest counted (issue 18: bounded in what goes into objects).
            var status = parsed.Errors.Count == 0 && parsed.HasRua && usable > 0 ? TlsRptStatus.Valid : TlsRptStatus.Invalid;
            result.Status = status;
            result.Record = record;
            result.ReportUris = parsed.ReportUris;
            result.Extensions = parsed.Extensions;
            result.Findings = Finding.LimitRepeats(findings);
            return new TlsRptRecord(result);
        }
    }
}
