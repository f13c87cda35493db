using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using MailSecurity.Dns;
using Xunit;
using static MailSecurity.Tests.Dns.DsAnswers;

namespace MailSecurity.Tests.Dns
{
    /// <summary>
    /// The DNSSEC side of the DNS layer, offline: what the response alone settles (RFC 4035 §3.2.3 AD bit, RFC 7672 §2.1.3
    /// CNAME links), and the DS walk that tells an island of security from a resolver that does not validate: once per zone
    /// cut per run, failures named, never thrown, the budget kept. The DS answers are scripted as a resolver would give them.
    /// </summary>
    public class DsProbeClassifierTests
    {
        // --- What the response settles -----------------------------------------------------------------------------

        [Fact]
        public void The_AD_bit_makes_every_part_secure()
        {
            var evidence = Evidence(true, new[] { Sig("a.example", QueryType.CNAME, "example"), Sig("b.example", QueryType.A, "example") });
            var (final, links) = DnsResolver.SettleFromResponse(evidence, new[] { "a.example" }, "b.example", QueryType.A);
            Assert.Equal(DnssecStatus.Secure, final);
            Assert.Equal(new[] { DnssecStatus.Secure }, links);
        }

        [Fact]
        public void Unsigned_data_is_insecure_without_a_probe()
        {
            var (final, links) = DnsResolver.SettleFromResponse(Evidence(false), Array.Empty<string>(), "b.example", QueryType.A);
            Assert.Equal(DnssecStatus.Insecure, final);
            Assert.Empty(links);
        }

        [Fact]
        public void Signed_data_without_AD_is_left_unvalidated()
        {
            var (final, _) = DnsResolver.SettleFromResponse(Evidence(false, new[] { Sig("b.example", QueryType.A, "example") }), Array.Empty<string>(), "b.example", QueryType.A);
            Assert.Equal(DnssecStatus.Unvalidated, final);
        }

        [Fact]
        public void A_signed_denial_without_AD_is_left_unvalidated()
        {
            // NODATA/NXDOMAIN: the proof (SOA, NSEC and their signatures) is in the authority section.
            var evidence = new DnsResponseEvidence(false, Array.Empty<DnsResourceRecord>(), new DnsResourceRecord[] { Soa("example"), Sig("example", QueryType.SOA, "example") });
            Assert.Equal(DnssecStatus.Unvalidated, DnsResolver.SettleFromResponse(evidence, Array.Empty<string>(), "b.example", null).Final);
            var unsigned = new DnsResponseEvidence(false, Array.Empty<DnsResourceRecord>(), new DnsResourceRecord[] { Soa("example") });
            Assert.Equal(DnssecStatus.Insecure, DnsResolver.SettleFromResponse(unsigned, Array.Empty<string>(), "b.example", null).Final);
        }

        [Fact]
        public void An_unsigned_link_makes_it_and_everything_after_it_insecure()
        {
            // RFC 7672 §2.1.3: a secure CNAME to an unsigned one to a signed target: only the first link needs a probe.
            var evidence = Evidence(false, new[] { Sig("a.example", QueryType.CNAME, "example"), Sig("c.signed", QueryType.A, "signed") });
            var (final, links) = DnsResolver.SettleFromResponse(evidence, new[] { "a.example", "b.unsigned" }, "c.signed", QueryType.A);
            Assert.Equal(new[] { DnssecStatus.Unvalidated, DnssecStatus.Insecure }, links);
            Assert.Equal(DnssecStatus.Insecure, final);

            var (final0, links0) = DnsResolver.SettleFromResponse(evidence, new[] { "b.unsigned", "a.example" }, "c.signed", QueryType.A);
            Assert.Equal(new[] { DnssecStatus.Insecure, DnssecStatus.Insecure }, links0);
            Assert.Equal(DnssecStatus.Insecure, final0);
        }

        // --- The DS walk -------------------------------------------------------------------------------------------

        [Fact]
        public async Task Behind_a_non_validating_resolver_each_zone_cut_is_asked_once_per_run()
        {
            // a.corp.example and b.corp.example are zones under corp.example, under example (a top-level name here).
            var dns = DsAnswers.Zone()
                .NoDs("a.corp.example", answeredBy: "corp.example").NoDs("b.corp.example", answeredBy: "corp.example")
                .NoDs("corp.example", answeredBy: "example").NoDs("example", answeredBy: "example");
            var classifier = new DsProbeClassifier(dns, TimeSpan.FromSeconds(30), CancellationToken.None);

            var results = await Task.WhenAll(
                Enumerable.Range(0, 20).Select(i => classifier.ClassifyAsync(SignedAnswer($"h{i}.a.corp.example", "a.corp.example"), CancellationToken.None))
                    .Concat(Enumerable.Range(0, 20).Select(i => classifier.ClassifyAsync(SignedAnswer($"h{i}.b.corp.example", "b.corp.example"), CancellationToken.None))));

            Assert.All(results, r => Assert.Equal(DnssecStatus.ResolverNotValidating, r.Status));
            Assert.All(results, r => Assert.Null(r.Failure));
            Assert.All(results, r => Assert.Equal(DnssecSource.DsProbe, r.Source));
            // Four zone cuts, four DS questions, for forty answers.
            Assert.Equal(new[] { "a.corp.example", "b.corp.example", "corp.example", "example" }, dns.Asked.Where(q => q.Type == QueryType.DS).Select(q => q.Name).OrderBy(n => n, StringComparer.Ordinal));
        }

        [Fact]
        public async Task The_walk_skips_names_that_are_not_zone_cuts()
        {
            // deep.a.b.example is signed by itself; its DS is answered from example (a.b.example and b.example are no cuts).
            var dns = DsAnswers.Zone().NoDs("deep.a.b.example", answeredBy: "example").NoDs("example", answeredBy: "example");
            var r = await new DsProbeClassifier(dns, TimeSpan.FromSeconds(30), CancellationToken.None).ClassifyAsync(SignedAnswer("mx.deep.a.b.example", "deep.a.b.example"), CancellationToken.None);
            Assert.Equal(DnssecStatus.ResolverNotValidating, r.Status);
            Assert.Equal(new[] { "deep.a.b.example", "example" }, dns.Asked.Select(q => q.Name));
        }

        [Fact]
        public async Task An_island_behind_a_validating_resolver_is_insecure_after_one_question()
        {
            // RFC 4035 §5.2: no DS at a secure parent, proven (AD on the denial): the signed child is an island, insecure.
            var dns = DsAnswers.Zone().NoDs("island.example", answeredBy: "example", authenticData: true);
            var r = await new DsProbeClassifier(dns, TimeSpan.FromSeconds(30), CancellationToken.None).ClassifyAsync(SignedAnswer("mx.island.example", "island.example"), CancellationToken.None);
            Assert.Equal(DnssecStatus.Insecure, r.Status);
            Assert.Single(dns.Asked);
        }

        [Fact]
        public async Task A_refusal_is_an_answer_without_AD_not_a_failed_probe()
        {
            // A resolver that refuses the top-level DS question (no root configured, a policy) has answered: no AD there.
            var dns = DsAnswers.Zone().NoDs("corp.example", answeredBy: "example").DsFails("example", DnsLookupStatus.Refused);
            var r = await new DsProbeClassifier(dns, TimeSpan.FromSeconds(30), CancellationToken.None).ClassifyAsync(SignedAnswer("mx.corp.example", "corp.example"), CancellationToken.None);
            Assert.Equal(DnssecStatus.ResolverNotValidating, r.Status);
            Assert.Null(r.Failure);
        }

        [Theory]
        [InlineData(DnsLookupStatus.ServerFailure)]
        [InlineData(DnsLookupStatus.NetworkError)]
        [InlineData(DnsLookupStatus.MalformedResponse)]
        public async Task No_usable_answer_to_the_top_DS_question_leaves_the_state_undetermined(DnsLookupStatus failure)
        {
            var dns = DsAnswers.Zone().NoDs("corp.example", answeredBy: "example").DsFails("example", failure);
            var r = await new DsProbeClassifier(dns, TimeSpan.FromSeconds(30), CancellationToken.None).ClassifyAsync(SignedAnswer("mx.corp.example", "corp.example"), CancellationToken.None);
            Assert.Equal(DnssecStatus.Unvalidated, r.Status);
            Assert.Contains("DS probe for example failed", r.Failure, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_failed_step_is_overruled_by_AD_higher_up()
        {
            var dns = DsAnswers.Zone().DsFails("island.example", DnsLookupStatus.Timeout).NoDs("example", answeredBy: "example", authenticData: true);
            var r = await new DsProbeClassifier(dns, TimeSpan.FromSeconds(30), CancellationToken.None).ClassifyAsync(SignedAnswer("mx.island.example", "island.example"), CancellationToken.None);
            Assert.Equal(DnssecStatus.Insecure, r.Status);
            Assert.Null(r.Failure);
        }

        [Fact]
        public async Task A_dropped_DS_question_leaves_the_state_undetermined_and_names_it_once_for_the_run()
        {
            var dns = DsAnswers.Zone()
                .NoDs("sec.acc.example", answeredBy: "acc.example").NoDs("acc.example", answeredBy: "example")
                .DsFails("example", DnsLookupStatus.Timeout);
            var classifier = new DsProbeClassifier(dns, TimeSpan.FromSeconds(30), CancellationToken.None);

            var first = await classifier.ClassifyAsync(SignedAnswer("mx.sec.acc.example", "sec.acc.example"), CancellationToken.None);
            var second = await classifier.ClassifyAsync(SignedAnswer("www.sec.acc.example", "sec.acc.example"), CancellationToken.None);

            foreach (var r in new[] { first, second })
            {
                Assert.Equal(DnssecStatus.Unvalidated, r.Status);
                Assert.NotNull(r.Failure);
                Assert.Contains("DS probe for example", r.Failure, StringComparison.Ordinal);
                Assert.Contains("timed out", r.Failure, StringComparison.Ordinal);
            }

            Assert.Equal(1, dns.Asked.Count(q => q.Name == "example"));
        }

        [Fact]
        public async Task Cname_links_are_probed_alone_and_insecurity_propagates()
        {
            // alias.secure.example (secure zone) -> host.island.example (island): the response has no AD; the link alone does.
            var dns = DsAnswers.Zone().NoDs("island.example", answeredBy: "example", authenticData: true)
                .Cname("alias.secure.example", "host.island.example", authenticData: true, signer: "secure.example");
            var answer = SignedAnswer("alias.secure.example", "island.example", new[] { ("alias.secure.example", "host.island.example", "secure.example") });
            Assert.Equal(DnssecStatus.Unvalidated, answer.CnameChain[0].DnssecStatus);

            var r = await new DsProbeClassifier(dns, TimeSpan.FromSeconds(30), CancellationToken.None).ClassifyAsync(answer, CancellationToken.None);

            Assert.Equal(new[] { DnssecStatus.Secure }, r.LinkStatuses);
            Assert.Equal(DnssecStatus.Insecure, r.Status);
            var settled = answer.WithDnssec(r);
            Assert.Equal(DnssecStatus.Secure, settled.CnameChain[0].DnssecStatus);
            Assert.Equal(DnssecStatus.Insecure, settled.DnssecStatus);
            Assert.True(settled.IsDnssecSettled);
        }

        [Fact]
        public async Task A_link_in_a_non_validated_zone_makes_the_rest_follow_the_probe()
        {
            var dns = DsAnswers.Zone().NoDs("secure.example", answeredBy: "example").NoDs("example", answeredBy: "example")
                .Cname("alias.secure.example", "mx.secure.example", authenticData: false, signer: "secure.example");
            var answer = SignedAnswer("alias.secure.example", "secure.example", new[] { ("alias.secure.example", "mx.secure.example", "secure.example") });
            var r = await new DsProbeClassifier(dns, TimeSpan.FromSeconds(30), CancellationToken.None).ClassifyAsync(answer, CancellationToken.None);
            Assert.Equal(new[] { DnssecStatus.ResolverNotValidating }, r.LinkStatuses);
            Assert.Equal(DnssecStatus.ResolverNotValidating, r.Status);
        }

        // --- The budget, at the resolver ----------------------------------------------------------------------------

        [Fact]
        public async Task The_probe_budget_ends_the_walk_names_the_pending_question_and_is_remembered()
        {
            var dns = DsAnswers.Zone().NoDs("sec.acc.example", answeredBy: "acc.example").Hang("acc.example");
            var budget = TimeSpan.FromMilliseconds(300);
            var options = new DnsResolverOptions { DnssecProbeTimeout = budget };
            options.Servers.Add(new IPEndPoint(IPAddress.Loopback, 53));
            var resolver = new DnsResolver(options, _ => new DsProbeClassifier(dns, budget, CancellationToken.None), CancellationToken.None);
            var answer = SignedAnswer("mx.sec.acc.example", "sec.acc.example");

            var clock = Stopwatch.StartNew();
            var settled = await resolver.DetermineDnssecAsync(answer);
            var first = clock.Elapsed;

            Assert.True(first < TimeSpan.FromSeconds(5), first.ToString());
            Assert.Equal(DnssecStatus.Unvalidated, settled.DnssecStatus);
            Assert.Equal(DnsLookupStatus.Success, settled.Status); // the answer itself stands
            Assert.Same(answer.Records, settled.Records);
            Assert.NotNull(settled.DnssecProbeFailure);
            Assert.Contains("did not finish within 0.3 s", settled.DnssecProbeFailure, StringComparison.Ordinal);
            Assert.Contains("DS question for acc.example", settled.DnssecProbeFailure, StringComparison.Ordinal);
            Assert.Contains(settled.DnssecProbeFailure!, settled.Describe(), StringComparison.Ordinal);

            // Another answer of the zone gets the remembered failure at once, without asking again.
            clock.Restart();
            var again = await resolver.DetermineDnssecAsync(SignedAnswer("www.sec.acc.example", "sec.acc.example"));
            Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(250), clock.Elapsed.ToString());
            Assert.Equal(settled.DnssecProbeFailure, again.DnssecProbeFailure);
            Assert.Equal(2, dns.Asked.Count);
        }

        [Fact]
        public async Task The_resolver_stops_waiting_for_a_classifier_that_overruns_its_budget()
        {
            // The backstop for any classifier (a local validator too): the budget plus a second, then "not determined".
            var dns = DsAnswers.Zone().Hang("sec.example");
            var options = new DnsResolverOptions { DnssecProbeTimeout = TimeSpan.FromMilliseconds(200) };
            var resolver = new DnsResolver(options, _ => new DsProbeClassifier(dns, TimeSpan.FromMinutes(5), CancellationToken.None), CancellationToken.None);
            var clock = Stopwatch.StartNew();
            var settled = await resolver.DetermineDnssecAsync(SignedAnswer("mx.sec.example", "sec.example"));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), clock.Elapsed.ToString());
            Assert.Equal(DnssecStatus.Unvalidated, settled.DnssecStatus);
            Assert.Contains("did not finish within 0.2 s", settled.DnssecProbeFailure, StringComparison.Ordinal);
            Assert.Contains("DS question for sec.example", settled.DnssecProbeFailure, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Settled_answers_are_returned_as_they_are_without_a_question()
        {
            var dns = DsAnswers.Zone();
            var resolver = new DnsResolver(null, _ => new DsProbeClassifier(dns, TimeSpan.FromSeconds(30), CancellationToken.None), CancellationToken.None);
            var secure = Answer("mx.example", QueryType.A, Evidence(true, new[] { Sig("mx.example", QueryType.A, "example") }), Array.Empty<(string, string, string)>());
            Assert.Same(secure, await resolver.DetermineDnssecAsync(secure));
            Assert.Empty(dns.Asked);
        }

        [Fact]
        public async Task A_caller_that_is_cancelled_gets_a_cancellation_not_a_verdict()
        {
            var dns = DsAnswers.Zone().Hang("sec.example");
            var options = new DnsResolverOptions { DnssecProbeTimeout = TimeSpan.FromSeconds(30) };
            var resolver = new DnsResolver(options, _ => new DsProbeClassifier(dns, TimeSpan.FromSeconds(30), CancellationToken.None), CancellationToken.None);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => resolver.DetermineDnssecAsync(SignedAnswer("mx.sec.example", "sec.example"), cts.Token));
        }

        // --- Helpers -----------------------------------------------------------------------------------------------

        private static DnsResponseEvidence Evidence(bool ad, IEnumerable<DnsResourceRecord>? answer = null, IEnumerable<DnsResourceRecord>? authority = null)
            => new DnsResponseEvidence(ad, (answer ?? Array.Empty<DnsResourceRecord>()).ToList(), (authority ?? Array.Empty<DnsResourceRecord>()).ToList());

        /// <summary>An A answer for <paramref name="name"/>, signed by <paramref name="signer"/>, without AD, optionally behind CNAME links.</summary>
        private static DnsAnswer SignedAnswer(string name, string signer, (string Owner, string Target, string Signer)[]? chain = null)
        {
            chain ??= Array.Empty<(string, string, string)>();
            var final = chain.Length > 0 ? chain[^1].Target : name;
            var section = new List<DnsResourceRecord>();
            foreach (var (owner, target, linkSigner) in chain)
            {
                section.Add(new CNameRecord(new ResourceRecordInfo(owner + ".", ResourceRecordType.CNAME, QueryClass.IN, 300, 20), DnsString.Parse(target + ".")));
                section.Add(Sig(owner, QueryType.CNAME, linkSigner));
            }

            section.Add(new ARecord(new ResourceRecordInfo(final + ".", ResourceRecordType.A, QueryClass.IN, 300, 4), IPAddress.Parse("192.0.2.1")));
            section.Add(Sig(final, QueryType.A, signer));
            return Answer(name, QueryType.A, Evidence(false, section), chain);
        }

        private static DnsAnswer Answer(string name, QueryType type, DnsResponseEvidence evidence, (string Owner, string Target, string Signer)[] chain)
        {
            var final = chain.Length > 0 ? chain[^1].Target : name;
            var (status, links) = DnsResolver.SettleFromResponse(evidence, chain.Select(c => c.Owner).ToList(), final, type);
            var records = evidence.AnswerSection.Where(r => (int)r.RecordType == (int)type).ToList();
            return new DnsAnswer(name, type, DnsLookupStatus.Success, "NoError", status, records,
                chain.Select((c, i) => new CnameLink(c.Owner, c.Target, links[i], 300)).ToList(), "127.0.0.1:53", TimeSpan.Zero, null, evidence);
        }
    }

    /// <summary>
    /// DS (and single CNAME) answers as a resolver gives them, on a <see cref="ScriptedZone"/> where every question must be
    /// scripted (the walk must ask only what it needs) and answers arrive asynchronously, as from the network.
    /// </summary>
    internal static class DsAnswers
    {
        public static ScriptedZone Zone() => new ScriptedZone(UnscriptedAnswer.Throw).AnswerAsynchronously();

        /// <summary>No DS at <paramref name="zone"/>: NODATA from <paramref name="answeredBy"/> (its SOA, signed).</summary>
        public static ScriptedZone NoDs(this ScriptedZone dns, string zone, string answeredBy, bool authenticData = false)
            => dns.Answer(zone, QueryType.DS, () =>
            {
                var evidence = new DnsResponseEvidence(authenticData, Array.Empty<DnsResourceRecord>(), new DnsResourceRecord[] { Soa(answeredBy), Sig(answeredBy, QueryType.SOA, answeredBy) });
                var (status, _) = DnsResolver.SettleFromResponse(evidence, Array.Empty<string>(), zone, null);
                return new DnsAnswer(zone, QueryType.DS, DnsLookupStatus.NoData, "NoError", status, Array.Empty<DnsResourceRecord>(), Array.Empty<CnameLink>(), "127.0.0.1:53", TimeSpan.Zero, null, evidence);
            });

        /// <summary>The DS question for <paramref name="zone"/> fails (no answer, REFUSED, ...).</summary>
        public static ScriptedZone DsFails(this ScriptedZone dns, string zone, DnsLookupStatus failure)
            => dns.Answer(zone, QueryType.DS, () => new DnsAnswer(zone, QueryType.DS, failure, string.Empty, DnssecStatus.Indeterminate, Array.Empty<DnsResourceRecord>(), Array.Empty<CnameLink>(), "127.0.0.1:53", TimeSpan.FromSeconds(5), "no answer from 127.0.0.1:53 within 5 s"));

        public static ScriptedZone Cname(this ScriptedZone dns, string owner, string target, bool authenticData, string signer)
            => dns.Answer(owner, QueryType.CNAME, () =>
            {
                var cname = new CNameRecord(new ResourceRecordInfo(owner + ".", ResourceRecordType.CNAME, QueryClass.IN, 300, 20), DnsString.Parse(target + "."));
                var evidence = new DnsResponseEvidence(authenticData, new DnsResourceRecord[] { cname, Sig(owner, QueryType.CNAME, signer) }, Array.Empty<DnsResourceRecord>());
                var (status, _) = DnsResolver.SettleFromResponse(evidence, Array.Empty<string>(), owner, QueryType.CNAME);
                return new DnsAnswer(owner, QueryType.CNAME, DnsLookupStatus.Success, "NoError", status, new DnsResourceRecord[] { cname }, Array.Empty<CnameLink>(), "127.0.0.1:53", TimeSpan.Zero, null, evidence);
            });

        internal static RRSigRecord Sig(string owner, QueryType covered, string signer)
            => new RRSigRecord(new ResourceRecordInfo(owner + ".", ResourceRecordType.RRSIG, QueryClass.IN, 300, 100), (int)covered, 13, 2, 300, 2000000000, 1000000000, 12345, DnsString.Parse(signer + "."), new byte[64]);

        internal static SoaRecord Soa(string zone)
            => new SoaRecord(new ResourceRecordInfo(zone + ".", ResourceRecordType.SOA, QueryClass.IN, 300, 40), DnsString.Parse("ns." + zone + "."), DnsString.Parse("hostmaster." + zone + "."), 1, 3600, 600, 86400, 300);
    }
}
