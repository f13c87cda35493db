using System;

namespace MailSecurity.Message.Received
{
    /// <summary>
    /// ZMailer (vger.kernel.org): <c>from rdns ([ip]:port "EHLO name" rhost-flags-OK-OK-OK-OK)</c>, where the first name is the
    /// reverse name (or the literal when the lookup failed), and <c>(majordomo@vger.kernel.org) by vger.kernel.org via listexpand</c>
    /// for the list expansion that re-injects a message on the same host.
    /// </summary>
    internal sealed class ZmailerReader : ReceivedReader
    {
        public override void ReadStamp(ReceivedFacts facts)
        {
            var from = facts.Stamp.First("from");
            if (from != null && from.Comments.Exists(c => Has(c.Text, "rhost-flags") || Has(c.Text, "\"EHLO")))
            {
                facts.Convention = FromConvention.ReverseFirst;
                facts.Software ??= "ZMailer";
            }

            if (from is null && facts.Stamp.First("by") != null && facts.Stamp.Leading.Comments.Exists(c => IsListAddress(c.Text)))
            {
                facts.LocalReason ??= "list expansion on the same host";
                facts.RecognisedStamp = true;
            }
        }

        public override bool ReadComment(ReceivedComment comment, ReceivedFacts facts)
        {
            var text = comment.Text;
            if (comment.Clause.Keyword.Length == 0 && IsListAddress(text))
            {
                return true;
            }

            if (TcpInfo.InFrom(comment) && (Has(text, "rhost-flags") || Has(text, "\"EHLO")))
            {
                var words = TcpInfo.Words(comment);
                for (var i = 0; i < words.Length; i++)
                {
                    if (words[i].Equals("\"EHLO", StringComparison.OrdinalIgnoreCase) || words[i].Equals("\"HELO", StringComparison.OrdinalIgnoreCase))
                    {
                        facts.ExplicitHelo ??= i + 1 < words.Length ? HostText.Trim(words[i + 1].Trim('"')) : string.Empty;
                        i++;
                    }
                    else
                    {
                        facts.TrySetAddress(words[i]);
                    }
                }

                return true;
            }

            return Starts(text, "ORCPT ");
        }

        private static bool IsListAddress(string text) => text.IndexOf(' ') < 0 && text.IndexOf('@') > 0 && text.IndexOf('[') < 0;
    }
}
