using System;

namespace MailSecurity.Message.Received
{
    /// <summary>Mimecast: <c>by relay.mimecast.com with ESMTP with STARTTLS (version=TLSv1.3, cipher=...)</c> - a second WITH clause.</summary>
    internal sealed class MimecastReader : ReceivedReader
    {
        public override void ReadStamp(ReceivedFacts facts)
        {
            foreach (var with in facts.Stamp.All("with"))
            {
                if (with.Value != null && with.Value.Equals("STARTTLS", StringComparison.OrdinalIgnoreCase))
                {
                    facts.TlsStated = true;
                }
            }
        }
    }
}
