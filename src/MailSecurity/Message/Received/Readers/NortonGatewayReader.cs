using System;

namespace MailSecurity.Message.Received
{
    /// <summary>Symantec/Norton AntiVirus Gateway (NAVGW): the FROM part written as a comment, <c>(from NAME [192.0.2.1]) by host (NAVGW 2.5)</c>.</summary>
    internal sealed class NortonGatewayReader : ReceivedReader
    {
        public override void ReadStamp(ReceivedFacts facts)
        {
            if (facts.Stamp.First("from") is null && facts.Stamp.Leading.Comments.Exists(IsFromComment))
            {
                facts.RecognisedStamp = true;
            }
        }

        public override bool ReadComment(ReceivedComment comment, ReceivedFacts facts)
        {
            if (!IsFromComment(comment))
            {
                return false;
            }

            var words = TcpInfo.Words(comment);
            facts.FromValue ??= HostText.Trim(words[1]);
            for (var i = 2; i < words.Length; i++)
            {
                facts.TrySetAddress(words[i]);
            }

            return true;
        }

        private static bool IsFromComment(ReceivedComment c)
            => c.Clause.Keyword.Length == 0 && Starts(c.Text, "from ") && c.Text.IndexOf('[') > 0 && HostText.Words(c.Text).Length >= 3;
    }
}
