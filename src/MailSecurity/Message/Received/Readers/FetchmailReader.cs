namespace MailSecurity.Message.Received
{
    /// <summary>
    /// fetchmail: <c>from server [ip] by localhost with IMAP (fetchmail-6.2.4) for user@localhost (single-drop)</c>. The FROM value is
    /// the server it polled, neither a HELO name nor a verified reverse name.
    /// </summary>
    internal sealed class FetchmailReader : ReceivedReader
    {
        public override void ReadStamp(ReceivedFacts facts)
        {
            if (AnyComment(facts, t => Starts(t, "fetchmail-")))
            {
                facts.Convention = FromConvention.PolledServer;
                facts.Software ??= "fetchmail";
            }
        }

        public override bool ReadComment(ReceivedComment comment, ReceivedFacts facts)
            => Starts(comment.Text, "fetchmail-") || Starts(comment.Text, "single-drop") || Starts(comment.Text, "multi-drop");
    }
}
