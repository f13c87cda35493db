using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace MailSecurity.MtaSts
{
    /// <summary>
    /// Checks a domain's MX hosts against its MTA-STS policy (RFC 8461 §4, §5): each MX name from DNS matched against the
    /// mx patterns, each covered MX probed for STARTTLS and a PKIX-valid certificate when a probe is available, and whether a
    /// compliant sender would deliver to it.
    /// </summary>
    internal static class MtaStsMxEvaluator
    {
        /// <summary>Matches every MX host against the policy and probes the covered ones; adds findings; returns one entry per host.</summary>
        /// <param name="domain">The Policy Domain.</param>
        /// <param name="status">The policy status (findings are only raised for an active policy).</param>
        /// <param name="policy">The parsed policy.</param>
        /// <param name="mxSet">The MX RRset from DNS.</param>
        /// <param name="resolveAddress">Gives the address to probe for an MX host, or why there is none.</param>
        /// <param name="probe">The STARTTLS probe; null when the TLS check is not performed.</param>
        /// <param name="findings">Receives the findings.</param>
        /// <param name="cancellationToken">Cancels lookups and probes.</param>
        internal static async Task<IReadOnlyList<MtaStsMxResult>> EvaluateAsync(string domain, MtaStsStatus status, MtaStsPolicy policy, MxRecordSet mxSet,
            Func<string, CancellationToken, Task<(IPAddress? Address, string? Problem)>> resolveAddress,
            Func<string, IPAddress, CancellationToken, Task<MtaStsMxTlsCheck>>? probe, List<Finding> findings, CancellationToken cancellationToken)
        {
            if (mxSet.Status == MxStatus.LookupFailed)
            {
                findings.Add(MtaStsFindings.MxLookupFailed.Create($"The MX hosts of {domain} could not be checked against the policy: {mxSet.Error}", domain));
                return Array.Empty<MtaStsMxResult>();
            }

            var active = status == MtaStsStatus.Valid;
            var enforce = active && policy.Mode == MtaStsMode.Enforce;
            // An MX written as an IP address has no name to match or to validate a certificate against: never covered (RFC 8461 §4.1).
            var covered = mxSet.Hosts.Select(h => (Host: h, Pattern: h.IsIpAddress ? null : MtaStsMxMatcher.FirstMatch(policy.MxPatterns, h.HostName))).ToList();
            if (active)
            {
                foreach (var (host, _) in covered.Where(c => c.Pattern is null))
                {
                    findings.Add(MtaStsFindings.MxNotCovered.Create(
                        $"The MX host {host.HostName} (preference {host.Preference}) is not matched by any mx pattern ({string.Join(", ", policy.MxPatterns)}){(enforce ? "; compliant senders will not deliver to it" : "; in testing mode senders report this and deliver anyway")}.",
                        host.HostName, enforce ? (Severity?)null : Severity.Warning));
                }

                if (covered.Count > 0 && covered.All(c => c.Pattern is null))
                {
                    findings.Add(MtaStsFindings.NoMxCovered.Create(
                        enforce
                            ? $"None of the {covered.Count} MX host(s) of {domain} matches the policy: in enforce mode compliant senders cannot deliver to {domain}."
                            : $"None of the {covered.Count} MX host(s) of {domain} matches the policy: switching to enforce mode would stop all mail from compliant senders.",
                        domain, enforce ? (Severity?)null : Severity.Error));
                }
            }

            var checks = covered.Select(c => ProbeAsync(c.Host, c.Pattern, resolveAddress, probe, cancellationToken)).ToList();
            var probed = await Task.WhenAll(checks).ConfigureAwait(false);
            var results = new List<MtaStsMxResult>(probed.Length);
            var notChecked = new List<string>();
            foreach (var (host, pattern, address, check, noAddress) in probed)
            {
                bool? tlsOk = check?.TlsOk;
                bool? certValid = check is null ? (bool?)null : check.TlsOk && check.CertificateValid;
                if (pattern != null && probe is null)
                {
                    notChecked.Add(host.HostName);
                }

                if (active && pattern != null && noAddress != null)
                {
                    findings.Add(MtaStsFindings.MxNoAddress.Create($"The MX host {host.HostName} has no usable address: {noAddress}", host.HostName));
                }

                if (active && check != null)
                {
                    var severity = enforce ? (Severity?)null : Severity.Warning;
                    if (!check.TlsOk)
                    {
                        findings.Add(MtaStsFindings.MxStartTlsFailed.Create($"The MX host {host.HostName} ({address}) failed STARTTLS: {check.Detail}", host.HostName, severity));
                    }
                    else if (!check.CertificateValid)
                    {
                        findings.Add(MtaStsFindings.CertificateInvalid.Create($"The MX host {host.HostName} ({address}) presents a certificate that is not valid for its name: {check.Detail}", host.HostName, severity));
                    }
                }

                bool? wouldDeliver = null;
                if (enforce)
                {
                    // RFC 8461 §4, §5: deliver only to an MX that matches a pattern and presents a valid certificate over STARTTLS.
                    if (pattern is null || tlsOk == false || certValid == false || noAddress != null)
                    {
                        wouldDeliver = false;
                    }
                    else if (tlsOk == true && certValid == true)
                    {
                        wouldDeliver = true;
                    }
                }
                else if (active)
                {
                    wouldDeliver = true; // testing: failures are reported, delivery goes on (RFC 8461 §5)
                }

                results.Add(new MtaStsMxResult(host.HostName, host.Preference, pattern != null, pattern, address?.ToString(), tlsOk, certValid, wouldDeliver, check?.Detail ?? noAddress));
            }

            if (notChecked.Count > 0 && active)
            {
                findings.Add(MtaStsFindings.MxTlsNotChecked.Create($"MX TLS check not performed for {string.Join(", ", notChecked)}: STARTTLS and certificate validity are unknown.", domain));
            }

            return results;
        }

        private static async Task<(MxHost Host, string? Pattern, IPAddress? Address, MtaStsMxTlsCheck? Check, string? NoAddress)> ProbeAsync(
            MxHost host, string? pattern, Func<string, CancellationToken, Task<(IPAddress? Address, string? Problem)>> resolveAddress,
            Func<string, IPAddress, CancellationToken, Task<MtaStsMxTlsCheck>>? probe, CancellationToken cancellationToken)
        {
            if (pattern is null || probe is null)
            {
                return (host, pattern, null, null, null);
            }

            var (address, problem) = await resolveAddress(host.HostName, cancellationToken).ConfigureAwait(false);
            if (address is null)
            {
                return (host, pattern, null, null, problem ?? $"{host.HostName} has no A or AAAA record.");
            }

            var check = await probe(host.HostName, address, cancellationToken).ConfigureAwait(false);
            return (host, pattern, address, check, null);
        }
    }
}
