using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CsCheck;
using MailSecurity.Bimi;
using MailSecurity.Dane;
using MailSecurity.Dkim;
using MailSecurity.Dmarc;
using MailSecurity.Dns;
using MailSecurity.Message;
using MailSecurity.MtaSts;
using MailSecurity.Smtp;
using MailSecurity.Spf;
using MailSecurity.TlsRpt;
using Xunit;

namespace MailSecurity.Tests.Fuzz
{
    /// <summary>
    /// Property-based fuzzing of every parser of untrusted text (issue 18): mutants of real records and random text must
    /// give a result with bounded findings, never an exception, and the strict rules must hold on whatever is accepted.
    /// The budget is <see cref="FuzzRun.CiIterations"/> inputs per target here and minutes per target in
    /// <c>build.ps1 -Task Fuzz</c>; a failure prints its seed.
    /// </summary>
    [Trait("Category", "Fuzz")]
    public class ParserFuzzTests
    {
        [Fact]
        public void Spf_record_parser() => FuzzRun.Check("SpfRecordParser", Mutants.Of(SeedCorpus.Spf), text =>
        {
            var record = SpfRecordParser.Parse(text);
            Invariants.Messages(record.Errors);
            foreach (var term in record.Terms)
            {
                Invariants.Message(term.Error);
            }

            Assert.Equal(record.Errors.Count == 0, record.IsValid);
            if (!SpfRecordParser.IsSpfRecord(text))
            {
                Assert.NotEmpty(record.Errors);
            }

            foreach (var term in record.Terms.Where(t => t.Error is null))
            {
                // Strict where RFC 7208 §12 is strict: an accepted ip6 network is an address and nothing else.
                if (term.Kind == SpfTermKind.Ip6)
                {
                    Assert.True(IPAddress.TryParse(term.Network, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6);
                    Assert.DoesNotContain(term.Network!, c => c == '[' || c == ']' || c == '%' || c == '/');
                }

                if (term.DomainSpec != null)
                {
                    Assert.True(SpfMacroExpander.TryValidate(term.DomainSpec, SpfMacroSyntax.DomainSpec, out _), term.DomainSpec);
                }
            }
        }, Mutants.Show);

        [Fact]
        public void Spf_macro_expander()
        {
            var syntax = Gen.Enum<SpfMacroSyntax>();
            var v4 = Gen.UInt.Select(u => new IPAddress(u));
            var v6 = Gen.Byte.Array[16].Select(b => new IPAddress(b));
            var specs = Mutants.Of(SeedCorpus.Spf.SelectMany(r => r.Split(' ')).Select(t => t.IndexOfAny(new[] { ':', '=' }) is var i and >= 0 ? t.Substring(i + 1) : t)
                .Where(t => t.Length > 0).Distinct().ToList());
            var gen = Gen.Select(specs, syntax, Mutants.Of(SeedCorpus.Senders), Gen.Frequency((3, v4), (1, v6)), Mutants.Of(SeedCorpus.Names));
            FuzzRun.Check("SpfMacroExpander", gen, t =>
            {
                var (spec, kind, sender, ip, helo) = t;
                var context = new SpfMacroContext(sender, "email.example.com", ip, helo, "mx.example.net", DateTimeOffset.UnixEpoch);
                var valid = SpfMacroExpander.TryValidate(spec, kind, out var error);
                if (!valid)
                {
                    Invariants.Message(error);
                    // The contract: what TryValidate refuses, Expand refuses with FormatException.
                    Assert.Throws<FormatException>(() => SpfMacroExpander.Expand(spec, kind, context));
                    return;
                }

                var expanded = SpfMacroExpander.Expand(spec, kind, context);
                Assert.True(expanded.Length <= SpfMacroExpander.MaxExpansionLength);
                if (kind == SpfMacroSyntax.DomainSpec)
                {
                    var name = SpfMacroExpander.ExpandDomain(spec, context);
                    // RFC 7208 §7.3: at most 253 characters unless a single label is longer (then no truncation can help).
                    Assert.True(name.Length <= SpfMacroExpander.MaxDomainLength || name.IndexOf('.') < 0, $"{name.Length} characters");
                    Assert.False(name.EndsWith(".", StringComparison.Ordinal) && name.Length > 1 && expanded.Length < SpfMacroExpander.MaxExpansionLength && !expanded.EndsWith("..", StringComparison.Ordinal));
                }
            }, t => $"spec {Mutants.Show(t.Item1)} as {t.Item2}, sender {Mutants.Show(t.Item3)}, ip {t.Item4}, helo {Mutants.Show(t.Item5)}");
        }

        [Fact]
        public void Dmarc_record_parser() => FuzzRun.Check("DmarcRecordParser", Mutants.Of(SeedCorpus.Dmarc), text =>
        {
            Invariants.Message(DmarcRecordParser.ExplainNearMiss(text));
            var record = DmarcRecordParser.Parse("example.com", text);
            Invariants.Findings(record);
            Assert.Equal(text, record.Raw);
            if (record.Policy != null)
            {
                // p is compared as one of three ABNF literals, never guessed.
                Assert.Contains(record.Tags.First(t => t.Name == "p").Value!.ToLowerInvariant(), new[] { "none", "quarantine", "reject" });
            }
        }, Mutants.Show);

        [Fact]
        public void Dkim_key_record_parser() => FuzzRun.Check("DkimKeyRecordParser", Mutants.Of(SeedCorpus.Dkim), text =>
        {
            DkimKeyRecordParser.IsKeyRecord(text);
            var key = DkimKeyRecordParser.Parse("example.com", "s1", text);
            Invariants.Findings(key);
            if (key.Version != null && key.Version != "DKIM1")
            {
                // RFC 6376 §3.6.1: any other version discards the record.
                Assert.Equal(DkimKeyStatus.Invalid, key.Status);
            }
        }, Mutants.Show);

        [Fact]
        public void Bimi_record_parser() => FuzzRun.Check("BimiRecordParser", Mutants.Of(SeedCorpus.Bimi), text =>
        {
            BimiRecordParser.IsNearMiss(text);
            var result = BimiRecordParser.Parse(text);
            Invariants.Messages(result.Problems.Select(p => p.Value));
            if (result.LogoUri != null)
            {
                Assert.StartsWith("https:", result.LogoUri, StringComparison.OrdinalIgnoreCase);
            }
        }, Mutants.Show);

        [Fact]
        public void Mta_sts_txt_record_parser() => FuzzRun.Check("MtaStsTxtRecordParser", Mutants.Of(SeedCorpus.MtaStsTxt), text =>
        {
            var result = MtaStsTxtRecordParser.Parse(text);
            Invariants.Messages(result.Errors);
            if (result.IsValid)
            {
                // RFC 8461 §3.1: the exact version first, and a 1-32 character alphanumeric id.
                Assert.StartsWith("v=STSv1", text, StringComparison.Ordinal);
                Assert.True(MtaStsTxtRecordParser.IsStsRecord(text));
                Assert.Matches("^[A-Za-z0-9]{1,32}$", result.Id!);
            }
        }, Mutants.Show);

        [Fact]
        public void Tls_rpt_record_parser() => FuzzRun.Check("TlsRptRecordParser", Mutants.Of(SeedCorpus.TlsRpt), text =>
        {
            var result = TlsRptRecordParser.Parse(text);
            Invariants.Messages(result.Errors);
            foreach (var uri in result.ReportUris)
            {
                Invariants.Message(uri.Problem);
            }
            if (result.Errors.Count == 0)
            {
                Assert.True(TlsRptRecordParser.IsTlsRptRecord(text));
            }
        }, Mutants.Show);

        [Fact]
        public void Mta_sts_policy_parser() => FuzzRun.Check("MtaStsPolicyParser", Mutants.Of(SeedCorpus.Policies), text =>
        {
            var policy = MtaStsPolicyParser.Parse(text, "https://mta-sts.example.com/.well-known/mta-sts.txt", out var findings);
            Invariants.Findings(findings);
            MtaStsPolicyParser.TryDecode(Encoding.Latin1.GetBytes(text), out _);
            if (policy.IsValid)
            {
                Assert.Equal("STSv1", policy.Version);
                Assert.NotNull(policy.Mode);
                Assert.InRange(policy.MaxAgeSeconds!.Value, 0, MtaStsPolicyParser.MaxAgeLimit);
            }

            foreach (var pattern in policy.MxPatterns)
            {
                MtaStsMxMatcher.IsValidPattern(pattern, out var reason);
                Invariants.Message(reason);
                MtaStsMxMatcher.Matches(pattern, "mx1.example.com");
            }
        }, Mutants.Show);

        [Fact]
        public void Received_header_parser() => FuzzRun.Check("ReceivedHeaderParser", Mutants.Of(SeedCorpus.Received), text =>
        {
            var hop = ReceivedHeaderParser.Parse(text, 3);
            Invariants.Findings(hop);
            MailSecurity.Message.Received.TlsVersionText.Normalize(text);
        }, Mutants.Show);

        [Fact]
        public void Authentication_results_parser() => FuzzRun.Check("AuthenticationResultsParser", Mutants.Of(SeedCorpus.AuthenticationResults), text =>
        {
            var header = AuthenticationResultsParser.Parse(text, 1);
            Invariants.Findings(header);
            if (header.Parsed)
            {
                // RFC 8601 §2.7: a result is "recognized" only when it is defined for its method.
                Assert.All(header.Results.Where(r => r.Recognized), r => Assert.True(AuthenticationResultsParser.IsKnownMethod(r.Method)));
            }
        }, Mutants.Show);

        [Fact]
        public void Http_response_reader() => FuzzRun.CheckAsync("Http11ResponseReader", Mutants.Of(SeedCorpus.HttpResponses), async text =>
        {
            var reader = new Http11ResponseReader(new MemoryStream(Encoding.Latin1.GetBytes(text)));
            try
            {
                var head = await reader.ReadHeadAsync(CancellationToken.None);
                Assert.InRange(head.StatusCode, 100, 999);
                var body = await reader.ReadBodyAsync(head, 1024, CancellationToken.None);
                Assert.True(body.Bytes.Length <= 1025);
                Invariants.Message(body.ProtocolError);
            }
            catch (IOException ex)
            {
                // Http11ProtocolException and EndOfStreamException: the fetcher turns both into a fetch failure.
                Invariants.Message(ex.Message);
            }
        }, Mutants.Show);

        [Fact]
        public void Names_literals_tlsa_and_ehlo_lines() => FuzzRun.Check("NamesAndSmallReaders", Mutants.Of(SeedCorpus.Names.Concat(SeedCorpus.Tlsa).Concat(SeedCorpus.EhloLines).ToList()), text =>
        {
            foreach (var syntax in new[] { DnsNameSyntax.HostName, DnsNameSyntax.AnyPrintableAscii })
            {
                if (DomainName.TryNormalize(text, syntax, out var name, out var error))
                {
                    Assert.True(name.Length <= 253 && name.Split('.').All(l => l.Length is > 0 and <= 63), name);
                }
                else
                {
                    Invariants.Message(error);
                }
            }

            AddressLiteral.TryParse(text, out _);
            if (TlsaRecordClassifier.TryParse(text, TimeSpan.FromMinutes(5), TlsaUsageProfile.Smtp, out var tlsa, out var tlsaError))
            {
                Invariants.Findings(tlsa);
            }
            else
            {
                Invariants.Message(tlsaError);
            }

            EhloCapabilities.TryParseReplyLine(text, out _, out _, out _);
            var lines = text.Split('\n');
            EhloCapabilities.FromEhloReply(lines);
            EhloCapabilities.SizeLimit(lines);
            DmarcReportUri.Parse(text);
            TlsRptRecordParser.ParseUri(text);
        }, Mutants.Show);

        [Fact]
        public void Whole_messages_through_message_mode()
        {
            var analyzer = new MessagePathAnalyzer(null, new MessagePathOptions { VerifySignatures = false });
            FuzzRun.CheckAsync("MessagePathAnalyzer", Mutants.Of(SeedCorpus.Eml), async text =>
            {
                var path = await analyzer.AnalyzeAsync(Encoding.UTF8.GetBytes(text), "fuzz.eml");
                Invariants.Findings(path);
            }, Mutants.Show, iterations: 400);
        }
    }
}
