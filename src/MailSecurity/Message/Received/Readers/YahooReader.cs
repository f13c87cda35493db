using System;

namespace MailSecurity.Message.Received
{
    /// <summary>
    /// Yahoo's qmail-derived submission stamp: <c>(user@ip with login)</c> and <c>(user@ip with plain)</c> name the authenticated
    /// user and the SASL mechanism.
    /// </summary>
    internal sealed class YahooReader : ReceivedReader
    {
        public override bool ReadComment(ReceivedComment comment, ReceivedFacts facts)
        {
            if (!TcpInfo.InFrom(comment))
            {
                return false;
            }

            var words = TcpInfo.Words(comment);
            if (words.Length != 3 || !words[1].Equals("with", StringComparison.OrdinalIgnoreCase) || words[0].IndexOf('@') <= 0)
            {
                return false;
            }

            var at = words[0].LastIndexOf('@');
            if (!facts.TrySetAddress(words[0].Substring(at + 1)))
            {
                return false;
            }

            facts.SetAuthenticated(words[0].Substring(0, at), words[2]);
            return true;
        }
    }
}
