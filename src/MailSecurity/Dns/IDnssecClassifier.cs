using System;
using System.Threading;
using System.Threading.Tasks;

namespace MailSecurity.Dns
{
    /// <summary>
    /// Determines the DNSSEC state of an answer that its response alone does not settle: the one seam behind which every
    /// extra DNSSEC query happens, kept off the path of verdicts that do not depend on DNSSEC.
    /// </summary>
    /// <remarks>
    /// <para>The split (issue 19): <see cref="DnsResolver.QueryAsync"/> returns every answer at once with what the response
    /// itself says: <see cref="DnssecStatus.Secure"/> on the AD bit, <see cref="DnssecStatus.Insecure"/> when no RRset on
    /// the path is signed, <see cref="DnssecStatus.Bogus"/>/<see cref="DnssecStatus.Indeterminate"/> on failures, and
    /// <see cref="DnssecStatus.Unvalidated"/> for signed data without AD (the final RRset or any CNAME link). SPF, DMARC,
    /// TLS-RPT, BIMI, MTA-STS TXT, DKIM keys and the MX list use that and never wait for more. Verdicts that do depend on
    /// DNSSEC (DANE/TLSA, MX-RRset security for hop levels, CNAME link security for TLSA base domains) call
    /// <see cref="DnsResolver.DetermineDnssecAsync"/> (or <see cref="DnsResolver.QueryWithDnssecAsync"/>), which hands
    /// unsettled answers to the run's classifier under its own budget
    /// (<see cref="DnsResolverOptions.DnssecProbeTimeout"/>).</para>
    /// <para>Implementations: <see cref="DsProbeClassifier"/> (today: walks DS questions up the tree to tell an island of
    /// security behind a validating resolver from a resolver that does not validate); a local validator (issue 13)
    /// plugs in here too, reading the response's signatures and denial records from <see cref="DnsAnswer.Evidence"/> and
    /// fetching DNSKEY/DS through the <see cref="IDnsLookup"/> the resolver hands its factory (run cache, coalescing, the
    /// query log with the purpose <c>ds-probe</c>, and <see cref="DnsResolver.DnssecProbeQueriesSent"/>). Select it with
    /// the factory argument of the internal <see cref="DnsResolver"/> constructor (a <c>-DnssecValidation</c> option would
    /// pick the factory there). The resolver stops waiting <see cref="DnsResolverOptions.DnssecProbeTimeout"/> plus one
    /// second after asking; keep the budget yourself so the failure is remembered per zone.</para>
    /// <para>Contract: only answers with <see cref="DnsAnswer.IsDnssecSettled"/> false are passed in (every answer that is
    /// not a lookup error when <see cref="ClassifiesSettledAnswers"/>). Classify every
    /// unsettled part (the final RRset and each CNAME link, RFC 7672 §2.1.3: once a link is insecure, all after it are);
    /// leave parts the response settled as they are. DNS failures of the probe are data: return
    /// <see cref="DnssecStatus.Unvalidated"/> with <see cref="DnssecClassification.Failure"/> naming the probe, never throw
    /// for them. Cache per zone per run so that each zone cut is probed once, whatever the number of answers. The work is
    /// shared by every caller of the run: tie it to the run, not to the cancellation token of one caller.</para>
    /// </remarks>
    internal interface IDnssecClassifier
    {
        /// <summary>Settles the DNSSEC state of <paramref name="answer"/>'s unsettled parts.</summary>
        /// <param name="answer">An answer from <see cref="DnsResolver.QueryAsync"/> that its response did not settle.</param>
        /// <param name="cancellationToken">Stops this caller's wait (the caller was cancelled, or its budget ran out).</param>
        /// <returns>The state of the final RRset and of each CNAME link, and what the classification rests on.</returns>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
        Task<DnssecClassification> ClassifyAsync(DnsAnswer answer, CancellationToken cancellationToken);

        /// <summary>
        /// What the classification of <paramref name="answer"/> is waiting for now (e.g. "the DS question for test to
        /// 127.0.53.3:53, unanswered for 5.0 s"), for the message when the budget runs out; <c>null</c> when unknown.
        /// </summary>
        string? DescribePending(DnsAnswer answer);

        /// <summary>
        /// True when every answer is to be classified, also those the response settled (AD bit, no signatures): local
        /// validation that does not trust the resolver (RFC 4035 §4.9.3). Lookup errors are never passed in.
        /// </summary>
        bool ClassifiesSettledAnswers { get; }

        /// <summary>What this classifier's verdicts rest on (also for the "not determined" verdict when the budget runs out).</summary>
        DnssecSource Source { get; }
    }
}
