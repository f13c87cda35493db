using System;
using System.Collections.Generic;
using System.Linq;

namespace MailSecurity.Changes
{
    /// <summary>One value Compare-MailSecurityResult compares for a result type, read by property path.</summary>
    internal sealed class ComparedValue
    {
        public ComparedValue(string path, string label, Type? enumType = null, bool isSet = false, bool isList = false)
        {
            Path = path;
            Label = label;
            EnumType = enumType;
            IsSet = isSet;
            IsList = isList;
        }

        /// <summary>The property path, dots between names (Dmarc.RawRecord).</summary>
        public string Path { get; }

        /// <summary>How the value is named in messages (DMARC record).</summary>
        public string Label { get; }

        /// <summary>The enum the value belongs to: live results give names, Import-Clixml may give numbers; both read as the name.</summary>
        public Type? EnumType { get; }

        /// <summary>An unordered set written as one text (items separated by ';' or ','): compared as a set.</summary>
        public bool IsSet { get; }

        /// <summary>A list property: its items are read and joined with ", ".</summary>
        public bool IsList { get; }

        /// <summary>
        /// The value as compared: an enum value by its name whether it was read as a name or (from Import-Clixml, or a
        /// number typed by hand) as a number; other text trimmed; empty as null.
        /// </summary>
        public string? Normalize(string? text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            var t = text!.Trim();
            if (EnumType != null)
            {
                try
                {
                    var value = Enum.Parse(EnumType, t, ignoreCase: true);
                    return Enum.IsDefined(EnumType, value) ? value.ToString() : t;
                }
                catch (ArgumentException)
                {
                    return t;
                }
                catch (OverflowException)
                {
                    return t;
                }
            }

            return t;
        }
    }

    /// <summary>
    /// What Compare-MailSecurityResult knows of one result type: how a result is identified across runs, what it is
    /// about, which values and certificates it compares. One table for every type, so that live results and their
    /// Import-Clixml form are read the same way.
    /// </summary>
    internal sealed class ResultShape
    {
        private ResultShape(string name, string[] key, string target, ComparedValue[] values, string[] certificates, string? checkedAt = null)
        {
            Name = name;
            KeyProperties = key;
            TargetFormat = target;
            Values = values;
            CertificatePaths = certificates;
            CheckedAtPath = checkedAt;
        }

        /// <summary>Mail authentication records (Get-MailAuthRecords).</summary>
        public static readonly ResultShape MailAuthReport = new ResultShape("MailAuthReport", new[] { "Domain" }, "{Domain}", new[]
        {
            new ComparedValue("MxHosts", "MX hosts"),
            new ComparedValue("MxDnssec", "DNSSEC state of the MX records", typeof(Dns.DnssecStatus)),
            new ComparedValue("SpfRecord", "SPF record"),
            new ComparedValue("Dmarc.RawRecord", "DMARC record"),
            new ComparedValue("DmarcPolicy", "DMARC policy"),
            new ComparedValue("DkimSelectorsFound", "DKIM selectors", isSet: true),
            new ComparedValue("MtaStsId", "MTA-STS id"),
            new ComparedValue("TlsRptRua", "TLS-RPT report address"),
            new ComparedValue("BimiStatus", "BIMI status"),
        }, Array.Empty<string>());

        /// <summary>Hop security per MX host (Resolve-HopSecurity -Domain).</summary>
        public static readonly ResultShape HopSecurity = new ResultShape("HopSecurity", new[] { "Domain", "MxHost" }, "{MxHost}", new[]
        {
            new ComparedValue("Level", "hop security level", typeof(HopSecurityLevel)),
            new ComparedValue("DeliveryRiskCodes", "delivery risks", isSet: true),
            new ComparedValue("Encrypted", "encryption"),
            new ComparedValue("Authenticated", "authentication"),
            new ComparedValue("TlsVersion", "TLS version"),
            new ComparedValue("RequireTlsReady", "REQUIRETLS readiness"),
        }, new[] { "Probes.Certificate" });

        /// <summary>A STARTTLS probe (Test-SmtpStartTls).</summary>
        public static readonly ResultShape SmtpTlsProbe = new ResultShape("SmtpTlsProbe", new[] { "HostName", "Address", "Port" }, "{HostName} [{Address}]:{Port}", new[]
        {
            new ComparedValue("Outcome", "outcome", typeof(SmtpTlsOutcome)),
            new ComparedValue("StartTlsOffered", "STARTTLS offer"),
            new ComparedValue("TlsProtocol", "TLS version"),
            new ComparedValue("CipherSuite", "cipher suite"),
            new ComparedValue("PkixValid", "PKIX validity"),
            new ComparedValue("HostNameMatches", "host-name match"),
        }, new[] { "Certificate" }, "StartedAt");

        /// <summary>A DANE result (Test-DaneTlsa).</summary>
        public static readonly ResultShape DaneResult = new ResultShape("DaneResult", new[] { "Domain", "HostName", "Port", "ProbedAddressList" }, "{HostName}", new[]
        {
            new ComparedValue("Verdict", "DANE verdict", typeof(DaneVerdict)),
            new ComparedValue("RecordList", "TLSA records", isSet: true),
            new ComparedValue("TlsaDnssecStatus", "DNSSEC state of the TLSA records", typeof(Dns.DnssecStatus)),
            new ComparedValue("MatchedRecordText", "matching TLSA record"),
        }, new[] { "CertificateChain[0]" });

        /// <summary>An MTA-STS policy (Get-MtaStsPolicy).</summary>
        public static readonly ResultShape MtaStsPolicyResult = new ResultShape("MtaStsPolicyResult", new[] { "Domain" }, "{Domain}", new[]
        {
            new ComparedValue("Status", "MTA-STS status", typeof(MtaStsStatus)),
            new ComparedValue("Id", "MTA-STS id"),
            new ComparedValue("Mode", "MTA-STS mode", typeof(MtaStsMode)),
            new ComparedValue("MaxAgeSeconds", "MTA-STS max_age"),
            new ComparedValue("MxPatterns", "MTA-STS mx patterns", isSet: true, isList: true),
        }, new[] { "Fetch.Certificate" }, "CheckedAt");

        /// <summary>An SPF evaluation (Test-SpfRecord).</summary>
        public static readonly ResultShape SpfCheckResult = new ResultShape("SpfCheckResult", new[] { "Domain", "IPAddress" }, "{Domain} {IPAddress}", new[]
        {
            new ComparedValue("Result", "SPF result", typeof(SpfResult)),
            new ComparedValue("MatchedMechanism", "matching mechanism"),
            new ComparedValue("Record", "SPF record"),
        }, Array.Empty<string>());

        /// <summary>A message's path (Resolve-HopSecurity message mode).</summary>
        public static readonly ResultShape MessagePath = new ResultShape("MessagePath", new[] { "Source" }, "{Source}", new[]
        {
            new ComparedValue("EncryptedAllHops", "encryption of every hop"),
            new ComparedValue("HopCount", "number of hops"),
        }, Array.Empty<string>());

        /// <summary>Every shape, by result type name without namespace.</summary>
        public static readonly IReadOnlyList<ResultShape> All = new[] { MailAuthReport, HopSecurity, SmtpTlsProbe, DaneResult, MtaStsPolicyResult, SpfCheckResult, MessagePath };

        /// <summary>The type name without namespace (HopSecurity).</summary>
        public string Name { get; }

        /// <summary>The properties that identify a result across runs.</summary>
        public IReadOnlyList<string> KeyProperties { get; }

        /// <summary>How the target is shown: key properties in braces.</summary>
        public string TargetFormat { get; }

        /// <summary>The values compared.</summary>
        public IReadOnlyList<ComparedValue> Values { get; }

        /// <summary>Paths to the certificates compared (objects with Thumbprint, Subject and NotAfter).</summary>
        public IReadOnlyList<string> CertificatePaths { get; }

        /// <summary>The path of the time the result was taken, or null.</summary>
        public string? CheckedAtPath { get; }

        /// <summary>The shape of a type name such as MailSecurity.HopSecurity, Deserialized.MailSecurity.HopSecurity or MailSecurity.SmtpTlsProbe#Domain.</summary>
        public static ResultShape? Of(string? typeName)
        {
            if (string.IsNullOrEmpty(typeName))
            {
                return null;
            }

            var name = typeName!;
            const string Deserialized = "Deserialized.";
            if (name.StartsWith(Deserialized, StringComparison.Ordinal))
            {
                name = name.Substring(Deserialized.Length);
            }

            var view = name.IndexOf('#');
            if (view > 0)
            {
                name = name.Substring(0, view);
            }

            const string Namespace = "MailSecurity.";
            if (!name.StartsWith(Namespace, StringComparison.Ordinal))
            {
                return null;
            }

            name = name.Substring(Namespace.Length);
            return All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));
        }
    }

    /// <summary>A finding as compared: its code, severity, target and message.</summary>
    internal sealed class FindingSnapshot
    {
        public FindingSnapshot(string code, Severity severity, string target, string message)
        {
            Code = code;
            Severity = severity;
            Target = target;
            Message = message;
        }

        public string Code { get; }

        public Severity Severity { get; }

        public string Target { get; }

        public string Message { get; }

        /// <summary>A finding is the same across runs when code and target are (messages carry changing details such as day counts).</summary>
        public string Identity => Code + "|" + Target;
    }

    /// <summary>A certificate as compared: thumbprint, subject and expiry.</summary>
    internal sealed class CertificateSnapshot
    {
        public CertificateSnapshot(string thumbprint, string? subject, DateTimeOffset? notAfter)
        {
            Thumbprint = thumbprint.ToUpperInvariant();
            Subject = subject;
            NotAfter = notAfter;
        }

        public string Thumbprint { get; }

        public string? Subject { get; }

        public DateTimeOffset? NotAfter { get; }
    }

    /// <summary>One result (live or read back with Import-Clixml) as Compare-MailSecurityResult compares it. Immutable.</summary>
    internal sealed class ResultSnapshot
    {
        public ResultSnapshot(ResultShape shape, IReadOnlyDictionary<string, string?> values, IReadOnlyList<FindingSnapshot> findings, IReadOnlyList<CertificateSnapshot> certificates, DateTimeOffset? checkedAt)
        {
            Shape = shape;
            Values = values;
            Findings = findings;
            Certificates = certificates;
            CheckedAt = checkedAt;
        }

        public ResultShape Shape { get; }

        /// <summary>Key properties and compared values by path, as text (enums as their names, lists joined with ", ").</summary>
        public IReadOnlyDictionary<string, string?> Values { get; }

        public IReadOnlyList<FindingSnapshot> Findings { get; }

        public IReadOnlyList<CertificateSnapshot> Certificates { get; }

        public DateTimeOffset? CheckedAt { get; }

        /// <summary>The identity across runs: the key properties, case-insensitive.</summary>
        public string Key => string.Join("|", Shape.KeyProperties.Select(k => (Value(k) ?? string.Empty).ToLowerInvariant()));

        /// <summary>The domain concerned, or empty.</summary>
        public string Domain => Value("Domain") ?? string.Empty;

        /// <summary>What the result is about, as <see cref="ResultShape.TargetFormat"/> shows it.</summary>
        public string Target
        {
            get
            {
                var text = Shape.TargetFormat;
                foreach (var k in Shape.KeyProperties)
                {
                    text = text.Replace("{" + k + "}", Value(k) ?? string.Empty);
                }

                text = text.Trim();
                return text.Length == 0 || text == "[]:" ? Domain : text;
            }
        }

        public string? Value(string path) => Values.TryGetValue(path, out var v) ? v : null;
    }
}
