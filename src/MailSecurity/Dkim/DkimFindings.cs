namespace MailSecurity.Dkim
{
    /// <summary>Finding codes of DKIM: key records and selector probing (Get-MailAuthRecords), and the signatures of a message verified in message mode (RFC 6376, RFC 8301, RFC 8463).</summary>
    [ReportColumn(Report.ReportCheck.Dkim)]
    internal static class DkimFindings
    {
        // ---- Key records and selector probing (RFC 6376 §3.6, RFC 8301, RFC 8463): Get-MailAuthRecords ----

        /// <summary>Empty p=: the key is revoked.</summary>
        public static readonly FindingDescriptor KeyRevoked = new FindingDescriptor(
            "Dkim.KeyRevoked", Severity.Warning,
            "The key record has an empty p= tag: the key is revoked and every signature made with this selector fails (PERMFAIL key revoked).",
            "RFC 6376 §3.6.1 (p=), §6.1.2",
            "Nothing to fix for a retired selector; if mail is still signed with it, publish the current public key or switch the signer to an active selector.");

        /// <summary>RSA key below 1024 bits.</summary>
        public static readonly FindingDescriptor RsaKeyTooShort = new FindingDescriptor(
            "Dkim.RsaKeyTooShort", Severity.Error,
            "The RSA key is shorter than 1024 bits; verifiers MUST NOT accept it, so every signature with this selector fails.",
            "RFC 8301 §3.2",
            "Generate a new 2048-bit RSA key (or add an Ed25519 key) and publish it under a new selector.");

        /// <summary>RSA key below 2048 bits.</summary>
        public static readonly FindingDescriptor RsaKeyWeak = new FindingDescriptor(
            "Dkim.RsaKeyWeak", Severity.Warning,
            "The RSA key is shorter than 2048 bits; signers SHOULD use at least 2048.",
            "RFC 8301 §3.2",
            "Rotate to a 2048-bit RSA key under a new selector.");

        /// <summary>RSA key above 4096 bits.</summary>
        public static readonly FindingDescriptor RsaKeyLarge = new FindingDescriptor(
            "Dkim.RsaKeyLarge", Severity.Warning,
            "The RSA key is longer than 4096 bits; verifiers need only handle keys up to 4096 bits, so some may fail to verify.",
            "RFC 8301 §3.2",
            "Use a 2048-bit (or at most 4096-bit) RSA key.");

        /// <summary>t=y.</summary>
        public static readonly FindingDescriptor TestingMode = new FindingDescriptor(
            "Dkim.TestingMode", Severity.Warning,
            "The key record has t=y (testing): verifiers treat mail signed with it like unsigned mail when the signature fails.",
            "RFC 6376 §3.6.1 (t=)",
            "Remove t=y once signing works.");

        /// <summary>h= allows only sha1.</summary>
        public static readonly FindingDescriptor Sha1Only = new FindingDescriptor(
            "Dkim.Sha1Only", Severity.Error,
            "The key record's h= tag allows only sha1, but rsa-sha1 signatures MUST NOT be accepted, so this key can validate no acceptable signature.",
            "RFC 8301 §3.1; RFC 6376 §3.6.1 (h=)",
            "Remove h= or set h=sha256, and sign with rsa-sha256.");

        /// <summary>h= lists no known hash.</summary>
        public static readonly FindingDescriptor NoUsableHashAlgorithm = new FindingDescriptor(
            "Dkim.NoUsableHashAlgorithm", Severity.Error,
            "The key record's h= tag lists no hash algorithm verifiers know (sha256), so every signature fails as 'inappropriate hash algorithm'.",
            "RFC 6376 §3.6.1 (h=), §6.1.2",
            "Remove h= or set h=sha256.");

        /// <summary>The record is malformed.</summary>
        public static readonly FindingDescriptor KeySyntaxError = new FindingDescriptor(
            "Dkim.KeySyntaxError", Severity.Error,
            "The key record is malformed (bad tag-list, duplicate tag, version not DKIM1 or not first, missing p=, or p= not base64); verifiers fail signatures with PERMFAIL (key syntax error).",
            "RFC 6376 §3.2, §3.6.1, §6.1.2",
            "Republish the record as 'v=DKIM1; k=rsa; p=<base64 key>' exactly as the signer's DKIM setup shows it.");

        /// <summary>p= decodes but is not a usable key of the declared type.</summary>
        public static readonly FindingDescriptor KeyUnparseable = new FindingDescriptor(
            "Dkim.KeyUnparseable", Severity.Error,
            "The p= value is base64 but not a public key of the type k= declares (RSA SubjectPublicKeyInfo, or a raw 32-byte Ed25519 key).",
            "RFC 6376 §3.6.1; RFC 8463 §4",
            "Publish the public key exported from the signer, unaltered (check for truncated or split TXT strings).");

        /// <summary>RSA key published as bare RSAPublicKey.</summary>
        public static readonly FindingDescriptor KeyNotSubjectPublicKeyInfo = new FindingDescriptor(
            "Dkim.KeyNotSubjectPublicKeyInfo", Severity.Warning,
            "The RSA key is published as a bare PKCS#1 RSAPublicKey instead of the SubjectPublicKeyInfo form most signers and verifiers use; some verifiers cannot load it.",
            "RFC 6376 §3.6.1; RFC 3447 Appendix A.1.1",
            "Publish the key in SubjectPublicKeyInfo form (what 'openssl rsa -pubout' prints).");

        /// <summary>Unknown key type.</summary>
        public static readonly FindingDescriptor UnknownKeyType = new FindingDescriptor(
            "Dkim.UnknownKeyType", Severity.Error,
            "The k= tag names a key type verifiers do not know (only rsa and ed25519 are defined), so the key cannot be used.",
            "RFC 6376 §3.6.1 (k=); RFC 8463 §4",
            "Set k=rsa or k=ed25519 to match the key.");

        /// <summary>s= excludes email.</summary>
        public static readonly FindingDescriptor NotForEmail = new FindingDescriptor(
            "Dkim.NotForEmail", Severity.Warning,
            "The key record's s= tag lists neither '*' nor 'email', so verifiers of mail signatures ignore it (it may be meant for TLS-RPT only).",
            "RFC 6376 §3.6.1 (s=); RFC 8460 §3",
            "Remove s= or include 'email' if the key signs mail.");

        /// <summary>Several key records at one selector.</summary>
        public static readonly FindingDescriptor MultipleKeyRecords = new FindingDescriptor(
            "Dkim.MultipleKeyRecords", Severity.Warning,
            "More than one TXT record is published at the selector; the result of verification is undefined and verifiers may pick any of them.",
            "RFC 6376 §3.6.2.2",
            "Keep one key record per selector; use a new selector for a new key.");

        /// <summary>A TXT record at the selector that is no DKIM key.</summary>
        public static readonly FindingDescriptor NotAKeyRecord = new FindingDescriptor(
            "Dkim.NotAKeyRecord", Severity.Info,
            "A TXT record exists at the selector name but is not a DKIM key record (no p=, v= or k= tag); it may come from a wildcard.",
            "RFC 6376 §3.6.1",
            "Remove the stray record, or check whether a wildcard TXT record answers for _domainkey names.");

        /// <summary>The selector is a CNAME.</summary>
        public static readonly FindingDescriptor SelectorIsCname = new FindingDescriptor(
            "Dkim.SelectorIsCname", Severity.Info,
            "The selector name is a CNAME to a key published elsewhere (typical for Microsoft 365 selector1/selector2 and other hosted signers).",
            "RFC 6376 §3.6.2.1",
            string.Empty);

        /// <summary>A CNAME pointing nowhere.</summary>
        public static readonly FindingDescriptor DanglingCname = new FindingDescriptor(
            "Dkim.DanglingCname", Severity.Warning,
            "The selector is a CNAME whose target has no key record, so signatures with this selector fail (for Microsoft 365: DKIM signing is probably not enabled for the domain).",
            "RFC 6376 §6.1.2",
            "Enable DKIM at the provider the CNAME points to, or remove the CNAME.");

        /// <summary>A selector lookup failed.</summary>
        public static readonly FindingDescriptor LookupFailed = new FindingDescriptor(
            "Dkim.LookupFailed", Severity.Warning,
            "The key lookup for a selector failed (SERVFAIL, timeout, DNSSEC failure): verifiers return TEMPFAIL. This is not 'no key'.",
            "RFC 6376 §6.1.2",
            "Check the authoritative servers of the _domainkey zone.");

        /// <summary>No key at any probed selector.</summary>
        public static readonly FindingDescriptor NoSelectorFound = new FindingDescriptor(
            "Dkim.NoSelectorFound", Severity.Info,
            "No DKIM key was found at the selectors asked. Selectors are chosen freely by signers, so when only common selectors were probed this is not proof that the domain does not sign.",
            "RFC 6376 §3.1",
            "Pass the selector(s) the domain actually uses with -DkimSelector (see the s= tag of a DKIM-Signature header).");

        /// <summary>An unusable selector given by the user.</summary>
        public static readonly FindingDescriptor InvalidSelector = new FindingDescriptor(
            "Dkim.InvalidSelector", Severity.Error,
            "A selector given is empty or not valid selector syntax (dot-separated host-name labels), or the resulting name exceeds DNS limits; it was not looked up.",
            "RFC 6376 §3.1",
            "Give only the selector (e.g. selector1), not the full _domainkey name.");

        /// <summary>A selector queried but outside the RFC 6376 §3.1 syntax.</summary>
        public static readonly FindingDescriptor SelectorSyntax = new FindingDescriptor(
            "Dkim.SelectorSyntax", Severity.Warning,
            "A selector contains characters RFC 6376 does not allow in selectors (such as '_' or a label starting or ending with '-'); it was looked up anyway, but some signers or verifiers may reject it.",
            "RFC 6376 §3.1",
            "Use selectors made of letters, digits and inner hyphens.");

        // ---- Signatures of a message, verified in message mode (RFC 6376, RFC 8301, RFC 8463): not Get-MailAuthRecords' codes ----

        /// <summary>A DKIM signature verified here.</summary>
        public static readonly FindingDescriptor SignaturePassed = new FindingDescriptor(
            "Dkim.SignaturePassed", Severity.Info,
            "A DKIM signature was verified against the signer's published key: the signing domain takes responsibility for the message.",
            "RFC 6376 §6.1",
            string.Empty);

        /// <summary>A DKIM signature that failed.</summary>
        public static readonly FindingDescriptor SignatureFailed = new FindingDescriptor(
            "Dkim.SignatureFailed", Severity.Warning,
            "A DKIM signature does not verify (body or header hash mismatch, or a rejected key), so it gives the message no authentication.",
            "RFC 6376 §6.1.3; RFC 8301 §3",
            "If the signer is yours, check that nothing modifies the message after signing and that the published key matches the private key.");

        /// <summary>A DKIM signature that could not be processed.</summary>
        public static readonly FindingDescriptor SignaturePermError = new FindingDescriptor(
            "Dkim.SignaturePermError", Severity.Warning,
            "A DKIM signature cannot be processed (malformed signature, no key published, key revoked or unusable), a permanent failure.",
            "RFC 6376 §3.5, §6.1.1, §6.1.2",
            "If the signer is yours, publish the key at <selector>._domainkey.<domain> and sign with correct tags.");

        /// <summary>A DKIM key lookup failed temporarily.</summary>
        public static readonly FindingDescriptor SignatureTempError = new FindingDescriptor(
            "Dkim.SignatureTempError", Severity.Warning,
            "The DKIM key lookup failed (SERVFAIL, timeout): the signature could not be checked now. This is not 'no key'.",
            "RFC 6376 §6.1.2",
            "Retry later, or check the signer's DNS servers.");

        /// <summary>rsa-sha1 signature.</summary>
        public static readonly FindingDescriptor Sha1Signature = new FindingDescriptor(
            "Dkim.Sha1Signature", Severity.Warning,
            "A DKIM signature uses rsa-sha1, which RFC 8301 forbids for signing and verifying; it is treated as failed.",
            "RFC 8301 §3.1",
            "Sign with rsa-sha256 (or ed25519-sha256).");

        /// <summary>RSA key under 1024 bits.</summary>
        public static readonly FindingDescriptor SignatureKeyTooShort = new FindingDescriptor(
            "Dkim.SignatureKeyTooShort", Severity.Warning,
            "A DKIM signature's RSA key is shorter than 1024 bits, which verifiers MUST NOT accept; the signature is treated as failed.",
            "RFC 8301 §3.2",
            "Publish and sign with an RSA key of at least 2048 bits (1024 at the very least).");

        /// <summary>Key in testing mode.</summary>
        public static readonly FindingDescriptor KeyTestingMode = new FindingDescriptor(
            "Dkim.KeyTestingMode", Severity.Info,
            "The signer's key record has t=y (testing): verifiers treat the message as unsigned whatever the result.",
            "RFC 6376 §3.6.1",
            "Remove t=y from the key record once signing works.");

        /// <summary>The message has no DKIM signature.</summary>
        public static readonly FindingDescriptor NoSignature = new FindingDescriptor(
            "Dkim.NoSignature", Severity.Info,
            "The message carries no DKIM-Signature field.",
            "RFC 6376 §3.5",
            "Sign outgoing mail with DKIM.");

        /// <summary>More DKIM signatures than are verified.</summary>
        public static readonly FindingDescriptor TooManySignatures = new FindingDescriptor(
            "Dkim.TooManySignatures", Severity.Info,
            "The message carries more DKIM-Signature fields than are verified per message; the rest were not checked (a bound against hostile input).",
            "RFC 6376 §6.1 (verifiers may limit the signatures they evaluate)",
            string.Empty);
}
}
