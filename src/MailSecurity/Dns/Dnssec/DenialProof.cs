using System;
using System.Collections.Generic;
using System.Linq;
using DnsClient.Protocol;

namespace MailSecurity.Dns.Dnssec
{
    /// <summary>What a set of authenticated NSEC or NSEC3 records proves about a name.</summary>
    internal enum DenialVerdict
    {
        /// <summary>Nothing consistent was proven: the negative answer is bogus.</summary>
        NotProven,
        /// <summary>The name exists but has no RRset of the type (NODATA, RFC 4035 §3.1.3.1, RFC 5155 §8.5).</summary>
        NoData,
        /// <summary>The name does not exist, nor a wildcard that could match it (RFC 4035 §3.1.3.2, RFC 5155 §8.4).</summary>
        NameError,
        /// <summary>An opt-out NSEC3 covers the name: an unsigned delegation may exist there, so the answer is insecure (RFC 5155 §8.6, §9.2).</summary>
        OptOut,
        /// <summary>The name is proven absent, so a wildcard answer for it is genuine (RFC 4035 §5.3.4, RFC 5155 §8.8).</summary>
        WildcardAnswer,
    }

    /// <summary>The outcome of a denial proof, with the reason when it fails.</summary>
    internal sealed class DenialResult
    {
        public DenialResult(DenialVerdict verdict, string? failure = null, bool isDelegation = false, string? insecureReason = null)
        {
            Verdict = verdict;
            Failure = failure;
            IsDelegation = isDelegation;
            InsecureReason = insecureReason;
        }

        public DenialVerdict Verdict { get; }

        public string? Failure { get; }

        /// <summary>For NODATA: the name is a delegation point (NS without SOA in the bitmap), so a missing DS makes the child insecure.</summary>
        public bool IsDelegation { get; }

        /// <summary>Set when the proof cannot make the answer secure (NSEC3 iterations above the limit): the answer is insecure.</summary>
        public string? InsecureReason { get; }
    }

    /// <summary>
    /// Authenticated denial of existence over NSEC (RFC 4035 §5.4, RFC 6840 §4) and NSEC3 (RFC 5155 §8) records whose
    /// signatures the caller has already verified. Pure functions: no lookups.
    /// </summary>
    internal static class DenialProof
    {
        /// <summary>NSEC3 iteration counts above this make the answer insecure (RFC 9276 §3.2; Unbound's and BIND's limit).</summary>
        public const int MaxNsec3Iterations = 150;

        private const int NsecOptOut = 1;

        /// <summary>Proves that <paramref name="qname"/> has no <paramref name="qtype"/> RRset, or does not exist (<paramref name="nameError"/>).</summary>
        public static DenialResult Prove(DnssecName zone, DnssecName qname, ResourceRecordType qtype, bool nameError, IReadOnlyList<NSecRecord> nsecs, IReadOnlyList<NSec3Record> nsec3s)
        {
            if (nsecs.Count > 0)
            {
                return nameError ? NsecNameError(qname, nsecs) : NsecNoData(qname, qtype, nsecs);
            }

            if (nsec3s.Count > 0)
            {
                return Nsec3Denial(zone, qname, qtype, nameError, nsec3s);
            }

            return new DenialResult(DenialVerdict.NotProven, $"the {(nameError ? "NXDOMAIN" : "NODATA")} answer for {qname} carries no NSEC or NSEC3 proof (RFC 4035 §5.4)");
        }

        /// <summary>
        /// Proves that a wildcard-expanded answer for <paramref name="qname"/> is genuine: the next closer name below the
        /// wildcard's closest encloser (the RRSIG's Labels) does not exist (RFC 4035 §5.3.4, RFC 5155 §8.8).
        /// </summary>
        public static DenialResult ProveWildcardAnswer(DnssecName zone, DnssecName qname, int signatureLabels, IReadOnlyList<NSecRecord> nsecs, IReadOnlyList<NSec3Record> nsec3s)
        {
            var nextCloser = qname.Suffix(signatureLabels + 1);
            if (nsecs.Any(n => NsecCovers(n, nextCloser)))
            {
                return new DenialResult(DenialVerdict.WildcardAnswer);
            }

            var usable = UsableNsec3(zone, nsec3s, out var insecure);
            if (usable.Any(n => Nsec3Covers(n, Hash(n, nextCloser))))
            {
                return new DenialResult(DenialVerdict.WildcardAnswer, insecureReason: insecure);
            }

            return new DenialResult(DenialVerdict.NotProven, $"the answer for {qname} was expanded from a wildcard, but no NSEC/NSEC3 proves that {nextCloser} does not exist (RFC 4035 §5.3.4, RFC 5155 §8.8)");
        }

        /// <summary>
        /// NODATA from an NSEC or NSEC3 record that matches the name: neither the type nor CNAME in its bitmap, and not the
        /// parent side of a delegation unless the question is DS (RFC 6840 §4.4: that record proves only the absence of DS).
        /// </summary>
        private static DenialResult MatchingRecordNoData(IReadOnlyList<ResourceRecordType> types, ResourceRecordType qtype, string record, string rule, string? insecureReason)
        {
            var delegation = types.Contains(ResourceRecordType.NS) && !types.Contains(ResourceRecordType.SOA);
            if (delegation && qtype != ResourceRecordType.DS)
            {
                return new DenialResult(DenialVerdict.NotProven, $"{record} is the parent side of a delegation and cannot deny {qtype} (RFC 6840 §4.4)");
            }

            if (types.Contains(qtype) || types.Contains(ResourceRecordType.CNAME))
            {
                return new DenialResult(DenialVerdict.NotProven, $"{record} lists {(types.Contains(qtype) ? qtype : ResourceRecordType.CNAME)}, so it does not prove NODATA for {qtype} ({rule})");
            }

            return new DenialResult(DenialVerdict.NoData, isDelegation: delegation, insecureReason: insecureReason);
        }

        // ---- NSEC (RFC 4035 §5.4) ----

        private static DenialResult NsecNoData(DnssecName qname, ResourceRecordType qtype, IReadOnlyList<NSecRecord> nsecs)
        {
            var match = nsecs.FirstOrDefault(n => Owner(n).Equals(qname));
            if (match != null)
            {
                return MatchingRecordNoData(match.TypeBitMaps, qtype, $"the NSEC at {qname}", "RFC 4035 §5.4", null);
            }

            // An empty non-terminal: an NSEC covers the name and its next name lies below it (RFC 4035 §3.1.3.2, RFC 5155 §7.2.3).
            if (nsecs.Any(n => NsecCovers(n, qname) && Next(n).IsBelow(qname)))
            {
                return new DenialResult(DenialVerdict.NoData);
            }

            // Wildcard NODATA (RFC 4035 §3.1.3.4): qname absent, the wildcard at its closest encloser lacks the type.
            foreach (var cover in nsecs.Where(n => NsecCovers(n, qname)))
            {
                var wildcard = ClosestEncloser(qname, cover).Wildcard();
                var wild = nsecs.FirstOrDefault(n => Owner(n).Equals(wildcard));
                if (wild != null && !wild.TypeBitMaps.Contains(qtype) && !wild.TypeBitMaps.Contains(ResourceRecordType.CNAME))
                {
                    return new DenialResult(DenialVerdict.NoData);
                }
            }

            return new DenialResult(DenialVerdict.NotProven, $"no NSEC matches {qname} to prove it has no {qtype} record (RFC 4035 §5.4)");
        }

        private static DenialResult NsecNameError(DnssecName qname, IReadOnlyList<NSecRecord> nsecs)
        {
            var cover = nsecs.FirstOrDefault(n => NsecCovers(n, qname));
            if (cover is null)
            {
                return new DenialResult(DenialVerdict.NotProven, $"no NSEC covers {qname} to prove it does not exist (RFC 4035 §5.4)");
            }

            // RFC 6840 §4.1: an NSEC of an ancestor delegation (NS without SOA) or DNAME cannot deny names below it.
            if (IsAncestorCut(Owner(cover), cover.TypeBitMaps, qname))
            {
                return new DenialResult(DenialVerdict.NotProven, $"the NSEC at {Owner(cover)} is a delegation or DNAME above {qname} and cannot deny it (RFC 6840 §4.1)");
            }

            var encloser = ClosestEncloser(qname, cover);
            var wildcard = encloser.Wildcard();
            if (!nsecs.Any(n => NsecCovers(n, wildcard)))
            {
                return new DenialResult(DenialVerdict.NotProven, $"no NSEC proves that the wildcard {wildcard} does not exist (RFC 4035 §5.4)");
            }

            return new DenialResult(DenialVerdict.NameError);
        }

        /// <summary>RFC 4035 §5.4: the closest encloser is the longer of the names the covering NSEC's owner and next name share with qname.</summary>
        private static DnssecName ClosestEncloser(DnssecName qname, NSecRecord cover)
        {
            var a = qname.CommonAncestor(Owner(cover));
            var b = qname.CommonAncestor(Next(cover));
            return a.LabelCount >= b.LabelCount ? a : b;
        }

        /// <summary>True when the NSEC's interval (owner, next) strictly contains <paramref name="name"/> in canonical order (RFC 4034 §4.1.1).</summary>
        private static bool NsecCovers(NSecRecord nsec, DnssecName name)
        {
            var owner = Owner(nsec);
            var next = Next(nsec);
            if (owner.CompareTo(next) < 0)
            {
                return owner.CompareTo(name) < 0 && name.CompareTo(next) < 0;
            }

            // The last NSEC of the zone points back at the apex: it covers everything after its owner, inside the zone.
            return owner.CompareTo(name) < 0 && name.IsBelow(next);
        }

        private static bool IsAncestorCut(DnssecName owner, IReadOnlyList<ResourceRecordType> types, DnssecName qname)
            => qname.IsBelow(owner) && ((types.Contains(ResourceRecordType.NS) && !types.Contains(ResourceRecordType.SOA)) || types.Contains((ResourceRecordType)39));

        private static DnssecName Owner(DnsResourceRecord r) => DnssecName.From(r.DomainName);

        private static DnssecName Next(NSecRecord r) => DnssecName.From(r.NextDomainName);

        // ---- NSEC3 (RFC 5155 §8) ----

        private static DenialResult Nsec3Denial(DnssecName zone, DnssecName qname, ResourceRecordType qtype, bool nameError, IReadOnlyList<NSec3Record> all)
        {
            var usable = UsableNsec3(zone, all, out var insecure);
            if (usable.Count == 0)
            {
                return insecure != null
                    ? new DenialResult(DenialVerdict.OptOut, insecureReason: insecure)
                    : new DenialResult(DenialVerdict.NotProven, $"no usable NSEC3 record (hash algorithm 1, flags 0 or 1) of {zone} in the answer (RFC 5155 §8.1, §8.2)");
            }

            if (!nameError)
            {
                var match = usable.FirstOrDefault(n => Nsec3Matches(n, qname));
                if (match != null)
                {
                    return MatchingRecordNoData(match.TypeBitMaps, qtype, $"the NSEC3 matching {qname}", "RFC 5155 §8.5", insecure);
                }
            }

            // No NSEC3 matches qname: a closest encloser proof is needed (RFC 5155 §8.3).
            var proof = ClosestEncloserProof(zone, qname, usable);
            if (proof.Failure != null)
            {
                return new DenialResult(DenialVerdict.NotProven, proof.Failure);
            }

            var optOut = (proof.NextCloserCover!.Flags & NsecOptOut) != 0;
            if (!nameError && qtype == ResourceRecordType.DS && optOut)
            {
                // RFC 5155 §8.6: no NSEC3 matches the name, an opt-out one covers it: an unsigned delegation may be there.
                return new DenialResult(DenialVerdict.OptOut, insecureReason: insecure ?? $"an opt-out NSEC3 covers {qname}: an unsigned delegation may exist there (RFC 5155 §8.6)");
            }

            var wildcard = proof.Encloser!.Wildcard();
            if (!nameError)
            {
                // Wildcard NODATA (RFC 5155 §8.7): the wildcard at the closest encloser exists and lacks the type.
                var wild = usable.FirstOrDefault(n => Nsec3Matches(n, wildcard));
                if (wild != null && !wild.TypeBitMaps.Contains(qtype) && !wild.TypeBitMaps.Contains(ResourceRecordType.CNAME))
                {
                    return new DenialResult(DenialVerdict.NoData, insecureReason: insecure);
                }

                return new DenialResult(DenialVerdict.NotProven, $"no NSEC3 matches {qname} or the wildcard {wildcard} to prove it has no {qtype} record (RFC 5155 §8.5, §8.7)");
            }

            // Name error (RFC 5155 §8.4): the wildcard at the closest encloser must be covered too.
            if (!usable.Any(n => Nsec3Covers(n, Hash(n, wildcard))))
            {
                return new DenialResult(DenialVerdict.NotProven, $"no NSEC3 proves that the wildcard {wildcard} does not exist (RFC 5155 §8.4)");
            }

            if (optOut)
            {
                // RFC 5155 §9.2: an NXDOMAIN under an opt-out span cannot be proven secure.
                return new DenialResult(DenialVerdict.OptOut, insecureReason: insecure ?? $"an opt-out NSEC3 covers {proof.NextCloser}: the name may sit under an unsigned delegation (RFC 5155 §9.2)");
            }

            return new DenialResult(DenialVerdict.NameError, insecureReason: insecure);
        }

        private sealed class EncloserProof
        {
            public DnssecName? Encloser;
            public DnssecName? NextCloser;
            public NSec3Record? NextCloserCover;
            public string? Failure;
        }

        /// <summary>RFC 5155 §8.3: find the closest encloser (an ancestor with a matching NSEC3) and a cover of the next closer name.</summary>
        private static EncloserProof ClosestEncloserProof(DnssecName zone, DnssecName qname, IReadOnlyList<NSec3Record> usable)
        {
            DnssecName? nextCloser = null;
            for (var name = qname; name.IsAtOrBelow(zone); name = name.Parent)
            {
                var match = usable.FirstOrDefault(n => Nsec3Matches(n, name));
                if (match != null)
                {
                    if (nextCloser is null)
                    {
                        return new EncloserProof { Failure = $"an NSEC3 matches {qname}, so it exists (RFC 5155 §8.4)" };
                    }

                    var types = match.TypeBitMaps;
                    if (!name.Equals(zone) && ((types.Contains(ResourceRecordType.NS) && !types.Contains(ResourceRecordType.SOA)) || types.Contains((ResourceRecordType)39)))
                    {
                        return new EncloserProof { Failure = $"the closest encloser {name} is a delegation or DNAME: it cannot deny {qname} (RFC 5155 §8.3, RFC 6840 §4.1)" };
                    }

                    var cover = usable.FirstOrDefault(n => Nsec3Covers(n, Hash(n, nextCloser)));
                    if (cover is null)
                    {
                        return new EncloserProof { Failure = $"no NSEC3 covers the next closer name {nextCloser} (RFC 5155 §8.3)" };
                    }

                    return new EncloserProof { Encloser = name, NextCloser = nextCloser, NextCloserCover = cover };
                }

                if (name.LabelCount == 0)
                {
                    break;
                }

                nextCloser = name;
            }

            return new EncloserProof { Failure = $"no NSEC3 proves a closest encloser of {qname} in {zone} (RFC 5155 §8.3)" };
        }

        /// <summary>NSEC3 records of the zone that a validator may use (RFC 5155 §8.1, §8.2); iteration counts above the limit make the answer insecure (RFC 9276 §3.2).</summary>
        private static IReadOnlyList<NSec3Record> UsableNsec3(DnssecName zone, IReadOnlyList<NSec3Record> all, out string? insecure)
        {
            insecure = null;
            var usable = new List<NSec3Record>();
            foreach (var n in all)
            {
                if (n.HashAlgorithm != 1 || (n.Flags & ~NsecOptOut) != 0 || !Owner(n).Parent.Equals(zone) || OwnerHash(n) is null)
                {
                    continue;
                }

                if (n.Iterations > MaxNsec3Iterations)
                {
                    insecure = $"the NSEC3 records of {zone} use {n.Iterations} iterations, above the limit of {MaxNsec3Iterations} (RFC 9276 §3.2)";
                }

                usable.Add(n);
            }

            return usable;
        }

        private static byte[] Hash(NSec3Record n, DnssecName name) => DnssecCrypto.Nsec3Hash(name, n.Salt, n.Iterations);

        private static bool Nsec3Matches(NSec3Record n, DnssecName name)
        {
            var owner = OwnerHash(n);
            return owner != null && CanonicalForm.CompareOctets(owner, Hash(n, name)) == 0;
        }

        private static bool Nsec3Covers(NSec3Record n, byte[] hash)
        {
            var owner = OwnerHash(n);
            if (owner is null)
            {
                return false;
            }

            var next = n.NextOwnersName;
            var afterOwner = CanonicalForm.CompareOctets(owner, hash) < 0;
            var beforeNext = CanonicalForm.CompareOctets(hash, next) < 0;
            return CanonicalForm.CompareOctets(owner, next) < 0 ? afterOwner && beforeNext : afterOwner || beforeNext;
        }

        /// <summary>The hash in the first label of an NSEC3 owner name (Base32hex without padding, RFC 4648 §7; RFC 5155 §3).</summary>
        private static byte[]? OwnerHash(NSec3Record n) => Base32Hex.Decode(Owner(n).FirstLabel);
    }

    /// <summary>Base32 with the extended hex alphabet (RFC 4648 §7), no padding, case-insensitive, as NSEC3 owner names use it.</summary>
    internal static class Base32Hex
    {
        public static byte[]? Decode(byte[] label)
        {
            var output = new List<byte>(label.Length * 5 / 8);
            int buffer = 0, bits = 0;
            foreach (var raw in label)
            {
                var c = raw >= (byte)'a' && raw <= (byte)'z' ? raw - 32 : raw;
                int value;
                if (c >= '0' && c <= '9')
                {
                    value = c - '0';
                }
                else if (c >= 'A' && c <= 'V')
                {
                    value = c - 'A' + 10;
                }
                else
                {
                    return null;
                }

                buffer = (buffer << 5) | value;
                bits += 5;
                if (bits >= 8)
                {
                    bits -= 8;
                    output.Add((byte)(buffer >> bits));
                    buffer &= (1 << bits) - 1;
                }
            }

            return output.Count == 0 ? null : output.ToArray();
        }
    }
}
