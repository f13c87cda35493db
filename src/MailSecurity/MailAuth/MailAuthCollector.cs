using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailSecurity.Bimi;
using MailSecurity.Dkim;
using MailSecurity.Dmarc;
using MailSecurity.Dns;
using MailSecurity.MtaSts;
using MailSecurity.Mx;
using MailSecurity.Spf;
using MailSecurity.TlsRpt;

namespace MailSecurity.MailAuth
{
    /// <summary>Gathers every mail-authentication record of a domain concurrently into a <see cref="MailAuthReport"/>.</summary>
    internal sealed class MailAuthCollector
    {
        private readonly MxResolver _mx;
        private readonly MxTargetInspector _mxTargets;
        private readonly DmarcPolicyResolver _dmarc;
        private readonly DkimSelectorProber _dkim;
        private readonly MtaStsTxtRecordLookup _mtaSts;
        private readonly TlsRptRecordLookup _tlsRpt;
        private readonly BimiRecordLookup _bimi;
        private readonly SpfPolicyAnalyzer _spf;

        /// <summary>Creates a collector over the run's DNS seam.</summary>
        /// <param name="dns">The run's DNS lookups (the resolver, or a scripted zone in unit tests).</param>
        /// <exception cref="ArgumentNullException"><paramref name="dns"/> is null.</exception>
        internal MailAuthCollector(IDnsLookup dns)
        {
            var lookup = dns ?? throw new ArgumentNullException(nameof(dns));
            _spf = new SpfPolicyAnalyzer(lookup);
            _mx = new MxResolver(lookup);
            _mxTargets = new MxTargetInspector(lookup);
            _dmarc = new DmarcPolicyResolver(lookup);
            _dkim = new DkimSelectorProber(lookup);
            _mtaSts = new MtaStsTxtRecordLookup(lookup);
            _tlsRpt = new TlsRptRecordLookup(lookup);
            _bimi = new BimiRecordLookup(lookup);
        }

        /// <summary>Collects the report for one normalised domain name, probing the built-in DKIM selectors.</summary>
        public Task<MailAuthReport> CollectAsync(string domain, CancellationToken cancellationToken = default)
            => CollectAsync(domain, null, cancellationToken);

        /// <summary>Collects the report for one normalised domain name.</summary>
        /// <param name="domain">The domain (normalised).</param>
        /// <param name="dkimSelectors">DKIM selectors to look up; null or empty for <see cref="DkimSelectors.Common"/>.</param>
        /// <param name="cancellationToken">Cancels every lookup.</param>
        public async Task<MailAuthReport> CollectAsync(string domain, IReadOnlyList<string>? dkimSelectors, CancellationToken cancellationToken = default)
        {
            // Every part starts at once; only the MX host checks wait for the MX set and BIMI for DMARC's Organizational Domain.
            var mx = _mx.ResolveAsync(domain, cancellationToken);
            var spf = _spf.AnalyzeAsync(domain, cancellationToken);
            var targets = InspectTargetsAsync(mx, cancellationToken);
            var dmarc = _dmarc.ResolveAsync(domain, cancellationToken);
            var dkim = _dkim.ProbeAsync(domain, dkimSelectors, cancellationToken);
            var mtaSts = _mtaSts.LookupAsync(domain, cancellationToken);
            var tlsRpt = _tlsRpt.LookupAsync(domain, cancellationToken);
            var bimi = _bimi.LookupAsync(domain, dmarc, cancellationToken);
            await Task.WhenAll(mx, targets, spf, dmarc, dkim, mtaSts, tlsRpt, bimi).ConfigureAwait(false);

            var mxResult = await mx.ConfigureAwait(false);
            var targetResult = await targets.ConfigureAwait(false);
            var spfResult = await spf.ConfigureAwait(false);
            var dmarcResult = await dmarc.ConfigureAwait(false);
            var dkimResult = await dkim.ConfigureAwait(false);
            var stsResult = await mtaSts.ConfigureAwait(false);
            var rptResult = await tlsRpt.ConfigureAwait(false);
            var bimiResult = await bimi.ConfigureAwait(false);
            var findings = mxResult.Findings
                .Concat(targetResult.SelectMany(t => t.Findings))
                .Concat(spfResult.Findings)
                .Concat(dmarcResult.Findings)
                .Concat(dkimResult.Findings)
                .Concat(stsResult.Findings)
                .Concat(rptResult.Findings)
                .Concat(bimiResult.Findings)
                .Select((f, i) => (f, i))
                .OrderByDescending(x => x.f.Severity)
                .ThenBy(x => x.i)
                .Select(x => x.f)
                .ToList();
            return new MailAuthReport(new MailAuthReportBuilder
            {
                Domain = domain,
                Mx = mxResult,
                MxTargets = targetResult,
                Spf = spfResult,
                Dmarc = dmarcResult,
                Dkim = dkimResult,
                MtaStsRecord = stsResult,
                TlsRpt = rptResult,
                Bimi = bimiResult,
                Findings = findings,
            });
        }

        private async Task<IReadOnlyList<MxTargetCheck>> InspectTargetsAsync(Task<MxRecordSet> mx, CancellationToken cancellationToken)
        {
            var set = await mx.ConfigureAwait(false);
            return await _mxTargets.InspectAsync(set, cancellationToken).ConfigureAwait(false);
        }
    }
}
