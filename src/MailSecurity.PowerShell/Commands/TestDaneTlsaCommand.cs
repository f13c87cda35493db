using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MailSecurity.Dane;
using MailSecurity.Dns;
using MailSecurity.Mx;
using MailSecurity.Smtp;

namespace MailSecurity.Commands
{
    /// <summary>
    /// <para type="synopsis">Checks DANE for SMTP (RFC 7672) on mail servers: looks up the TLSA records at _port._tcp.host with their DNSSEC state, classifies each record, and matches them against the certificate chain each server presents.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "DaneTlsa", DefaultParameterSetName = DomainSet)]
    [OutputType(typeof(DaneResult))]
    [OutputType(typeof(bool))]
    public sealed class TestDaneTlsaCommand : DnssecCmdlet
    {
        private const string DomainSet = "Domain";
        private const string HostSet = "HostName";
        private MxResolver? _mx;
        private DaneEvaluator? _evaluator;
        private SmtpProbeCache? _probes;
        private SemaphoreSlim? _probeSlots;

        /// <summary>
        /// <para type="description">The domain(s) whose MX hosts are checked: the MX RRset is resolved with its DNSSEC state and every MX host is evaluated with the domain as context. Accepts strings from the pipeline, and any object whose DomainName, Domain, PrimarySmtpAddress (its domain), AddressSpaces or Name property names a domain: Exchange accepted domains (a wildcard *.contoso.com is checked as contoso.com, with the finding Input.WildcardDomain), mailboxes, also as deserialized by remoting or Import-Clixml. Objects that name hosts (HostName, SmartHosts) bind to -HostName.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = DomainSet)]
        [Alias("DomainName", "Name")]
        [AllowEmptyString]
        [DomainInput(HostsElsewhere = true)]
        public string[] Domain { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">The host(s) to check directly, without MX context: the host name is then the only reference identifier besides the TLSA base domain. Binds objects with a HostName, ComputerName or SmartHosts (an Exchange send connector's smart hosts) property from the pipeline.</para>
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = HostSet)]
        [Alias("ComputerName", "SmartHosts")]
        [AllowEmptyString]
        [HostInput]
        public string[] HostName { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">The TCP port; the TLSA records are looked up at _port._tcp.host. Default: 25.</para>
        /// </summary>
        [Parameter]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = 25;

        /// <summary>
        /// <para type="description">Return one $true or $false per input (domain or host), in input order, as Test-Connection -Quiet does: $true when at least one host was checked and every result for that input has the verdict Valid (reached through a DNSSEC-signed MX RRset in -Domain mode).</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            // DANE depends on the MX RRset's DNSSEC state (RFC 7672 §2.2.1): settle it, within the DNSSEC probe budget.
            _mx = new MxResolver(Dns, settleDnssec: true);
            _evaluator = new DaneEvaluator(Dns);
            var timeout = TimeSpan.FromSeconds(TimeoutSec);
            var port = Port;
            // RFC 7672 §8.1: SNI = the TLSA base domain; the cache gives each (host, address, SNI) one session per run.
            _probes = new SmtpProbeCache(new SmtpTlsProber(), (host, address, sni) => new SmtpTlsProbeRequest(host, address) { Port = port, Timeout = timeout, ServerName = sni }, CancellationToken);
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

                    Enqueue(domain, async ct => ForInput(await CheckDomainAsync(domain, ct).ConfigureAwait(false), null, inputFinding, domainView: true));
                }

                return;
            }

            foreach (var input in HostName)
            {
                var literal = AddressLiteral(input);
                if (literal != null)
                {
                    // The evaluator answers "DANE does not apply" for an address (RFC 7672 §2.2.1).
                    Enqueue(literal, ct => CheckHostAsync(new DaneTarget(literal, Port), ct));
                    continue;
                }

                if (!TryReadHost(input, out var host, out var error))
                {
                    EnqueueCompleted(input ?? string.Empty, error!, NoResult);
                    continue;
                }

                Enqueue(host, ct => CheckHostAsync(new DaneTarget(host, Port), ct));
            }
        }

        /// <inheritdoc />
        protected override bool QuietRequested => Quiet.IsPresent;

        /// <inheritdoc />
        // RFC 7672 §2.2.1: through an insecure MX RRset the delivery is not secure to the domain, even when the host validates.
        protected override bool? Passes(object result)
            => result is DaneResult dane ? dane.Verdict == DaneVerdict.Valid && dane.MxDnssecStatus != DnssecStatus.Insecure : (bool?)null;

        private async Task<IReadOnlyList<object>> CheckDomainAsync(string domain, CancellationToken ct)
        {
            var mx = await _mx!.ResolveAsync(domain, ct).ConfigureAwait(false);
            // RFC 7672 §2.2.1: a failed MX lookup means the destination is unknown (never "no MX").
            var noServer = MxErrors.ForNoMailServer(mx, domain, "check", " and DANE senders delay delivery");
            if (noServer != null)
            {
                return new object[] { noServer, NoResult };
            }

            // RFC 7672 §3.2.2: the CNAME-expanded next-hop domain is a reference identifier too (the answer is cached).
            var canonical = await _mx.CanonicalNameAsync(domain, ct).ConfigureAwait(false);
            var perHost = await Task.WhenAll(mx.Hosts.Select(h => CheckHostAsync(new DaneTarget(h.HostName, Port, domain, mx.DnssecStatus, canonical, mx.DnssecProbeFailure), ct))).ConfigureAwait(false);
            return perHost.SelectMany(r => r).ToList();
        }

        private async Task<IReadOnlyList<object>> CheckHostAsync(DaneTarget target, CancellationToken ct)
        {
            var results = await _evaluator!.EvaluateEachAddressAsync(target, ProbeAsync, ct).ConfigureAwait(false);
            return results.Cast<object>().ToList();
        }

        private async Task<TlsHandshakeOutcome> ProbeAsync(TlsaLookupResult lookup, IPAddress address, CancellationToken ct)
        {
            await _probeSlots!.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                var probe = await _probes!.GetAsync(lookup.HostName, address, lookup.TlsaBaseDomain, ct).ConfigureAwait(false);
                return TlsHandshakeOutcome.FromProbe(probe);
            }
            finally
            {
                _probeSlots.Release();
            }
        }

        /// <summary>An IP address as Exchange and SMTP write it ("192.0.2.1", "[192.0.2.1]", "[IPv6:2001:db8::1]"), normalised, or null.</summary>
        private static string? AddressLiteral(string? input)
            => Smtp.AddressLiteral.TryParse(input, out var address) ? address!.ToString() : null;

    }
}
