using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using MailSecurity.Dkim;
using MailSecurity.Dns;

namespace MailSecurity.MtaSts
{
    /// <summary>Looks up and judges a domain's <c>_mta-sts</c> TXT record the way a sender discovers it (RFC 8461 §3.1).</summary>
    public sealed class MtaStsTxtRecordLookup
    {
        private readonly DnsLookup _lookup;

        /// <summary>Creates a lookup over the run's DNS layer.</summary>
        public MtaStsTxtRecordLookup(DnsResolver dns)
        {
            if (dns is null)
            {
                throw new ArgumentNullException(nameof(dns));
            }

            _lookup = dns.QueryAsync;
        }

        internal MtaStsTxtRecordLookup(DnsLookup lookup) => _lookup = lookup ?? throw new ArgumentNullException(nameof(lookup));

        /// <summary>Fetches and judges the record of <paramref name="domain"/>.</summary>
        public async Task<MtaStsTxtRecord> LookupAsync(string domain, CancellationToken cancellationToken = default)
        {
            var name = "_mta-sts." + domain;
            var answer = await _lookup(name, QueryType.TXT, cancellationToken).ConfigureAwait(false);
            return Evaluate(domain, answer);
        }

        /// <summary>Judges an answer (RFC 8461 §3.1): drop non-STSv1 records; exactly one must remain and be valid.</summary>
        internal static MtaStsTxtRecord Evaluate(string domain, DnsAnswer answer)
        {
            var name = "_mta-sts." + domain;
            var findings = new List<Finding>();
            var chain = answer.CnameChain.Select(l => $"{l.Name} -> {l.Target}").ToList();
            var empty = new Dictionary<string, string>();
            if (answer.IsLookupError)
            {
                findings.Add(MtaStsTxtFindings.LookupFailed.Create(answer.Describe(), name));
                return new MtaStsTxtRecord(domain, MtaStsTxtStatus.TempError, Array.Empty<string>(), null, null, empty, chain, answer.DnssecStatus, findings);
            }

            var all = answer.TxtStrings;
            var sts = all.Where(MtaStsTxtRecordParser.IsStsRecord).ToList();
            foreach (var other in all.Where(t => !MtaStsTxtRecordParser.IsStsRecord(t) && t.TrimStart().StartsWith("v=sts", StringComparison.OrdinalIgnoreCase)))
            {
                findings.Add(MtaStsTxtFindings.RecordDiscarded.Create($"The TXT record '{DkimTagList.Shorten(other)}' at {name} is ignored: it does not begin with the exact 'v=STSv1'.", name));
            }

            if (sts.Count == 0)
            {
                findings.Add(MtaStsTxtFindings.RecordMissing.Create(answer.Status == DnsLookupStatus.Success
                    ? $"{name} has {all.Count} TXT record(s), none beginning with v=STSv1."
                    : $"{domain} has no _mta-sts record ({answer.Status}).", name));
                return new MtaStsTxtRecord(domain, MtaStsTxtStatus.NoRecord, all, null, null, empty, chain, answer.DnssecStatus, findings);
            }

            if (sts.Count > 1)
            {
                findings.Add(MtaStsTxtFindings.MultipleRecords.Create($"{name} has {sts.Count} v=STSv1 records; senders treat the domain as having no available policy.", name));
                return new MtaStsTxtRecord(domain, MtaStsTxtStatus.MultipleRecords, all, null, null, empty, chain, answer.DnssecStatus, findings);
            }

            var record = sts[0];
            var parsed = MtaStsTxtRecordParser.Parse(record);
            if (parsed.WhitespaceBeforeSeparator)
            {
                findings.Add(MtaStsTxtFindings.WhitespaceBeforeSeparator.Create($"The record at {name} has white space before the first ';'; senders using the literal 'v=STSv1;' test drop it.", name));
            }

            foreach (var dup in parsed.Duplicates.Distinct())
            {
                findings.Add(MtaStsTxtFindings.DuplicateField.Create($"The record at {name} has the field '{dup}' more than once; the first is used.", name));
            }

            if (!parsed.IsValid)
            {
                foreach (var error in parsed.Errors)
                {
                    var descriptor = error.StartsWith("the id", StringComparison.Ordinal) || error.StartsWith("the required id", StringComparison.Ordinal) ? MtaStsTxtFindings.InvalidId : MtaStsTxtFindings.SyntaxError;
                    findings.Add(descriptor.Create($"The record at {name} is unusable: {error}.", name));
                }

                return new MtaStsTxtRecord(domain, MtaStsTxtStatus.Invalid, all, record, null, parsed.Extensions, chain, answer.DnssecStatus, findings);
            }

            return new MtaStsTxtRecord(domain, MtaStsTxtStatus.Valid, all, record, parsed.Id, parsed.Extensions, chain, answer.DnssecStatus, findings);
        }
    }
}
