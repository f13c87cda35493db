using System;

namespace MailSecurity.Message.Received
{
    /// <summary>
    /// qmail and netqmail (and the MTAs that copy its stamp: qpsmtpd, IronPort, qmail-ldap): <c>(qmail 123 invoked by uid 82)</c>
    /// queue records, <c>from rdns (HELO name) (ident@ip)</c> where the first name is the reverse name or <c>unknown</c> and the
    /// HELO comment appears only when it differs, <c>with (CIPHER encrypted) SMTP</c> from the TLS patch.
    /// </summary>
    internal sealed class QmailReader : ReceivedReader
    {
        public override void ReadStamp(ReceivedFacts facts)
        {
            foreach (var c in facts.Stamp.Leading.Comments)
            {
                if (Starts(c.Text, "qmail ") && Has(c.Text, " invoked"))
                {
                    facts.LocalReason ??= "qmail-queue record";
                    facts.RecognisedStamp = true;
                    facts.Software ??= "qmail";
                }
            }

            var from = facts.Stamp.First("from");
            if (from is null)
            {
                return;
            }

            var helloComment = from.Comments.Exists(c => IsHelloComment(c.Text));
            var placeholder = from.Value != null && HostText.IsPlaceholder(from.Value);
            if (helloComment || placeholder || (BareTcpInfo(from) && SmtpFamily(facts.Stamp)))
            {
                facts.Convention = FromConvention.ReverseFirst;
            }
        }

        public override bool ReadComment(ReceivedComment comment, ReceivedFacts facts)
        {
            var text = comment.Text;
            if (comment.Clause.Keyword.Length == 0 && Starts(text, "qmail ") && Has(text, " invoked"))
            {
                return true;
            }

            if (TcpInfo.InFrom(comment) && IsHelloComment(text))
            {
                // "(HELO name)", "(EHLO )" (an empty greeting), "(LHLO name)" (RFC 2033 §4.1).
                var words = TcpInfo.Words(comment);
                facts.ExplicitHelo ??= words.Length > 1 ? HostText.Trim(words[1]) : string.Empty;
                for (var i = 2; i < words.Length; i++)
                {
                    facts.TrySetAddress(words[i]);
                }

                return true;
            }

            if ((comment.Clause.Keyword == "with" || comment.Clause.Keyword == "from") && text.EndsWith(" encrypted", StringComparison.OrdinalIgnoreCase) && text.IndexOf(' ') == text.Length - " encrypted".Length)
            {
                // The qmail TLS patch: "with (DHE-RSA-AES256-SHA encrypted) SMTP", or after the TCP-info.
                facts.TlsStated = true;
                facts.SetCipher(text.Substring(0, text.Length - " encrypted".Length));
                return true;
            }

            if (Starts(text, "envelope-sender "))
            {
                return true;
            }

            if (comment.Clause.Keyword == "by" && (Starts(text, "qmail") || Starts(text, "qp ") || Starts(text, "qpsmtpd")))
            {
                facts.Software ??= text;
                return true;
            }

            return false;
        }

        private static bool IsHelloComment(string text)
            => Starts(text, "HELO ") || Starts(text, "EHLO ") || Starts(text, "LHLO ") || text.Equals("HELO", StringComparison.OrdinalIgnoreCase) || text.Equals("EHLO", StringComparison.OrdinalIgnoreCase);

        /// <summary>qmail's TCP-info: a bare address or <c>ident@address</c> without brackets and without a name.</summary>
        private static bool BareTcpInfo(ReceivedClause from)
        {
            foreach (var c in from.Comments)
            {
                var words = HostText.Words(c.Text);
                if (words.Length != 1 || words[0].IndexOf('[') >= 0)
                {
                    continue;
                }

                var w = words[0];
                var at = w.LastIndexOf('@');
                if (AddressText.IsAddress(at >= 0 ? w.Substring(at + 1) : w))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool SmtpFamily(ReceivedStamp stamp)
        {
            var with = stamp.First("with")?.Value;
            if (with is null)
            {
                return false;
            }

            switch (with.ToUpperInvariant())
            {
                case "SMTP":
                case "ESMTP":
                case "ESMTPA":
                case "ESMTPS":
                case "ESMTPSA":
                case "QMQP":
                    return true;
                default:
                    return false;
            }
        }
    }
}
