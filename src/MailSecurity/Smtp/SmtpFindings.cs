namespace MailSecurity.Smtp
{
    /// <summary>Finding codes about an SMTP session and its STARTTLS negotiation (RFC 5321, RFC 3207, RFC 8689, RFC 8314).</summary>
    [ReportColumn(Report.ReportCheck.StartTls)]
    internal static class SmtpFindings
    {
        /// <summary>No STARTTLS in the EHLO reply.</summary>
        public static readonly FindingDescriptor NoStartTls = new FindingDescriptor(
            "Smtp.NoStartTls", Severity.Error,
            "The server does not offer STARTTLS, so mail to it travels in cleartext; MTA-STS and DANE senders will not deliver to it.",
            "RFC 3207 §4; RFC 8461 §4.2; RFC 7672 §2.2",
            "Enable STARTTLS with a valid certificate (Postfix: smtpd_tls_security_level = may plus smtpd_tls_chain_files).");

        /// <summary>STARTTLS answered with an error.</summary>
        public static readonly FindingDescriptor StartTlsRejected = new FindingDescriptor(
            "Smtp.StartTlsRejected", Severity.Error,
            "The server offers STARTTLS but refuses the STARTTLS command (for example 454 TLS not available), so no encrypted session is possible.",
            "RFC 3207 §4",
            "Check the server's TLS setup: a 454 usually means the certificate or key could not be loaded.");

        /// <summary>AUTH advertised before TLS.</summary>
        public static readonly FindingDescriptor AuthBeforeTls = new FindingDescriptor(
            "Smtp.AuthBeforeTls", Severity.Warning,
            "The server advertises AUTH before TLS is established, inviting clients to send credentials in cleartext.",
            "RFC 4954 §4, §14; RFC 3207 §6; RFC 8314 §3",
            "Offer AUTH only after STARTTLS (Postfix: smtpd_tls_auth_only = yes), and preferably only on submission ports.");

        /// <summary>REQUIRETLS advertised.</summary>
        public static readonly FindingDescriptor RequireTlsAdvertised = new FindingDescriptor(
            "Smtp.RequireTlsAdvertised", Severity.Info,
            "The server advertises the REQUIRETLS extension after STARTTLS, so senders can require authenticated TLS for every onward hop.",
            "RFC 8689 §2, §4.2.1",
            string.Empty);

        /// <summary>STARTTLS advertised again after TLS.</summary>
        public static readonly FindingDescriptor StartTlsAdvertisedAfterTls = new FindingDescriptor(
            "Smtp.StartTlsAdvertisedAfterTls", Severity.Warning,
            "The server advertises STARTTLS again in its EHLO reply inside the TLS session, which RFC 3207 forbids.",
            "RFC 3207 §4.2",
            "Fix or update the server software; it must not offer STARTTLS once TLS is active.");

        /// <summary>TCP connection refused.</summary>
        public static readonly FindingDescriptor ConnectRefused = new FindingDescriptor(
            "Smtp.ConnectRefused", Severity.Error,
            "The TCP connection was refused (nothing listens on the port, or a firewall rejects it).",
            "RFC 5321 §3.1",
            "Check that the mail server listens on this address and port and that firewalls allow it.");

        /// <summary>TCP connect timed out.</summary>
        public static readonly FindingDescriptor ConnectTimeout = new FindingDescriptor(
            "Smtp.ConnectTimeout", Severity.Error,
            "The TCP connection did not complete within the timeout (host down, packets dropped by a firewall, or port 25 blocked on the path).",
            "RFC 5321 §4.5.3.2",
            "Check reachability of the address on this port from the internet; some networks block outbound port 25.");

        /// <summary>Other TCP failure.</summary>
        public static readonly FindingDescriptor ConnectFailed = new FindingDescriptor(
            "Smtp.ConnectFailed", Severity.Error,
            "The TCP connection could not be set up (network or host unreachable).",
            "RFC 5321 §3.1",
            "Check routing and reachability of the address.");

        /// <summary>The server stopped answering within the phase timeout.</summary>
        public static readonly FindingDescriptor SessionTimeout = new FindingDescriptor(
            "Smtp.SessionTimeout", Severity.Error,
            "The server stopped answering within the timeout during the session (greeting, EHLO, STARTTLS or handshake); senders give up on such a server.",
            "RFC 5321 §4.5.3.2",
            "Check the server's load, tarpitting/greylisting delays and anything on the path that holds the connection.");

        /// <summary>Reply not SMTP or connection dropped.</summary>
        public static readonly FindingDescriptor ProtocolViolation = new FindingDescriptor(
            "Smtp.ProtocolViolation", Severity.Error,
            "The server did not speak SMTP correctly (no or malformed greeting, malformed reply, unexpected close).",
            "RFC 5321 §3.1, §4.2",
            "Check that an SMTP server (not another service) listens on this port and that nothing on the path rewrites or cuts the session.");

        /// <summary>Reply exceeded the probe's limits.</summary>
        public static readonly FindingDescriptor ResponseLimitExceeded = new FindingDescriptor(
            "Smtp.ResponseLimitExceeded", Severity.Error,
            "The server sent more than a sane SMTP reply can hold (too many bytes, lines or a line too long), so the probe stopped reading.",
            "RFC 5321 §4.5.3.1.5",
            "Check the server: a legitimate greeting or EHLO reply is a few hundred bytes.");

        /// <summary>A reply line longer than RFC 5321 allows.</summary>
        public static readonly FindingDescriptor ReplyLineTooLong = new FindingDescriptor(
            "Smtp.ReplyLineTooLong", Severity.Warning,
            "A reply line is longer than the 512 octets RFC 5321 allows; strict clients may reject it.",
            "RFC 5321 §4.5.3.1.5",
            "Shorten the banner or the advertised extension lines.");

        /// <summary>4xx/5xx greeting.</summary>
        public static readonly FindingDescriptor BannerError = new FindingDescriptor(
            "Smtp.BannerError", Severity.Error,
            "The server greets with an error (4xx: try later, 5xx: no service) instead of 220, so no mail and no TLS session is possible.",
            "RFC 5321 §3.1, §4.2.5",
            "Check why the server refuses sessions (overload, blocklisted client address, maintenance).");

        /// <summary>EHLO refused.</summary>
        public static readonly FindingDescriptor EhloRejected = new FindingDescriptor(
            "Smtp.EhloRejected", Severity.Error,
            "The server rejects EHLO, so no extensions (and no STARTTLS) can be negotiated.",
            "RFC 5321 §4.1.1.1; RFC 3207 §4",
            "Enable ESMTP on the server; if it rejects the HELO name, check its HELO restrictions.");

        /// <summary>Implicit TLS on port 25.</summary>
        public static readonly FindingDescriptor ImplicitTlsOnPort25 = new FindingDescriptor(
            "Smtp.ImplicitTlsOnPort25", Severity.Info,
            "Implicit TLS was requested on port 25; MX relay uses STARTTLS on port 25, implicit TLS is for submission on port 465.",
            "RFC 8314 §3.3; RFC 3207 §4",
            "Probe port 25 without -ImplicitTls, or use port 465 for submission servers.");
    }
}
