using System;
using System.Net;

namespace MailSecurity.Smtp
{
    /// <summary>
    /// Recognises a host given as an IP address, in the forms SMTP and Exchange write it: <c>192.0.2.1</c>,
    /// <c>[192.0.2.1]</c>, <c>2001:db8::1</c>, <c>[IPv6:2001:db8::1]</c> (RFC 5321 §4.1.3 address-literal, brackets optional).
    /// </summary>
    internal static class AddressLiteral
    {
        /// <summary>
        /// Reads <paramref name="input"/> as an address literal. An IPv4 address must be a dotted quad (RFC 5321 §4.1.3:
        /// <c>Snum 3("." Snum)</c>): <see cref="IPAddress.TryParse(string, out IPAddress)"/> alone would read <c>1234</c> as
        /// 0.0.4.210 and <c>1.2.3</c> as 1.2.0.3.
        /// </summary>
        /// <param name="input">A host as given; surrounding white space is ignored.</param>
        /// <param name="address">The address, or null.</param>
        /// <returns>True when the input is an address literal.</returns>
        public static bool TryParse(string? input, out IPAddress? address)
        {
            address = null;
            var literal = (input ?? string.Empty).Trim();
            if (literal.StartsWith("[", StringComparison.Ordinal) && literal.EndsWith("]", StringComparison.Ordinal))
            {
                literal = literal.Substring(1, literal.Length - 2);
            }

            if (literal.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
            {
                literal = literal.Substring(5);
            }

            var looksLikeAddress = literal.IndexOf(':') >= 0 || literal.Split('.').Length == 4;
            if (looksLikeAddress && IPAddress.TryParse(literal, out var parsed))
            {
                address = parsed;
                return true;
            }

            return false;
        }
    }
}
