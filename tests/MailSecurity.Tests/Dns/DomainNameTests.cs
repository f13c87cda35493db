using MailSecurity.Dns;
using Xunit;

namespace MailSecurity.Tests.Dns
{
    public class DomainNameTests
    {
        [Theory]
        [InlineData("Example.COM", "example.com")]
        [InlineData("example.com.", "example.com")]
        [InlineData("  example.com  ", "example.com")]
        [InlineData("bücher.example", "xn--bcher-kva.example")]
        [InlineData("_25._tcp.mx.example.com", "_25._tcp.mx.example.com")]
        [InlineData("xn--mller-kva.example", "xn--mller-kva.example")]
        [InlineData("XN--55QX5D.example", "xn--55qx5d.example")]
        public void Normalizes_valid_names(string input, string expected)
        {
            Assert.True(DomainName.TryNormalize(input, out var normalized, out var error), error);
            Assert.Equal(expected, normalized);
        }

        [Theory]
        [InlineData("", "empty")]
        [InlineData(".", "empty")]
        [InlineData("a..b", "empty label")]
        [InlineData("exa mple.com", "white-space")]
        [InlineData("exa\u0001mple.com", "control")]
        [InlineData("example.com/evil", "not allowed")]
        [InlineData("xn--zz.example", "IDNA")]
        [InlineData("mail.xn--.example", "IDNA")]
        [InlineData("xn--abc-.example", "IDNA")]
        public void Rejects_invalid_names_with_a_reason(string input, string reasonFragment)
        {
            Assert.False(DomainName.TryNormalize(input, out _, out var error));
            Assert.Contains(reasonFragment, error, System.StringComparison.OrdinalIgnoreCase);
        }

        [Fact]
        public void Rejects_overlong_label_and_name()
        {
            Assert.False(DomainName.TryNormalize(new string('a', 64) + ".com", out _, out var e1));
            Assert.Contains("63", e1);
            var longName = string.Join(".", System.Linq.Enumerable.Repeat(new string('a', 60), 5));
            Assert.False(DomainName.TryNormalize(longName, out _, out var e2));
            Assert.Contains("253", e2);
        }

        [Fact]
        public void Printable_escapes_control_characters_and_truncates()
        {
            Assert.Equal("a\\x07b", DomainName.Printable("a\u0007b"));
            Assert.EndsWith("...", DomainName.Printable(new string('x', 10000)));
        }
    }

    public class DnsServerAddressTests
    {
        [Theory]
        [InlineData("127.0.0.1", "127.0.0.1:53")]
        [InlineData("127.0.53.2:5353", "127.0.53.2:5353")]
        [InlineData("::1", "[::1]:53")]
        [InlineData("[::1]:5300", "[::1]:5300")]
        [InlineData("[2001:db8::1]", "[2001:db8::1]:53")]
        public void Parses_address_forms(string input, string expected)
        {
            Assert.Equal(expected, DnsServerAddress.Format(DnsServerAddress.Parse(input)));
        }

        [Theory]
        [InlineData("dns.example.com")]
        [InlineData("127.0.0.1:0")]
        [InlineData("127.0.0.1:70000")]
        [InlineData("[::1")]
        [InlineData("[::1]x")]
        [InlineData("")]
        [InlineData("0.0.0.0")]
        [InlineData("0.0.0.0:53")]
        [InlineData("::")]
        [InlineData("[::]:53")]
        [InlineData("255.255.255.255")]
        [InlineData("224.0.0.251")]
        [InlineData("ff02::fb")]
        public void Rejects_bad_addresses(string input)
        {
            Assert.False(DnsServerAddress.TryParse(input, out _, out var error));
            Assert.False(string.IsNullOrEmpty(error));
        }
    }
}
