using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailSecurity.Dkim;
using MailSecurity.Message;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using MailSecurity.Tests.Dns;
using Xunit;

namespace MailSecurity.Tests.Dkim
{
    /// <summary>
    /// DKIM and ARC verification end to end: messages signed here with MimeKit's DkimSigner/ArcSigner and keys
    /// generated here, keys served by a loopback DNS responder, verified through the real DnsResolver.
    /// Expected verdicts follow from RFC 6376 §6.1, RFC 8301 §3 and RFC 8617 §5.2, not from the code under test.
    /// </summary>
    public sealed class SignatureVerificationTests
    {
        private static readonly string[] SignedFields = { "From", "To", "Subject", "Date", "Message-ID" };
        private static readonly Lazy<AsymmetricCipherKeyPair> Rsa2048 = new Lazy<AsymmetricCipherKeyPair>(() => Rsa(2048));
        private static readonly Lazy<AsymmetricCipherKeyPair> Rsa2048b = new Lazy<AsymmetricCipherKeyPair>(() => Rsa(2048));
        private static readonly Lazy<AsymmetricCipherKeyPair> Rsa512 = new Lazy<AsymmetricCipherKeyPair>(() => Rsa(512));
        private static readonly Lazy<AsymmetricCipherKeyPair> Ed = new Lazy<AsymmetricCipherKeyPair>(() =>
        {
            var g = new Ed25519KeyPairGenerator();
            g.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
            return g.GenerateKeyPair();
        });

        private readonly ScriptedZone _dns = new ScriptedZone();

        public SignatureVerificationTests()
        {
            _dns.Txt("s2048._domainkey.example.org", "v=DKIM1; k=rsa; p=" + PublicKey(Rsa2048.Value));
            _dns.Txt("ed._domainkey.example.org", "v=DKIM1; k=ed25519; p=" + PublicKey(Ed.Value));
            _dns.Txt("short._domainkey.example.org", "v=DKIM1; k=rsa; p=" + PublicKey(Rsa512.Value));
            _dns.Txt("revoked._domainkey.example.org", "v=DKIM1; k=rsa; p=");
            _dns.Txt("tlsrpt._domainkey.example.org", "v=DKIM1; k=rsa; s=tlsrpt; p=" + PublicKey(Rsa2048.Value));
            _dns.Txt("sha1only._domainkey.example.org", "v=DKIM1; k=rsa; h=sha1; p=" + PublicKey(Rsa2048.Value));
            _dns.Txt("testing._domainkey.example.org", "v=DKIM1; k=rsa; t=y; p=" + PublicKey(Rsa2048.Value));
            _dns.Txt("wrongtype._domainkey.example.org", "v=DKIM1; k=rsa; p=" + PublicKey(Rsa2048.Value));
            _dns.Txt("arc1._domainkey.relay.example.net", "v=DKIM1; k=rsa; p=" + PublicKey(Rsa2048.Value));
            _dns.Txt("arc2._domainkey.list.example.com", "v=DKIM1; k=rsa; p=" + PublicKey(Rsa2048b.Value));
            _dns.Txt("ctlnote._domainkey.example.org", "v=DKIM1; k=rsa; n=a\u0001b; p=" + PublicKey(Rsa2048.Value));
            _dns.Txt("revokedodd._domainkey.example.org", "v=DKIM1; k=future; p=");
            _dns.ServFail("broken._domainkey.example.org");
        }

        [Fact]
        public async Task Rsa2048_signature_passes_with_both_hashes_checked()
        {
            var path = await AnalyzeAsync(Serialize(Signed("s2048", Rsa2048.Value)));
            var sig = Assert.Single(path.Authentication.DkimSignatures);
            Assert.Equal(DkimResult.Pass, sig.Result);
            Assert.Equal("example.org", sig.Domain);
            Assert.Equal("s2048", sig.Selector);
            Assert.Equal("rsa-sha256", sig.Algorithm);
            Assert.Equal(2048, sig.KeyBits);
            Assert.True(sig.BodyHashVerified);
            Assert.True(sig.HeaderSignatureVerified);
            Assert.Equal(DkimResult.Pass, path.DkimVerified);
            Assert.Equal("example.org", path.Authentication.DkimPassDomains);
            Assert.Contains(path.Findings, f => f.Code == "Dkim.SignaturePassed");
        }

        [Fact]
        public async Task Ed25519_signature_passes()
        {
            var path = await AnalyzeAsync(Serialize(Signed("ed", Ed.Value, DkimSignatureAlgorithm.Ed25519Sha256)));
            var sig = Assert.Single(path.Authentication.DkimSignatures);
            Assert.Equal(DkimResult.Pass, sig.Result);
            Assert.Equal("ed25519-sha256", sig.Algorithm);
            Assert.Equal(256, sig.KeyBits);
        }

        [Fact]
        public async Task Body_changed_after_signing_fails_on_the_body_hash()
        {
            var text = Serialize(Signed("s2048", Rsa2048.Value)).Replace("meet at noon", "meet at nine");
            var sig = Assert.Single((await AnalyzeAsync(text)).Authentication.DkimSignatures);
            Assert.Equal(DkimResult.Fail, sig.Result);
            Assert.False(sig.BodyHashVerified);
            Assert.Null(sig.HeaderSignatureVerified);
            Assert.Contains("body hash", sig.Reason, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Signed_header_changed_after_signing_fails_on_the_header_signature()
        {
            var text = Serialize(Signed("s2048", Rsa2048.Value)).Replace("Subject: Lunch", "Subject: Invoice");
            var path = await AnalyzeAsync(text);
            var sig = Assert.Single(path.Authentication.DkimSignatures);
            Assert.Equal(DkimResult.Fail, sig.Result);
            Assert.True(sig.BodyHashVerified);
            Assert.False(sig.HeaderSignatureVerified);
            Assert.Contains(path.Findings, f => f.Code == "Dkim.SignatureFailed");
        }

        [Fact]
        public async Task Rsa_sha1_signature_fails_as_RFC8301_requires()
        {
            var path = await AnalyzeAsync(Serialize(Signed("s2048", Rsa2048.Value, DkimSignatureAlgorithm.RsaSha1)));
            var sig = Assert.Single(path.Authentication.DkimSignatures);
            Assert.Equal("rsa-sha1", sig.Algorithm);
            Assert.Equal(DkimResult.Fail, sig.Result);
            Assert.Contains("RFC 8301", sig.Reason, StringComparison.Ordinal);
            Assert.Contains(path.Findings, f => f.Code == "Dkim.Sha1Signature");
        }

        [Fact]
        public async Task Rsa_key_under_1024_bits_fails_as_RFC8301_requires()
        {
            var path = await AnalyzeAsync(Serialize(Signed("short", Rsa512.Value)));
            var sig = Assert.Single(path.Authentication.DkimSignatures);
            Assert.Equal(DkimResult.Fail, sig.Result);
            Assert.Equal(512, sig.KeyBits);
            Assert.Contains(path.Findings, f => f.Code == "Dkim.SignatureKeyTooShort");
        }

        [Fact]
        public async Task Missing_key_is_a_permanent_error_not_a_temporary_one()
        {
            var sig = Assert.Single((await AnalyzeAsync(Serialize(Signed("absent", Rsa2048.Value)))).Authentication.DkimSignatures);
            Assert.Equal(DkimResult.PermError, sig.Result);
            Assert.Contains("no key for signature", sig.Reason, StringComparison.Ordinal);
            Assert.Contains("NXDOMAIN", sig.Reason, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Servfail_on_the_key_is_a_temporary_error_never_no_key()
        {
            var path = await AnalyzeAsync(Serialize(Signed("broken", Rsa2048.Value)));
            var sig = Assert.Single(path.Authentication.DkimSignatures);
            Assert.Equal(DkimResult.TempError, sig.Result);
            Assert.Contains("SERVFAIL", sig.Reason, StringComparison.Ordinal);
            Assert.Contains(path.Findings, f => f.Code == "Dkim.SignatureTempError");
            Assert.DoesNotContain(path.Findings, f => f.Code == "Dkim.SignaturePermError");
        }

        [Fact]
        public async Task Revoked_key_is_a_permanent_error()
        {
            var sig = Assert.Single((await AnalyzeAsync(Serialize(Signed("revoked", Rsa2048.Value)))).Authentication.DkimSignatures);
            Assert.Equal(DkimResult.PermError, sig.Result);
            Assert.Contains("revoked", sig.Reason, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Key_record_with_a_control_character_is_a_key_syntax_error()
        {
            // RFC 6376 §3.6.1 n= is qp-section (no controls); §6.1.2: a record not in that format is PERMFAIL (key syntax
            // error). Message mode now judges key records with the same parser as Get-MailAuthRecords.
            var sig = Assert.Single((await AnalyzeAsync(Serialize(Signed("ctlnote", Rsa2048.Value)))).Authentication.DkimSignatures);
            Assert.Equal(DkimResult.PermError, sig.Result);
            Assert.Contains("key syntax error", sig.Reason, StringComparison.Ordinal);
            Assert.Contains("control character", sig.Reason, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Empty_p_is_a_revoked_key_even_with_an_unknown_key_type()
        {
            // RFC 6376 §6.1.2 checks "key revoked" before "inappropriate key algorithm".
            var sig = Assert.Single((await AnalyzeAsync(Serialize(Signed("revokedodd", Rsa2048.Value)))).Authentication.DkimSignatures);
            Assert.Equal(DkimResult.PermError, sig.Result);
            Assert.Contains("revoked", sig.Reason, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Key_for_another_service_is_ignored()
        {
            var sig = Assert.Single((await AnalyzeAsync(Serialize(Signed("tlsrpt", Rsa2048.Value)))).Authentication.DkimSignatures);
            Assert.Equal(DkimResult.PermError, sig.Result);
            Assert.Contains("s=tlsrpt", sig.Reason, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Key_restricted_to_sha1_cannot_verify_sha256()
        {
            var sig = Assert.Single((await AnalyzeAsync(Serialize(Signed("sha1only", Rsa2048.Value)))).Authentication.DkimSignatures);
            Assert.Equal(DkimResult.PermError, sig.Result);
            Assert.Contains("inappropriate hash", sig.Reason, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Ed25519_signature_against_an_rsa_key_is_an_inappropriate_key_algorithm()
        {
            var sig = Assert.Single((await AnalyzeAsync(Serialize(Signed("wrongtype", Ed.Value, DkimSignatureAlgorithm.Ed25519Sha256)))).Authentication.DkimSignatures);
            Assert.Equal(DkimResult.PermError, sig.Result);
            Assert.Contains("inappropriate key algorithm", sig.Reason, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Testing_key_still_verifies_but_is_flagged()
        {
            var path = await AnalyzeAsync(Serialize(Signed("testing", Rsa2048.Value)));
            var sig = Assert.Single(path.Authentication.DkimSignatures);
            Assert.Equal(DkimResult.Pass, sig.Result);
            Assert.True(sig.KeyTesting);
            Assert.Contains(path.Findings, f => f.Code == "Dkim.KeyTestingMode");
        }

        [Fact]
        public async Task Headers_only_checks_the_header_signature_and_reports_neutral()
        {
            var text = Serialize(Signed("s2048", Rsa2048.Value));
            var headersOnly = text.Substring(0, text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 2);
            var path = await AnalyzeAsync(headersOnly);
            Assert.False(path.BodyAvailable);
            var sig = Assert.Single(path.Authentication.DkimSignatures);
            Assert.Equal(DkimResult.Neutral, sig.Result);
            Assert.True(sig.HeaderSignatureVerified);
            Assert.Null(sig.BodyHashVerified);
            Assert.Contains(path.Findings, f => f.Code == "Message.BodyUnavailable");
        }

        [Fact]
        public async Task Malformed_signature_without_from_in_h_is_a_permanent_error()
        {
            var text = Serialize(Signed("s2048", Rsa2048.Value));
            // RFC 6376 §5.4: From MUST be signed. Drop it from h= (the signature is then also invalid, but syntax comes first).
            var start = text.IndexOf("h=", text.IndexOf("DKIM-Signature:", StringComparison.Ordinal), StringComparison.Ordinal);
            var end = text.IndexOf(';', start);
            var broken = text.Substring(0, start) + "h=to:subject" + text.Substring(end);
            var sig = Assert.Single((await AnalyzeAsync(broken)).Authentication.DkimSignatures);
            Assert.Equal(DkimResult.PermError, sig.Result);
            Assert.Contains("From field is not signed", sig.Reason, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Control_character_in_a_signature_tag_is_a_syntax_error_not_a_failed_signature()
        {
            // RFC 6376 §3.2: VALCHAR excludes controls, so the tag-list is malformed (PERMFAIL, §6.1.1) before any crypto.
            var text = Serialize(Signed("s2048", Rsa2048.Value));
            var start = text.IndexOf("DKIM-Signature:", StringComparison.Ordinal) + "DKIM-Signature:".Length;
            var broken = text.Substring(0, start) + " x=a\u0001b;" + text.Substring(start);
            var sig = Assert.Single((await AnalyzeAsync(broken)).Authentication.DkimSignatures);
            Assert.Equal(DkimResult.PermError, sig.Result);
            Assert.Contains("control character", sig.Reason, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Unsigned_message_has_no_dkim_verdict_and_says_so()
        {
            var path = await AnalyzeAsync(Serialize(NewMessage()));
            Assert.Empty(path.Authentication.DkimSignatures);
            Assert.Equal(DkimResult.None, path.DkimVerified);
            Assert.Contains(path.Findings, f => f.Code == "Dkim.NoSignature");
            Assert.Equal(ArcResult.None, path.ArcVerified);
        }

        [Fact]
        public async Task Dual_signed_message_verifies_both_and_the_bound_on_signatures_is_reported()
        {
            var message = Signed("s2048", Rsa2048.Value);
            var second = new DkimSigner(Ed.Value.Private, "example.org", "ed", DkimSignatureAlgorithm.Ed25519Sha256)
            {
                HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
                BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            };
            second.Sign(message, SignedFields);
            var text = Serialize(message);

            var both = await AnalyzeAsync(text);
            Assert.Equal(new[] { DkimResult.Pass, DkimResult.Pass }, both.Authentication.DkimSignatures.Select(s => s.Result));
            Assert.Equal(new[] { "ed25519-sha256", "rsa-sha256" }, both.Authentication.DkimSignatures.Select(s => s.Algorithm));

            var options = new MessagePathOptions { MaxSignatures = 1 };
            var bounded = await new MessagePathAnalyzer(_dns, options).AnalyzeAsync(Encoding.UTF8.GetBytes(text), "bounded");
            Assert.Single(bounded.Authentication.DkimSignatures);
            Assert.Contains(bounded.Findings, f => f.Code == "Dkim.TooManySignatures");
        }

        [Fact]
        public async Task Keys_are_looked_up_once_per_run()
        {
            var text = Serialize(Signed("s2048", Rsa2048.Value));
            var analyzer = new MessagePathAnalyzer(_dns);
            await analyzer.AnalyzeAsync(Encoding.UTF8.GetBytes(text), "first");
            var after = _dns.Queries.Count;
            var again = await analyzer.AnalyzeAsync(Encoding.UTF8.GetBytes(text), "second");
            Assert.Equal(DkimResult.Pass, again.DkimVerified);
            Assert.Equal(after, _dns.Queries.Count);
        }

        [Fact]
        public async Task Arc_chain_of_two_sets_passes_with_oldest_pass_zero()
        {
            var message = NewMessage();
            await Seal(message, "relay.example.net", "arc1", Rsa2048.Value, "pass");
            await Seal(message, "list.example.com", "arc2", Rsa2048b.Value, "pass");
            var path = await AnalyzeAsync(Serialize(message));
            var arc = path.Authentication.Arc!;
            Assert.Equal(ArcResult.Pass, arc.Result);
            Assert.Equal(2, arc.SetCount);
            Assert.Equal(0, arc.OldestPass);
            Assert.Equal(new[] { 1, 2 }, arc.Sets.Select(s => s.Instance));
            Assert.Equal("none", arc.Sets[0].ChainValidation);
            Assert.Equal("pass", arc.Sets[1].ChainValidation);
            Assert.All(arc.Sets, s => Assert.True(s.SealVerified));
            Assert.Contains(path.Findings, f => f.Code == "Arc.ChainPassed");
        }

        [Fact]
        public async Task Arc_chain_passes_but_oldest_pass_moves_up_when_a_relay_changed_the_body()
        {
            // RFC 8617 §5.2 step 5: AMS 1 no longer validates after the body change, so oldest-pass = 1 + 1.
            var message = NewMessage();
            await Seal(message, "relay.example.net", "arc1", Rsa2048.Value, "pass");
            ((TextPart)message.Body!).Text = "Let us meet at noon.\r\n-- \r\nSent through the list\r\n";
            await Seal(message, "list.example.com", "arc2", Rsa2048b.Value, "pass");
            var arc = (await AnalyzeAsync(Serialize(message))).Authentication.Arc!;
            Assert.Equal(ArcResult.Pass, arc.Result);
            Assert.Equal(2, arc.OldestPass);
        }

        [Fact]
        public async Task Arc_chain_whose_newest_seal_says_fail_fails()
        {
            var message = NewMessage();
            await Seal(message, "relay.example.net", "arc1", Rsa2048.Value, "pass");
            await Seal(message, "list.example.com", "arc2", Rsa2048b.Value, "fail");
            var path = await AnalyzeAsync(Serialize(message));
            var arc = path.Authentication.Arc!;
            Assert.Equal(ArcResult.Fail, arc.Result);
            Assert.Contains("cv=fail", arc.Reason, StringComparison.Ordinal);
            Assert.Contains(path.Findings, f => f.Code == "Arc.ChainFailed");
        }

        [Fact]
        public async Task Arc_chain_with_a_tampered_authentication_results_fails_on_the_seal()
        {
            var message = NewMessage();
            await Seal(message, "relay.example.net", "arc1", Rsa2048.Value, "pass");
            var text = Serialize(message).Replace("spf=pass", "spf=fail");
            var arc = (await AnalyzeAsync(text)).Authentication.Arc!;
            Assert.Equal(ArcResult.Fail, arc.Result);
            Assert.False(arc.Sets[0].SealVerified);
            Assert.Contains("ARC-Seal", arc.Reason, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Arc_chain_with_a_missing_key_fails_permanently()
        {
            var message = NewMessage();
            await Seal(message, "relay.example.net", "nokey", Rsa2048.Value, "pass");
            var arc = (await AnalyzeAsync(Serialize(message))).Authentication.Arc!;
            Assert.Equal(ArcResult.Fail, arc.Result);
            Assert.Contains("nokey._domainkey.relay.example.net", arc.Reason, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Arc_chain_from_headers_only_is_not_verified_but_its_seals_are()
        {
            var message = NewMessage();
            await Seal(message, "relay.example.net", "arc1", Rsa2048.Value, "pass");
            var text = Serialize(message);
            var arc = (await AnalyzeAsync(text.Substring(0, text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 2))).Authentication.Arc!;
            Assert.Equal(ArcResult.NotVerified, arc.Result);
            Assert.True(arc.Sets[0].SealVerified);
        }

        [Fact]
        public async Task Without_a_resolver_nothing_is_verified_and_no_dns_is_used()
        {
            var before = _dns.Queries.Count;
            var path = await new MessagePathAnalyzer(null).AnalyzeAsync(Encoding.UTF8.GetBytes(Serialize(Signed("s2048", Rsa2048.Value))), "offline");
            Assert.False(path.Authentication.SignaturesVerified);
            Assert.Empty(path.Authentication.DkimSignatures);
            Assert.Null(path.Authentication.Arc);
            Assert.Equal(before, _dns.Queries.Count);
        }

        private Task<MessagePath> AnalyzeAsync(string text)
            => new MessagePathAnalyzer(_dns).AnalyzeAsync(Encoding.UTF8.GetBytes(text), "test");

        private static MimeMessage NewMessage()
        {
            var message = new MimeMessage();
            message.From.Add(new MailboxAddress("Alice", "alice@example.org"));
            message.To.Add(new MailboxAddress("Bob", "bob@example.net"));
            message.Subject = "Lunch";
            message.Date = new DateTimeOffset(2024, 5, 14, 10, 0, 0, TimeSpan.Zero);
            message.MessageId = "lunch-1@example.org";
            message.Headers.Insert(0, new Header(HeaderId.Received, "from mail.example.org (mail.example.org [192.0.2.10]) by mx.example.net (Postfix) with ESMTPS id 4Vd1; Tue, 14 May 2024 10:00:02 +0000"));
            message.Body = new TextPart("plain") { Text = "Let us meet at noon.\r\n" };
            return message;
        }

        private static MimeMessage Signed(string selector, AsymmetricCipherKeyPair key, DkimSignatureAlgorithm algorithm = DkimSignatureAlgorithm.RsaSha256)
        {
            var message = NewMessage();
            var signer = new DkimSigner(key.Private, "example.org", selector, algorithm)
            {
                HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
                BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            };
            message.Prepare(EncodingConstraint.SevenBit);
            signer.Sign(message, SignedFields);
            return message;
        }

        private static async Task Seal(MimeMessage message, string domain, string selector, AsymmetricCipherKeyPair key, string chainResult)
        {
            var sealer = new TestArcSigner(key.Private, domain, selector, chainResult)
            {
                HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
                BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            };
            message.Prepare(EncodingConstraint.SevenBit);
            await sealer.SignAsync(message, SignedFields);
        }

        private static string Serialize(MimeMessage message)
        {
            using var stream = new MemoryStream();
            var options = FormatOptions.Default.Clone();
            options.NewLineFormat = NewLineFormat.Dos;
            message.WriteTo(options, stream);
            return Encoding.UTF8.GetString(stream.ToArray());
        }

        private static AsymmetricCipherKeyPair Rsa(int bits)
        {
            var g = new RsaKeyPairGenerator();
            g.Init(new KeyGenerationParameters(new SecureRandom(), bits));
            return g.GenerateKeyPair();
        }

        private static string PublicKey(AsymmetricCipherKeyPair pair)
            => pair.Public is Ed25519PublicKeyParameters ed
                ? Convert.ToBase64String(ed.GetEncoded())
                : Convert.ToBase64String(SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(pair.Public).GetEncoded());

        /// <summary>An ARC sealer that records fixed results (MimeKit's ArcSigner leaves them to the host).</summary>
        private sealed class TestArcSigner : ArcSigner
        {
            private readonly string _chainResult;

            public TestArcSigner(AsymmetricKeyParameter key, string domain, string selector, string chainResult)
                : base(key, domain, selector, DkimSignatureAlgorithm.RsaSha256) => _chainResult = chainResult;

            protected override AuthenticationResults GenerateArcAuthenticationResults(FormatOptions options, MimeMessage message, CancellationToken cancellationToken)
            {
                var results = new AuthenticationResults(Domain);
                results.Results.Add(new AuthenticationMethodResult("spf", "pass"));
                results.Results.Add(new AuthenticationMethodResult("arc", _chainResult));
                return results;
            }

            protected override Task<AuthenticationResults> GenerateArcAuthenticationResultsAsync(FormatOptions options, MimeMessage message, CancellationToken cancellationToken)
                => Task.FromResult(GenerateArcAuthenticationResults(options, message, cancellationToken));
        }
    }
}
