using System;
using System.Net;
using System.Net.Sockets;

namespace MailSecurity.Message
{
    /// <summary>Where an address can be reached from, for judging what a Received field claims.</summary>
    internal enum AddressScope
    {
        /// <summary>Globally routable (documentation ranges count as public: they stand in for real addresses).</summary>
        Public,
        /// <summary>RFC 1918, CGNAT (RFC 6598) or IPv6 unique-local: inside an organisation.</summary>
        Private,
        /// <summary>Link-local (169.254/16, fe80::/10).</summary>
        LinkLocal,
        /// <summary>127/8 or ::1: the same host.</summary>
        Loopback,
        /// <summary>Can never be the source of a TCP connection: 0/8, multicast, 240/4, broadcast, ::, ff00::/8.</summary>
        Unroutable,
    }

    /// <summary>Classifies IP addresses (IPv4-mapped IPv6 addresses are judged as IPv4).</summary>
    internal static class AddressScopeClassifier
    {
        /// <summary>Classifies an address.</summary>
        public static AddressScope Classify(IPAddress address)
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6)
            {
                address = address.MapToIPv4();
            }

            if (address.AddressFamily == AddressFamily.InterNetwork)
            {
                var b = address.GetAddressBytes();
                if (b[0] == 127)
                {
                    return AddressScope.Loopback;
                }

                if (b[0] == 0 || b[0] >= 224)
                {
                    // 0.0.0.0/8 "this network", 224/4 multicast, 240/4 reserved and 255.255.255.255 (RFC 6890).
                    return AddressScope.Unroutable;
                }

                if (b[0] == 10 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 100 && b[1] >= 64 && b[1] <= 127))
                {
                    return AddressScope.Private;
                }

                return b[0] == 169 && b[1] == 254 ? AddressScope.LinkLocal : AddressScope.Public;
            }

            if (address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                if (address.Equals(IPAddress.IPv6Loopback))
                {
                    return AddressScope.Loopback;
                }

                var b = address.GetAddressBytes();
                if (address.Equals(IPAddress.IPv6Any) || b[0] == 0xff)
                {
                    return AddressScope.Unroutable;
                }

                if ((b[0] & 0xfe) == 0xfc)
                {
                    return AddressScope.Private;
                }

                if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
                {
                    return AddressScope.LinkLocal;
                }

                return AddressScope.Public;
            }

            return AddressScope.Unroutable;
        }

        /// <summary>
        /// Parses an address as Received fields write it: <c>192.0.2.1</c>, <c>[192.0.2.1]</c>, <c>[IPv6:2001:db8::1]</c>,
        /// <c>[192.0.2.1]:25</c>, <c>2001:db8::1</c>, <c>fe80::1%12</c>. Bare numbers that .NET would also accept
        /// (<c>1</c>, <c>1.2</c>) are refused: only dotted quads and colon forms count.
        /// </summary>
        public static bool TryParse(string? text, out IPAddress? address, out string normalized)
        {
            address = null;
            normalized = string.Empty;
            if (string.IsNullOrEmpty(text))
            {
                return false;
            }

            var s = text!.Trim().TrimEnd('.', ',', ';');
            if (s.StartsWith("[", StringComparison.Ordinal))
            {
                var close = s.IndexOf(']');
                if (close < 0)
                {
                    return false;
                }

                s = s.Substring(1, close - 1);
            }

            if (s.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
            {
                s = s.Substring(5);
            }
            else if (s.StartsWith("IPv4:", StringComparison.OrdinalIgnoreCase))
            {
                s = s.Substring(5);
            }

            if (s.IndexOf(':') < 0)
            {
                // IPv4: exactly four decimal parts, optionally followed by :port (handled above for brackets only).
                var parts = s.Split('.');
                if (parts.Length != 4)
                {
                    return false;
                }

                foreach (var p in parts)
                {
                    if (p.Length == 0 || p.Length > 3)
                    {
                        return false;
                    }

                    foreach (var ch in p)
                    {
                        if (ch < '0' || ch > '9')
                        {
                            return false;
                        }
                    }
                }
            }
            else
            {
                foreach (var ch in s)
                {
                    var ok = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F') || ch == ':' || ch == '.' || ch == '%' || char.IsLetterOrDigit(ch);
                    if (!ok)
                    {
                        return false;
                    }
                }
            }

            if (!IPAddress.TryParse(s, out var ip))
            {
                return false;
            }

            address = ip;
            // Keep the zone id (fe80::1%12) out of the normalised text: it is local to the recording host.
            var withoutZone = ip.AddressFamily == AddressFamily.InterNetworkV6 && ip.ScopeId != 0 ? new IPAddress(ip.GetAddressBytes()) : ip;
            normalized = withoutZone.ToString();
            return true;
        }

        /// <summary>True for the documentation ranges (RFC 5737, RFC 3849) that stand in for public addresses in examples.</summary>
        public static bool IsDocumentation(IPAddress address)
        {
            var b = address.GetAddressBytes();
            if (address.AddressFamily == AddressFamily.InterNetwork)
            {
                return (b[0] == 192 && b[1] == 0 && b[2] == 2) || (b[0] == 198 && b[1] == 51 && b[2] == 100) || (b[0] == 203 && b[1] == 0 && b[2] == 113);
            }

            return b.Length == 16 && b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8;
        }
    }
}
