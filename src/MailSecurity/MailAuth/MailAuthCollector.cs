using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailSecurity.Dns;
using MailSecurity.Mx;

namespace MailSecurity.MailAuth
{
    /// <summary>Gathers every mail-authentication record of a domain concurrently into a <see cref="MailAuthReport"/>.</summary>
    public sealed class MailAuthCollector
    {
        private readonly DnsResolver _dns;
        private readonly MxResolver _mx;

        /// <summary>Creates a collector over the run's DNS layer.</summary>
        public MailAuthCollector(DnsResolver dns)
        {
            _dns = dns ?? throw new ArgumentNullException(nameof(dns));
            _mx = new MxResolver(dns);
        }

        /// <summary>Collects the report for one normalised domain name.</summary>
        public async Task<MailAuthReport> CollectAsync(string domain, CancellationToken cancellationToken = default)
        {
            var mx = await _mx.ResolveAsync(domain, cancellationToken).ConfigureAwait(false);
            var findings = mx.Findings.OrderByDescending(f => f.Severity).ToList();
            return new MailAuthReport(domain, mx, findings);
        }
    }
}
