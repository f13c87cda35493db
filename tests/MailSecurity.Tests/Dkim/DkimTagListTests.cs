using System;
using MailSecurity.Dkim;
using Xunit;
using MailSecurity.Records;

namespace MailSecurity.Tests.Dkim
{
    /// <summary>
    /// The one RFC 6376 §3.2 tag-list parser, as the key-record parser and the DKIM-Signature/ARC verifier use it.
    /// Expected outcomes come from the §3.2 ABNF (tag-name = ALPHA *ALNUMPUNC; VALCHAR = %x21-3A / %x3C-7E;
    /// FWS = SP / HTAB / CRLF) and RFC 8616 §4 (UTF-8 in internationalized header fields).
    /// </summary>
    public class DkimTagListTests
    {
        [Fact]
        public void Values_are_read_by_name_with_folding_white_space_trimmed_and_compacted()
        {
            var tags = DkimTagList.Parse("v=1; a=rsa-sha256;\r\n\td=example.org; b=abc\r\n def ;", StringComparison.Ordinal, allowUtf8Values: true);
            Assert.Null(tags.SyntaxError);
            Assert.Equal("1", tags["v"]);
            Assert.Equal("example.org", tags["d"]);
            Assert.True(tags.Has("a"));
            Assert.False(tags.Has("A")); // RFC 6376 §3.2: tag names are case-sensitive
            Assert.Null(tags["s"]);
            Assert.Equal("abcdef", tags.Compact("b"));
            Assert.Null(tags.Compact("bh"));
            Assert.Equal(new[] { "v", "a", "d", "b" }, new[] { tags.Tags[0].Name, tags.Tags[1].Name, tags.Tags[2].Name, tags.Tags[3].Name });
        }

        [Fact]
        public void A_repeated_tag_makes_the_list_invalid_and_the_first_value_is_read()
        {
            var tags = DkimTagList.Parse("d=one.example; s=x; d=two.example", StringComparison.Ordinal);
            Assert.NotNull(tags.SyntaxError);
            Assert.Contains("'d'", tags.SyntaxError, StringComparison.Ordinal);
            Assert.Equal("one.example", tags["d"]);
        }

        [Theory]
        [InlineData("v=1; =x", "'' is not a valid tag name")]
        [InlineData("v=1; 1a=x", "'1a' is not a valid tag name")]
        [InlineData("v=1; novalue", "'novalue' is not of the form tag=value")]
        public void Malformed_parts_are_syntax_errors(string text, string expected)
        {
            Assert.Equal(expected, DkimTagList.Parse(text, StringComparison.Ordinal).SyntaxError);
        }

        [Fact]
        public void Empty_elements_are_tolerated_but_listed()
        {
            // Both former parsers skipped ";;"; the unified one keeps doing so and still lists it as a problem.
            var tags = DkimTagList.Parse("v=DKIM1;; p=abc", StringComparison.Ordinal);
            Assert.Null(tags.SyntaxError);
            Assert.Equal(1, tags.EmptyElements);
            Assert.Equal("abc", tags["p"]);
        }

        [Fact]
        public void A_control_character_in_a_value_is_a_syntax_error_even_in_a_header_field()
        {
            // RFC 6376 §3.2 VALCHAR excludes controls; the former header parser accepted them.
            var tags = DkimTagList.Parse("v=1; d=exam\u0001ple.org; s=sel", StringComparison.Ordinal, allowUtf8Values: true);
            Assert.Contains("control character \\x01", tags.SyntaxError, StringComparison.Ordinal);
            Assert.Null(tags["d"]);
        }

        [Fact]
        public void Non_ascii_values_are_allowed_in_header_fields_but_not_in_dns_records()
        {
            // RFC 8616 §4: internationalized header fields may carry UTF-8 (e.g. a U-label in i=); key records are ASCII.
            const string text = "v=1; d=example.org; i=j\u00fcrgen@example.org";
            var header = DkimTagList.Parse(text, StringComparison.Ordinal, allowUtf8Values: true);
            Assert.Null(header.SyntaxError);
            Assert.Equal("j\u00fcrgen@example.org", header["i"]);

            var record = DkimTagList.Parse(text, StringComparison.Ordinal);
            Assert.Contains("non-ASCII character U+00FC", record.SyntaxError, StringComparison.Ordinal);
        }

        [Fact]
        public void Only_folding_white_space_is_trimmed()
        {
            // FWS is SP, HTAB and CRLF (RFC 5322 §3.2.2); a form feed is not white space here but a control character.
            var tags = DkimTagList.Parse("v=1; \fd=example.org", StringComparison.Ordinal, allowUtf8Values: true);
            Assert.NotNull(tags.SyntaxError);
            Assert.False(tags.Has("d"));
        }
    }
}
