namespace MailSecurity
{
    /// <summary>
    /// The protection a sender that supports both DANE and MTA-STS gets when it delivers to one MX host, weakest first
    /// (SPEC §9: emailcore A/S §6 T0 → T2c). What would make such a sender refuse is reported separately as delivery risks.
    /// </summary>
    public enum HopSecurityLevel
    {
        /// <summary>Null MX, or no MX and no address: the domain receives no mail.</summary>
        NoService = 0,
        /// <summary>No SMTP answer, no address, or a lookup error: the reason is attached.</summary>
        Unreachable = 1,
        /// <summary>No STARTTLS, or TLS cannot be negotiated: mail travels in cleartext (T0).</summary>
        Cleartext = 2,
        /// <summary>TLS without a policy: an active attacker can strip or intercept it (T1).</summary>
        OpportunisticTls = 3,
        /// <summary>TLS with an MTA-STS policy in testing mode: failures are reported, not enforced.</summary>
        MtaStsTesting = 4,
        /// <summary>Authenticated TLS required by an enforced MTA-STS policy: trust on first use (T2b).</summary>
        MtaStsEnforced = 5,
        /// <summary>Authenticated TLS required by DNSSEC-validated TLSA records: downgrade-resistant (T2c).</summary>
        DaneAuthenticated = 6,
    }
}
