using System;
using System.Collections.Generic;
using System.Linq;
using MailSecurity.Dns;
using MailSecurity.Mx;

namespace MailSecurity.Delivery
{
    /// <summary>
    /// The domain-mode hop verdict as a pure function of <see cref="HopEvidence"/>: the level a sender supporting both DANE
    /// and MTA-STS reaches (SPEC §9), the delivery risks (what makes a policy-honouring sender refuse), REQUIRETLS readiness
    /// and the findings. It reads the verdicts the DANE and MTA-STS evaluators already gave (the same Test-DaneTlsa and
    /// Get-MtaStsPolicy report) and never recomputes them; it looks nothing up, so every rule is tested offline.
    /// </summary>
    /// <remarks>
    /// The rules, in order, for each address of the host (the weakest address counts, since a sender or an attacker may use any):
    /// no address, or a TLSA lookup error under a signed MX RRset, or no SMTP answer: Unreachable (RFC 7672 §2.1.1);
    /// DANE binding (secure MX RRset and secure TLSA records, RFC 7672 §2.2.1): DaneAuthenticated when its verdict is Valid,
    /// otherwise the plain TLS level, and MTA-STS never overrides a failing DANE (RFC 8461 §2); an enforced MTA-STS policy:
    /// MtaStsEnforced when it would deliver to the host; testing: MtaStsTesting with TLS; otherwise OpportunisticTls with TLS,
    /// Cleartext without. Encrypted, Authenticated and DowngradeResistant restate the level.
    /// </remarks>
    internal static class HopDecision
    {
        /// <summary>Decides the verdict of one MX host (or of a domain without one).</summary>
        /// <param name="evidence">The evidence, gathered once.</param>
        public static HopSecurity Decide(HopEvidence evidence)
        {
            if (evidence is null)
            {
                throw new ArgumentNullException(nameof(evidence));
            }

            return evidence.Host is null ? NoHop(evidence) : ForHost(evidence, evidence.Host);
        }

        private static HopSecurityBuilder Start(HopEvidence e) => new HopSecurityBuilder
        {
            Domain = e.Domain,
            MxStatus = e.Mx.Status,
            MxLookupStatus = e.Mx.LookupStatus,
            MxDnssecStatus = e.MxDnssec,
            MxDnssecValidatedBy = e.Mx.DnssecValidatedBy,
        };

        private static HopSecurity NoHop(HopEvidence e)
        {
            var mx = e.Mx;
            var b = Start(e);
            b.RequireTlsDetail = "no MX host";
            Finding reason;
            if (mx.Status == MxStatus.LookupFailed)
            {
                b.Level = HopSecurityLevel.Unreachable;
                reason = HopFindings.DomainUnreachable.Create($"Senders cannot tell where mail for {e.Domain} goes: {mx.Error}", e.Domain);
                // RFC 7672 §2.1.1, RFC 5321 §5.1: the destination is unknown, so every sender defers the mail.
                b.DeliveryRisks.AddRange(mx.Findings.Where(f => f.Code == MxFindings.LookupFailed.Code));
            }
            else
            {
                b.Level = HopSecurityLevel.NoService;
                reason = HopFindings.NoService.Create(NoServiceReason(mx), e.Domain);
            }

            b.Reason = reason.Message;
            b.Findings.Add(reason);
            // The MX answer's own findings, as Get-MailAuthRecords reports them: one answer, one severity (NXDOMAIN is an Error there and here).
            b.Findings.AddRange(mx.Findings.Where(f => !b.DeliveryRisks.Contains(f)));
            return new HopSecurity(b);
        }

        private static HopSecurity ForHost(HopEvidence e, MxHost host)
        {
            var name = host.HostName;
            var mxSecure = e.MxDnssec == DnssecStatus.Secure;
            var tlsa = e.Tlsa ?? throw new ArgumentException("The evidence of an MX host needs its TLSA lookup.", nameof(e));
            var sts = e.MtaSts ?? throw new ArgumentException("The evidence of an MX host needs the domain's MTA-STS check.", nameof(e));
            var stsMx = sts.MxResults.FirstOrDefault(r => string.Equals(r.MxHost, name, StringComparison.OrdinalIgnoreCase));
            var dane = e.Dane.Count == 0 ? throw new ArgumentException("The evidence of an MX host needs its DANE result.", nameof(e)) : e.Dane;
            // RFC 7672 §2.2.1: DANE binds a sender only through a DNSSEC-signed MX RRset; then secure TLSA records commit the host
            // to authenticated TLS, and a TLSA lookup error makes it unreachable (§2.1.1).
            var daneBinds = mxSecure && tlsa.Outcome == TlsaLookupOutcome.Found;
            var tlsaFailed = mxSecure && tlsa.Outcome == TlsaLookupOutcome.TlsaLookupFailed;

            var b = Start(e);
            b.MxHost = name;
            b.Preference = host.Preference;
            b.Addresses = e.Addresses.Select(a => a.ToString()).ToList();
            b.Probes = e.Probes;
            b.Dane = dane.OrderBy(d => d.Verdict == DaneVerdict.Valid ? 1 : 0).First();
            b.MtaSts = new MtaStsHopEvidence(sts, stsMx);
            b.TlsRptPresent = sts.TlsRptPresent;

            var perAddress = e.Probes.Count == 0
                ? new List<(string Address, HopSecurityLevel Level, string Reason)> { (string.Empty, HopSecurityLevel.Unreachable, NoAddressReason(e, name)) }
                : e.Probes.Select(p =>
                {
                    var (level, why) = AddressLevel(name, tlsaFailed, daneBinds, p, DaneOf(dane, p.Address), sts, stsMx);
                    return (Address: p.Address, Level: level, Reason: why);
                }).ToList();
            var weakest = perAddress.OrderBy(x => x.Level).First();
            b.Level = weakest.Level;
            b.Reason = weakest.Reason;
            if (perAddress.Select(x => x.Level).Distinct().Count() > 1)
            {
                b.Findings.Add(HopFindings.AddressesDiffer.Create($"The addresses of {name} give {string.Join(", ", perAddress.Select(x => $"{x.Address}: {x.Level}"))}; the weakest counts.", name));
            }

            // Delivery risks, as the evaluators state them. DANE failures bind senders through a signed MX RRset (RFC 7672 §2.2);
            // an enforced MTA-STS policy binds MTA-STS senders whatever DANE says (RFC 8461 §5).
            if (daneBinds || tlsaFailed)
            {
                foreach (var d in dane.Where(d => RefusesDelivery(d.Verdict)))
                {
                    b.DeliveryRisks.AddRange(Blockers(d.Findings));
                }
            }

            if (sts.Enforced && stsMx?.WouldDeliver == false)
            {
                b.DeliveryRisks.AddRange(sts.Findings.Where(f => f.Severity >= Severity.Error && string.Equals(f.Target, name, StringComparison.OrdinalIgnoreCase)));
            }

            b.DeliveryRisks = b.DeliveryRisks.GroupBy(r => (r.Code, r.Target)).Select(g => g.First()).ToList();

            if (daneBinds && sts.Enforced && stsMx?.WouldDeliver == true && dane.Any(d => d.Verdict != DaneVerdict.Valid))
            {
                b.Findings.Add(HopFindings.DaneFailureNotOverridden.Create($"{name} passes MTA-STS but fails DANE ({b.Dane.Verdict}); a sender supporting both follows DANE and will not deliver.", name));
            }

            if (tlsa.Outcome == TlsaLookupOutcome.Found && !mxSecure && dane.All(d => d.Verdict == DaneVerdict.Valid))
            {
                b.Findings.Add(HopFindings.DaneWithInsecureMx.Create($"{name} validates with DANE, but the MX RRset of {e.Domain} is {e.MxDnssec}: DANE does not protect the hop from {e.Domain} to {name}.", name));
            }

            // A policy that fails is said by the delivery risk; "no policy requires TLS" would be wrong then.
            if (!(b.Level == HopSecurityLevel.OpportunisticTls && b.DeliveryRisks.Count > 0))
            {
                b.Findings.Add(LevelFinding(b.Level, name, b.Reason));
            }

            (b.RequireTlsReady, b.RequireTlsDetail) = RequireTls(mxSecure, e.Probes, dane, sts, stsMx);
            if (b.RequireTlsReady)
            {
                b.Findings.Add(HopFindings.RequireTlsReady.Create($"{name}: {b.RequireTlsDetail}", name));
            }

            if (sts.TlsRptPresent == false && (daneBinds || sts.PolicyActive))
            {
                b.Findings.Add(HopFindings.NoTlsRpt.Create($"{e.Domain} protects {name} with {(daneBinds ? "DANE" : "MTA-STS")} but publishes no TLS-RPT record: refused deliveries go unreported.", e.Domain));
            }

            if (PublicationBroken(sts.Status))
            {
                // An MTA-STS record without a usable policy protects nothing (RFC 8461 §3.3, §5.1): said with the findings and
                // severities Get-MtaStsPolicy gives, so the domain owner does not take "TLS without a policy" for protection.
                b.Findings.AddRange(sts.Findings.Where(f => f.Severity >= Severity.Error));
            }

            // The MX answer's own warnings (a resolver that does not validate, an implicit MX, an IP address as MX target).
            var otherHosts = new HashSet<string>(e.Mx.Hosts.Select(h => h.HostName).Where(h => !string.Equals(h, name, StringComparison.Ordinal)), StringComparer.OrdinalIgnoreCase);
            b.Findings.AddRange(e.Mx.Findings.Where(f => f.Severity >= Severity.Warning && !otherHosts.Contains(f.Target)));
            foreach (var code in new[] { DnsFindings.ResolverNotValidating.Code, DnsFindings.DnssecProbeFailed.Code })
            {
                if (!b.Findings.Any(f => f.Code == code))
                {
                    // DNSSEC cannot be known (the resolver does not validate, or the probe that tells failed), so DANE was not
                    // assessed: say so also when only the host's answers showed it (an unsigned MX RRset).
                    b.Findings.AddRange(dane.SelectMany(d => d.Findings).Where(f => f.Code == code).Take(1));
                }
            }
            return new HopSecurity(b);
        }

        private static (HopSecurityLevel, string) AddressLevel(string host, bool tlsaFailed, bool daneBinds, SmtpTlsProbe probe, DaneResult dane, MtaStsPolicyResult sts, MtaStsMxResult? stsMx)
        {
            if (tlsaFailed)
            {
                return (HopSecurityLevel.Unreachable, $"The TLSA lookup for {host} failed ({dane.TlsaDnssecStatus}): DANE senders treat the host as unreachable (RFC 7672 §2.1.1).");
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
            if (daneBinds)
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

            if (sts.Enforced)
            {
                if (stsMx?.WouldDeliver == true)
                {
                    return (HopSecurityLevel.MtaStsEnforced, $"MTA-STS enforce: {host} matches '{stsMx.MatchedPattern}' and presents a valid certificate for its name.");
                }

                var why = stsMx is null || !stsMx.Covered ? $"{host} is not covered by the policy's mx patterns" : stsMx.Detail ?? "no TLS";
                return (plain, $"MTA-STS enforce fails ({why}): MTA-STS senders will not deliver here; {plainWhy}.");
            }

            if (sts.PolicyActive)
            {
                return encrypted
                    ? (HopSecurityLevel.MtaStsTesting, $"TLS ({probe.TlsProtocol}) with an MTA-STS policy in testing mode: failures are reported, not enforced.")
                    : (HopSecurityLevel.Cleartext, $"No TLS ({probe.Outcome}); the MTA-STS policy is only in testing mode.");
            }

            return (plain, char.ToUpperInvariant(plainWhy[0]) + plainWhy.Substring(1) + ".");
        }

        /// <summary>The DANE result that stands for one address (results are grouped by outcome; without TLSA there is one).</summary>
        private static DaneResult DaneOf(IReadOnlyList<DaneResult> dane, string address)
            => dane.FirstOrDefault(d => d.ProbedAddresses.Contains(address)) ?? dane[0];

        private static string NoAddressReason(HopEvidence e, string host)
            => e.AddressLookup?.IsLookupError == true
                ? $"The address lookup for {host} failed: senders cannot reach it. {e.AddressLookup.Error}"
                : $"{host} has no A or AAAA record: senders cannot reach it.";

        /// <summary>DANE verdicts under which a DANE sender does not deliver to the host (RFC 7672 §2.2, §3.2).</summary>
        private static bool RefusesDelivery(DaneVerdict verdict)
            => verdict == DaneVerdict.NoMatch || verdict == DaneVerdict.TlsFailed || verdict == DaneVerdict.LookupFailed;

        /// <summary>
        /// The findings that say why a DANE sender refuses: those the evaluator rates Critical (no record matches, a name or
        /// chain that fails, TLS that fails, a lookup error), or its worst ones when none is.
        /// </summary>
        private static IEnumerable<Finding> Blockers(IReadOnlyList<Finding> findings)
        {
            var worst = Finding.Worst(findings);
            var bar = worst == Severity.Critical ? Severity.Critical : Severity.Error;
            return findings.Where(f => f.Severity >= bar);
        }

        /// <summary>An MTA-STS record is published, but a first-time sender gets no usable policy from it (RFC 8461 §3.1–§3.3).</summary>
        private static bool PublicationBroken(MtaStsStatus status)
            => status == MtaStsStatus.FetchFailed || status == MtaStsStatus.InvalidPolicy || status == MtaStsStatus.InvalidRecord
                || status == MtaStsStatus.MultipleRecords || status == MtaStsStatus.LookupFailed;

        private static (bool, string) RequireTls(bool mxSecure, IReadOnlyList<SmtpTlsProbe> probes, IReadOnlyList<DaneResult> dane, MtaStsPolicyResult sts, MtaStsMxResult? stsMx)
        {
            // RFC 8689 §2 / §4.2.1: TLS; the MX authenticated by DNSSEC or MTA-STS; the certificate valid by PKIX or DANE;
            // REQUIRETLS in the EHLO reply after STARTTLS.
            if (probes.Count == 0 || !probes.All(p => p.TlsEstablished))
            {
                return (false, "no TLS session on every address");
            }

            if (!mxSecure && !(sts.PolicyActive && stsMx?.Covered == true))
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

        private static Finding LevelFinding(HopSecurityLevel level, string host, string reason) => LevelDescriptor(level).Create(reason, host);

        /// <summary>
        /// The finding that states an MX host's level, and with its severity how bad the level is: the one place that says so,
        /// for the verdict and for the report's colour of a level (also when a file lost the findings).
        /// </summary>
        /// <param name="level">The level of one MX host.</param>
        internal static FindingDescriptor LevelDescriptor(HopSecurityLevel level) => level switch
        {
            HopSecurityLevel.NoService => HopFindings.NoService,
            HopSecurityLevel.Unreachable => HopFindings.HostUnreachable,
            HopSecurityLevel.Cleartext => HopFindings.Cleartext,
            HopSecurityLevel.OpportunisticTls => HopFindings.OpportunisticTlsOnly,
            HopSecurityLevel.MtaStsTesting => HopFindings.MtaStsTestingOnly,
            HopSecurityLevel.DaneAuthenticated => HopFindings.DaneAuthenticated,
            _ => HopFindings.MtaStsEnforced,
        };

        private static string NoServiceReason(MxRecordSet mx) => mx.Status switch
        {
            MxStatus.NullMx => $"{mx.Domain} publishes a null MX: it accepts no mail (RFC 7505).",
            MxStatus.DomainNotFound => $"{mx.Domain} does not exist (NXDOMAIN).",
            _ => $"{mx.Domain} has neither MX nor address records: no mail can be delivered to it.",
        };
    }
}
