using System;
using System.Collections.Generic;
using System.Linq;
using DnsClient;

namespace MailSecurity.Dns
{
    /// <summary>The resolvers the operating system is configured with (what -DnsServer defaults to).</summary>
    internal static class SystemResolvers
    {
        /// <summary>The configured resolvers as <c>ip</c> or <c>[v6]</c>:port text; empty when none can be read.</summary>
        public static IReadOnlyList<string> List()
        {
            try
            {
                return NameServer.ResolveNameServers(skipIPv6SiteLocal: true, fallbackToGooglePublicDns: false)
                    .Select(n => n.Port == 53 ? n.Address : DnsServerAddress.Format(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(n.Address), n.Port)))
                    .Distinct(StringComparer.OrdinalIgnoreCase)
                    .ToList();
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                // Best effort for tab completion: an unreadable configuration simply offers nothing.
                return Array.Empty<string>();
            }
        }
    }
}
