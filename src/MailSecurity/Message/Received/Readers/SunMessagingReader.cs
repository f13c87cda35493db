using System;

namespace MailSecurity.Message.Received
{
    /// <summary>
    /// Sun Java System / iPlanet / Oracle Communications Messaging Server: a channel's own stamp,
    /// <c>from conversion-daemon.host by host (Sun Java System Messaging Server ...)</c>, is a hand-off inside the server.
    /// </summary>
    internal sealed class SunMessagingReader : ReceivedReader
    {
        public override void ReadStamp(ReceivedFacts facts)
        {
            var from = facts.Stamp.First("from")?.Value;
            var by = facts.Stamp.First("by")?.Value;
            if (from is null || by is null)
            {
                return;
            }

            var dot = from.IndexOf('.');
            if (dot > 0 && from.Substring(0, dot).EndsWith("-daemon", StringComparison.OrdinalIgnoreCase) && from.Substring(dot + 1).Equals(HostText.Trim(by), StringComparison.OrdinalIgnoreCase))
            {
                facts.LocalReason ??= "messaging server channel on the same host";
            }
        }
    }
}
