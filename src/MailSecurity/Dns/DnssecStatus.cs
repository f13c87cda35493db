namespace MailSecurity.Dns
{
    /// <summary>
    /// The DNSSEC state of one DNS answer as a security-aware sender sees it (RFC 4035 §4.3; SPEC §2.1).
    /// </summary>
    /// <remarks>
    /// <see cref="DnsResolver.QueryAsync"/> settles what the response itself says (AD bit, signatures present or not,
    /// failure); signed data without the AD bit stays <see cref="Unvalidated"/> until a DNSSEC-dependent verdict asks
    /// <see cref="DnsResolver.DetermineDnssecAsync"/>, which settles it to <see cref="Insecure"/> (an island of security
    /// behind a validating resolver) or <see cref="ResolverNotValidating"/>, or leaves it <see cref="Unvalidated"/> with
    /// the reason when the probe that decides it failed.
    /// </remarks>
    public enum DnssecStatus
    {
        /// <summary>No answer was obtained, so no state can be given (e.g. the name was invalid).</summary>
        Unknown = 0,
        /// <summary>The validating resolver authenticated the answer (AD bit set).</summary>
        Secure,
        /// <summary>The answer is provably not signed (unsigned zone, no DS, or no trust anchor). Not an error.</summary>
        Insecure,
        /// <summary>The resolver failed validation (SERVFAIL that disappears with the CD bit): treated as a lookup failure.</summary>
        Bogus,
        /// <summary>No usable answer (SERVFAIL, timeout, network error): treated exactly like bogus (RFC 7672 §2.1.1).</summary>
        Indeterminate,
        /// <summary>Signatures arrived without the AD bit and the resolver never validates: the status cannot be trusted.</summary>
        ResolverNotValidating,
        /// <summary>
        /// Signatures arrived without the AD bit, and whether that is an island of security (insecure) or a resolver that
        /// does not validate was not determined: either the check does not depend on DNSSEC and did not probe further, or
        /// the probe that decides it failed (then <see cref="DnsAnswer.DnssecProbeFailure"/> says which). The answer
        /// itself is fine; only its DNSSEC state is unknown.
        /// </summary>
        Unvalidated,
    }
}
