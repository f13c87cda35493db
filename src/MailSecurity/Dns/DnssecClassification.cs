using System;
using System.Collections.Generic;
using System.Linq;

namespace MailSecurity.Dns
{
    /// <summary>What settled an answer's DNSSEC state.</summary>
    internal enum DnssecSource
    {
        /// <summary>The response alone: the AD bit, the absence of signatures, or a failure.</summary>
        Response = 0,
        /// <summary>The DS walk of <see cref="DsProbeClassifier"/> (island of security vs a resolver that does not validate).</summary>
        DsProbe,
    }

    /// <summary>The DNSSEC state an <see cref="IDnssecClassifier"/> gives an answer. Immutable.</summary>
    internal sealed class DnssecClassification
    {
        /// <summary>Creates a classification.</summary>
        /// <param name="status">State of the final RRset.</param>
        /// <param name="linkStatuses">State of each CNAME link, in the answer's order (empty without a chain).</param>
        /// <param name="source">What it rests on.</param>
        /// <param name="failure">Which probe failed, when a part stays <see cref="DnssecStatus.Unvalidated"/>.</param>
        public DnssecClassification(DnssecStatus status, IReadOnlyList<DnssecStatus> linkStatuses, DnssecSource source, string? failure)
        {
            Status = status;
            LinkStatuses = linkStatuses ?? throw new ArgumentNullException(nameof(linkStatuses));
            Source = source;
            Failure = failure;
        }

        /// <summary>State of the final RRset (the records of the asked type, or their denial).</summary>
        public DnssecStatus Status { get; }

        /// <summary>State of each CNAME link, in order.</summary>
        public IReadOnlyList<DnssecStatus> LinkStatuses { get; }

        /// <summary>What the classification rests on.</summary>
        public DnssecSource Source { get; }

        /// <summary>Which probe failed and how, when the state could not be determined; otherwise <c>null</c>.</summary>
        public string? Failure { get; }

        /// <summary>The budget ran out before the classifier finished: every unsettled part stays unvalidated, with the reason.</summary>
        public static DnssecClassification NotDetermined(DnsAnswer answer, DnssecSource source, string failure)
            => new DnssecClassification(answer.DnssecStatus, answer.CnameChain.Select(l => l.DnssecStatus).ToList(), source, failure);
    }
}
