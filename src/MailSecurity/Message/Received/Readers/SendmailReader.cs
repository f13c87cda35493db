using System;

namespace MailSecurity.Message.Received
{
    /// <summary>
    /// Sendmail 8 (and MTAs built on it: Proofpoint, Switch, SGI): the version pair <c>(8.17.1/8.17.1)</c>, <c>(authenticated bits=0)</c>
    /// and the older <c>(authenticated (0 bits))</c> and <c>(authenticated)</c>, <c>(from user@localhost)</c> for a local submission,
    /// <c>(uid 500)</c>. Its TLS tags (<c>version= cipher= bits= verify=</c>) are read by <see cref="TlsParameterReader"/>.
    /// </summary>
    internal sealed class SendmailReader : ReceivedReader
    {
        public override void ReadStamp(ReceivedFacts facts)
        {
            if (facts.Stamp.First("from") is null && facts.Stamp.Leading.Comments.Exists(c => IsLocalSubmission(c.Text)))
            {
                facts.LocalReason ??= "local submission (sendmail)";
                facts.RecognisedStamp = true;
            }
        }

        public override bool ReadComment(ReceivedComment comment, ReceivedFacts facts)
        {
            var text = comment.Text;
            if (comment.Clause.Keyword.Length == 0 && IsLocalSubmission(text))
            {
                return true;
            }

            if (Starts(text, "authenticated"))
            {
                var rest = text.Substring("authenticated".Length).Trim();
                if (rest.Length == 0 || Starts(rest, "bits=") || Starts(rest, "(") || rest.EndsWith("bits)", StringComparison.OrdinalIgnoreCase))
                {
                    facts.SetAuthenticated();
                    return true;
                }
            }

            if (comment.Clause.Keyword == "by" && IsVersionPair(text))
            {
                facts.Software ??= char.IsDigit(text[0]) ? "sendmail " + text : text;
                return true;
            }

            return Starts(text, "uid ") || Starts(text, "envelope-from");
        }

        private static bool IsLocalSubmission(string text) => Starts(text, "from ") && text.IndexOf('@') > 0 && text.IndexOf('[') < 0;

        /// <summary>"8.14.4/8.14.4", "8.9.3+3.2W/8.7.3", "SGI-8.9.3/8.8.7", "8.13.8/Submit": the binary's and the configuration's versions.</summary>
        private static bool IsVersionPair(string text)
        {
            var slash = text.IndexOf('/');
            if (slash <= 0)
            {
                return false;
            }

            for (var i = 0; i < slash; i++)
            {
                if (char.IsDigit(text[i]))
                {
                    return text.IndexOf('.', i) > i && text.IndexOf('.', i) < slash;
                }
            }

            return false;
        }
    }
}
