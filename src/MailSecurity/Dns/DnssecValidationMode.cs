namespace MailSecurity.Dns
{
    /// <summary>Where DNSSEC-dependent verdicts (DANE/TLSA, MX-RRset security, CNAME links) get the DNSSEC state of answers.</summary>
    internal enum DnssecValidationMode
    {
        /// <summary>
        /// The resolver's AD bit where it validates; our own validation (<see cref="Local"/>) for signed answers once the DS
        /// walk finds the resolver not validating. The default.
        /// </summary>
        Auto = 0,
        /// <summary>Trust the resolver's AD bit only (signed answers without it: an island, or <see cref="DnssecStatus.ResolverNotValidating"/>).</summary>
        Resolver,
        /// <summary>Validate every answer ourselves from the trust anchors, ignoring the AD bit (RFC 4035 §5).</summary>
        Local,
    }

    /// <summary>Who established the DNSSEC state a verdict rests on.</summary>
    public enum DnssecValidatedBy
    {
        /// <summary>The resolver (its AD bit, its SERVFAIL for bogus data, or the absence of signatures in its answer).</summary>
        Resolver = 0,
        /// <summary>This module, validating the signatures from a trust anchor itself.</summary>
        Local,
    }
}
