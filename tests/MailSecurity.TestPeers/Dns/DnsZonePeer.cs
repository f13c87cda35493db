using System;
using System.Threading;
using System.Threading.Tasks;

namespace MailSecurity.TestPeers.Dns
{
    /// <summary>The <c>dns-zone</c> and <c>dns-blackhole</c> peers.</summary>
    public static class DnsZonePeer
    {
        /// <summary>
        /// <c>dns-zone &lt;ip&gt; &lt;port&gt; zone=&lt;file.json&gt; [spf-as-txt] [servfail=n1,n2] [refused=..] [truncate=..|truncate]
        /// [malformed=..] [wrong-id=..] [oversize=..] [timeout=..]</c>: serves the zone over UDP and TCP until stopped.
        /// </summary>
        [Peer("dns-zone")]
        public static async Task Run(string ip, int port, string[] options, CancellationToken ct)
        {
            string? zoneFile = null;
            var spfAsTxt = false;
            var behavior = new DnsServerBehavior();
            foreach (var option in options)
            {
                if (option.StartsWith("zone=", StringComparison.OrdinalIgnoreCase))
                {
                    zoneFile = option[5..];
                }
                else if (string.Equals(option, "spf-as-txt", StringComparison.OrdinalIgnoreCase))
                {
                    spfAsTxt = true;
                }
                else if (!behavior.TryApply(option))
                {
                    throw new ArgumentException($"dns-zone: unknown option '{option}'");
                }
            }

            var zone = zoneFile is null ? new DnsZone() : DnsZone.Load(zoneFile, spfAsTxt);
            await using var server = InMemoryDnsServer.Start(zone, ip, port, behavior, ct);
            await server.RunUntilCancelledAsync(ct).ConfigureAwait(false);
        }

        /// <summary><c>dns-blackhole &lt;ip&gt; &lt;port&gt;</c>: reads queries over UDP and TCP and never answers.</summary>
        [Peer("dns-blackhole")]
        public static async Task RunBlackhole(string ip, int port, string[] options, CancellationToken ct)
        {
            var behavior = new DnsServerBehavior { Blackhole = true };
            await using var server = InMemoryDnsServer.Start(new DnsZone(), ip, port, behavior, ct);
            await server.RunUntilCancelledAsync(ct).ConfigureAwait(false);
        }
    }
}
