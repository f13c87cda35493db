using Xunit;

namespace MailSecurity.Tests.Findings
{
    /// <summary>
    /// DisplayText.Shorten, written out by hand: escaping, cutting at a character boundary, and the plain short text that
    /// comes back as it was given (the bulk path's common case, which must not be copied).
    /// </summary>
    public class DisplayTextTests
    {
        [Fact]
        public void Plain_text_within_the_limit_is_returned_as_given()
        {
            var text = "v=DMARC1; p=reject";
            Assert.Same(text, DisplayText.Shorten(text));
            var exactly = new string('a', 60);
            Assert.Same(exactly, DisplayText.Shorten(exactly, 60));
        }

        [Theory]
        [InlineData("bell\u0007", "bell\\x07")]
        [InlineData("line\nbreak", "line\\x0abreak")]
        [InlineData(null, "")]
        [InlineData("", "")]
        public void Controls_and_lone_surrogates_are_escaped(string? text, string expected)
        {
            Assert.Equal(expected, DisplayText.Shorten(text));
        }

        [Fact]
        public void A_lone_surrogate_is_escaped_and_a_pair_is_kept()
        {
            // Not as InlineData: the test framework's serialisation replaces a lone surrogate before the test sees it.
            Assert.Equal("lone \\ud800 high", DisplayText.Shorten("lone \ud800 high"));
            Assert.Equal("pair \ud83d\ude00 kept", DisplayText.Shorten("pair \ud83d\ude00 kept"));
        }

        [Fact]
        public void Long_text_is_cut_with_an_ellipsis_within_the_limit()
        {
            Assert.Equal("abcdefg...", DisplayText.Shorten("abcdefghijklmnop", 10));
            Assert.Equal("abcdefghij", DisplayText.Shorten("abcdefghij", 10));

            // An escape is never split: "\x07" either fits whole before the ellipsis or is left out.
            Assert.Equal("abcd...", DisplayText.Shorten("abcd\u0007efghijk", 10));
        }
    }
}
