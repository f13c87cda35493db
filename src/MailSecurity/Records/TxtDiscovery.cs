using System;
using System.Collections.Generic;
using System.Linq;
using MailSecurity.Dns;

namespace MailSecurity.Records
{
    /// <summary>What the TXT discovery found at a name.</summary>
    internal enum TxtDiscoveryOutcome
    {
        /// <summary>The lookup failed (SERVFAIL, timeout, ...): not "no record".</summary>
        LookupFailed,

        /// <summary>No TXT record begins with the version tag.</summary>
        NoRecord,

        /// <summary>More than one does: the domain has none.</summary>
        MultipleRecords,

        /// <summary>Exactly one does: <see cref="TxtDiscovery.Record"/>.</summary>
        One,
    }

    /// <summary>
    /// The discovery rule MTA-STS (RFC 8461 §3.1), TLS-RPT (RFC 8460 §3) and BIMI (draft-brand-indicators-for-message-
    /// identification §4.4) share, written once: of the TXT records at a name, records not beginning with the version
    /// tag are dropped; exactly one must remain, and several mean none. This decides which case applies;
    /// <see cref="TxtDiscoveryFindings"/> turns a case into findings, in each record type's codes and words.
    /// </summary>
    internal sealed class TxtDiscovery
    {
        private TxtDiscovery(TxtDiscoveryOutcome outcome, IReadOnlyList<string> all, IReadOnlyList<string> candidates, IReadOnlyList<string> nearMisses, IReadOnlyList<string> cnameChain)
        {
            Outcome = outcome;
            All = all;
            Candidates = candidates;
            NearMisses = nearMisses;
            CnameChain = cnameChain;
        }

        /// <summary>Which case applies.</summary>
        public TxtDiscoveryOutcome Outcome { get; }

        /// <summary>Every TXT record at the name (each record's strings concatenated); empty after a failed lookup.</summary>
        public IReadOnlyList<string> All { get; }

        /// <summary>The records that begin with the version tag.</summary>
        public IReadOnlyList<string> Candidates { get; }

        /// <summary>Dropped records that look like a failed attempt at one (worth a finding: senders ignore them).</summary>
        public IReadOnlyList<string> NearMisses { get; }

        /// <summary>The CNAME links the answer followed, as "name -> target".</summary>
        public IReadOnlyList<string> CnameChain { get; }

        /// <summary>The one record when <see cref="Outcome"/> is <see cref="TxtDiscoveryOutcome.One"/>; otherwise null.</summary>
        public string? Record => Outcome == TxtDiscoveryOutcome.One ? Candidates[0] : null;

        /// <summary>The record type's status for an outcome without exactly one record.</summary>
        /// <exception cref="InvalidOperationException">The outcome is <see cref="TxtDiscoveryOutcome.One"/>: the record decides.</exception>
        public TStatus StatusWithoutRecord<TStatus>(TStatus lookupFailed, TStatus noRecord, TStatus multipleRecords)
            => Outcome switch
            {
                TxtDiscoveryOutcome.LookupFailed => lookupFailed,
                TxtDiscoveryOutcome.NoRecord => noRecord,
                TxtDiscoveryOutcome.MultipleRecords => multipleRecords,
                _ => throw new InvalidOperationException("One record was found: its status is the record's."),
            };

        /// <summary>Applies the rule to one TXT answer.</summary>
        /// <param name="answer">The TXT answer at the discovery name.</param>
        /// <param name="isRecord">True for a record that begins with the version tag exactly.</param>
        /// <param name="isNearMiss">True for a dropped record that was probably meant as one (only asked for dropped records).</param>
        public static TxtDiscovery Select(DnsAnswer answer, Func<string, bool> isRecord, Func<string, bool> isNearMiss)
        {
            if (answer is null)
            {
                throw new ArgumentNullException(nameof(answer));
            }

            var chain = answer.CnameChain.Select(l => $"{l.Name} -> {l.Target}").ToList();
            if (answer.IsLookupError)
            {
                return new TxtDiscovery(TxtDiscoveryOutcome.LookupFailed, Array.Empty<string>(), Array.Empty<string>(), Array.Empty<string>(), chain);
            }

            var all = answer.TxtStrings;
            var candidates = all.Where(isRecord).ToList();
            var nearMisses = all.Where(t => !isRecord(t) && isNearMiss(t)).ToList();
            var outcome = candidates.Count == 0 ? TxtDiscoveryOutcome.NoRecord
                : candidates.Count > 1 ? TxtDiscoveryOutcome.MultipleRecords
                : TxtDiscoveryOutcome.One;
            return new TxtDiscovery(outcome, all, candidates, nearMisses, chain);
        }
    }
}
