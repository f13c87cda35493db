namespace MailSecurity.MtaSts
{
    /// <summary>
    /// Finding codes of MTA-STS (RFC 8461): the <c>_mta-sts</c> TXT discovery, which Get-MtaStsPolicy and
    /// Get-MailAuthRecords both report, then Get-MtaStsPolicy's fetch, policy syntax, MX coverage, TLS-RPT and drift.
    /// </summary>
    [ReportColumn(Report.ReportCheck.MtaSts)]
    internal static class MtaStsFindings
    {
        // ---- _mta-sts TXT discovery (RFC 8461 §3.1): reported by Get-MtaStsPolicy and Get-MailAuthRecords alike; DuplicateKey also by the policy parser ----

        /// <summary>No v=STSv1 record.</summary>
        public static readonly FindingDescriptor NoRecord = new FindingDescriptor(
            "MtaSts.NoRecord", Severity.Info,
            "The domain publishes no v=STSv1 TXT record at _mta-sts, so senders apply no MTA-STS policy to it.",
            "RFC 8461 §3.1",
            "To require authenticated TLS from senders, publish a policy at https://mta-sts.<domain>/.well-known/mta-sts.txt and then 'v=STSv1; id=<id>' at _mta-sts.<domain>.");

        /// <summary>A TXT record that looks like an attempt at MTA-STS but is not one.</summary>
        public static readonly FindingDescriptor RecordIgnored = new FindingDescriptor(
            "MtaSts.RecordIgnored", Severity.Warning,
            "A TXT record at _mta-sts looks like an MTA-STS record (it mentions STSv1 or begins with v=sts in another case) but does not begin with the exact, case-sensitive 'v=STSv1', so senders ignore it.",
            "RFC 8461 §3.1",
            "Begin the record with 'v=STSv1;' followed by the id.");

        /// <summary>Several v=STSv1 records.</summary>
        public static readonly FindingDescriptor MultipleRecords = new FindingDescriptor(
            "MtaSts.MultipleRecords", Severity.Error,
            "More than one TXT record at _mta-sts begins with v=STSv1, so senders treat the domain as having no available MTA-STS policy.",
            "RFC 8461 §3.1",
            "Keep exactly one v=STSv1 record.");

        /// <summary>The one v=STSv1 record has a syntax error.</summary>
        public static readonly FindingDescriptor InvalidRecord = new FindingDescriptor(
            "MtaSts.InvalidRecord", Severity.Error,
            "The v=STSv1 TXT record does not follow the RFC 8461 grammar, so senders treat the domain as having no available MTA-STS policy.",
            "RFC 8461 §3.1",
            "Publish exactly 'v=STSv1; id=<1 to 32 letters or digits>'.");

        /// <summary>The id is missing or malformed.</summary>
        public static readonly FindingDescriptor InvalidId = new FindingDescriptor(
            "MtaSts.InvalidId", Severity.Error,
            "The v=STSv1 record has no id, or an id that is not 1 to 32 letters and digits (a hyphen, dot or underscore is not allowed), so senders treat the domain as having no available policy.",
            "RFC 8461 §3.1 (sts-id)",
            "Use an id of 1 to 32 letters and digits, for example a timestamp such as 20240131T120000.");

        /// <summary>Erratum 6285 decision: white space before ';' after v=STSv1.</summary>
        public static readonly FindingDescriptor RecordSpaceBeforeSemicolon = new FindingDescriptor(
            "MtaSts.RecordSpaceBeforeSemicolon", Severity.Warning,
            "White space separates v=STSv1 from the ';'. The ABNF allows it and this tool accepts the record, but senders that apply the prose's literal 'v=STSv1;' prefix test discard it (erratum 6285).",
            "RFC 8461 §3.1; erratum 6285 (Reported)",
            "Write 'v=STSv1;' with no space before the semicolon.");

        /// <summary>The TXT lookup failed.</summary>
        public static readonly FindingDescriptor RecordLookupFailed = new FindingDescriptor(
            "MtaSts.RecordLookupFailed", Severity.Error,
            "The _mta-sts TXT lookup failed (SERVFAIL, DNSSEC failure, timeout or network error); senders cannot discover or refresh the policy. This is not 'no record': senders keep a cached policy.",
            "RFC 8461 §3.1, §5.1",
            "Check the authoritative servers (and DNSSEC signatures) of the _mta-sts name.");

        /// <summary>A non-mx field repeated.</summary>
        public static readonly FindingDescriptor DuplicateKey = new FindingDescriptor(
            "MtaSts.DuplicateKey", Severity.Warning,
            "A field of the policy (other than mx) or of the TXT record appears more than once; senders use only the first occurrence.",
            "RFC 8461 §3.1, §3.2",
            "Keep each field (other than mx) once, and change the TXT id after editing the policy.");

        // ---- Fetch (RFC 8461 §3.2, §3.3, §7) ----

        /// <summary>The policy host has no address or does not exist.</summary>
        public static readonly FindingDescriptor PolicyHostNotFound = new FindingDescriptor(
            "MtaSts.PolicyHostNotFound", Severity.Error,
            "The policy host mta-sts.<domain> has no A or AAAA record, so the policy cannot be fetched.",
            "RFC 8461 §3.3",
            "Publish address records for mta-sts.<domain> pointing at the HTTPS server that serves the policy.");

        /// <summary>The policy host's address lookup failed.</summary>
        public static readonly FindingDescriptor PolicyHostLookupFailed = new FindingDescriptor(
            "MtaSts.PolicyHostLookupFailed", Severity.Error,
            "The address lookup of the policy host failed (SERVFAIL, DNSSEC failure, timeout), so the policy cannot be fetched. This is not 'no address'.",
            "RFC 8461 §3.3",
            "Check the authoritative servers of mta-sts.<domain>.");

        /// <summary>No TCP connection to port 443.</summary>
        public static readonly FindingDescriptor PolicyConnectFailed = new FindingDescriptor(
            "MtaSts.PolicyConnectFailed", Severity.Error,
            "No TCP connection to port 443 of the policy host could be made, so the policy cannot be fetched.",
            "RFC 8461 §3.3",
            "Make sure the HTTPS server of mta-sts.<domain> listens on port 443 and is reachable.");

        /// <summary>TLS could not be negotiated (protocol, cipher, handshake abort).</summary>
        public static readonly FindingDescriptor PolicyTlsFailed = new FindingDescriptor(
            "MtaSts.PolicyTlsFailed", Severity.Error,
            "The TLS handshake with the policy host failed (no TLS 1.2 or later, no common cipher, or the server aborted), so the policy cannot be fetched.",
            "RFC 8461 §3.3, §7.2",
            "Serve the policy over TLS 1.2 or 1.3 with current cipher suites.");

        /// <summary>The policy host's certificate fails PKIX validation.</summary>
        public static readonly FindingDescriptor PolicyHostCertificateInvalid = new FindingDescriptor(
            "MtaSts.PolicyHostCertificateInvalid", Severity.Error,
            "The policy host's certificate is not valid for mta-sts.<domain> (wrong name, expired, or not chaining to a trusted root), so senders refuse the policy.",
            "RFC 8461 §3.3",
            "Install a publicly trusted, unexpired certificate whose subjectAltName covers mta-sts.<domain>.");

        /// <summary>The server answered with a redirect.</summary>
        public static readonly FindingDescriptor PolicyRedirect = new FindingDescriptor(
            "MtaSts.PolicyRedirect", Severity.Error,
            "The policy URL answered with an HTTP redirect; senders must not follow redirects, so they get no policy.",
            "RFC 8461 §3.3",
            "Serve the policy directly at https://mta-sts.<domain>/.well-known/mta-sts.txt with status 200 (for delegation, use a CNAME for the policy host instead).");

        /// <summary>A status other than 200.</summary>
        public static readonly FindingDescriptor PolicyHttpStatus = new FindingDescriptor(
            "MtaSts.PolicyHttpStatus", Severity.Error,
            "The policy URL answered with an HTTP status other than 200, so senders get no policy.",
            "RFC 8461 §3.3",
            "Serve the policy file at /.well-known/mta-sts.txt with status 200.");

        /// <summary>Not text/plain.</summary>
        public static readonly FindingDescriptor PolicyContentType = new FindingDescriptor(
            "MtaSts.PolicyContentType", Severity.Error,
            "The policy was served with a media type other than text/plain; senders that check it (as RFC 8461 recommends) reject the policy.",
            "RFC 8461 §3.2",
            "Serve mta-sts.txt with 'Content-Type: text/plain'.");

        /// <summary>Over 64 KB.</summary>
        public static readonly FindingDescriptor PolicyTooLarge = new FindingDescriptor(
            "MtaSts.PolicyTooLarge", Severity.Error,
            "The policy response is larger than 64 KB; senders may stop reading and reject it (this tool stopped reading at 64 KB).",
            "RFC 8461 §3.3",
            "Serve only the policy text, which needs a few hundred bytes.");

        /// <summary>The fetch did not finish in time.</summary>
        public static readonly FindingDescriptor PolicyTimeout = new FindingDescriptor(
            "MtaSts.PolicyTimeout", Severity.Error,
            "The policy fetch did not complete within the timeout, so senders may get no policy.",
            "RFC 8461 §3.3",
            "Make the policy host answer promptly (RFC 8461 suggests senders wait at most one minute).");

        /// <summary>The connection closed before the body was complete.</summary>
        public static readonly FindingDescriptor PolicyTruncated = new FindingDescriptor(
            "MtaSts.PolicyTruncated", Severity.Error,
            "The policy host closed the connection before sending the whole response, so senders get no policy.",
            "RFC 8461 §3.3",
            "Check the HTTPS server and any proxy in front of it.");

        /// <summary>Malformed HTTP.</summary>
        public static readonly FindingDescriptor PolicyHttpProtocolError = new FindingDescriptor(
            "MtaSts.PolicyHttpProtocolError", Severity.Error,
            "The policy host's HTTP response is malformed, so senders get no policy.",
            "RFC 8461 §3.3",
            "Serve the policy with a standard HTTPS server.");

        /// <summary>A TXT record exists but no usable policy: first-time senders apply no MTA-STS.</summary>
        public static readonly FindingDescriptor PolicyUnavailable = new FindingDescriptor(
            "MtaSts.PolicyUnavailable", Severity.Error,
            "The domain announces MTA-STS in DNS but no valid policy could be obtained: a sender without a cached policy treats the domain as having no MTA-STS, and senders with a cached policy keep using it until it expires.",
            "RFC 8461 §3.3, §5.1",
            "Fix the policy host or the policy so that the announced policy can be fetched and parsed.");

        // ---- Policy syntax (RFC 8461 §3.2) ----

        /// <summary>The body is not UTF-8.</summary>
        public static readonly FindingDescriptor NonUtf8Policy = new FindingDescriptor(
            "MtaSts.NonUtf8Policy", Severity.Error,
            "The policy body is not valid UTF-8 text, so senders cannot read it.",
            "RFC 8461 §3.2",
            "Save the policy as plain ASCII (or UTF-8) text.");

        /// <summary>version missing or not STSv1.</summary>
        public static readonly FindingDescriptor PolicyVersionInvalid = new FindingDescriptor(
            "MtaSts.PolicyVersionInvalid", Severity.Error,
            "The policy has no 'version: STSv1' field, so senders reject it.",
            "RFC 8461 §3.2",
            "Begin the policy with the line 'version: STSv1'.");

        /// <summary>mode missing or unknown.</summary>
        public static readonly FindingDescriptor ModeInvalid = new FindingDescriptor(
            "MtaSts.ModeInvalid", Severity.Error,
            "The policy has no mode field, or a mode other than enforce, testing or none, so senders reject it.",
            "RFC 8461 §3.2",
            "Add 'mode: enforce', 'mode: testing' or 'mode: none'.");

        /// <summary>max_age missing or not a number.</summary>
        public static readonly FindingDescriptor MaxAgeInvalid = new FindingDescriptor(
            "MtaSts.MaxAgeInvalid", Severity.Error,
            "The policy has no max_age field, or one that is not 1 to 10 digits, so senders reject it.",
            "RFC 8461 §3.2",
            "Add 'max_age: <seconds>', for example 'max_age: 604800' (one week).");

        /// <summary>max_age above 31557600 (erratum 7282 decision: invalid).</summary>
        public static readonly FindingDescriptor MaxAgeTooLarge = new FindingDescriptor(
            "MtaSts.MaxAgeTooLarge", Severity.Error,
            "max_age is above 31557600 seconds (one year), the largest value RFC 8461 defines. This tool treats the policy as invalid rather than clamping it; senders differ (erratum 7282).",
            "RFC 8461 §3.2; erratum 7282 (Reported)",
            "Use a max_age of at most 31557600; one to a few weeks is typical.");

        /// <summary>max_age below the recommended duration.</summary>
        public static readonly FindingDescriptor MaxAgeShort = new FindingDescriptor(
            "MtaSts.MaxAgeShort", Severity.Warning,
            "max_age is shorter than RFC 8461 expects (weeks or more): cached policies expire quickly, widening the window in which an attacker can strip the policy.",
            "RFC 8461 §3.2, §10.2",
            "Use a max_age of at least one week (604800) once the policy is stable.");

        /// <summary>No mx line while mode is not none.</summary>
        public static readonly FindingDescriptor MissingMx = new FindingDescriptor(
            "MtaSts.MissingMx", Severity.Error,
            "The policy has no mx field although its mode is not none, so senders reject it.",
            "RFC 8461 §3.2",
            "Add one 'mx:' line per MX host name or pattern.");

        /// <summary>An mx value that is not a valid pattern.</summary>
        public static readonly FindingDescriptor InvalidMxPattern = new FindingDescriptor(
            "MtaSts.InvalidMxPattern", Severity.Error,
            "An mx value is not a host name or a '*.' wildcard over a whole left-most label (or uses U-labels instead of A-labels), so it matches no MX host.",
            "RFC 8461 §3.2, §4.1",
            "Write each mx as a host name in A-label (xn--) form, optionally starting with '*.' for exactly one label.");

        /// <summary>A line that is not key: value.</summary>
        public static readonly FindingDescriptor PolicyLineInvalid = new FindingDescriptor(
            "MtaSts.PolicyLineInvalid", Severity.Warning,
            "A policy line is not of the form 'key: value'; this tool ignores it, stricter senders may reject the policy.",
            "RFC 8461 §3.2",
            "Remove the line or write it as 'key: value'.");

        /// <summary>mode: testing.</summary>
        public static readonly FindingDescriptor ModeTesting = new FindingDescriptor(
            "MtaSts.ModeTesting", Severity.Warning,
            "The policy is in testing mode: senders report failures through TLS-RPT but still deliver, so an attacker can still intercept mail.",
            "RFC 8461 §5",
            "After reviewing TLS-RPT reports, switch to 'mode: enforce'.");

        /// <summary>mode: none.</summary>
        public static readonly FindingDescriptor ModeNone = new FindingDescriptor(
            "MtaSts.ModeNone", Severity.Info,
            "The policy is in mode none: senders treat the domain as having no active MTA-STS policy (the clean way to opt out).",
            "RFC 8461 §5, §8.3",
            "Nothing to fix when opting out; otherwise publish 'mode: testing' or 'mode: enforce' and change the TXT id.");

        // ---- MX coverage and TLS (RFC 8461 §4) ----

        /// <summary>An MX not matched by any pattern.</summary>
        public static readonly FindingDescriptor MxNotCovered = new FindingDescriptor(
            "MtaSts.MxNotCovered", Severity.Error,
            "An MX host is not matched by any mx pattern of the policy; in enforce mode compliant senders will not deliver to it.",
            "RFC 8461 §4.1",
            "Add an mx line naming the host (or a '*.' pattern covering its first label only) and change the TXT id.");

        /// <summary>No MX covered at all in enforce mode.</summary>
        public static readonly FindingDescriptor NoMxCovered = new FindingDescriptor(
            "MtaSts.NoMxCovered", Severity.Critical,
            "None of the domain's MX hosts is matched by the policy; in enforce mode compliant senders cannot deliver mail to the domain at all.",
            "RFC 8461 §4.1, §5",
            "Correct the mx lines of the policy (and change the TXT id) or the MX records.");

        /// <summary>The MX lookup failed.</summary>
        public static readonly FindingDescriptor MxLookupFailed = new FindingDescriptor(
            "MtaSts.MxLookupFailed", Severity.Error,
            "The MX lookup failed, so the MX hosts could not be checked against the policy. This is not 'no MX'.",
            "RFC 8461 §4; RFC 5321 §5.1",
            "Check the authoritative servers of the domain.");

        /// <summary>MX TLS check not performed.</summary>
        public static readonly FindingDescriptor MxTlsNotChecked = new FindingDescriptor(
            "MtaSts.MxTlsNotChecked", Severity.Info,
            "MX TLS check not performed: STARTTLS and the MX certificate were not probed, so TlsOk and CertificateValid are unknown.",
            "RFC 8461 §4.2",
            "Run Test-SmtpStartTls against the MX hosts.");

        /// <summary>An MX host has no address.</summary>
        public static readonly FindingDescriptor MxNoAddress = new FindingDescriptor(
            "MtaSts.MxNoAddress", Severity.Error,
            "An MX host matched by the policy has no usable address, so its TLS could not be checked and senders cannot reach it.",
            "RFC 5321 §5.1",
            "Publish A/AAAA records for the MX host or remove the MX record.");

        /// <summary>No STARTTLS or TLS failed.</summary>
        public static readonly FindingDescriptor MxStartTlsFailed = new FindingDescriptor(
            "MtaSts.MxStartTlsFailed", Severity.Error,
            "An MX host matched by the policy does not offer STARTTLS or TLS cannot be negotiated; in enforce mode compliant senders will not deliver to it.",
            "RFC 8461 §4.2, §5",
            "Enable STARTTLS with TLS 1.2 or later on the MX host.");

        /// <summary>MX certificate invalid.</summary>
        public static readonly FindingDescriptor CertificateInvalid = new FindingDescriptor(
            "MtaSts.CertificateInvalid", Severity.Error,
            "An MX host matched by the policy presents a certificate that is not PKIX-valid for its MX name; in enforce mode compliant senders will not deliver to it.",
            "RFC 8461 §4.2",
            "Install a publicly trusted, unexpired certificate whose subjectAltName covers the MX host name.");

        // ---- TLS-RPT (RFC 8460) ----

        /// <summary>No TLS-RPT record.</summary>
        [ReportColumn(Report.ReportCheck.TlsRpt)]
        public static readonly FindingDescriptor NoTlsRpt = new FindingDescriptor(
            "MtaSts.NoTlsRpt", Severity.Warning,
            "The domain has an MTA-STS policy but no TLS-RPT record, so nobody hears about senders' policy and TLS failures.",
            "RFC 8460 §3; RFC 8461 §6",
            "Publish 'v=TLSRPTv1; rua=mailto:<address>' at _smtp._tls.<domain>.");

        /// <summary>TLS-RPT lookup failed.</summary>
        [ReportColumn(Report.ReportCheck.TlsRpt)]
        public static readonly FindingDescriptor TlsRptLookupFailed = new FindingDescriptor(
            "MtaSts.TlsRptLookupFailed", Severity.Warning,
            "The _smtp._tls TXT lookup failed, so whether the domain publishes TLS-RPT is unknown. This is not 'no record'.",
            "RFC 8460 §3",
            "Check the authoritative servers of _smtp._tls.<domain>.");

        // ---- Drift against a previous result (RFC 8461 §3.1, §5.1, §8.1) ----

        /// <summary>id changed, policy the same.</summary>
        public static readonly FindingDescriptor IdChangedPolicySame = new FindingDescriptor(
            "MtaSts.IdChangedPolicySame", Severity.Info,
            "The TXT id changed since the previous check but the policy did not: senders re-fetch an identical policy (harmless, but often a sign of an unfinished change).",
            "RFC 8461 §3.1, §5.1",
            "If a policy change was intended, publish the new policy file.");

        /// <summary>policy changed, id the same.</summary>
        public static readonly FindingDescriptor PolicyChangedIdSame = new FindingDescriptor(
            "MtaSts.PolicyChangedIdSame", Severity.Error,
            "The policy changed since the previous check but the TXT id did not: senders with a cached policy keep the old one until its max_age runs out.",
            "RFC 8461 §3.1, §5.1, §8.1",
            "Change the id in the _mta-sts TXT record whenever the policy file changes (update the file first, then the id).");

        /// <summary>mode weakened.</summary>
        public static readonly FindingDescriptor ModeDowngrade = new FindingDescriptor(
            "MtaSts.ModeDowngrade", Severity.Warning,
            "The policy mode is weaker than at the previous check (enforce to testing or none, or testing to none).",
            "RFC 8461 §5",
            "Make sure the change was intended; restore the stronger mode and change the TXT id if not.");

        /// <summary>max_age shortened.</summary>
        public static readonly FindingDescriptor MaxAgeShortened = new FindingDescriptor(
            "MtaSts.MaxAgeShortened", Severity.Info,
            "max_age is shorter than at the previous check, so cached policies expire sooner.",
            "RFC 8461 §3.2, §10.2",
            "Make sure the change was intended (it is the first step of opting out, §8.3).");

        /// <summary>A policy that was usable is no longer.</summary>
        public static readonly FindingDescriptor PolicyWithdrawn = new FindingDescriptor(
            "MtaSts.PolicyWithdrawn", Severity.Error,
            "The previous check found a usable policy and this one does not: new senders get no MTA-STS protection, and cached policies run out after max_age.",
            "RFC 8461 §5.1, §8.3",
            "Restore the TXT record and policy host, or, to opt out, publish 'mode: none' before removing them.");
    }
}
