using System;
using System.Collections.Generic;
using System.Linq;
using MailSecurity.Dkim;
using MailSecurity.Dns;

namespace MailSecurity
{
    /// <summary>DKIM key algorithm (RFC 6376 §3.6.1 k=, RFC 8463).</summary>
    public enum DkimKeyType
    {
        /// <summary>RSA (the default).</summary>
        Rsa,
        /// <summary>Ed25519 (RFC 8463).</summary>
        Ed25519,
        /// <summary>A k= value no verifier knows.</summary>
        Unknown,
    }

    /// <summary>Overall verdict on one key record.</summary>
    public enum DkimKeyStatus
    {
        /// <summary>Usable and of recommended strength.</summary>
        Valid,
        /// <summary>Usable but weaker than recommended (RSA under 2048 bits).</summary>
        Weak,
        /// <summary>Empty p=: revoked.</summary>
        Revoked,
        /// <summary>Unusable: syntax error, unknown type, key too short, unparseable, sha1-only.</summary>
        Invalid,
    }

    /// <summary>What probing one selector found.</summary>
    public enum DkimSelectorOutcome
    {
        /// <summary>At least one key record.</summary>
        Found,
        /// <summary>No key record (NXDOMAIN or NODATA), possibly through a dangling CNAME.</summary>
        NotFound,
        /// <summary>TXT records exist but none is a DKIM key.</summary>
        NotAKeyRecord,
        /// <summary>The lookup failed (temporary).</summary>
        LookupFailed,
        /// <summary>The selector is unusable; nothing was asked.</summary>
        InvalidSelector,
    }

    /// <summary>Where the selectors came from.</summary>
    public enum DkimSelectorSource
    {
        /// <summary>-DkimSelector.</summary>
        UserSupplied,
        /// <summary>The built-in list of common selectors.</summary>
        BuiltInList,
    }

    /// <summary>How DKIM probing of a domain ended.</summary>
    public enum DkimStatus
    {
        /// <summary>At least one key record was found.</summary>
        Found,
        /// <summary>No key at any selector asked.</summary>
        NoneFound,
        /// <summary>No key found and at least one lookup failed.</summary>
        LookupFailed,
    }

    /// <summary>One DKIM key record found at a selector, parsed (RFC 6376 §3.6.1), with its key size.</summary>
    public sealed class DkimKey
    {
        /// <summary>Creates a key entry.</summary>
        internal DkimKey(DkimKeyBuilder b)
        {
            Domain = b.Domain;
            Selector = b.Selector;
            CnameChain = b.CnameChain;
            CanonicalName = b.CanonicalName;
            DnssecStatus = b.DnssecStatus;
            Raw = b.Raw;
            Version = b.Version;
            KeyTypeTag = b.KeyTypeTag;
            KeyType = b.KeyType;
            KeySize = b.KeySize;
            KeyEncoding = b.KeyEncoding;
            PublicKey = b.PublicKey;
            HashAlgorithms = b.HashAlgorithms;
            ServiceTypes = b.ServiceTypes;
            Flags = b.Flags;
            Notes = b.Notes;
            Status = b.Status;
            Findings = b.Findings;
        }

        /// <summary>The signing domain (d=).</summary>
        public string Domain { get; }

        /// <summary>The selector (s=).</summary>
        public string Selector { get; }

        /// <summary>The DNS name asked: <c>&lt;selector&gt;._domainkey.&lt;domain&gt;</c>.</summary>
        public string Name => Selector + "._domainkey." + Domain;

        /// <summary>CNAME links followed, as "alias -> target".</summary>
        public IReadOnlyList<string> CnameChain { get; }

        /// <summary>Where the record actually lives (end of the CNAME chain).</summary>
        public string CanonicalName { get; }

        /// <summary>DNSSEC state of the answer.</summary>
        public DnssecStatus DnssecStatus { get; }

        /// <summary>The record text (strings joined).</summary>
        public string Raw { get; }

        /// <summary>v= as published, or null.</summary>
        public string? Version { get; }

        /// <summary>k= as published, or null (rsa by default).</summary>
        public string? KeyTypeTag { get; }

        /// <summary>The key type.</summary>
        public DkimKeyType KeyType { get; }

        /// <summary>Key size in bits: the RSA modulus length, 256 for Ed25519; null when not determinable or revoked.</summary>
        public int? KeySize { get; }

        /// <summary>How p= is encoded: SubjectPublicKeyInfo, RSAPublicKey, or Raw (Ed25519).</summary>
        public string? KeyEncoding { get; }

        /// <summary>p= with white space removed (empty when revoked).</summary>
        public string PublicKey { get; }

        /// <summary>h= values (empty: all allowed).</summary>
        public IReadOnlyList<string> HashAlgorithms { get; }

        /// <summary>s= values (default "*").</summary>
        public IReadOnlyList<string> ServiceTypes { get; }

        /// <summary>t= flags.</summary>
        public IReadOnlyList<string> Flags { get; }

        /// <summary>n= notes.</summary>
        public string? Notes { get; }

        /// <summary>True when p= is empty.</summary>
        public bool IsRevoked => Status == DkimKeyStatus.Revoked;

        /// <summary>True when t= contains y.</summary>
        public bool IsTesting => Flags.Contains("y");

        /// <summary>Overall verdict.</summary>
        public DkimKeyStatus Status { get; }

        /// <summary>Findings about this key.</summary>
        public IReadOnlyList<Finding> Findings { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Selector}: {KeyType} {KeySize?.ToString() ?? "?"} bits ({Status})";
    }

    /// <summary>What was asked for one selector.</summary>
    public sealed class DkimSelectorResult
    {
        /// <summary>Creates an entry.</summary>
        public DkimSelectorResult(string selector, string name, DkimSelectorOutcome outcome, string detail)
        {
            Selector = selector;
            Name = name;
            Outcome = outcome;
            Detail = detail;
        }

        /// <summary>The selector as given or from the built-in list.</summary>
        public string Selector { get; }

        /// <summary>The name asked (empty when the selector was invalid).</summary>
        public string Name { get; }

        /// <summary>What came back.</summary>
        public DkimSelectorOutcome Outcome { get; }

        /// <summary>Plain-words detail.</summary>
        public string Detail { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Selector}: {Outcome}";
    }

    /// <summary>DKIM keys of a domain: the selectors asked, the keys found and findings.</summary>
    public sealed class DkimSummary
    {
        /// <summary>Creates the summary.</summary>
        public DkimSummary(string domain, DkimStatus status, DkimSelectorSource selectorSource, IReadOnlyList<DkimSelectorResult> selectors, IReadOnlyList<DkimKey> keys, IReadOnlyList<Finding> findings)
        {
            Domain = domain;
            Status = status;
            SelectorSource = selectorSource;
            // The built-in list asks 27 selectors and most have no record: those are names, not objects, so a domain's
            // report stays small in JSON and CSV while still saying which selectors were asked.
            Selectors = new ValueList<DkimSelectorResult>((selectors ?? Array.Empty<DkimSelectorResult>()).Where(r => r.Outcome != DkimSelectorOutcome.NotFound));
            SelectorsNotFound = new ValueList<string>((selectors ?? Array.Empty<DkimSelectorResult>()).Where(r => r.Outcome == DkimSelectorOutcome.NotFound).Select(r => r.Selector));
            Keys = ValueList.From(keys);
            Findings = FindingList.From(findings);
        }

        /// <summary>The domain.</summary>
        public string Domain { get; }

        /// <summary>How probing ended.</summary>
        public DkimStatus Status { get; }

        /// <summary>Whether the selectors were given or probed from the built-in list.</summary>
        public DkimSelectorSource SelectorSource { get; }

        /// <summary>Every selector asked that gave more than "no record" (a key, another record, a lookup failure, an invalid selector), with its outcome.</summary>
        public IReadOnlyList<DkimSelectorResult> Selectors { get; }

        /// <summary>The selectors asked that have no record (NXDOMAIN or NODATA), in the order asked.</summary>
        public IReadOnlyList<string> SelectorsNotFound { get; }

        /// <summary>The key records found.</summary>
        public IReadOnlyList<DkimKey> Keys { get; }

        /// <summary>Findings about the selectors and keys.</summary>
        public IReadOnlyList<Finding> Findings { get; }

        /// <summary>Summary: selectors with a key record, comma-separated.</summary>
        public string SelectorsFound => string.Join(", ", Keys.Select(k => k.Selector).Distinct());

        /// <summary>Summary: the smallest RSA key size among usable keys, or null.</summary>
        public int? SmallestRsaKeySize => Keys.Where(k => k.KeyType == DkimKeyType.Rsa && k.KeySize.HasValue).Select(k => k.KeySize).Min();

        /// <inheritdoc />
        public override string ToString() => Keys.Count == 0 ? Status.ToString() : string.Join(", ", Keys.Select(k => k.ToString()));
    }
}
