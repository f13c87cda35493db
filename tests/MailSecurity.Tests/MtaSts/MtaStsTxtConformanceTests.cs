using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using MailSecurity.MtaSts;
using MailSecurity.Tests.Dns;
using Xunit;

namespace MailSecurity.Tests.MtaSts
{
    /// <summary>
    /// The TXT-record layer of the postfix-mta-sts-resolver scenarios (tests/conformance/mta-sts/SCENARIOS.md):
    /// every scenario with "valid TXT" must yield a usable record with its id; every scenario whose TXT column names
    /// another record, or none, must yield no available policy at the TXT step.
    /// </summary>
    public class MtaStsTxtConformanceTests
    {
        private static string ScenariosPath()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "MailSecurity.sln")))
            {
                dir = dir.Parent;
            }

            Assert.NotNull(dir);
            return Path.Combine(dir!.FullName, "tests", "conformance", "mta-sts", "SCENARIOS.md");
        }

        /// <summary>(domain, TXT record or null for none, expected valid) from the scenario table and the extra list.</summary>
        private static List<(string Domain, string? Txt, bool Valid)> Scenarios(out string validTxt)
        {
            var text = File.ReadAllText(ScenariosPath());
            validTxt = Regex.Match(text, "\"Valid TXT\" below always means the single string\\s+`([^`]+)`").Groups[1].Value;
            var cases = new List<(string, string?, bool)>();
            foreach (Match row in Regex.Matches(text, @"^\| `(?<domain>[a-z0-9.-]+\.loc)` \| (?<txt>[^|]+) \|", RegexOptions.Multiline))
            {
                var txt = row.Groups["txt"].Value;
                if (txt.Contains("valid TXT"))
                {
                    cases.Add((row.Groups["domain"].Value, validTxt, true));
                }
                else
                {
                    var literal = Regex.Match(txt, "`([^`]+)`");
                    cases.Add((row.Groups["domain"].Value, literal.Success ? literal.Groups[1].Value : null, false));
                }
            }

            foreach (Match extra in Regex.Matches(text, @"^\* `(?<domain>[a-z0-9.-]+\.loc)`: TXT `(?<txt>[^`]+)`", RegexOptions.Multiline))
            {
                cases.Add((extra.Groups["domain"].Value, extra.Groups["txt"].Value, false));
            }

            if (text.Contains("`no-data.loc`"))
            {
                cases.Add(("no-data.loc", null, false));
            }

            return cases;
        }

        [Fact]
        public async Task Txt_layer_of_every_scenario_matches()
        {
            var cases = Scenarios(out var validTxt);
            Assert.Equal("v=STSv1;id=20180907T090909;", validTxt);
            Assert.True(cases.Count >= 13, $"only {cases.Count} scenarios found"); // 11 table rows + bad-record3 + no-data
            var failures = new List<string>();
            foreach (var (domain, txt, valid) in cases)
            {
                var zone = new ScriptedZone().Exists("mta-sts." + domain).Exists("_mta-sts." + domain);
                if (txt != null)
                {
                    zone.Txt("_mta-sts." + domain, txt);
                }

                var record = await new MtaStsTxtRecordLookup(zone).LookupAsync(domain);
                var ok = valid
                    ? record.Status == MtaStsTxtStatus.Valid && record.Id == "20180907T090909"
                    : record.Status != MtaStsTxtStatus.Valid;
                if (!ok)
                {
                    failures.Add($"{domain}: TXT '{txt}' gave {record.Status}");
                }
            }

            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
            Assert.Contains(cases, c => c.Domain == "bad-record1.loc" && c.Txt == "id=20180907T090909; v=STSv1;");
            Assert.Contains(cases, c => c.Domain == "bad-record3.loc");
        }
    }
}
