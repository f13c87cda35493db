using System;
using System.Collections.Generic;
using System.Linq;
using DnsClient.Protocol;

namespace MailSecurity.Dns.Dnssec
{
    /// <summary>The outcome of checking one RRset's signatures against a zone's keys.</summary>
    internal sealed class SignatureCheck
    {
        private SignatureCheck(bool valid, string? failure, RRSigRecord? signature)
        {
            IsValid = valid;
            Failure = failure;
            Signature = signature;
        }

        /// <summary>True when one RRSIG verified under every rule of RFC 4035 §5.3.</summary>
        public bool IsValid { get; }

        /// <summary>Why no signature verified (the most telling failure), or null.</summary>
        public string? Failure { get; }

        /// <summary>The RRSIG that verified.</summary>
        public RRSigRecord? Signature { get; }

        /// <summary>
        /// True when the RRset was synthesised from a wildcard (RRSIG Labels below the owner's label count,
        /// RFC 4035 §5.3.4): the caller must then prove that the owner name itself does not exist.
        /// </summary>
        public bool IsWildcardExpansion(DnssecName owner) => Signature != null && Signature.Labels < owner.SignatureLabelCount;

        /// <summary>
        /// Checks <paramref name="rrset"/> (one owner, one type) against <paramref name="keys"/>, the authenticated DNSKEY
        /// RRset of <paramref name="zone"/>, at time <paramref name="now"/>. One valid RRSIG suffices (RFC 6840 §5.11).
        /// </summary>
        public static SignatureCheck Verify(DnssecName zone, IReadOnlyList<DnsKeyRecord> keys, IReadOnlyList<DnsResourceRecord> rrset, IEnumerable<RRSigRecord> signatures, DateTimeOffset now)
        {
            if (rrset.Count == 0)
            {
                return new SignatureCheck(false, "no records to verify", null);
            }

            var owner = DnssecName.From(rrset[0].DomainName);
            var type = rrset[0].RecordType;
            var failures = new List<(int Rank, string Text)>();
            var any = false;
            foreach (var sig in signatures.Where(s => s.CoveredType == type))
            {
                any = true;
                var failure = Check(zone, keys, owner, rrset, sig, now, out var rank);
                if (failure is null)
                {
                    return new SignatureCheck(true, null, sig);
                }

                failures.Add((rank, failure));
            }

            if (!any)
            {
                return new SignatureCheck(false, $"the {type} RRset of {owner} has no RRSIG (RFC 4035 §5.3)", null);
            }

            return new SignatureCheck(false, failures.OrderByDescending(f => f.Rank).First().Text, null);
        }

        /// <summary>Checks one key set against one RRSIG; the DNSKEY RRset's self-signature by a key in <paramref name="keys"/>.</summary>
        private static string? Check(DnssecName zone, IReadOnlyList<DnsKeyRecord> keys, DnssecName owner, IReadOnlyList<DnsResourceRecord> rrset, RRSigRecord sig, DateTimeOffset now, out int rank)
        {
            var signer = DnssecName.From(sig.SignersName);
            var what = $"the {rrset[0].RecordType} RRset of {owner}";
            rank = 1;
            if (DnssecCrypto.Support((int)sig.Algorithm) != AlgorithmSupport.Supported)
            {
                return $"{what} is signed only with algorithm {(int)sig.Algorithm}, which this validator does not accept";
            }

            rank = 2;

            // RFC 4035 §5.3.1: the signer is the zone holding the RRset; the owner is at or below it.
            if (!signer.Equals(zone) || !owner.IsAtOrBelow(signer))
            {
                return $"{what} is signed by {signer}, not by its zone {zone} (RFC 4035 §5.3.1)";
            }

            if (sig.Labels > owner.SignatureLabelCount)
            {
                return $"the RRSIG of {what} has a Labels field ({sig.Labels}) larger than the owner's label count (RFC 4035 §5.3.1)";
            }

            // RFC 4034 §3.1.5: inception and expiration are 32-bit serial numbers (RFC 1982) compared with the current time.
            var current = (uint)now.ToUnixTimeSeconds();
            var expiration = (uint)sig.SignatureExpiration.ToUnixTimeSeconds();
            var inception = (uint)sig.SignatureInception.ToUnixTimeSeconds();
            rank = 4;
            if (unchecked((int)(expiration - current)) < 0)
            {
                return $"the signature of {what} expired at {sig.SignatureExpiration:u} (RFC 4035 §5.3.1)";
            }

            if (unchecked((int)(current - inception)) < 0)
            {
                return $"the signature of {what} is not valid before {sig.SignatureInception:u} (RFC 4035 §5.3.1)";
            }

            rank = 3;
            var candidates = keys.Where(k => (int)k.Algorithm == (int)sig.Algorithm && IsZoneKey(k) && DnssecCrypto.KeyTag(CanonicalForm.DnskeyRdata(k)) == sig.KeyTag).ToList();
            if (candidates.Count == 0)
            {
                return $"no DNSKEY of {zone} has key tag {sig.KeyTag} and algorithm {(int)sig.Algorithm} to verify {what} (RFC 4035 §5.3.1)";
            }

            var data = CanonicalForm.TryBuildSignedData(sig, rrset, out var error);
            if (data is null)
            {
                rank = 0;
                return $"{what} cannot be checked: {error}";
            }

            var signature = sig.Signature.ToArray();
            rank = 5;
            foreach (var key in candidates)
            {
                if (DnssecCrypto.Verify((int)sig.Algorithm, key.PublicKey.ToArray(), data, signature))
                {
                    return null;
                }
            }

            return $"the signature of {what} does not verify with DNSKEY {sig.KeyTag} of {zone} (RFC 4035 §5.3.3)";
        }

        /// <summary>A key that may verify zone data: Zone Key flag set (RFC 4034 §2.1.1), protocol 3 (§2.1.2), not revoked (RFC 5011 §3).</summary>
        public static bool IsZoneKey(DnsKeyRecord key) => (key.Flags & 0x0100) != 0 && (key.Flags & 0x0080) == 0 && key.Protocol == 3;
    }
}
