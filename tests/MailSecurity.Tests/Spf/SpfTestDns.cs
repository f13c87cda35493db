using System;
using System.Threading.Tasks;
using MailSecurity.Dns;
using MailSecurity.TestPeers.Dns;

namespace MailSecurity.Tests.Spf
{
    /// <summary>
    /// An in-memory DNS server plus a resolver pointed at it, for one test: the SPF tests run the real DnsResolver over the
    /// wire (timeouts, TXT strings, the run cache the lookup limits count through); other unit tests use ScriptedZone.
    /// </summary>
    public sealed class SpfTestDns : IAsyncDisposable
    {
        public SpfTestDns(DnsZone zone, DnsServerBehavior? behavior = null, double timeoutSeconds = 1)
        {
            Server = InMemoryDnsServer.Start(zone, behavior: behavior);
            var options = new DnsResolverOptions { Timeout = TimeSpan.FromSeconds(timeoutSeconds), DetectBogus = false };
            options.Servers.Add(Server.EndPoint);
            Resolver = new DnsResolver(options);
        }

        public InMemoryDnsServer Server { get; }

        internal DnsResolver Resolver { get; }

        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }
}
