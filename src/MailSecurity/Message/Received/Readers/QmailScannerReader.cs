using System;

namespace MailSecurity.Message.Received
{
    /// <summary>
    /// qmail-scanner, the content filter in front of qmail-queue: <c>from sender@example by host by uid 502 with
    /// qmail-scanner-1.20 (...)</c>. Its FROM names the envelope sender, not a host, and the hop never leaves the machine.
    /// </summary>
    internal sealed class QmailScannerReader : ReceivedReader
    {
        public override void ReadStamp(ReceivedFacts facts)
        {
            var with = facts.Stamp.First("with")?.Value;
            if (with != null && with.StartsWith("qmail-scanner", StringComparison.OrdinalIgnoreCase))
            {
                facts.LocalReason ??= "qmail-scanner content filter";
                facts.Convention = FromConvention.LocalUser;
                facts.Software ??= with;
            }
        }
    }
}
