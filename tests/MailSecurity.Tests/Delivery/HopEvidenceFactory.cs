using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using MailSecurity.Dane;
using MailSecurity.Delivery;
using MailSecurity.Dns;
using MailSecurity.MtaSts;
using MailSecurity.Mx;
using MailSecurity.Smtp;
using MailSecurity.Tls;
using MailSecurity.TlsRpt;

namespace MailSecurity.Tests.Delivery
{
    /// <summary>
    /// Builds <see cref="HopEvidence"/> by hand for the offline decision table: the evaluators' results (MX set, STARTTLS
    /// sessions, TLSA lookup, DANE verdicts, MTA-STS result) as those evaluators state them, with only the facts a row needs.
    /// </summary>
    internal static class HopEvidenceFactory
    {
        public const string Domain = "example.test";
        public const string Host = "mx1.example.test";
        public const string Address = "192.0.2.25";
        public const string Address2 = "192.0.2.26";

        public static MxRecordSet MxSet(DnssecStatus dnssec, params string[] hosts)
        {
            var findings = new List<Finding>();
            if (dnssec == DnssecStatus.Secure)
            {
                findings.Add(MxFindings.DnssecSecure.Create($"The MX RRset of {Domain} is DNSSEC-validated.", Domain));
            }
            else if (dnssec == DnssecStatus.Insecure)
            {
                findings.Add(MxFindings.DnssecInsecure.Create($"The MX RRset of {Domain} is not DNSSEC-signed.", Domain));
            }
            else if (dnssec == DnssecStatus.ResolverNotValidating)
            {
                findings.Add(DnsFindings.ResolverNotValidating.Create("The resolver 127.0.0.1:53 returned signed MX data without validating it.", "127.0.0.1:53"));
            }
            else if (dnssec == DnssecStatus.Unvalidated)
            {
                findings.Add(DnsFindings.DnssecProbeFailed.Create($"The DNSSEC state of the MX RRset of {Domain} could not be determined: the DS probe for test failed.", Domain));
            }

            var list = (hosts.Length == 0 ? new[] { Host } : hosts).Select((h, i) => new MxHost((ushort)(10 * (i + 1)), h, false, IPAddress.TryParse(h, out _))).ToList();
            return new MxRecordSet(new MxRecordSetBuilder
            {
                Domain = Domain,
                Status = MxStatus.Found,
                Hosts = list,
                DnssecStatus = dnssec,
                Records = list.Select(h => $"{Domain} MX {h.Preference} {h.HostName}.").ToList(),
                Findings = findings,
                LookupStatus = DnsLookupStatus.Success,
            });
        }

        /// <summary>An MX lookup with no host, as MxResolver gives it for each status.</summary>
        public static MxRecordSet NoHostMx(MxStatus status, DnssecStatus dnssec)
        {
            var findings = new List<Finding>();
            string? error = null;
            var lookup = DnsLookupStatus.Success;
            switch (status)
            {
                case MxStatus.NullMx:
                    findings.Add(MxFindings.NullMx.Create($"{Domain} publishes a null MX: it accepts no mail.", Domain));
                    break;
                case MxStatus.NoMailService:
                    findings.Add(MxFindings.NoMailService.Create($"{Domain} has no MX and no A/AAAA records.", Domain));
                    lookup = DnsLookupStatus.NoData;
                    break;
                case MxStatus.DomainNotFound:
                    findings.Add(MxFindings.DomainNotFound.Create($"{Domain} does not exist (NXDOMAIN, {dnssec}).", Domain));
                    lookup = DnsLookupStatus.NxDomain;
                    break;
                default:
                    error = $"MX lookup for {Domain} failed ({dnssec}).";
                    findings.Add(MxFindings.LookupFailed.Create(error, Domain));
                    lookup = DnsLookupStatus.ServerFailure;
                    break;
            }

            return new MxRecordSet(new MxRecordSetBuilder
            {
                Domain = Domain,
                Status = status,
                DnssecStatus = dnssec,
                Findings = findings,
                Error = error,
                LookupStatus = lookup,
            });
        }

        /// <summary>A STARTTLS session as SmtpTlsProber records it.</summary>
        public static SmtpTlsProbe Probe(string address, SmtpTlsOutcome outcome, bool pkixValid = true, bool nameMatches = true, bool requireTls = false, string host = Host)
        {
            var tls = outcome == SmtpTlsOutcome.Success || outcome == SmtpTlsOutcome.CertificateInvalid;
            var b = new SmtpTlsProbeBuilder
            {
                HostName = host,
                Address = address,
                Port = 25,
                StartedAt = DateTimeOffset.UtcNow,
                Outcome = outcome,
                StartTlsOffered = outcome != SmtpTlsOutcome.NoStartTls && outcome != SmtpTlsOutcome.ConnectFailed && outcome != SmtpTlsOutcome.ServerRefused,
                TlsEstablished = tls,
                TlsProtocol = tls ? TlsVersion.Tls13 : (TlsVersion?)null,
                CapabilitiesBeforeTls = new[] { "PIPELINING", "STARTTLS" },
                CapabilitiesAfterTls = tls ? (requireTls ? new[] { "PIPELINING", "REQUIRETLS" } : new[] { "PIPELINING" }) : Array.Empty<string>(),
                Error = tls ? null : outcome.ToString(),
            };
            if (tls)
            {
                b.Pkix = new PkixValidation(pkixValid, pkixValid ? CertificateProblems.None : CertificateProblems.Untrusted, pkixValid ? Array.Empty<string>() : new[] { "untrusted root" }, Array.Empty<System.Security.Cryptography.X509Certificates.X509Certificate2>(), DateTimeOffset.UtcNow, false);
                b.HostNameMatch = new HostNameMatch(host, nameMatches, nameMatches ? host : null, nameMatches ? HostNameMatchSource.DnsId : HostNameMatchSource.None,
                    new[] { nameMatches ? host : "other.example" }, Array.Empty<string>(), nameMatches ? "matches" : "names other.example");
                if (!pkixValid)
                {
                    b.Findings.Add(TlsFindings.CertificateUntrusted.Create($"{host}: the chain does not reach a trusted root.", host));
                }
            }

            return new SmtpTlsProbe(b);
        }

        public static TlsaLookupResult Tlsa(TlsaLookupOutcome outcome, DnssecStatus? mxDnssec, DnssecStatus tlsaDnssec, params string[] addresses)
        {
            var findings = new List<Finding>();
            switch (outcome)
            {
                case TlsaLookupOutcome.TlsaLookupFailed:
                    findings.Add(DaneFindings.TlsaLookupFailed.Create($"TLSA lookup for _25._tcp.{Host} failed ({tlsaDnssec}). DANE senders treat {Host} as unreachable.", Host));
                    break;
                case TlsaLookupOutcome.NoTlsa:
                    findings.Add(DaneFindings.NoTlsa.Create($"DNSSEC proves that _25._tcp.{Host} has no TLSA records.", Host));
                    break;
                case TlsaLookupOutcome.TlsaInsecure:
                    findings.Add(DaneFindings.TlsaInsecure.Create($"_25._tcp.{Host} is {tlsaDnssec}.", Host));
                    break;
                case TlsaLookupOutcome.ResolverNotValidating:
                    findings.Add(DnsFindings.ResolverNotValidating.Create($"The resolver returned the MX RRset naming {Host} without validating it, so DANE cannot be assessed.", Host));
                    break;
                case TlsaLookupOutcome.DnssecUndetermined:
                    findings.Add(DnsFindings.DnssecProbeFailed.Create($"The DNSSEC state of the address records of {Host} could not be determined: the DS probe for test failed. DANE cannot be assessed.", Host));
                    break;
                case TlsaLookupOutcome.NotApplicable:
                    findings.Add(DaneFindings.NotApplicableToIpAddress.Create($"{Host} is an IP address; DANE does not apply to it.", Host));
                    break;
            }

            var found = outcome == TlsaLookupOutcome.Found;
            return new TlsaLookupResult(new TlsaLookupResultBuilder
            {
                HostName = Host,
                Port = 25,
                MxDnssecStatus = mxDnssec,
                Outcome = outcome,
                AddressDnssecStatus = DnssecStatus.Secure,
                Addresses = addresses,
                CandidateNames = new[] { Host },
                TlsaName = "_25._tcp." + Host,
                TlsaBaseDomain = found ? Host : null,
                TlsaDnssecStatus = tlsaDnssec,
                TlsaQueried = outcome != TlsaLookupOutcome.AddressInsecure,
                Findings = findings,
                Explanation = outcome.ToString(),
            });
        }

        /// <summary>A DANE result with the verdict and the findings DaneEvaluator gives it, standing for <paramref name="addresses"/>.</summary>
        public static DaneResult Dane(TlsaLookupResult lookup, DnssecStatus mxDnssec, DaneVerdict verdict, params string[] addresses)
            => Dane(lookup, mxDnssec, verdict, nameMismatch: true, addresses);

        /// <summary>As above; a NoMatch says either that the DANE-TA certificate names another host or that no record matches.</summary>
        public static DaneResult Dane(TlsaLookupResult lookup, DnssecStatus mxDnssec, DaneVerdict verdict, bool nameMismatch, params string[] addresses)
        {
            var findings = new List<Finding>(lookup.Findings);
            switch (verdict)
            {
                case DaneVerdict.Valid:
                    findings.Add(DaneFindings.Valid.Create($"{Host}: 3 1 1 matches at depth 0.", Host));
                    break;
                case DaneVerdict.NoMatch when nameMismatch:
                    // A DANE-TA record whose server certificate names another host (issue 12 item 2): no NoMatchingRecord.
                    findings.Add(DaneFindings.NameMismatch.Create($"{Host}: the 2 0 1 trust anchor matches, but the server certificate names somewhere-else.example.", Host));
                    findings.Add(DaneFindings.SingleRecord.Create($"_25._tcp.{Host} has a single usable record.", Host));
                    break;
                case DaneVerdict.NoMatch:
                    findings.Add(DaneFindings.NoMatchingRecord.Create($"No TLSA record of {Host} matches the chain.", Host));
                    break;
                case DaneVerdict.TlsFailed:
                    findings.Add(DaneFindings.TlsRequiredButFailed.Create($"{Host} publishes secure TLSA records but does not offer STARTTLS.", Host));
                    break;
                case DaneVerdict.AllRecordsUnusable:
                    findings.Add(DaneFindings.AllRecordsUnusable.Create($"All TLSA records of {Host} are unusable for SMTP.", Host));
                    break;
            }

            var tls = addresses.Length == 0 || lookup.Outcome != TlsaLookupOutcome.Found
                ? TlsHandshakeOutcome.NotAttempted
                : TlsHandshakeOutcome.Failed(TlsHandshakeStatus.HandshakeFailed, "recorded", addresses[0], Host);
            var ordered = findings.OrderByDescending(f => f.Severity).ToList();
            var result = new DaneResult(new DaneResultBuilder
            {
                Target = new DaneTarget(Host, 25, Domain, mxDnssec),
                Lookup = lookup,
                Tls = tls,
                Verdict = verdict,
                Explanation = verdict.ToString(),
                ReferenceIdentifiers = new[] { Host },
                Findings = ordered,
            });
            return addresses.Length > 1 ? result.WithProbedAddresses(addresses) : result;
        }

        /// <summary>The domain's MTA-STS result as MtaStsPolicyChecker completes it.</summary>
        public static MtaStsPolicyResult StsResult(MtaStsStatus status, MtaStsMode? mode = null, MtaStsMxResult? mx = null, bool tlsRpt = true, params Finding[] findings)
        {
            var discovery = new MtaStsTxtRecord(new MtaStsTxtRecordBuilder
            {
                Domain = Domain,
                Status = status == MtaStsStatus.NoRecord ? MtaStsTxtStatus.NoRecord : MtaStsTxtStatus.Valid,
                LookupStatus = DnsLookupStatus.Success,
                Record = status == MtaStsStatus.NoRecord ? null : "v=STSv1; id=1",
                Id = status == MtaStsStatus.NoRecord ? null : "1",
                Extensions = new Dictionary<string, string>(),
                DnssecStatus = DnssecStatus.Secure,
            });
            MtaStsPolicy? policy = null;
            if (mode != null)
            {
                policy = MtaStsPolicyParser.Parse($"version: STSv1\nmode: {mode.ToString()!.ToLowerInvariant()}\nmx: {Host}\nmax_age: 604800\n", "https://mta-sts." + Domain + "/.well-known/mta-sts.txt", out _);
            }

            var rpt = new TlsRptRecord(new TlsRptRecordBuilder
            {
                Domain = Domain,
                Status = tlsRpt ? TlsRptStatus.Valid : TlsRptStatus.NoRecord,
                Record = tlsRpt ? "v=TLSRPTv1; rua=mailto:r@example.test" : null,
                Extensions = new Dictionary<string, string>(),
                DnssecStatus = DnssecStatus.Secure,
            });
            var mxResults = mx is null ? Array.Empty<MtaStsMxResult>() : new[] { mx };
            return new MtaStsPolicyResult(new MtaStsPolicyResultBuilder
            {
                Domain = Domain,
                Status = status,
                Discovery = discovery,
                Policy = policy,
                MxChecked = status == MtaStsStatus.Valid,
                MxResults = mxResults,
                TlsRpt = rpt,
                Findings = findings.OrderByDescending(f => f.Severity).ToList(),
                CheckedAt = DateTimeOffset.UtcNow,
            });
        }

        /// <summary>One MX host's entry, as MtaStsMxEvaluator writes it.</summary>
        public static MtaStsMxResult StsMx(bool covered, bool? tlsOk, bool? certificateValid, bool? wouldDeliver, string host = Host)
            => new MtaStsMxResult(new MtaStsMxResultBuilder
            {
                MxHost = host,
                Preference = 10,
                Covered = covered,
                MatchedPattern = covered ? host : null,
                Address = Address,
                TlsOk = tlsOk,
                CertificateValid = certificateValid,
                WouldDeliver = wouldDeliver,
                Detail = "recorded",
            });

        public static HopEvidence Evidence(MxRecordSet mx, IReadOnlyList<SmtpTlsProbe> probes, TlsaLookupResult tlsa, IReadOnlyList<DaneResult> dane, MtaStsPolicyResult sts, HostAddresses? lookup = null)
            => new HopEvidence
            {
                Domain = Domain,
                Mx = mx,
                MxDnssec = mx.DnssecStatus,
                Host = mx.Hosts[0],
                AddressLookup = lookup ?? DnsEvidence.Addresses(mx.Hosts[0].HostName, DnssecStatus.Secure, probes.Select(p => p.Address).ToArray()),
                Addresses = probes.Select(p => IPAddress.Parse(p.Address)).ToList(),
                Probes = probes,
                Tlsa = tlsa,
                Dane = dane,
                MtaSts = sts,
            };
    }
}
