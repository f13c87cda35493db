using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using System.Threading.Tasks;
using MailSecurity.Dkim;
using MailSecurity.Dns;
using MailSecurity.MailAuth;

namespace MailSecurity.Commands
{
    /// <summary>
    /// <para type="synopsis">Fetches, parses and judges a domain's mail-authentication records.</para>
    /// <para type="description">Returns one MailSecurity.MailAuthReport per domain with the MX set (and its hosts' address checks),
    /// the SPF policy with its include/redirect tree and lookup counts (RFC 7208), the DMARC policy found by the RFC 9989 DNS tree walk (Organizational Domain, which of p/sp/np applies, report destination
    /// authorization), DKIM keys with key sizes, the _mta-sts TXT record, the TLS-RPT record and the BIMI record, each with findings
    /// carrying stable codes, plus flat summary columns for Export-Csv. All lookups of one domain run concurrently.</para>
    /// </summary>
    /// <example>
    /// <code>Get-MailAuthRecords -Domain contoso.com -DkimSelector selector1, selector2</code>
    /// </example>
    /// <example>
    /// <code>Get-AcceptedDomain | Get-MailAuthRecords | Export-Csv mailauth.csv -NoTypeInformation</code>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "MailAuthRecords")]
    [OutputType(typeof(MailAuthReport))]
    public sealed class GetMailAuthRecordsCommand : MailSecurityCmdlet
    {
        private MailAuthCollector? _collector;

        /// <summary>
        /// <para type="description">The domain(s) to examine. Accepts strings from the pipeline, and any object whose DomainName, Domain, PrimarySmtpAddress (its domain), AddressSpaces, HostName or Name property names a domain: Exchange accepted domains (a wildcard *.contoso.com is checked as contoso.com, with the finding Input.WildcardDomain), mailboxes, send connectors, CSV rows, also as deserialized by remoting or Import-Clixml.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [Alias("DomainName", "Name")]
        [AllowEmptyString]
        [DomainInput]
        public string[] Domain { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">DKIM selectors to look up (for example selector1, selector2 for Microsoft 365, or google).
        /// Without it, a built-in list of common selectors is probed; not finding a key there proves nothing, because selectors are
        /// chosen freely. An empty or invalid selector is reported as the finding Dkim.InvalidSelector and not looked up.</para>
        /// </summary>
        [Parameter]
        [AllowEmptyString]
        [AllowEmptyCollection]
        [ArgumentCompleter(typeof(DkimSelectorCompleter))]
        public string[]? DkimSelector { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _collector = new MailAuthCollector(Dns);
        }

        /// <inheritdoc />
        protected override int? CountInputs() => Domain.Length;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            // An explicitly empty -DkimSelector list still counts as "given", so it is reported rather than replaced by the built-in list.
            IReadOnlyList<string>? selectors = null;
            if (DkimSelector != null)
            {
                selectors = DkimSelector.Length == 0 ? new[] { string.Empty } : DkimSelector.Select(s => s ?? string.Empty).ToArray();
            }

            foreach (var input in Domain)
            {
                if (!TryReadDomain(input, out var domain, out var inputFinding, out var error))
                {
                    EnqueueCompleted(input, error!);
                    continue;
                }

                var collector = _collector!;
                Enqueue(domain, async ct =>
                {
                    var report = await collector.CollectAsync(domain, selectors, ct).ConfigureAwait(false);
                    var outputs = new List<object>(2) { report };
                    var transport = DnsErrors.ForTransportFailure(report.Mx.Status == MxStatus.LookupFailed ? report.Mx : null, domain);
                    if (transport != null)
                    {
                        outputs.Insert(0, transport);
                    }

                    return ForInput(outputs, null, inputFinding);
                });
            }
        }
    }

    /// <summary>Completes -DkimSelector with the built-in list of common selectors.</summary>
    public sealed class DkimSelectorCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            foreach (var selector in DkimSelectors.Common)
            {
                if (selector.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    yield return new CompletionResult(selector, selector, CompletionResultType.ParameterValue, selector);
                }
            }
        }
    }
}
