using System;

namespace MailSecurity.Message.Received
{
    /// <summary>
    /// CommuniGate Pro: <c>from rdns ([ip] verified)</c> when the reverse name checked out, <c>from [ip] (HELO name)</c>
    /// otherwise, and <c>(account user HELO name)</c> for an authenticated client.
    /// </summary>
    internal sealed class CommuniGateReader : ReceivedReader
    {
        public override void ReadStamp(ReceivedFacts facts)
        {
            var from = facts.Stamp.First("from");
            if (from != null && from.Comments.Exists(c => Starts(c.Text, "account ") || HostText.Words(c.Text).Length > 0 && Array.Exists(HostText.Words(c.Text), w => w.Equals("verified", StringComparison.OrdinalIgnoreCase))))
            {
                facts.Convention = FromConvention.ReverseFirst;
            }
        }

        public override bool ReadComment(ReceivedComment comment, ReceivedFacts facts)
        {
            if (comment.Clause.Keyword == "by" && Starts(comment.Text, "CommuniGate Pro"))
            {
                facts.Software ??= comment.Text;
                return true;
            }

            if (!TcpInfo.InFrom(comment) || !Starts(comment.Text, "account "))
            {
                return false;
            }

            var words = TcpInfo.Words(comment);
            facts.SetAuthenticated(words.Length > 1 ? words[1] : null);
            var rest = new System.Collections.Generic.List<string>();
            for (var i = 2; i < words.Length; i++)
            {
                if (words[i].Equals("HELO", StringComparison.OrdinalIgnoreCase))
                {
                    facts.ExplicitHelo ??= i + 1 < words.Length ? HostText.Trim(words[++i]) : string.Empty;
                }
                else
                {
                    rest.Add(words[i]);
                }
            }

            TcpInfo.Read(rest, facts);
            return true;
        }
    }
}
