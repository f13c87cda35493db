using System;

namespace MailSecurity.Message.Received
{
    /// <summary>
    /// Webmail front ends: SquirrelMail and NaSMail's <c>(SquirrelMail authenticated user name)</c>, Horde/IMP's
    /// <c>from ip ( [ip]) as user name by host with HTTP</c>, web.de's <c>(via HTTP)</c>.
    /// </summary>
    internal sealed class WebmailReader : ReceivedReader
    {
        public override bool ReadComment(ReceivedComment comment, ReceivedFacts facts)
        {
            var text = comment.Text;
            var at = text.IndexOf(" authenticated user ", StringComparison.OrdinalIgnoreCase);
            if (at > 0 && text.Substring(0, at).IndexOf(' ') < 0)
            {
                facts.SetAuthenticated(text.Substring(at + " authenticated user ".Length).Trim());
                facts.Software ??= text.Substring(0, at);
                return true;
            }

            return text.Equals("via HTTP", StringComparison.OrdinalIgnoreCase);
        }

        public override int ReadExtraValues(ReceivedClause clause, int index, ReceivedFacts facts)
        {
            var v = clause.Values;
            if (clause.Keyword == "from" && index + 2 < v.Count && v[index].Text.Equals("as", StringComparison.OrdinalIgnoreCase) && v[index + 1].Text.Equals("user", StringComparison.OrdinalIgnoreCase))
            {
                facts.SetAuthenticated(v[index + 2].Text);
                return 3;
            }

            return 0;
        }
    }
}
