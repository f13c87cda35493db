using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace MailSecurity.Dns.Dnssec
{
    /// <summary>
    /// The run's DNSSEC classification by our own validation (<see cref="DnssecValidator"/>), behind the same seam as the
    /// DS walk (<see cref="IDnssecClassifier"/>): <c>-DnssecValidation Local</c> validates every answer from the trust
    /// anchors and ignores the AD bit; <c>Auto</c> keeps the resolver's word where the DS walk shows that it validates
    /// and validates locally the signed answers of a resolver the walk finds not validating.
    /// </summary>
    /// <remarks>
    /// DS and DNSKEY questions go through the lookup the resolver hands its classifier factory: the run cache (each zone's
    /// keys fetched once per run, shared with every other question), the query log (purpose <c>ds-probe</c>) and
    /// <see cref="DnsResolver.DnssecProbeQueriesSent"/>. They are plain questions: they never start a DS walk of their own.
    /// A DS or DNSKEY question that fails leaves the answer's state not determined (the validator says Indeterminate):
    /// Local reports it <see cref="DnssecStatus.Unvalidated"/> naming the question; Auto falls back to what the DS walk
    /// established (<see cref="DnssecStatus.ResolverNotValidating"/>), with the reason.
    /// </remarks>
    internal sealed class LocalValidationClassifier : IDnssecClassifier
    {
        private readonly DnssecValidator _validator;
        private readonly IDnssecClassifier? _resolverFirst;

        /// <summary>Creates the classifier of one run.</summary>
        /// <param name="validator">The run's validator (zone keys cached per run).</param>
        /// <param name="resolverFirst">
        /// Auto: the DS walk that finds whether the resolver validates; local validation only where it does not.
        /// <c>null</c>: Local, every answer validated here.
        /// </param>
        public LocalValidationClassifier(DnssecValidator validator, IDnssecClassifier? resolverFirst)
        {
            _validator = validator ?? throw new ArgumentNullException(nameof(validator));
            _resolverFirst = resolverFirst;
        }

        /// <inheritdoc />
        public bool ClassifiesSettledAnswers => _resolverFirst is null;

        /// <inheritdoc />
        public DnssecSource Source => _resolverFirst?.Source ?? DnssecSource.LocalValidation;

        /// <inheritdoc />
        public async Task<DnssecClassification> ClassifyAsync(DnsAnswer answer, CancellationToken cancellationToken)
        {
            if (answer is null)
            {
                throw new ArgumentNullException(nameof(answer));
            }

            DnssecClassification? byResolver = null;
            if (_resolverFirst != null)
            {
                byResolver = await _resolverFirst.ClassifyAsync(answer, cancellationToken).ConfigureAwait(false);
                if (byResolver.Status != DnssecStatus.ResolverNotValidating && !byResolver.LinkStatuses.Contains(DnssecStatus.ResolverNotValidating))
                {
                    return byResolver; // the resolver validates (an island is insecure), or the walk could not tell
                }
            }

            var verdict = await _validator.ValidateAsync(answer, cancellationToken).ConfigureAwait(false);
            if (verdict.Status == DnssecStatus.Indeterminate || verdict.Status == DnssecStatus.Unknown)
            {
                var failure = "local DNSSEC validation could not finish: " + verdict.Reason;
                return byResolver is null
                    ? new DnssecClassification(DnssecStatus.Unvalidated, answer.CnameChain.Select(_ => DnssecStatus.Unvalidated).ToList(), DnssecSource.LocalValidation, failure)
                    : new DnssecClassification(byResolver.Status, byResolver.LinkStatuses, byResolver.Source, failure);
            }

            var links = answer.CnameChain.Select((_, i) => i < verdict.LinkStatuses.Count ? Settled(verdict.LinkStatuses[i]) : verdict.Status).ToList();
            return new DnssecClassification(verdict.Status, links, DnssecSource.LocalValidation, null, verdict.Reason);
        }

        /// <summary>A link whose own validation could not finish is not known; the final state carries the reason.</summary>
        private static DnssecStatus Settled(DnssecStatus link) => link == DnssecStatus.Indeterminate ? DnssecStatus.Unvalidated : link;

        /// <inheritdoc />
        public string? DescribePending(DnsAnswer answer) => _resolverFirst?.DescribePending(answer);
    }
}
