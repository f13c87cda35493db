using System;
using System.Collections.Generic;
using System.Linq;
using MailSecurity.Message;

namespace MailSecurity
{
    /// <summary>The authentication evidence of a message: Authentication-Results fields, DKIM signatures verified here, and the ARC chain.</summary>
    public sealed class MessageAuthentication
    {
        /// <summary>Creates the evidence.</summary>
        public MessageAuthentication(
            IReadOnlyList<AuthResultsHeader> headers,
            IReadOnlyList<AuthServResults> servers,
            IReadOnlyList<string> trustedAuthServIds,
            IReadOnlyList<DkimSignatureCheck> dkimSignatures,
            ArcChainCheck? arc,
            bool signaturesVerified)
        {
            Headers = headers;
            Servers = servers;
            TrustedAuthServIds = trustedAuthServIds;
            DkimSignatures = dkimSignatures;
            Arc = arc;
            SignaturesVerified = signaturesVerified;
        }

        /// <summary>Every Authentication-Results field, top (newest) first.</summary>
        public IReadOnlyList<AuthResultsHeader> Headers { get; }

        /// <summary>The same fields grouped by authserv-id, trusted ids first.</summary>
        public IReadOnlyList<AuthServResults> Servers { get; }

        /// <summary>
        /// The authserv-ids taken as the receiving domain's own: those given with <c>-TrustedAuthServId</c>, or else the
        /// id of the top-most (last added) Authentication-Results field. Results from other ids are reported but not trusted (RFC 8601 §5).
        /// </summary>
        public IReadOnlyList<string> TrustedAuthServIds { get; }

        /// <summary>Each DKIM-Signature field, verified here against live DNS keys (empty when verification was skipped).</summary>
        public IReadOnlyList<DkimSignatureCheck> DkimSignatures { get; }

        /// <summary>The ARC chain validated here; <c>null</c> when verification was skipped.</summary>
        public ArcChainCheck? Arc { get; }

        /// <summary>False when signature verification was switched off (no DNS lookups were made).</summary>
        public bool SignaturesVerified { get; }

        /// <summary>The trusted servers' SPF result (<c>pass</c>, <c>fail</c>...), or <c>null</c>.</summary>
        public string? SpfResult => Trusted("spf");

        /// <summary>The trusted servers' DKIM result, or <c>null</c>.</summary>
        public string? DkimResult => Trusted("dkim");

        /// <summary>The trusted servers' DMARC result, or <c>null</c>.</summary>
        public string? DmarcResult => Trusted("dmarc");

        /// <summary>The trusted servers' ARC result, or <c>null</c>.</summary>
        public string? ArcResult => Trusted("arc");

        /// <summary>The best DKIM verdict found here: Pass, then Neutral, TempError, Fail, PermError; None without signatures.</summary>
        public DkimResult DkimVerified
        {
            get
            {
                foreach (var r in new[] { MailSecurity.DkimResult.Pass, MailSecurity.DkimResult.Neutral, MailSecurity.DkimResult.TempError, MailSecurity.DkimResult.Fail, MailSecurity.DkimResult.PermError })
                {
                    if (DkimSignatures.Any(s => s.Result == r))
                    {
                        return r;
                    }
                }

                return MailSecurity.DkimResult.None;
            }
        }

        /// <summary>The domains whose DKIM signatures verified here, comma-separated.</summary>
        public string DkimPassDomains => string.Join(", ", DkimSignatures.Where(s => s.Result == MailSecurity.DkimResult.Pass).Select(s => s.Domain).Distinct(StringComparer.OrdinalIgnoreCase));

        private string? Trusted(string method)
        {
            foreach (var group in Servers.Where(s => s.Trusted))
            {
                var r = group.ResultOf(method);
                if (r != null)
                {
                    return r;
                }
            }

            return null;
        }

        /// <inheritdoc />
        public override string ToString()
            => $"spf={SpfResult ?? "-"} dkim={DkimResult ?? "-"} dmarc={DmarcResult ?? "-"} arc={ArcResult ?? "-"}; verified dkim={DkimVerified.ToString().ToLowerInvariant()} arc={(Arc is null ? "-" : Arc.Result.ToString().ToLowerInvariant())}";
    }

    /// <summary>
    /// A message's path, hop by hop, read from its header fields (Resolve-HopSecurity message mode): the hops of the
    /// Received chain with the TLS and authentication each one records, the authentication evidence, and a summary.
    /// </summary>
    public sealed class MessagePath
    {
        /// <summary>Creates the result.</summary>
        internal MessagePath(MessagePathBuilder b)
        {
            Source = b.Source;
            MessageId = b.MessageId;
            Subject = b.Subject;
            HeaderFrom = b.HeaderFrom;
            Date = b.Date;
            HeaderCount = b.HeaderCount;
            BodyAvailable = b.BodyAvailable;
            Hops = ValueList.From(b.Hops);
            Authentication = b.Authentication;
            EncryptedAllHops = b.EncryptedAllHops;
            WeakestHop = b.WeakestHop;
            FirstAuthResultsHop = b.FirstAuthResultsHop;
            TransitTime = b.TransitTime;
            Findings = FindingList.From(b.Findings);
            Protection = b.Protection ?? MessageProtection.Unprotected;
        }

        /// <summary>Where the message came from: the file path, <c>HeaderText</c> or <c>Message</c>.</summary>
        public string Source { get; }

        /// <summary>The Message-ID.</summary>
        public string? MessageId { get; }

        /// <summary>The Subject.</summary>
        public string? Subject { get; }

        /// <summary>The From header field (the author), as text.</summary>
        public string? HeaderFrom { get; }

        /// <summary>The Date header field.</summary>
        public DateTimeOffset? Date { get; }

        /// <summary>How many header fields the message has (0 = the input was not a message).</summary>
        public int HeaderCount { get; }

        /// <summary>False when only the header block was given (body hashes could not be checked).</summary>
        public bool BodyAvailable { get; }

        /// <summary>The hops, oldest (1) first.</summary>
        public IReadOnlyList<MessageHop> Hops { get; }

        /// <summary>Authentication-Results, DKIM and ARC evidence.</summary>
        public MessageAuthentication Authentication { get; }

        /// <summary>
        /// True when every hop that crossed a network says it was encrypted; false when at least one says it was not;
        /// <c>null</c> (unknown) when no hop says cleartext but at least one does not say, or there is no network hop.
        /// Local hand-offs (<see cref="HopTls.Local"/>) do not count.
        /// </summary>
        public bool? EncryptedAllHops { get; }

        /// <summary>
        /// The least protected network hop: cleartext, then unknown, then TLS older than 1.2, TLS of unknown version,
        /// TLS 1.2, TLS 1.3; the oldest of equals. <c>null</c> when there is no network hop.
        /// </summary>
        public MessageHop? WeakestHop { get; }

        /// <summary>The first (oldest) hop at which an Authentication-Results field was added; <c>null</c> when none was.</summary>
        public int? FirstAuthResultsHop { get; }

        /// <summary>Time from the first to the last hop timestamp; <c>null</c> with fewer than two dated hops.</summary>
        public TimeSpan? TransitTime { get; }

        /// <summary>All findings (hops, authentication, content protection), worst first.</summary>
        public IReadOnlyList<Finding> Findings { get; }

        /// <summary>What protects the content end to end beyond the hops: S/MIME or OpenPGP signature and encryption.</summary>
        public MessageProtection Protection { get; }

        /// <summary>Summary: number of hops.</summary>
        public int HopCount => Hops.Count;

        /// <summary>Summary: the receiving hosts from oldest to newest.</summary>
        public string Path => string.Join(" > ", Hops.Select(h => h.By ?? "?"));

        /// <summary>Summary: the index of <see cref="WeakestHop"/>.</summary>
        public int? WeakestHopIndex => WeakestHop?.Index;

        /// <summary>Summary: the weakest hop's protection (<c>Cleartext</c>, <c>Unknown</c>, <c>TLSv1.2</c>, <c>Encrypted</c>...).</summary>
        public string? WeakestTls => WeakestHop is null ? null : WeakestHop.Tls == HopTls.Encrypted ? WeakestHop.TlsVersion ?? "Encrypted" : WeakestHop.Tls.ToString();

        /// <summary>Summary: the trusted SPF result.</summary>
        public string? SpfResult => Authentication.SpfResult;

        /// <summary>Summary: the trusted DMARC result.</summary>
        public string? DmarcResult => Authentication.DmarcResult;

        /// <summary>Summary: the best DKIM verdict found here.</summary>
        public DkimResult DkimVerified => Authentication.DkimVerified;

        /// <summary>Summary: the ARC verdict found here (None when skipped or absent).</summary>
        public ArcResult ArcVerified => Authentication.Arc?.Result ?? ArcResult.None;

        /// <summary>Summary: the content protection in a few words (<c>S/MIME signed (Pass)</c>, <c>OpenPGP encrypted</c>, <c>none</c>).</summary>
        public string ContentProtection => Protection.Summary;

        /// <summary>Summary: true when the content is signed (S/MIME or OpenPGP); <c>null</c> when encrypted content may hide a signature.</summary>
        public bool? ContentSigned => Protection.Signed;

        /// <summary>Summary: true when the content is encrypted end to end.</summary>
        public bool ContentEncrypted => Protection.Encrypted;

        /// <summary>Summary: the verdict on the content signature; <c>null</c> when there is none.</summary>
        public ContentSignatureResult? ContentSignatureResult => Protection.SignatureResult;

        /// <summary>Summary: number of findings.</summary>
        public int FindingCount => Findings.Count;

        /// <summary>Summary: the worst severity among the findings (Info when there are none).</summary>
        public Severity WorstSeverity => Finding.Worst(Findings) ?? Severity.Info;

        /// <inheritdoc />
        public override string ToString() => $"{Source}: {HopCount} hop(s), encrypted all hops: {(EncryptedAllHops is null ? "unknown" : EncryptedAllHops.Value ? "yes" : "no")}";
    }
}
