using System.Collections.Generic;

namespace MailSecurity.Dkim
{
    /// <summary>
    /// The selectors probed when none are given. DKIM selectors are arbitrary (RFC 6376 §3.1), so this list only finds
    /// keys published under names that common providers use; not finding one proves nothing.
    /// </summary>
    internal static class DkimSelectors
    {
        /// <summary>
        /// Common selectors: selector1/selector2 (Microsoft 365, CNAMEs to the tenant), google (Google Workspace),
        /// default, dkim, mail, k1/k2 (Mailchimp, Mandrill), s1/s2 and smtpapi (SendGrid), key1/key2, sig1 (iCloud),
        /// fm1-fm3 (Fastmail), protonmail/protonmail2 (Proton), zoho (Zoho), mandrill, mxvault, everlytickey1 (Everlytic),
        /// mailjet, pm (Postmark), cm (Campaign Monitor), mx (Mailgun).
        /// </summary>
        public static IReadOnlyList<string> Common { get; } = new[]
        {
            "selector1", "selector2", "google", "default", "dkim", "mail", "k1", "k2", "s1", "s2", "key1", "key2",
            "sig1", "fm1", "fm2", "fm3", "protonmail", "protonmail2", "zoho", "mandrill", "mxvault", "everlytickey1",
            "smtpapi", "mailjet", "pm", "cm", "mx",
        };
    }
}
