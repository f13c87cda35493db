using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using MailSecurity.Dkim;
using MailSecurity.Dns;
using MailSecurity.Records;

namespace MailSecurity.Dmarc
{
    /// <summary>
    /// Checks every rua/ruf destination of a policy record for external-destination authorization
    /// (RFC 9990 §4 for rua, RFC 9991 §5 for ruf, same procedure). All destinations are checked concurrently.
    /// </summary>
    internal sealed class DmarcReportDestinationVerifier
    {
        private readonly IDnsLookup _lookup;

        internal DmarcReportDestinationVerifier(IDnsLookup lookup) => _lookup = lookup;

        /// <summary>Verifies the destinations of <paramref name="record"/>.</summary>
        /// <param name="record">The applicable record.</param>
        /// <param name="policyDomain">Where the record was found (prepended to the authorization name).</param>
        /// <param name="organizationalDomain">The Organizational Domain of the policy domain.</param>
        /// <param name="findings">Receives findings.</param>
        /// <param name="cancellationToken">Cancels the lookups.</param>
        public async Task<IReadOnlyList<DmarcReportDestination>> VerifyAsync(DmarcRecord record, string policyDomain, string organizationalDomain, List<Finding> findings, CancellationToken cancellationToken = default)
        {
            var work = new List<Task<(DmarcReportDestination, List<Finding>)>>();
            foreach (var uri in record.AggregateReportUris)
            {
                work.Add(VerifyOneAsync(DmarcReportKind.Aggregate, uri, policyDomain, organizationalDomain, cancellationToken));
            }

            foreach (var uri in record.FailureReportUris)
            {
                work.Add(VerifyOneAsync(DmarcReportKind.Failure, uri, policyDomain, organizationalDomain, cancellationToken));
            }

            var results = await Task.WhenAll(work).ConfigureAwait(false);
            foreach (var (_, f) in results)
            {
                findings.AddRange(f);
            }

            return results.Select(r => r.Item1).ToList();
        }

        private async Task<(DmarcReportDestination, List<Finding>)> VerifyOneAsync(DmarcReportKind kind, string text, string policyDomain, string orgDomain, CancellationToken cancellationToken)
        {
            var findings = new List<Finding>();
            var tag = kind == DmarcReportKind.Aggregate ? "rua" : "ruf";
            var uri = DmarcReportUri.Parse(text);

            // The values every exit shares; each exit below adds what it learned and says how the check ended.
            var destination = new DmarcReportDestinationBuilder { Kind = kind, Uri = text, Scheme = uri.Scheme, Host = uri.Host, IsValid = true, IsExternal = true };
            (DmarcReportDestination, List<Finding>) Result(DmarcDestinationAuthorization authorization, string detail)
            {
                destination.Authorization = authorization;
                destination.Detail = detail;
                return (new DmarcReportDestination(destination), findings);
            }

            if (!uri.IsValid || uri.Host is null)
            {
                destination.IsValid = false;
                destination.IsExternal = false;
                return Result(DmarcDestinationAuthorization.NotChecked, uri.Error ?? "invalid URI");
            }

            var host = uri.Host;
            if (IsAtOrBelow(host, orgDomain))
            {
                // A host inside the tree can still be its own Organizational Domain (psd=n), so walk it (RFC 9990 §4 compares Organizational Domains).
                var walk = await DmarcTreeWalk.WalkAsync(_lookup, host, cancellationToken).ConfigureAwait(false);
                var hostOrg = DmarcTreeWalk.SelectOrganizationalDomain(walk, out _);
                if (string.Equals(hostOrg, orgDomain, StringComparison.Ordinal))
                {
                    destination.IsExternal = false;
                    return Result(DmarcDestinationAuthorization.NotRequired, $"{host} is inside the Organizational Domain {orgDomain}; no authorization needed.");
                }
            }

            // RFC 9990 §4 steps 2-4: <policy domain (A-label)>._report._dmarc.<destination host>; too long = cannot be confirmed.
            var name = policyDomain + "._report._dmarc." + host;
            destination.AuthorizationName = name;
            if (!DomainName.TryNormalize(name, out _, out var lengthError))
            {
                findings.Add(DmarcFindings.DestinationNameTooLong.Create($"The {tag} destination {host} of {policyDomain} cannot be authorized: {lengthError}", text));
                return Result(DmarcDestinationAuthorization.NameTooLong, lengthError);
            }

            var answer = await _lookup.QueryAsync(name, QueryType.TXT, cancellationToken).ConfigureAwait(false);
            if (answer.IsLookupError)
            {
                findings.Add(DmarcFindings.DestinationLookupFailed.Create($"The authorization lookup for the {tag} destination {host}: {answer.Describe()}", name));
                return Result(DmarcDestinationAuthorization.LookupFailed, answer.Describe());
            }

            // Step 6: keep records that start with v=DMARC1 (trailing ';' optional). A wildcard owner name is fine.
            var authorizations = answer.TxtStrings.Where(DmarcRecordParser.IsDmarcRecord).ToList();
            if (authorizations.Count == 0)
            {
                findings.Add(DmarcFindings.DestinationNotAuthorized.Create(
                    $"The {tag} destination {text} is outside {orgDomain} and {name} has no v=DMARC1 record ({answer.Status}); receivers will not send {(kind == DmarcReportKind.Aggregate ? "aggregate" : "failure")} reports there.", name));
                return Result(DmarcDestinationAuthorization.NotAuthorized, $"No v=DMARC1 record at {name}.");
            }

            // Step 9: an override of the same kind replaces the URI, but only when it uses the same destination host.
            var first = authorizations[0];
            destination.AuthorizationRecord = first;
            var list = DkimTagList.Parse(first, StringComparison.OrdinalIgnoreCase);
            var overrides = DmarcRecordParser.SplitUris(list.Find(tag, StringComparison.OrdinalIgnoreCase)?.Value);
            destination.OverrideUris = overrides;
            if (overrides.Count > 0)
            {
                var foreign = overrides.FirstOrDefault(o => !string.Equals(DmarcReportUri.Parse(o).Host, host, StringComparison.Ordinal));
                if (foreign != null)
                {
                    findings.Add(DmarcFindings.DestinationOverrideHostMismatch.Create(
                        $"{name} overrides the {tag} destination with '{DisplayText.Shorten(foreign)}', whose host is not {host}; receivers send reports to neither URI.", name));
                    return Result(DmarcDestinationAuthorization.OverrideHostMismatch, "The override names a different host.");
                }

                findings.Add(DmarcFindings.DestinationOverridden.Create($"{name} authorizes {policyDomain} and replaces the {tag} destination with {string.Join(", ", overrides)}.", name));
            }

            return Result(DmarcDestinationAuthorization.Authorized, $"{name} authorizes reports for {policyDomain}" + (answer.CnameChain.Count > 0 ? $" (via {answer.CanonicalName})." : "."));
        }

        private static bool IsAtOrBelow(string host, string domain)
            => string.Equals(host, domain, StringComparison.Ordinal) || host.EndsWith("." + domain, StringComparison.Ordinal);
    }
}
