using System;

namespace MailSecurity.Message.Received
{
    /// <summary>SpamAssassin's spamd/spampd re-injection: <c>from localhost by host with SpamAssassin (version 3.0.2)</c>.</summary>
    internal sealed class SpamAssassinReader : ReceivedReader
    {
        public override void ReadStamp(ReceivedFacts facts)
        {
            var with = facts.Stamp.First("with")?.Value;
            if (with != null && with.Equals("SpamAssassin", StringComparison.OrdinalIgnoreCase))
            {
                facts.LocalReason ??= "SpamAssassin content filter";
                facts.Software ??= "SpamAssassin";
            }
        }

        public override bool ReadComment(ReceivedComment comment, ReceivedFacts facts)
            => comment.Clause.Keyword == "with" && Starts(comment.Text, "version ") && facts.Software == "SpamAssassin";
    }
}
