using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using MailSecurity.Message;
using Xunit;

namespace MailSecurity.Tests.Message
{
    /// <summary>
    /// The header corpus (tests/corpus/headers): header sets written for this project in the formats of Postfix,
    /// Exim, Sendmail, Exchange / Exchange Online, Gmail and qmail, plus malformed, reordered, missing-date, IPv6 and
    /// forged-looking chains. Each has a hand-written <c>*.expected.json</c> next to it; every property it lists is checked.
    /// </summary>
    public class HeaderCorpusTests
    {
        private static readonly string[] Extensions = { ".eml", ".txt" };

        public static IEnumerable<object[]> Files()
            => Directory.GetFiles(CorpusDirectory())
                .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => new object[] { Path.GetFileName(f) });

        [Fact]
        public void Corpus_has_at_least_30_header_sets_each_with_expected_results()
        {
            var files = Files().Select(f => (string)f[0]).ToList();
            Assert.True(files.Count >= 30, $"only {files.Count} header sets");
            foreach (var f in files)
            {
                Assert.True(File.Exists(ExpectedPath(f)), $"{f} has no expected-results file");
            }

            var orphans = Directory.GetFiles(CorpusDirectory(), "*.expected.json")
                .Where(e => !files.Any(f => ExpectedPath(f) == e))
                .ToList();
            Assert.Empty(orphans);
        }

        [Theory]
        [MemberData(nameof(Files))]
        public async Task Header_set_matches_its_expected_results(string file)
        {
            var bytes = File.ReadAllBytes(Path.Combine(CorpusDirectory(), file));
            var path = await new MessagePathAnalyzer(null).AnalyzeAsync(bytes, file);
            using var expected = JsonDocument.Parse(File.ReadAllText(ExpectedPath(file)));
            var root = expected.RootElement;
            var errors = new List<string>();

            var hops = root.GetProperty("hops");
            if (hops.GetArrayLength() != path.Hops.Count)
            {
                errors.Add($"hop count: expected {hops.GetArrayLength()}, got {path.Hops.Count}");
            }

            var i = 0;
            foreach (var hop in hops.EnumerateArray())
            {
                if (i >= path.Hops.Count)
                {
                    break;
                }

                CompareHop(hop, path.Hops[i], $"hop {i + 1}", errors);
                i++;
            }

            if (root.TryGetProperty("summary", out var summary))
            {
                CompareSummary(summary, path, errors);
            }

            var codes = path.Findings.Select(f => f.Code).ToHashSet(StringComparer.Ordinal);
            if (root.TryGetProperty("findings", out var findings))
            {
                foreach (var code in findings.EnumerateArray().Select(c => c.GetString()!))
                {
                    if (!codes.Contains(code))
                    {
                        errors.Add($"finding {code} expected but absent (got: {string.Join(", ", codes)})");
                    }
                }
            }

            if (root.TryGetProperty("absentFindings", out var absent))
            {
                foreach (var code in absent.EnumerateArray().Select(c => c.GetString()!))
                {
                    if (codes.Contains(code))
                    {
                        errors.Add($"finding {code} present but expected absent: {path.Findings.First(f => f.Code == code).Message}");
                    }
                }
            }

            if (root.TryGetProperty("hopFindings", out var hopFindings))
            {
                foreach (var entry in hopFindings.EnumerateObject())
                {
                    var index = int.Parse(entry.Name, CultureInfo.InvariantCulture);
                    var hopCodes = path.Hops.Count >= index ? path.Hops[index - 1].Findings.Select(f => f.Code).ToList() : new List<string>();
                    foreach (var code in entry.Value.EnumerateArray().Select(c => c.GetString()!))
                    {
                        if (!hopCodes.Contains(code))
                        {
                            errors.Add($"hop {index}: finding {code} expected (got: {string.Join(", ", hopCodes)})");
                        }
                    }
                }
            }

            Assert.True(errors.Count == 0, file + ":\n  " + string.Join("\n  ", errors));
        }

        private static void CompareHop(JsonElement expected, MessageHop actual, string label, List<string> errors)
        {
            foreach (var p in expected.EnumerateObject())
            {
                object? value = p.Name switch
                {
                    "index" => actual.Index,
                    "from" => actual.From,
                    "fromReverseName" => actual.FromReverseName,
                    "fromAddress" => actual.FromAddress,
                    "by" => actual.By,
                    "byAddress" => actual.ByAddress,
                    "with" => actual.With,
                    "via" => actual.Via,
                    "id" => actual.Id,
                    "for" => actual.For,
                    "software" => actual.Software,
                    "tls" => actual.Tls.ToString(),
                    "tlsEvidence" => actual.TlsEvidence.ToString(),
                    "tlsVersion" => actual.TlsVersion,
                    "cipher" => actual.Cipher,
                    "authenticated" => actual.Authenticated,
                    "authenticatedUser" => actual.AuthenticatedUser,
                    "parsed" => actual.Parsed,
                    "timestamp" => actual.Timestamp,
                    "delay" => actual.Delay,
                    _ => Unknown(p.Name),
                };
                Check(p.Value, value, $"{label}.{p.Name}", errors);
            }
        }

        private static void CompareSummary(JsonElement expected, MessagePath actual, List<string> errors)
        {
            foreach (var p in expected.EnumerateObject())
            {
                object? value = p.Name switch
                {
                    "hopCount" => actual.HopCount,
                    "encryptedAllHops" => actual.EncryptedAllHops,
                    "weakestHop" => actual.WeakestHopIndex,
                    "firstAuthResultsHop" => actual.FirstAuthResultsHop,
                    "transitTime" => actual.TransitTime,
                    "spfResult" => actual.SpfResult,
                    "dmarcResult" => actual.DmarcResult,
                    "dkimResult" => actual.Authentication.DkimResult,
                    "arcResult" => actual.Authentication.ArcResult,
                    "bodyAvailable" => actual.BodyAvailable,
                    "trustedAuthServIds" => string.Join(",", actual.Authentication.TrustedAuthServIds),
                    "authResultsHops" => string.Join(",", actual.Authentication.Headers.Select(h => h.AddedAtHop?.ToString(CultureInfo.InvariantCulture) ?? "null")),
                    _ => Unknown(p.Name),
                };
                Check(p.Value, value, $"summary.{p.Name}", errors);
            }
        }

        private static object Unknown(string name) => throw new InvalidOperationException($"The expected-results file uses the unknown property '{name}'.");

        private static void Check(JsonElement expected, object? actual, string what, List<string> errors)
        {
            bool ok;
            string shown;
            switch (expected.ValueKind)
            {
                case JsonValueKind.Null:
                    ok = actual is null;
                    shown = "null";
                    break;
                case JsonValueKind.True:
                case JsonValueKind.False:
                    ok = actual is bool b && b == expected.GetBoolean();
                    shown = expected.GetBoolean().ToString();
                    break;
                case JsonValueKind.Number:
                    ok = actual is int n && n == expected.GetInt32();
                    shown = expected.GetInt32().ToString(CultureInfo.InvariantCulture);
                    break;
                default:
                    var s = expected.GetString()!;
                    shown = s;
                    ok = actual switch
                    {
                        DateTimeOffset dto => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture) is var e && e == dto && e.Offset == dto.Offset,
                        TimeSpan ts => TimeSpan.Parse(s, CultureInfo.InvariantCulture) == ts,
                        string str => str == s,
                        _ => false,
                    };
                    break;
            }

            if (!ok)
            {
                errors.Add($"{what}: expected {shown}, got {Format(actual)}");
            }
        }

        private static string Format(object? value) => value switch
        {
            null => "null",
            DateTimeOffset d => d.ToString("o", CultureInfo.InvariantCulture),
            TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null",
        };

        private static string ExpectedPath(string file)
            => Path.Combine(CorpusDirectory(), Path.GetFileNameWithoutExtension(file) + ".expected.json");

        private static string CorpusDirectory()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "MailSecurity.sln")))
            {
                dir = dir.Parent;
            }

            if (dir is null)
            {
                throw new InvalidOperationException("MailSecurity.sln not found above " + AppContext.BaseDirectory);
            }

            return Path.Combine(dir.FullName, "tests", "corpus", "headers");
        }
    }
}
