using System;

namespace MailSecurity.Message.Received
{
    /// <summary>Cisco IronPort / Secure Email: <c>with ESMTP/TLS/AES256-SHA256</c>, the cipher glued to the protocol.</summary>
    internal sealed class IronPortReader : ReceivedReader
    {
        public override void ReadStamp(ReceivedFacts facts)
        {
            var with = facts.Stamp.First("with")?.Value;
            if (with is null || !Starts(with, "ESMTP/TLS") && !Starts(with, "SMTP/TLS"))
            {
                return;
            }

            facts.TlsStated = true;
            var parts = with.Split('/');
            if (parts.Length >= 3)
            {
                facts.SetCipher(parts[2]);
            }
        }
    }
}
