using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MailSecurity.Tests.Spf;

namespace MailSecurity.Tests.Fuzz
{
    /// <summary>
    /// Valid (and deliberately broken) inputs the fuzzer starts from, read from what the repository already holds: the TXT
    /// records of the lab zones (tests/lab/zones), the RFC 7208 suite's zone data (tests/conformance/spf), the lab's
    /// MTA-STS policy bodies (tests/lab/https/bodies), the message-header corpus (tests/corpus/headers), plus a few
    /// records written here from the RFC examples so that each kind has seeds even if a folder moves.
    /// </summary>
    internal static class SeedCorpus
    {
        private static readonly Lazy<IReadOnlyList<string>> TxtRecords = new(LoadTxtRecords);
        private static readonly Lazy<IReadOnlyList<string>> Messages = new(LoadMessages);

        public static IReadOnlyList<string> Spf { get; } = Kind("v=spf1", ignoreCase: true,
            "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 a mx include:_spf.example.com -all",
            "v=spf1 a:%{d}.example.com/24//64 exists:%{ir}.%{l1r-}.lp._spf.%{d2} ~all",
            "v=spf1 redirect=_spf.example.com exp=explain._spf.%{d}",
            "v=spf1 ptr:example.com ?all moo=%{s}");

        public static IReadOnlyList<string> Dmarc { get; } = Kind("v=DMARC1", ignoreCase: false,
            "v=DMARC1; p=reject; sp=quarantine; np=reject; adkim=s; aspf=r; fo=1:d; rua=mailto:a@example.com!10m,https://r.example.com/x; ruf=mailto:f@example.com; psd=n; t=y",
            "v=DMARC1; p=none; pct=50; rf=afrf; ri=3600");

        public static IReadOnlyList<string> Dkim { get; } = Kind("v=DKIM1", ignoreCase: false,
            "v=DKIM1; k=rsa; h=sha256:sha1; s=email:*; t=y:s; n=notes; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwPz",
            "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
            "k=rsa; p=");

        public static IReadOnlyList<string> Bimi { get; } = Kind("v=BIMI1", ignoreCase: false,
            "v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem; lps=sales,news; avp=personal",
            "v=BIMI1; l=; a=;");

        public static IReadOnlyList<string> MtaStsTxt { get; } = Kind("v=STSv1", ignoreCase: false,
            "v=STSv1; id=20240101T000000; ext.name-1=value",
            "v=STSv1 ;id=1;");

        public static IReadOnlyList<string> TlsRpt { get; } = Kind("v=TLSRPTv1", ignoreCase: false,
            "v=TLSRPTv1; rua=mailto:tlsrpt@example.com, https://report.example.com/v1; ext=1",
            "v=TLSRPTv1;rua=mailto:a%2Cb@example.com");

        /// <summary>MTA-STS policy bodies: the lab's, and the RFC 8461 §3.2 example.</summary>
        public static IReadOnlyList<string> Policies { get; } = LoadPolicies();

        /// <summary>Whole messages (headers and a little body) from the corpus.</summary>
        public static IReadOnlyList<string> Eml => Messages.Value;

        /// <summary>Received field values from the header corpus (unfolded) and the real lines of the Received corpus (tests/corpus/received).</summary>
        public static IReadOnlyList<string> Received { get; } = FieldValues("Received",
            "from client.example.org (client.example.org [192.0.2.7]) by mx.example.net via TCP with ESMTPS id ABC123 for <bob@example.net>; Tue, 14 May 2024 10:00:00 +0000")
            .Concat(ReceivedCorpusLines()).Distinct(StringComparer.Ordinal).ToList();

        /// <summary>Authentication-Results field values from the corpus.</summary>
        public static IReadOnlyList<string> AuthenticationResults { get; } = FieldValues("Authentication-Results",
            "mx.example.net; spf=pass smtp.mailfrom=example.com; dkim=pass header.d=example.com header.s=s1; dmarc=pass header.from=example.com");

        /// <summary>HTTP responses carrying a policy, in the framings the reader supports.</summary>
        public static IReadOnlyList<string> HttpResponses { get; } = new[]
        {
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 48\r\n\r\nversion: STSv1\r\nmode: enforce\r\nmx: mx.example\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: 1\r\n\r\n",
            "HTTP/1.0 200 OK\n\nversion: STSv1\n",
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 301 Moved\r\nLocation: https://elsewhere.example/\r\nX-Folded: a\r\n b\r\nContent-Length: 0\r\n\r\n",
        };

        /// <summary>Domain names, host names and patterns as they appear in records and arguments.</summary>
        public static IReadOnlyList<string> Names { get; } = new[]
        {
            "example.com", "mx1.mail.example.co.uk", "*.mx.example.net", "_25._tcp.mx.example", "xn--bcher-kva.example", "bücher.example",
            "[192.0.2.1]", "[IPv6:2001:db8::1]", "192.0.2.1", "a.b.c.d.e.f.g.h.i.j.k.example", "example.com.",
        };

        /// <summary>TLSA presentation text.</summary>
        public static IReadOnlyList<string> Tlsa { get; } = new[]
        {
            "3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6",
            "2 0 1 E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
            "3 0 0 308201",
            "2 1 2 CF83E1357EEFB8BDF1542850D66D8007D620E4050B5715DC83F4A921D36CE9CE47D0D13C5D85F2B0FF8318D2877EEC2F63B931BD47417A81A538327AF927DA3E",
        };

        /// <summary>EHLO reply lines.</summary>
        public static IReadOnlyList<string> EhloLines { get; } = new[]
        {
            "250-mx.example.net Hello", "250-PIPELINING", "250-SIZE 52428800", "250-STARTTLS", "250-AUTH PLAIN LOGIN", "250-REQUIRETLS", "250 SMTPUTF8",
        };

        /// <summary>The email addresses used as SPF senders.</summary>
        public static IReadOnlyList<string> Senders { get; } = new[]
        {
            "strong-bad@email.example.com", "~jack&jill=up-a_b3.c@e8.example.com", "foo-bar+zip+quux@e12.example.com", "@example.net", "postmaster@example.com",
        };

        private static IReadOnlyList<string> Kind(string prefix, bool ignoreCase, params string[] extra)
        {
            var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            return extra.Concat(TxtRecords.Value.Where(t => t.StartsWith(prefix, comparison)))
                .Concat(prefix == "v=DKIM1" ? TxtRecords.Value.Where(t => t.StartsWith("k=", StringComparison.Ordinal) || t.StartsWith("p=", StringComparison.Ordinal)) : Enumerable.Empty<string>())
                .Distinct(StringComparer.Ordinal).ToList();
        }

        private static IReadOnlyList<string> LoadTxtRecords()
        {
            var root = SpfSuite.RepositoryRoot();
            var records = new List<string>();
            var quoted = new Regex("\"((?:[^\"\\\\]|\\\\.)*)\"", RegexOptions.CultureInvariant);
            foreach (var zone in Directory.GetFiles(Path.Combine(root, "tests", "lab", "zones"), "*.zone"))
            {
                foreach (var line in File.ReadLines(zone))
                {
                    if (line.TrimStart().StartsWith(";", StringComparison.Ordinal) || line.IndexOf(" TXT ", StringComparison.Ordinal) < 0)
                    {
                        continue;
                    }

                    // Several character-strings are joined with nothing between them (RFC 7208 §3.3); the lab's
                    // {{KEY ...}} templates stand in for keys the lab generates at start-up.
                    var text = string.Concat(quoted.Matches(line.Substring(line.IndexOf(" TXT ", StringComparison.Ordinal))).Select(m => Regex.Unescape(m.Groups[1].Value)));
                    records.Add(Regex.Replace(text, "\\{\\{[^}]*\\}\\}", "MCowBQYDK2VwAyEA11qYAYKxCrfVS7TyWQHOg7hcvPapiMlrwIaaPcHURo="));
                }
            }

            // The RFC 7208 suite's records (its TXT and SPF entries; TIMEOUT markers are not records).
            using var doc = JsonDocument.Parse(File.ReadAllText(SpfSuite.SuitePath));
            foreach (var scenario in doc.RootElement.EnumerateArray())
            {
                foreach (var name in scenario.GetProperty("zonedata").EnumerateObject())
                {
                    foreach (var rr in name.Value.EnumerateArray())
                    {
                        if (rr.ValueKind != JsonValueKind.Object)
                        {
                            continue;
                        }

                        foreach (var p in rr.EnumerateObject())
                        {
                            if ((p.Name == "TXT" || p.Name == "SPF") && p.Value.ValueKind == JsonValueKind.String)
                            {
                                records.Add(p.Value.GetString()!);
                            }
                            else if ((p.Name == "TXT" || p.Name == "SPF") && p.Value.ValueKind == JsonValueKind.Array)
                            {
                                records.Add(string.Concat(p.Value.EnumerateArray().Select(v => v.GetString())));
                            }
                        }
                    }
                }
            }

            return records.Distinct(StringComparer.Ordinal).ToList();
        }

        private static IReadOnlyList<string> LoadPolicies()
        {
            var bodies = new List<string> { "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n" };
            var folder = Path.Combine(SpfSuite.RepositoryRoot(), "tests", "lab", "https", "bodies");
            bodies.AddRange(Directory.GetFiles(folder).OrderBy(f => f, StringComparer.Ordinal).Select(f => File.ReadAllText(f, Encoding.UTF8)).Where(t => t.Length < 4096));
            return bodies;
        }

        private static IReadOnlyList<string> LoadMessages()
        {
            var folder = Path.Combine(SpfSuite.RepositoryRoot(), "tests", "corpus", "headers");
            return Directory.GetFiles(folder, "*.eml").OrderBy(f => f, StringComparer.Ordinal).Select(f => File.ReadAllText(f, Encoding.UTF8)).ToList();
        }

        private static IEnumerable<string> ReceivedCorpusLines()
        {
            var folder = Path.Combine(SpfSuite.RepositoryRoot(), "tests", "corpus", "received");
            return Directory.GetFiles(folder, "*.txt").OrderBy(f => f, StringComparer.Ordinal)
                .SelectMany(f => File.ReadLines(f, Encoding.UTF8))
                .Where(l => l.StartsWith("line: ", StringComparison.Ordinal))
                .Select(l => l.Substring("line: ".Length));
        }

        private static IReadOnlyList<string> FieldValues(string field, string extra)
        {
            var values = new List<string> { extra };
            foreach (var message in Messages.Value)
            {
                // Header block only, unfolded field by field.
                var end = message.IndexOf("\n\n", StringComparison.Ordinal);
                var crlfEnd = message.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                var head = end < 0 && crlfEnd < 0 ? message : message.Substring(0, crlfEnd >= 0 && (end < 0 || crlfEnd < end) ? crlfEnd : end);
                var current = new StringBuilder();
                string? name = null;
                foreach (var line in head.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
                {
                    if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t'))
                    {
                        current.Append(' ').Append(line.Trim());
                        continue;
                    }

                    if (name != null && string.Equals(name, field, StringComparison.OrdinalIgnoreCase))
                    {
                        values.Add(current.ToString());
                    }

                    var colon = line.IndexOf(':');
                    name = colon > 0 ? line.Substring(0, colon) : null;
                    current.Clear().Append(colon > 0 ? line.Substring(colon + 1).Trim() : string.Empty);
                }

                if (name != null && string.Equals(name, field, StringComparison.OrdinalIgnoreCase))
                {
                    values.Add(current.ToString());
                }
            }

            return values.Distinct(StringComparer.Ordinal).ToList();
        }
    }
}
