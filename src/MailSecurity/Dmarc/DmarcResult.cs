using System;
using System.Collections.Generic;
using System.Linq;
using MailSecurity.Dmarc;

namespace MailSecurity
{
    /// <summary>How DMARC policy discovery for a domain ended.</summary>
    public enum DmarcStatus
    {
        /// <summary>A usable DMARC policy record applies.</summary>
        Valid,
        /// <summary>No DMARC policy record applies (none at the domain, Organizational Domain or PSD).</summary>
        NoRecord,
        /// <summary>A record was found but receivers apply no DMARC: invalid or missing p/sp/np and no valid rua (RFC 9989 §4.10.1).</summary>
        NotApplied,
        /// <summary>A lookup needed to decide failed (SERVFAIL, timeout, DNSSEC failure). Never "no record".</summary>
        TempError,
    }

    /// <summary>The handling a Domain Owner requests for mail that fails DMARC (RFC 9989 §4.7, p/sp/np).</summary>
    public enum DmarcPolicyAction
    {
        /// <summary>No preference (monitoring).</summary>
        None,
        /// <summary>Treat as suspicious.</summary>
        Quarantine,
        /// <summary>Reject.</summary>
        Reject,
    }

    /// <summary>Identifier alignment mode (adkim/aspf).</summary>
    public enum DmarcAlignmentMode
    {
        /// <summary>Same Organizational Domain suffices.</summary>
        Relaxed,
        /// <summary>Identical domains required.</summary>
        Strict,
    }

    /// <summary>The psd tag (RFC 9989 §4.7).</summary>
    public enum DmarcPsdFlag
    {
        /// <summary><c>u</c> (default): may or may not be an Organizational Domain; the tree walk decides.</summary>
        Undeclared,
        /// <summary><c>y</c>: the domain is a public suffix domain.</summary>
        Yes,
        /// <summary><c>n</c>: the domain is an Organizational Domain.</summary>
        No,
    }

    /// <summary>Where the applicable DMARC record was found (RFC 9989 §4.10.1 preference order).</summary>
    public enum DmarcPolicySource
    {
        /// <summary>No record applies.</summary>
        None,
        /// <summary>The domain's own record (p applies).</summary>
        AuthorDomain,
        /// <summary>The Organizational Domain's record (sp or np applies to the domain).</summary>
        OrganizationalDomain,
        /// <summary>The public suffix domain's record (psd=y).</summary>
        PublicSuffixDomain,
    }

    /// <summary>Which tag of the record gave the policy.</summary>
    public enum DmarcPolicyTag
    {
        /// <summary>p: the domain's own record, or a fallback.</summary>
        P,
        /// <summary>sp: an existing subdomain of the Organizational Domain or PSD.</summary>
        Sp,
        /// <summary>np: a non-existent subdomain.</summary>
        Np,
    }

    /// <summary>What one query of the DNS tree walk returned.</summary>
    public enum DmarcWalkOutcome
    {
        /// <summary>Exactly one DMARC record.</summary>
        Record,
        /// <summary>No DMARC record (NXDOMAIN, NODATA, or only non-DMARC TXT).</summary>
        NoRecord,
        /// <summary>Several DMARC records: all discarded (RFC 9989 §4.10 step 2).</summary>
        MultipleRecords,
        /// <summary>The lookup failed.</summary>
        LookupFailed,
        /// <summary>The name exceeds DNS limits; nothing was asked.</summary>
        InvalidName,
    }

    /// <summary>The report type a URI receives.</summary>
    public enum DmarcReportKind
    {
        /// <summary>rua: aggregate reports (RFC 9990).</summary>
        Aggregate,
        /// <summary>ruf: failure reports (RFC 9991).</summary>
        Failure,
    }

    /// <summary>Whether reports may be sent to a destination (RFC 9990 §4).</summary>
    public enum DmarcDestinationAuthorization
    {
        /// <summary>The destination shares the policy's Organizational Domain: no authorization needed.</summary>
        NotRequired,
        /// <summary>The external destination published a v=DMARC1 authorization record.</summary>
        Authorized,
        /// <summary>The external destination did not authorize the domain: receivers ignore the URI.</summary>
        NotAuthorized,
        /// <summary>The authorization name exceeds DNS limits: authorization can never be confirmed.</summary>
        NameTooLong,
        /// <summary>The authorization lookup failed (temporary).</summary>
        LookupFailed,
        /// <summary>Not checked: the URI is invalid or its scheme unsupported.</summary>
        NotChecked,
        /// <summary>The receiver's override names a different host: no reports to either URI.</summary>
        OverrideHostMismatch,
    }

    /// <summary>One DMARC tag with its published and effective value.</summary>
    public sealed class DmarcTag
    {
        /// <summary>Creates a tag entry.</summary>
        public DmarcTag(string name, string? value, string? effectiveValue, bool isDefault, bool isValid, bool isKnown, bool isObsolete)
        {
            Name = name;
            Value = value;
            EffectiveValue = effectiveValue;
            IsDefault = isDefault;
            IsValid = isValid;
            IsKnown = isKnown;
            IsObsolete = isObsolete;
        }

        /// <summary>Tag name (lower case).</summary>
        public string Name { get; }

        /// <summary>The value as published, or null when the tag is absent.</summary>
        public string? Value { get; }

        /// <summary>The value receivers use: the published value when valid, else the default (null when the tag has no default).</summary>
        public string? EffectiveValue { get; }

        /// <summary>True when the effective value is the default (tag absent or invalid).</summary>
        public bool IsDefault { get; }

        /// <summary>False when a published value violates the tag's grammar.</summary>
        public bool IsValid { get; }

        /// <summary>False for tags not in the DMARC tag registry.</summary>
        public bool IsKnown { get; }

        /// <summary>True for RFC 7489 tags RFC 9989 removed (pct, rf, ri).</summary>
        public bool IsObsolete { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Name}={EffectiveValue}{(IsDefault ? " (default)" : string.Empty)}";
    }

    /// <summary>A parsed DMARC policy record (RFC 9989 §4.7, §4.8), kept raw with the values receivers use.</summary>
    public sealed class DmarcRecord
    {
        /// <summary>Creates a parsed record.</summary>
        internal DmarcRecord(DmarcRecordBuilder b)
        {
            Domain = b.Domain;
            Raw = b.Raw;
            Tags = b.Tags;
            Policy = b.Policy;
            SubdomainPolicy = b.SubdomainPolicy;
            NonExistentSubdomainPolicy = b.NonExistentSubdomainPolicy;
            HasPolicyTag = b.HasPolicyTag;
            InvalidPolicyTags = b.InvalidPolicyTags;
            DkimAlignment = b.DkimAlignment;
            SpfAlignment = b.SpfAlignment;
            FailureReportingOptions = b.FailureReportingOptions;
            Testing = b.Testing;
            Psd = b.Psd;
            AggregateReportUris = b.AggregateReportUris;
            FailureReportUris = b.FailureReportUris;
            HasValidAggregateReportUri = b.HasValidAggregateReportUri;
            Percentage = b.Percentage;
            Findings = b.Findings;
        }

        /// <summary>The domain the record is published for (the name without <c>_dmarc.</c>).</summary>
        public string Domain { get; }

        /// <summary>The DNS name of the record.</summary>
        public string Name => "_dmarc." + Domain;

        /// <summary>The record text (TXT strings joined with nothing between).</summary>
        public string Raw { get; }

        /// <summary>Every registry tag with its effective value and default, plus unknown tags as published.</summary>
        public IReadOnlyList<DmarcTag> Tags { get; }

        /// <summary>p; null when absent or invalid.</summary>
        public DmarcPolicyAction? Policy { get; }

        /// <summary>Effective sp (falls back to p); null when neither is valid.</summary>
        public DmarcPolicyAction? SubdomainPolicy { get; }

        /// <summary>Effective np (falls back to sp, then p); null when none is valid.</summary>
        public DmarcPolicyAction? NonExistentSubdomainPolicy { get; }

        /// <summary>True when a p tag is present (valid or not).</summary>
        public bool HasPolicyTag { get; }

        /// <summary>The names of p/sp/np tags that are present with an invalid value.</summary>
        public IReadOnlyList<string> InvalidPolicyTags { get; }

        /// <summary>adkim (default relaxed).</summary>
        public DmarcAlignmentMode DkimAlignment { get; }

        /// <summary>aspf (default relaxed).</summary>
        public DmarcAlignmentMode SpfAlignment { get; }

        /// <summary>fo (default "0"); ignored by receivers without ruf.</summary>
        public string FailureReportingOptions { get; }

        /// <summary>t=y: testing mode.</summary>
        public bool Testing { get; }

        /// <summary>psd (default undeclared).</summary>
        public DmarcPsdFlag Psd { get; }

        /// <summary>rua URIs as published (obsolete !size suffixes included).</summary>
        public IReadOnlyList<string> AggregateReportUris { get; }

        /// <summary>ruf URIs as published.</summary>
        public IReadOnlyList<string> FailureReportUris { get; }

        /// <summary>True when rua holds at least one syntactically valid URI (RFC 9989 §4.10.1).</summary>
        public bool HasValidAggregateReportUri { get; }

        /// <summary>RFC 7489 pct (obsolete in RFC 9989); null when absent or invalid.</summary>
        public int? Percentage { get; }

        /// <summary>Findings about the record's own syntax.</summary>
        public IReadOnlyList<Finding> Findings { get; }

        /// <summary>True when p/sp/np are all usable (present ones valid, p present).</summary>
        public bool IsPolicyUsable => HasPolicyTag && InvalidPolicyTags.Count == 0;

        /// <inheritdoc />
        public override string ToString() => Raw;
    }

    /// <summary>One query of the DMARC DNS tree walk (RFC 9989 §4.10).</summary>
    public sealed class DmarcTreeWalkStep
    {
        /// <summary>Creates a step.</summary>
        public DmarcTreeWalkStep(string domain, DmarcWalkOutcome outcome, string? record, DmarcPsdFlag psd, string detail)
        {
            Domain = domain;
            Outcome = outcome;
            Record = record;
            Psd = psd;
            Detail = detail;
        }

        /// <summary>The domain whose <c>_dmarc</c> name was asked.</summary>
        public string Domain { get; }

        /// <summary>The name asked.</summary>
        public string QueryName => "_dmarc." + Domain;

        /// <summary>What came back.</summary>
        public DmarcWalkOutcome Outcome { get; }

        /// <summary>The DMARC record found, if exactly one.</summary>
        public string? Record { get; }

        /// <summary>The record's psd flag (Undeclared when no record).</summary>
        public DmarcPsdFlag Psd { get; }

        /// <summary>Plain-words detail (DNS status, discarded records).</summary>
        public string Detail { get; }

        /// <inheritdoc />
        public override string ToString() => $"{QueryName}: {Outcome}{(Psd == DmarcPsdFlag.Undeclared ? string.Empty : " psd=" + (Psd == DmarcPsdFlag.Yes ? "y" : "n"))}";
    }

    /// <summary>One rua/ruf destination with its external-authorization status (RFC 9990 §4, RFC 9991 §5).</summary>
    public sealed class DmarcReportDestination
    {
        /// <summary>Creates a destination.</summary>
        internal DmarcReportDestination(DmarcReportDestinationBuilder b)
        {
            Kind = b.Kind;
            Uri = b.Uri;
            Scheme = b.Scheme;
            Host = b.Host;
            IsValid = b.IsValid;
            IsExternal = b.IsExternal;
            Authorization = b.Authorization;
            AuthorizationName = b.AuthorizationName;
            AuthorizationRecord = b.AuthorizationRecord;
            OverrideUris = b.OverrideUris;
            Detail = b.Detail;
        }

        /// <summary>Aggregate (rua) or failure (ruf).</summary>
        public DmarcReportKind Kind { get; }

        /// <summary>The URI as published.</summary>
        public string Uri { get; }

        /// <summary>The URI scheme (lower case), or null when unparseable.</summary>
        public string? Scheme { get; }

        /// <summary>The destination host (mailto domain or URI host), A-label form.</summary>
        public string? Host { get; }

        /// <summary>True when the URI is syntactically valid.</summary>
        public bool IsValid { get; }

        /// <summary>True when the host's Organizational Domain differs from the policy's.</summary>
        public bool IsExternal { get; }

        /// <summary>Whether reports may go there.</summary>
        public DmarcDestinationAuthorization Authorization { get; }

        /// <summary>The authorization name queried (<c>&lt;policy-domain&gt;._report._dmarc.&lt;host&gt;</c>), for external hosts.</summary>
        public string? AuthorizationName { get; }

        /// <summary>The first authorization record found.</summary>
        public string? AuthorizationRecord { get; }

        /// <summary>Override URIs of the same kind published in the authorization record (RFC 9990 §4 step 9).</summary>
        public IReadOnlyList<string> OverrideUris { get; }

        /// <summary>True when receivers will send reports to this destination (or its override).</summary>
        public bool ReceivesReports => IsValid && (Authorization == DmarcDestinationAuthorization.NotRequired || Authorization == DmarcDestinationAuthorization.Authorized);

        /// <summary>
        /// Where reports for this entry actually go: the override URIs of an authorization record when it has any
        /// (RFC 9990 §4 step 9), else the URI as published; empty when no reports go there.
        /// </summary>
        public IReadOnlyList<string> EffectiveUris => !ReceivesReports ? Array.Empty<string>() : OverrideUris.Count > 0 ? OverrideUris : new[] { Uri };

        /// <summary>Plain-words explanation.</summary>
        public string Detail { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Kind} {Uri}: {Authorization}";
    }

    /// <summary>
    /// The DMARC outcome for a domain as a receiver would discover it (RFC 9989 §4.10): the record that applies,
    /// where it was found, which tag gives the policy and why, the Organizational Domain, report destinations and findings.
    /// </summary>
    public sealed class DmarcPolicy
    {
        /// <summary>Creates the result.</summary>
        internal DmarcPolicy(DmarcPolicyBuilder b)
        {
            Domain = b.Domain;
            Status = b.Status;
            Record = b.Record;
            Source = b.Source;
            PolicyDomain = b.PolicyDomain;
            AppliedTag = b.AppliedTag;
            Policy = b.Policy;
            PolicyAfterTesting = b.PolicyAfterTesting;
            PolicyReason = b.PolicyReason;
            OrganizationalDomain = b.OrganizationalDomain;
            OrganizationalDomainReason = b.OrganizationalDomainReason;
            DomainExists = b.DomainExists;
            TreeWalk = b.TreeWalk;
            ReportDestinations = b.ReportDestinations;
            Findings = b.Findings;
        }

        /// <summary>The domain examined (the Author Domain).</summary>
        public string Domain { get; }

        /// <summary>How discovery ended.</summary>
        public DmarcStatus Status { get; }

        /// <summary>The record that applies (also set for <see cref="DmarcStatus.NotApplied"/>), else null.</summary>
        public DmarcRecord? Record { get; }

        /// <summary>The raw text of the record that applies, or null.</summary>
        public string? RawRecord => Record?.Raw;

        /// <summary>Where the record was found.</summary>
        public DmarcPolicySource Source { get; }

        /// <summary>The DMARC Policy Domain: where the applicable record is published.</summary>
        public string? PolicyDomain { get; }

        /// <summary>The tag that gave the policy (p, sp, np).</summary>
        public DmarcPolicyTag? AppliedTag { get; }

        /// <summary>The policy requested for this domain; null when none applies.</summary>
        public DmarcPolicyAction? Policy { get; }

        /// <summary>The policy after t=y lowers it one level (RFC 9989 §4.7 t); equals <see cref="Policy"/> without t=y.</summary>
        public DmarcPolicyAction? PolicyAfterTesting { get; }

        /// <summary>Why this policy applies, in plain words.</summary>
        public string PolicyReason { get; }

        /// <summary>The Organizational Domain per RFC 9989 §4.10.2 (the domain itself when the walk finds nothing).</summary>
        public string OrganizationalDomain { get; }

        /// <summary>Which rule of §4.10.2 chose it.</summary>
        public string OrganizationalDomainReason { get; }

        /// <summary>False when the domain is NXDOMAIN (np applies); null when not determined.</summary>
        public bool? DomainExists { get; }

        /// <summary>The tree walk, in query order, up to where it stopped.</summary>
        public IReadOnlyList<DmarcTreeWalkStep> TreeWalk { get; }

        /// <summary>rua and ruf destinations with authorization status.</summary>
        public IReadOnlyList<DmarcReportDestination> ReportDestinations { get; }

        /// <summary>Findings about discovery, the record and its destinations.</summary>
        public IReadOnlyList<Finding> Findings { get; }

        /// <summary>Summary: aggregate destinations that receive reports (an authorized override replaces the published URI), comma-separated.</summary>
        public string AggregateReportDestinations => string.Join(", ", ReportDestinations.Where(d => d.Kind == DmarcReportKind.Aggregate).SelectMany(d => d.EffectiveUris).Distinct());

        /// <inheritdoc />
        public override string ToString() => Status == DmarcStatus.Valid ? $"{Policy} ({Source} {PolicyDomain})" : Status.ToString();
    }
}
