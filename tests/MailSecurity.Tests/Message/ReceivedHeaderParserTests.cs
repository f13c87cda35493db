using System;
using System.Diagnostics;
using System.Linq;
using MailSecurity.Message;
using Xunit;

namespace MailSecurity.Tests.Message
{
    /// <summary>
    /// The Received parser on single fields: the RFC 5321 §4.4 grammar, the MTA variants named in SPEC §7.6/§7.7,
    /// and hostile input. Expected values are read off the field text by hand.
    /// </summary>
    public class ReceivedHeaderParserTests
    {
        [Fact]
        public void Rfc5321_stamp_yields_every_clause()
        {
            var f = ReceivedHeaderParser.Parse("from client.example.org (client.example.org [192.0.2.7]) by mx.example.net via TCP with ESMTPS id ABC123 for <bob@example.net>; Tue, 14 May 2024 10:00:00 +0000");
            Assert.True(f.Parsed);
            Assert.Equal("client.example.org", f.From);
            Assert.Equal("client.example.org", f.FromReverseName);
            Assert.Equal("192.0.2.7", f.FromAddress);
            Assert.Equal("mx.example.net", f.By);
            Assert.Equal("TCP", f.Via);
            Assert.Equal("ESMTPS", f.With);
            Assert.Equal("ABC123", f.Id);
            Assert.Equal("<bob@example.net>", f.For);
            Assert.Equal(HopTls.Encrypted, f.Tls);
            Assert.Equal(TlsEvidence.WithKeyword, f.TlsEvidence);
            Assert.Equal(new DateTimeOffset(2024, 5, 14, 10, 0, 0, TimeSpan.Zero), f.Timestamp);
            Assert.Equal(ReceivedDateState.Valid, f.DateState);
            Assert.Empty(f.Findings);
        }

        [Fact]
        public void Clauses_are_accepted_in_any_order()
        {
            var f = ReceivedHeaderParser.Parse("by mx.example.net with ESMTP id 7 from relay.example.org ([192.0.2.8]); Tue, 14 May 2024 10:00:00 +0000");
            Assert.Equal("relay.example.org", f.From);
            Assert.Equal("192.0.2.8", f.FromAddress);
            Assert.Equal("mx.example.net", f.By);
            Assert.Equal(HopTls.Cleartext, f.Tls);
        }

        [Theory]
        [InlineData("[IPv6:2001:db8::1]", "2001:db8::1")]
        [InlineData("[2001:db8::25]", "2001:db8::25")]
        [InlineData("[192.0.2.1]:54321", "192.0.2.1")]
        [InlineData("[IPv6:2001:db8:0:0:0:0:0:1]", "2001:db8::1")]
        public void Address_literals_are_normalised(string literal, string expected)
        {
            var f = ReceivedHeaderParser.Parse($"from a.example.org (a.example.org {literal}) by b.example.net with ESMTPS; Tue, 14 May 2024 10:00:00 +0000");
            Assert.Equal(expected, f.FromAddress);
        }

        [Fact]
        public void Postfix_tls_comment_gives_version_and_cipher()
        {
            var f = ReceivedHeaderParser.Parse("from mail.example.org (mail.example.org [192.0.2.10])\r\n\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)\r\n\t key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256)\r\n\t(No client certificate requested)\r\n\tby mx.example.net (Postfix) with ESMTPS id 4Vdxyz1Abc\r\n\tfor <bob@example.net>; Tue, 14 May 2024 10:00:00 +0000 (UTC)");
            Assert.Equal(HopTls.Encrypted, f.Tls);
            Assert.Equal(TlsEvidence.TlsComment, f.TlsEvidence);
            Assert.Equal("TLSv1.3", f.TlsVersion);
            Assert.Equal("TLS_AES_256_GCM_SHA384", f.Cipher);
            Assert.Equal("Postfix", f.Software);
        }

        [Fact]
        public void Postfix_authenticated_sender_marks_submission()
        {
            var f = ReceivedHeaderParser.Parse("from [192.0.2.55] (unknown [198.51.100.7]) (Authenticated sender: alice@example.org) by smtp.example.org (Postfix) with ESMTPSA id 4VdAbc; Tue, 14 May 2024 10:00:00 +0200");
            Assert.True(f.Authenticated);
            Assert.Equal("alice@example.org", f.AuthenticatedUser);
            Assert.Equal("[192.0.2.55]", f.From);
            Assert.Null(f.FromReverseName);
            Assert.Equal("198.51.100.7", f.FromAddress);
        }

        [Fact]
        public void Exim_tls_clause_and_helo_comment()
        {
            var f = ReceivedHeaderParser.Parse("from mail.example.org ([192.0.2.10] helo=relay.example.org) by mx.example.net with esmtps  (TLS1.3) tls TLS_AES_256_GCM_SHA384 (Exim 4.96) (envelope-from <alice@example.org>) id 1rABCD-0001Ab-2x for bob@example.net; Tue, 14 May 2024 10:00:00 +0000");
            Assert.Equal("relay.example.org", f.From);
            Assert.Equal("mail.example.org", f.FromReverseName);
            Assert.Equal("esmtps", f.With);
            Assert.Equal("TLSv1.3", f.TlsVersion);
            Assert.Equal("TLS_AES_256_GCM_SHA384", f.Cipher);
            Assert.Equal("Exim 4.96", f.Software);
            Assert.Equal("1rABCD-0001Ab-2x", f.Id);
        }

        [Fact]
        public void Exim_legacy_version_cipher_bits_comment()
        {
            var f = ReceivedHeaderParser.Parse("from [192.0.2.10] (port=41234 helo=mail.example.org) by mx.example.net with esmtpsa (TLS1.2:ECDHE_RSA_AES_256_GCM_SHA384:256) (Exim 4.80) id 1r; Tue, 14 May 2024 10:00:00 +0000");
            Assert.Equal("mail.example.org", f.From);
            Assert.Equal("192.0.2.10", f.FromAddress);
            Assert.Equal("TLSv1.2", f.TlsVersion);
            Assert.Equal("ECDHE_RSA_AES_256_GCM_SHA384", f.Cipher);
            Assert.True(f.Authenticated);
        }

        [Fact]
        public void Sendmail_version_cipher_comment_and_authenticated_bits()
        {
            var f = ReceivedHeaderParser.Parse("from client.example.org (client.example.org [192.0.2.20]) (authenticated bits=0) by mail.example.net (8.17.1/8.17.1) with ESMTPSA id 44EA0a1B012345 (version=TLSv1.3 cipher=TLS_AES_256_GCM_SHA384 bits=256 verify=NO) for <bob@example.net>; Tue, 14 May 2024 10:00:00 +0000");
            Assert.Equal("TLSv1.3", f.TlsVersion);
            Assert.Equal("TLS_AES_256_GCM_SHA384", f.Cipher);
            Assert.True(f.Authenticated);
            Assert.Equal("sendmail 8.17.1/8.17.1", f.Software);
        }

        [Fact]
        public void Exchange_online_with_microsoft_smtp_server_and_tls()
        {
            var f = ReceivedHeaderParser.Parse("from DB8PR03CA0012.eurprd03.prod.outlook.com (2603:10a6:10:be::25)\r\n by AM0PR01MB1234.eurprd01.prod.exchangelabs.com (2603:10a6:208:ac::12) with\r\n Microsoft SMTP Server (version=TLS1_2,\r\n cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.7544.48; Tue, 14 May\r\n 2024 10:00:00 +0000");
            Assert.Equal("2603:10a6:10:be::25", f.FromAddress);
            Assert.Equal("2603:10a6:208:ac::12", f.ByAddress);
            Assert.Equal("Microsoft SMTP Server", f.With);
            Assert.Equal("TLSv1.2", f.TlsVersion);
            Assert.Equal("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", f.Cipher);
            Assert.Equal("15.20.7544.48", f.Id);
            Assert.Equal(new DateTimeOffset(2024, 5, 14, 10, 0, 0, TimeSpan.Zero), f.Timestamp);
        }

        [Fact]
        public void Exchange_without_version_comment_is_cleartext_by_product_convention()
        {
            var f = ReceivedHeaderParser.Parse("from mail.example.org (192.0.2.10) by EX01.example.net (10.0.0.5) with Microsoft SMTP Server id 15.1.2507.39 via Frontend Transport; Tue, 14 May 2024 10:00:00 +0000");
            Assert.Equal(HopTls.Cleartext, f.Tls);
            Assert.Equal(TlsEvidence.ProductConvention, f.TlsEvidence);
            Assert.Equal("Frontend Transport", f.Via);
            Assert.Contains(f.Findings, x => x.Code == "Received.CleartextHop");
        }

        [Fact]
        public void Gmail_version_cipher_bits_comment()
        {
            var f = ReceivedHeaderParser.Parse("from mail.example.org (mail.example.org. [192.0.2.10]) by mx.google.com with ESMTPS id x12-20020a05600c1234 for <bob@example.net> (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256); Tue, 14 May 2024 03:00:00 -0700 (PDT)");
            Assert.Equal("mail.example.org", f.FromReverseName);
            Assert.Equal("TLSv1.3", f.TlsVersion);
            Assert.Equal(new DateTimeOffset(2024, 5, 14, 3, 0, 0, TimeSpan.FromHours(-7)), f.Timestamp);
        }

        [Fact]
        public void Qmail_invoked_record_is_a_local_hop()
        {
            var f = ReceivedHeaderParser.Parse("(qmail 12345 invoked from network); 14 May 2024 10:00:00 -0000");
            Assert.True(f.Parsed);
            Assert.Equal(HopTls.Local, f.Tls);
            Assert.Equal("qmail", f.Software);
            Assert.Equal(new DateTimeOffset(2024, 5, 14, 10, 0, 0, TimeSpan.Zero), f.Timestamp);
        }

        [Fact]
        public void Qmail_helo_and_bare_address()
        {
            var f = ReceivedHeaderParser.Parse("from unknown (HELO mail.example.org) (192.0.2.10) by mx.example.net with SMTP; 14 May 2024 10:00:00 -0000");
            Assert.Equal("mail.example.org", f.From);
            Assert.Null(f.FromReverseName);
            Assert.Equal("192.0.2.10", f.FromAddress);
            Assert.Equal(HopTls.Cleartext, f.Tls);
        }

        [Fact]
        public void Qmail_tls_patch_comment_is_encrypted()
        {
            var f = ReceivedHeaderParser.Parse("from unknown (HELO mail.example.org) (192.0.2.10) (DHE-RSA-AES256-GCM-SHA384 encrypted) by mx.example.net with SMTP; 14 May 2024 10:00:00 -0000");
            Assert.Equal(HopTls.Encrypted, f.Tls);
            Assert.Equal("DHE-RSA-AES256-GCM-SHA384", f.Cipher);
        }

        [Theory]
        [InlineData("by mail.example.org (Postfix, from userid 1000) id 4Xyz; Tue, 14 May 2024 10:00:00 +0000")]
        [InlineData("(from alice@localhost) by host.example.org (8.17.1/8.17.1/Submit) id 44E; Tue, 14 May 2024 10:00:00 +0000")]
        [InlineData("from alice by host.example.org with local (Exim 4.96) (envelope-from <alice@example.org>) id 1r; Tue, 14 May 2024 10:00:00 +0000")]
        [InlineData("from localhost (localhost [127.0.0.1]) by mx.example.net (Postfix) with ESMTP id 1; Tue, 14 May 2024 10:00:00 +0000")]
        [InlineData("from mx.example.net by mx.example.net with LMTP id 2F3k; Tue, 14 May 2024 10:00:00 +0000")]
        [InlineData("from localhost (localhost [IPv6:::1]) by mx.example.net (Postfix) with ESMTP id 1; Tue, 14 May 2024 10:00:00 +0000")]
        public void Hand_offs_inside_one_host_are_local(string value)
        {
            var f = ReceivedHeaderParser.Parse(value);
            Assert.True(f.Parsed);
            Assert.Equal(HopTls.Local, f.Tls);
            Assert.Equal(TlsEvidence.LocalHop, f.TlsEvidence);
            Assert.DoesNotContain(f.Findings, x => x.Code == "Received.CleartextHop");
        }

        [Fact]
        public void Lmtp_between_two_hosts_is_cleartext()
        {
            var f = ReceivedHeaderParser.Parse("from mx.example.net by mailbox.example.net with LMTP id 2F3k (envelope-from <alice@example.org>) for <bob@example.net>; Tue, 14 May 2024 12:00:01 +0200");
            Assert.Equal(HopTls.Cleartext, f.Tls);
            Assert.Equal("mx.example.net", f.From);
            Assert.Null(f.FromAddress);
        }

        [Theory]
        [InlineData("HTTP", HopTls.Unknown, TlsEvidence.None)]
        [InlineData("HTTPS", HopTls.Encrypted, TlsEvidence.NonIanaProtocol)]
        [InlineData("SMTPSA", HopTls.Encrypted, TlsEvidence.NonIanaProtocol)]
        [InlineData("ESMTPA", HopTls.Cleartext, TlsEvidence.WithKeyword)]
        [InlineData("UTF8SMTPS", HopTls.Encrypted, TlsEvidence.WithKeyword)]
        [InlineData("LMTPSA", HopTls.Encrypted, TlsEvidence.WithKeyword)]
        [InlineData("frobnicate", HopTls.Unknown, TlsEvidence.None)]
        public void With_values_map_to_tls(string with, HopTls tls, TlsEvidence evidence)
        {
            var f = ReceivedHeaderParser.Parse($"from [198.51.100.7] by webmail.example.org with {with}; Tue, 14 May 2024 10:00:00 +0000");
            Assert.Equal(tls, f.Tls);
            Assert.Equal(evidence, f.TlsEvidence);
        }

        [Fact]
        public void Webmail_http_with_authenticated_user_comment()
        {
            var f = ReceivedHeaderParser.Parse("from 198.51.100.7 (SquirrelMail authenticated user alice) by webmail.example.org with HTTP; Tue, 14 May 2024 10:00:00 +0000");
            Assert.True(f.Authenticated);
            Assert.Equal("198.51.100.7", f.FromAddress);
            Assert.Contains(f.Findings, x => x.Code == "Received.NonIanaProtocol");
            Assert.Contains(f.Findings, x => x.Code == "Received.NoTlsInformation");
        }

        [Fact]
        public void Via_http_without_with_clause()
        {
            var f = ReceivedHeaderParser.Parse("by 10.64.1.2 via HTTP; Tue, 14 May 2024 10:00:00 +0000");
            Assert.Equal("HTTP", f.Via);
            Assert.Null(f.With);
            Assert.Equal(HopTls.Local, f.Tls);
        }

        [Fact]
        public void Comments_nested_in_comments_do_not_break_the_clauses()
        {
            var f = ReceivedHeaderParser.Parse("from client.example.org (client.example.org [192.0.2.20] (may be forged (really))) by mail.example.net (8.17.1/8.17.1) with ESMTPS id X (version=TLSv1.2 cipher=ECDHE-RSA-AES256-GCM-SHA384 bits=256 verify=NOT) for <bob@example.net>; Tue, 14 May 2024 10:00:00 +0000");
            Assert.Equal("client.example.org", f.From);
            Assert.Equal("192.0.2.20", f.FromAddress);
            Assert.Equal("mail.example.net", f.By);
            Assert.Equal("TLSv1.2", f.TlsVersion);
            Assert.Equal("<bob@example.net>", f.For);
        }

        [Fact]
        public void Semicolons_inside_comments_do_not_start_the_date()
        {
            var f = ReceivedHeaderParser.Parse("from a.example.org (a.example.org [192.0.2.1]) (comment; with; semicolons) by b.example.net with ESMTPS id 1; Tue, 14 May 2024 10:00:00 +0000");
            Assert.Equal("b.example.net", f.By);
            Assert.Equal(new DateTimeOffset(2024, 5, 14, 10, 0, 0, TimeSpan.Zero), f.Timestamp);
        }

        [Theory]
        [InlineData("from a.example.org by b.example.net with ESMTP id 1", ReceivedDateState.Missing)]
        [InlineData("from a.example.org by b.example.net with ESMTP id 1;", ReceivedDateState.Missing)]
        [InlineData("from a.example.org by b.example.net with ESMTP id 1; Tue, 14 May 2024 25:00:00 +0000", ReceivedDateState.Invalid)]
        [InlineData("from a.example.org by b.example.net with ESMTP id 1; Tue, 31 Feb 2024 10:00:00 +0000", ReceivedDateState.Invalid)]
        [InlineData("from a.example.org by b.example.net with ESMTP id 1; yesterday", ReceivedDateState.Invalid)]
        [InlineData("from a.example.org by b.example.net with ESMTP id 1; Tue, 14 May 24 10:00:00 +0000", ReceivedDateState.Obsolete)]
        [InlineData("from a.example.org by b.example.net with ESMTP id 1; Tue, 14 May 2024 10:00:00 EST", ReceivedDateState.Obsolete)]
        [InlineData("from a.example.org by b.example.net with ESMTP id 1; Tue, 14 May 2024 10:00:00", ReceivedDateState.Obsolete)]
        [InlineData("from a.example.org by b.example.net with ESMTP id 1; 14 May 2024 10:00 -0000", ReceivedDateState.Valid)]
        public void Date_states(string value, ReceivedDateState expected)
        {
            var f = ReceivedHeaderParser.Parse(value);
            Assert.Equal(expected, f.DateState);
            var code = expected switch
            {
                ReceivedDateState.Missing => "Received.MissingDate",
                ReceivedDateState.Invalid => "Received.InvalidDate",
                ReceivedDateState.Obsolete => "Received.ObsoleteDate",
                _ => null,
            };
            if (code is null)
            {
                Assert.NotNull(f.Timestamp);
                Assert.DoesNotContain(f.Findings, x => x.Code.EndsWith("Date", StringComparison.Ordinal));
            }
            else
            {
                Assert.Contains(f.Findings, x => x.Code == code);
                Assert.Equal(expected == ReceivedDateState.Obsolete, f.Timestamp.HasValue);
            }
        }

        [Fact]
        public void Obsolete_zone_is_applied_as_RFC5322_section_4_3_defines()
        {
            // EST = -0500 (RFC 5322 §4.3).
            var f = ReceivedHeaderParser.Parse("from a.example.org by b.example.net with ESMTP; Tue, 14 May 2024 10:00:00 EST");
            Assert.Equal(new DateTimeOffset(2024, 5, 14, 15, 0, 0, TimeSpan.Zero), f.Timestamp!.Value.ToUniversalTime());
        }

        [Theory]
        [InlineData("TLS1_2", "TLSv1.2")]
        [InlineData("TLSv1.3", "TLSv1.3")]
        [InlineData("TLS1.3", "TLSv1.3")]
        [InlineData("TLSv1", "TLSv1.0")]
        [InlineData("tls1_1", "TLSv1.1")]
        [InlineData("SSLv3", "SSLv3")]
        [InlineData("QUIC", "QUIC")]
        [InlineData("TLS-1.0", "TLSv1.0")]
        [InlineData("TLSv1/SSLv3", "TLSv1/SSLv3")]
        public void Tls_versions_are_normalised(string raw, string expected)
            => Assert.Equal(expected, MailSecurity.Message.Received.TlsVersionText.Normalize(raw));

        [Fact]
        public void Weak_tls_versions_are_flagged()
        {
            var f = ReceivedHeaderParser.Parse("from a.example.org (a.example.org [192.0.2.1]) (using TLSv1 with cipher AES256-SHA (256/256 bits)) by b.example.net (Postfix) with ESMTPS id 1; Tue, 14 May 2024 10:00:00 +0000");
            Assert.Equal("TLSv1.0", f.TlsVersion);
            Assert.Contains(f.Findings, x => x.Code == "Received.WeakTlsVersion");
        }

        [Theory]
        [InlineData("from x.example.org (x.example.org [0.0.0.0]) by mx.example.net with ESMTP; Tue, 14 May 2024 10:00:00 +0000")]
        [InlineData("from x.example.org (x.example.org [240.1.2.3]) by mx.example.net with ESMTP; Tue, 14 May 2024 10:00:00 +0000")]
        [InlineData("from x.example.org (x.example.org [224.0.0.5]) by mx.example.net with ESMTP; Tue, 14 May 2024 10:00:00 +0000")]
        [InlineData("from x.example.org (x.example.org [300.1.2.3]) by mx.example.net with ESMTP; Tue, 14 May 2024 10:00:00 +0000")]
        [InlineData("from x.example.org (x.example.org [IPv6:ff02::1]) by mx.example.net with ESMTP; Tue, 14 May 2024 10:00:00 +0000")]
        public void Unroutable_or_invalid_client_addresses_look_forged(string value)
            => Assert.Contains(ReceivedHeaderParser.Parse(value).Findings, x => x.Code == "Received.ForgedLooking");

        [Fact]
        public void Client_greeting_with_the_receivers_own_name_looks_forged()
        {
            var f = ReceivedHeaderParser.Parse("from mx.example.net (unknown [203.0.113.66]) by mx.example.net (Postfix) with ESMTP id 1; Tue, 14 May 2024 10:00:00 +0000");
            Assert.Contains(f.Findings, x => x.Code == "Received.ForgedLooking");
            Assert.NotEqual(HopTls.Local, f.Tls);
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("garbage without any clause")]
        [InlineData(";;;;")]
        [InlineData("(((((")]
        [InlineData(")))) by")]
        [InlineData("\u0001\u0002 from \u0000 by \u0007;")]
        public void Unparseable_fields_are_kept_raw_with_a_finding(string value)
        {
            var f = ReceivedHeaderParser.Parse(value);
            Assert.Equal(value.Replace("\r", string.Empty).Replace("\n", string.Empty).Trim(), f.Raw);
            if (!f.Parsed)
            {
                Assert.Contains(f.Findings, x => x.Code == "Received.Unparsed");
            }
        }

        [Fact]
        public void Unbalanced_parentheses_are_reported_but_earlier_clauses_survive()
        {
            var f = ReceivedHeaderParser.Parse("from a.example.org (a.example.org [192.0.2.1] by b.example.net with ESMTP; Tue, 14 May 2024 10:00:00 +0000");
            Assert.True(f.Parsed);
            Assert.Equal("a.example.org", f.From);
            Assert.Contains(f.Findings, x => x.Code == "Received.Unparsed");
        }

        [Fact]
        public void Hostile_sizes_and_nesting_finish_quickly()
        {
            var deep = "from a.example.org " + new string('(', 5000) + "x" + new string(')', 5000) + " by b.example.net with ESMTP; Tue, 14 May 2024 10:00:00 +0000";
            var wide = "from a.example.org (" + string.Join(" ", Enumerable.Repeat("word", 20000)) + ") by b.example.net with ESMTP; Tue, 14 May 2024 10:00:00 +0000";
            var longAtom = "from " + new string('a', 100_000) + " by b.example.net; Tue, 14 May 2024 10:00:00 +0000";
            var sw = Stopwatch.StartNew();
            var a = ReceivedHeaderParser.Parse(deep);
            var b = ReceivedHeaderParser.Parse(wide);
            var c = ReceivedHeaderParser.Parse(longAtom);
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), sw.Elapsed.ToString());
            Assert.Equal("b.example.net", a.By);
            Assert.Equal("b.example.net", b.By);
            Assert.Equal(longAtom, c.Raw);
            Assert.Equal("b.example.net", c.By);
        }

        [Fact]
        public void Non_ascii_names_are_kept_as_written()
        {
            var f = ReceivedHeaderParser.Parse("from mail.bücher.example (mail.bücher.example [192.0.2.9]) by mx.example.net with UTF8SMTPS id 1; Tue, 14 May 2024 10:00:00 +0000");
            Assert.Equal("mail.bücher.example", f.From);
            Assert.Equal(HopTls.Encrypted, f.Tls);
        }
    }
}
