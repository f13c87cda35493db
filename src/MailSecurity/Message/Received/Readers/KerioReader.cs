namespace MailSecurity.Message.Received
{
    /// <summary>Kerio Connect: <c>(authenticated user user@example.org)</c>; its TLS comment has Postfix's shape.</summary>
    internal sealed class KerioReader : ReceivedReader
    {
        public override bool ReadComment(ReceivedComment comment, ReceivedFacts facts)
        {
            if (Starts(comment.Text, "authenticated user "))
            {
                facts.SetAuthenticated(comment.Text.Substring("authenticated user ".Length).Trim());
                return true;
            }

            return false;
        }
    }
}
