namespace MailSecurity.Spf
{
    /// <summary>Finding codes about SPF records and their evaluation (RFC 7208).</summary>
    [ReportColumn(Report.ReportCheck.Spf)]
    internal static class SpfFindings
    {
        /// <summary>No SPF record.</summary>
        public static readonly FindingDescriptor NoRecord = new FindingDescriptor(
            "Spf.NoRecord", Severity.Warning,
            "The domain publishes no SPF record (no TXT record starting with 'v=spf1'), so the SPF result for it is 'none' and anyone can send as it.",
            "RFC 7208 §4.5",
            "Publish one TXT record 'v=spf1 ... -all' listing the hosts that send mail for the domain, or 'v=spf1 -all' if it sends none.");

        /// <summary>The domain does not exist or is not a usable name.</summary>
        public static readonly FindingDescriptor DomainNotUsable = new FindingDescriptor(
            "Spf.DomainNotUsable", Severity.Warning,
            "The domain is malformed, is a single label, or does not exist (NXDOMAIN), so check_host() returns 'none' without evaluating anything.",
            "RFC 7208 §4.3",
            "Check the spelling of the domain.");

        /// <summary>Several SPF records.</summary>
        public static readonly FindingDescriptor MultipleRecords = new FindingDescriptor(
            "Spf.MultipleRecords", Severity.Error,
            "The domain publishes more than one SPF record, which makes every SPF check of it a permerror.",
            "RFC 7208 §3.2, §4.5",
            "Merge the records into a single TXT record starting with 'v=spf1'.");

        /// <summary>Syntax error.</summary>
        public static readonly FindingDescriptor SyntaxError = new FindingDescriptor(
            "Spf.SyntaxError", Severity.Error,
            "The SPF record does not follow the RFC 7208 grammar, so every SPF check of it is a permerror.",
            "RFC 7208 §4.6, §12",
            "Correct the record; the message names the faulty term.");

        /// <summary>Global 10-lookup limit exceeded.</summary>
        public static readonly FindingDescriptor TooManyLookups = new FindingDescriptor(
            "Spf.TooManyLookups", Severity.Error,
            "Evaluating the record needs more than 10 DNS-querying terms (include, a, mx, ptr, exists, redirect) across all includes, so receivers return permerror.",
            "RFC 7208 §4.6.4",
            "Remove unused includes, replace a/mx with ip4/ip6 ranges, or flatten nested includes.");

        /// <summary>Void-lookup limit exceeded.</summary>
        public static readonly FindingDescriptor TooManyVoidLookups = new FindingDescriptor(
            "Spf.TooManyVoidLookups", Severity.Error,
            "More than 2 DNS lookups made for the record return no answer (NXDOMAIN or no records), so receivers return permerror.",
            "RFC 7208 §4.6.4",
            "Remove mechanisms that point at names without records.");

        /// <summary>An mx mechanism names more than 10 hosts.</summary>
        public static readonly FindingDescriptor MxTooManyNames = new FindingDescriptor(
            "Spf.MxTooManyNames", Severity.Error,
            "An 'mx' mechanism points at a domain with more than 10 MX records; evaluating it is a permerror.",
            "RFC 7208 §4.6.4",
            "Use ip4/ip6 ranges or a:host terms instead of mx for that domain.");

        /// <summary>ptr used.</summary>
        public static readonly FindingDescriptor PtrUsed = new FindingDescriptor(
            "Spf.PtrUsed", Severity.Warning,
            "The record uses the 'ptr' mechanism (or the %{p} macro), which is slow, unreliable and SHOULD NOT be published; some receivers ignore it.",
            "RFC 7208 §5.5",
            "Replace ptr with ip4/ip6 ranges or a:host terms.");

        /// <summary>+all.</summary>
        public static readonly FindingDescriptor PassAll = new FindingDescriptor(
            "Spf.PassAll", Severity.Critical,
            "The record ends in '+all' (or 'all'), which authorises every host on the Internet to send as the domain.",
            "RFC 7208 §5.1",
            "End the record with '-all' (or '~all' while testing).");

        /// <summary>?all.</summary>
        public static readonly FindingDescriptor NeutralAll = new FindingDescriptor(
            "Spf.NeutralAll", Severity.Warning,
            "The record ends in '?all': hosts not listed get 'neutral', which receivers must treat like 'none', so the record protects nothing.",
            "RFC 7208 §5.1, §8.2",
            "End the record with '-all' (or '~all' while testing).");

        /// <summary>~all.</summary>
        public static readonly FindingDescriptor SoftFailAll = new FindingDescriptor(
            "Spf.SoftFailAll", Severity.Info,
            "The record ends in '~all': hosts not listed get 'softfail', which receivers should not reject on alone.",
            "RFC 7208 §8.5",
            "Move to '-all' once every sending host is listed.");

        /// <summary>No all and no redirect.</summary>
        public static readonly FindingDescriptor NoAll = new FindingDescriptor(
            "Spf.NoAll", Severity.Warning,
            "The record has neither an 'all' mechanism nor a 'redirect', so unlisted hosts get the default result 'neutral'.",
            "RFC 7208 §4.7",
            "End the record with '-all' (or '~all' while testing).");

        /// <summary>Broad ip4 range.</summary>
        public static readonly FindingDescriptor BroadIp4Range = new FindingDescriptor(
            "Spf.BroadIp4Range", Severity.Warning,
            "An ip4 mechanism authorises a very large range (shorter than /16), far more hosts than any one sender operates.",
            "RFC 7208 §5.6",
            "List the sending hosts' addresses or narrow prefixes instead.");

        /// <summary>Broad ip6 range.</summary>
        public static readonly FindingDescriptor BroadIp6Range = new FindingDescriptor(
            "Spf.BroadIp6Range", Severity.Warning,
            "An ip6 mechanism authorises a very large range (shorter than /32).",
            "RFC 7208 §5.6",
            "List the sending hosts' addresses or narrow prefixes instead.");

        /// <summary>Record longer than advised.</summary>
        public static readonly FindingDescriptor RecordTooLong = new FindingDescriptor(
            "Spf.RecordTooLong", Severity.Warning,
            "The SPF record is longer than 450 characters; with the other TXT records of the name the answer may exceed 512 octets and need TCP, which some resolvers and receivers handle badly.",
            "RFC 7208 §3.4",
            "Shorten the record, for example by moving ranges into an included record.");

        /// <summary>Include loop.</summary>
        public static readonly FindingDescriptor IncludeLoop = new FindingDescriptor(
            "Spf.IncludeLoop", Severity.Error,
            "An include or redirect leads back to a domain already being evaluated; evaluation can only end by exceeding the lookup limit (permerror).",
            "RFC 7208 §4.6.4, §5.2",
            "Remove the include or redirect that closes the loop.");

        /// <summary>Include target without SPF record.</summary>
        public static readonly FindingDescriptor IncludeNoRecord = new FindingDescriptor(
            "Spf.IncludeNoRecord", Severity.Error,
            "An include points at a domain that has no SPF record (or does not exist); evaluating it is a permerror.",
            "RFC 7208 §5.2",
            "Fix the included domain name or remove the include.");

        /// <summary>Redirect target without SPF record.</summary>
        public static readonly FindingDescriptor RedirectNoRecord = new FindingDescriptor(
            "Spf.RedirectNoRecord", Severity.Error,
            "The redirect points at a domain that has no SPF record (or is malformed); the result is permerror, not none.",
            "RFC 7208 §6.1",
            "Fix the redirect target or publish a record there.");

        /// <summary>Redirect ignored because of all.</summary>
        public static readonly FindingDescriptor RedirectIgnored = new FindingDescriptor(
            "Spf.RedirectIgnored", Severity.Warning,
            "The record has both an 'all' mechanism and a 'redirect'; 'all' always matches, so the redirect is never used.",
            "RFC 7208 §5.1, §6.1",
            "Remove either the redirect or the all mechanism.");

        /// <summary>Terms after all.</summary>
        public static readonly FindingDescriptor TermsAfterAll = new FindingDescriptor(
            "Spf.TermsAfterAll", Severity.Warning,
            "Mechanisms follow the 'all' mechanism; they are never evaluated.",
            "RFC 7208 §5.1",
            "Move 'all' to the end of the record.");

        /// <summary>Unknown modifier.</summary>
        public static readonly FindingDescriptor UnknownModifier = new FindingDescriptor(
            "Spf.UnknownModifier", Severity.Info,
            "The record contains a modifier other than redirect and exp; receivers ignore it.",
            "RFC 7208 §6",
            "Remove it unless a receiver you know of uses it.");

        /// <summary>Macro in a target: cannot be followed statically.</summary>
        public static readonly FindingDescriptor MacroTarget = new FindingDescriptor(
            "Spf.MacroTarget", Severity.Info,
            "A mechanism or modifier target contains macros, so where it leads depends on the message; it was not followed in this static analysis.",
            "RFC 7208 §7",
            string.Empty);

        /// <summary>DNS lookup failed.</summary>
        public static readonly FindingDescriptor LookupFailed = new FindingDescriptor(
            "Spf.LookupFailed", Severity.Error,
            "A DNS lookup needed by the SPF evaluation failed (SERVFAIL, timeout, refused or unreachable server); receivers return temperror and may defer mail. This is not 'no record'.",
            "RFC 7208 §4.4, §5",
            "Check the authoritative servers of the name in the message.");

        /// <summary>Evaluation took too long.</summary>
        public static readonly FindingDescriptor EvaluationTimeout = new FindingDescriptor(
            "Spf.EvaluationTimeout", Severity.Error,
            "The whole SPF evaluation exceeded its time limit; the result is temperror.",
            "RFC 7208 §4.6.4",
            "Check for slow or unresponsive name servers among the included domains.");

        /// <summary>exp ignored.</summary>
        public static readonly FindingDescriptor ExplanationIgnored = new FindingDescriptor(
            "Spf.ExplanationIgnored", Severity.Info,
            "The exp= explanation could not be used (DNS error, no or several TXT records, bad macro syntax or non-ASCII text), so it is ignored.",
            "RFC 7208 §6.2",
            "Publish exactly one US-ASCII TXT record at the exp= target.");
    }
}
