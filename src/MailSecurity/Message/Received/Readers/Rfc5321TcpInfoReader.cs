using System;

namespace MailSecurity.Message.Received
{
    /// <summary>
    /// What RFC 5321 §4.4 itself defines, for comments no MTA reader claimed: the FROM clause's TCP-info
    /// (<c>(name [addr])</c>, <c>([addr])</c> and the bare variants), the BY host's own address, and the BY clause's first other
    /// comment as the receiving software. Also takes an address literal written after the FROM value without parentheses
    /// (Exim 3, fetchmail, MDaemon, GMX) and a message-id in angle brackets where an ID clause was meant.
    /// </summary>
    internal sealed class Rfc5321TcpInfoReader : ReceivedReader
    {
        public override bool ReadComment(ReceivedComment comment, ReceivedFacts facts)
        {
            if (TcpInfo.InFrom(comment))
            {
                return TcpInfo.Read(TcpInfo.Words(comment), facts);
            }

            if (comment.Clause.Keyword != "by")
            {
                return false;
            }

            var words = TcpInfo.Words(comment);
            if (words.Length == 1 && AddressText.TryRead(words[0], out var single))
            {
                facts.ByAddress ??= single;
                return true;
            }

            if (words.Length == 2 && words[1].StartsWith("[", StringComparison.Ordinal) && AddressText.TryRead(words[1], out var named))
            {
                // "by localhost (filter.example [192.0.2.5])": a content filter's own name and address.
                facts.ByAddress ??= named;
                return true;
            }

            if (facts.Software is null && words.Length > 0)
            {
                facts.Software = comment.Text.Split(',')[0].Trim();
                return true;
            }

            return false;
        }

        public override int ReadExtraValues(ReceivedClause clause, int index, ReceivedFacts facts)
        {
            var token = clause.Values[index];
            if (token.Text.StartsWith("<", StringComparison.Ordinal) && token.Text.EndsWith(">", StringComparison.Ordinal))
            {
                return 1;
            }

            if (token.Kind != ReceivedTokenKind.Literal && !AddressText.IsAddress(token.Text))
            {
                return 0;
            }

            if (clause.Keyword == "by")
            {
                if (AddressText.TryRead(token.Text, out var by))
                {
                    facts.ByAddress ??= by;
                }

                return 1;
            }

            TcpInfo.ReadLiteral(token.Text, facts);
            return 1;
        }
    }
}
