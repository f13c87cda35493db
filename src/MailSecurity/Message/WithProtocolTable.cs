using System;
using System.Collections.Generic;
using System.Linq;

namespace MailSecurity.Message
{
    /// <summary>
    /// The WITH protocol keywords of Received fields: the IANA "WITH protocol types" registry (SPEC §7.7:
    /// RFC 5321, RFC 2033, RFC 3848, RFC 6531 §4.3, RFC 4356) and, marked unregistered, the values MTAs write
    /// in the wild. In the registered values an <c>S</c> suffix means STARTTLS and an <c>A</c> suffix SMTP AUTH.
    /// </summary>
    internal static class WithProtocolTable
    {
        private static readonly Dictionary<string, WithProtocolInfo> Table = Build();

        /// <summary>Every known keyword, registered ones first.</summary>
        public static IReadOnlyList<WithProtocolInfo> All => Table.Values.OrderBy(v => v.Registered ? 0 : 1).ThenBy(v => v.Keyword, StringComparer.Ordinal).ToList();

        /// <summary>Looks a WITH value up (case-insensitive); <c>null</c> when it is neither registered nor a known variant.</summary>
        public static WithProtocolInfo? Find(string? keyword)
        {
            if (string.IsNullOrWhiteSpace(keyword))
            {
                return null;
            }

            return Table.TryGetValue(keyword!.Trim(), out var info) ? info : null;
        }

        private static Dictionary<string, WithProtocolInfo> Build()
        {
            var t = new Dictionary<string, WithProtocolInfo>(StringComparer.OrdinalIgnoreCase);
            void Reg(string k, bool tls, bool auth, string meaning, string reference)
                => t[k] = new WithProtocolInfo(k, true, tls, auth, false, meaning, reference);
            void Other(string k, bool? tls, bool? auth, bool local, string meaning)
                => t[k] = new WithProtocolInfo(k, false, tls, auth, local, meaning, "not registered (common practice)");

            // SPEC §7.7: registered values. S = STARTTLS negotiated, A = SMTP AUTH used (RFC 3848 §1).
            Reg("SMTP", false, false, "SMTP without extensions, no TLS", "RFC 5321");
            Reg("ESMTP", false, false, "extended SMTP, no TLS", "RFC 5321");
            Reg("ESMTPA", false, true, "extended SMTP with AUTH, no TLS", "RFC 3848");
            Reg("ESMTPS", true, false, "extended SMTP with STARTTLS", "RFC 3848");
            Reg("ESMTPSA", true, true, "extended SMTP with STARTTLS and AUTH", "RFC 3848");
            Reg("LMTP", false, false, "LMTP, no TLS", "RFC 2033");
            Reg("LMTPA", false, true, "LMTP with AUTH, no TLS", "RFC 3848");
            Reg("LMTPS", true, false, "LMTP with STARTTLS", "RFC 3848");
            Reg("LMTPSA", true, true, "LMTP with STARTTLS and AUTH", "RFC 3848");
            Reg("UTF8SMTP", false, false, "ESMTP with SMTPUTF8, no TLS", "RFC 6531 §4.3");
            Reg("UTF8SMTPA", false, true, "ESMTP with SMTPUTF8 and AUTH, no TLS", "RFC 6531 §4.3");
            Reg("UTF8SMTPS", true, false, "ESMTP with SMTPUTF8 and STARTTLS", "RFC 6531 §4.3");
            Reg("UTF8SMTPSA", true, true, "ESMTP with SMTPUTF8, STARTTLS and AUTH", "RFC 6531 §4.3");
            Reg("UTF8LMTP", false, false, "LMTP with SMTPUTF8, no TLS", "RFC 6531 §4.3");
            Reg("UTF8LMTPA", false, true, "LMTP with SMTPUTF8 and AUTH, no TLS", "RFC 6531 §4.3");
            Reg("UTF8LMTPS", true, false, "LMTP with SMTPUTF8 and STARTTLS", "RFC 6531 §4.3");
            Reg("UTF8LMTPSA", true, true, "LMTP with SMTPUTF8, STARTTLS and AUTH", "RFC 6531 §4.3");
            t["MMS"] = new WithProtocolInfo("MMS", true, null, null, false, "Multimedia Messaging Service relay; says nothing about TLS", "RFC 4356");

            // SPEC §7.7: values seen in the wild but not registered: heuristic meanings only.
            Other("SMTPS", true, null, false, "SMTP over implicit TLS (port 465); also Google's internal relays");
            Other("SMTPSA", true, true, false, "SMTP with TLS and AUTH (non-standard spelling of ESMTPSA)");
            Other("SMTPA", false, true, false, "SMTP with AUTH, no TLS (non-standard spelling of ESMTPA)");
            Other("ESMTP/TLS", true, null, false, "extended SMTP with TLS (non-standard spelling)");
            Other("ESMTP-TLS", true, null, false, "extended SMTP with TLS (CommuniGate Pro's spelling)");
            Other("ASMTP", null, true, false, "authenticated SMTP (Exim and Earthlink convention); says nothing about TLS");
            Other("ESMTPS/TLS", true, null, false, "extended SMTP with TLS (non-standard spelling)");
            Other("HTTPS", true, null, false, "submitted or relayed over HTTPS (webmail, Exchange Online internal transport)");
            Other("HTTP", null, null, false, "submitted over HTTP (webmail); a TLS proxy in front cannot be seen from the field");
            Other("HTTPREST", true, null, false, "submitted through a REST API (Gmail API) over HTTPS");
            Other("IMAP", null, null, false, "appended over IMAP");
            Other("POP3", null, null, false, "retrieved over POP3");
            Other("MAPI", null, true, false, "submitted by Outlook over MAPI to Exchange (authenticated client session)");
            Other("LOCAL", null, null, true, "local submission on the same host");
            Other("LOCAL-ESMTP", null, null, true, "local submission over SMTP on standard input (Exim -bs)");
            Other("LOCAL-SMTP", null, null, true, "local submission over SMTP on standard input (Exim -bs)");
            Other("LOCAL-BSMTP", null, null, true, "local batched SMTP (Exim -bS)");
            Other("LOCAL-ESMTPS", null, null, true, "local submission over SMTP with TLS (Exim)");
            Other("LOCAL-ESMTPA", null, true, true, "local submission over SMTP with AUTH (Exim)");
            Other("Microsoft SMTP Server", null, null, false, "Microsoft Exchange transport; TLS is stated in a version=/cipher= comment when used");
            Other("QMQP", false, null, false, "Quick Mail Queuing Protocol, no TLS");
            Other("UUCP", null, null, false, "UUCP relay");
            return t;
        }
    }
}
