using MailSecurity.Smtp;
using Xunit;

namespace MailSecurity.Tests.Smtp
{
    /// <summary>
    /// The one reading of "this host is an IP address" that Test-SmtpStartTls, Test-DaneTlsa and the TLSA lookup share.
    /// Expected values from RFC 5321 §4.1.3 (IPv4-address-literal = Snum 3("." Snum); IPv6-address-literal = "IPv6:" IPv6-addr)
    /// and RFC 4291 §2.2 text forms.
    /// </summary>
    public class AddressLiteralTests
    {
        [Theory]
        [InlineData("192.0.2.1", "192.0.2.1")]
        [InlineData(" [192.0.2.1] ", "192.0.2.1")]
        [InlineData("2001:db8::1", "2001:db8::1")]
        [InlineData("[2001:db8::1]", "2001:db8::1")]
        [InlineData("[IPv6:2001:DB8::1]", "2001:db8::1")]
        [InlineData("IPv6:2001:db8::1", "2001:db8::1")]
        public void Address_forms_SMTP_and_Exchange_write_are_addresses(string input, string expected)
        {
            Assert.True(AddressLiteral.TryParse(input, out var address));
            Assert.Equal(expected, address!.ToString());
        }

        [Theory]
        [InlineData("1234")]      // IPAddress.TryParse reads 0.0.4.210; not a dotted quad (Test-SmtpStartTls probed it before)
        [InlineData("1.2.3")]     // IPAddress.TryParse reads 1.2.0.3
        [InlineData("mx.example.com")]
        [InlineData("[192.0.2.1")]
        [InlineData("")]
        [InlineData(null)]
        public void Anything_else_is_not_an_address(string? input)
        {
            Assert.False(AddressLiteral.TryParse(input, out var address));
            Assert.Null(address);
        }
    }
}
