using System.Linq;
using System.Text;
using System.Threading.Tasks;
using MailSecurity.Message;
using Xunit;

namespace MailSecurity.Tests.Message
{
    /// <summary>Authentication-Results parsing (RFC 8601 §2.2, §2.7) and placement on hops (§5, §7.1, §7.3).</summary>
    public class AuthenticationResultsTests
    {
        [Fact]
        public void Rfc8601_example_2_none_with_version()
        {
            var h = AuthenticationResultsParser.Parse("example.org 1; none");
            Assert.True(h.Parsed);
            Assert.Equal("example.org", h.AuthServId);
            Assert.Equal(1, h.Version);
            Assert.Empty(h.Results);
        }

        [Fact]
        public void Rfc8601_example_4_methods_properties_and_comment()
        {
            var h = AuthenticationResultsParser.Parse("example.com;\r\n          auth=pass (cram-md5) smtp.auth=sender@example.net;\r\n          spf=pass smtp.mailfrom=example.net");
            Assert.Equal(new[] { "auth", "spf" }, h.Results.Select(r => r.Method));
            var auth = h.Results[0];
            Assert.Equal("pass", auth.Result);
            Assert.Equal("cram-md5", auth.Comment);
            Assert.Equal("sender@example.net", auth.GetProperty("smtp", "auth"));
            Assert.Equal("example.net", h.Results[1].GetProperty("smtp", "mailfrom"));
            Assert.All(h.Results, r => Assert.True(r.Recognized));
        }

        [Fact]
        public void Rfc8601_example_6_reason_clauses()
        {
            var h = AuthenticationResultsParser.Parse("example.com;\r\n      dkim=pass reason=\"good signature\"\r\n        header.i=@mail-router.example.net;\r\n      dkim=fail reason=\"bad signature\"\r\n        header.i=@newyork.example.com");
            Assert.Equal(2, h.Results.Count);
            Assert.Equal("good signature", h.Results[0].Reason);
            Assert.Equal("fail", h.Results[1].Result);
            Assert.Equal("@newyork.example.com", h.Results[1].GetProperty("header", "i"));
        }

        [Fact]
        public void Microsoft_365_field_without_authserv_id()
        {
            var h = AuthenticationResultsParser.Parse("spf=pass (sender IP is 192.0.2.10)\r\n smtp.mailfrom=example.org; dkim=pass (signature was verified)\r\n header.d=example.org;dmarc=pass action=none\r\n header.from=example.org;compauth=pass reason=100");
            Assert.True(h.Parsed);
            Assert.Equal(string.Empty, h.AuthServId);
            Assert.Equal(new[] { "spf", "dkim", "dmarc", "compauth" }, h.Results.Select(r => r.Method));
            Assert.Equal("none", h.Results[2].Action);
            Assert.False(h.Results[3].Recognized); // compauth is Microsoft's own, not an RFC 8601 method.
        }

        [Theory]
        [InlineData("dkim", "pass", true)]
        [InlineData("dkim", "softfail", false)]
        [InlineData("spf", "softfail", true)]
        [InlineData("iprev", "none", false)]
        [InlineData("arc", "neutral", false)]
        [InlineData("dmarc", "bestguesspass", false)]
        [InlineData("auth", "none", true)]
        public void Results_outside_the_method_set_are_not_recognised(string method, string result, bool recognized)
        {
            var h = AuthenticationResultsParser.Parse($"mx.example.net; {method}={result}");
            Assert.Equal(recognized, Assert.Single(h.Results).Recognized);
        }

        [Theory]
        [InlineData("")]
        [InlineData(";;;")]
        [InlineData("mx.example.net; spf")]
        public void Malformed_fields_are_kept_raw(string value)
        {
            var h = AuthenticationResultsParser.Parse(value);
            Assert.False(h.Parsed);
            Assert.Equal(value, h.Raw);
        }

        [Fact]
        public async Task Rfc8601_example_5_each_field_belongs_to_the_hop_below_it()
        {
            // Two MTAs of one ADMD, each prepending its A-R above its own Received field (RFC 8601 §5, §7.1 item 5).
            var path = await Analyze(
                "Authentication-Results: example.com;\r\n dkim=pass (good signature) header.d=example.com\r\n" +
                "Received: from mail-router.example.com (mail-router.example.com [192.0.2.1]) by auth-checker.example.com (8.11.6/8.11.6) with ESMTP id i7PK0sH7021929; Fri, 15 Feb 2002 17:19:22 -0800\r\n" +
                "Authentication-Results: example.com;\r\n auth=pass (cram-md5) smtp.auth=sender@example.com;\r\n spf=fail smtp.mailfrom=example.com\r\n" +
                "Received: from dialup-1-2-3-4.example.net (dialup-1-2-3-4.example.net [192.0.2.200]) by mail-router.example.com (8.11.6/8.11.6) with ESMTPA id g1G0r1kA003489; Fri, 15 Feb 2002 17:19:07 -0800\r\n" +
                "From: sender@example.com\r\nSubject: here's a sample\r\n\r\nHello!  Goodbye!\r\n");
            var headers = path.Authentication.Headers;
            Assert.Equal(2, headers.Count);
            Assert.Equal(2, headers[0].AddedAtHop);
            Assert.Equal(1, headers[1].AddedAtHop);
            Assert.All(headers, h => Assert.True(h.Trusted));
            Assert.Equal(1, path.FirstAuthResultsHop);
            var group = Assert.Single(path.Authentication.Servers);
            Assert.Equal("example.com", group.AuthServId);
            Assert.Equal("fail", path.SpfResult);
            Assert.Equal("pass", path.Authentication.DkimResult);
            Assert.Equal(System.TimeSpan.FromSeconds(15), path.TransitTime);
        }

        [Fact]
        public async Task Rfc8601_example_6_results_from_another_admd_are_reported_but_untrusted()
        {
            var text =
                "Authentication-Results: example.com;\r\n dkim=pass reason=\"good signature\" header.i=@mail-router.example.net;\r\n dkim=fail reason=\"bad signature\" header.i=@newyork.example.com\r\n" +
                "Received: from mail-router.example.net (mail-router.example.net [192.0.2.250]) by chicago.example.com (8.11.6/8.11.6) for <recipient@chicago.example.com> with ESMTP id i7PK0sH7021929; Fri, 15 Feb 2002 17:19:22 -0800\r\n" +
                "Authentication-Results: example.net;\r\n dkim=pass (good signature) header.i=@newyork.example.com\r\n" +
                "Received: from smtp.newyork.example.com (smtp.newyork.example.com [192.0.2.220]) by mail-router.example.net (8.11.6/8.11.6) with ESMTP id g1G0r1kA003489; Fri, 15 Feb 2002 17:19:07 -0800\r\n" +
                "From: sender@newyork.example.com\r\nTo: meetings@example.net\r\nSubject: here's a sample\r\n";
            var path = await Analyze(text);
            Assert.Equal(new[] { "example.com" }, path.Authentication.TrustedAuthServIds);
            var net = path.Authentication.Headers.Single(h => h.AuthServId == "example.net");
            Assert.False(net.Trusted);
            Assert.Equal(1, net.AddedAtHop);
            Assert.Contains(path.Findings, f => f.Code == "AuthResults.UntrustedServer" && f.Target == "example.net");

            // The border MTA of chicago.example.com explicitly trusts example.net in the RFC's narrative.
            var options = new MessagePathOptions();
            options.TrustedAuthServIds.Add("example.com");
            options.TrustedAuthServIds.Add("example.net");
            var trusting = await new MessagePathAnalyzer(null, options).AnalyzeHeaderTextAsync(text);
            Assert.All(trusting.Authentication.Headers, h => Assert.True(h.Trusted));
            Assert.DoesNotContain(trusting.Findings, f => f.Code == "AuthResults.UntrustedServer");
        }

        [Fact]
        public async Task Gmail_writes_its_field_below_its_own_received_and_the_authserv_id_places_it()
        {
            var path = await Analyze(
                "Received: by 2002:a05:6a10:1234:b0:4a5:6789:abcd with SMTP id x12csp1; Tue, 14 May 2024 03:00:02 -0700 (PDT)\r\n" +
                "Received: from mail.example.org (mail.example.org. [192.0.2.10]) by mx.google.com with ESMTPS id x12 for <bob@example.net> (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256); Tue, 14 May 2024 03:00:01 -0700 (PDT)\r\n" +
                "Authentication-Results: mx.google.com;\r\n dkim=pass header.i=@example.org header.s=s1;\r\n spf=pass smtp.mailfrom=alice@example.org\r\n" +
                "Received: from [10.1.2.3] (unknown [198.51.100.7]) (Authenticated sender: alice@example.org) by mail.example.org (Postfix) with ESMTPSA id 4V; Tue, 14 May 2024 10:00:00 +0000 (UTC)\r\n" +
                "From: alice@example.org\r\n");
            var h = Assert.Single(path.Authentication.Headers);
            Assert.Equal(2, h.AddedAtHop);
            Assert.Equal(2, path.FirstAuthResultsHop);
        }

        [Fact]
        public async Task A_field_below_every_received_was_written_by_the_sender()
        {
            var path = await Analyze(
                "Authentication-Results: mx.example.net; spf=fail smtp.mailfrom=example.org\r\n" +
                "Received: from mail.example.org (mail.example.org [192.0.2.10]) by mx.example.net (Postfix) with ESMTPS id 1; Tue, 14 May 2024 10:00:01 +0000\r\n" +
                "Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=example.org; dkim=pass header.d=example.org\r\n" +
                "From: alice@example.org\r\nSubject: trust me\r\n");
            var forged = path.Authentication.Headers[1];
            Assert.Null(forged.AddedAtHop);
            Assert.Contains(path.Findings, f => f.Code == "AuthResults.BeforeFirstHop");
            // The real receiver's verdict wins in the summary: its field is the top one.
            Assert.Equal("fail", path.SpfResult);
        }

        [Fact]
        public async Task Unknown_results_and_unparsable_fields_are_reported_and_ignored()
        {
            var path = await Analyze(
                "Authentication-Results: mx.example.net; dkim=softfail header.d=example.org; spf=pass smtp.mailfrom=example.org\r\n" +
                "Authentication-Results: this is ; not = valid ;\r\n" +
                "Received: from a.example.org (a.example.org [192.0.2.1]) by mx.example.net with ESMTPS; Tue, 14 May 2024 10:00:00 +0000\r\n" +
                "From: a@example.org\r\n");
            Assert.Contains(path.Findings, f => f.Code == "AuthResults.UnknownResult");
            Assert.Contains(path.Findings, f => f.Code == "AuthResults.Unparsable");
            Assert.Null(path.Authentication.DkimResult);
            Assert.Equal("pass", path.SpfResult);
        }

        private static Task<MessagePath> Analyze(string text) => new MessagePathAnalyzer(null).AnalyzeAsync(Encoding.UTF8.GetBytes(text), "test");
    }
}
