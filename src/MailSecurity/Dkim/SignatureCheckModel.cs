using System.Collections.Generic;
using MailSecurity.Dkim;

namespace MailSecurity
{
    /// <summary>The result of verifying one DKIM signature here (RFC 8601 §2.7.1 result names).</summary>
    public enum DkimResult
    {
        /// <summary>Not evaluated.</summary>
        None = 0,
        /// <summary>The signature verified.</summary>
        Pass,
        /// <summary>The signature did not verify, or was rejected (rsa-sha1, RSA key under 1024 bits; RFC 8301).</summary>
        Fail,
        /// <summary>Could not be fully evaluated: only the headers were given, so the body hash was not checked.</summary>
        Neutral,
        /// <summary>The key lookup failed temporarily (SERVFAIL, timeout).</summary>
        TempError,
        /// <summary>The signature or the key record cannot be processed: malformed, no key, key revoked or unsuitable.</summary>
        PermError,
    }

    /// <summary>One DKIM-Signature field and what verifying it against the signer's published key showed.</summary>
    public sealed class DkimSignatureCheck
    {
        /// <summary>Creates the check result.</summary>
        internal DkimSignatureCheck(DkimSignatureCheckBuilder b)
        {
            Position = b.Position;
            Domain = b.Domain;
            Selector = b.Selector;
            Algorithm = b.Algorithm;
            Identity = b.Identity;
            Canonicalization = b.Canonicalization;
            SignedHeaders = b.SignedHeaders;
            Result = b.Result;
            Reason = b.Reason;
            KeyBits = b.KeyBits;
            KeyRecord = b.KeyRecord;
            BodyHashVerified = b.BodyHashVerified;
            HeaderSignatureVerified = b.HeaderSignatureVerified;
            KeyTesting = b.KeyTesting;
            Raw = b.Raw;
        }

        /// <summary>Position of the field in the header block (0 = top).</summary>
        public int Position { get; }

        /// <summary>The signing domain (<c>d=</c>).</summary>
        public string? Domain { get; }

        /// <summary>The selector (<c>s=</c>).</summary>
        public string? Selector { get; }

        /// <summary>The algorithm (<c>a=</c>).</summary>
        public string? Algorithm { get; }

        /// <summary>The agent or user identifier (<c>i=</c>).</summary>
        public string? Identity { get; }

        /// <summary>The canonicalization (<c>c=</c>, default <c>simple/simple</c>).</summary>
        public string? Canonicalization { get; }

        /// <summary>The signed header field names (<c>h=</c>).</summary>
        public IReadOnlyList<string> SignedHeaders { get; }

        /// <summary>The verdict.</summary>
        public DkimResult Result { get; }

        /// <summary>Why, in plain words (with the RFC rule when one decided it).</summary>
        public string Reason { get; }

        /// <summary>The key size in bits (256 for Ed25519), when a key was found.</summary>
        public int? KeyBits { get; }

        /// <summary>The key TXT record as published, when found.</summary>
        public string? KeyRecord { get; }

        /// <summary>True/false when the body hash (<c>bh=</c>) was checked; <c>null</c> when it was not (headers only, or an earlier failure).</summary>
        public bool? BodyHashVerified { get; }

        /// <summary>True/false when the header signature (<c>b=</c>) was checked; <c>null</c> when it was not.</summary>
        public bool? HeaderSignatureVerified { get; }

        /// <summary>True when the key record says <c>t=y</c> (testing: treat as unsigned).</summary>
        public bool KeyTesting { get; }

        /// <summary>The field value, unfolded.</summary>
        public string Raw { get; }

        /// <inheritdoc />
        public override string ToString() => $"d={Domain} s={Selector} a={Algorithm}: {Result} ({Reason})";
    }

    /// <summary>The ARC chain validation status (RFC 8617 §4.4 cv values, plus not-verified).</summary>
    public enum ArcResult
    {
        /// <summary>No ARC sets.</summary>
        None = 0,
        /// <summary>The chain validates.</summary>
        Pass,
        /// <summary>The chain does not validate; treat as no chain (RFC 8617 §5.2).</summary>
        Fail,
        /// <summary>Structure and seals were checked, but the body needed for the newest ARC-Message-Signature was not given.</summary>
        NotVerified,
    }

    /// <summary>One ARC set (instance) of a message.</summary>
    public sealed class ArcSetCheck
    {
        /// <summary>Creates a set.</summary>
        internal ArcSetCheck(ArcSetCheckBuilder b)
        {
            Instance = b.Instance;
            SealDomain = b.SealDomain;
            SealSelector = b.SealSelector;
            ChainValidation = b.ChainValidation;
            AuthServId = b.AuthServId;
            Results = b.Results;
            SealVerified = b.SealVerified;
            MessageSignatureVerified = b.MessageSignatureVerified;
        }

        /// <summary>The instance <c>i=</c> (1 = oldest).</summary>
        public int Instance { get; }

        /// <summary>The sealing domain (ARC-Seal <c>d=</c>).</summary>
        public string? SealDomain { get; }

        /// <summary>The seal selector (ARC-Seal <c>s=</c>).</summary>
        public string? SealSelector { get; }

        /// <summary>The <c>cv=</c> the sealer recorded.</summary>
        public string? ChainValidation { get; }

        /// <summary>The authserv-id of the ARC-Authentication-Results.</summary>
        public string? AuthServId { get; }

        /// <summary>The sealer's authentication results, as one line.</summary>
        public string? Results { get; }

        /// <summary>Whether this ARC-Seal verified; <c>null</c> when not checked.</summary>
        public bool? SealVerified { get; }

        /// <summary>Whether this ARC-Message-Signature verified; <c>null</c> when not checked.</summary>
        public bool? MessageSignatureVerified { get; }

        /// <inheritdoc />
        public override string ToString() => $"i={Instance} d={SealDomain} cv={ChainValidation}";
    }

    /// <summary>The ARC chain of a message, validated as RFC 8617 §5.2 describes.</summary>
    public sealed class ArcChainCheck
    {
        /// <summary>Creates the check result.</summary>
        public ArcChainCheck(ArcResult result, int setCount, int? oldestPass, string reason, IReadOnlyList<ArcSetCheck> sets)
        {
            Result = result;
            SetCount = setCount;
            OldestPass = oldestPass;
            Reason = reason;
            Sets = sets;
        }

        /// <summary>The chain validation status.</summary>
        public ArcResult Result { get; }

        /// <summary>How many ARC sets the message carries.</summary>
        public int SetCount { get; }

        /// <summary>RFC 8617 §5.2 step 5: the oldest instance whose ARC-Message-Signature still validates (0 when all do); <c>null</c> when not computed.</summary>
        public int? OldestPass { get; }

        /// <summary>Why, in plain words.</summary>
        public string Reason { get; }

        /// <summary>The sets, oldest (i=1) first.</summary>
        public IReadOnlyList<ArcSetCheck> Sets { get; }

        /// <inheritdoc />
        public override string ToString() => $"arc={Result.ToString().ToLowerInvariant()} ({SetCount} set(s){(OldestPass is null ? string.Empty : ", oldest-pass=" + OldestPass)})";
    }
}
