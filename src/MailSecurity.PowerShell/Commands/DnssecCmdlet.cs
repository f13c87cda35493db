using System;
using System.Management.Automation;
using MailSecurity.Dns;

namespace MailSecurity.Commands
{
    /// <summary>
    /// Base of the cmdlets whose verdicts depend on DNSSEC (Test-DaneTlsa, Resolve-HopSecurity): <c>-DnssecValidation</c>
    /// and <c>-TrustAnchorPath</c>, once for both.
    /// </summary>
    public abstract class DnssecCmdlet : MailSecurityCmdlet
    {
        /// <summary>
        /// <para type="description">Where the DNSSEC state of answers comes from. Auto (default): the resolver's AD bit when it
        /// validates; when the DS walk finds it does not, this module validates the signatures itself from the trust
        /// anchors. Resolver: trust the AD bit only (behind a resolver that does not validate, DNSSEC-dependent verdicts say
        /// ResolverNotValidating). Local: validate every answer ourselves and ignore the AD bit.</para>
        /// </summary>
        /// <remarks>A string, not the core's enum: PowerShell reflects parameter types before the module initializer can load the core.</remarks>
        [Parameter]
        [ValidateSet("Auto", "Resolver", "Local", IgnoreCase = true)]
        public string DnssecValidation { get; set; } = "Auto";

        /// <summary>
        /// <para type="description">A file of trust anchors for local validation: DS or DNSKEY records in zone-file syntax (the
        /// format of Unbound's trust-anchor-file), for a private DNS tree or a lab. They are added to the built-in root KSKs;
        /// root anchors in the file replace the built-in ones. Set it once for a shell with
        /// $PSDefaultParameterValues['*:TrustAnchorPath'].</para>
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TrustAnchorPath { get; set; }

        /// <inheritdoc />
        private protected override void ConfigureDns(DnsResolverOptions options)
        {
            options.DnssecValidation = (DnssecValidationMode)Enum.Parse(typeof(DnssecValidationMode), DnssecValidation, ignoreCase: true);
            options.TrustAnchorPath = TrustAnchorPath is null ? null : GetUnresolvedProviderPathFromPSPath(TrustAnchorPath);
        }

        /// <inheritdoc />
        private protected override string DescribeDnssecSettings(DnsResolverOptions options)
            => $"; DNSSEC validation {options.DnssecValidation}{(options.TrustAnchorPath is null ? string.Empty : ", trust anchors from " + options.TrustAnchorPath + " and the root")}";
    }
}
