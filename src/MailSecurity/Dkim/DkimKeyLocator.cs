using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
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
    /// <summary>How a DKIM key lookup ended.</summary>
    internal enum DkimKeyLookupStatus
    {
        /// <summary>A usable key record was found.</summary>
        Found,
        /// <summary>NXDOMAIN or NODATA: no key published (RFC 6376 §6.1.2: PERMFAIL, no key for signature).</summary>
        NotFound,
        /// <summary>SERVFAIL, timeout, network error: TEMPFAIL (key unavailable). Never "no key".</summary>
        LookupFailed,
        /// <summary>The record has an empty <c>p=</c>: the key is revoked (RFC 6376 §3.6.1).</summary>
        Revoked,
        /// <summary>The record is malformed, has an unknown <c>v=</c> or key type, or an unreadable key.</summary>
        Invalid,
        /// <summary>The record's <c>s=</c> does not list <c>email</c> or <c>*</c>, so verifiers ignore it.</summary>
        NotForEmail,
    }

    /// <summary>The outcome of looking up one <c>&lt;selector&gt;._domainkey.&lt;domain&gt;</c> key record.</summary>
    internal sealed class DkimKeyLookup
    {
        internal DkimKeyLookup(DkimKeyLookupBuilder b)
        {
            Name = b.Name;
            Status = b.Status;
            Reason = b.Reason;
            Record = b.Record;
            Key = b.Key;
            KeyType = b.KeyType;
            HashAlgorithms = b.HashAlgorithms;
            Testing = b.Testing;
            Strict = b.Strict;
        }

        public string Name { get; }

        public DkimKeyLookupStatus Status { get; }

        public string Reason { get; }

        public string? Record { get; }

        public AsymmetricKeyParameter? Key { get; }

        /// <summary><c>k=</c>: <c>rsa</c> or <c>ed25519</c>.</summary>
        public string KeyType { get; }

        /// <summary><c>h=</c>: the hash algorithms the key may be used with; <c>null</c> = all.</summary>
        public IReadOnlyList<string>? HashAlgorithms { get; }

        /// <summary><c>t=y</c>.</summary>
        public bool Testing { get; }

        /// <summary><c>t=s</c>: <c>i=</c> must use exactly the <c>d=</c> domain.</summary>
        public bool Strict { get; }

        /// <summary>Key size in bits (256 for Ed25519).</summary>
        public int? Bits => Key switch
        {
            RsaKeyParameters rsa => rsa.Modulus.BitLength,
            Ed25519PublicKeyParameters _ => 256,
            _ => null,
        };
    }

    /// <summary>Raised to MimeKit's verifiers when a key is unavailable; carries the lookup that explains why.</summary>
    internal sealed class DkimKeyUnavailableException : Exception
    {
        public DkimKeyUnavailableException(DkimKeyLookup lookup)
            : base(lookup.Reason) => Lookup = lookup;

        public DkimKeyLookup Lookup { get; }
    }

    /// <summary>
    /// MimeKit's public-key locator over our <see cref="DnsResolver"/>: the run's cache, DNSSEC status and
    /// SERVFAIL-is-not-NXDOMAIN handling apply to DKIM and ARC keys too. Each key is looked up once per run;
    /// the lookups are kept so verdicts can say why a key was unusable. Key records are judged by
    /// <see cref="DkimKeyRecordParser"/> (RFC 6376 §3.6.1: v=, p=, k=, s=, t=, h=) before MimeKit reads the key itself.
    /// </summary>
    internal sealed class DkimKeyLocator : DkimPublicKeyLocatorBase
    {
        private readonly IDnsLookup _dns;
        private readonly ConcurrentDictionary<string, Lazy<Task<DkimKeyLookup>>> _lookups = new ConcurrentDictionary<string, Lazy<Task<DkimKeyLookup>>>(StringComparer.OrdinalIgnoreCase);

        internal DkimKeyLocator(IDnsLookup dns) => _dns = dns ?? throw new ArgumentNullException(nameof(dns));

        /// <summary>Looks up (once) the key record for a domain and selector.</summary>
        public Task<DkimKeyLookup> LookupAsync(string domain, string selector, CancellationToken cancellationToken = default)
        {
            var name = $"{selector}._domainkey.{domain}";
            var lazy = _lookups.GetOrAdd(name, n => new Lazy<Task<DkimKeyLookup>>(() => FetchAsync(domain, selector, n, CancellationToken.None)));
            return SharedTaskCache<string, DkimKeyLookup>.WaitAsync(lazy.Value, cancellationToken);
        }

        /// <summary>A lookup already made for this name, or <c>null</c>.</summary>
        public DkimKeyLookup? Completed(string domain, string selector)
        {
            if (_lookups.TryGetValue($"{selector}._domainkey.{domain}", out var lazy) && lazy.IsValueCreated && lazy.Value.Status == TaskStatus.RanToCompletion)
            {
                return lazy.Value.Result;
            }

            return null;
        }

        /// <inheritdoc />
        public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default)
        {
            // Only the asynchronous path is used; answer from what is already known rather than block on DNS.
            var done = Completed(domain, selector) ?? throw new NotSupportedException("Synchronous DKIM key lookups are not supported; use the asynchronous verifier.");
            return done.Key ?? throw new DkimKeyUnavailableException(done);
        }

        /// <inheritdoc />
        public override async Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default)
        {
            if (!string.IsNullOrEmpty(methods) && methods.Split(':').All(m => !m.Trim().Equals("dns/txt", StringComparison.OrdinalIgnoreCase)))
            {
                throw new DkimKeyUnavailableException(new DkimKeyLookup(new DkimKeyLookupBuilder
                {
                    Name = $"{selector}._domainkey.{domain}",
                    Status = DkimKeyLookupStatus.Invalid,
                    Reason = $"the query method q={methods} is not supported (only dns/txt is defined, RFC 6376 §3.5)",
                }));
            }

            var lookup = await LookupAsync(domain, selector, cancellationToken).ConfigureAwait(false);
            return lookup.Key ?? throw new DkimKeyUnavailableException(lookup);
        }

        private async Task<DkimKeyLookup> FetchAsync(string domain, string selector, string name, CancellationToken cancellationToken)
        {
            var answer = await _dns.QueryAsync(name, QueryType.TXT, cancellationToken).ConfigureAwait(false);
            if (answer.Status == DnsLookupStatus.InvalidName)
            {
                return new DkimKeyLookup(new DkimKeyLookupBuilder
                {
                    Name = name,
                    Status = DkimKeyLookupStatus.Invalid,
                    Reason = $"the key name is not a valid DNS name: {answer.ErrorMessage}",
                });
            }

            if (answer.IsLookupError)
            {
                // RFC 6376 §6.1.2: no response is TEMPFAIL (key unavailable), never "no key".
                return new DkimKeyLookup(new DkimKeyLookupBuilder
                {
                    Name = name,
                    Status = DkimKeyLookupStatus.LookupFailed,
                    Reason = answer.Describe(),
                });
            }

            if (answer.IsNoRecord)
            {
                return new DkimKeyLookup(new DkimKeyLookupBuilder
                {
                    Name = name,
                    Status = DkimKeyLookupStatus.NotFound,
                    Reason = answer.Describe(),
                });
            }

            var candidates = answer.TxtStrings.Where(DkimKeyRecordParser.IsKeyRecord).ToList();
            if (candidates.Count == 0)
            {
                return new DkimKeyLookup(new DkimKeyLookupBuilder
                {
                    Name = name,
                    Status = DkimKeyLookupStatus.Invalid,
                    Reason = $"{name} has TXT records but none is a DKIM key record (no p= tag)",
                    Record = answer.TxtStrings.FirstOrDefault(),
                });
            }

            // RFC 6376 §6.1.2 step 4: with several key records the verifier may pick one; take the first usable.
            DkimKeyLookup? first = null;
            foreach (var record in candidates)
            {
                var lookup = Interpret(domain, selector, record, candidates.Count);
                if (lookup.Status == DkimKeyLookupStatus.Found)
                {
                    return lookup;
                }

                first ??= lookup;
            }

            return first!;
        }

        /// <summary>
        /// Takes the key-record parser's verdict (the same one Get-MailAuthRecords reports) and, for a usable record,
        /// adds what verification needs: the key MimeKit verifies with.
        /// </summary>
        private static DkimKeyLookup Interpret(string domain, string selector, string record, int recordCount)
        {
            var parsed = DkimKeyRecordParser.Parse(domain, selector, record);
            var name = parsed.Name;
            var several = recordCount > 1 ? $" ({recordCount} key records are published at {name}, which RFC 6376 §3.6.2.2 leaves undefined)" : string.Empty;
            string Reason(FindingDescriptor descriptor) => parsed.Findings.First(f => f.Code == descriptor.Code).Message.TrimEnd('.');
            bool Has(FindingDescriptor descriptor) => parsed.Findings.Any(f => f.Code == descriptor.Code);

            // RFC 6376 §6.1.2, in its order: a record not in the §3.6.1 format (tag-list, v=, p=) is a key syntax error;
            // an empty p= is a revoked key; then a key unsuitable for its type is an inappropriate key algorithm.
            if (Has(DkimFindings.KeySyntaxError))
            {
                return new DkimKeyLookup(new DkimKeyLookupBuilder
                {
                    Name = name,
                    Status = DkimKeyLookupStatus.Invalid,
                    Reason = $"key syntax error: {Reason(DkimFindings.KeySyntaxError)}{several}",
                    Record = record,
                });
            }

            if (Has(DkimFindings.KeyRevoked))
            {
                return new DkimKeyLookup(new DkimKeyLookupBuilder
                {
                    Name = name,
                    Status = DkimKeyLookupStatus.Revoked,
                    Reason = $"the key is revoked (empty p=, RFC 6376 §3.6.1){several}",
                    Record = record,
                });
            }

            if (parsed.KeyType == DkimKeyType.Unknown)
            {
                return new DkimKeyLookup(new DkimKeyLookupBuilder
                {
                    Name = name,
                    Status = DkimKeyLookupStatus.Invalid,
                    Reason = $"the key type k={DisplayText.Shorten(parsed.KeyTypeTag ?? string.Empty)} is not supported (rsa, ed25519){several}",
                    Record = record,
                });
            }

            if (Has(DkimFindings.NotForEmail))
            {
                // RFC 6376 §3.6.1 s=: a verifier MUST ignore a record that does not list its service.
                return new DkimKeyLookup(new DkimKeyLookupBuilder
                {
                    Name = name,
                    Status = DkimKeyLookupStatus.NotForEmail,
                    Reason = $"the key record's s={string.Join(":", parsed.ServiceTypes)} does not include email, so verifiers ignore it (RFC 6376 §3.6.1)",
                    Record = record,
                });
            }

            if (Has(DkimFindings.KeyUnparseable))
            {
                return new DkimKeyLookup(new DkimKeyLookupBuilder
                {
                    Name = name,
                    Status = DkimKeyLookupStatus.Invalid,
                    Reason = $"key syntax error: {Reason(DkimFindings.KeyUnparseable)}{several}",
                    Record = record,
                });
            }

            var keyType = parsed.KeyType == DkimKeyType.Ed25519 ? "ed25519" : "rsa";
            AsymmetricKeyParameter key;
            try
            {
                // MimeKit reads the key; hand it a normalised record so its lenient parser sees exactly what was checked.
                key = GetPublicKey($"k={keyType}; p={parsed.PublicKey}");
            }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                return new DkimKeyLookup(new DkimKeyLookupBuilder
                {
                    Name = name,
                    Status = DkimKeyLookupStatus.Invalid,
                    Reason = $"key syntax error: the p= value is not a valid {keyType} public key ({ex.Message})",
                    Record = record,
                });
            }

            // h= (RFC 6376 §3.6.1) is left to the verifier, which knows the signature's hash; too-short RSA keys likewise
            // (RFC 8301 §3.2), so the signature can say it failed on the key size.
            var hashes = parsed.HashAlgorithms.Count == 0 ? null : parsed.HashAlgorithms;
            return new DkimKeyLookup(new DkimKeyLookupBuilder
            {
                Name = name,
                Status = DkimKeyLookupStatus.Found,
                Reason = $"key found{several}",
                Record = record,
                Key = key,
                KeyType = keyType,
                HashAlgorithms = hashes,
                Testing = parsed.IsTesting,
                Strict = parsed.Flags.Contains("s"),
            });
        }
    }
}
