namespace MailSecurity
{
    /// <summary>TLSA certificate usage field (RFC 6698 §2.1.1; mnemonics from RFC 7218 §2.1).</summary>
    public enum TlsaUsage : byte
    {
        /// <summary>PKIX-TA(0): a CA that must also pass PKIX validation. Not used by SMTP (RFC 7672 §3.1.3).</summary>
        PkixTa = 0,
        /// <summary>PKIX-EE(1): the server certificate, which must also pass PKIX validation. Not used by SMTP (RFC 7672 §3.1.3).</summary>
        PkixEe = 1,
        /// <summary>DANE-TA(2): a trust anchor the server chain must build to (RFC 7671 §5.2).</summary>
        DaneTa = 2,
        /// <summary>DANE-EE(3): the server certificate or key itself, no name or expiry checks (RFC 7671 §5.1).</summary>
        DaneEe = 3,
        /// <summary>PrivCert(255): reserved for private use.</summary>
        PrivCert = 255,
    }

    /// <summary>TLSA selector field (RFC 6698 §2.1.2; RFC 7218 §2.2).</summary>
    public enum TlsaSelector : byte
    {
        /// <summary>Cert(0): the full DER certificate.</summary>
        Cert = 0,
        /// <summary>SPKI(1): the DER SubjectPublicKeyInfo.</summary>
        Spki = 1,
        /// <summary>PrivSel(255): reserved for private use.</summary>
        PrivSel = 255,
    }

    /// <summary>TLSA matching type field (RFC 6698 §2.1.3; RFC 7218 §2.3).</summary>
    public enum TlsaMatchingType : byte
    {
        /// <summary>Full(0): the selected content itself.</summary>
        Full = 0,
        /// <summary>SHA2-256(1): SHA-256 digest of the selected content (32 bytes).</summary>
        Sha256 = 1,
        /// <summary>SHA2-512(2): SHA-512 digest of the selected content (64 bytes).</summary>
        Sha512 = 2,
        /// <summary>PrivMatch(255): reserved for private use.</summary>
        PrivMatch = 255,
    }

    /// <summary>Which rules decide whether a TLSA record can be used.</summary>
    public enum TlsaUsageProfile
    {
        /// <summary>SMTP (RFC 7672 §3.1): only DANE-TA(2) and DANE-EE(3) are usable; DANE-EE never gets name checks.</summary>
        Smtp = 0,
        /// <summary>Generic DANE (RFC 6698, RFC 7671): all four usages; PKIX usages need PKIX trust anchors. For comparison with other tools.</summary>
        Generic = 1,
    }

    /// <summary>Why a TLSA record cannot be used (RFC 6698 §4.1; RFC 7672 §3.1.3).</summary>
    public enum TlsaUnusableReason
    {
        /// <summary>The record is usable.</summary>
        None = 0,
        /// <summary>PKIX-TA(0) or PKIX-EE(1) published for SMTP, where clients treat them as unusable (RFC 7672 §3.1.3).</summary>
        PkixUsageInSmtp,
        /// <summary>The usage value is not assigned (RFC 6698 §7.2).</summary>
        UnknownUsage,
        /// <summary>The selector value is not assigned (RFC 6698 §7.3).</summary>
        UnknownSelector,
        /// <summary>The matching type value is not assigned (RFC 6698 §7.4).</summary>
        UnknownMatchingType,
        /// <summary>A private-use value (255) that no public client understands (RFC 6698 §7.2-§7.4).</summary>
        PrivateUse,
        /// <summary>The digest length does not fit the matching type: SHA2-256 needs 32 bytes, SHA2-512 64 (RFC 6698 §4.1; RFC 7671 §9).</summary>
        WrongDigestLength,
        /// <summary>The association data is empty or, for Full(0), does not parse as a certificate or SubjectPublicKeyInfo (RFC 6698 §4.1).</summary>
        MalformedData,
    }
}
