using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using MailSecurity.Dns;

namespace MailSecurity.Dmarc
{
    /// <summary>
    /// Discovers the DMARC policy that applies to a domain as a receiver would (RFC 9989 §4.10.1): the domain's own
    /// record, else the Organizational Domain's, else the public suffix domain's; which of p/sp/np applies and why;
    /// the Organizational Domain (§4.10.2); and the authorization of every report destination (RFC 9990 §4).
    /// </summary>
    internal sealed class DmarcPolicyResolver
    {
        private readonly IDnsLookup _lookup;

        /// <summary>Creates a DmarcPolicyResolver over the run's DNS seam (the resolver, or a scripted zone in unit tests).</summary>
        /// <param name="dns">The run's DNS lookups.</param>
        /// <exception cref="ArgumentNullException"><paramref name="dns"/> is null.</exception>
        internal DmarcPolicyResolver(IDnsLookup dns) => _lookup = dns ?? throw new ArgumentNullException(nameof(dns));

        /// <summary>Discovers the policy for <paramref name="domain"/> (normalised).</summary>
        public async Task<DmarcPolicy> ResolveAsync(string domain, CancellationToken cancellationToken = default)
        {
            var findings = new List<Finding>();
            // Existence decides np (RFC 9989 §3.2.13: NXDOMAIN). The MX question is shared with the MX check, so it is free.
            var existsTask = _lookup.QueryAsync(domain, QueryType.MX, cancellationToken);
            var walk = await DmarcTreeWalk.WalkAsync(_lookup, domain, cancellationToken).ConfigureAwait(false);
            var existsAnswer = await existsTask.ConfigureAwait(false);
            bool? exists = existsAnswer.Status == DnsLookupStatus.NxDomain ? false : existsAnswer.IsLookupError ? (bool?)null : true;
            findings.AddRange(walk.Findings);

            var orgDomain = DmarcTreeWalk.SelectOrganizationalDomain(walk, out var orgReason);
            var author = walk.Steps[0];
            if (author.Outcome == DmarcWalkOutcome.InvalidName)
            {
                findings.Add(DmarcFindings.NameTooLong.Create($"_dmarc.{domain} is not a valid DNS name ({author.Detail}).", domain));
            }

            if (walk.HasLookupError)
            {
                var failed = string.Join(", ", walk.Steps.Where(s => s.Outcome == DmarcWalkOutcome.LookupFailed).Select(s => s.QueryName));
                findings.Add(DmarcFindings.TreeWalkIncomplete.Create($"The DMARC tree walk for {domain} could not query {failed}; the Organizational Domain {orgDomain} is a best effort.", domain));
                orgReason += " (best effort: a lookup in the walk failed)";
            }

            if (author.Outcome == DmarcWalkOutcome.LookupFailed)
            {
                return Result(domain, DmarcStatus.TempError, null, DmarcPolicySource.None, null, null, null,
                    $"The lookup of _dmarc.{domain} failed, so whether the domain has its own policy is unknown.", orgDomain, orgReason, exists, walk, Array.Empty<DmarcReportDestination>(), findings);
            }

            DmarcRecord? record;
            DmarcPolicySource source;
            string policyDomain;
            if (walk.Records.TryGetValue(domain, out var own))
            {
                record = own;
                source = DmarcPolicySource.AuthorDomain;
                policyDomain = domain;
            }
            else if (walk.HasLookupError)
            {
                return Result(domain, DmarcStatus.TempError, null, DmarcPolicySource.None, null, null, null,
                    "The domain has no record of its own and a lookup in the tree walk failed, so the inherited policy is unknown.", orgDomain, orgReason, exists, walk, Array.Empty<DmarcReportDestination>(), findings);
            }
            else if (walk.Records.TryGetValue(orgDomain, out var org))
            {
                record = org;
                source = DmarcPolicySource.OrganizationalDomain;
                policyDomain = orgDomain;
            }
            else
            {
                var psd = walk.Steps.FirstOrDefault(s => s.Outcome == DmarcWalkOutcome.Record && s.Psd == DmarcPsdFlag.Yes);
                if (psd is null)
                {
                    findings.Add(DmarcFindings.NoRecord.Create($"No DMARC record applies to {domain}: the tree walk asked {string.Join(", ", walk.Steps.Select(s => s.QueryName))}.", domain));
                    return Result(domain, DmarcStatus.NoRecord, null, DmarcPolicySource.None, null, null, null,
                        "No DMARC record at the domain, its Organizational Domain or a public suffix domain.", orgDomain, orgReason, exists, walk, Array.Empty<DmarcReportDestination>(), findings);
                }

                record = walk.Records[psd.Domain];
                source = DmarcPolicySource.PublicSuffixDomain;
                policyDomain = psd.Domain;
            }

            findings.AddRange(record.Findings);

            // Which tag applies (RFC 9989 §4.10.1): p for the domain's own record; for an inherited one sp, or np when the domain does not exist.
            DmarcPolicyTag tag;
            DmarcPolicyAction? requested;
            string reason;
            if (source == DmarcPolicySource.AuthorDomain)
            {
                tag = DmarcPolicyTag.P;
                requested = record.Policy;
                reason = $"{domain} publishes its own record, so its p tag applies.";
            }
            else if (exists == false)
            {
                tag = record.Tags.Any(t => t.Name == "np" && t.Value != null) ? DmarcPolicyTag.Np : record.Tags.Any(t => t.Name == "sp" && t.Value != null) ? DmarcPolicyTag.Sp : DmarcPolicyTag.P;
                requested = record.NonExistentSubdomainPolicy;
                reason = $"{domain} does not exist (NXDOMAIN), so the {Describe(source)} record at {policyDomain} applies through {TagName(tag)}.";
                findings.Add(DmarcFindings.DomainDoesNotExist.Create($"{domain} does not exist; the {TagName(tag)} tag of _dmarc.{policyDomain} applies.", domain));
            }
            else
            {
                tag = record.Tags.Any(t => t.Name == "sp" && t.Value != null) ? DmarcPolicyTag.Sp : DmarcPolicyTag.P;
                requested = record.SubdomainPolicy;
                reason = $"{domain} has no record of its own, so the {Describe(source)} record at {policyDomain} applies through {TagName(tag)}"
                    + (exists is null ? " (whether the domain exists could not be determined; it is assumed to exist)." : ".");
            }

            if (source == DmarcPolicySource.OrganizationalDomain)
            {
                findings.Add(DmarcFindings.InheritedPolicy.Create($"{domain} has no DMARC record; the record of its Organizational Domain {policyDomain} applies through {TagName(tag)}.", domain));
            }
            else if (source == DmarcPolicySource.PublicSuffixDomain)
            {
                var who = string.Equals(orgDomain, domain, StringComparison.Ordinal)
                    ? $"{domain}, its own Organizational Domain, publishes no DMARC record"
                    : $"Neither {domain} nor its Organizational Domain {orgDomain} publishes DMARC";
                findings.Add(DmarcFindings.PolicyFromPublicSuffix.Create($"{who}; the public suffix record at _dmarc.{policyDomain} applies through {TagName(tag)}.", domain));
            }

            var status = DmarcStatus.Valid;
            if (!record.IsPolicyUsable)
            {
                // RFC 9989 §4.10.1: missing/invalid p, or invalid sp/np: p=none when rua has a valid URI, else no DMARC.
                if (record.HasValidAggregateReportUri)
                {
                    requested = DmarcPolicyAction.None;
                    reason += " The record's policy tags are missing or invalid and rua has a valid URI, so receivers act as if p=none.";
                }
                else
                {
                    requested = null;
                    status = DmarcStatus.NotApplied;
                    reason += " The record's policy tags are missing or invalid and rua has no valid URI, so receivers apply no DMARC.";
                }
            }

            var afterTesting = requested;
            if (status == DmarcStatus.Valid && record.Testing && requested != DmarcPolicyAction.None)
            {
                afterTesting = requested == DmarcPolicyAction.Reject ? DmarcPolicyAction.Quarantine : DmarcPolicyAction.None;
                findings.Add(DmarcFindings.TestingMode.Create($"_dmarc.{policyDomain} has t=y: receivers apply {afterTesting.ToString()!.ToLowerInvariant()} instead of {requested.ToString()!.ToLowerInvariant()}.", "_dmarc." + policyDomain));
                reason += $" t=y lowers it to {afterTesting.ToString()!.ToLowerInvariant()}.";
            }

            if (status == DmarcStatus.Valid && requested == DmarcPolicyAction.None)
            {
                findings.Add(DmarcFindings.PolicyNone.Create($"The DMARC policy that applies to {domain} is none: failing mail is not quarantined or rejected.", domain));
            }

            if (source == DmarcPolicySource.AuthorDomain && record.Policy is DmarcPolicyAction p)
            {
                foreach (var (name, weaker) in new[] { ("sp", record.SubdomainPolicy), ("np", record.NonExistentSubdomainPolicy) })
                {
                    if (weaker.HasValue && weaker.Value < p && record.Tags.Any(t => t.Name == name && t.Value != null))
                    {
                        findings.Add(DmarcFindings.SubdomainPolicyWeaker.Create($"_dmarc.{domain} has p={Lower(p)} but {name}={Lower(weaker.Value)}.", "_dmarc." + domain));
                    }
                }
            }

            if (!record.HasValidAggregateReportUri)
            {
                findings.Add(DmarcFindings.NoAggregateReports.Create($"The DMARC record at _dmarc.{policyDomain} has no valid rua URI; no aggregate reports are sent.", "_dmarc." + policyDomain));
            }

            if (record.Psd == DmarcPsdFlag.Yes && record.FailureReportUris.Count > 0)
            {
                findings.Add(DmarcFindings.FailureReportsFromPsdIgnored.Create($"_dmarc.{policyDomain} has psd=y; its ruf destinations are ignored.", "_dmarc." + policyDomain));
            }

            // The authorization check compares against the Organizational Domain of the policy domain: for a PSD record, the PSD itself.
            var policyOrg = source == DmarcPolicySource.PublicSuffixDomain ? policyDomain : orgDomain;
            var destinations = await new DmarcReportDestinationVerifier(_lookup).VerifyAsync(record, policyDomain, policyOrg, findings, cancellationToken).ConfigureAwait(false);
            return Result(domain, status, record, source, policyDomain, tag, requested, reason, orgDomain, orgReason, exists, walk, destinations, findings, afterTesting);
        }

        private static DmarcPolicy Result(string domain, DmarcStatus status, DmarcRecord? record, DmarcPolicySource source, string? policyDomain, DmarcPolicyTag? tag,
            DmarcPolicyAction? policy, string reason, string orgDomain, string orgReason, bool? exists, DmarcWalkResult walk,
            IReadOnlyList<DmarcReportDestination> destinations, List<Finding> findings, DmarcPolicyAction? afterTesting = null)
            => new DmarcPolicy(new DmarcPolicyBuilder
            {
                Domain = domain,
                Status = status,
                Record = record,
                Source = source,
                PolicyDomain = policyDomain,
                AppliedTag = tag,
                Policy = policy,
                PolicyAfterTesting = afterTesting ?? policy,
                PolicyReason = reason,
                OrganizationalDomain = orgDomain,
                OrganizationalDomainReason = orgReason,
                DomainExists = exists,
                TreeWalk = walk.Steps,
                ReportDestinations = destinations,
                Findings = findings,
            });

        private static string Describe(DmarcPolicySource source) => source == DmarcPolicySource.PublicSuffixDomain ? "public suffix domain's" : "Organizational Domain's";

        private static string TagName(DmarcPolicyTag tag) => tag.ToString().ToLowerInvariant();

        private static string Lower(DmarcPolicyAction a) => a.ToString().ToLowerInvariant();
    }
}
