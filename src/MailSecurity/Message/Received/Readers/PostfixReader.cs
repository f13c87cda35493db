using System;

namespace MailSecurity.Message.Received
{
    /// <summary>
    /// Postfix: <c>(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) ...)</c> (smtpd_tls_received_header),
    /// <c>(Authenticated sender: user)</c>, the client-certificate notes, <c>(Postfix)</c> and <c>(Postfix, from userid 1000)</c> for
    /// mail submitted with the sendmail command on the host itself.
    /// </summary>
    internal sealed class PostfixReader : ReceivedReader
    {
        public override bool ReadComment(ReceivedComment comment, ReceivedFacts facts)
        {
            var text = comment.Text;
            if (Starts(text, "using "))
            {
                // "using <version> with cipher <cipher> (bits)" - Kerio Connect writes the same shape.
                var words = HostText.Words(text);
                if (words.Length >= 5 && words[2].Equals("with", StringComparison.OrdinalIgnoreCase) && words[3].Equals("cipher", StringComparison.OrdinalIgnoreCase))
                {
                    facts.TlsStated = true;
                    facts.SetVersion(words[1]);
                    facts.SetCipher(words[4]);
                    return true;
                }
            }

            if (Starts(text, "Authenticated sender:"))
            {
                facts.SetAuthenticated(text.Substring("Authenticated sender:".Length).Trim());
                return true;
            }

            if (Starts(text, "No client certificate") || Starts(text, "Client did not present") || Starts(text, "Client CN ") || Starts(text, "Client certificate"))
            {
                return true;
            }

            if (comment.Clause.Keyword == "by" && Starts(text, "Postfix"))
            {
                facts.Software ??= "Postfix";
                if (Has(text, "from userid"))
                {
                    facts.LocalReason ??= "Postfix local pickup (sendmail command)";
                }

                return true;
            }

            return false;
        }
    }
}
