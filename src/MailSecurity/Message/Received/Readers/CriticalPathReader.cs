namespace MailSecurity.Message.Received
{
    /// <summary>Critical Path / InterMail (cp.net, tin.it, laposte.net): <c>(authenticated as user)</c>.</summary>
    internal sealed class CriticalPathReader : ReceivedReader
    {
        public override bool ReadComment(ReceivedComment comment, ReceivedFacts facts)
        {
            if (Starts(comment.Text, "authenticated as "))
            {
                facts.SetAuthenticated(comment.Text.Substring("authenticated as ".Length).Trim());
                return true;
            }

            return false;
        }
    }
}
