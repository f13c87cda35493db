using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MailSecurity.Dane;
using MailSecurity.Dns;
using MailSecurity.MtaSts;
using MailSecurity.Mx;
using MailSecurity.Smtp;

namespace MailSecurity.Hops
{
    /// <summary>
    /// Domain mode of Resolve-HopSecurity: per MX host, the level a sender supporting both DANE and MTA-STS reaches
    /// (SPEC §9), what would make it refuse delivery, and the evidence. DANE and MTA-STS follow their RFCs' precedence:
    /// DANE applies to hosts of a DNSSEC-signed MX RRset with secure TLSA records (RFC 7672 §2.2), and a failing DANE
    /// validation is never overridden by MTA-STS (RFC 8461 §2).
    /// </summary>
    public sealed class DomainHopAnalyzer
    {
        // Conditions under which a policy-honouring sender will not deliver to the host (mail is deferred or lost).
        private static readonly HashSet<string> DaneRiskCodes = new HashSet<string>(StringComparer.Ordinal)
        {
            DaneFindings.NoMatchingRecord.Code, DaneFindings.TlsaLookupFailed.Code, DaneFindings.TlsRequiredButFailed.Code,
        };

        private static readonly HashSet<string> MtaStsRiskCodes = new HashSet<string>(StringComparer.Ordinal)
        {
            MtaStsFindings.MxNotCovered.Code, MtaStsFindings.MxStartTlsFailed.Code, MtaStsFindings.CertificateInvalid.Code, MtaStsFindings.MxNoAddress.Code,
        };

        private readonly MxResolver _mx;
        private readonly TlsaLookup _tlsa;
        private readonly DaneEvaluator _dane;
        private readonly MtaStsPolicyChecker _mtaSts;
        private readonly SmtpProbeCache _probes;

        /// <summary>Creates the analyzer over the run's DNS layer and STARTTLS probe cache.</summary>
        /// <param name="dns">The run's resolver (one cache for every domain of the run).</param>
        /// <param name="mtaSts">The MTA-STS checker (its policy fetcher decides the HTTPS client and timeout).</param>
        /// <param name="probes">One STARTTLS session per host, address and SNI for the whole run.</param>
        public DomainHopAnalyzer(DnsResolver dns, MtaStsPolicyChecker mtaSts, SmtpProbeCache probes)
        {
            if (dns is null)
            {
                throw new ArgumentNullException(nameof(dns));
            }

            _mx = MxResolver.WithDnssec(dns); // hop levels depend on the MX RRset's DNSSEC state (RFC 7672 §2.2.1)
            _tlsa = new TlsaLookup(dns);
            _dane = new DaneEvaluator();
            _mtaSts = mtaSts ?? throw new ArgumentNullException(nameof(mtaSts));
            _probes = probes ?? throw new ArgumentNullException(nameof(probes));
        }

        /// <summary>Analyses every MX host of <paramref name="domain"/> (normalised); rows come in MX preference order.</summary>
        public async Task<IReadOnlyList<HopSecurity>> AnalyzeAsync(string domain, CancellationToken cancellationToken = default)
        {
            // The MTA-STS discovery and fetch run beside the MX lookup; the per-host work waits only for what it needs.
            var options = new MtaStsCheckOptions
            {
                MxTlsProbe = async (host, address, ct) => MtaStsMxTlsCheck.FromProbe(await _probes.GetAsync(host, address, null, ct).ConfigureAwait(false)),
            };
            var stsTask = _mtaSts.CheckAsync(domain, options, cancellationToken);
            var mx = await _mx.ResolveAsync(domain, cancellationToken).ConfigureAwait(false);
            switch (mx.Status)
            {
                case MxStatus.NullMx:
                case MxStatus.NoMailService:
                case MxStatus.DomainNotFound:
                    await IgnoreAsync(stsTask).ConfigureAwait(false);
                    return new[] { NoHop(domain, mx, HopSecurityLevel.NoService, HopSecurityFindings.NoService.Create(NoServiceReason(mx), domain), Array.Empty<Finding>()) };
                case MxStatus.LookupFailed:
                    await IgnoreAsync(stsTask).ConfigureAwait(false);
                    var failed = mx.Findings.Where(f => f.Code == MxFindings.LookupFailed.Code).ToList();
                    return new[] { NoHop(domain, mx, HopSecurityLevel.Unreachable, HopSecurityFindings.DomainUnreachable.Create($"Senders cannot tell where mail for {domain} goes: {mx.Error}", domain), failed) };
            }

            var hosts = await Task.WhenAll(mx.Hosts.Select(h => AnalyzeHostAsync(domain, h, mx, stsTask, cancellationToken))).ConfigureAwait(false);
            return hosts;
        }

        private async Task<HopSecurity> AnalyzeHostAsync(string domain, MxHost mxHost, MxRecordSet mx, Task<MtaStsPolicyResult> stsTask, CancellationToken cancellationToken)
        {
            var host = mxHost.HostName;
            var mxSecure = mx.DnssecStatus == DnssecStatus.Secure;
            var target = new DaneTarget(host, 25, domain, mx.DnssecStatus, null, mx.DnssecProbeFailure);
            var lookup = await _tlsa.LookupAsync(target, cancellationToken).ConfigureAwait(false);
            var addresses = mxHost.IsIpAddress && IPAddress.TryParse(host, out var literal)
                ? new List<IPAddress> { literal }
                : lookup.Addresses.Select(a => IPAddress.TryParse(a, out var ip) ? ip : null).Where(ip => ip != null).Select(ip => ip!).ToList();

            // A secure, non-empty TLSA RRset commits the host to TLS; SNI is then the TLSA base domain (RFC 7672 §2.2.2, §8).
            var tlsaFound = lookup.Outcome == TlsaLookupOutcome.Found;
            var daneBinding = tlsaFound && mxSecure;
            var sni = tlsaFound ? lookup.TlsaBaseDomain : null;
            var probes = await Task.WhenAll(addresses.Select(a => _probes.GetAsync(host, a, sni, cancellationToken))).ConfigureAwait(false);
            // MTA-STS checks the certificate against the MX host name with SNI = the host name (RFC 8461 §4.2).
            var stsProbes = sni is null || string.Equals(sni, host, StringComparison.Ordinal)
                ? probes
                : await Task.WhenAll(addresses.Select(a => _probes.GetAsync(host, a, null, cancellationToken))).ConfigureAwait(false);
            var sts = await stsTask.ConfigureAwait(false);

            var daneResults = probes.Length == 0
                ? new[] { _dane.Evaluate(target, lookup, TlsHandshakeOutcome.NotAttempted) }
                : probes.Select(p => _dane.Evaluate(target, lookup, tlsaFound ? TlsHandshakeOutcome.FromProbe(p) : TlsHandshakeOutcome.NotAttempted)).ToArray();
            var stsEvidence = StsEvidence(sts, host, stsProbes);

            var findings = new List<Finding>();
            var risks = new List<Finding>();
            var perAddress = new List<(HopSecurityLevel Level, string Reason)>();
            for (var i = 0; i < Math.Max(1, probes.Length); i++)
            {
                perAddress.Add(AddressLevel(host, lookup, daneBinding, probes.Length == 0 ? null : probes[i], daneResults[Math.Min(i, daneResults.Length - 1)], stsEvidence, stsProbes.Length == 0 ? null : stsProbes[i]));
            }

            var weakest = perAddress.OrderBy(x => x.Level).First();
            if (perAddress.Select(x => x.Level).Distinct().Count() > 1)
            {
                findings.Add(HopSecurityFindings.AddressesDiffer.Create($"The addresses of {host} give {string.Join(", ", perAddress.Select((x, i) => $"{(i < addresses.Count ? addresses[i].ToString() : "?")}: {x.Level}"))}; the weakest counts.", host));
            }

            var dane = daneResults.OrderBy(d => d.Verdict == DaneVerdict.Valid ? 1 : 0).First();

            // Delivery risks: DANE failures bind when the MX RRset is signed (RFC 7672 §2.2); MTA-STS enforce failures
            // bind MTA-STS senders whatever DANE says, so they are risks too (RFC 8461 §5).
            if (daneBinding || (lookup.Outcome == TlsaLookupOutcome.TlsaLookupFailed && mxSecure))
            {
                risks.AddRange(daneResults.SelectMany(d => d.Findings).Where(f => DaneRiskCodes.Contains(f.Code)));
            }

            if (sts.Status == MtaStsStatus.Valid && sts.Mode == MtaStsMode.Enforce)
            {
                risks.AddRange(sts.Findings.Where(f => MtaStsRiskCodes.Contains(f.Code) && string.Equals(f.Target, host, StringComparison.OrdinalIgnoreCase)));
                if (stsEvidence.Covered && stsEvidence.TlsOk == true && stsEvidence.CertificateValid == false && !risks.Any(r => r.Code == MtaStsFindings.CertificateInvalid.Code))
                {
                    risks.Add(MtaStsFindings.CertificateInvalid.Create($"An address of {host} presents a certificate that is not valid for its name; an MTA-STS sender will not deliver there.", host));
                }

                if (stsEvidence.Covered && stsEvidence.TlsOk == false && !risks.Any(r => r.Code == MtaStsFindings.MxStartTlsFailed.Code))
                {
                    risks.Add(MtaStsFindings.MxStartTlsFailed.Create($"An address of {host} does not complete STARTTLS; an MTA-STS sender will not deliver there.", host));
                }

                if (daneBinding && dane.Verdict != DaneVerdict.Valid && stsEvidence.Covered && stsEvidence.CertificateValid == true)
                {
                    findings.Add(HopSecurityFindings.DaneFailureNotOverridden.Create($"{host} passes MTA-STS but fails DANE ({dane.Verdict}); a sender supporting both follows DANE and will not deliver.", host));
                }
            }

            risks = risks.GroupBy(r => (r.Code, r.Target)).Select(g => g.First()).ToList();
            if (tlsaFound && !mxSecure && dane.Verdict == DaneVerdict.Valid)
            {
                findings.Add(HopSecurityFindings.DaneWithInsecureMx.Create($"{host} validates with DANE, but the MX RRset of {domain} is {mx.DnssecStatus}: DANE does not protect the hop from {domain} to {host}.", host));
            }

            // A policy that fails is said by the delivery risk; "no policy requires TLS" would be wrong then.
            if (!(weakest.Level == HopSecurityLevel.OpportunisticTls && risks.Count > 0))
            {
                findings.Add(LevelFinding(weakest.Level, host, weakest.Reason));
            }
            var encrypted = probes.Length > 0 && probes.All(p => p.TlsEstablished);
            var authenticated = weakest.Level >= HopSecurityLevel.MtaStsEnforced;
            var downgradeResistant = weakest.Level == HopSecurityLevel.DaneAuthenticated;
            var (requireTls, requireTlsDetail) = RequireTls(host, mxSecure, probes, daneResults, stsEvidence);
            if (requireTls)
            {
                findings.Add(HopSecurityFindings.RequireTlsReady.Create($"{host}: {requireTlsDetail}", host));
            }

            if (sts.TlsRptPresent == false && (daneBinding || sts.Status == MtaStsStatus.Valid))
            {
                findings.Add(HopSecurityFindings.NoTlsRpt.Create($"{domain} protects {host} with {(daneBinding ? "DANE" : "MTA-STS")} but publishes no TLS-RPT record: refused deliveries go unreported.", domain));
            }

            var all = risks.Concat(findings).OrderByDescending(f => f.Severity).ToList();
            return new HopSecurity(domain, host, mxHost.Preference, weakest.Level, weakest.Reason, encrypted, authenticated, downgradeResistant, risks,
                requireTls, requireTlsDetail, mx.DnssecStatus, addresses.Select(a => a.ToString()).ToList(), dane, stsEvidence, probes, sts.TlsRptPresent, all, mx.Status, mx.LookupStatus);
        }

        private static (HopSecurityLevel, string) AddressLevel(string host, TlsaLookupResult lookup, bool daneBinding, SmtpTlsProbe? probe, DaneResult dane, MtaStsHopEvidence sts, SmtpTlsProbe? stsProbe)
        {
            if (probe is null)
            {
                return (HopSecurityLevel.Unreachable, lookup.Outcome == TlsaLookupOutcome.AddressLookupFailed
                    ? $"The address lookup for {host} failed: senders cannot reach it."
                    : $"{host} has no A or AAAA record: senders cannot reach it.");
            }

            if (lookup.Outcome == TlsaLookupOutcome.TlsaLookupFailed && lookup.MxDnssecStatus == DnssecStatus.Secure)
            {
                return (HopSecurityLevel.Unreachable, $"The TLSA lookup for {host} failed: DANE senders treat the host as unreachable (RFC 7672 §2.1.1).");
            }

            switch (probe.Outcome)
            {
                case SmtpTlsOutcome.ConnectFailed:
                case SmtpTlsOutcome.ServerRefused:
                case SmtpTlsOutcome.ProtocolViolation:
                case SmtpTlsOutcome.Timeout when !probe.StartTlsOffered:
                    return (HopSecurityLevel.Unreachable, $"{host} ({probe.Address}) does not answer SMTP: {probe.Outcome}{(probe.Error is null ? string.Empty : ", " + probe.Error)}.");
            }

            var encrypted = probe.TlsEstablished;
            var plain = encrypted ? HopSecurityLevel.OpportunisticTls : HopSecurityLevel.Cleartext;
            var plainWhy = encrypted ? $"TLS ({probe.TlsProtocol}) without a policy that requires it" : $"no TLS ({probe.Outcome})";
            if (daneBinding)
            {
                switch (dane.Verdict)
                {
                    case DaneVerdict.Valid:
                        return (HopSecurityLevel.DaneAuthenticated, $"DANE: {dane.MatchedRecordText} matches the chain at depth {dane.MatchDepth}, under a DNSSEC-signed MX RRset.");
                    case DaneVerdict.AllRecordsUnusable:
                        return (plain, $"DANE: the TLSA records are all unusable, so TLS is required but not authenticated; {plainWhy}.");
                    default:
                        return (plain, $"DANE fails ({dane.Verdict}): DANE senders will not deliver, and MTA-STS does not override that; {plainWhy}.");
                }
            }

            if (sts.Status == MtaStsStatus.Valid && sts.Mode == MtaStsMode.Enforce)
            {
                var check = stsProbe is null ? null : MtaStsMxTlsCheck.FromProbe(stsProbe);
                if (sts.Covered && check != null && check.TlsOk && check.CertificateValid)
                {
                    return (HopSecurityLevel.MtaStsEnforced, $"MTA-STS enforce: {host} matches '{sts.MatchedPattern}' and presents a valid certificate for its name.");
                }

                var why = !sts.Covered ? $"{host} is not covered by the policy's mx patterns" : check?.Detail ?? "no TLS";
                return (plain, $"MTA-STS enforce fails ({why}): MTA-STS senders will not deliver here; {plainWhy}.");
            }

            if (sts.Status == MtaStsStatus.Valid && sts.Mode == MtaStsMode.Testing)
            {
                return encrypted
                    ? (HopSecurityLevel.MtaStsTesting, $"TLS ({probe.TlsProtocol}) with an MTA-STS policy in testing mode: failures are reported, not enforced.")
                    : (HopSecurityLevel.Cleartext, $"No TLS ({probe.Outcome}); the MTA-STS policy is only in testing mode.");
            }

            return (plain, char.ToUpperInvariant(plainWhy[0]) + plainWhy.Substring(1) + ".");
        }

        private static MtaStsHopEvidence StsEvidence(MtaStsPolicyResult sts, string host, IReadOnlyList<SmtpTlsProbe> probes)
        {
            var mx = sts.MxResults.FirstOrDefault(r => string.Equals(r.MxHost, host, StringComparison.OrdinalIgnoreCase));
            var pattern = mx?.MatchedPattern ?? MtaStsMxMatcher.FirstMatch(sts.MxPatterns, host);
            var covered = mx?.Covered ?? pattern != null;

            bool? tlsOk = null;
            bool? certOk = null;
            if (sts.Status == MtaStsStatus.Valid && covered && probes.Count > 0)
            {
                var checks = probes.Select(MtaStsMxTlsCheck.FromProbe).ToList();
                tlsOk = checks.All(c => c.TlsOk);
                certOk = checks.All(c => c.CertificateValid);
            }

            return new MtaStsHopEvidence(sts.Status, sts.Status == MtaStsStatus.Valid || sts.Status == MtaStsStatus.ModeNone ? sts.Mode : null, sts.Id, covered, pattern, tlsOk, certOk);
        }

        private static (bool, string) RequireTls(string host, bool mxSecure, IReadOnlyList<SmtpTlsProbe> probes, IReadOnlyList<DaneResult> dane, MtaStsHopEvidence sts)
        {
            // RFC 8689 §2 / §4.2.1: TLS; the MX authenticated by DNSSEC or MTA-STS; the certificate valid by PKIX or DANE;
            // REQUIRETLS in the EHLO reply after STARTTLS.
            if (probes.Count == 0 || !probes.All(p => p.TlsEstablished))
            {
                return (false, "no TLS session on every address");
            }

            if (!mxSecure && !(sts.Status == MtaStsStatus.Valid && sts.Covered))
            {
                return (false, "the MX is authenticated neither by a DNSSEC-signed MX RRset nor by an MTA-STS policy");
            }

            var pkixOk = probes.All(p => p.PkixValid == true && p.HostNameMatches == true);
            var daneOk = dane.All(d => d.Verdict == DaneVerdict.Valid);
            if (!pkixOk && !daneOk)
            {
                return (false, "the certificate validates neither by PKIX for the MX name nor by DANE");
            }

            if (!probes.All(p => p.RequireTlsAdvertised))
            {
                return (false, "REQUIRETLS is not advertised after STARTTLS");
            }

            return (true, $"TLS, an MX authenticated by {(mxSecure ? "DNSSEC" : "MTA-STS")}, a certificate valid by {(daneOk ? "DANE" : "PKIX")}, and REQUIRETLS advertised");
        }

        private static Finding LevelFinding(HopSecurityLevel level, string host, string reason) => level switch
        {
            HopSecurityLevel.Unreachable => HopSecurityFindings.HostUnreachable.Create(reason, host),
            HopSecurityLevel.Cleartext => HopSecurityFindings.Cleartext.Create(reason, host),
            HopSecurityLevel.OpportunisticTls => HopSecurityFindings.OpportunisticOnly.Create(reason, host),
            HopSecurityLevel.MtaStsTesting => HopSecurityFindings.TestingOnly.Create(reason, host),
            _ => LevelInfo(level, host, reason),
        };

        private static Finding LevelInfo(HopSecurityLevel level, string host, string reason)
            => level == HopSecurityLevel.DaneAuthenticated
                ? HopSecurityFindings.DaneAuthenticated.Create(reason, host)
                : HopSecurityFindings.MtaStsEnforced.Create(reason, host);

        private static HopSecurity NoHop(string domain, MxRecordSet mx, HopSecurityLevel level, Finding reason, IReadOnlyList<Finding> risks)
        {
            var findings = new List<Finding> { reason };
            findings.AddRange(risks);
            return new HopSecurity(domain, string.Empty, 0, level, reason.Message, false, false, false, risks, false, "no MX host", mx.DnssecStatus,
                Array.Empty<string>(), null, null, Array.Empty<SmtpTlsProbe>(), null, findings.OrderByDescending(f => f.Severity).ToList(), mx.Status, mx.LookupStatus);
        }

        private static string NoServiceReason(MxRecordSet mx) => mx.Status switch
        {
            MxStatus.NullMx => $"{mx.Domain} publishes a null MX: it accepts no mail (RFC 7505).",
            MxStatus.DomainNotFound => $"{mx.Domain} does not exist (NXDOMAIN).",
            _ => $"{mx.Domain} has neither MX nor address records: no mail can be delivered to it.",
        };

        private static async Task IgnoreAsync(Task task)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                // The MTA-STS result is not needed when there is no hop; its failure must not hide the verdict.
            }
        }
    }
}
