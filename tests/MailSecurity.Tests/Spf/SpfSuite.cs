using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using MailSecurity.Dns;
using MailSecurity.TestPeers.Dns;
using Xunit;

namespace MailSecurity.Tests.Spf
{
    /// <summary>One case of the RFC 7208 (openspf 2014.04) test suite.</summary>
    public sealed class SpfSuiteCase
    {
        public string Id { get; init; } = string.Empty;

        public int Scenario { get; init; }

        public string Name { get; init; } = string.Empty;

        public string Host { get; init; } = string.Empty;

        public string MailFrom { get; init; } = string.Empty;

        public string Helo { get; init; } = string.Empty;

        public IReadOnlyList<SpfResult> Acceptable { get; init; } = Array.Empty<SpfResult>();

        public string? Explanation { get; init; }

        public string Spec { get; init; } = string.Empty;
    }

    /// <summary>Loads the suite from tests/conformance/spf (a copy of the public suite; origin and licence beside it).</summary>
    public static class SpfSuite
    {
        private static readonly Lazy<(IReadOnlyList<JsonElement> Zones, IReadOnlyList<SpfSuiteCase> Cases)> Data = new(Load);

        public static IReadOnlyList<SpfSuiteCase> Cases => Data.Value.Cases;

        public static IReadOnlyList<JsonElement> Zones => Data.Value.Zones;

        public static string RepositoryRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "MailSecurity.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException("MailSecurity.sln not found above " + AppContext.BaseDirectory);
        }

        public static string SuitePath => Path.GetFullPath(Path.Combine(RepositoryRoot(), "tests", "conformance", "spf", "rfc7208-tests.json"));

        private static (IReadOnlyList<JsonElement>, IReadOnlyList<SpfSuiteCase>) Load()
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(SuitePath));
            var zones = new List<JsonElement>();
            var cases = new List<SpfSuiteCase>();
            var scenario = 0;
            foreach (var s in doc.RootElement.EnumerateArray())
            {
                zones.Add(s.GetProperty("zonedata").Clone());
                foreach (var t in s.GetProperty("tests").EnumerateObject())
                {
                    var v = t.Value;
                    var result = v.GetProperty("result");
                    var acceptable = result.ValueKind == JsonValueKind.Array
                        ? result.EnumerateArray().Select(r => Parse(r.GetString()!)).ToList()
                        : new List<SpfResult> { Parse(result.GetString()!) };
                    cases.Add(new SpfSuiteCase
                    {
                        Id = $"{scenario:00}/{t.Name}",
                        Scenario = scenario,
                        Name = t.Name,
                        Host = v.GetProperty("host").GetString()!,
                        MailFrom = v.GetProperty("mailfrom").GetString() ?? string.Empty,
                        Helo = v.GetProperty("helo").GetString() ?? string.Empty,
                        Acceptable = acceptable,
                        Explanation = v.TryGetProperty("explanation", out var e) ? e.GetString() : null,
                        Spec = v.TryGetProperty("spec", out var sp) ? sp.ToString() : string.Empty,
                    });
                }

                scenario++;
            }

            return (zones, cases);
        }

        private static SpfResult Parse(string s) => Enum.Parse<SpfResult>(s, ignoreCase: true);
    }

    /// <summary>One in-memory DNS server per suite scenario (their zones reuse names), on 127.0.0.1 with free ports.</summary>
    public sealed class SpfSuiteFixture : IAsyncLifetime
    {
        private readonly List<InMemoryDnsServer> _servers = new();

        public IReadOnlyList<InMemoryDnsServer> Servers => _servers;

        public Task InitializeAsync()
        {
            foreach (var zone in SpfSuite.Zones)
            {
                // The suite's header: serve SPF-type records as TXT too, unless the name has TXT records of its own.
                _servers.Add(InMemoryDnsServer.Start(DnsZone.FromJson(zone, spfAsTxt: true)));
            }

            return Task.CompletedTask;
        }

        public async Task DisposeAsync()
        {
            foreach (var s in _servers)
            {
                await s.DisposeAsync();
            }
        }

        /// <summary>A fresh resolver (own cache) for one case, with a short timeout for the suite's TIMEOUT names.</summary>
        internal DnsResolver ResolverFor(SpfSuiteCase c)
        {
            var options = new DnsResolverOptions { Timeout = TimeSpan.FromSeconds(2), DetectBogus = false };
            options.Servers.Add(_servers[c.Scenario].EndPoint);
            return new DnsResolver(options);
        }
    }
}
