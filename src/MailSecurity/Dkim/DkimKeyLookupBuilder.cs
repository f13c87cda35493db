using System.Collections.Generic;
using Org.BouncyCastle.Crypto;

namespace MailSecurity.Dkim
{
    /// <summary>The values of a <see cref="DkimKeyLookup"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class DkimKeyLookupBuilder
    {
        public string Name = string.Empty;
        public DkimKeyLookupStatus Status;
        public string Reason = string.Empty;
        public string? Record;
        public AsymmetricKeyParameter? Key;
        public string KeyType = "rsa";
        public IReadOnlyList<string>? HashAlgorithms;
        public bool Testing;
        public bool Strict;
    }
}
