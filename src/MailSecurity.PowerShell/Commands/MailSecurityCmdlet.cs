using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MailSecurity.Dns;
using MailSecurity.Smtp;

namespace MailSecurity.Commands
{
    /// <summary>
    /// Base of every MailSecurity cmdlet: the shared <c>-DnsServer</c>/<c>-TimeoutSec</c> parameters, one DNS
    /// resolver (and cache) per invocation, and the bridge that runs each input's work concurrently and writes
    /// results, errors, verbose DNS logs and progress on the pipeline thread, in input order.
    /// </summary>
    public abstract class MailSecurityCmdlet : PSCmdlet
    {
        private CancellationTokenSource? _cancellation;
        private PipelineBridge? _bridge;
        private DnsResolver? _dns;
        private Stopwatch? _clock;
        private TimeSpan _lastProgress;
        private bool _progressShown;
        private int _progressId;
        private int? _expectedInputs;

        /// <summary>
        /// <para type="description">DNS servers to use: ip, ip:port or [v6]:port; several allowed. Default: the system's resolvers.
        /// Use a validating resolver (such as a local Unbound) for meaningful DNSSEC results.</para>
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(DnsServerCompleter))]
        public string[]? DnsServer { get; set; }

        /// <summary>
        /// <para type="description">Timeout in seconds for each network operation (one DNS question, one connection phase). Default: 10.</para>
        /// </summary>
        [Parameter]
        [ValidateRange(1, 600)]
        public int TimeoutSec { get; set; } = 10;

        /// <summary>The run's DNS layer (valid after <see cref="BeginProcessing"/>).</summary>
        private protected DnsResolver Dns => _dns ?? throw new InvalidOperationException("BeginProcessing has not run.");

        /// <summary>Cancelled when the user presses Ctrl+C.</summary>
        protected CancellationToken CancellationToken => _cancellation?.Token ?? CancellationToken.None;

        /// <summary>
        /// <para type="description">How many inputs (domains, hosts or messages) are worked on at once; results are still written in input order. Up to 8 DNS queries per input (at least 128) are on the wire at once. Default: 16.</para>
        /// </summary>
        [Parameter]
        [ValidateRange(1, 256)]
        public int ThrottleLimit { get; set; } = 16;

        /// <summary>DNS queries allowed on the wire per input worked on at once (with at least the resolver's default of 128).</summary>
        internal const int DnsQueriesInFlightPerInput = 8;

        /// <summary>The verb-noun used in progress messages.</summary>
        protected string CommandName => MyInvocation?.MyCommand?.Name ?? GetType().Name;

        /// <summary>Creates the DNS layer and the bridge. Argument problems end the command here.</summary>
        protected override void BeginProcessing()
        {
            _cancellation = new CancellationTokenSource();
            DnsResolverOptions options;
            try
            {
                options = DnsResolver.CreateOptions(DnsServer, TimeSpan.FromSeconds(TimeoutSec));
            }
            catch (FormatException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "InvalidDnsServer", ErrorCategory.InvalidArgument, DnsServer));
                return;
            }

            // -ThrottleLimit decides the DNS queries in flight too: a domain asks about 7 questions at once (MX, its TXT,
            // _dmarc, _domainkey, _mta-sts, _smtp._tls, BIMI), so a fixed cap of 128 held -ThrottleLimit 64 to ~18 domains'
            // worth and more concurrency bought nothing (issue 16). The default (16 x 8 = 128) is unchanged.
            options.MaxConcurrentQueries = Math.Max(options.MaxConcurrentQueries, ThrottleLimit * DnsQueriesInFlightPerInput);
            ConfigureDns(options);
            try
            {
                _dns = new DnsResolver(options, _cancellation.Token);
            }
            catch (Exception ex) when (ex is FormatException || ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
                // Only the trust-anchor file is read here; its message names the file and the bad line.
                var category = ex is FormatException ? ErrorCategory.InvalidData : ex is System.IO.FileNotFoundException || ex is System.IO.DirectoryNotFoundException ? ErrorCategory.ObjectNotFound : ErrorCategory.ReadError;
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"The trust anchor file cannot be used: {ex.Message}", ex), "InvalidTrustAnchorFile", category, options.TrustAnchorPath));
                return;
            }

            _bridge = new PipelineBridge(ThrottleLimit, _cancellation.Token);
            if (IsVerbose())
            {
                var bridge = _bridge;
                _dns.QueryLogged += (_, entry) => bridge.PostMessage(entry.ToString());
                WriteVerbose(string.Format(CultureInfo.InvariantCulture, "{0}: DNS servers {1}; timeout {2} s; throttle limit {3}{4}.", CommandName, string.Join(", ", FormatServers(_dns)), TimeoutSec, _bridge.ThrottleLimit, DescribeDnssecSettings(options)));
            }

            _clock = Stopwatch.StartNew();
            _progressId = Math.Abs(GetHashCode() % 100000) + 1;
            // Inputs typed as parameter values are all known now; inputs from the pipeline arrive one by one, uncounted.
            _expectedInputs = MyInvocation.ExpectingInput ? null : CountInputs();
        }

        /// <summary>Lets a cmdlet add its own DNS settings (DNSSEC validation; the default trusts the resolver) before the run's resolver is created.</summary>
        private protected virtual void ConfigureDns(DnsResolverOptions options)
        {
        }

        /// <summary>
        /// How many inputs (units of work queued with <see cref="Enqueue"/> or <see cref="EnqueueCompleted"/>) the bound
        /// parameters make, when the cmdlet can tell; null when it cannot (wildcard paths). Only asked when nothing is
        /// piped in. Lets the progress bar show a percentage.
        /// </summary>
        protected virtual int? CountInputs() => null;

        /// <summary>Writes everything that is ready and waits for the rest.</summary>
        protected override void EndProcessing()
        {
            if (_bridge != null && _bridge.Started == 0)
            {
                // Nothing was piped in (Get-AcceptedDomain returned nothing, an empty variable...): a scheduled task must
                // see that, not an empty report.
                WriteError(new ErrorRecord(
                    new ArgumentException($"{CommandName} received no input: nothing was piped in and no {InputDescription} was given, so nothing was checked."),
                    "NoInput", ErrorCategory.InvalidArgument, null));
            }

            Pump(drainAll: true);
            if (_progressShown)
            {
                WriteProgress(new ProgressRecord(_progressId, CommandName, "Done") { RecordType = ProgressRecordType.Completed });
            }

            OnCompleted();
            Cleanup();
        }

        /// <summary>Ctrl+C: cancels all in-flight work at once.</summary>
        protected override void StopProcessing()
        {
            try
            {
                _cancellation?.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        /// <summary>
        /// Queued in place of results for an input that produced none (invalid name, no MX, no address), so that -Quiet
        /// cannot answer $true for it. Never written.
        /// </summary>
        protected static readonly object NoResult = new object();

        /// <summary>
        /// True when the cmdlet's -Quiet is set: instead of its results, each input gets one [bool], in input order (as
        /// Test-Connection -Quiet does): $true only when the input produced results and every one passes.
        /// </summary>
        protected virtual bool QuietRequested => false;

        /// <summary>For -Quiet: whether one result passes the cmdlet's bar; null for items that do not count.</summary>
        protected virtual bool? Passes(object result) => null;

        /// <summary>Called after the last result was written, on the pipeline thread.</summary>
        protected virtual void OnCompleted()
        {
        }


        /// <summary>Queues the work for one input; results come out in input order.</summary>
        /// <param name="target">The input (domain or host), used as TargetObject of any error.</param>
        /// <param name="work">Produces the input's results; <see cref="ErrorRecord"/> items are written as errors.</param>
        protected void Enqueue(object target, Func<CancellationToken, Task<IReadOnlyList<object>>> work)
        {
            var bridge = _bridge ?? throw new InvalidOperationException("BeginProcessing has not run.");
            bridge.Add(target, work);
            Pump(drainAll: false);
        }

        /// <summary>Queues an input's already-known outcome (such as a validation error) in its place in the order.</summary>
        protected void EnqueueCompleted(object target, params object[] outputs)
        {
            var bridge = _bridge ?? throw new InvalidOperationException("BeginProcessing has not run.");
            bridge.AddCompleted(target, outputs);
            Pump(drainAll: false);
        }

        /// <summary>What the cmdlet takes as input, for the NoInput error (e.g. "domain").</summary>
        protected virtual string InputDescription => "domain";

        /// <summary>
        /// Reads one domain input: normalised (see <see cref="TryNormalizeName"/>). A wildcard such as *.contoso.com (an
        /// Exchange accepted domain that includes its subdomains) stands for its parent, contoso.com, and
        /// <paramref name="inputFinding"/> says so (Input.WildcardDomain) for every result of the input; a '*' anywhere
        /// else, or alone (an address space that routes every domain), is an InvalidDomainName error.
        /// </summary>
        protected static bool TryReadDomain(string? input, out string domain, out Finding? inputFinding, out ErrorRecord? error)
        {
            inputFinding = null;
            var text = input?.Trim() ?? string.Empty;
            if (text == "*" || text == "*.")
            {
                domain = string.Empty;
                error = new ErrorRecord(new ArgumentException("'*' stands for every domain (an address space that routes all mail through DNS); name the domains to check, for example with Get-AcceptedDomain."),
                    "InvalidDomainName", ErrorCategory.InvalidArgument, input);
                return false;
            }

            // RFC 4592 §2.1.1: "*" as the whole first label is a wildcard, not a name to look up.
            var wildcard = text.StartsWith("*.", StringComparison.Ordinal);
            if (!TryNormalizeName(wildcard ? text.Substring(2) : text, out domain, out error))
            {
                // The same error (InvalidDomainName, AddressLiteral...), about the input as given.
                error = new ErrorRecord(error!.Exception, error.FullyQualifiedErrorId, error.CategoryInfo.Category, input);
                return false;
            }

            if (domain.IndexOf('*') >= 0)
            {
                error = new ErrorRecord(new ArgumentException($"'{DomainName.Printable(text)}' has a '*' inside a name; only a whole first label '*.' (an accepted domain with subdomains) is read, as its parent domain."),
                    "InvalidDomainName", ErrorCategory.InvalidArgument, input);
                return false;
            }

            if (wildcard)
            {
                inputFinding = InputFindings.WildcardDomain.Create(
                    $"The input {DomainName.Printable(text)} is a wildcard (an accepted domain that includes its subdomains); {domain} itself was checked. Subdomains are not enumerated: check each one that receives mail by name.",
                    DomainName.Printable(text));
            }

            return true;
        }

        /// <summary>Reads one host-name input (see <see cref="TryNormalizeName"/>); a wildcard is not a host that can be connected to.</summary>
        protected static bool TryReadHost(string? input, out string host, out ErrorRecord? error)
        {
            if (!TryNormalizeName(input, out host, out error))
            {
                return false;
            }

            if (host.IndexOf('*') >= 0)
            {
                error = new ErrorRecord(new ArgumentException($"'{DomainName.Printable(input ?? string.Empty)}' is a wildcard, not a host that can be connected to; name the host."),
                    "InvalidDomainName", ErrorCategory.InvalidArgument, input);
                return false;
            }

            return true;
        }

        /// <summary>
        /// The outputs of one input with the input's own finding (a wildcard read as its parent) added to every result
        /// and, for STARTTLS probes, the domain they were probed for. With <paramref name="domainView"/>, results carry
        /// the type name <c>&lt;type&gt;#Domain</c>, whose format view shows the domain (the -Domain tables of
        /// Test-SmtpStartTls and Test-DaneTlsa).
        /// </summary>
        protected static IReadOnlyList<object> ForInput(IReadOnlyList<object> outputs, string? domain, Finding? inputFinding, bool domainView = false)
        {
            if (inputFinding is null && domain is null && !domainView)
            {
                return outputs;
            }

            var added = inputFinding is null ? Array.Empty<Finding>() : new[] { inputFinding };
            var list = new List<object>(outputs.Count);
            foreach (var item in outputs)
            {
                list.Add(item switch
                {
                    MailAuthReport r when added.Length > 0 => r.WithAddedFindings(added),
                    SpfCheckResult r when added.Length > 0 => r.WithAddedFindings(added),
                    MtaStsPolicyResult r when added.Length > 0 => r.WithAddedFindings(added),
                    DaneResult r when added.Length > 0 => r.WithAddedFindings(added),
                    HopSecurity r when added.Length > 0 => r.WithAddedFindings(added),
                    SmtpTlsProbe r => r.ForInput(domain, added),
                    _ => item,
                });
                if (domainView && (list[list.Count - 1] is SmtpTlsProbe || list[list.Count - 1] is DaneResult))
                {
                    var shown = PSObject.AsPSObject(list[list.Count - 1]);
                    shown.TypeNames.Insert(0, shown.BaseObject.GetType().FullName + "#Domain");
                    list[list.Count - 1] = shown;
                }
            }

            return list;
        }

        /// <summary>Normalises a domain or host name; on failure returns an error record for the input.</summary>
        protected static bool TryNormalizeName(string? input, out string normalized, out ErrorRecord? error)
        {
            error = AddressLiteralError(input);
            if (error != null)
            {
                normalized = string.Empty;
                return false;
            }

            if (DomainName.TryNormalize(input, out normalized, out var message))
            {
                error = null;
                return true;
            }

            error = new ErrorRecord(new ArgumentException(message), "InvalidDomainName", ErrorCategory.InvalidArgument, input);
            return false;
        }

        /// <summary>
        /// The error for an IP address given where a domain belongs ("192.0.2.1", "[IPv6:2001:db8::1]"), or null. It is refused
        /// at once: sent to DNS it would only wait out the timeout, and address literals have no MX, MTA-STS, DANE or SPF
        /// record of their own (RFC 5321 §4.1.3, RFC 8461 §3.4, RFC 7672 §2.2.1).
        /// </summary>
        protected static ErrorRecord? AddressLiteralError(string? input)
            => AddressLiteral.TryParse(input, out var address)
                ? new ErrorRecord(new ArgumentException($"'{input}' is an IP address ({address}), not a domain name: give the mail domain, such as example.com (Test-SmtpStartTls and Test-DaneTlsa check a server by address with -HostName)."),
                    "AddressLiteral", ErrorCategory.InvalidArgument, input)
                : null;

        /// <summary>Writes ready results; with <paramref name="drainAll"/>, waits for all, else only until the window has room.</summary>
        private void Pump(bool drainAll)
        {
            var bridge = _bridge;
            if (bridge is null)
            {
                return;
            }

            while (true)
            {
                while (bridge.TryDequeueMessage(out var message))
                {
                    WriteVerbose(message);
                }

                while (bridge.TryTakeCompleted(out var target, out var task))
                {
                    WriteOutputs(target, task);
                }

                if (bridge.Pending == 0 || (!drainAll && bridge.Pending < bridge.WindowSize))
                {
                    return;
                }

                ReportProgress(bridge);
                try
                {
                    bridge.WaitForActivity(TimeSpan.FromMilliseconds(200));
                }
                catch (OperationCanceledException)
                {
                    throw new PipelineStoppedException();
                }
            }
        }

        private void WriteOutputs(object target, Task<IReadOnlyList<object>> task)
        {
            if (task.IsCanceled)
            {
                if (CancellationToken.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();
                }

                WriteError(new ErrorRecord(new OperationCanceledException(), "OperationCanceled", ErrorCategory.OperationStopped, target));
                WriteQuietVerdict(counted: 0, allPass: false);
                return;
            }

            if (task.IsFaulted)
            {
                var ex = task.Exception?.GetBaseException() ?? new InvalidOperationException("Unknown failure.");
                if (ex is OperationCanceledException && CancellationToken.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();
                }

                WriteError(new ErrorRecord(ex, "UnexpectedError", ErrorCategory.NotSpecified, target)
                {
                    ErrorDetails = new ErrorDetails($"{CommandName} failed for '{target}': {ex.Message}"),
                });
                WriteQuietVerdict(counted: 0, allPass: false);
                return;
            }

            var counted = 0;
            var allPass = true;
            foreach (var item in task.Result)
            {
                if (item is ErrorRecord error)
                {
                    WriteError(error);
                }
                else if (ReferenceEquals(item, NoResult))
                {
                    allPass = false;
                }
                else if (item != null)
                {
                    var pass = Passes(item is PSObject shown ? shown.BaseObject : item);
                    if (pass.HasValue)
                    {
                        counted++;
                        allPass &= pass.Value;
                    }

                    if (!QuietRequested)
                    {
                        WriteObject(item);
                    }
                }
            }

            WriteQuietVerdict(counted, allPass);
        }

        /// <summary>-Quiet: one [bool] for the input just finished; $true only when it was tested and everything passed.</summary>
        private void WriteQuietVerdict(int counted, bool allPass)
        {
            if (QuietRequested)
            {
                WriteObject(counted > 0 && allPass);
            }
        }

        private void ReportProgress(PipelineBridge bridge)
        {
            var elapsed = _clock?.Elapsed ?? TimeSpan.Zero;
            if (elapsed < TimeSpan.FromSeconds(1) || elapsed - _lastProgress < TimeSpan.FromMilliseconds(250))
            {
                return;
            }

            _lastProgress = elapsed;
            _progressShown = true;
            var record = new ProgressRecord(_progressId, CommandName, "working");
            if (_expectedInputs is int total && total > 0)
            {
                record.StatusDescription = string.Format(CultureInfo.InvariantCulture, "{0} of {1} done, {2} in progress, {3:0} s elapsed, {4} DNS queries", bridge.Completed, total, bridge.Pending, elapsed.TotalSeconds, _dns?.QueriesSent ?? 0);
                record.PercentComplete = Math.Min(100, bridge.Completed * 100 / total);
            }
            else
            {
                record.StatusDescription = string.Format(CultureInfo.InvariantCulture, "{0} done, {1} in progress, {2:0} s elapsed, {3} DNS queries", bridge.Completed, bridge.Pending, elapsed.TotalSeconds, _dns?.QueriesSent ?? 0);
            }

            WriteProgress(record);
        }

        private bool IsVerbose()
        {
            if (MyInvocation.BoundParameters.TryGetValue("Verbose", out var v) && v is SwitchParameter sp)
            {
                return sp.IsPresent;
            }

            var pref = GetVariableValue("VerbosePreference");
            return pref is ActionPreference ap && ap != ActionPreference.SilentlyContinue && ap != ActionPreference.Ignore;
        }

        /// <summary>The DNSSEC settings for the -Verbose header, or empty for a cmdlet whose verdicts do not depend on DNSSEC.</summary>
        private protected virtual string DescribeDnssecSettings(DnsResolverOptions options) => string.Empty;

        private static IEnumerable<string> FormatServers(DnsResolver dns)
        {
            foreach (var s in dns.Servers)
            {
                yield return DnsServerAddress.Format(s);
            }
        }

        private void Cleanup()
        {
            _bridge?.Dispose();
            _bridge = null;
            _cancellation?.Dispose();
            _cancellation = null;
        }
    }
}
