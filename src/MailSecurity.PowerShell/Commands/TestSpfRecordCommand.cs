using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Net;
using MailSecurity.Dns;
using MailSecurity.Spf;

namespace MailSecurity.Commands
{
    /// <summary>
    /// <para type="synopsis">Evaluates SPF check_host() (RFC 7208) for a client IP address, sender and HELO name, with a step-by-step trace.</para>
    /// <para type="description">For each domain and each IP address, Test-SpfRecord fetches the domain's SPF record and evaluates it
    /// the way a receiving mail server does: mechanisms left to right, include and redirect, macros, the exp= explanation,
    /// the 10 DNS-lookup and 2 void-lookup limits. It returns the result (Pass, Fail, SoftFail, Neutral, None, TempError,
    /// PermError), the mechanism that matched, the explanation, the lookup counts and the trace. A DNS failure is TempError,
    /// never "no record".</para>
    /// </summary>
    /// <example>
    ///   <code>Test-SpfRecord -Domain example.com -IPAddress 192.0.2.10</code>
    /// </example>
    /// <example>
    ///   <code>Get-AcceptedDomain | Test-SpfRecord -IPAddress 192.0.2.10 -Sender alerts@example.com | Where-Object Result -ne Pass</code>
    /// </example>
    [Cmdlet(VerbsDiagnostic.Test, "SpfRecord")]
    [OutputType(typeof(SpfCheckResult))]
    [OutputType(typeof(bool))]
    public sealed class TestSpfRecordCommand : MailSecurityCmdlet
    {
        private SpfEvaluator? _evaluator;

        /// <summary>
        /// <para type="description">The domain(s) whose SPF policy is evaluated (the &lt;domain&gt; of check_host()). Accepts strings from the pipeline, and any object whose DomainName, Domain, PrimarySmtpAddress (its domain), AddressSpaces, HostName or Name property names a domain: Exchange accepted domains (a wildcard *.contoso.com is checked as contoso.com, with the finding Input.WildcardDomain), mailboxes, send connectors, CSV rows, also as deserialized by remoting or Import-Clixml.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [Alias("DomainName", "Name")]
        [AllowEmptyString]
        [DomainInput]
        public string[] Domain { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">The client IP address(es) to check, IPv4 or IPv6, as text or [IPAddress]. An IPv4-mapped IPv6 address is evaluated as IPv4.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("IP", "ClientIP")]
        [AllowEmptyString]
        public string[] IPAddress { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">The envelope sender (MAIL FROM) used for the %{s}, %{l} and %{o} macros. Default: postmaster@ the domain. Binds by property name, also from a mailbox's PrimarySmtpAddress.</para>
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("PrimarySmtpAddress")]
        public string? Sender { get; set; }

        /// <summary>
        /// <para type="description">The HELO/EHLO name used for the %{h} macro.</para>
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Helo")]
        public string? HeloName { get; set; }

        /// <summary>
        /// <para type="description">Return one $true or $false per evaluation (each domain and each address), in input order, as Test-Connection -Quiet does: $true when it gives Pass.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            // RFC 7208 §4.6.4: allow at least 20 s for the whole evaluation; more when single lookups may take long.
            var limit = TimeSpan.FromSeconds(Math.Max(20, 2 * TimeoutSec));
            _evaluator = new SpfEvaluator(Dns, new SpfEvaluatorOptions { EvaluationTimeout = limit });
        }

        /// <inheritdoc />
        protected override int? CountInputs() => Domain.Length * IPAddress.Length;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            // RFC 5321 §4.5.3.1: no real MAIL FROM or EHLO is longer; -Sender and -HeloName may change per pipeline record.
            var limitError = !SmtpPathLimits.TryCheckSender(Sender, out var senderError) ? ("InvalidSender", senderError)
                : !SmtpPathLimits.TryCheckHeloName(HeloName, out var heloError) ? ("InvalidHeloName", heloError)
                : default;
            foreach (var input in Domain)
            {
                var notADomain = AddressLiteralError(input);
                if (notADomain != null)
                {
                    EnqueueCompleted(input ?? string.Empty, notADomain, NoResult);
                    continue;
                }

                if (limitError.Item1 != null)
                {
                    var target = DomainName.TryNormalize(input, out var name, out _) ? name : input ?? string.Empty;
                    EnqueueCompleted(target, new ErrorRecord(new ArgumentException(limitError.Item2), limitError.Item1, ErrorCategory.InvalidArgument, target), NoResult);
                    continue;
                }

                // RFC 7208 §4.3: a malformed or single-label domain has the SPF result "none"; the evaluator returns
                // that result with a Spf.DomainNotUsable finding saying why, rather than an argument error. A wildcard
                // accepted domain (*.contoso.com) is evaluated as its parent, and its results say so.
                var domain = TryReadDomain(input, out var normalized, out var inputFinding, out _) ? normalized : input ?? string.Empty;

                foreach (var ipText in IPAddress)
                {
                    var text = ipText?.Trim() ?? string.Empty;
                    if (text.StartsWith("[", StringComparison.Ordinal) && text.EndsWith("]", StringComparison.Ordinal))
                    {
                        text = text.Substring(1, text.Length - 2);
                    }

                    if (!System.Net.IPAddress.TryParse(text, out var ip) || text.IndexOf('%') >= 0 || (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && text.Split('.').Length != 4))
                    {
                        var ex = new ArgumentException($"'{ipText}' is not an IPv4 or IPv6 address; Test-SpfRecord needs the client address to evaluate the SPF record of {domain}.");
                        EnqueueCompleted(domain, new ErrorRecord(ex, "InvalidIPAddress", ErrorCategory.InvalidArgument, domain));
                        continue;
                    }

                    var evaluator = _evaluator!;
                    var sender = Sender;
                    var helo = HeloName;
                    Enqueue(domain, async ct =>
                    {
                        var result = await evaluator.CheckHostAsync(ip, domain, sender, helo, ct).ConfigureAwait(false);
                        return ForInput(new List<object> { result }, null, inputFinding);
                    });
                }
            }
        }

        /// <inheritdoc />
        protected override bool QuietRequested => Quiet.IsPresent;

        /// <inheritdoc />
        protected override bool? Passes(object result) => result is SpfCheckResult r && r.Result == SpfResult.Pass;
    }
}
