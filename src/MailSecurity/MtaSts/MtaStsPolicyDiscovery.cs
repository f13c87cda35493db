using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using MailSecurity.Dns;

namespace MailSecurity.MtaSts
{
    /// <summary>The outcome of TXT discovery: evidence, the status when discovery stops, and findings.</summary>
    public sealed class MtaStsDiscoveryOutcome
    {
        internal MtaStsDiscoveryOutcome(MtaStsDiscovery evidence, MtaStsStatus? stopStatus, IReadOnlyList<Finding> findings)
        {
            Evidence = evidence;
            StopStatus = stopStatus;
            Findings = findings;
        }

        /// <summary>What was found in DNS.</summary>
        public MtaStsDiscovery Evidence { get; }

        /// <summary>Null when exactly one valid record was found (go on and fetch); otherwise why discovery stops.</summary>
        public MtaStsStatus? StopStatus { get; }

        /// <summary>Findings about the record.</summary>
        public IReadOnlyList<Finding> Findings { get; }
    }

    /// <summary>
    /// Finds the <c>_mta-sts</c> TXT record the way a sender does (RFC 8461 §3.1): CNAMEs followed, records not beginning
    /// with <c>v=STSv1</c> dropped, exactly one must remain and parse. Erratum 6285 decision: the ABNF is followed, so
    /// <c>v=STSv1 ;id=1</c> is kept (with a warning, since senders applying the literal <c>v=STSv1;</c> prefix drop it).
    /// Kept small and internal to this check; Get-MailAuthRecords has its own record parser.
    /// </summary>
    public sealed class MtaStsPolicyDiscovery
    {
        private const string Version = "v=STSv1";
        private readonly DnsResolver _dns;

        /// <summary>Creates the discovery over the run's DNS layer.</summary>
        public MtaStsPolicyDiscovery(DnsResolver dns) => _dns = dns ?? throw new ArgumentNullException(nameof(dns));

        /// <summary>Looks up and judges <c>_mta-sts.&lt;domain&gt;</c>.</summary>
        /// <param name="domain">The Policy Domain, normalised.</param>
        /// <param name="cancellationToken">Cancels the lookup.</param>
        public async Task<MtaStsDiscoveryOutcome> DiscoverAsync(string domain, CancellationToken cancellationToken = default)
        {
            var name = "_mta-sts." + domain;
            var answer = await _dns.QueryAsync(name, QueryType.TXT, cancellationToken).ConfigureAwait(false);
            var chain = answer.CnameChain.Select(l => $"{l.Name} -> {l.Target}").ToList();
            if (answer.IsLookupError || answer.Status == DnsLookupStatus.InvalidName)
            {
                var evidence = new MtaStsDiscovery(name, answer.Status, answer.DnssecStatus, chain, Array.Empty<string>(), Array.Empty<string>(), null, null, answer.Describe());
                return new MtaStsDiscoveryOutcome(evidence, MtaStsStatus.LookupFailed, new[]
                {
                    MtaStsFindings.RecordLookupFailed.Create($"{answer.Describe()} Senders cannot discover the policy; this is not 'no record'.", name),
                });
            }

            return Evaluate(name, answer.Status, answer.DnssecStatus, chain, answer.TxtStrings);
        }

        /// <summary>Judges the TXT strings found at <paramref name="queryName"/> (each record's strings already joined).</summary>
        public static MtaStsDiscoveryOutcome Evaluate(string queryName, DnsLookupStatus lookupStatus, DnssecStatus dnssecStatus, IReadOnlyList<string> cnameChain, IReadOnlyList<string> records)
        {
            var findings = new List<Finding>();
            var sts = records.Where(IsStsRecord).ToList();
            foreach (var r in records.Where(r => !IsStsRecord(r) && r.IndexOf("STSv1", StringComparison.OrdinalIgnoreCase) >= 0))
            {
                findings.Add(MtaStsFindings.RecordIgnored.Create($"The TXT record '{MtaStsPolicyParser.Shorten(r)}' does not begin with the exact 'v=STSv1', so senders ignore it.", queryName));
            }

            if (sts.Count == 0)
            {
                findings.Add(MtaStsFindings.NoRecord.Create(records.Count == 0
                    ? $"{queryName} has no TXT record ({lookupStatus}): senders apply no MTA-STS policy."
                    : $"None of the {records.Count} TXT record(s) at {queryName} begins with v=STSv1: senders apply no MTA-STS policy.", queryName));
                return Stop(MtaStsStatus.NoRecord, null, null);
            }

            if (sts.Count > 1)
            {
                findings.Add(MtaStsFindings.MultipleRecords.Create($"{queryName} has {sts.Count} TXT records beginning with v=STSv1 ({string.Join(" | ", sts.Select(MtaStsPolicyParser.Shorten))}): senders treat the domain as having no available policy.", queryName));
                return Stop(MtaStsStatus.MultipleRecords, null, null);
            }

            var record = sts[0];
            var id = ParseRecord(record, queryName, findings);
            if (id is null)
            {
                return Stop(MtaStsStatus.InvalidRecord, record, null);
            }

            return new MtaStsDiscoveryOutcome(new MtaStsDiscovery(queryName, lookupStatus, dnssecStatus, cnameChain, records, sts, record, id, null), null, findings);

            MtaStsDiscoveryOutcome Stop(MtaStsStatus status, string? rec, string? recId)
                => new MtaStsDiscoveryOutcome(new MtaStsDiscovery(queryName, lookupStatus, dnssecStatus, cnameChain, records, sts, rec, recId, null), status, findings);
        }

        /// <summary>
        /// True for records a sender keeps: the exact, case-sensitive <c>v=STSv1</c> followed by the end, white space or ';'
        /// (the ABNF reading of the §3.1 prefix rule; erratum 6285). <c>v=STSv12</c> is not kept.
        /// </summary>
        public static bool IsStsRecord(string text)
        {
            if (text is null || !text.StartsWith(Version, StringComparison.Ordinal))
            {
                return false;
            }

            if (text.Length == Version.Length)
            {
                return true;
            }

            var c = text[Version.Length];
            return c == ';' || c == ' ' || c == '\t';
        }

        /// <summary>RFC 8461 §3.1 sts-ext-name (also the policy's field names): alnum, then up to 31 of alnum, '_', '-', '.'.</summary>
        internal static bool IsFieldName(string name)
        {
            if (name.Length == 0 || name.Length > 32 || !IsAlnum(name[0]))
            {
                return false;
            }

            return name.All(c => IsAlnum(c) || c == '_' || c == '-' || c == '.');
        }

        /// <summary>Parses a kept record by the §3.1 ABNF; returns the id, or null with findings saying why the record is unusable.</summary>
        internal static string? ParseRecord(string record, string target, List<Finding> findings)
        {
            var errors = new List<string>();
            string? id = null;
            var idSeen = false;
            var idInvalid = false;
            var rest = record.Substring(Version.Length);
            var parts = rest.Split(';');
            if (parts[0].Length > 0)
            {
                if (parts[0].Trim(' ', '\t').Length != 0)
                {
                    errors.Add("v=STSv1 must be followed by ';'");
                }
                else if (parts.Length > 1)
                {
                    // sts-field-delim = *WSP ";" *WSP allows it; the prose's literal "v=STSv1;" test does not (erratum 6285).
                    findings.Add(MtaStsFindings.RecordSpaceBeforeSemicolon.Create($"The record '{MtaStsPolicyParser.Shorten(record)}' has white space before the first ';'; this tool follows the ABNF and accepts it, senders testing for the literal 'v=STSv1;' drop it.", target));
                }
            }

            if (parts.Length == 1)
            {
                errors.Add("the record has no fields after v=STSv1");
            }

            for (var i = 1; i < parts.Length; i++)
            {
                var field = parts[i].Trim(' ', '\t');
                if (field.Length == 0)
                {
                    // One trailing sts-field-delim is allowed; an empty field anywhere else is not.
                    if (i != parts.Length - 1 || i == 1)
                    {
                        errors.Add("an empty field between two semicolons");
                    }

                    continue;
                }

                var eq = field.IndexOf('=');
                if (eq <= 0)
                {
                    errors.Add($"'{MtaStsPolicyParser.Shorten(field)}' is not name=value");
                    continue;
                }

                var name = field.Substring(0, eq);
                var value = field.Substring(eq + 1);
                if (name == "id")
                {
                    if (idSeen)
                    {
                        findings.Add(MtaStsFindings.DuplicateKey.Create($"The record '{MtaStsPolicyParser.Shorten(record)}' has more than one id; the first counts.", target));
                        continue;
                    }

                    idSeen = true;
                    // sts-id = %s"id=" 1*32(ALPHA / DIGIT)
                    if (value.Length >= 1 && value.Length <= 32 && value.All(IsAlnum))
                    {
                        id = value;
                    }
                    else
                    {
                        idInvalid = true;
                        findings.Add(MtaStsFindings.InvalidId.Create(value.Length == 0
                            ? $"The record '{MtaStsPolicyParser.Shorten(record)}' has an empty id."
                            : value.Length > 32
                                ? $"The id has {value.Length} characters; at most 32 letters and digits are allowed."
                                : $"The id '{MtaStsPolicyParser.Shorten(value)}' contains characters other than letters and digits.", target));
                    }

                    continue;
                }

                if (!IsFieldName(name))
                {
                    errors.Add($"'{MtaStsPolicyParser.Shorten(name)}' is not a valid field name");
                }
                else if (value.Length == 0 || !value.All(c => c >= 0x21 && c <= 0x7E && c != ';' && c != '='))
                {
                    // sts-ext-value = 1*(%x21-3A / %x3C / %x3E-7E)
                    errors.Add($"the value of '{name}' is empty or contains characters that are not allowed");
                }
            }

            if (!idSeen)
            {
                findings.Add(MtaStsFindings.InvalidId.Create($"The record '{MtaStsPolicyParser.Shorten(record)}' has no id field, which is required.", target));
                idInvalid = true;
            }

            if (errors.Count > 0)
            {
                findings.Add(MtaStsFindings.InvalidRecord.Create($"The record '{MtaStsPolicyParser.Shorten(record)}' is not valid: {string.Join("; ", errors)}.", target));
                return null;
            }

            if (idInvalid)
            {
                findings.Add(MtaStsFindings.InvalidRecord.Create($"The record '{MtaStsPolicyParser.Shorten(record)}' has no valid id, so senders treat the domain as having no available policy.", target));
                return null;
            }

            return id;
        }

        private static bool IsAlnum(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
