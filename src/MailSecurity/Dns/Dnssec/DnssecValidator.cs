using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;

namespace MailSecurity.Dns.Dnssec
{
    /// <summary>The local verdict on one answer: its DNSSEC state, why, and the state of each CNAME link.</summary>
    internal sealed class DnssecVerdict
    {
        public DnssecVerdict(DnssecStatus status, string? reason, IReadOnlyList<DnssecStatus>? linkStatuses = null)
        {
            Status = status;
            Reason = reason;
            LinkStatuses = linkStatuses ?? Array.Empty<DnssecStatus>();
        }

        /// <summary>Secure, Insecure, Bogus or Indeterminate (RFC 4035 §4.3).</summary>
        public DnssecStatus Status { get; }

        /// <summary>Why the answer is not secure (expired signature, DS mismatch, no trust anchor …); null when secure.</summary>
        public string? Reason { get; }

        /// <summary>State of each CNAME link of the answer, in order (RFC 7672 §2.1.3).</summary>
        public IReadOnlyList<DnssecStatus> LinkStatuses { get; }

        public override string ToString() => Reason is null ? Status.ToString() : $"{Status}: {Reason}";

        internal static DnssecVerdict Secure { get; } = new DnssecVerdict(DnssecStatus.Secure, null);
    }

    /// <summary>
    /// Validates answers ourselves (RFC 4035 §5): builds the chain of trust from a trust anchor down to the signer of
    /// each RRset with DS and DNSKEY lookups through the same lookup the answer came from (the configured resolver, its
    /// run cache coalescing repeated questions), and proves denials and insecure delegations with NSEC/NSEC3.
    /// </summary>
    /// <remarks>
    /// Written here rather than taken from a library: ARSoft.Tools.Net (Apache-2.0, the maintained .NET DNSSEC
    /// validator) ships only a net6.0 build that needs the ASP.NET Core shared framework — nothing for the
    /// netstandard2.0 build PowerShell 5.1 loads — and would bring a second DNS client into the module's isolated load
    /// context, bypassing our run cache, query log and -DnsServer handling. This class is the chain walker only; the
    /// rules live in <see cref="SignatureCheck"/>, <see cref="DenialProof"/>, <see cref="CanonicalForm"/>,
    /// <see cref="DnssecCrypto"/> and <see cref="TrustAnchors"/>.
    /// One validator serves one run: zone keys are validated once per zone and shared by every answer of the run.
    /// </remarks>
    internal sealed class DnssecValidator
    {
        private readonly IDnsLookup _lookup;
        private readonly TrustAnchors _anchors;
        private readonly Func<DateTimeOffset> _clock;
        private readonly CancellationToken _runToken;
        private readonly ConcurrentDictionary<DnssecName, Lazy<Task<ZoneKeys>>> _zones = new ConcurrentDictionary<DnssecName, Lazy<Task<ZoneKeys>>>();
        private readonly ConcurrentDictionary<DnssecName, Lazy<Task<ZoneKeys>>> _regions = new ConcurrentDictionary<DnssecName, Lazy<Task<ZoneKeys>>>();

        /// <param name="lookup">Where DS and DNSKEY questions go (the run's resolver).</param>
        /// <param name="anchors">Trust anchors.</param>
        /// <param name="clock">Current time for signature windows (tests pin it).</param>
        /// <param name="runToken">Cancels shared zone work for the whole run.</param>
        public DnssecValidator(IDnsLookup lookup, TrustAnchors anchors, Func<DateTimeOffset>? clock = null, CancellationToken runToken = default)
        {
            _lookup = lookup;
            _anchors = anchors;
            _clock = clock ?? (() => DateTimeOffset.UtcNow);
            _runToken = runToken;
        }

        /// <summary>The trust anchors in use.</summary>
        public TrustAnchors Anchors => _anchors;

        /// <summary>Validates one answer: every CNAME link, then the final RRset or the proof that it does not exist.</summary>
        public async Task<DnssecVerdict> ValidateAsync(DnsAnswer answer, CancellationToken cancellationToken = default)
        {
            if (answer.Status == DnsLookupStatus.InvalidName)
            {
                return new DnssecVerdict(DnssecStatus.Unknown, answer.ErrorMessage);
            }

            if (answer.IsLookupError)
            {
                return new DnssecVerdict(DnssecStatus.Indeterminate, answer.Describe());
            }

            var links = new List<DnssecStatus>();
            var worst = DnssecVerdict.Secure;
            foreach (var link in answer.CnameChain)
            {
                var owner = DnssecName.Parse(link.Name);
                var rrset = answer.Evidence.AnswerSection.Where(r => r.RecordType == ResourceRecordType.CNAME && DnssecName.From(r.DomainName).Equals(owner)).ToList();
                var verdict = await ValidateRrsetAsync(rrset, answer, cancellationToken).ConfigureAwait(false);

                // RFC 7672 §2.1.3: once a link is insecure, it and everything after it are insecure.
                if (worst.Status == DnssecStatus.Insecure && verdict.Status == DnssecStatus.Secure)
                {
                    verdict = worst;
                }

                links.Add(verdict.Status);
                worst = Worse(worst, verdict);
            }

            var final = DnssecName.Parse(answer.CanonicalName);
            DnssecVerdict last;
            if (answer.Records.Count > 0)
            {
                last = await ValidateRrsetAsync(answer.Records, answer, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                last = await ValidateDenialAsync(final, answer.QueryType, answer.Status == DnsLookupStatus.NxDomain, answer.Evidence.AuthoritySection, cancellationToken).ConfigureAwait(false);
            }

            worst = Worse(worst, last);
            return new DnssecVerdict(worst.Status, worst.Reason, links);
        }

        /// <summary>The worse of two verdicts: Bogus, then Indeterminate, then Insecure, then Secure.</summary>
        private static DnssecVerdict Worse(DnssecVerdict a, DnssecVerdict b) => Rank(b.Status) > Rank(a.Status) ? b : a;

        private static int Rank(DnssecStatus s) => s switch
        {
            DnssecStatus.Secure => 0,
            DnssecStatus.Insecure => 1,
            DnssecStatus.Indeterminate => 2,
            DnssecStatus.Bogus => 3,
            _ => 2,
        };

        private async Task<DnssecVerdict> ValidateRrsetAsync(IReadOnlyList<DnsResourceRecord> rrset, DnsAnswer answer, CancellationToken cancellationToken)
        {
            var owner = DnssecName.From(rrset[0].DomainName);
            var type = rrset[0].RecordType;
            var signatures = answer.Evidence.AnswerSection.OfType<RRSigRecord>()
                .Where(s => s.CoveredType == type && DnssecName.From(s.DomainName).Equals(owner)).ToList();
            if (signatures.Count == 0)
            {
                // Unsigned data is fine only below an insecure delegation or outside every trust anchor (RFC 4035 §5.2).
                var region = await RegionAsync(owner, cancellationToken).ConfigureAwait(false);
                return region.State == DnssecStatus.Secure
                    ? new DnssecVerdict(DnssecStatus.Bogus, $"the {type} RRset of {owner} has no RRSIG, but {region.Zone} is signed (RFC 4035 §5.3)")
                    : region.Verdict;
            }

            // Several signers can only be a forgery or a misconfiguration; take the one the owner belongs to (closest).
            var signer = SignerFor(owner, type == ResourceRecordType.DS, signatures);
            if (signer is null)
            {
                return new DnssecVerdict(DnssecStatus.Bogus, $"the RRSIG of the {type} RRset of {owner} names a signer that is not a zone above the owner (RFC 4035 §5.3.1, §5.2)");
            }

            var keys = await ZoneKeysAsync(signer, cancellationToken).ConfigureAwait(false);
            if (keys.State != DnssecStatus.Secure)
            {
                return keys.Verdict;
            }

            var check = SignatureCheck.Verify(signer, keys.Keys, rrset, signatures, _clock());
            if (!check.IsValid)
            {
                return new DnssecVerdict(DnssecStatus.Bogus, check.Failure);
            }

            if (check.IsWildcardExpansion(owner))
            {
                var denial = AuthenticatedDenialRecords(signer, keys, answer.Evidence.AuthoritySection);
                if (denial.Failure != null)
                {
                    return new DnssecVerdict(DnssecStatus.Bogus, denial.Failure);
                }

                var proof = DenialProof.ProveWildcardAnswer(signer, owner, check.Signature!.Labels, denial.Nsecs, denial.Nsec3s);
                if (proof.Verdict != DenialVerdict.WildcardAnswer)
                {
                    return new DnssecVerdict(DnssecStatus.Bogus, proof.Failure);
                }
            }

            return DnssecVerdict.Secure;
        }

        private async Task<DnssecVerdict> ValidateDenialAsync(DnssecName name, QueryType type, bool nameError, IReadOnlyList<DnsResourceRecord> authority, CancellationToken cancellationToken)
            => (await DenyAsync(name, type, nameError, authority, cancellationToken).ConfigureAwait(false)).Verdict;

        /// <summary>Validates a NODATA/NXDOMAIN answer; also returns the proof (for the delegation bit of DS denials).</summary>
        private async Task<(DnssecVerdict Verdict, DenialResult? Proof)> DenyAsync(DnssecName name, QueryType type, bool nameError, IReadOnlyList<DnsResourceRecord> authority, CancellationToken cancellationToken)
        {
            var signatures = authority.OfType<RRSigRecord>().ToList();
            if (signatures.Count == 0)
            {
                var region = await RegionAsync(type == QueryType.DS ? name.Parent : name, cancellationToken).ConfigureAwait(false);
                return (region.State == DnssecStatus.Secure
                    ? new DnssecVerdict(DnssecStatus.Bogus, $"the {(nameError ? "NXDOMAIN" : "NODATA")} answer for {name} {type} has no signed NSEC/NSEC3 proof, but {region.Zone} is signed (RFC 4035 §5.4)")
                    : region.Verdict, null);
            }

            var signer = SignerFor(name, type == QueryType.DS, signatures);
            if (signer is null)
            {
                return (new DnssecVerdict(DnssecStatus.Bogus, $"the denial for {name} {type} is not signed by a zone above the name (RFC 4035 §5.3.1, §5.2)"), null);
            }

            var keys = await ZoneKeysAsync(signer, cancellationToken).ConfigureAwait(false);
            if (keys.State != DnssecStatus.Secure)
            {
                return (keys.Verdict, null);
            }

            var denial = AuthenticatedDenialRecords(signer, keys, authority);
            if (denial.Failure != null)
            {
                return (new DnssecVerdict(DnssecStatus.Bogus, denial.Failure), null);
            }

            var proof = DenialProof.Prove(signer, name, (ResourceRecordType)(int)type, nameError, denial.Nsecs, denial.Nsec3s);
            switch (proof.Verdict)
            {
                case DenialVerdict.NoData when !nameError:
                case DenialVerdict.NameError when nameError:
                    return (proof.InsecureReason is null ? DnssecVerdict.Secure : new DnssecVerdict(DnssecStatus.Insecure, proof.InsecureReason), proof);
                case DenialVerdict.OptOut:
                    return (new DnssecVerdict(DnssecStatus.Insecure, proof.InsecureReason), proof);
                default:
                    return (new DnssecVerdict(DnssecStatus.Bogus, proof.Failure ?? $"the denial for {name} {type} proves the wrong thing (RFC 4035 §5.4)"), proof);
            }
        }

        /// <summary>
        /// The zone whose signatures count for data at <paramref name="owner"/>: the closest signer at or above it; for DS
        /// (which the parent signs, RFC 4035 §5.2) strictly above it.
        /// </summary>
        private static DnssecName? SignerFor(DnssecName owner, bool parentSide, IEnumerable<RRSigRecord> signatures)
            => signatures.Select(s => DnssecName.From(s.SignersName))
                .Where(n => parentSide ? owner.IsBelow(n) : owner.IsAtOrBelow(n))
                .OrderByDescending(n => n.LabelCount)
                .FirstOrDefault();

        private sealed class DenialRecords
        {
            public List<NSecRecord> Nsecs { get; } = new List<NSecRecord>();

            public List<NSec3Record> Nsec3s { get; } = new List<NSec3Record>();

            public string? Failure { get; set; }
        }

        /// <summary>The NSEC/NSEC3 RRsets of the authority section of <paramref name="zone"/>, each verified with the zone's keys.</summary>
        private DenialRecords AuthenticatedDenialRecords(DnssecName zone, ZoneKeys keys, IReadOnlyList<DnsResourceRecord> authority)
        {
            var result = new DenialRecords();
            var signatures = authority.OfType<RRSigRecord>().ToList();
            var groups = authority
                .Where(r => r.RecordType == ResourceRecordType.NSEC || r.RecordType == ResourceRecordType.NSEC3)
                .GroupBy(r => (DnssecName.From(r.DomainName), r.RecordType));
            foreach (var group in groups)
            {
                var rrset = group.ToList();
                var sigs = signatures.Where(s => DnssecName.From(s.DomainName).Equals(group.Key.Item1));
                var check = SignatureCheck.Verify(zone, keys.Keys, rrset, sigs, _clock());
                if (!check.IsValid)
                {
                    result.Failure = check.Failure;
                    return result;
                }

                // RFC 4035 §5.3.4 / RFC 5155 §7.2.6: NSEC and NSEC3 records are never wildcard expansions.
                if (check.IsWildcardExpansion(group.Key.Item1))
                {
                    result.Failure = $"the {group.Key.Item2} record at {group.Key.Item1} claims to come from a wildcard (RFC 4035 §5.3.4)";
                    return result;
                }

                result.Nsecs.AddRange(rrset.OfType<NSecRecord>());
                result.Nsec3s.AddRange(rrset.OfType<NSec3Record>());
            }

            return result;
        }

        /// <summary>The authenticated DNSKEY RRset of <paramref name="zone"/> (or why there is none), validated once per run.</summary>
        private Task<ZoneKeys> ZoneKeysAsync(DnssecName zone, CancellationToken cancellationToken)
            => Shared(_zones, zone, z => BuildZoneKeysAsync(z, _runToken), cancellationToken);

        /// <summary>
        /// The security of the region that holds <paramref name="name"/>: walks down from the closest trust anchor with DS
        /// questions until an insecure delegation is proven (Insecure), the name is reached inside signed zones (Secure,
        /// with <see cref="ZoneKeys.Zone"/> the deepest zone), or something fails (Bogus/Indeterminate). Used for unsigned
        /// answers only (RFC 4035 §5.2, §4.3). Each name's DS question is asked once per run.
        /// </summary>
        private Task<ZoneKeys> RegionAsync(DnssecName name, CancellationToken cancellationToken)
            => Shared(_regions, name, n => BuildRegionAsync(n, _runToken), cancellationToken);

        private static async Task<ZoneKeys> Shared(ConcurrentDictionary<DnssecName, Lazy<Task<ZoneKeys>>> cache, DnssecName key, Func<DnssecName, Task<ZoneKeys>> factory, CancellationToken cancellationToken)
        {
            var task = cache.GetOrAdd(key, k => new Lazy<Task<ZoneKeys>>(() => factory(k))).Value;
            return await Runtime.SharedTaskCache<DnssecName, ZoneKeys>.WaitAsync(task, cancellationToken).ConfigureAwait(false);
        }

        private async Task<ZoneKeys> BuildRegionAsync(DnssecName name, CancellationToken cancellationToken)
        {
            var anchor = _anchors.ClosestAnchor(name);
            if (anchor is null)
            {
                return ZoneKeys.Insecure(name, $"no trust anchor covers {name} (RFC 4035 §4.3)");
            }

            if (name.Equals(anchor))
            {
                return await ZoneKeysAsync(anchor, cancellationToken).ConfigureAwait(false);
            }

            // The parent's region first (shared with every sibling), then one DS question at this name.
            var parent = await RegionAsync(name.Parent, cancellationToken).ConfigureAwait(false);
            if (parent.State != DnssecStatus.Secure)
            {
                return parent;
            }

            var ds = await _lookup.QueryAsync(name.ToString(), QueryType.DS, cancellationToken).ConfigureAwait(false);
            if (NotAnswered(ds))
            {
                return ZoneKeys.Failed(DnssecStatus.Indeterminate, name, $"the DS lookup for {name} failed: {ds.Describe()}");
            }

            if (ds.Records.Count > 0)
            {
                var child = await ZoneKeysAsync(name, cancellationToken).ConfigureAwait(false);
                return child;
            }

            var denial = await DsDenialAsync(name, ds, cancellationToken).ConfigureAwait(false);
            return denial ?? parent;
        }

        /// <summary>
        /// Reads a DS NODATA/NXDOMAIN answer for <paramref name="name"/> inside a secure region:
        /// Insecure when it proves a delegation without DS (or an opt-out span), null when the name is no zone cut
        /// (the parent region continues), Bogus otherwise.
        /// </summary>
        private async Task<ZoneKeys?> DsDenialAsync(DnssecName name, DnsAnswer ds, CancellationToken cancellationToken)
        {
            var (verdict, proof) = await DenyAsync(name, QueryType.DS, ds.Status == DnsLookupStatus.NxDomain, ds.Evidence.AuthoritySection, cancellationToken).ConfigureAwait(false);
            if (verdict.Status == DnssecStatus.Insecure)
            {
                return ZoneKeys.Insecure(name, verdict.Reason ?? $"{name} is an unsigned delegation");
            }

            if (verdict.Status != DnssecStatus.Secure)
            {
                return ZoneKeys.Failed(verdict.Status, name, verdict.Reason ?? $"the DS denial for {name} is not valid");
            }

            if (ds.Status == DnsLookupStatus.NxDomain)
            {
                return ZoneKeys.Failed(DnssecStatus.Bogus, name, $"{name} is proven not to exist, yet data at or below it was answered");
            }

            if (proof?.IsDelegation == true)
            {
                // RFC 4035 §5.2: an authenticated proof that no DS exists at a delegation makes the child insecure.
                return ZoneKeys.Insecure(name, $"{name} is delegated without a DS record (insecure delegation, RFC 4035 §5.2)");
            }

            return null;
        }

        private async Task<ZoneKeys> BuildZoneKeysAsync(DnssecName zone, CancellationToken cancellationToken)
        {
            var anchors = _anchors.For(zone);
            if (anchors.Count > 0)
            {
                return await MatchKeysAsync(zone, anchors.Select(a => (a.KeyTag, a.Algorithm, a.DigestType, a.Digest, a.DnskeyRdata)).ToList(), "trust anchor", cancellationToken).ConfigureAwait(false);
            }

            if (_anchors.ClosestAnchor(zone) is null)
            {
                return ZoneKeys.Insecure(zone, $"no trust anchor covers {zone} (RFC 4035 §4.3)");
            }

            var ds = await _lookup.QueryAsync(zone.ToString(), QueryType.DS, cancellationToken).ConfigureAwait(false);
            if (NotAnswered(ds))
            {
                return ZoneKeys.Failed(DnssecStatus.Indeterminate, zone, $"the DS lookup for {zone} failed: {ds.Describe()}");
            }

            if (ds.Records.Count == 0)
            {
                // No DS: an island of security under an insecure delegation, or a broken chain; the parent decides.
                var parentRegion = await RegionAsync(zone.Parent, cancellationToken).ConfigureAwait(false);
                if (parentRegion.State != DnssecStatus.Secure)
                {
                    return parentRegion.State == DnssecStatus.Insecure ? ZoneKeys.Insecure(zone, parentRegion.Reason!) : parentRegion;
                }

                var denial = await DsDenialAsync(zone, ds, cancellationToken).ConfigureAwait(false);
                return denial ?? ZoneKeys.Failed(DnssecStatus.Bogus, zone, $"{zone} signs data but is not a delegated zone with a DS record (RFC 4035 §5.2)");
            }

            if (!ds.Evidence.AnswerSection.OfType<RRSigRecord>().Any(s => s.CoveredType == ResourceRecordType.DS))
            {
                // An unsigned DS RRset is acceptable only where the parent itself is insecure.
                var above = await RegionAsync(zone.Parent, cancellationToken).ConfigureAwait(false);
                return above.State == DnssecStatus.Secure
                    ? ZoneKeys.Failed(DnssecStatus.Bogus, zone, $"the DS RRset of {zone} has no RRSIG, but {above.Zone} is signed (RFC 4035 §5.2)")
                    : (above.State == DnssecStatus.Insecure ? ZoneKeys.Insecure(zone, above.Reason!) : above);
            }

            var dsVerdict = await ValidateRrsetAsync(ds.Records, ds, cancellationToken).ConfigureAwait(false);
            if (dsVerdict.Status != DnssecStatus.Secure)
            {
                return dsVerdict.Status == DnssecStatus.Insecure ? ZoneKeys.Insecure(zone, dsVerdict.Reason!) : ZoneKeys.Failed(dsVerdict.Status, zone, dsVerdict.Reason!);
            }

            var set = ds.RecordsOf<DsRecord>().Select(d => (d.KeyTag, (int)d.Algorithm, (int)d.DigestType, (byte[]?)d.Digest.ToArray(), (byte[]?)null)).ToList();
            return await MatchKeysAsync(zone, set, "DS record", cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// RFC 4035 §5.2: the DNSKEY RRset of <paramref name="zone"/> is authenticated when a key matching an authenticated
        /// DS (or trust anchor) signs it. DS entries with unsupported algorithms or digests are skipped; when none is left
        /// the zone is insecure. SHA-1 digests are ignored when SHA-256/384 ones exist (RFC 4509 §3).
        /// </summary>
        private async Task<ZoneKeys> MatchKeysAsync(DnssecName zone, IReadOnlyList<(int KeyTag, int Algorithm, int DigestType, byte[]? Digest, byte[]? Dnskey)> pointers, string what, CancellationToken cancellationToken)
        {
            var usable = pointers.Where(p => DnssecCrypto.Support(p.Algorithm) == AlgorithmSupport.Supported && (p.Dnskey != null || DnssecCrypto.IsSupportedDigest(p.DigestType))).ToList();
            if (usable.Any(p => p.DigestType == 2 || p.DigestType == 4))
            {
                usable = usable.Where(p => p.DigestType != 1).ToList();
            }

            if (usable.Count == 0)
            {
                var deprecated = pointers.Any(p => DnssecCrypto.Support(p.Algorithm) == AlgorithmSupport.Deprecated);
                var list = string.Join(", ", pointers.Select(p => p.Dnskey is null ? $"algorithm {p.Algorithm} digest {p.DigestType}" : $"algorithm {p.Algorithm}").Distinct());
                return ZoneKeys.Insecure(zone, deprecated
                    ? $"{zone} is signed only with RSA/SHA-1 ({list}), which validators treat as unsupported (RFC 9905 §2): insecure"
                    : $"no {what} of {zone} uses a supported algorithm and digest ({list}): insecure (RFC 4035 §5.2)");
            }

            var dnskey = await _lookup.QueryAsync(zone.ToString(), QueryType.DNSKEY, cancellationToken).ConfigureAwait(false);
            if (NotAnswered(dnskey))
            {
                return ZoneKeys.Failed(DnssecStatus.Indeterminate, zone, $"the DNSKEY lookup for {zone} failed: {dnskey.Describe()}");
            }

            var keys = dnskey.RecordsOf<DnsKeyRecord>().ToList();
            if (keys.Count == 0)
            {
                return ZoneKeys.Failed(DnssecStatus.Bogus, zone, $"{zone} has a {what} but no DNSKEY record (RFC 4035 §5.2)");
            }

            var entry = keys.Where(k => usable.Any(p => Matches(zone, k, p))).ToList();
            if (entry.Count == 0)
            {
                var tags = string.Join(", ", usable.Select(p => p.KeyTag).Distinct());
                return ZoneKeys.Failed(DnssecStatus.Bogus, zone, $"no DNSKEY of {zone} matches its {what} (key tag {tags}): DS mismatch (RFC 4035 §5.2)");
            }

            var signatures = dnskey.Evidence.AnswerSection.OfType<RRSigRecord>().Where(s => s.CoveredType == ResourceRecordType.DNSKEY);
            var check = SignatureCheck.Verify(zone, entry, dnskey.Records, signatures, _clock());
            if (!check.IsValid)
            {
                return ZoneKeys.Failed(DnssecStatus.Bogus, zone, $"the DNSKEY RRset of {zone} is not signed by the key its {what} names: {check.Failure}");
            }

            return ZoneKeys.Secure(zone, keys);
        }

        /// <summary>A DS or DNSKEY question that got no answer (a failure, or a name the DNS layer would not send): never "no record".</summary>
        private static bool NotAnswered(DnsAnswer answer) => answer.IsLookupError || answer.Status == DnsLookupStatus.InvalidName;

        private static bool Matches(DnssecName zone, DnsKeyRecord key, (int KeyTag, int Algorithm, int DigestType, byte[]? Digest, byte[]? Dnskey) pointer)
        {
            if ((int)key.Algorithm != pointer.Algorithm || !SignatureCheck.IsZoneKey(key))
            {
                return false;
            }

            var rdata = CanonicalForm.DnskeyRdata(key);
            if (pointer.Dnskey != null)
            {
                return CanonicalForm.CompareOctets(rdata, pointer.Dnskey) == 0;
            }

            if (DnssecCrypto.KeyTag(rdata) != pointer.KeyTag)
            {
                return false;
            }

            var digest = DnssecCrypto.DsDigest(pointer.DigestType, zone, rdata);
            return digest != null && pointer.Digest != null && CanonicalForm.CompareOctets(digest, pointer.Digest) == 0;
        }

        /// <summary>A zone's authenticated keys, or the state and reason when there are none.</summary>
        private sealed class ZoneKeys
        {
            private ZoneKeys(DnssecStatus state, DnssecName zone, IReadOnlyList<DnsKeyRecord> keys, string? reason)
            {
                State = state;
                Zone = zone;
                Keys = keys;
                Reason = reason;
            }

            public DnssecStatus State { get; }

            public DnssecName Zone { get; }

            public IReadOnlyList<DnsKeyRecord> Keys { get; }

            public string? Reason { get; }

            public DnssecVerdict Verdict => new DnssecVerdict(State, Reason);

            public static ZoneKeys Secure(DnssecName zone, IReadOnlyList<DnsKeyRecord> keys) => new ZoneKeys(DnssecStatus.Secure, zone, keys, null);

            public static ZoneKeys Insecure(DnssecName zone, string reason) => new ZoneKeys(DnssecStatus.Insecure, zone, Array.Empty<DnsKeyRecord>(), reason);

            public static ZoneKeys Failed(DnssecStatus state, DnssecName zone, string reason) => new ZoneKeys(state, zone, Array.Empty<DnsKeyRecord>(), reason);
        }
    }
}
