using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using MailSecurity.Changes;
using MailSecurity.Dns;
using MailSecurity.MtaSts;
using MailSecurity.Smtp;

namespace MailSecurity.Commands
{
    /// <summary>
    /// <para type="synopsis">Discovers, fetches and validates a domain's MTA-STS policy exactly as a compliant sender would, and checks every MX against it.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "MtaStsPolicy")]
    [OutputType(typeof(MtaStsPolicyResult))]
    public sealed class GetMtaStsPolicyCommand : MailSecurityCmdlet
    {
        private readonly List<(string? Domain, MtaStsPolicySnapshot Snapshot)> _previous = new List<(string?, MtaStsPolicySnapshot)>();
        private MtaStsPolicyChecker? _checker;
        private SmtpProbeCache? _probes;

        /// <summary>
        /// <para type="description">The domain(s) whose MTA-STS policy to check. Accepts strings from the pipeline, and any object whose DomainName, Domain, PrimarySmtpAddress (its domain), AddressSpaces, HostName or Name property names a domain: Exchange accepted domains (a wildcard *.contoso.com is checked as contoso.com, with the finding Input.WildcardDomain), mailboxes, send connectors, CSV rows, also as deserialized by remoting or Import-Clixml.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [Alias("DomainName", "Name")]
        [AllowEmptyString]
        [DomainInput]
        public string[] Domain { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">Do not look up the domain's MX hosts or match them against the policy's mx patterns.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter SkipMxCheck { get; set; }

        /// <summary>
        /// <para type="description">Earlier Get-MtaStsPolicy results (live, or read back with Import-Clixml) to report drift against, matched to the inputs by their Domain property.</para>
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public PSObject[]? PreviousPolicy { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            foreach (var item in PreviousPolicy ?? Array.Empty<PSObject>())
            {
                if (!TryReadSnapshot(item, out var domain, out var snapshot, out var problem))
                {
                    ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-PreviousPolicy: {problem}"), "InvalidPreviousPolicy", ErrorCategory.InvalidArgument, item));
                    return;
                }

                _previous.Add((domain, snapshot!));
            }

            _checker = new MtaStsPolicyChecker(Dns, new MtaStsPolicyFetcher(Dns, TimeSpan.FromSeconds(TimeoutSec)));
            var timeout = TimeSpan.FromSeconds(TimeoutSec);
            _probes = new SmtpProbeCache(new SmtpTlsProber(), (host, address, sni) => new SmtpTlsProbeRequest(host, address) { Timeout = timeout, ServerName = sni }, CancellationToken);
        }

        /// <inheritdoc />
        protected override int? CountInputs() => Domain.Length;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (var input in Domain)
            {
                if (!TryReadDomain(input, out var domain, out var inputFinding, out var error))
                {
                    EnqueueCompleted(input, error!);
                    continue;
                }

                var options = new MtaStsCheckOptions
                {
                    SkipMxCheck = SkipMxCheck.IsPresent,
                    PreviousPolicy = FindPrevious(domain),
                    // RFC 8461 §4: each matching MX is checked for STARTTLS and a valid certificate for its name.
                    MxTlsProbe = async (host, address, ct) => MtaStsMxTlsCheck.FromProbe(await _probes!.GetAsync(host, address, null, ct).ConfigureAwait(false)),
                };
                var checker = _checker!;
                Enqueue(domain, async ct =>
                {
                    var result = await checker.CheckAsync(domain, options, ct).ConfigureAwait(false);
                    var outputs = new List<object>(2);
                    var transport = TransportError(result.Discovery, domain);
                    if (transport != null)
                    {
                        outputs.Add(transport);
                    }

                    outputs.Add(result);
                    return ForInput(outputs, null, inputFinding);
                });
            }
        }

        private MtaStsPolicySnapshot? FindPrevious(string domain)
        {
            foreach (var (d, snapshot) in _previous)
            {
                if (d is null || string.Equals(d, domain, StringComparison.Ordinal))
                {
                    return snapshot;
                }
            }

            return null;
        }

        /// <summary>A resolver that timed out or could not be reached is an error the caller should see, besides the LookupFailed status.</summary>
        private static ErrorRecord? TransportError(MtaStsTxtRecord discovery, string domain) => discovery.LookupStatus switch
        {
            DnsLookupStatus.Timeout => new ErrorRecord(new TimeoutException(discovery.Error), "DnsTimeout", ErrorCategory.OperationTimeout, domain),
            DnsLookupStatus.NetworkError => new ErrorRecord(new InvalidOperationException(discovery.Error), "DnsServerUnreachable", ErrorCategory.ConnectionError, domain),
            _ => null,
        };

        /// <summary>
        /// Reads an earlier result by property names, live or read back with Import-Clixml (enums as numbers), through the
        /// reader Compare-MailSecurityResult uses; the drift itself is decided by <see cref="MtaStsDriftDetector"/>.
        /// </summary>
        internal static bool TryReadSnapshot(PSObject item, out string? domain, out MtaStsPolicySnapshot? snapshot, out string problem)
        {
            domain = null;
            snapshot = null;
            problem = string.Empty;
            var read = ResultSnapshotReader.Read(item, ResultShape.MtaStsPolicyResult)!;
            var status = read.Value("Status");
            if (status is null || !Enum.TryParse<MtaStsStatus>(status, true, out _))
            {
                problem = "the object has no Status property of an MTA-STS result; pass the output of Get-MtaStsPolicy (or Import-Clixml of it).";
                return false;
            }

            var mode = read.Value("Mode");
            if (mode != null && !Enum.TryParse<MtaStsMode>(mode, true, out _))
            {
                problem = $"the Mode value '{mode}' is not enforce, testing or none.";
                return false;
            }

            if (read.Value("Domain") is string d && DomainName.TryNormalize(d, out var normalized, out _))
            {
                domain = normalized;
            }

            snapshot = ResultComparer.MtaStsSnapshotOf(read);
            return true;
        }
    }
}
