using System;
using System.Collections.Generic;
using MailSecurity.Dns;

namespace MailSecurity.Records
{
    /// <summary>
    /// The findings of a TXT discovery that did not end with exactly one record, emitted in one place for MTA-STS,
    /// TLS-RPT and BIMI (see <see cref="TxtDiscovery"/>): the failed lookup, every near miss senders drop, then "no
    /// record" or "several records". Each record type gives its own four codes and the words of its messages; the order
    /// and the cases are decided here only.
    /// </summary>
    internal sealed class TxtDiscoveryFindings
    {
        private readonly Func<TxtDiscoveryContext, string> _lookupFailed;
        private readonly Func<TxtDiscoveryContext, string, string> _discarded;
        private readonly Func<TxtDiscoveryContext, string> _missing;
        private readonly Func<TxtDiscoveryContext, string> _multiple;

        /// <summary>Creates the findings of one record type's discovery.</summary>
        /// <param name="lookupFailed">The code of a failed lookup, and its message.</param>
        /// <param name="discarded">The code of a near miss, and its message naming the (shortened) record.</param>
        /// <param name="missing">The code of "no record", and its message.</param>
        /// <param name="multiple">The code of "several records" (the domain has none), and its message.</param>
        public TxtDiscoveryFindings(
            (FindingDescriptor Code, Func<TxtDiscoveryContext, string> Message) lookupFailed,
            (FindingDescriptor Code, Func<TxtDiscoveryContext, string, string> Message) discarded,
            (FindingDescriptor Code, Func<TxtDiscoveryContext, string> Message) missing,
            (FindingDescriptor Code, Func<TxtDiscoveryContext, string> Message) multiple)
        {
            LookupFailed = lookupFailed.Code ?? throw new ArgumentNullException(nameof(lookupFailed));
            Discarded = discarded.Code ?? throw new ArgumentNullException(nameof(discarded));
            Missing = missing.Code ?? throw new ArgumentNullException(nameof(missing));
            Multiple = multiple.Code ?? throw new ArgumentNullException(nameof(multiple));
            _lookupFailed = lookupFailed.Message ?? throw new ArgumentNullException(nameof(lookupFailed));
            _discarded = discarded.Message ?? throw new ArgumentNullException(nameof(discarded));
            _missing = missing.Message ?? throw new ArgumentNullException(nameof(missing));
            _multiple = multiple.Message ?? throw new ArgumentNullException(nameof(multiple));
        }

        /// <summary>The code of a failed lookup (not "no record").</summary>
        public FindingDescriptor LookupFailed { get; }

        /// <summary>The code of a dropped record that was probably meant as one.</summary>
        public FindingDescriptor Discarded { get; }

        /// <summary>The code of "no record begins with the version tag".</summary>
        public FindingDescriptor Missing { get; }

        /// <summary>The code of "more than one does".</summary>
        public FindingDescriptor Multiple { get; }

        /// <summary>
        /// The discovery's findings at <paramref name="name"/>: for <see cref="TxtDiscoveryOutcome.One"/> only the near
        /// misses (the record type adds what its one record shows to the list).
        /// </summary>
        /// <param name="discovery">What the discovery found.</param>
        /// <param name="answer">The TXT answer it was applied to.</param>
        /// <param name="name">The discovery name (the finding's target).</param>
        /// <param name="domain">The domain the record belongs to.</param>
        public List<Finding> Of(TxtDiscovery discovery, DnsAnswer answer, string name, string domain)
        {
            if (discovery is null)
            {
                throw new ArgumentNullException(nameof(discovery));
            }

            var context = new TxtDiscoveryContext(discovery, answer, name, domain);
            if (discovery.Outcome == TxtDiscoveryOutcome.LookupFailed)
            {
                // A failed lookup is not "no record": nothing else can be said about the name.
                return new List<Finding> { LookupFailed.Create(_lookupFailed(context), name) };
            }

            var findings = new List<Finding>();
            foreach (var other in discovery.NearMisses)
            {
                findings.Add(Discarded.Create(_discarded(context, DisplayText.Shorten(other)), name));
            }

            if (discovery.Outcome == TxtDiscoveryOutcome.NoRecord)
            {
                findings.Add(Missing.Create(_missing(context), name));
            }
            else if (discovery.Outcome == TxtDiscoveryOutcome.MultipleRecords)
            {
                findings.Add(Multiple.Create(_multiple(context), name));
            }

            return findings;
        }
    }

    /// <summary>What a discovery finding's message may name.</summary>
    /// <param name="Discovery">What the discovery found.</param>
    /// <param name="Answer">The TXT answer.</param>
    /// <param name="Name">The discovery name.</param>
    /// <param name="Domain">The domain the record belongs to.</param>
    internal sealed record TxtDiscoveryContext(TxtDiscovery Discovery, DnsAnswer Answer, string Name, string Domain);
}
