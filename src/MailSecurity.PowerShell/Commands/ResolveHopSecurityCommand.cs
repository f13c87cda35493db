using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Threading;
using MailSecurity.Delivery;
using MailSecurity.Message;
using MailSecurity.MtaSts;
using MailSecurity.Smtp;

namespace MailSecurity.Commands
{
    /// <summary>
    /// <para type="synopsis">Shows how well each hop of mail is protected: per MX host of a domain (domain mode), or per hop of a message from its headers (message mode).</para>
    /// <para type="description">Domain mode returns one MailSecurity.HopSecurity per MX host, in preference order: the level a sender supporting
    /// DANE and MTA-STS reaches, whether the hop is encrypted, authenticated and downgrade-resistant, what would make such a sender refuse delivery,
    /// REQUIRETLS readiness, and the evidence (MX DNSSEC state, DANE result, MTA-STS coverage, STARTTLS probes).</para>
    /// <para type="description">Message mode reads a message (-Path, -HeaderText, or a MimeKit MimeMessage from the pipeline) and returns one
    /// MailSecurity.MessagePath: the Received chain as hops, oldest first, with the TLS version and cipher, authenticated submission and delay of each;
    /// the Authentication-Results fields placed on the hop that added them; DKIM signatures and the ARC chain verified against live DNS keys;
    /// and whether every hop was encrypted.</para>
    /// </summary>
    /// <example>
    /// <code>Get-ChildItem *.eml | Resolve-HopSecurity | Format-Table</code>
    /// </example>
    /// <example>
    /// <code>Resolve-HopSecurity -HeaderText (Get-Clipboard -Raw) | Select-Object -ExpandProperty Hops</code>
    /// </example>
    [Cmdlet(VerbsDiagnostic.Resolve, "HopSecurity", DefaultParameterSetName = DomainSet)]
    [OutputType(typeof(MessagePath), ParameterSetName = new[] { PathSet, LiteralPathSet, HeaderTextSet, MessageSet })]
    [OutputType(typeof(HopSecurity), ParameterSetName = new[] { DomainSet })]
    public sealed class ResolveHopSecurityCommand : DnssecCmdlet
    {
        private const string DomainSet = "Domain";
        private DomainHopAnalyzer? _domainAnalyzer;
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string HeaderTextSet = "HeaderText";
        private const string MessageSet = "Message";
        private const long MaxMessageBytes = 256L * 1024 * 1024;

        private MessagePathAnalyzer? _analyzer;

        /// <summary>Lines of piped header text (Get-Content gives one string per line) waiting to form one message.</summary>
        private readonly List<string> _pendingLines = new List<string>();

        /// <summary>
        /// <para type="description">Domain mode: the domain(s) whose MX hosts to examine. Accepts strings from the pipeline, and any object whose DomainName, Domain, PrimarySmtpAddress (its domain), AddressSpaces, HostName or Name property names a domain: Exchange accepted domains (a wildcard *.contoso.com is examined as contoso.com, with the finding Input.WildcardDomain), mailboxes, send connectors, CSV rows, also as deserialized by remoting or Import-Clixml. Files, folders and MimeKit messages select message mode.
        /// Piped strings that are header text (a "Field: value" line, a continuation line, or several lines) are read as a message instead.</para>
        /// </summary>
        [Parameter(ParameterSetName = DomainSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [Alias("DomainName", "Name")]
        [AllowEmptyString]
        [DomainInput]
        public string[]? Domain { get; set; }

        /// <summary>
        /// <para type="description">Message mode: path(s) of message files (.eml, or a text file holding a header block) or of folders holding them. Wildcards are allowed.
        /// Binds FullName from the pipeline, so Get-ChildItem *.eml | Resolve-HopSecurity works.</para>
        /// </summary>
        [Parameter(ParameterSetName = PathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        /// <summary>
        /// <para type="description">Message mode: path(s) of message files or folders, taken literally (no wildcards: for names with [ ] * ?). Binds PSPath from the pipeline.</para>
        /// </summary>
        [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[]? LiteralPath { get; set; }

        /// <summary>
        /// <para type="description">Files and folders from Get-ChildItem or Get-Item. Present so that a piped file or folder selects message mode rather than binding its Name to -Domain; use -Path when typing.</para>
        /// </summary>
        [Parameter(ParameterSetName = PathSet, ValueFromPipeline = true, DontShow = true)]
        public FileSystemInfo? InputFile { get; set; }

        /// <summary>
        /// <para type="description">Message mode: a header block as copied from a mail client (Outlook "Internet headers", Gmail "Show original"); a body may follow after a blank line.
        /// An array of lines (as Get-Content gives) is one message; piped strings are one message per string that holds several lines, and consecutive
        /// single-line strings form one message together.</para>
        /// </summary>
        [Parameter(ParameterSetName = HeaderTextSet, Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        [AllowEmptyString]
        [AllowEmptyCollection]
        public string[]? HeaderText { get; set; }

        /// <summary>
        /// <para type="description">Message mode: a MimeKit MimeMessage, for example from MailKit's ImapClient, from any MimeKit version (it is serialised and re-read).
        /// The parameter is typed IDisposable, which MimeMessage implements, so that other pipeline objects (strings, accepted domains, files) do not bind to it.</para>
        /// </summary>
        [Parameter(ParameterSetName = MessageSet, Mandatory = true, ValueFromPipeline = true)]
        public IDisposable? Message { get; set; }

        /// <summary>
        /// <para type="description">The authserv-id(s) your own servers write in Authentication-Results (RFC 8601 §2.5). Only their results are trusted.
        /// Default: the authserv-id of the top-most Authentication-Results field.</para>
        /// </summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        [Parameter(ParameterSetName = HeaderTextSet)]
        [Parameter(ParameterSetName = MessageSet)]
        [ValidateNotNullOrEmpty]
        public string[]? TrustedAuthServId { get; set; }

        /// <summary>
        /// <para type="description">Do not verify DKIM signatures or the ARC chain (no DNS lookups are made).</para>
        /// </summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        [Parameter(ParameterSetName = HeaderTextSet)]
        [Parameter(ParameterSetName = MessageSet)]
        public SwitchParameter SkipSignatureVerification { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            var options = new MessagePathOptions { VerifySignatures = !SkipSignatureVerification.IsPresent };
            foreach (var id in TrustedAuthServId ?? Array.Empty<string>())
            {
                options.TrustedAuthServIds.Add(id);
            }

            _analyzer = new MessagePathAnalyzer(SkipSignatureVerification.IsPresent ? null : Dns, options);
            if (ParameterSetName == DomainSet)
            {
                var timeout = TimeSpan.FromSeconds(TimeoutSec);
                // One STARTTLS session per host, address and SNI for the whole run, shared by DANE, MTA-STS and the verdict.
                var probes = new SmtpProbeCache(new SmtpTlsProber(), (host, address, sni) => new SmtpTlsProbeRequest(host, address) { Timeout = timeout, ServerName = sni }, CancellationToken);
                _domainAnalyzer = new DomainHopAnalyzer(Dns, new MtaStsPolicyChecker(Dns, new MtaStsPolicyFetcher(Dns, timeout)), probes);
            }
        }

        /// <inheritdoc />
        protected override string InputDescription => "domain or message";

        /// <inheritdoc />
        protected override int? CountInputs() => ParameterSetName switch
        {
            DomainSet => Domain?.Length,
            HeaderTextSet => 1,
            _ => null, // wildcard paths expand to an unknown number of files
        };

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            switch (ParameterSetName)
            {
                case PathSet:
                    ProcessPaths(Path, literal: false);
                    break;
                case LiteralPathSet:
                    ProcessPaths(LiteralPath, literal: true);
                    break;
                case HeaderTextSet:
                    ProcessHeaderText();
                    break;
                case MessageSet:
                    ProcessMessageObject();
                    break;
                default:
                    ProcessDomains();
                    break;
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            FlushText();
            base.EndProcessing();
        }

        private void ProcessHeaderText()
        {
            var lines = HeaderText ?? Array.Empty<string>();
            if (!MyInvocation.ExpectingInput)
            {
                // -HeaderText (Get-Content file): the lines of one message.
                EnqueueText(string.Join("\r\n", lines));
                return;
            }

            foreach (var text in lines)
            {
                AddText(text);
            }
        }

        /// <summary>A piped string: a whole message when it holds several lines, otherwise one line of a message being collected.</summary>
        private void AddText(string text)
        {
            if (text.IndexOf('\n') >= 0)
            {
                FlushText();
                EnqueueText(text);
            }
            else
            {
                _pendingLines.Add(text);
            }
        }

        private void FlushText()
        {
            if (_pendingLines.Count > 0)
            {
                var text = string.Join("\r\n", _pendingLines);
                _pendingLines.Clear();
                EnqueueText(text);
            }
        }

        private void EnqueueText(string text)
            => EnqueueAnalysis("HeaderText", "HeaderText", ct => _analyzer!.AnalyzeHeaderTextAsync(text, "HeaderText", ct));

        /// <summary>
        /// True for a string that is header text rather than a domain: it has a line break, starts with white space (a folded
        /// continuation), or starts with a field name and a colon (RFC 5322 §2.2). A domain name has none of these. Other
        /// strings stay domains, so that a mistyped name ("bad name") is an InvalidDomainName error, not a message.
        /// </summary>
        private static bool LooksLikeHeaderText(string s)
        {
            if (s.IndexOf('\n') >= 0 || s.IndexOf('\r') >= 0 || (s.Length > 0 && (s[0] == ' ' || s[0] == '\t')))
            {
                return true;
            }

            var colon = s.IndexOf(':');
            if (colon <= 0 || colon + 1 >= s.Length || (s[colon + 1] != ' ' && s[colon + 1] != '\t'))
            {
                return false;
            }

            for (var i = 0; i < colon; i++)
            {
                var c = s[i];
                if (c <= 32 || c >= 127)
                {
                    return false;
                }
            }

            return true;
        }

        private void ProcessDomains()
        {
            foreach (var input in Domain ?? Array.Empty<string>())
            {
                if (MyInvocation.ExpectingInput && (_pendingLines.Count > 0 || LooksLikeHeaderText(input)))
                {
                    // Header text on the pipeline (Get-Content headers.txt | Resolve-HopSecurity): message mode.
                    AddText(input);
                    continue;
                }

                FlushText();
                if (!TryReadDomain(input, out var domain, out var inputFinding, out var error))
                {
                    EnqueueCompleted(input, error!);
                    continue;
                }

                var analyzer = _domainAnalyzer!;
                Enqueue(domain, async ct =>
                {
                    var hops = await analyzer.AnalyzeAsync(domain, ct).ConfigureAwait(false);
                    var outputs = new List<object>(hops.Count + 1);
                    // A resolver that cannot be reached is also an error the caller should see (the row says Unreachable).
                    var transport = hops.Count == 1 && hops[0].MxStatus == MxStatus.LookupFailed
                        ? DnsErrors.ForTransportFailure(hops[0].MxLookupStatus, hops[0].Reason, domain)
                        : null;
                    if (transport != null)
                    {
                        outputs.Add(transport);
                    }

                    outputs.AddRange(hops);
                    return ForInput(outputs, null, inputFinding);
                });
            }
        }

        private void ProcessPaths(string[]? inputs, bool literal)
        {
            if (InputFile != null)
            {
                EnqueueFile(InputFile.FullName);
                return;
            }

            foreach (var input in inputs ?? Array.Empty<string>())
            {
                List<string> files;
                try
                {
                    ProviderInfo provider;
                    if (literal)
                    {
                        files = new List<string> { SessionState.Path.GetUnresolvedProviderPathFromPSPath(input, out provider, out _) };
                        if (!File.Exists(files[0]) && !Directory.Exists(files[0]))
                        {
                            throw new ItemNotFoundException($"Cannot find path '{input}' because it does not exist.");
                        }
                    }
                    else
                    {
                        files = SessionState.Path.GetResolvedProviderPathFromPSPath(input, out provider).ToList();
                    }

                    if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
                    {
                        EnqueueCompleted(input, new ErrorRecord(new ArgumentException($"'{input}' is not a file-system path."), "NotAFileSystemPath", ErrorCategory.InvalidArgument, input));
                        continue;
                    }
                }
                catch (ItemNotFoundException ex)
                {
                    EnqueueCompleted(input, new ErrorRecord(ex, "PathNotFound", ErrorCategory.ObjectNotFound, input));
                    continue;
                }
                catch (Exception ex) when (ex is ProviderNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is PSArgumentException || ex is ArgumentException)
                {
                    EnqueueCompleted(input, new ErrorRecord(ex, "InvalidPath", ErrorCategory.InvalidArgument, input));
                    continue;
                }

                foreach (var file in files)
                {
                    EnqueueFile(file);
                }
            }
        }

        private void EnqueueFile(string file)
        {
            if (Directory.Exists(file))
            {
                // A folder (from Get-Item, or -Path .\mail): every file directly in it, one result each, in name order.
                string[] inFolder;
                try
                {
                    inFolder = Directory.GetFiles(file);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    EnqueueCompleted(file, new ErrorRecord(ex, "ReadError", ErrorCategory.ReadError, file));
                    return;
                }

                Array.Sort(inFolder, StringComparer.OrdinalIgnoreCase);
                foreach (var f in inFolder)
                {
                    EnqueueFile(f);
                }

                return;
            }

            Enqueue(file, async ct =>
            {
                try
                {
                    var info = new FileInfo(file);
                    if (!info.Exists)
                    {
                        return new object[] { new ErrorRecord(new FileNotFoundException($"'{file}' does not exist.", file), "PathNotFound", ErrorCategory.ObjectNotFound, file) };
                    }

                    if (info.Length > MaxMessageBytes)
                    {
                        return new object[] { new ErrorRecord(new IOException($"'{file}' is {info.Length} bytes; messages larger than {MaxMessageBytes} bytes are not read."), "MessageTooLarge", ErrorCategory.LimitsExceeded, file) };
                    }

                    using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
                    var path = await _analyzer!.AnalyzeAsync(stream, file, ct).ConfigureAwait(false);
                    return Outputs(path, file);
                }
                catch (UnauthorizedAccessException ex)
                {
                    return new object[] { new ErrorRecord(ex, "PermissionDenied", ErrorCategory.PermissionDenied, file) };
                }
                catch (IOException ex)
                {
                    return new object[] { new ErrorRecord(ex, "ReadError", ErrorCategory.ReadError, file) };
                }
            });
        }

        private void ProcessMessageObject()
        {
            var message = Message is PSObject ps ? ps.BaseObject : Message;
            byte[] bytes;
            try
            {
                bytes = Serialize(message);
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is TargetInvocationException || ex is IOException || ex is NotSupportedException)
            {
                var inner = ex is TargetInvocationException tie && tie.InnerException != null ? tie.InnerException : ex;
                EnqueueCompleted(message ?? "Message", new ErrorRecord(inner, "InvalidMessageObject", ErrorCategory.InvalidArgument, message));
                return;
            }

            var source = DescribeMessage(message);
            EnqueueAnalysis(source, message ?? source, ct => _analyzer!.AnalyzeAsync(bytes, source, ct));
        }

        private void EnqueueAnalysis(string source, object target, Func<CancellationToken, System.Threading.Tasks.Task<MessagePath>> analyze)
        {
            Enqueue(target, async ct =>
            {
                var path = await analyze(ct).ConfigureAwait(false);
                return Outputs(path, target);
            });
        }

        /// <summary>
        /// The result of one input. An input that is not a message still gives its result (with the Message.NoHeaders finding), so
        /// that Get-ChildItem | Resolve-HopSecurity | Export-Csv has one row per file, and a non-terminating NotAMessage error.
        /// </summary>
        private static IReadOnlyList<object> Outputs(MessagePath path, object target)
        {
            if (path.HeaderCount == 0)
            {
                var why = path.Findings.FirstOrDefault()?.Message ?? "The input contains no message header fields.";
                return new object[] { path, new ErrorRecord(new InvalidDataException(why), "NotAMessage", ErrorCategory.InvalidData, target) };
            }

            return new object[] { path };
        }

        /// <summary>
        /// Writes a MimeMessage to bytes without naming MimeKit's type: the object may come from another copy of MimeKit
        /// (another module's, or the user's), whose types are not ours, so it is never cast.
        /// </summary>
        private static byte[] Serialize(object? message)
        {
            if (message is null)
            {
                throw new InvalidOperationException("The message is null.");
            }

            var type = message.GetType();
            if (!type.Name.EndsWith("MimeMessage", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"-Message expects a MimeKit MimeMessage; got {type.FullName}. Use -Path for files or -HeaderText for text.");
            }

            using var buffer = new MemoryStream();
            var withToken = type.GetMethod("WriteTo", new[] { typeof(Stream), typeof(CancellationToken) });
            if (withToken != null)
            {
                withToken.Invoke(message, new object[] { buffer, CancellationToken.None });
                return buffer.ToArray();
            }

            var plain = type.GetMethod("WriteTo", new[] { typeof(Stream) });
            if (plain != null)
            {
                plain.Invoke(message, new object[] { buffer });
                return buffer.ToArray();
            }

            return System.Text.Encoding.UTF8.GetBytes(message.ToString() ?? string.Empty);
        }

        private static string DescribeMessage(object? message)
        {
            var id = message?.GetType().GetProperty("MessageId")?.GetValue(message) as string;
            return string.IsNullOrEmpty(id) ? "Message" : $"Message <{id}>";
        }
    }
}
