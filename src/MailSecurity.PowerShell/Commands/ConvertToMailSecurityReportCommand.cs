using System;
using System.Collections;
using System.Management.Automation;
using MailSecurity.Report;

namespace MailSecurity.Commands
{
    /// <summary>
    /// <para type="synopsis">Turns MailSecurity results for many domains into one self-contained HTML report.</para>
    /// <para type="description">Takes the results of the other MailSecurity cmdlets from the pipeline (live, or read back with Import-Clixml),
    /// groups them by domain and returns one HTML page as a string: a summary with the worst problems first, a domain by check matrix
    /// colour-coded by the worst finding of each check, and per domain a drill-down with every finding and the evidence behind it.
    /// The page has no script and loads nothing from elsewhere; every value is HTML-encoded.</para>
    /// </summary>
    /// <example>
    ///   <code>Get-AcceptedDomain | Resolve-HopSecurity | ConvertTo-MailSecurityReport | Set-Content report.html</code>
    /// </example>
    [Cmdlet(VerbsData.ConvertTo, "MailSecurityReport")]
    [OutputType(typeof(string))]
    public sealed class ConvertToMailSecurityReportCommand : PSCmdlet
    {
        // Arrays piped as one item (such as $a, $b | ...) are unrolled this deep; deeper nesting is not a result list.
        private const int MaxUnrollDepth = 3;
        private readonly ReportBuilder _builder = new ReportBuilder();

        /// <summary>
        /// <para type="description">Results of Get-MailAuthRecords, Resolve-HopSecurity, Get-MtaStsPolicy, Test-SmtpStartTls, Test-DaneTlsa, Test-SpfRecord
        /// (live, or read back with Import-Clixml). Arrays are unrolled. Any other object gives a non-terminating UnsupportedInputObject error.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [AllowNull]
        [AllowEmptyCollection]
        public PSObject[]? InputObject { get; set; }

        /// <summary>
        /// <para type="description">The page title. Default: MailSecurity report.</para>
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public string Title { get; set; } = "MailSecurity report";

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (var item in InputObject ?? Array.Empty<PSObject>())
            {
                Accept(item, 0);
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var document = _builder.Build(Title, DateTimeOffset.Now);
            WriteObject(new HtmlReportWriter().Render(document));
        }

        private void Accept(object? item, int depth)
        {
            if (item is null)
            {
                return;
            }

            var inner = item is PSObject ps ? ps.BaseObject : item;
            if (depth < MaxUnrollDepth && inner is IEnumerable list && !(inner is string) && !(inner is IDictionary) && !(inner is PSCustomObject))
            {
                foreach (var element in list)
                {
                    Accept(element, depth + 1);
                }

                return;
            }

            var source = new PSObjectReportSource(item);
            if (!_builder.Add(source))
            {
                var message = $"ConvertTo-MailSecurityReport takes MailSecurity results ({string.Join(", ", ReportBuilder.SupportedTypeNames)}); got {source.TypeName ?? "an object without a type"}.";
                WriteError(new ErrorRecord(new ArgumentException(message), "UnsupportedInputObject", ErrorCategory.InvalidType, item));
            }
        }
    }
}
