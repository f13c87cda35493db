using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MailSecurity.Dns;
using MailSecurity.Mx;
using MailSecurity.Smtp;

namespace MailSecurity.Commands
{
    /// <summary>
    /// <para type="synopsis">Connects to mail servers as a sending MTA would (EHLO, STARTTLS, TLS, EHLO, QUIT) and reports TLS version, cipher, certificate chain, PKIX and host-name validity, and capabilities before and after TLS.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "SmtpStartTls", DefaultParameterSetName = DomainSet)]
    [OutputType(typeof(SmtpTlsProbe))]
    [OutputType(typeof(bool))]
    public sealed class TestSmtpStartTlsCommand : MailSecurityCmdlet
    {
        private const string DomainSet = "Domain";
        private const string HostSet = "HostName";
        private SmtpTlsProber? _prober;
        private MxResolver? _mx;
        private HostAddressResolver? _addresses;
        private SemaphoreSlim? _probeSlots;

        /// <summary>
        /// <para type="description">The domain(s) whose MX hosts are probed: every MX host and every address (A and AAAA). Accepts strings from the pipeline, and any object whose DomainName, Domain, PrimarySmtpAddress (its domain), AddressSpaces (a send connector without smart hosts) or Name property names a domain: Exchange accepted domains (a wildcard *.contoso.com is probed as contoso.com, with the finding Input.WildcardDomain), mailboxes, also as deserialized by remoting or Import-Clixml. Objects that name hosts (SmartHosts, HostName, ComputerName) bind to -HostName.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = DomainSet)]
        [Alias("DomainName", "Name")]
        [AllowEmptyString]
        [DomainInput(HostsElsewhere = true)]
        public string[] Domain { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">The host(s) to probe directly (a name, or an IP address, optionally in brackets). Binds objects with a HostName, ComputerName or SmartHosts property from the pipeline (Fqdn is not an alias: on an Exchange send connector it is the connector's own EHLO name, not a host to probe).</para>
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = HostSet)]
        [Alias("ComputerName", "SmartHosts")]
        [AllowEmptyString]
        [HostInput]
        public string[] HostName { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">The TCP port. Default: 25, or 465 with -ImplicitTls.</para>
        /// </summary>
        [Parameter]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = 25;

        /// <summary>
        /// <para type="description">Start TLS on connect (RFC 8314, submission port 465) instead of with STARTTLS.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter ImplicitTls { get; set; }

        /// <summary>
        /// <para type="description">The name sent with EHLO. Default: this machine's FQDN, or the address literal of the local end when it has none.</para>
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? HeloName { get; set; }

        /// <summary>
        /// <para type="description">Attach the SMTP transcript to each result (Transcript property; secrets redacted).</para>
        /// </summary>
        [Parameter]
        public SwitchParameter IncludeTranscript { get; set; }

        /// <summary>
        /// <para type="description">Return one $true or $false per input (domain or host), in input order, as Test-Connection -Quiet does: $true when every probed address of that input has a PKIX-valid TLS session whose certificate names the host.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <summary>
        /// <para type="description">Also test these TLS versions one by one, each in its own connection (Tls10, Tls11, Tls12, Tls13). Accepted legacy versions become Tls.LegacyProtocol findings; versions this machine cannot offer are reported as NotSupportedByPlatform.</para>
        /// </summary>
        [Parameter]
        public TlsVersion[]? TlsVersion { get; set; }

        /// <summary>
        /// <para type="description">Check certificate revocation (CRL/OCSP; needs network access to the CA). Off by default, as most sending MTAs do.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter CheckRevocation { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            if (HeloName != null && !IsValidHeloName(HeloName))
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException($"-HeloName '{DomainName.Printable(HeloName)}' is neither a domain name nor an address literal such as [192.0.2.1]."),
                    "InvalidHeloName", ErrorCategory.InvalidArgument, HeloName));
            }

            if (ImplicitTls && !MyInvocation.BoundParameters.ContainsKey(nameof(Port)))
            {
                Port = 465; // RFC 8314 §7.3: submissions
            }

            base.BeginProcessing();
            _prober = new SmtpTlsProber();
            _mx = new MxResolver(Dns);
            _addresses = new HostAddressResolver(Dns);
            _probeSlots = new SemaphoreSlim(ThrottleLimit);
        }

        /// <inheritdoc />
        protected override int? CountInputs() => ParameterSetName == DomainSet ? Domain.Length : HostName.Length;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (ParameterSetName == DomainSet)
            {
                foreach (var input in Domain)
                {
                    if (!TryReadDomain(input, out var domain, out var inputFinding, out var error))
                    {
                        EnqueueCompleted(input, error!, NoResult);
                        continue;
                    }

                    Enqueue(domain, async ct => ForInput(await ProbeDomainAsync(domain, ct).ConfigureAwait(false), domain, inputFinding, domainView: true));
                }

                return;
            }

            foreach (var input in HostName)
            {
                // RFC 5321 §4.1.3: a dotted quad or an IPv6 address, bracketed or not ("1234" is a name, not 0.0.4.210).
                if (AddressLiteral.TryParse(input, out var literal))
                {
                    var address = literal!;
                    var text = address.ToString();
                    Enqueue(text, async ct => new List<object> { await ProbeAsync(text, address, ct).ConfigureAwait(false) });
                    continue;
                }

                if (!TryReadHost(input, out var host, out var error))
                {
                    EnqueueCompleted(input ?? string.Empty, error!, NoResult);
                    continue;
                }

                Enqueue(host, ct => ProbeHostAsync(host, ct));
            }
        }

        /// <inheritdoc />
        protected override bool QuietRequested => Quiet.IsPresent;

        /// <inheritdoc />
        protected override bool? Passes(object result) => result is SmtpTlsProbe probe ? probe.IsAuthenticatedTls : (bool?)null;

        private async Task<IReadOnlyList<object>> ProbeDomainAsync(string domain, CancellationToken ct)
        {
            var mx = await _mx!.ResolveAsync(domain, ct).ConfigureAwait(false);
            var noServer = MxErrors.ForNoMailServer(mx, domain, "probe", string.Empty);
            if (noServer != null)
            {
                return new object[] { noServer, NoResult };
            }

            var perHost = await Task.WhenAll(mx.Hosts.Select(h => h.IsIpAddress && IPAddress.TryParse(h.HostName, out var ip)
                ? ProbeAddressListAsync(h.HostName, ip, ct)
                : ProbeHostAsync(h.HostName, ct))).ConfigureAwait(false);
            return perHost.SelectMany(x => x).ToList();
        }

        private async Task<IReadOnlyList<object>> ProbeAddressListAsync(string hostName, IPAddress address, CancellationToken ct)
            => new List<object> { await ProbeAsync(hostName, address, ct).ConfigureAwait(false) };

        private async Task<IReadOnlyList<object>> ProbeHostAsync(string host, CancellationToken ct)
        {
            var resolved = await _addresses!.ResolveAsync(host, ct).ConfigureAwait(false);
            if (resolved.Addresses.Count == 0)
            {
                var error = resolved.IsLookupError
                    ? new ErrorRecord(new InvalidOperationException($"The address lookup for {host} failed: {resolved.Error}"), "AddressLookupFailed", ErrorCategory.ResourceUnavailable, host)
                    : new ErrorRecord(new InvalidOperationException($"{host} has no A or AAAA record, so it cannot be probed."), "NoAddress", ErrorCategory.ObjectNotFound, host);
                return new object[] { error, NoResult };
            }

            var probes = await Task.WhenAll(resolved.Addresses.Select(a => ProbeAsync(host, a, ct))).ConfigureAwait(false);
            if (resolved.Error is null)
            {
                return probes;
            }

            // One address family failed (e.g. AAAA SERVFAIL): the other is probed, and the failure is said, never hidden.
            var outputs = new List<object>(probes.Length + 1)
            {
                new ErrorRecord(new InvalidOperationException($"Only some addresses of {host} could be probed: {resolved.Error}"), "AddressLookupFailed", ErrorCategory.ResourceUnavailable, host),
            };
            outputs.AddRange(probes);
            return outputs;
        }

        private async Task<SmtpTlsProbe> ProbeAsync(string host, IPAddress address, CancellationToken ct)
        {
            var request = new SmtpTlsProbeRequest(host, address)
            {
                Port = Port,
                ImplicitTls = ImplicitTls,
                HeloName = HeloName,
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
                IncludeTranscript = IncludeTranscript,
                CheckRevocation = CheckRevocation,
            };
            foreach (var v in TlsVersion ?? Array.Empty<TlsVersion>())
            {
                request.ProbeVersions.Add(v);
            }

            await _probeSlots!.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                return await _prober!.ProbeAsync(request, ct).ConfigureAwait(false);
            }
            finally
            {
                _probeSlots.Release();
            }
        }

        private static bool IsValidHeloName(string name)
        {
            var n = name.Trim();
            if (n.StartsWith("[", StringComparison.Ordinal) && n.EndsWith("]", StringComparison.Ordinal))
            {
                var inner = n.Substring(1, n.Length - 2);
                if (inner.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
                {
                    return IPAddress.TryParse(inner.Substring(5), out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
                }

                return IPAddress.TryParse(inner, out var v4) && v4.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
            }

            // RFC 5321 §4.1.1.1: a domain (no wildcard, no underscore-only tricks); DomainName rejects control characters and spaces.
            return DomainName.TryNormalize(n, out var normalized, out _) && normalized.IndexOf('*') < 0;
        }

    }
}
