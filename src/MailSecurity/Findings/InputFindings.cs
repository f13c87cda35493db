namespace MailSecurity
{
    /// <summary>Finding codes about the input itself, as an administrator's tool handed it over (an Exchange accepted domain, for one).</summary>
    internal static class InputFindings
    {
        /// <summary>A wildcard domain (an accepted domain that includes its subdomains) was checked as its parent.</summary>
        public static readonly FindingDescriptor WildcardDomain = new FindingDescriptor(
            "Input.WildcardDomain", Severity.Info,
            "The input was a wildcard domain such as *.contoso.com (an Exchange accepted domain that includes its subdomains); a wildcard is not a name DNS can be asked about, so its parent domain was checked instead.",
            "RFC 4592 §2.1.1",
            "Check the subdomains that receive mail by name as well: they have MX, SPF, DMARC, MTA-STS and DANE records of their own.");
    }
}
