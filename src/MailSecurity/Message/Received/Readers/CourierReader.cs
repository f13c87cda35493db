using System;

namespace MailSecurity.Message.Received
{
    /// <summary>
    /// Courier-MTA: <c>(AUTH: LOGIN user, TLS: TLSv1/SSLv3,256bits,AES256-SHA)</c> (or <c>SSL:</c>), <c>(AUTH: user)</c>,
    /// <c>(TLS: TLSv1/SSLv3, 168bits,DES-CBC3-SHA)</c>, the <c>(courier-0.40)</c> software comment; Courier writes the id after the date.
    /// </summary>
    internal sealed class CourierReader : ReceivedReader
    {
        public override bool ReadComment(ReceivedComment comment, ReceivedFacts facts)
        {
            var text = comment.Text;
            if (comment.Clause.Keyword == "with" && Starts(text, "courier"))
            {
                facts.Software ??= text;
                return true;
            }

            var tlsAt = IndexOfWord(text, "TLS:");
            if (tlsAt < 0)
            {
                tlsAt = IndexOfWord(text, "SSL:");
            }

            var auth = Starts(text, "AUTH:");
            if (!auth && tlsAt != 0)
            {
                return false;
            }

            if (auth)
            {
                var authPart = (tlsAt > 0 ? text.Substring(0, tlsAt) : text).Substring(5).Trim().TrimEnd(',');
                var words = authPart.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                if (words.Length >= 2)
                {
                    facts.SetAuthenticated(words[1], words[0]);
                }
                else
                {
                    facts.SetAuthenticated(words.Length == 1 ? words[0] : null);
                }
            }

            if (tlsAt >= 0)
            {
                var parts = text.Substring(tlsAt + 4).Split(',');
                facts.TlsStated = true;
                facts.SetVersion(parts[0].Trim());
                if (parts.Length > 1)
                {
                    facts.SetCipher(parts[parts.Length - 1].Trim());
                }
            }

            return true;
        }
    }
}
