using System;
using System.Globalization;
using System.Net;

namespace MailSecurity.Dns
{
    /// <summary>Parses <c>-DnsServer</c> values: <c>ip</c>, <c>ip:port</c>, <c>[v6]</c> and <c>[v6]:port</c>.</summary>
    internal static class DnsServerAddress
    {
        /// <summary>Parses one server address; the default port is 53.</summary>
        /// <exception cref="FormatException">The text is not an IP address with an optional port.</exception>
        public static IPEndPoint Parse(string text)
        {
            if (TryParse(text, out var ep, out var error))
            {
                return ep!;
            }

            throw new FormatException(error);
        }

        /// <summary>Parses one server address without throwing.</summary>
        public static bool TryParse(string? text, out IPEndPoint? endPoint, out string error)
        {
            endPoint = null;
            error = string.Empty;
            var s = (text ?? string.Empty).Trim();
            if (s.Length == 0)
            {
                error = "A DNS server address is empty.";
                return false;
            }

            string host = s;
            string? port = null;
            if (s.StartsWith("[", StringComparison.Ordinal))
            {
                var close = s.IndexOf(']');
                if (close < 0)
                {
                    error = $"'{s}' has '[' without ']'. Use [v6-address]:port.";
                    return false;
                }

                host = s.Substring(1, close - 1);
                var rest = s.Substring(close + 1);
                if (rest.Length > 0)
                {
                    if (!rest.StartsWith(":", StringComparison.Ordinal))
                    {
                        error = $"'{s}' has text after ']' that is not ':port'.";
                        return false;
                    }

                    port = rest.Substring(1);
                }
            }
            else if (s.IndexOf(':') >= 0 && s.IndexOf(':') == s.LastIndexOf(':'))
            {
                // Exactly one colon: IPv4 with a port. Several colons: a bare IPv6 address.
                var colon = s.IndexOf(':');
                host = s.Substring(0, colon);
                port = s.Substring(colon + 1);
            }

            if (!IPAddress.TryParse(host, out var address))
            {
                error = $"'{s}' is not an IP address. -DnsServer takes ip, ip:port or [v6]:port (host names are not resolved, to avoid a chicken-and-egg lookup).";
                return false;
            }

            if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast) || IsMulticast(address))
            {
                // A query needs one unicast destination: 0.0.0.0 and :: mean "no address" (DnsClient refuses them with a bare
                // InvalidOperationException), and broadcast or multicast addresses are not a resolver to ask.
                error = $"'{s}' is not a unicast address a DNS server can listen on (0.0.0.0, ::, broadcast and multicast addresses cannot be asked).";
                return false;
            }

            var portNumber = 53;
            if (port != null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out portNumber) || portNumber < 1 || portNumber > 65535))
            {
                error = $"'{s}' has an invalid port '{port}'.";
                return false;
            }

            endPoint = new IPEndPoint(address, portNumber);
            return true;
        }

        private static bool IsMulticast(IPAddress address)
        {
            if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                return address.IsIPv6Multicast;
            }

            var first = address.GetAddressBytes()[0];
            return first >= 224 && first <= 239; // RFC 5771: 224.0.0.0/4
        }

        /// <summary>Formats an endpoint the way users type it.</summary>
        public static string Format(IPEndPoint ep)
            => ep.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                ? $"[{ep.Address}]:{ep.Port}"
                : $"{ep.Address}:{ep.Port}";
    }
}
