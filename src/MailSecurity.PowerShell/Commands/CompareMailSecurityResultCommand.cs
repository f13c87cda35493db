using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using MailSecurity.Changes;

namespace MailSecurity.Commands
{
    /// <summary>
    /// <para type="synopsis">Compares two runs of MailSecurity cmdlets and returns what changed: findings that appeared or cleared, hop levels per MX host, records and values, MTA-STS drift, certificates replaced or nearing expiry.</para>
    /// <para type="description">Results are matched by type and identity (domain, MX host, host and address, domain and IP address...), so the reference
    /// can be an earlier run read back with Import-Clixml, or any list of results. Each change is one flat MailSecurity.ResultChange that a scheduled task
    /// can mail, filter or export.</para>
    /// </summary>
    [Cmdlet(VerbsData.Compare, "MailSecurityResult", DefaultParameterSetName = ReferenceSet)]
    [OutputType(typeof(ResultChange))]
    public sealed class CompareMailSecurityResultCommand : PSCmdlet
    {
        private const string ReferenceSet = "Reference";
        private const string BaselineSet = "Baseline";
        private readonly List<ResultSnapshot> _reference = new List<ResultSnapshot>();
        private readonly List<ResultSnapshot> _difference = new List<ResultSnapshot>();
        private int _received;

        /// <summary>
        /// <para type="description">The earlier results: live objects, or an earlier run read back with Import-Clixml.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ReferenceSet)]
        [AllowEmptyCollection]
        public PSObject[] ReferenceObject { get; set; } = Array.Empty<PSObject>();

        /// <summary>
        /// <para type="description">The path of an Export-Clixml file holding the earlier results (instead of -ReferenceObject).</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = BaselineSet)]
        [ValidateNotNullOrEmpty]
        public string? Baseline { get; set; }

        /// <summary>
        /// <para type="description">The results of this run. Accepts pipeline input.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
        [AllowNull]
        public PSObject[]? DifferenceObject { get; set; }

        /// <summary>
        /// <para type="description">A certificate that expires within this many days of this run is reported as nearing expiry (once: when it enters the window or is new). Default: 30.</para>
        /// </summary>
        [Parameter]
        [ValidateRange(0, 3650)]
        public int ExpiryWarningDays { get; set; } = 30;

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            IEnumerable<object> reference = ReferenceObject;
            if (ParameterSetName == BaselineSet)
            {
                string path;
                try
                {
                    path = GetUnresolvedProviderPathFromPSPath(Baseline);
                }
                catch (Exception ex) when (ex is ItemNotFoundException || ex is ProviderNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is PSArgumentException)
                {
                    ThrowTerminatingError(new ErrorRecord(ex, "BaselineNotFound", ErrorCategory.ObjectNotFound, Baseline));
                    return;
                }

                if (!File.Exists(path))
                {
                    ThrowTerminatingError(new ErrorRecord(new FileNotFoundException($"The baseline file '{path}' does not exist (write one with Export-Clixml).", path), "BaselineNotFound", ErrorCategory.ObjectNotFound, Baseline));
                    return;
                }

                try
                {
                    // The Import-Clixml format: PSSerializer reads what Export-Clixml writes.
                    reference = PSSerializer.DeserializeAsList(File.ReadAllText(path));
                }
                catch (Exception ex) when (ex is System.Xml.XmlException || ex is IOException || ex is UnauthorizedAccessException || ex is InvalidOperationException)
                {
                    ThrowTerminatingError(new ErrorRecord(ex, "InvalidBaseline", ErrorCategory.InvalidData, Baseline));
                    return;
                }
            }

            foreach (var item in Flatten(reference))
            {
                var snapshot = ResultSnapshotReader.Read(item);
                if (snapshot is null)
                {
                    WriteError(Unsupported(item, "-ReferenceObject"));
                    continue;
                }

                _reference.Add(snapshot);
            }
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (DifferenceObject is null)
            {
                return;
            }

            foreach (var item in Flatten(DifferenceObject))
            {
                _received++;
                var snapshot = ResultSnapshotReader.Read(item);
                if (snapshot is null)
                {
                    WriteError(Unsupported(item, "-DifferenceObject"));
                    continue;
                }

                _difference.Add(snapshot);
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (_received == 0)
            {
                WriteError(new ErrorRecord(new ArgumentException("Compare-MailSecurityResult received no results to compare: nothing was piped in and -DifferenceObject was empty."), "NoInput", ErrorCategory.InvalidArgument, null));
                return;
            }

            var changes = ResultComparer.Compare(_reference, _difference, new CompareOptions { ExpiryWarningDays = ExpiryWarningDays });
            foreach (var change in changes)
            {
                WriteObject(change);
            }
        }

        private static IEnumerable<object> Flatten(IEnumerable<object?> items)
        {
            foreach (var item in items)
            {
                var value = item is PSObject ps && !(ps.BaseObject is PSCustomObject) ? ps.BaseObject : item;
                if (value is object[] nested)
                {
                    // ,@($a, $b) or an array inside an array: each result on its own.
                    foreach (var inner in Flatten(nested))
                    {
                        yield return inner;
                    }
                }
                else if (item != null)
                {
                    yield return item;
                }
            }
        }

        private static ErrorRecord Unsupported(object item, string parameter)
            => new ErrorRecord(
                new ArgumentException($"{parameter}: the object ({DomainInputAttribute.Describe(item)}) is not a MailSecurity result; compare the output of Get-MailAuthRecords, Test-SpfRecord, Test-SmtpStartTls, Get-MtaStsPolicy, Test-DaneTlsa or Resolve-HopSecurity (live or read back with Import-Clixml)."),
                "UnsupportedInputObject", ErrorCategory.InvalidType, item);
    }
}
