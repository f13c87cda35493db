using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using MailSecurity.Dkim;
using MailSecurity.Dns;
using MailSecurity.Records;

namespace MailSecurity.MtaSts
{
    /// <summary>
    /// Discovers a domain's <c>_mta-sts</c> TXT record the way a sender does (RFC 8461 §3.1): CNAMEs followed, records not
    /// beginning with <c>v=STSv1</c> dropped, exactly one must remain and parse. The one discovery behind Get-MailAuthRecords
    /// and Get-MtaStsPolicy.
    /// </summary>
    internal sealed class MtaStsTxtRecordLookup
    {
        /// <summary>The findings of the discovery at _mta-sts (RFC 8461 §3.1), in MTA-STS's words.</summary>
        private static readonly TxtDiscoveryFindings DiscoveryFindings = new TxtDiscoveryFindings(
            (MtaStsFindings.RecordLookupFailed, c => $"{c.Answer.Describe()} Senders cannot discover the policy; this is not 'no record'."),
            (MtaStsFindings.RecordIgnored, (c, record) => $"The TXT record '{record}' at {c.Name} does not begin with the exact 'v=STSv1', so senders ignore it."),
            (MtaStsFindings.NoRecord, c => c.Answer.Status == DnsLookupStatus.InvalidName ? $"{c.Answer.Describe()} No record can exist there: senders apply no MTA-STS policy."
                : c.Discovery.All.Count == 0 ? $"{c.Name} has no TXT record ({c.Answer.Status}): senders apply no MTA-STS policy."
                : $"None of the {c.Discovery.All.Count} TXT record(s) at {c.Name} begins with v=STSv1: senders apply no MTA-STS policy."),
            (MtaStsFindings.MultipleRecords, c => $"{c.Name} has {c.Discovery.Candidates.Count} TXT records beginning with v=STSv1 ({string.Join(" | ", c.Discovery.Candidates.Select(s => DisplayText.Shorten(s)))}): senders treat the domain as having no available policy."));

        private readonly IDnsLookup _lookup;

        /// <summary>Creates a MtaStsTxtRecordLookup over the run's DNS seam (the resolver, or a scripted zone in unit tests).</summary>
        /// <param name="dns">The run's DNS lookups.</param>
        /// <exception cref="ArgumentNullException"><paramref name="dns"/> is null.</exception>
        internal MtaStsTxtRecordLookup(IDnsLookup dns) => _lookup = dns ?? throw new ArgumentNullException(nameof(dns));

        /// <summary>Fetches and judges the record of <paramref name="domain"/>.</summary>
        public async Task<MtaStsTxtRecord> LookupAsync(string domain, CancellationToken cancellationToken = default)
        {
            var name = "_mta-sts." + domain;
            var answer = await _lookup.QueryAsync(name, QueryType.TXT, cancellationToken).ConfigureAwait(false);
            return Evaluate(domain, answer);
        }

        /// <summary>Judges an answer (RFC 8461 §3.1): drop non-STSv1 records; exactly one must remain and be valid.</summary>
        internal static MtaStsTxtRecord Evaluate(string domain, DnsAnswer answer)
        {
            var name = "_mta-sts." + domain;
            var discovery = TxtDiscovery.Select(answer, MtaStsTxtRecordParser.IsStsRecord, LooksLikeSts);
            var findings = DiscoveryFindings.Of(discovery, answer, name, domain);

            // What every outcome reports; each outcome below adds the record and id it found and sets its status.
            var result = new MtaStsTxtRecordBuilder
            {
                Domain = domain,
                LookupStatus = answer.Status,
                Records = discovery.All,
                StsRecords = discovery.Candidates,
                Extensions = new Dictionary<string, string>(),
                CnameChain = discovery.CnameChain,
                DnssecStatus = answer.DnssecStatus,
                Findings = findings,
            };
            if (discovery.Record is null)
            {
                result.Status = discovery.StatusWithoutRecord(MtaStsTxtStatus.TempError, MtaStsTxtStatus.NoRecord, MtaStsTxtStatus.MultipleRecords);

                // The error of a failed lookup, or of a name that cannot be asked (over 253 characters): that name cannot hold
                // a record either, so it is no policy (NoRecord), not a lookup failure.
                result.Error = discovery.Outcome == TxtDiscoveryOutcome.LookupFailed || answer.Status == DnsLookupStatus.InvalidName ? answer.Describe() : null;
                return new MtaStsTxtRecord(result);
            }

            var record = discovery.Record;
            var shown = DisplayText.Shorten(record);
            var parsed = MtaStsTxtRecordParser.Parse(record);
            if (parsed.WhitespaceBeforeSeparator)
            {
                // sts-field-delim = *WSP ";" *WSP allows it; the prose's literal "v=STSv1;" test does not (erratum 6285).
                findings.Add(MtaStsFindings.RecordSpaceBeforeSemicolon.Create($"The record '{shown}' at {name} has white space before the first ';'; this tool follows the ABNF and accepts it, senders testing for the literal 'v=STSv1;' drop it.", name));
            }

            foreach (var dup in parsed.Duplicates.Distinct())
            {
                findings.Add(MtaStsFindings.DuplicateKey.Create(dup == "id"
                    ? $"The record '{shown}' at {name} has more than one id; the first counts."
                    : $"The record '{shown}' at {name} has the field '{dup}' more than once; the first counts.", name));
            }

            if (!parsed.IsValid)
            {
                if (parsed.IdError != null)
                {
                    findings.Add(MtaStsFindings.InvalidId.Create($"The record '{shown}' at {name} is unusable: {parsed.IdError}; the id must be 1 to 32 letters and digits.", name));
                }

                // Every unusable record has the finding of its status, naming the grammar errors besides the id (RFC 8461 §3.1).
                var grammar = parsed.Errors.Where(e => !ReferenceEquals(e, parsed.IdError)).ToList();
                findings.Add(MtaStsFindings.InvalidRecord.Create(grammar.Count > 0
                    ? $"The record '{shown}' at {name} is not valid: {string.Join("; ", grammar)}."
                    : $"The record '{shown}' at {name} has no valid id, so senders treat the domain as having no available policy.", name));
                result.Status = MtaStsTxtStatus.Invalid;
                result.Record = record;
                result.Extensions = parsed.Extensions;
                return new MtaStsTxtRecord(result);
            }

            result.Status = MtaStsTxtStatus.Valid;
            result.Record = record;
            result.Id = parsed.Id;
            result.Extensions = parsed.Extensions;
            return new MtaStsTxtRecord(result);
        }

        /// <summary>A record a sender drops that was probably meant as MTA-STS: it mentions STSv1 or begins with v=sts in another case.</summary>
        private static bool LooksLikeSts(string text)
            => text.IndexOf("STSv1", StringComparison.OrdinalIgnoreCase) >= 0 || text.TrimStart().StartsWith("v=sts", StringComparison.OrdinalIgnoreCase);
    }
}
