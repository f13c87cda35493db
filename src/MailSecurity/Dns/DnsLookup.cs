using MailSecurity.Dns;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;

namespace MailSecurity.Dns
{
    /// <summary>
    /// One DNS question, answered as <see cref="DnsResolver.QueryAsync"/> answers it. The record checkers take this
    /// delegate instead of the sealed resolver so their decisions (tree walk, selector probing) can be tested against
    /// a scripted zone; production code passes <c>resolver.QueryAsync</c>.
    /// </summary>
    internal delegate Task<DnsAnswer> DnsLookup(string name, QueryType type, CancellationToken cancellationToken);
}
