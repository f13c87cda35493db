using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using MailSecurity.Dkim;
using MailSecurity.Dns;
using MailSecurity.Records;

namespace MailSecurity.Bimi
{
    /// <summary>
    /// Looks up the BIMI assertion record at <c>default._bimi.&lt;domain&gt;</c>, falling back to the Organizational
    /// Domain (draft -12 §8.3), and checks that the domain's DMARC policy lets receivers use it (§8.2).
    /// </summary>
    internal sealed class BimiRecordLookup
    {
        /// <summary>The selector used without a BIMI-Selector header.</summary>
        public const string DefaultSelector = "default";

        /// <summary>The findings of the discovery at default._bimi (§8.3 step 4), in BIMI's words.</summary>
        private static readonly TxtDiscoveryFindings DiscoveryFindings = new TxtDiscoveryFindings(
            (BimiFindings.LookupFailed, c => c.Answer.Describe()),
            (BimiFindings.RecordDiscarded, (c, record) => $"The TXT record '{record}' at {c.Name} is ignored: it does not begin with v=BIMI1 exactly."),
            (BimiFindings.RecordMissing, c => c.Answer.Status == DnsLookupStatus.Success
                ? $"{c.Name} has {c.Discovery.All.Count} TXT record(s), none a BIMI record (v=BIMI1 first)."
                : $"{c.Name} has no BIMI record ({c.Answer.Status})."),
            (BimiFindings.MultipleRecords, c => $"{c.Name} has {c.Discovery.Candidates.Count} BIMI records; receivers apply none."));

        private readonly IDnsLookup _lookup;

        /// <summary>Creates a BimiRecordLookup over the run's DNS seam (the resolver, or a scripted zone in unit tests).</summary>
        /// <param name="dns">The run's DNS lookups.</param>
        /// <exception cref="ArgumentNullException"><paramref name="dns"/> is null.</exception>
        internal BimiRecordLookup(IDnsLookup dns) => _lookup = dns ?? throw new ArgumentNullException(nameof(dns));

        /// <summary>Looks up the record of <paramref name="domain"/>.</summary>
        /// <param name="domain">The normalised domain.</param>
        /// <param name="dmarc">The domain's DMARC result (may still be running): its Organizational Domain is the fallback and its policy decides eligibility.</param>
        /// <param name="cancellationToken">Cancels the lookups.</param>
        public async Task<BimiRecord> LookupAsync(string domain, Task<DmarcPolicy>? dmarc, CancellationToken cancellationToken = default)
        {
            var answer = await _lookup.QueryAsync(DefaultSelector + "._bimi." + domain, QueryType.TXT, cancellationToken).ConfigureAwait(false);
            var result = Evaluate(domain, domain, answer);
            var policy = dmarc is null ? null : await dmarc.ConfigureAwait(false);
            if (result.Status == BimiStatus.NoRecord && policy != null && !string.Equals(policy.OrganizationalDomain, domain, StringComparison.Ordinal))
            {
                // §8.3 step 3: nothing at the Author Domain, so ask the Organizational Domain.
                var orgAnswer = await _lookup.QueryAsync(DefaultSelector + "._bimi." + policy.OrganizationalDomain, QueryType.TXT, cancellationToken).ConfigureAwait(false);
                var org = Evaluate(domain, policy.OrganizationalDomain, orgAnswer);
                if (org.Status != BimiStatus.NoRecord)
                {
                    result = org;
                }
                else
                {
                    result = new BimiRecord(new BimiRecordBuilder
                    {
                        Domain = domain,
                        Selector = DefaultSelector,
                        RecordDomain = domain,
                        Status = BimiStatus.NoRecord,
                        Records = result.Records,
                        AvatarPreference = "brand",
                        CnameChain = result.CnameChain,
                        DnssecStatus = result.DnssecStatus,
                        Findings = new[] { BimiFindings.RecordMissing.Create($"Neither default._bimi.{domain} nor default._bimi.{policy.OrganizationalDomain} has a BIMI record.", domain) },
                    });
                }
            }

            if (result.Status == BimiStatus.Valid && policy != null)
            {
                var why = WhyDmarcBlocksBimi(policy);
                if (why != null)
                {
                    var findings = result.Findings.ToList();
                    findings.Add(BimiFindings.DmarcNotEnforced.Create($"{domain} publishes BIMI but receivers will not use it: {why}.", domain));
                    result = new BimiRecord(new BimiRecordBuilder
                    {
                        Domain = result.Domain,
                        Selector = result.Selector,
                        RecordDomain = result.RecordDomain,
                        Status = result.Status,
                        Records = result.Records,
                        Record = result.Record,
                        LogoUri = result.LogoUri,
                        EvidenceUri = result.EvidenceUri,
                        LocalPartSelectors = result.LocalPartSelectors,
                        AvatarPreference = result.AvatarPreference,
                        CnameChain = result.CnameChain,
                        DnssecStatus = result.DnssecStatus,
                        Findings = findings,
                    });
                }
            }

            return result;
        }

        /// <summary>Why the DMARC policy makes receivers skip BIMI (draft -12 §8.2), or null when it does not.</summary>
        internal static string? WhyDmarcBlocksBimi(DmarcPolicy policy)
        {
            switch (policy.Status)
            {
                case DmarcStatus.TempError:
                    return null; // unknown; the DMARC part already reports the failure
                case DmarcStatus.NoRecord:
                    return "no DMARC policy applies to the domain";
                case DmarcStatus.NotApplied:
                    return "the DMARC record is unusable";
            }

            if (policy.PolicyAfterTesting == DmarcPolicyAction.None)
            {
                return policy.Policy == DmarcPolicyAction.None ? "the DMARC policy is none" : "DMARC t=y lowers the policy to none";
            }

            if (policy.Record?.SubdomainPolicy == DmarcPolicyAction.None && policy.Record.Tags.Any(t => t.Name == "sp" && t.Value != null))
            {
                return "the DMARC record has sp=none";
            }

            // Draft -12 §8.2 excludes only p=quarantine with a pct other than 100: under p=reject, mail not selected by pct
            // is still quarantined (RFC 7489 §6.6.4), so the policy stays enforcing.
            if (policy.PolicyAfterTesting == DmarcPolicyAction.Quarantine && policy.Record?.Percentage is int pct && pct < 100)
            {
                return $"the DMARC policy is quarantine with pct={pct} (RFC 7489 receivers; BIMI requires 100)";
            }

            return null;
        }

        /// <summary>Judges one answer: drop non-BIMI records; zero or several valid records mean no BIMI (§8.3 step 4).</summary>
        internal static BimiRecord Evaluate(string domain, string recordDomain, DnsAnswer answer)
        {
            var name = DefaultSelector + "._bimi." + recordDomain;
            var none = Array.Empty<string>();
            var discovery = TxtDiscovery.Select(answer, BimiRecordParser.IsBimiRecord, BimiRecordParser.IsNearMiss);
            var findings = DiscoveryFindings.Of(discovery, answer, name, domain);

            // What every outcome reports; each outcome below sets its status and what it found.
            var result = new BimiRecordBuilder
            {
                Domain = domain,
                Selector = DefaultSelector,
                RecordDomain = recordDomain,
                Records = discovery.All,
                LocalPartSelectors = none,
                AvatarPreference = "brand",
                CnameChain = discovery.CnameChain,
                DnssecStatus = answer.DnssecStatus,
                Findings = findings,
            };
            if (discovery.Record is null)
            {
                result.Status = discovery.StatusWithoutRecord(BimiStatus.TempError, BimiStatus.NoRecord, BimiStatus.MultipleRecords);
                return new BimiRecord(result);
            }

            var record = discovery.Record;
            var parsed = BimiRecordParser.Parse(record);
            foreach (var p in parsed.Problems)
            {
                findings.Add(p.Key.Create($"The BIMI record at {name}: {p.Value}.", name));
            }

            BimiStatus status;
            if (!parsed.IsValid)
            {
                status = BimiStatus.Invalid;
            }
            else if (parsed.Declined)
            {
                status = BimiStatus.Declined;
                findings.Add(BimiFindings.Declined.Create($"{name} declines to publish a brand indicator" + (parsed.EvidenceUri != null ? " (a= is set but l= is empty, so nothing is shown)." : "."), name));
            }
            else
            {
                status = BimiStatus.Valid;
                if (parsed.EvidenceUri is null)
                {
                    findings.Add(BimiFindings.NoEvidence.Create($"The BIMI record at {name} has no a= evidence document.", name));
                }
            }

            result.Status = status;
            result.Record = record;
            result.LogoUri = parsed.LogoUri;
            result.EvidenceUri = parsed.EvidenceUri;
            result.LocalPartSelectors = parsed.LocalPartSelectors;
            result.AvatarPreference = parsed.AvatarPreference;
            return new BimiRecord(result);
        }
    }
}
