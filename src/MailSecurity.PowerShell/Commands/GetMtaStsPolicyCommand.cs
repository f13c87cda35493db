using System;
using System.Management.Automation;

namespace MailSecurity.Commands
{
    /// <summary>
    /// <para type="synopsis">Not implemented yet (tracked in issue 5); it stops with a NotImplemented error and produces no output.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "MtaStsPolicy")]
    [OutputType(typeof(object))]
    public sealed class GetMtaStsPolicyCommand : PSCmdlet
    {
        /// <summary>
        /// <para type="description">The domain(s) to examine.</para>
        /// </summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("DomainName", "Name")]
        public string[]? Domain { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
            => ThrowTerminatingError(new ErrorRecord(
                new NotImplementedException("Get-MtaStsPolicy is not implemented yet in this version of MailSecurity."),
                "NotImplemented",
                ErrorCategory.NotImplemented,
                null));
    }
}
