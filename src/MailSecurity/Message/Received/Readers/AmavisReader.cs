namespace MailSecurity.Message.Received
{
    /// <summary>amavisd-new and its forks in a content-filter loop: <c>by localhost (host [127.0.0.1]) (amavisd-new, port 10024)</c>.</summary>
    internal sealed class AmavisReader : ReceivedReader
    {
        public override bool ReadComment(ReceivedComment comment, ReceivedFacts facts)
        {
            if (comment.Clause.Keyword == "by" && Has(comment.Text, ", port ") && (Starts(comment.Text, "amavis") || Starts(comment.Text, "MXG")))
            {
                facts.Software = comment.Text.Split(',')[0].Trim();
                return true;
            }

            return false;
        }
    }
}
