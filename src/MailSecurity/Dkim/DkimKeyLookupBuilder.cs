using System;
using System.Collections.Generic;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using MailSecurity.Dns;
using MailSecurity.Runtime;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;

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
