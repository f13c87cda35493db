namespace MailSecurity.Message.Received
{
    /// <summary>
    /// Momentum / ecelerity: <c>from ([ip:port] helo=name) by host (ecelerity 2.1.1.3 r(11743))</c>. The version comment is
    /// software, not an address; the FROM value, when present, is the reverse name or the literal.
    /// </summary>
    internal sealed class EcelerityReader : ReceivedReader
    {
        public override void ReadStamp(ReceivedFacts facts)
        {
            if (AnyComment(facts, t => Starts(t, "ecelerity")))
            {
                facts.Convention = FromConvention.ReverseFirst;
            }
        }

        public override bool ReadComment(ReceivedComment comment, ReceivedFacts facts)
        {
            if (comment.Clause.Keyword == "by" && Starts(comment.Text, "ecelerity"))
            {
                facts.Software ??= "ecelerity " + comment.Text.Substring("ecelerity".Length).Trim();
                return true;
            }

            return false;
        }
    }
}
