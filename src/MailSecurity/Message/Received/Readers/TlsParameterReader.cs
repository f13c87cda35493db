using System;

namespace MailSecurity.Message.Received
{
    /// <summary>
    /// The <c>version=... cipher=... bits=... verify=...</c> tags Sendmail introduced (its ${tls_version} and ${cipher} macros) and
    /// Gmail, Exchange (<c>version=TLS1_2, cipher=...</c>), Proofpoint and Mimecast copy. <c>version=NONE</c> means no TLS.
    /// </summary>
    internal sealed class TlsParameterReader : ReceivedReader
    {
        public override bool ReadComment(ReceivedComment comment, ReceivedFacts facts)
        {
            var text = comment.Text;
            var version = TagValue(text, "version=");
            var cipher = TagValue(text, "cipher=");
            if (version is null && cipher is null)
            {
                return false;
            }

            if (version != null && version.Equals("NONE", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if ((version != null && TlsVersionText.IsVersion(version)) || cipher != null)
            {
                facts.TlsStated = true;
                facts.SetVersion(version);
                facts.SetCipher(cipher);
                return true;
            }

            return false;
        }
    }
}
