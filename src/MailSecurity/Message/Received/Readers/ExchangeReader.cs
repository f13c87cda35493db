using System;

namespace MailSecurity.Message.Received
{
    /// <summary>
    /// Microsoft Exchange 5.5 to 2019 and Exchange Online: <c>with Microsoft SMTP Server (version=TLS1_2, cipher=...) id 15.20...</c>,
    /// the older <c>(TLS)</c> marker, no comment at all when the hop was not encrypted (the product convention), IIS/Exchange 2003's
    /// <c>with Microsoft SMTPSVC(6.0.3790.0)</c> (which never records TLS), Exchange 5.5's Internet Mail Service, <c>with mapi</c> for the
    /// mailbox server's own submission, and <c>from mail pickup service</c> for the pickup directory.
    /// </summary>
    internal sealed class ExchangeReader : ReceivedReader
    {
        public override void ReadStamp(ReceivedFacts facts)
        {
            var with = facts.Stamp.First("with");
            var joined = with?.Joined ?? string.Empty;
            if (Starts(joined, "Microsoft SMTP Server") || (with != null && with.Comments.Exists(c => Has(c.Text, "Microsoft Exchange Internet Mail Service"))))
            {
                facts.Exchange = true;
                facts.Software ??= Starts(joined, "Microsoft") ? "Microsoft SMTP Server" : "Microsoft Exchange Internet Mail Service";
            }
            else if (Starts(joined, "Microsoft SMTPSVC"))
            {
                facts.Software ??= "Microsoft SMTPSVC";
            }
            else if (Starts(joined, "Internet Mail Service"))
            {
                facts.Software ??= "Microsoft Exchange Internet Mail Service";
            }

            var from = facts.Stamp.First("from");
            if (from != null && from.Joined != null && from.Joined.Equals("mail pickup service", StringComparison.OrdinalIgnoreCase))
            {
                facts.LocalReason ??= "pickup directory";
                facts.Convention = FromConvention.LocalUser;
            }
        }

        public override bool ReadComment(ReceivedComment comment, ReceivedFacts facts)
        {
            if (comment.Clause.Keyword != "with")
            {
                return false;
            }

            var text = comment.Text;
            if (text.Equals("TLS", StringComparison.OrdinalIgnoreCase))
            {
                facts.ExchangeTlsMarker = true;
                return true;
            }

            if (Has(text, "Microsoft Exchange Internet Mail Service") || IsBuildNumber(text))
            {
                // "SMTPSVC(5.0.2195.6713)", "Internet Mail Service (5.5.2653.19)": the build.
                return true;
            }

            return false;
        }

        public override int ReadExtraValues(ReceivedClause clause, int index, ReceivedFacts facts)
            => clause.Keyword == "from" && facts.LocalReason == "pickup directory" ? clause.Values.Count - index : 0;

        private static bool IsBuildNumber(string text)
        {
            foreach (var ch in text)
            {
                if (!char.IsDigit(ch) && ch != '.')
                {
                    return false;
                }
            }

            return text.IndexOf('.') > 0;
        }
    }
}
