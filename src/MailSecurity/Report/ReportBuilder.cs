using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace MailSecurity.Report
{
    /// <summary>
    /// Turns MailSecurity results (live or read back from a file) into a <see cref="ReportDocument"/>: one matrix row per
    /// domain, one cell per check, coloured by the worst finding of that check, with the findings and evidence of every
    /// result behind it. Results are grouped by domain; a STARTTLS probe or DANE result of a host joins every domain in the
    /// report whose MX is that host, and otherwise gets a row of its own.
    /// </summary>
    /// <remarks>
    /// The cell rule, so that every colour can be explained: a check's cell takes the worst severity among the findings whose
    /// code belongs to that check (Critical, Error, Warning; Info or none is Good, or Neutral when the result says the record
    /// is simply not there), and at least the colour its status implies (<see cref="StatusRating"/>: a failed lookup, fetch or
    /// TLS session is never green). The hop-level cell shows the level of the weakest MX, is never green below MtaStsEnforced,
    /// and is at least Error when an MX has a delivery risk. Results that only add to a check (an SPF check of one address,
    /// the probes inside a hop verdict) colour its cell only with a Warning or worse. PKIX findings of a host that DANE
    /// authenticates count as information (RFC 7672 §3.1.2).
    /// </remarks>
    internal sealed class ReportBuilder
    {
        /// <summary>The result types the report understands (type names as PowerShell shows them).</summary>
        public static readonly IReadOnlyList<string> SupportedTypeNames = new[]
        {
            "MailSecurity.MailAuthReport", "MailSecurity.HopSecurity", "MailSecurity.MtaStsPolicyResult", "MailSecurity.SmtpTlsProbe",
            "MailSecurity.DaneResult", "MailSecurity.SpfCheckResult", "MailSecurity.MessagePath",
        };

        private static readonly ReportCheck[] MatrixChecks = (ReportCheck[])Enum.GetValues(typeof(ReportCheck));

        // "[Severity] Code: Message": Finding.ToString(), which is what a finding becomes when a file was written with too little depth.
        private static readonly Regex FindingText = new Regex(@"^\[(?<sev>[A-Za-z]+)\]\s+(?<code>[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)+):\s?(?<msg>.*)$", RegexOptions.Singleline | RegexOptions.CultureInvariant);

        private readonly Dictionary<string, EntryBuilder> _entries = new Dictionary<string, EntryBuilder>(StringComparer.OrdinalIgnoreCase);
        private readonly List<EntryBuilder> _order = new List<EntryBuilder>();
        private readonly List<(string Host, Action<EntryBuilder> Apply, Func<EntryBuilder> Standalone)> _hostResults = new List<(string, Action<EntryBuilder>, Func<EntryBuilder>)>();
        private readonly Dictionary<string, List<string>> _mxOf = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        private readonly List<ReportMessage> _messages = new List<ReportMessage>();
        private int _resultCount;

        /// <summary>The matrix column header of a check.</summary>
        /// <param name="check">The check.</param>
        public static string ColumnName(ReportCheck check) => check switch
        {
            ReportCheck.Mx => "MX",
            ReportCheck.Spf => "SPF",
            ReportCheck.Dmarc => "DMARC",
            ReportCheck.Dkim => "DKIM",
            ReportCheck.MtaSts => "MTA-STS",
            ReportCheck.TlsRpt => "TLS-RPT",
            ReportCheck.Bimi => "BIMI",
            ReportCheck.StartTls => "STARTTLS",
            ReportCheck.Dane => "DANE",
            _ => "Hop level",
        };

        /// <summary>Adds one result. Returns false (and adds nothing) when it is not a result type the report understands.</summary>
        /// <param name="result">A MailSecurity result object.</param>
        public bool Add(ReportSource result)
        {
            if (result is null)
            {
                throw new ArgumentNullException(nameof(result));
            }

            switch (result.TypeName)
            {
                case "MailSecurity.MailAuthReport":
                    AddMailAuth(result);
                    break;
                case "MailSecurity.HopSecurity":
                    AddHop(result);
                    break;
                case "MailSecurity.MtaStsPolicyResult":
                    AddMtaSts(result);
                    break;
                case "MailSecurity.SmtpTlsProbe":
                    AddProbe(result);
                    break;
                case "MailSecurity.DaneResult":
                    AddDane(result);
                    break;
                case "MailSecurity.SpfCheckResult":
                    AddSpfCheck(result);
                    break;
                case "MailSecurity.MessagePath":
                    AddMessage(result);
                    break;
                default:
                    return false;
            }

            _resultCount++;
            return true;
        }

        /// <summary>Builds the document from everything added so far (results added later go into the next build).</summary>
        /// <param name="title">The page title.</param>
        /// <param name="generatedAt">When the report was made.</param>
        public ReportDocument Build(string title, DateTimeOffset generatedAt)
        {
            // Host results join every domain whose MX is that host; the rest get rows of their own.
            foreach (var (host, apply, standalone) in _hostResults)
            {
                var domains = _mxOf.TryGetValue(host, out var list) ? list.Where(d => _entries.ContainsKey(d)).ToList() : new List<string>();
                if (domains.Count == 0)
                {
                    apply(standalone());
                    continue;
                }

                foreach (var d in domains)
                {
                    apply(_entries[d]);
                }
            }

            // Applied once: a second Build sees them in the entries already.
            _hostResults.Clear();

            var built = _order.Select(e => e.Build()).ToList();
            var sorted = built
                .OrderByDescending(e => e.WorstSeverity.HasValue ? (int)e.WorstSeverity.Value : -1)
                .ThenByDescending(e => e.Cells.Count == 0 ? 0 : e.Cells.Max(c => (int)c.Rating))
                .ThenBy(e => e.WeakestLevel.HasValue ? (int)e.WeakestLevel.Value : int.MaxValue)
                .ThenBy(e => e.Name, StringComparer.OrdinalIgnoreCase)
                .ToList();
            var entries = new List<ReportEntry>(sorted.Count);
            for (var i = 0; i < sorted.Count; i++)
            {
                var e = sorted[i];
                entries.Add(new ReportEntry(new ReportEntryBuilder
                {
                    Id = "d" + (i + 1).ToString(CultureInfo.InvariantCulture),
                    Name = e.Name,
                    Kind = e.Kind,
                    Cells = e.Cells,
                    Findings = e.Findings,
                    Evidence = e.Evidence,
                    WeakestLevel = e.WeakestLevel,
                    ResultCount = e.ResultCount,
                }));
            }

            var columns = MatrixChecks.Select(ColumnName).Concat(new[] { "Worst" }).ToList();
            return new ReportDocument(title, generatedAt, columns, entries, _messages.ToList(), Problems(entries, _messages), _resultCount);
        }

        private static IReadOnlyList<ReportProblem> Problems(IReadOnlyList<ReportEntry> entries, IReadOnlyList<ReportMessage> messages)
        {
            var byCode = new Dictionary<string, (Severity Severity, List<ReportEntry> Entries, HashSet<string> Messages, ReportFinding Example)>(StringComparer.Ordinal);
            var noted = new HashSet<(string, ReportEntry)>();
            void Note(ReportFinding f, ReportEntry? entry, string? message)
            {
                if (f.Severity < Severity.Warning)
                {
                    return;
                }

                if (!byCode.TryGetValue(f.Code, out var p))
                {
                    p = (f.Severity, new List<ReportEntry>(), new HashSet<string>(StringComparer.Ordinal), f);
                }

                if (f.Severity > p.Severity)
                {
                    p = (f.Severity, p.Entries, p.Messages, f);
                }

                if (entry != null && noted.Add((f.Code, entry)))
                {
                    p.Entries.Add(entry);
                }

                if (message != null)
                {
                    p.Messages.Add(message);
                }

                byCode[f.Code] = p;
            }

            foreach (var e in entries)
            {
                foreach (var f in e.Findings)
                {
                    Note(f, e, null);
                }
            }

            foreach (var m in messages)
            {
                foreach (var f in m.Findings)
                {
                    Note(f, null, m.Id);
                }
            }

            return byCode
                .Select(kv =>
                {
                    var d = FindingCatalog.Find(kv.Key);
                    var reference = string.IsNullOrEmpty(kv.Value.Example.Reference) ? d?.Reference ?? string.Empty : kv.Value.Example.Reference;
                    return new ReportProblem(new ReportProblemBuilder
                    {
                        Code = kv.Key,
                        Severity = kv.Value.Severity,
                        Meaning = d?.Meaning ?? string.Empty,
                        Remedy = d?.Remedy ?? string.Empty,
                        Reference = reference,
                        Entries = kv.Value.Entries,
                        MessageCount = kv.Value.Messages.Count,
                        Example = kv.Value.Example.Message,
                    });
                })
                .OrderByDescending(p => p.Severity)
                .ThenByDescending(p => p.Entries.Count + p.MessageCount)
                .ThenBy(p => p.Code, StringComparer.Ordinal)
                .ToList();
        }

        private EntryBuilder Entry(string? name, ReportEntryKind kind = ReportEntryKind.Domain)
        {
            var key = string.IsNullOrWhiteSpace(name) ? "(no name)" : name!.Trim();
            if (!_entries.TryGetValue(key, out var entry))
            {
                entry = new EntryBuilder(key, kind);
                _entries.Add(key, entry);
                _order.Add(entry);
            }

            return entry;
        }

        private void NoteMx(string domain, string? host)
        {
            if (string.IsNullOrWhiteSpace(host) || string.IsNullOrWhiteSpace(domain))
            {
                return;
            }

            if (!_mxOf.TryGetValue(host!.Trim(), out var list))
            {
                list = new List<string>();
                _mxOf.Add(host.Trim(), list);
            }

            if (!list.Contains(domain, StringComparer.OrdinalIgnoreCase))
            {
                list.Add(domain);
            }
        }

        private void AddMailAuth(ReportSource r)
        {
            var domain = r.GetText("Domain") ?? string.Empty;
            var entry = Entry(domain);
            entry.ResultCount++;
            const string source = "Get-MailAuthRecords";
            var findings = Findings(r, "Findings", source);
            entry.AddFindings(findings);

            var hosts = r.Objects("Mx.Hosts").Select(h => h.GetText("HostName")).Where(h => !string.IsNullOrEmpty(h)).Select(h => h!).ToList();
            if (hosts.Count == 0)
            {
                hosts = Split(r.GetText("MxHosts"));
            }

            foreach (var h in hosts)
            {
                NoteMx(entry.Name, h);
            }

            var mxStatus = EnumText<MxStatus>(r.GetText("MxStatus") ?? r.Text("Mx.Status")) ?? "?";
            var mxDnssec = EnumText<Dns.DnssecStatus>(r.GetText("MxDnssec") ?? r.Text("Mx.DnssecStatus"));
            entry.Add(ReportCheck.Mx, mxStatus, Join("; ", hosts.Count == 0 ? null : "MX hosts: " + string.Join(", ", hosts), mxDnssec is null ? null : "DNSSEC: " + mxDnssec, r.Text("Mx.Error")),
                Of(findings, ReportCheck.Mx), absent: mxStatus == "NullMx");

            var spf = EnumText<SpfVerdict>(r.GetText("SpfStatus")) ?? "?";
            entry.Add(ReportCheck.Spf, spf, r.GetText("SpfRecord") ?? "No SPF record.", Of(findings, ReportCheck.Spf), absent: spf == "None");

            var dmarcPolicy = EnumText<DmarcPolicyAction>(r.GetText("DmarcPolicyApplied"));
            var dmarcStatus = EnumText<DmarcStatus>(r.GetText("DmarcStatus")) ?? "?";
            entry.Add(ReportCheck.Dmarc, dmarcPolicy is null ? dmarcStatus : "p=" + dmarcPolicy.ToLowerInvariant(), r.Text("Dmarc.RawRecord") ?? dmarcStatus,
                Of(findings, ReportCheck.Dmarc), absent: dmarcStatus == "NoRecord");

            var dkimStatus = EnumText<DkimStatus>(r.GetText("DkimStatus")) ?? "?";
            var dkimCount = r.GetText("DkimKeyCount");
            var selectors = r.GetText("DkimSelectorsFound");
            entry.Add(ReportCheck.Dkim, dkimStatus == "Found" && dkimCount != null ? $"Found ({dkimCount})" : dkimStatus,
                string.IsNullOrEmpty(selectors) ? "No key at the selectors asked." : "Selectors: " + selectors, Of(findings, ReportCheck.Dkim), absent: dkimStatus == "NoneFound");

            var sts = EnumText<MtaStsTxtStatus>(r.GetText("MtaStsStatus")) ?? "?";
            entry.Add(ReportCheck.MtaSts, sts, r.Text("MtaStsRecord.Record") ?? "_mta-sts TXT: " + sts, Of(findings, ReportCheck.MtaSts), absent: sts == "NoRecord");

            var tlsRpt = EnumText<TlsRptStatus>(r.GetText("TlsRptStatus")) ?? "?";
            entry.Add(ReportCheck.TlsRpt, tlsRpt, r.Text("TlsRpt.Record") ?? "_smtp._tls TXT: " + tlsRpt, Of(findings, ReportCheck.TlsRpt), absent: tlsRpt == "NoRecord");

            var bimi = EnumText<BimiStatus>(r.GetText("BimiStatus")) ?? "?";
            entry.Add(ReportCheck.Bimi, bimi, r.Text("Bimi.Record") ?? "BIMI: " + bimi, Of(findings, ReportCheck.Bimi), absent: bimi == "NoRecord" || bimi == "Declined");

            var items = new List<ReportEvidenceItem>();
            Item(items, "MX status", mxStatus);
            Item(items, "MX records", string.Join("\n", r.Texts("Mx.Records")), preformatted: true);
            Item(items, "MX DNSSEC", mxDnssec);
            Item(items, "MX lookup error", r.Text("Mx.Error"));
            Item(items, "SPF record", r.GetText("SpfRecord"), preformatted: true);
            Item(items, "SPF DNS lookups", r.GetText("SpfLookupCount"));
            Item(items, "DMARC record", r.Text("Dmarc.RawRecord"), preformatted: true);
            Item(items, "DMARC policy domain", r.GetText("DmarcPolicyDomain"));
            Item(items, "DMARC aggregate reports to", r.GetText("DmarcRua"));
            Item(items, "DKIM selectors with a key", selectors);
            Item(items, "DKIM keys", string.Join("\n", r.Objects("Dkim.Keys").Select(k => $"{k.GetText("Selector")}: {k.GetText("KeyType")} {k.GetText("KeySize")} bits, {k.GetText("Status")}")), preformatted: true);
            Item(items, "MTA-STS TXT record", r.Text("MtaStsRecord.Record"), preformatted: true);
            Item(items, "TLS-RPT record", r.Text("TlsRpt.Record"), preformatted: true);
            Item(items, "BIMI record", r.Text("Bimi.Record"), preformatted: true);
            entry.Evidence.Add(new ReportEvidence(source, items));
        }

        private void AddHop(ReportSource r)
        {
            var domain = r.GetText("Domain") ?? string.Empty;
            var entry = Entry(domain);
            entry.ResultCount++;
            var host = r.GetText("MxHost") ?? string.Empty;
            NoteMx(entry.Name, host);
            var source = host.Length == 0 ? "Resolve-HopSecurity" : "Resolve-HopSecurity " + host;
            var findings = Findings(r, "Findings", source);
            var risks = Findings(r, "DeliveryRisks", source);
            entry.AddFindings(findings);
            entry.AddFindings(risks);
            var all = findings.Concat(risks).ToList();

            var levelText = EnumText<HopSecurityLevel>(r.GetText("Level"));
            var level = ParseEnum<HopSecurityLevel>(levelText);
            var riskCodes = risks.Select(f => f.Code).Distinct().ToList();
            if (riskCodes.Count == 0)
            {
                riskCodes = Split(r.GetText("DeliveryRiskCodes"), ';');
            }

            var hopRating = RatingOf(Of(all, ReportCheck.HopLevel), absent: level == HopSecurityLevel.NoService);
            var levelRating = LevelRating(level);
            if (levelRating > hopRating)
            {
                // The level itself counts, also when the findings were lost on the way (a shallow file).
                hopRating = levelRating;
            }

            if (level == HopSecurityLevel.DaneAuthenticated)
            {
                entry.NoteDaneAuthenticated(host);
            }

            if (riskCodes.Count > 0 && hopRating < ReportRating.Error)
            {
                // A delivery risk means a policy-honouring sender refuses this MX: mail is deferred or lost.
                hopRating = ReportRating.Error;
            }

            var reason = r.GetText("Reason") ?? string.Empty;
            entry.Hops.Add(new HopRow(host, r.GetText("Preference") ?? string.Empty, level, levelText ?? "?", hopRating, reason, r.GetText("Encrypted"), r.GetText("Authenticated"),
                r.GetText("DowngradeResistant"), riskCodes, r.GetText("RequireTlsReady"), r.GetText("RequireTlsDetail"), r.GetText("TlsVersion"),
                r.GetText("DaneVerdict") ?? r.Text("Dane.Verdict"), r.GetText("MtaStsMode") ?? r.Text("MtaSts.Mode")));

            if (host.Length == 0)
            {
                var mx = level == HopSecurityLevel.NoService ? "NoService" : "LookupFailed";
                entry.Add(ReportCheck.Mx, mx, reason, Of(all, ReportCheck.Mx), absent: level == HopSecurityLevel.NoService, secondary: true);
                return;
            }

            entry.Add(ReportCheck.Mx, "Found", $"Resolve-HopSecurity: {host} (preference {r.GetText("Preference")})", Of(all, ReportCheck.Mx), secondary: true);

            var dane = r.GetObject("Dane");
            var daneVerdict = EnumText<DaneVerdict>(r.GetText("DaneVerdict") ?? dane?.GetText("Verdict"));
            if (daneVerdict != null)
            {
                var daneFindings = dane is null ? new List<ReportFinding>() : Findings(dane, "Findings", "DANE " + host);
                entry.AddFindings(daneFindings);
                entry.Add(ReportCheck.Dane, daneVerdict, $"{host}: {dane?.GetText("Explanation") ?? daneVerdict}", Of(daneFindings.Concat(all), ReportCheck.Dane),
                    absent: daneVerdict == "NoTlsa" || daneVerdict == "Insecure", host: host);
            }

            var stsMode = EnumText<MtaStsMode>(r.GetText("MtaStsMode") ?? r.Text("MtaSts.Mode"));
            var stsStatus = EnumText<MtaStsStatus>(r.Text("MtaSts.Status"));
            if (stsMode != null || stsStatus != null)
            {
                var covered = r.GetText("MtaStsCovered") ?? r.Text("MtaSts.Covered");
                entry.Add(ReportCheck.MtaSts, stsMode ?? stsStatus!, $"{host}: policy {stsStatus ?? stsMode}, covered {covered ?? "?"}", Of(all, ReportCheck.MtaSts),
                    absent: stsStatus == "NoRecord" || stsMode == "None", secondary: true);
            }

            var tlsRpt = r.GetText("TlsRptPresent");
            if (tlsRpt != null)
            {
                entry.Add(ReportCheck.TlsRpt, tlsRpt == "True" ? "Valid" : "NoRecord", "Resolve-HopSecurity: TLS-RPT record " + (tlsRpt == "True" ? "published" : "not published"),
                    Of(all, ReportCheck.TlsRpt), absent: tlsRpt != "True", secondary: true);
            }

            foreach (var probe in r.GetObjects("Probes"))
            {
                var probeFindings = Findings(probe, "Findings", $"STARTTLS {host} [{probe.GetText("Address")}]");
                entry.AddFindings(probeFindings, host);
                entry.Add(ReportCheck.StartTls, ProbeText(probe), ProbeDetail(probe), Of(probeFindings, ReportCheck.StartTls), secondary: true, host: host);
            }
        }

        private void AddMtaSts(ReportSource r)
        {
            var domain = r.GetText("Domain") ?? string.Empty;
            var entry = Entry(domain);
            entry.ResultCount++;
            const string source = "Get-MtaStsPolicy";
            var findings = Findings(r, "Findings", source);
            entry.AddFindings(findings);
            var status = EnumText<MtaStsStatus>(r.GetText("Status")) ?? "?";
            var mode = EnumText<MtaStsMode>(r.GetText("Mode"));
            entry.Add(ReportCheck.MtaSts, status == "Valid" && mode != null ? mode : status, $"Policy {status}{(mode is null ? string.Empty : ", mode " + mode)}, id {r.GetText("Id") ?? "-"}",
                Of(findings, ReportCheck.MtaSts), absent: status == "NoRecord" || status == "ModeNone");

            var tlsRpt = r.GetText("TlsRptPresent");
            entry.Add(ReportCheck.TlsRpt, tlsRpt is null ? "LookupFailed" : tlsRpt == "True" ? "Valid" : "NoRecord", r.GetText("TlsRptRecord") ?? "Get-MtaStsPolicy: TLS-RPT",
                Of(findings, ReportCheck.TlsRpt), absent: tlsRpt == "False", secondary: true);

            var mxRows = new List<IReadOnlyList<ReportCell>>();
            foreach (var mx in r.GetObjects("MxResults"))
            {
                var host = mx.GetText("MxHost");
                NoteMx(entry.Name, host);
                mxRows.Add(new[]
                {
                    Plain("MX host", host), Plain("Pref", mx.GetText("Preference")), Flag("Covered", mx.GetText("Covered")), Plain("Pattern", mx.GetText("MatchedPattern")),
                    Flag("TLS", mx.GetText("TlsOk")), Flag("Certificate", mx.GetText("CertificateValid")), Flag("Delivers", mx.GetText("WouldDeliver")),
                });
            }

            var items = new List<ReportEvidenceItem>();
            Item(items, "Status", status);
            Item(items, "Mode", mode);
            Item(items, "Policy id", r.GetText("Id"));
            Item(items, "max_age (seconds)", r.GetText("MaxAgeSeconds"));
            Item(items, "mx patterns", r.GetText("MxPatternList"));
            Item(items, "MX not covered", r.GetText("UncoveredMx"));
            Item(items, "_mta-sts TXT record", r.Text("Discovery.Record"), preformatted: true);
            Item(items, "Policy URL", r.Text("Fetch.Url"));
            Item(items, "HTTP status", r.GetText("HttpStatusCode"));
            Item(items, "Policy host certificate valid", r.GetText("PolicyHostCertificateValid"));
            Item(items, "Fetch error", r.Text("Fetch.Error"));
            Item(items, "Policy", r.Text("Policy.Text"), preformatted: true);
            Item(items, "TLS-RPT record", r.GetText("TlsRptRecord"), preformatted: true);
            var table = mxRows.Count == 0 ? null : new ReportTable(new[] { "MX host", "Pref", "Covered", "Pattern", "TLS", "Certificate", "Delivers" }, mxRows);
            entry.Evidence.Add(new ReportEvidence(source, items, table));
        }

        private void AddProbe(ReportSource r)
        {
            var host = r.GetText("HostName") ?? string.Empty;
            var source = $"Test-SmtpStartTls {host} [{r.GetText("Address")}]:{r.GetText("Port")}";
            var findings = Findings(r, "Findings", source);
            var items = new List<ReportEvidenceItem>();
            Item(items, "Outcome", r.GetText("Outcome"));
            Item(items, "Failure phase", r.GetText("FailurePhase"));
            Item(items, "Error", r.GetText("Error"));
            Item(items, "Banner", r.GetText("Banner"));
            Item(items, "TLS", Join(" ", r.GetText("TlsProtocol"), r.GetText("CipherSuite")));
            Item(items, "Certificate subject", r.GetText("CertificateSubject"));
            Item(items, "Certificate issuer", r.GetText("CertificateIssuer"));
            Item(items, "Certificate names", r.GetText("CertificateNames"));
            Item(items, "Certificate expires", r.GetText("CertificateNotAfter"));
            Item(items, "Days until expiry", r.GetText("DaysUntilExpiry"));
            Item(items, "PKIX valid", r.GetText("PkixValid"));
            Item(items, "PKIX errors", string.Join("\n", r.GetTexts("PkixErrors")), preformatted: true);
            Item(items, "Host name matches", r.GetText("HostNameMatches"));
            Item(items, "Capabilities after TLS", string.Join(", ", r.GetTexts("CapabilitiesAfterTls")));
            var evidence = new ReportEvidence(source, items);
            var text = ProbeText(r);
            var detail = ProbeDetail(r);
            _hostResults.Add((host, e =>
            {
                e.ResultCount++;
                e.AddFindings(findings, host);
                e.Add(ReportCheck.StartTls, text, detail, Of(findings, ReportCheck.StartTls), host: host);
                e.Evidence.Add(evidence);
            }, () => Entry(host, ReportEntryKind.Host)));
        }

        private void AddDane(ReportSource r)
        {
            var host = r.GetText("HostName") ?? string.Empty;
            var domain = r.GetText("Domain");
            var source = "Test-DaneTlsa " + host;
            var findings = Findings(r, "Findings", source);
            var verdict = EnumText<DaneVerdict>(r.GetText("Verdict")) ?? "?";
            var items = new List<ReportEvidenceItem>();
            Item(items, "Verdict", verdict);
            Item(items, "Explanation", r.GetText("Explanation"));
            Item(items, "TLSA name", r.GetText("TlsaName"));
            Item(items, "TLSA DNSSEC", r.GetText("TlsaDnssecStatus"));
            Item(items, "MX DNSSEC", r.GetText("MxDnssecStatus"));
            Item(items, "TLSA records", string.Join("\n", Split(r.GetText("RecordList"), ';')), preformatted: true);
            Item(items, "Matched record", r.GetText("MatchedRecordText"), preformatted: true);
            Item(items, "Match depth", r.GetText("MatchDepth"));
            Item(items, "TLS", r.GetText("TlsDescription"));
            Item(items, "DNS answers", string.Join("\n", r.GetTexts("Evidence")), preformatted: true);
            var evidence = new ReportEvidence(source, items);
            void Apply(EntryBuilder e)
            {
                e.ResultCount++;
                e.AddFindings(findings);
                if (verdict == nameof(DaneVerdict.Valid) && EnumText<Dns.DnssecStatus>(r.GetText("MxDnssecStatus")) == nameof(Dns.DnssecStatus.Secure))
                {
                    e.NoteDaneAuthenticated(host);
                }

                e.Add(ReportCheck.Dane, verdict, $"{host}: {r.GetText("Explanation") ?? verdict}", Of(findings, ReportCheck.Dane), absent: verdict == "NoTlsa" || verdict == "Insecure", host: host);
                e.Evidence.Add(evidence);
            }

            if (!string.IsNullOrWhiteSpace(domain))
            {
                var entry = Entry(domain);
                NoteMx(entry.Name, host);
                Apply(entry);
            }
            else
            {
                _hostResults.Add((host, Apply, () => Entry(host, ReportEntryKind.Host)));
            }
        }

        private void AddSpfCheck(ReportSource r)
        {
            var entry = Entry(r.GetText("Domain"));
            entry.ResultCount++;
            var ip = r.GetText("IPAddress") ?? "?";
            var source = "Test-SpfRecord " + ip;
            var findings = Findings(r, "Findings", source);
            entry.AddFindings(findings);
            var result = EnumText<SpfResult>(r.GetText("Result")) ?? "?";
            entry.Add(ReportCheck.Spf, $"{result} for {ip}", r.GetText("Reason") ?? result, Of(findings, ReportCheck.Spf), absent: true, secondary: true);
            var items = new List<ReportEvidenceItem>();
            Item(items, "Result", result);
            Item(items, "Reason", r.GetText("Reason"));
            Item(items, "Sender", r.GetText("Sender"));
            Item(items, "HELO name", r.GetText("HeloName"));
            Item(items, "Matched mechanism", r.GetText("MatchedMechanism"));
            Item(items, "Explanation", r.GetText("Explanation"));
            Item(items, "DNS lookups / void lookups", Join(" / ", r.GetText("DnsLookupCount"), r.GetText("VoidLookupCount")));
            Item(items, "Record", r.GetText("Record"), preformatted: true);
            // One indented step per line (TraceText is the one-line CSV form).
            var trace = r.GetTexts("Trace");
            Item(items, "Trace", trace.Count > 0 ? string.Join("\n", trace) : r.GetText("TraceText"), preformatted: true);
            entry.Evidence.Add(new ReportEvidence(source, items));
        }

        private void AddMessage(ReportSource r)
        {
            var id = "m" + (_messages.Count + 1).ToString(CultureInfo.InvariantCulture);
            var source = r.GetText("Source") ?? "Message";
            var findings = Findings(r, "Findings", "Resolve-HopSecurity").OrderByDescending(f => f.Severity).ToList();
            var encrypted = r.GetText("EncryptedAllHops");
            var weakestIndex = r.GetText("WeakestHopIndex");
            var worst = findings.Count == 0 ? (Severity?)null : findings.Max(f => f.Severity);
            var cells = new List<ReportCell>
            {
                new ReportCell("Hops", r.GetText("HopCount") ?? "?", ReportRating.Neutral, r.GetText("Path") ?? string.Empty),
                new ReportCell("All encrypted", encrypted is null ? "Unknown" : encrypted == "True" ? "Yes" : "No",
                    encrypted is null ? ReportRating.Neutral : encrypted == "True" ? ReportRating.Good : ReportRating.Error, "Every network hop states TLS (True), one does not (False), or a hop does not say."),
                new ReportCell("Weakest hop", weakestIndex is null ? string.Empty : $"{weakestIndex}: {r.GetText("WeakestTls")}", ReportRating.Neutral, "The hop with the least protection."),
                AuthCell("SPF", r.GetText("SpfResult")),
                AuthCell("DMARC", r.GetText("DmarcResult")),
                AuthCell("DKIM", EnumText<DkimResult>(r.GetText("DkimVerified"))),
                AuthCell("ARC", EnumText<ArcResult>(r.GetText("ArcVerified"))),
                WorstCell(worst, findings.Count),
            };

            var hopRows = new List<IReadOnlyList<ReportCell>>();
            foreach (var hop in r.GetObjects("Hops"))
            {
                var tls = EnumText<HopTls>(hop.GetText("Tls"));
                hopRows.Add(new[]
                {
                    Plain("#", hop.GetText("Index")), Plain("From", hop.GetText("From")), Plain("Address", hop.GetText("FromAddress")), Plain("By", hop.GetText("By")),
                    Plain("With", hop.GetText("With")),
                    new ReportCell("TLS", tls ?? string.Empty, tls == "Encrypted" ? ReportRating.Good : tls == "Cleartext" ? ReportRating.Error : ReportRating.Neutral, hop.GetText("TlsEvidence") ?? string.Empty),
                    Plain("Version", Join(" ", hop.GetText("TlsVersion"), hop.GetText("Cipher"))), Plain("Auth", hop.GetText("Authenticated")),
                    Plain("Time", hop.GetText("Timestamp")), Plain("Delay", hop.GetText("Delay")),
                });
            }

            var items = new List<ReportEvidenceItem>();
            Item(items, "Subject", r.GetText("Subject"));
            Item(items, "From", r.GetText("HeaderFrom"));
            Item(items, "Message-ID", r.GetText("MessageId"));
            Item(items, "Date", r.GetText("Date"));
            Item(items, "Transit time", r.GetText("TransitTime"));
            var table = hopRows.Count == 0 ? null : new ReportTable(new[] { "#", "From", "Address", "By", "With", "TLS", "Version", "Auth", "Time", "Delay" }, hopRows);
            _messages.Add(new ReportMessage(id, source, cells, findings, new[] { new ReportEvidence("Hops (oldest first)", items, table) }));
        }

        private static ReportCell AuthCell(string column, string? result)
        {
            var r = (result ?? string.Empty).ToLowerInvariant();
            var rating = r switch
            {
                "pass" => ReportRating.Good,
                "fail" => ReportRating.Error,
                "permerror" => ReportRating.Error,
                "" => ReportRating.Neutral,
                "none" => ReportRating.Neutral,
                _ => ReportRating.Warning,
            };
            return new ReportCell(column, result ?? string.Empty, rating, column + " result trusted from Authentication-Results or verified.");
        }

        /// <summary>
        /// The colour a check's own status implies, whatever its findings say: a failed lookup, an unusable record, a failed
        /// policy fetch or a failed TLS session is never green. NotChecked when the status implies nothing.
        /// </summary>
        /// <param name="check">The matrix column.</param>
        /// <param name="status">The status as the cell shows it (an enum name).</param>
        internal static ReportRating StatusRating(ReportCheck check, string? status)
        {
            switch (check)
            {
                case ReportCheck.Mx:
                    return status == nameof(MxStatus.LookupFailed) ? ReportRating.Critical
                        : status == nameof(MxStatus.DomainNotFound) || status == nameof(MxStatus.NoMailService) ? ReportRating.Error : ReportRating.NotChecked;
                case ReportCheck.Spf:
                    return status == nameof(SpfVerdict.PermError) || status == nameof(SpfVerdict.TempError) ? ReportRating.Error : ReportRating.NotChecked;
                case ReportCheck.Dmarc:
                    return status == nameof(DmarcStatus.TempError) ? ReportRating.Error : ReportRating.NotChecked;
                case ReportCheck.Dkim:
                    return status == nameof(DkimStatus.LookupFailed) ? ReportRating.Error : ReportRating.NotChecked;
                case ReportCheck.MtaSts:
                    // The TXT record's status (Get-MailAuthRecords) or the policy's (Get-MtaStsPolicy, Resolve-HopSecurity).
                    return status == nameof(MtaStsStatus.FetchFailed) || status == nameof(MtaStsStatus.InvalidPolicy) || status == nameof(MtaStsStatus.InvalidRecord)
                        || status == nameof(MtaStsStatus.MultipleRecords) || status == nameof(MtaStsStatus.LookupFailed) || status == nameof(MtaStsTxtStatus.Invalid)
                        || status == nameof(MtaStsTxtStatus.TempError)
                        ? ReportRating.Error : ReportRating.NotChecked;
                case ReportCheck.TlsRpt:
                case ReportCheck.Bimi:
                    return status == nameof(TlsRptStatus.MultipleRecords) || status == nameof(TlsRptStatus.Invalid) || status == nameof(TlsRptStatus.TempError) || status == "LookupFailed"
                        ? ReportRating.Warning : ReportRating.NotChecked;
                case ReportCheck.StartTls:
                    return ParseEnum<SmtpTlsOutcome>(status) is SmtpTlsOutcome outcome && outcome != SmtpTlsOutcome.Success ? ReportRating.Error : ReportRating.NotChecked;
                case ReportCheck.Dane:
                    switch (ParseEnum<DaneVerdict>(status))
                    {
                        case DaneVerdict.NoMatch:
                        case DaneVerdict.TlsFailed:
                        case DaneVerdict.LookupFailed:
                            return ReportRating.Critical;
                        case DaneVerdict.ConnectFailed:
                        case DaneVerdict.NoAddress:
                            return ReportRating.Error;
                        case DaneVerdict.AllRecordsUnusable:
                        case DaneVerdict.ResolverNotValidating:
                            return ReportRating.Warning;
                        default:
                            return ReportRating.NotChecked;
                    }

                default:
                    return ReportRating.NotChecked;
            }
        }

        /// <summary>The least colour a hop level implies (SPEC §9): no service is neutral, anything short of an authenticated hop is not green.</summary>
        private static ReportRating LevelRating(HopSecurityLevel? level) => level switch
        {
            HopSecurityLevel.Unreachable => ReportRating.Error,
            HopSecurityLevel.Cleartext => ReportRating.Error,
            HopSecurityLevel.OpportunisticTls => ReportRating.Warning,
            HopSecurityLevel.MtaStsTesting => ReportRating.Warning,
            _ => ReportRating.NotChecked,
        };

        internal static ReportCell WorstCell(Severity? worst, int count)
            => new ReportCell("Worst", worst?.ToString() ?? "None", worst is null ? ReportRating.Good : RatingOf(worst.Value, absent: false),
                count.ToString(CultureInfo.InvariantCulture) + (count == 1 ? " finding" : " findings"));

        private static string ProbeText(ReportSource probe)
        {
            var outcome = EnumText<SmtpTlsOutcome>(probe.GetText("Outcome")) ?? "?";
            var tls = EnumText<TlsVersion>(probe.GetText("TlsProtocol"));
            return outcome == "Success" && tls != null ? tls : outcome;
        }

        private static string ProbeDetail(ReportSource probe)
            => Join(" ", $"{probe.GetText("HostName")} [{probe.GetText("Address")}]:{probe.GetText("Port")}", probe.GetText("Outcome"), probe.GetText("TlsProtocol"), probe.GetText("CipherSuite"),
                probe.GetText("Error")) ?? string.Empty;

        private static ReportCell Plain(string column, string? text) => new ReportCell(column, text ?? string.Empty, ReportRating.NotChecked, string.Empty);

        private static ReportCell Flag(string column, string? value)
            => new ReportCell(column, value ?? string.Empty, value == "True" ? ReportRating.Good : value == "False" ? ReportRating.Error : ReportRating.NotChecked, string.Empty);

        /// <summary>The findings of a list property; items that lost their structure in a shallow file are read from their text.</summary>
        private static List<ReportFinding> Findings(ReportSource owner, string property, string source)
        {
            var list = new List<ReportFinding>();
            foreach (var item in owner.GetObjects(property))
            {
                var f = ParseFinding(item, source);
                if (f != null)
                {
                    list.Add(f);
                }
            }

            return list;
        }

        internal static ReportFinding? ParseFinding(ReportSource item, string source)
        {
            var code = item.GetText("Code");
            string? severityText;
            string? message;
            if (string.IsNullOrEmpty(code))
            {
                var m = FindingText.Match(item.Display ?? string.Empty);
                if (!m.Success)
                {
                    return null;
                }

                code = m.Groups["code"].Value;
                severityText = m.Groups["sev"].Value;
                message = m.Groups["msg"].Value;
            }
            else
            {
                severityText = item.GetText("Severity");
                message = item.GetText("Message");
            }

            var descriptor = FindingCatalog.Find(code!);
            var severity = ParseEnum<Severity>(severityText) ?? descriptor?.Severity ?? Severity.Info;
            var reference = item.GetText("Reference");
            return new ReportFinding(code!, severity, message ?? string.Empty, item.GetText("Target") ?? string.Empty,
                string.IsNullOrEmpty(reference) ? descriptor?.Reference ?? string.Empty : reference!, FindingCatalog.ReportColumnOf(code!), source);
        }

        /// <summary>An enum value's name, also when the file held its number; other text as it is.</summary>
        private static string? EnumText<T>(string? text)
            where T : struct
            => ParseEnum<T>(text)?.ToString() ?? text;

        /// <summary>Reads an enum from its name or (as JSON writes it) its number; null when it is neither.</summary>
        internal static T? ParseEnum<T>(string? text)
            where T : struct
        {
            if (string.IsNullOrWhiteSpace(text) || !Enum.TryParse<T>(text!.Trim(), ignoreCase: true, out var value) || !Enum.IsDefined(typeof(T), value))
            {
                return null;
            }

            return value;
        }

        internal static ReportRating RatingOf(IEnumerable<ReportFinding> findings, bool absent)
        {
            Severity? worst = null;
            foreach (var f in findings)
            {
                if (worst is null || f.Severity > worst)
                {
                    worst = f.Severity;
                }
            }

            return RatingOf(worst ?? Severity.Info, absent);
        }

        private static ReportRating RatingOf(Severity worst, bool absent) => worst switch
        {
            Severity.Critical => ReportRating.Critical,
            Severity.Error => ReportRating.Error,
            Severity.Warning => ReportRating.Warning,
            _ => absent ? ReportRating.Neutral : ReportRating.Good,
        };

        private static IEnumerable<ReportFinding> Of(IEnumerable<ReportFinding> findings, ReportCheck check) => findings.Where(f => f.Check == check);

        private static void Item(List<ReportEvidenceItem> items, string label, string? value, bool preformatted = false)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                items.Add(new ReportEvidenceItem(label, value!, preformatted));
            }
        }

        private static string? Join(string separator, params string?[] parts)
        {
            var present = parts.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
            return present.Count == 0 ? null : string.Join(separator, present);
        }

        private static List<string> Split(string? text, char separator = ',')
            => string.IsNullOrWhiteSpace(text) ? new List<string>() : text!.Split(separator).Select(s => s.Trim()).Where(s => s.Length > 0).ToList();

        private sealed class HopRow
        {
            public HopRow(string host, string preference, HopSecurityLevel? level, string levelText, ReportRating rating, string reason, string? encrypted, string? authenticated,
                string? downgradeResistant, IReadOnlyList<string> risks, string? requireTls, string? requireTlsDetail, string? tlsVersion, string? dane, string? mtaSts)
            {
                Host = host;
                Preference = preference;
                Level = level;
                LevelText = levelText;
                Rating = rating;
                Reason = reason;
                Encrypted = encrypted;
                Authenticated = authenticated;
                DowngradeResistant = downgradeResistant;
                Risks = risks;
                RequireTls = requireTls;
                RequireTlsDetail = requireTlsDetail;
                TlsVersion = tlsVersion;
                Dane = dane;
                MtaSts = mtaSts;
            }

            public string Host { get; }
            public string Preference { get; }
            public HopSecurityLevel? Level { get; }
            public string LevelText { get; }
            public ReportRating Rating { get; }
            public string Reason { get; }
            public string? Encrypted { get; }
            public string? Authenticated { get; }
            public string? DowngradeResistant { get; }
            public IReadOnlyList<string> Risks { get; }
            public string? RequireTls { get; }
            public string? RequireTlsDetail { get; }
            public string? TlsVersion { get; }
            public string? Dane { get; }
            public string? MtaSts { get; }
        }

        private sealed class Contribution
        {
            public Contribution(ReportCheck check, string text, string? detail, IReadOnlyList<ReportFinding> findings, bool absent, bool secondary, string? host)
            {
                Check = check;
                Text = text;
                Detail = detail;
                Findings = findings;
                Absent = absent;
                Secondary = secondary;
                Host = host;
            }

            public ReportCheck Check { get; }
            public string Text { get; }
            public string? Detail { get; }
            public IReadOnlyList<ReportFinding> Findings { get; }
            public bool Absent { get; }
            public bool Secondary { get; }

            /// <summary>The host a STARTTLS or DANE contribution is about, or null.</summary>
            public string? Host { get; }
        }

        private sealed class EntryBuilder
        {
            private readonly Dictionary<ReportCheck, List<Contribution>> _contributions = new Dictionary<ReportCheck, List<Contribution>>();
            private readonly List<(ReportFinding Finding, string? Host)> _findings = new List<(ReportFinding, string?)>();
            private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
            private readonly HashSet<string> _daneAuthenticated = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

            public EntryBuilder(string name, ReportEntryKind kind)
            {
                Name = name;
                Kind = kind;
            }

            public string Name { get; }
            public ReportEntryKind Kind { get; }
            public int ResultCount { get; set; }
            public List<ReportEvidence> Evidence { get; } = new List<ReportEvidence>();
            public List<HopRow> Hops { get; } = new List<HopRow>();

            /// <summary>Notes that DANE authenticates <paramref name="host"/> for this domain (a secure MX RRset and a valid TLSA match).</summary>
            public void NoteDaneAuthenticated(string? host)
            {
                if (!string.IsNullOrWhiteSpace(host))
                {
                    _daneAuthenticated.Add(host!.Trim());
                }
            }

            /// <param name="findings">The findings.</param>
            /// <param name="host">The host whose TLS session they judge (a STARTTLS probe), or null.</param>
            public void AddFindings(IEnumerable<ReportFinding> findings, string? host = null)
            {
                foreach (var f in findings)
                {
                    // The same finding reaches the entry through several results (a hop's delivery risks are also among its findings).
                    if (_seen.Add(f.Code + "\n" + f.Target + "\n" + f.Message))
                    {
                        _findings.Add((f, host));
                    }
                }
            }

            /// <summary>Adds what one result says about a check; the colour is decided when the row is built, when every result is in.</summary>
            public void Add(ReportCheck check, string text, string? detail, IEnumerable<ReportFinding> findings, bool absent = false, bool secondary = false, string? host = null)
            {
                if (!_contributions.TryGetValue(check, out var list))
                {
                    list = new List<Contribution>();
                    _contributions.Add(check, list);
                }

                list.Add(new Contribution(check, text, detail, findings.ToList(), absent, secondary, host));
            }

            /// <summary>
            /// A finding as it counts for this domain: a PKIX verdict on a host that DANE authenticates is kept, as information
            /// only, since DANE-EE and DANE-TA replace PKIX validation (RFC 7672 §3.1.1, §3.1.2).
            /// </summary>
            private ReportFinding Counted(ReportFinding f, string? host)
                => host != null && _daneAuthenticated.Contains(host) && Tls.TlsFindings.PkixOnly.Contains(f.Code) && f.Severity > Severity.Info
                    ? new ReportFinding(f.Code, Severity.Info, $"Not held against {host}, which DANE authenticates (RFC 7672 §3.1.2): {f.Message}", f.Target, f.Reference, f.Check, f.Source)
                    : f;

            private (ReportRating Rating, string Detail) Rate(Contribution c)
            {
                var findings = c.Findings.Select(f => Counted(f, c.Host)).ToList();
                var rating = RatingOf(findings, c.Absent);
                var status = StatusRating(c.Check, c.Text);
                var daneHost = c.Host != null && _daneAuthenticated.Contains(c.Host);
                var note = (string?)null;
                if (status > rating && !(daneHost && c.Check == ReportCheck.StartTls && c.Text == nameof(SmtpTlsOutcome.CertificateInvalid)))
                {
                    // The check's own status counts, not only its findings: a failed MTA-STS fetch is never green.
                    rating = status;
                    note = $"Status: {c.Text}";
                }
                else if (daneHost && c.Check == ReportCheck.StartTls && c.Text == nameof(SmtpTlsOutcome.CertificateInvalid))
                {
                    note = $"PKIX does not count for {c.Host}: DANE authenticates it (RFC 7672 §3.1.2).";
                }

                // The tooltip names the findings that made the colour, so every colour can be traced to a code.
                var drivers = findings.Where(f => f.Severity >= Severity.Warning).OrderByDescending(f => f.Severity).Select(f => $"{f.Code} ({f.Severity})").Distinct().ToList();
                var detail = Join("\n", c.Detail, note, drivers.Count == 0 ? null : "Findings: " + string.Join(", ", drivers)) ?? string.Empty;
                return (rating, detail);
            }

            public ReportEntry Build()
            {
                var cells = new List<ReportCell>();
                foreach (var check in MatrixChecks)
                {
                    cells.Add(check == ReportCheck.HopLevel ? HopCell() : Cell(check));
                }

                var findings = _findings.Select(x => Counted(x.Finding, x.Host)).OrderByDescending(f => f.Severity).ThenBy(f => f.Check.HasValue ? (int)f.Check.Value : int.MaxValue).ToList();
                cells.Add(WorstCell(findings.Count == 0 ? (Severity?)null : findings.Max(f => f.Severity), findings.Count));
                var evidence = new List<ReportEvidence>();
                if (Hops.Count > 0)
                {
                    evidence.Add(HopEvidence());
                }

                evidence.AddRange(Evidence);
                var weakest = Hops.Where(h => h.Level.HasValue).Select(h => h.Level).OrderBy(l => l).FirstOrDefault();
                return new ReportEntry(new ReportEntryBuilder
                {
                    Id = string.Empty,
                    Name = Name,
                    Kind = Kind,
                    Cells = cells,
                    Findings = findings,
                    Evidence = evidence,
                    WeakestLevel = weakest,
                    ResultCount = ResultCount,
                });
            }

            private ReportCell Cell(ReportCheck check)
            {
                var column = ColumnName(check);
                if (!_contributions.TryGetValue(check, out var all) || all.Count == 0)
                {
                    return new ReportCell(column, "\u2013", ReportRating.NotChecked, "No result given covers this check.");
                }

                // Results that only add to a check (an SPF test of one address, probes inside a hop verdict) count when they found a problem.
                var rated = all.Select(c => (Contribution: c, Rated: Rate(c))).ToList();
                var primary = rated.Where(x => !x.Contribution.Secondary).ToList();
                var considered = primary.Count > 0 ? primary.Concat(rated.Where(x => x.Contribution.Secondary && x.Rated.Rating >= ReportRating.Warning)).ToList() : rated;
                var chosen = considered.OrderByDescending(x => x.Rated.Rating).First();
                var detail = string.Join("\n", considered.Select(x => x.Rated.Detail).Where(d => d.Length > 0).Distinct());
                return new ReportCell(column, chosen.Contribution.Text, chosen.Rated.Rating, detail);
            }

            private ReportCell HopCell()
            {
                var column = ColumnName(ReportCheck.HopLevel);
                if (Hops.Count == 0)
                {
                    return new ReportCell(column, "\u2013", ReportRating.NotChecked, "No Resolve-HopSecurity result was given.");
                }

                var weakest = Hops.OrderBy(h => h.Level.HasValue ? (int)h.Level.Value : -1).First();
                var risks = Hops.SelectMany(h => h.Risks).Count();
                var text = weakest.LevelText + (risks == 0 ? string.Empty : risks == 1 ? " +1 risk" : $" +{risks} risks");
                var detail = string.Join("\n", Hops.Select(h => (h.Host.Length == 0 ? Name : h.Host) + ": " + h.LevelText + (h.Reason.Length == 0 ? string.Empty : " \u2014 " + h.Reason)
                    + (h.Risks.Count == 0 ? string.Empty : " Delivery risks: " + string.Join(", ", h.Risks) + ".")));
                return new ReportCell(column, text, Hops.Max(h => h.Rating), detail);
            }

            private ReportEvidence HopEvidence()
            {
                var rows = Hops.Select(h => (IReadOnlyList<ReportCell>)new[]
                {
                    Plain("MX host", h.Host.Length == 0 ? "(none)" : h.Host), Plain("Pref", h.Preference),
                    new ReportCell("Level", h.LevelText, h.Rating, h.Reason),
                    Flag("Encrypted", h.Encrypted), Flag("Authenticated", h.Authenticated), Plain("Downgrade-resistant", h.DowngradeResistant),
                    new ReportCell("Delivery risks", string.Join(", ", h.Risks), h.Risks.Count > 0 ? ReportRating.Error : ReportRating.NotChecked, string.Empty),
                    Plain("REQUIRETLS", h.RequireTls), Plain("TLS", h.TlsVersion), Plain("DANE", h.Dane), Plain("MTA-STS", h.MtaSts),
                }).ToList();
                var items = Hops.Where(h => h.Reason.Length > 0).Select(h => new ReportEvidenceItem((h.Host.Length == 0 ? Name : h.Host) + " level", h.Reason)).ToList();
                items.AddRange(Hops.Where(h => !string.IsNullOrEmpty(h.RequireTlsDetail)).Select(h => new ReportEvidenceItem((h.Host.Length == 0 ? Name : h.Host) + " REQUIRETLS", h.RequireTlsDetail!)));
                return new ReportEvidence("Resolve-HopSecurity (one row per MX host)", items,
                    new ReportTable(new[] { "MX host", "Pref", "Level", "Encrypted", "Authenticated", "Downgrade-resistant", "Delivery risks", "REQUIRETLS", "TLS", "DANE", "MTA-STS" }, rows));
            }
        }
    }
}
