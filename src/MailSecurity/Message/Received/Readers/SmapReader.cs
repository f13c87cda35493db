using System;

namespace MailSecurity.Message.Received
{
    /// <summary>
    /// TIS smap and Obtuse smtpd (firewall relays): <c>from rdns(192.0.2.1), claiming to be "helo" via SMTP by host, id ...</c> and
    /// <c>from rdns(192.0.2.1, HELO helo) by host via smap (V1.3)</c>. The name glued to the address is the reverse name; the HELO
    /// name is written only when it differs.
    /// </summary>
    internal sealed class SmapReader : ReceivedReader
    {
        public override void ReadStamp(ReceivedFacts facts)
        {
            var via = facts.Stamp.First("via")?.Value;
            var from = facts.Stamp.First("from");
            if (via is null || from is null || !from.Comments.Exists(c => c.Glued))
            {
                return;
            }

            if (via.Equals("SMTP", StringComparison.OrdinalIgnoreCase) || via.Equals("smap", StringComparison.OrdinalIgnoreCase) || via.Equals("csmap", StringComparison.OrdinalIgnoreCase))
            {
                facts.Convention = FromConvention.ReverseFirst;
                facts.Software ??= via.Equals("SMTP", StringComparison.OrdinalIgnoreCase) ? "smtpd" : via;
            }
        }

        public override bool ReadComment(ReceivedComment comment, ReceivedFacts facts)
        {
            if (!TcpInfo.InFrom(comment) || !comment.Glued || facts.Convention != FromConvention.ReverseFirst)
            {
                return false;
            }

            var words = TcpInfo.Words(comment);
            for (var i = 0; i < words.Length; i++)
            {
                if (words[i].Equals("HELO", StringComparison.OrdinalIgnoreCase))
                {
                    facts.ExplicitHelo ??= i + 1 < words.Length ? HostText.Trim(words[++i]) : string.Empty;
                }
                else
                {
                    facts.TrySetAddress(words[i]);
                }
            }

            return true;
        }

        public override int ReadExtraValues(ReceivedClause clause, int index, ReceivedFacts facts)
        {
            // ", claiming to be "helo"".
            var v = clause.Values;
            var i = index;
            if (i < v.Count && v[i].Text == ",")
            {
                i++;
            }

            if (i + 3 < v.Count && v[i].Text.Equals("claiming", StringComparison.OrdinalIgnoreCase) && v[i + 1].Text.Equals("to", StringComparison.OrdinalIgnoreCase) && v[i + 2].Text.Equals("be", StringComparison.OrdinalIgnoreCase))
            {
                facts.ExplicitHelo ??= HostText.Trim(v[i + 3].Text);
                return i + 4 - index;
            }

            return i > index && i == v.Count ? i - index : 0;
        }
    }
}
