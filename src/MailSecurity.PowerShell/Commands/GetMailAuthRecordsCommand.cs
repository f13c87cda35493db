using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MailSecurity.Dns;
using MailSecurity.MailAuth;

namespace MailSecurity.Commands
{
    /// <summary>
    /// <para type="synopsis">Fetches, parses and judges a domain's mail-authentication records.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "MailAuthRecords")]
    [OutputType(typeof(MailAuthReport))]
    public sealed class GetMailAuthRecordsCommand : MailSecurityCmdlet
    {
        private MailAuthCollector? _collector;

        /// <summary>
        /// <para type="description">The domain(s) to examine. Accepts pipeline input by value and by property name (DomainName, Domain, Name).</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("DomainName", "Name")]
        [AllowEmptyString]
        public string[] Domain { get; set; } = System.Array.Empty<string>();

        /// <summary>
        /// <para type="description">How many domains are examined at once. Default: 16.</para>
        /// </summary>
        [Parameter]
        [ValidateRange(1, 256)]
        public int ThrottleLimit { get; set; } = 16;

        /// <inheritdoc />
        protected override int EffectiveThrottleLimit => ThrottleLimit;

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _collector = new MailAuthCollector(Dns);
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (var input in Domain)
            {
                if (!TryNormalizeName(input, out var domain, out var error))
                {
                    EnqueueCompleted(input, error!);
                    continue;
                }

                var collector = _collector!;
                Enqueue(domain, async ct =>
                {
                    var report = await collector.CollectAsync(domain, ct).ConfigureAwait(false);
                    var outputs = new List<object>(2) { report };
                    var transport = DnsErrors.ForTransportFailure(report.Mx.Status == MxStatus.LookupFailed ? report.Mx : null, domain);
                    if (transport != null)
                    {
                        outputs.Insert(0, transport);
                    }

                    return outputs;
                });
            }
        }
    }
}
