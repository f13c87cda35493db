using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using MailSecurity.Spf;
using Xunit;
using Xunit.Abstractions;

namespace MailSecurity.Tests.Spf
{
    /// <summary>
    /// The RFC 7208 test suite (tests/conformance/spf/rfc7208-tests.json), every case through SpfEvaluator →
    /// DnsResolver → DnsClient → an in-memory DNS server over UDP/TCP. A case passes when the result is one of the
    /// listed acceptable results and, when the case names an explanation, the explanation matches ("DEFAULT" means
    /// the exp= was ignored, so there is none).
    /// </summary>
    public sealed class SpfConformanceTests : IClassFixture<SpfSuiteFixture>
    {
        private readonly SpfSuiteFixture _fixture;
        private readonly ITestOutputHelper _output;

        public SpfConformanceTests(SpfSuiteFixture fixture, ITestOutputHelper output)
        {
            _fixture = fixture;
            _output = output;
        }

        public static IEnumerable<object[]> CaseIds => SpfSuite.Cases.Select(c => new object[] { c.Id });

        [Theory]
        [MemberData(nameof(CaseIds))]
        public async Task Suite_case_gives_an_acceptable_result(string id)
        {
            var c = SpfSuite.Cases.Single(x => x.Id == id);
            var (ok, message) = await RunAsync(c);
            Assert.True(ok, message);
        }

        [Fact]
        public async Task Whole_suite_runs_and_every_case_is_acceptable()
        {
            var cases = SpfSuite.Cases;
            using var throttle = new System.Threading.SemaphoreSlim(16);
            var outcomes = await Task.WhenAll(cases.Select(async c =>
            {
                await throttle.WaitAsync();
                try
                {
                    return await RunAsync(c);
                }
                finally
                {
                    throttle.Release();
                }
            }));
            var passed = outcomes.Count(o => o.Ok);
            _output.WriteLine($"RFC 7208 test suite: {passed} of {cases.Count} cases gave an acceptable result.");
            foreach (var o in outcomes.Where(o => !o.Ok))
            {
                _output.WriteLine(o.Message);
            }

            Assert.Equal(203, cases.Count);
            Assert.Equal(cases.Count, passed);
        }

        private async Task<(bool Ok, string Message)> RunAsync(SpfSuiteCase c)
        {
            var evaluator = new SpfEvaluator(_fixture.ResolverFor(c));
            SpfCheckResult result;
            try
            {
                result = await evaluator.CheckMailFromAsync(IPAddress.Parse(c.Host), c.MailFrom, c.Helo);
            }
            catch (Exception ex)
            {
                return (false, $"{c.Id}: the evaluator threw {ex}");
            }

            var ok = c.Acceptable.Contains(result.Result);
            var why = ok ? string.Empty : $"result {result.Result}, expected {string.Join(" or ", c.Acceptable)}";
            if (ok && c.Explanation != null)
            {
                // The suite's v-macro-ip6 case spells the %{ir} nibbles in upper case; RFC 7208 §7.3's own example uses
                // lower case and DNS names are case-insensitive, so explanations are compared ignoring case.
                var expected = c.Explanation == "DEFAULT" ? null : c.Explanation;
                ok = string.Equals(expected, result.Explanation, StringComparison.OrdinalIgnoreCase);
                why = ok ? why : $"explanation '{result.Explanation ?? "(none)"}', expected '{expected ?? "(none)"}'";
            }

            var message = $"{c.Id} (RFC 7208 {c.Spec}; host {c.Host}, mailfrom '{c.MailFrom}', helo '{c.Helo}'): {(ok ? "ok" : why)}."
                + (ok ? string.Empty : Environment.NewLine + "Trace:" + Environment.NewLine + result.TraceText);
            return (ok, message);
        }
    }
}
