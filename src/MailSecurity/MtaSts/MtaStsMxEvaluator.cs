using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace MailSecurity.MtaSts
{
    /// <summary>
    /// What the STARTTLS check of one covered MX host found, at every address a sender may connect to (RFC 5321 §5.1:
    /// any of them), or why the host has no address. Gathered once: Get-MtaStsPolicy probes for it, and the hop verdict
    /// hands in the sessions it opened for every other check. Immutable.
    /// </summary>
    internal sealed class MtaStsMxTlsEvidence
    {
        private MtaStsMxTlsEvidence(string? noAddress, IReadOnlyList<(IPAddress Address, MtaStsMxTlsCheck Check)> checks)
        {
            NoAddress = noAddress;
            Checks = checks;
        }

        /// <summary>Why the host has no address to connect to (no A/AAAA, or the lookups failed), or null.</summary>
        public string? NoAddress { get; }

        /// <summary>The check of each address, in connect order (IPv4 then IPv6).</summary>
        public IReadOnlyList<(IPAddress Address, MtaStsMxTlsCheck Check)> Checks { get; }

        /// <summary>The evidence for a host from its address lookup and the check of each address (the same order).</summary>
        /// <param name="addresses">The host's A/AAAA lookup.</param>
        /// <param name="checks">One check per address of <paramref name="addresses"/>.</param>
        public static MtaStsMxTlsEvidence Of(HostAddresses addresses, IReadOnlyList<MtaStsMxTlsCheck> checks)
        {
            if (addresses.Addresses.Count == 0)
            {
                return new MtaStsMxTlsEvidence(addresses.Error ?? $"{addresses.HostName} has no A or AAAA record.", Array.Empty<(IPAddress, MtaStsMxTlsCheck)>());
            }

            if (checks.Count != addresses.Addresses.Count)
            {
                throw new ArgumentException("One check per address is needed.", nameof(checks));
            }

            return new MtaStsMxTlsEvidence(null, addresses.Addresses.Select((a, i) => (a, checks[i])).ToList());
        }
    }

    /// <summary>
    /// Checks a domain's MX hosts against its MTA-STS policy (RFC 8461 §4, §5): each MX name from DNS matched against the
    /// mx patterns, each covered MX judged for STARTTLS and a PKIX-valid certificate at every address when that evidence is
    /// available, and whether a compliant sender would deliver to it. A pure decision: the evidence is gathered by the caller.
    /// </summary>
    internal static class MtaStsMxEvaluator
    {
        /// <summary>Matches every MX host against the policy and judges the covered ones; adds findings; returns one entry per host.</summary>
        /// <param name="domain">The Policy Domain.</param>
        /// <param name="status">The policy status (findings are only raised for an active policy).</param>
        /// <param name="policy">The parsed policy.</param>
        /// <param name="mxSet">The MX RRset from DNS.</param>
        /// <param name="tls">The STARTTLS evidence of a covered host; null when the TLS check is not performed. Asked only for covered hosts.</param>
        /// <param name="findings">Receives the findings.</param>
        internal static IReadOnlyList<MtaStsMxResult> Evaluate(string domain, MtaStsStatus status, MtaStsPolicy policy, MxRecordSet mxSet,
            Func<MxHost, MtaStsMxTlsEvidence?> tls, List<Finding> findings)
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

            var results = new List<MtaStsMxResult>(covered.Count);
            var notChecked = new List<string>();
            foreach (var (host, pattern) in covered)
            {
                var evidence = pattern is null ? null : tls(host);
                if (pattern != null && evidence is null)
                {
                    notChecked.Add(host.HostName);
                }

                var checks = evidence?.Checks ?? Array.Empty<(IPAddress Address, MtaStsMxTlsCheck Check)>();
                var noAddress = evidence?.NoAddress;
                bool? tlsOk = checks.Count == 0 ? (bool?)null : checks.All(c => c.Check.TlsOk);
                bool? certValid = checks.Count == 0 ? (bool?)null : checks.All(c => c.Check.TlsOk && c.Check.CertificateValid);
                // A sender may connect to any address, so the first one that fails decides (RFC 8461 §4.2 holds for each connection).
                var failing = checks.Where(c => !c.Check.TlsOk).Concat(checks.Where(c => !c.Check.CertificateValid)).FirstOrDefault();
                var shown = failing.Check != null ? failing : checks.FirstOrDefault();
                if (active && pattern != null && noAddress != null)
                {
                    findings.Add(MtaStsFindings.MxNoAddress.Create($"The MX host {host.HostName} has no usable address: {noAddress}", host.HostName));
                }

                if (active && failing.Check != null)
                {
                    var severity = enforce ? (Severity?)null : Severity.Warning;
                    if (!failing.Check.TlsOk)
                    {
                        findings.Add(MtaStsFindings.MxStartTlsFailed.Create($"The MX host {host.HostName} ({failing.Address}) failed STARTTLS: {failing.Check.Detail}", host.HostName, severity));
                    }
                    else
                    {
                        findings.Add(MtaStsFindings.CertificateInvalid.Create($"The MX host {host.HostName} ({failing.Address}) presents a certificate that is not valid for its name: {failing.Check.Detail}", host.HostName, severity));
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

                results.Add(new MtaStsMxResult(new MtaStsMxResultBuilder
                {
                    MxHost = host.HostName,
                    Preference = host.Preference,
                    Covered = pattern != null,
                    MatchedPattern = pattern,
                    Address = shown.Address?.ToString(),
                    TlsOk = tlsOk,
                    CertificateValid = certValid,
                    WouldDeliver = wouldDeliver,
                    Detail = shown.Check?.Detail ?? noAddress,
                }));
            }

            if (notChecked.Count > 0 && active)
            {
                findings.Add(MtaStsFindings.MxTlsNotChecked.Create($"MX TLS check not performed for {string.Join(", ", notChecked)}: STARTTLS and certificate validity are unknown.", domain));
            }

            return results;
        }
    }
}
