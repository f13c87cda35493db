namespace MailSecurity.Dane
{
    /// <summary>Finding codes about DANE for SMTP: TLSA discovery, records, matching and operations (RFC 6698, RFC 7671, RFC 7672).</summary>
    [ReportColumn(Report.ReportCheck.Dane)]
    internal static class DaneFindings
    {
        /// <summary>The chain is authenticated by a TLSA record.</summary>
        public static readonly FindingDescriptor Valid = new FindingDescriptor(
            "Dane.Valid", Severity.Info,
            "A usable, DNSSEC-validated TLSA record authenticates the certificate chain the server presents, so DANE senders deliver over authenticated TLS.",
            "RFC 7672 §3.2",
            string.Empty);

        /// <summary>No usable record matches.</summary>
        public static readonly FindingDescriptor NoMatchingRecord = new FindingDescriptor(
            "Dane.NoMatchingRecord", Severity.Critical,
            "The host publishes usable TLSA records but none matches the certificate chain it presents, so DANE senders will not deliver to it.",
            "RFC 7672 §2.2, §3.2",
            "Publish a TLSA record for the certificate or key now in use (for example '3 1 1' of the server's public key), or restore the certificate the records describe.");

        /// <summary>TLSA lookup failed.</summary>
        public static readonly FindingDescriptor TlsaLookupFailed = new FindingDescriptor(
            "Dane.TlsaLookupFailed", Severity.Critical,
            "The TLSA lookup failed (DNSSEC bogus, SERVFAIL, timeout or network error); DANE senders treat the host as unreachable and will not deliver to it. This is not 'no TLSA'.",
            "RFC 7672 §2.1.1, §2.2",
            "Check that the authoritative servers answer TLSA queries (including for names that do not exist) and that the zone's signatures and DS records are valid.");

        /// <summary>Address lookup failed.</summary>
        public static readonly FindingDescriptor AddressLookupFailed = new FindingDescriptor(
            "Dane.AddressLookupFailed", Severity.Error,
            "An A or AAAA lookup for the host failed (DNSSEC bogus, SERVFAIL, timeout or network error); senders cannot use the host through that lookup.",
            "RFC 7672 §2.1.1, §2.2.2",
            "Check the host's authoritative servers and DNSSEC signatures.");

        /// <summary>No address records.</summary>
        public static readonly FindingDescriptor NoAddress = new FindingDescriptor(
            "Dane.NoAddress", Severity.Error,
            "The host has no A or AAAA records, so no sender can reach it.",
            "RFC 7672 §2.2.2; RFC 5321 §5.1",
            "Publish address records for the host, or remove it from the MX RRset.");

        /// <summary>Insecure address records: DANE not applicable.</summary>
        public static readonly FindingDescriptor AddressInsecure = new FindingDescriptor(
            "Dane.AddressInsecure", Severity.Warning,
            "The host's address records are not DNSSEC-signed, so senders do not look up TLSA records and DANE does not protect this host.",
            "RFC 7672 §2.2.2",
            "Sign the zone of the host name with DNSSEC (and any CNAME targets), then publish TLSA records.");

        /// <summary>Secure denial of TLSA.</summary>
        public static readonly FindingDescriptor NoTlsa = new FindingDescriptor(
            "Dane.NoTlsa", Severity.Info,
            "DNSSEC proves that the host has no TLSA records, so DANE senders use opportunistic TLS without authentication.",
            "RFC 7672 §2.2",
            "To protect delivery with DANE, publish TLSA records such as '3 1 1' for the server's public key.");

        /// <summary>Insecure TLSA RRset or denial.</summary>
        public static readonly FindingDescriptor TlsaInsecure = new FindingDescriptor(
            "Dane.TlsaInsecure", Severity.Warning,
            "The TLSA answer is not DNSSEC-validated (insecure), so its records are unusable and DANE does not protect this host.",
            "RFC 7672 §2.2; RFC 6698 §4.1",
            "Sign the zone holding the TLSA records (and any CNAME on the way) with DNSSEC.");

        /// <summary>DANE does not apply to an IP address.</summary>
        public static readonly FindingDescriptor NotApplicableToIpAddress = new FindingDescriptor(
            "Dane.NotApplicableToIpAddress", Severity.Info,
            "The destination is an IP address, not a host name, so DANE does not apply.",
            "RFC 7672 §2.2.1",
            "Use a host name with DNSSEC-signed address and TLSA records.");

        /// <summary>Every record is unusable.</summary>
        public static readonly FindingDescriptor AllRecordsUnusable = new FindingDescriptor(
            "Dane.AllRecordsUnusable", Severity.Warning,
            "The host has secure TLSA records but none is usable, so DANE senders require TLS without authenticating it.",
            "RFC 7672 §2.2, §3.1.3; RFC 6698 §4.1",
            "Replace the records with usable DANE-EE(3) or DANE-TA(2) records, for example '3 1 1' of the server's public key.");

        /// <summary>PKIX usage in SMTP.</summary>
        public static readonly FindingDescriptor PkixUsageInSmtp = new FindingDescriptor(
            "Dane.PkixUsageInSmtp", Severity.Warning,
            "A TLSA record uses PKIX-TA(0) or PKIX-EE(1), which SMTP does not use: DANE SMTP clients treat it as unusable.",
            "RFC 7672 §3.1.3; RFC 7671 §4.1",
            "Replace it with a DANE-EE(3) record ('3 1 1') or a DANE-TA(2) record ('2 0 1') for the same certificate.");

        /// <summary>Unassigned or private-use parameter.</summary>
        public static readonly FindingDescriptor UnknownParameter = new FindingDescriptor(
            "Dane.UnknownParameter", Severity.Warning,
            "A TLSA record uses an unassigned or private-use usage, selector or matching type, so clients treat it as unusable.",
            "RFC 6698 §4.1, §7.2-§7.4; RFC 7218",
            "Use usage 2 or 3, selector 0 or 1, and matching type 1 or 2.");

        /// <summary>Digest length does not fit the matching type.</summary>
        public static readonly FindingDescriptor WrongDigestLength = new FindingDescriptor(
            "Dane.WrongDigestLength", Severity.Error,
            "A TLSA record's data length does not fit its matching type (SHA2-256 is 32 bytes, SHA2-512 64), so it is unusable.",
            "RFC 6698 §4.1; RFC 7671 §9",
            "Regenerate the record from the certificate with the right digest (for example 'openssl x509 -pubkey | openssl pkey -pubin -outform DER | sha256sum').");

        /// <summary>Malformed association data.</summary>
        public static readonly FindingDescriptor MalformedAssociationData = new FindingDescriptor(
            "Dane.MalformedAssociationData", Severity.Error,
            "A TLSA record's association data is empty or, for Full(0), is not a valid certificate or public key, so it is unusable.",
            "RFC 6698 §4.1",
            "Regenerate the record from the certificate in use.");

        /// <summary>Cert(0) with Full(0).</summary>
        public static readonly FindingDescriptor FullCertFullMatch = new FindingDescriptor(
            "Dane.FullCertFullMatch", Severity.Warning,
            "A TLSA record publishes a whole certificate (selector Cert(0) with matching type Full(0)), which should not be done: it is large and breaks on every renewal.",
            "RFC 7671 §5.2.1, §10.1.2",
            "Publish a SHA2-256 digest instead ('3 1 1' of the key, or '2 0 1' of the issuer certificate).");

        /// <summary>SPKI(1) with Full(0).</summary>
        public static readonly FindingDescriptor FullMatchNotRecommended = new FindingDescriptor(
            "Dane.FullMatchNotRecommended", Severity.Info,
            "A TLSA record publishes a whole public key (matching type Full(0)); digests are recommended because they keep the RRset small.",
            "RFC 7671 §10.1.2",
            "Publish the SHA2-256 digest of the same key instead ('3 1 1' or '2 1 1').");

        /// <summary>No recommended record form.</summary>
        public static readonly FindingDescriptor NoRecommendedRecord = new FindingDescriptor(
            "Dane.NoRecommendedRecord", Severity.Info,
            "None of the usable TLSA records has a recommended form: '3 1 1' (DANE-EE SPKI SHA2-256) or '2 0 1' (DANE-TA Cert SHA2-256).",
            "RFC 7672 §3.1; RFC 7671 §5.1, §5.2.1",
            "Publish '3 1 1' for the server's public key (keys survive certificate renewals), or '2 0 1' for the issuing CA certificate.");

        /// <summary>Single record, no rollover partner.</summary>
        public static readonly FindingDescriptor SingleRecord = new FindingDescriptor(
            "Dane.SingleRecord", Severity.Info,
            "The TLSA RRset has a single usable record, so the next key or certificate change needs the DNS changed first, at least two TTLs ahead.",
            "RFC 7672 §4; RFC 7671 §8.1",
            "Publish a second record for the next key (current + next), or a '2 0 1' record for the issuer next to the '3 1 1'.");

        /// <summary>A parameter combination that matches nothing.</summary>
        public static readonly FindingDescriptor StaleRecord = new FindingDescriptor(
            "Dane.StaleRecord", Severity.Warning,
            "A usage/selector/matching-type combination in the TLSA RRset matches nothing in the chain in use while another combination does; each combination must match on its own, or clients that prefer it fail.",
            "RFC 7671 §8, §8.4",
            "Remove the stale records, or update them to the certificate chain now in use.");

        /// <summary>A weaker digest ignored by digest agility.</summary>
        public static readonly FindingDescriptor WeakerDigestIgnored = new FindingDescriptor(
            "Dane.WeakerDigestIgnored", Severity.Info,
            "For a usage and selector with both SHA2-256 and SHA2-512 records, clients use only the SHA2-512 ones (and Full(0)); the SHA2-256 records are ignored.",
            "RFC 7671 §9; RFC 7672 §5",
            "Make sure every digest type covers every key and certificate in use, or publish a single digest type.");

        /// <summary>TLSA present while MX is insecure.</summary>
        public static readonly FindingDescriptor TlsaWithInsecureMx = new FindingDescriptor(
            "Dane.TlsaWithInsecureMx", Severity.Warning,
            "The host has secure TLSA records but the domain's MX RRset is not DNSSEC-signed, so most DANE senders do not apply DANE and an attacker can redirect the mail to another host.",
            "RFC 7672 §2.2.1",
            "Sign the mail domain's zone with DNSSEC so the MX RRset is secure.");

        /// <summary>Long TLSA TTL.</summary>
        public static readonly FindingDescriptor LongTtl = new FindingDescriptor(
            "Dane.LongTtl", Severity.Warning,
            "The TLSA RRset has a long TTL, which slows down rollovers (new records must be published two TTLs ahead) and prolongs outages after a mistake.",
            "RFC 7671 §8.1, §13; RFC 7672 §4",
            "Use a TTL of an hour or so (at most a day) for TLSA records.");

        /// <summary>TLSA RRset too large for unfragmented UDP.</summary>
        public static readonly FindingDescriptor LargeRRset = new FindingDescriptor(
            "Dane.LargeRRset", Severity.Warning,
            "The TLSA RRset is larger than fits in an unfragmented UDP answer (about 1232 bytes), so lookups depend on TCP fallback or fragments, which some networks drop.",
            "RFC 7671 §10.1.1",
            "Publish SHA2-256 digests instead of Full(0) data, and remove records that are no longer needed.");

        /// <summary>TLSA RRset reached through a CNAME with DANE-EE records.</summary>
        public static readonly FindingDescriptor SharedEeRecord = new FindingDescriptor(
            "Dane.SharedEeRecord", Severity.Info,
            "The TLSA name is an alias (CNAME) of a shared RRset that holds DANE-EE(3) records; sharing end-entity associations between hosts allows one host to impersonate another.",
            "RFC 7672 §2.2.3; RFC 7671 §7",
            "Share a DANE-TA(2) trust anchor record instead, or give each host its own DANE-EE records.");

        /// <summary>TLS required but not established.</summary>
        public static readonly FindingDescriptor TlsRequiredButFailed = new FindingDescriptor(
            "Dane.TlsRequiredButFailed", Severity.Critical,
            "The host publishes secure TLSA records, which commit it to TLS, but TLS could not be established; DANE senders will not deliver to it in cleartext.",
            "RFC 7672 §2.2, §2.2.2",
            "Offer STARTTLS to every client and fix the TLS configuration, or remove the TLSA records (wait two TTLs before disabling TLS).");

        /// <summary>Could not connect.</summary>
        public static readonly FindingDescriptor ConnectFailed = new FindingDescriptor(
            "Dane.ConnectFailed", Severity.Error,
            "The host could not be reached, so the TLSA records could not be checked against its certificate.",
            "RFC 7672 §2.2",
            "Check that the host accepts SMTP connections on the port.");

        /// <summary>DANE-TA anchor missing from the chain.</summary>
        public static readonly FindingDescriptor TaNotInChain = new FindingDescriptor(
            "Dane.TaNotInChain", Severity.Error,
            "The server's chain stops below a certificate it does not send; if a DANE-TA(2) record pins that issuer, the server MUST include it in the chain, even a self-signed root.",
            "RFC 7671 §5.2.1; RFC 7672 §3.1.2",
            "Configure the server to send the full chain up to and including the trust anchor certificate, or publish DANE-TA records for an intermediate it does send.");

        /// <summary>Name mismatch for DANE-TA.</summary>
        public static readonly FindingDescriptor NameMismatch = new FindingDescriptor(
            "Dane.NameMismatch", Severity.Critical,
            "A DANE-TA(2) record matched the chain, but the server certificate names none of the reference identifiers (TLSA base domain, next-hop domain), so authentication fails.",
            "RFC 7672 §3.2.2, §3.2.3",
            "Issue the server certificate with a DNS name (SAN) equal to the MX host name, or use a DANE-EE(3) record, which needs no name match.");

        /// <summary>Expired certificate on a DANE-TA path.</summary>
        public static readonly FindingDescriptor ExpiredCertificate = new FindingDescriptor(
            "Dane.ExpiredCertificate", Severity.Critical,
            "A certificate on the chain to the DANE-TA(2) trust anchor is expired or not yet valid; unlike DANE-EE(3), DANE-TA(2) checks validity dates, so authentication fails.",
            "RFC 7672 §3.1.2, §3.2; RFC 5280 §6.1.3",
            "Renew the certificate, or add a DANE-EE(3) '3 1 1' record for the server key.");

        /// <summary>Invalid chain to a DANE-TA anchor.</summary>
        public static readonly FindingDescriptor ChainInvalid = new FindingDescriptor(
            "Dane.ChainInvalid", Severity.Critical,
            "A DANE-TA(2) trust anchor matched, but the chain to it is invalid (an issuer is not a CA, a path length or key usage constraint is broken), so authentication fails.",
            "RFC 7671 §5.2.2; RFC 5280 §6.1",
            "Fix the chain the server sends, or pin a different trust anchor.");

        /// <summary>DANE-EE matched an expired certificate.</summary>
        public static readonly FindingDescriptor EeCertificateExpired = new FindingDescriptor(
            "Dane.EeCertificateExpired", Severity.Info,
            "A DANE-EE(3) record matched a server certificate that is expired or not yet valid; DANE senders ignore the dates, but senders that validate with PKIX (MTA-STS) fail.",
            "RFC 7672 §3.1.1; RFC 7671 §5.1",
            "Renew the certificate (keeping the key keeps '3 1 1' records valid).");

        /// <summary>Generic profile: PKIX usage matched, untrusted path.</summary>
        public static readonly FindingDescriptor PkixChainUntrusted = new FindingDescriptor(
            "Dane.PkixChainUntrusted", Severity.Error,
            "A PKIX-TA(0) or PKIX-EE(1) record matched, but the chain does not validate to a trusted root (generic DANE check; SMTP does not use PKIX usages).",
            "RFC 6698 §2.1.1",
            "Send the complete chain, or use DANE-EE(3)/DANE-TA(2) records.");
    }
}
