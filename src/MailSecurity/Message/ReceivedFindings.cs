namespace MailSecurity.Message
{
    /// <summary>Finding codes about the <c>Received:</c> chain of a message (RFC 5321 §4.4, RFC 3848, RFC 6531 §4.3).</summary>
    internal static class ReceivedFindings
    {
        /// <summary>A Received field that could not be parsed; it is kept raw.</summary>
        public static readonly FindingDescriptor Unparsed = new FindingDescriptor(
            "Received.Unparsed", Severity.Warning,
            "A Received field does not follow the RFC 5321 time-stamp grammar or any known MTA variant, so its hop could not be interpreted; the raw text is kept.",
            "RFC 5321 §4.4",
            "Nothing to fix on the receiving side; if the field comes from your own MTA, configure it to write a standard Received field.");

        /// <summary>A hop that says it was not encrypted.</summary>
        public static readonly FindingDescriptor CleartextHop = new FindingDescriptor(
            "Received.CleartextHop", Severity.Warning,
            "A hop states that the message crossed the network without TLS (for example 'with ESMTP' or 'with SMTP'), so anyone on that path could read or alter it.",
            "RFC 3848 §1; RFC 3207 §1",
            "Enable STARTTLS on the sending side of that hop (and MTA-STS or DANE on the receiving domain so senders cannot be downgraded).");

        /// <summary>A hop that does not say whether TLS was used.</summary>
        public static readonly FindingDescriptor NoTlsInformation = new FindingDescriptor(
            "Received.NoTlsInformation", Severity.Info,
            "A hop's Received field neither names a registered WITH protocol nor carries TLS details, so whether it was encrypted is unknown.",
            "RFC 5321 §4.4; RFC 3848 §1",
            "If the hop is yours, configure the MTA to record the protocol (ESMTPS) and the TLS version and cipher.");

        /// <summary>A WITH value outside the IANA registry, interpreted heuristically.</summary>
        public static readonly FindingDescriptor NonIanaProtocol = new FindingDescriptor(
            "Received.NonIanaProtocol", Severity.Info,
            "A hop's WITH value is not in the IANA 'WITH protocol types' registry; its meaning is taken from common MTA practice, not from a standard.",
            "RFC 5321 §4.4; IANA Mail Transmission Types",
            string.Empty);

        /// <summary>TLS older than 1.2 on a hop.</summary>
        public static readonly FindingDescriptor WeakTlsVersion = new FindingDescriptor(
            "Received.WeakTlsVersion", Severity.Warning,
            "A hop was encrypted with SSL 3.0, TLS 1.0 or TLS 1.1, which are deprecated.",
            "RFC 8996 §1; RFC 8997",
            "Disable TLS versions older than 1.2 on the MTAs of that hop.");

        /// <summary>No date after the semicolon.</summary>
        public static readonly FindingDescriptor MissingDate = new FindingDescriptor(
            "Received.MissingDate", Severity.Warning,
            "A Received field has no date-time after a ';', which RFC 5321 requires; the hop's time and the delays around it are unknown.",
            "RFC 5321 §4.4",
            "If the hop is yours, fix the MTA so every Received field ends with '; ' and an RFC 5322 date.");

        /// <summary>A date that cannot be read.</summary>
        public static readonly FindingDescriptor InvalidDate = new FindingDescriptor(
            "Received.InvalidDate", Severity.Warning,
            "The date-time of a Received field is not a valid RFC 5322 date (bad day, month, time or zone), so the hop's time is unknown.",
            "RFC 5322 §3.3; RFC 5321 §4.4",
            "If the hop is yours, fix the MTA's date format.");

        /// <summary>Obsolete date syntax.</summary>
        public static readonly FindingDescriptor ObsoleteDate = new FindingDescriptor(
            "Received.ObsoleteDate", Severity.Info,
            "The date-time of a Received field uses an obsolete form (two-digit year, alphabetic or missing zone) that RFC 5321 says MUST NOT be generated; it was read as RFC 5322 §4.3 directs.",
            "RFC 5321 §4.4; RFC 5322 §4.3",
            "If the hop is yours, configure the MTA to write numeric zone offsets and four-digit years.");

        /// <summary>Small negative delay between hops.</summary>
        public static readonly FindingDescriptor ClockSkew = new FindingDescriptor(
            "Received.ClockSkew", Severity.Info,
            "A hop is dated up to an hour before the previous hop, which is impossible in real time: the two servers' clocks disagree.",
            "RFC 5321 §4.4",
            "Synchronise the clocks of the MTAs involved (NTP).");

        /// <summary>Fields out of order.</summary>
        public static readonly FindingDescriptor Reordered = new FindingDescriptor(
            "Received.Reordered", Severity.Warning,
            "The Received fields are not in the order MTAs write them (newest on top, dates increasing towards the top), so a field was moved, inserted or mis-dated.",
            "RFC 5321 §4.4 (trace fields are prepended and never reordered)",
            "Treat the hop data with caution; if a gateway of yours rewrites headers, configure it to keep the trace fields in place.");

        /// <summary>Signs of fabricated hops.</summary>
        public static readonly FindingDescriptor ForgedLooking = new FindingDescriptor(
            "Received.ForgedLooking", Severity.Warning,
            "A Received field claims something a real MTA would not record (an unroutable or private address at the organisation edge, the receiving server's own name from an outside address, or a time after final delivery), so it is likely fabricated.",
            "RFC 5321 §4.4; draft-ietf-emailcore-as §3.2 (do not trust Received fields automatically)",
            "Do not rely on the hops at or below this field; only fields added by your own servers can be trusted.");

        /// <summary>A hop that took a long time.</summary>
        public static readonly FindingDescriptor LongDelay = new FindingDescriptor(
            "Received.LongDelay", Severity.Info,
            "A hop took more than an hour (the message was queued: greylisting, a retry after a failure, or a slow filter).",
            "RFC 5321 §4.5.4.1",
            string.Empty);
    }
}
