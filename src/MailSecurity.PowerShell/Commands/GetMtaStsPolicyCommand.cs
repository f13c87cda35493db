using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
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
        /// <para type="description">The domain(s) whose MTA-STS policy to check. Accepts pipeline input by value and by property name (DomainName, Domain, Name).</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("DomainName", "Name")]
        [AllowEmptyString]
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
                if (!TryNormalizeName(input, out var domain, out var error))
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
                    return outputs;
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

        /// <summary>Reads an earlier result by property names: a live MtaStsPolicyResult or its Import-Clixml form (enums as numbers).</summary>
        internal static bool TryReadSnapshot(PSObject item, out string? domain, out MtaStsPolicySnapshot? snapshot, out string problem)
        {
            domain = null;
            snapshot = null;
            problem = string.Empty;
            if (item.BaseObject is MtaStsPolicyResult live)
            {
                domain = live.Domain;
                snapshot = MtaStsPolicySnapshot.From(live);
                return true;
            }

            var statusValue = Property(item, "Status");
            if (statusValue is null || !LanguagePrimitives.TryConvertTo<MtaStsStatus>(statusValue, out var status))
            {
                problem = "the object has no Status property of an MTA-STS result; pass the output of Get-MtaStsPolicy (or Import-Clixml of it).";
                return false;
            }

            var domainValue = Property(item, "Domain");
            if (domainValue != null && DomainName.TryNormalize(domainValue.ToString(), out var normalized, out _))
            {
                domain = normalized;
            }

            MtaStsMode? mode = null;
            var modeValue = Property(item, "Mode");
            if (modeValue != null)
            {
                if (!LanguagePrimitives.TryConvertTo<MtaStsMode>(modeValue, out var m))
                {
                    problem = $"the Mode value '{modeValue}' is not enforce, testing or none.";
                    return false;
                }

                mode = m;
            }

            long? maxAge = null;
            var maxAgeValue = Property(item, "MaxAgeSeconds");
            if (maxAgeValue != null && LanguagePrimitives.TryConvertTo<long>(maxAgeValue, out var seconds))
            {
                maxAge = seconds;
            }
            else if (Property(item, "MaxAge") is object span && LanguagePrimitives.TryConvertTo<TimeSpan>(span, out var ts))
            {
                maxAge = (long)ts.TotalSeconds;
            }

            var patterns = new List<string>();
            var mxValue = Property(item, "MxPatterns");
            if (mxValue is string single)
            {
                patterns.AddRange(single.Split(new[] { ',', ' ' }, StringSplitOptions.RemoveEmptyEntries));
            }
            else if (mxValue is IEnumerable many)
            {
                patterns.AddRange(many.Cast<object?>().Where(o => o != null).Select(o => (o is PSObject p ? p.BaseObject : o)!.ToString()!));
            }

            DateTimeOffset? checkedAt = null;
            var at = Property(item, "CheckedAt");
            if (at is DateTimeOffset dto)
            {
                checkedAt = dto;
            }
            else if (at is DateTime dt)
            {
                checkedAt = new DateTimeOffset(dt.ToUniversalTime(), TimeSpan.Zero);
            }
            else if (at is PSObject bag && Property(bag, "UtcDateTime") is DateTime utc)
            {
                // Import-Clixml gives a DateTimeOffset back as a property bag.
                checkedAt = new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
            }

            snapshot = new MtaStsPolicySnapshot(status, Property(item, "Id")?.ToString(), mode, maxAge, patterns, checkedAt);
            return true;
        }

        private static object? Property(PSObject item, string name)
        {
            var value = item.Properties[name]?.Value;
            // A deserialized property bag keeps its properties on the PSObject itself: do not unwrap those.
            return value is PSObject p && !(p.BaseObject is PSCustomObject) ? p.BaseObject : value;
        }
    }
}
