using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using MailSecurity.Message;
using Xunit;
using Xunit.Abstractions;

namespace MailSecurity.Tests.Message
{
    /// <summary>
    /// The Received-field corpus (tests/corpus/received): real lines from public sources, one file per MTA family, each
    /// with fields written by hand from reading the line (README.md there). Every field is compared; a field the line
    /// does not give must come out empty, and a line marked <c>unparsed</c> must carry a Received.Unparsed finding
    /// (and any line not so marked must not).
    /// </summary>
    public class ReceivedCorpusTests
    {
        private readonly ITestOutputHelper _output;

        public ReceivedCorpusTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void Corpus_has_at_least_400_lines_from_20_families_each_with_a_source()
        {
            var entries = ReceivedCorpus.Load();
            Assert.True(entries.Count >= 400, $"only {entries.Count} lines");
            Assert.True(entries.Select(e => e.Family).Distinct().Count() >= 20, "fewer than 20 families");
            Assert.All(entries, e => Assert.False(string.IsNullOrWhiteSpace(e.Source), $"{e.Family}: a line without a source: {e.Line}"));
            Assert.All(entries, e => Assert.True(e.Want.ContainsKey("tls"), $"{e.Family}: a line without a tls expectation: {e.Line}"));
        }

        [Fact]
        public void Every_corpus_line_reads_as_written_by_hand()
        {
            var entries = ReceivedCorpus.Load();
            var failures = new List<string>();
            foreach (var family in entries.GroupBy(e => e.Family).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var agree = 0;
                foreach (var e in family)
                {
                    var problems = ReceivedCorpus.Compare(e, ReceivedHeaderParser.Parse(e.Line, 1));
                    if (problems.Count == 0)
                    {
                        agree++;
                    }
                    else
                    {
                        failures.Add($"[{e.Family}] {e.Line}\n    {string.Join("\n    ", problems)}");
                    }
                }

                _output.WriteLine($"{family.Key,-18} {agree,4}/{family.Count(),-4}");
            }

            Assert.True(failures.Count == 0, $"{failures.Count} of {entries.Count} lines disagree:\n" + string.Join("\n", failures));
        }

        /// <summary>
        /// The gaps issue 14 measured on the parser before the rebuild, one real corpus line each (the expected fields
        /// are the corpus entry's, written by hand). Every line here had at least one field wrong on that parser
        /// (Hops/ReceivedHeaderParser on main at 114e53c, run over these lines before it was removed).
        /// </summary>
        [Theory]
        [InlineData("qmail (user@ip): the address after the ident", "from postfix3-2.free.fr (foobar@213.228.0.129)")]
        [InlineData("qmail (HELO x) (user@ip)", "(HELO machine.domain.com) (foobar@213.228.20.149)")]
        [InlineData("Exim 3 a.b.c.d.port in brackets", "([63.251.66.24.63559])")]
        [InlineData("Exim 3 bare [a.b.c.d.port]", "[10.0.8.6.13219] (mail)")]
        [InlineData("(ip:port)", "from list.brainbuzz.com (63.146.189.86:23198) by mx1.yourtech.net with")]
        [InlineData("bare [ip] after an EHLO comment", "(EHLO user588a01834c) [95.112.248.163]")]
        [InlineData("empty from-name", "from ([172.16.1.78]) by")]
        [InlineData("ecelerity version is not an address", "from ([192.168.1.205:50387] helo=i6.prod.democracyinaction.com)")]
        [InlineData("trailing comma after the BY host", "via SMTP by st.tahina.priv.at, id smtpdEDUB8h")]
        [InlineData("(AUTH: LOGIN user)", "(AUTH: LOGIN mitch@example.com)")]
        [InlineData("with asmtp and (TLS-1.0:RSA_ARCFOUR_MD5:16)", "with asmtp (TLS-1.0:RSA_ARCFOUR_MD5:16)")]
        [InlineData("(authenticated (0 bits))", "(authenticated (0 bits))")]
        [InlineData("(authenticated bits=0) with version=TLSv1/SSLv3 kept as written", "(authenticated bits=0) by sunny.urz.uni-magdeburg.de")]
        [InlineData("with ESMTPA and the qmail remote-info user", "(HELO JIMBOBSPC) (user@84.152.172.1)")]
        [InlineData("LHLO like HELO", "(LHLO mail2-backend.DDDD.com)")]
        [InlineData("SSL: TLSv1/SSLv3 is encrypted", "SSL: TLSv1/SSLv3,128bits,RC4-MD5")]
        [InlineData("(AUTH: id) in place of the from-name", "from (AUTH: e40a9cea) by vqx.net")]
        [InlineData("Kerio (authenticated user x): the identity", "(authenticated user list@fink.org)")]
        [InlineData("CommuniGate (account x HELO y): the identity", "(account skudinva@sibptus.tomsk.ru HELO wxpskudinva.sibptus.transneft.ru)")]
        public void Measured_gap_of_issue_14_reads_as_written_by_hand(string gap, string lineContains)
        {
            var entry = ReceivedCorpus.Load().FirstOrDefault(e => e.Line.Contains(lineContains, StringComparison.Ordinal));
            Assert.True(entry != null, $"{gap}: no corpus line contains '{lineContains}'");
            var problems = ReceivedCorpus.Compare(entry!, ReceivedHeaderParser.Parse(entry!.Line, 1));
            Assert.True(problems.Count == 0, $"{gap}: {entry.Line}\n    {string.Join("\n    ", problems)}");
        }
    }

    /// <summary>Reads the corpus files and compares a hop with an entry.</summary>
    internal static class ReceivedCorpus
    {
        private static readonly string[] Fields = { "from", "rdns", "ip", "by", "with", "tls", "tlsver", "cipher", "auth", "mech", "user" };

        internal sealed class Entry
        {
            public Entry(string family, string line, string source, Dictionary<string, string> want)
            {
                Family = family;
                Line = line;
                Source = source;
                Want = want;
            }

            public string Family { get; }

            public string Line { get; }

            public string Source { get; }

            public Dictionary<string, string> Want { get; }
        }

        public static List<Entry> Load()
        {
            var entries = new List<Entry>();
            foreach (var file in Directory.GetFiles(Dir(), "*.txt").OrderBy(f => f, StringComparer.Ordinal))
            {
                var family = Path.GetFileNameWithoutExtension(file);
                string? line = null, source = null;
                foreach (var text in File.ReadAllLines(file, Encoding.UTF8))
                {
                    if (text.StartsWith("line: ", StringComparison.Ordinal))
                    {
                        line = text.Substring(6);
                    }
                    else if (text.StartsWith("src: ", StringComparison.Ordinal))
                    {
                        source = text.Substring(5);
                    }
                    else if (text.StartsWith("want: ", StringComparison.Ordinal))
                    {
                        entries.Add(new Entry(family, line ?? throw new InvalidDataException($"{file}: want without line"), source ?? string.Empty, ParseWant(text.Substring(6))));
                        line = null;
                        source = null;
                    }
                }
            }

            return entries;
        }

        public static List<string> Compare(Entry e, MessageHop hop)
        {
            var problems = new List<string>();
            void Check(string field, string? actual)
            {
                e.Want.TryGetValue(field, out var expected);
                if (!string.Equals(expected, actual, StringComparison.Ordinal))
                {
                    problems.Add($"{field}: expected '{expected ?? "(none)"}', got '{actual ?? "(none)"}'");
                }
            }

            Check("from", hop.From);
            Check("rdns", hop.FromReverseName);
            Check("ip", hop.FromAddress);
            Check("by", hop.By);
            Check("with", hop.With);
            Check("tls", hop.Tls.ToString().ToLowerInvariant());
            Check("tlsver", hop.TlsVersion);
            Check("cipher", hop.Cipher);
            Check("auth", Auth(hop.AuthenticationEvidence));
            Check("mech", hop.AuthenticationMethod);
            Check("user", hop.AuthenticatedUser);
            var unparsed = hop.Findings.Any(f => f.Code == "Received.Unparsed");
            if (unparsed != e.Want.ContainsKey("unparsed"))
            {
                problems.Add(unparsed
                    ? "Received.Unparsed reported: " + string.Join(" | ", hop.Findings.Where(f => f.Code == "Received.Unparsed").Select(f => f.Message))
                    : "expected a Received.Unparsed finding");
            }

            return problems;
        }

        private static string? Auth(AuthenticationEvidence evidence)
            => evidence switch
            {
                AuthenticationEvidence.None => null,
                AuthenticationEvidence.WithKeyword => "with",
                AuthenticationEvidence.Comment => "comment",
                _ => "with+comment",
            };

        /// <summary>Reads <c>key=value key="value with spaces" flag</c>.</summary>
        private static Dictionary<string, string> ParseWant(string text)
        {
            var want = new Dictionary<string, string>(StringComparer.Ordinal);
            var i = 0;
            while (i < text.Length)
            {
                while (i < text.Length && text[i] == ' ')
                {
                    i++;
                }

                var keyStart = i;
                while (i < text.Length && text[i] != '=' && text[i] != ' ')
                {
                    i++;
                }

                var key = text.Substring(keyStart, i - keyStart);
                if (key.Length == 0)
                {
                    break;
                }

                if (i >= text.Length || text[i] == ' ')
                {
                    want[key] = string.Empty;
                    continue;
                }

                i++;
                string value;
                if (i < text.Length && text[i] == '"')
                {
                    var close = text.IndexOf('"', i + 1);
                    value = text.Substring(i + 1, close - i - 1);
                    i = close + 1;
                }
                else
                {
                    var start = i;
                    while (i < text.Length && text[i] != ' ')
                    {
                        i++;
                    }

                    value = text.Substring(start, i - start);
                }

                if (key != "unparsed" && !Fields.Contains(key))
                {
                    throw new InvalidDataException($"unknown field '{key}' in: {text}");
                }

                want[key] = value;
            }

            return want;
        }

        private static string Dir()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "MailSecurity.sln")))
            {
                dir = dir.Parent;
            }

            return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("MailSecurity.sln not found"), "tests", "corpus", "received");
        }
    }
}
