using MailSecurity.Smtp;
using Xunit;

namespace MailSecurity.Tests.Smtp
{
    /// <summary>Reply-line grammar (RFC 5321 §4.2) and EHLO keyword parsing (RFC 5321 §4.1.1.1, RFC 1870, RFC 4954).</summary>
    public class EhloCapabilitiesTests
    {
        [Theory]
        [InlineData("250-PIPELINING", 250, false, "PIPELINING")]
        [InlineData("250 CHUNKING", 250, true, "CHUNKING")]
        [InlineData("220", 220, true, "")]
        [InlineData("554 5.7.1 no", 554, true, "5.7.1 no")]
        public void Parses_well_formed_reply_lines(string line, int code, bool last, string text)
        {
            Assert.True(EhloCapabilities.TryParseReplyLine(line, out var c, out var l, out var t));
            Assert.Equal(code, c);
            Assert.Equal(last, l);
            Assert.Equal(text, t);
        }

        [Theory]
        [InlineData("SSH-2.0-OpenSSH_9.2")]
        [InlineData("HTTP/1.1 400 Bad Request")]
        [InlineData("25O OK")]
        [InlineData("2500 OK")]
        [InlineData("099 too small")]
        [InlineData("250\tOK")]
        [InlineData("")]
        public void Rejects_lines_that_are_not_SMTP_replies(string line)
        {
            Assert.False(EhloCapabilities.TryParseReplyLine(line, out _, out _, out _));
        }

        [Fact]
        public void Takes_extension_lines_after_the_greeting_line()
        {
            var caps = EhloCapabilities.FromEhloReply(new[] { "mx.example.net Hello", "PIPELINING", "SIZE 10240000", " ", "AUTH PLAIN LOGIN", "STARTTLS" });
            Assert.Equal(new[] { "PIPELINING", "SIZE 10240000", "AUTH PLAIN LOGIN", "STARTTLS" }, caps);
            Assert.True(EhloCapabilities.Has(caps, "starttls"));
            Assert.False(EhloCapabilities.Has(caps, "REQUIRETLS"));
            Assert.Equal("PLAIN LOGIN", EhloCapabilities.Parameters(caps, "AUTH"));
        }

        [Fact]
        public void Recognises_the_old_AUTH_equals_form()
        {
            Assert.Equal("AUTH", EhloCapabilities.Keyword("AUTH=LOGIN PLAIN"));
            Assert.True(EhloCapabilities.Has(new[] { "AUTH=LOGIN" }, "AUTH"));
        }

        [Theory]
        [InlineData("SIZE 52428800", 52428800L)]
        [InlineData("SIZE", 0L)]
        [InlineData("SIZE unlimited", null)]
        [InlineData("PIPELINING", null)]
        public void Reads_the_SIZE_limit(string line, long? expected)
        {
            Assert.Equal(expected, EhloCapabilities.SizeLimit(new[] { line }));
        }
    }
}
