using System;
using System.Collections.Generic;

namespace MailSecurity.Message.Received
{
    /// <summary>
    /// Reads what one MTA (or one family of MTAs) writes into a Received field beyond the RFC 5321 §4.4 clause
    /// structure: its comments, its conventions for the FROM value, its extra words. Readers only record facts;
    /// the verdicts are <see cref="ReceivedHopJudge"/>'s. Each reader looks at each comment once, so reading stays
    /// linear in the field's length.
    /// </summary>
    internal abstract class ReceivedReader
    {
        /// <summary>Looks at the whole stamp before the comments (software markers, conventions). Called once per field.</summary>
        public virtual void ReadStamp(ReceivedFacts facts)
        {
        }

        /// <summary>Reads one comment; true when this reader recognised it (later readers do not see it).</summary>
        public virtual bool ReadComment(ReceivedComment comment, ReceivedFacts facts) => false;

        /// <summary>
        /// Offered the values of the FROM or BY clause after its first value, starting at <paramref name="index"/>;
        /// returns how many it recognised (0 when none).
        /// </summary>
        public virtual int ReadExtraValues(ReceivedClause clause, int index, ReceivedFacts facts) => 0;

        /// <summary>True when the comment text starts with the prefix (case-insensitive).</summary>
        protected static bool Starts(string text, string prefix) => text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);

        /// <summary>True when the comment text contains the fragment (case-insensitive).</summary>
        protected static bool Has(string text, string fragment) => text.IndexOf(fragment, StringComparison.OrdinalIgnoreCase) >= 0;

        /// <summary>The comments of the stamp that start with the prefix.</summary>
        protected static bool AnyComment(ReceivedFacts facts, Func<string, bool> test)
        {
            foreach (var c in facts.Stamp.AllComments)
            {
                if (test(c.Text))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Text after a "key=" word, up to the next space or comma.</summary>
        protected static string? TagValue(string text, string key)
        {
            var i = IndexOfWord(text, key);
            if (i < 0)
            {
                return null;
            }

            var start = i + key.Length;
            var end = start;
            while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] != ',' && text[end] != ')' && text[end] != ';')
            {
                end++;
            }

            return end > start ? text.Substring(start, end - start) : null;
        }

        /// <summary>Index of <paramref name="key"/> where it starts a word (at the start, or after a space, '(' or ','), or -1.</summary>
        protected static int IndexOfWord(string text, string key)
        {
            var from = 0;
            while (from < text.Length)
            {
                var i = text.IndexOf(key, from, StringComparison.OrdinalIgnoreCase);
                if (i < 0)
                {
                    return -1;
                }

                if (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == ',' || text[i - 1] == '(')
                {
                    return i;
                }

                from = i + key.Length;
            }

            return -1;
        }
    }

    /// <summary>The readers, most specific first: the RFC-level readers come last and take what no MTA reader claimed.</summary>
    internal static class ReceivedReaders
    {
        public static readonly IReadOnlyList<ReceivedReader> All = new ReceivedReader[]
        {
            new QmailScannerReader(),
            new QmailReader(),
            new ZmailerReader(),
            new CommuniGateReader(),
            new EcelerityReader(),
            new EximReader(),
            new CourierReader(),
            new PostfixReader(),
            new SendmailReader(),
            new ExchangeReader(),
            new GoogleReader(),
            new KerioReader(),
            new YahooReader(),
            new IronPortReader(),
            new MimecastReader(),
            new AmavisReader(),
            new SpamAssassinReader(),
            new FetchmailReader(),
            new WebmailReader(),
            new SmapReader(),
            new SunMessagingReader(),
            new NortonGatewayReader(),
            new CriticalPathReader(),
            new TlsParameterReader(),
            new Rfc5321TcpInfoReader(),
        };
    }
}
