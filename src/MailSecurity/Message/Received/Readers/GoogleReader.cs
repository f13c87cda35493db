using System;

namespace MailSecurity.Message.Received
{
    /// <summary>
    /// Gmail and Google Workspace: <c>(Google Transport Security)</c> for Google's own encrypted transport, and the Gmail API's
    /// <c>from 384836569573 named unknown by gmailapi.google.com with HTTPREST</c>. Google's TLS tags
    /// (<c>version=TLS1_2 cipher=... bits=128/128</c>) are read by <see cref="TlsParameterReader"/>.
    /// </summary>
    internal sealed class GoogleReader : ReceivedReader
    {
        public override bool ReadComment(ReceivedComment comment, ReceivedFacts facts)
        {
            if (Has(comment.Text, "Google Transport Security"))
            {
                facts.GoogleTransport = true;
                return true;
            }

            return false;
        }

        public override int ReadExtraValues(ReceivedClause clause, int index, ReceivedFacts facts)
        {
            if (clause.Keyword == "from" && index + 1 < clause.Values.Count && clause.Values[index].Text.Equals("named", StringComparison.OrdinalIgnoreCase))
            {
                // "from 384836569573 named unknown": an API client (a project number), not a host.
                facts.Convention = FromConvention.ApiClient;
                return 2;
            }

            return 0;
        }
    }
}
