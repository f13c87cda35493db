using System;
using System.Linq;

namespace MailSecurity.Message.Received
{
    /// <summary>
    /// Turns a <see cref="ReceivedStamp"/> into <see cref="ReceivedFacts"/>: the clause values first (RFC 5321 §4.4), then every
    /// reader of <see cref="ReceivedReaders.All"/> on the stamp, on each comment and on the FROM and BY clauses' extra words.
    /// Text no reader understands is listed in <see cref="ReceivedFacts.NotUnderstood"/>; nothing is guessed.
    /// </summary>
    internal static class ReceivedFactReader
    {
        public static ReceivedFacts Read(ReceivedStamp stamp)
        {
            var facts = new ReceivedFacts(stamp);
            var readers = ReceivedReaders.All;

            var from = stamp.First("from");
            if (from?.Value != null)
            {
                var token = from.Values[0];
                facts.FromValue = token.Kind == ReceivedTokenKind.Literal ? token.Text : HostText.Trim(token.Text);
                facts.FromValueIsAddress = token.Kind == ReceivedTokenKind.Literal || AddressText.IsAddress(token.Text);
            }

            var by = stamp.First("by");
            if (by?.Value != null)
            {
                facts.By = HostText.Trim(by.Value);
            }

            var with = stamp.First("with");
            if (with != null && with.Values.Count > 0)
            {
                // "with ESMTP (Nemesis), id ...": punctuation between the protocol words and the next clause is not part of it.
                var words = with.Values.Select(v => v.Text.TrimEnd(',')).Where(v => v.Length > 0).ToList();
                facts.With = words.Count == 0 ? null : string.Join(" ", words);
            }

            facts.Via = stamp.First("via")?.Joined;
            facts.Id = stamp.First("id")?.Value;
            facts.For = stamp.First("for")?.Joined;
            var tls = stamp.First("tls");
            if (tls?.Value != null)
            {
                // RFC 8314 §4.3: the "tls" clause names the negotiated cipher suite.
                facts.TlsClause = true;
                facts.SetCipher(tls.Value);
            }

            foreach (var reader in readers)
            {
                reader.ReadStamp(facts);
            }

            foreach (var comment in stamp.AllComments)
            {
                foreach (var reader in readers)
                {
                    if (reader.ReadComment(comment, facts))
                    {
                        break;
                    }
                }
            }

            ReadExtras(from, facts);
            ReadExtras(by, facts);
            foreach (var v in stamp.Leading.Values)
            {
                facts.NotUnderstood.Add(v.Text);
            }

            if (facts.Address is null && facts.FromValueIsAddress && facts.Convention != FromConvention.LocalUser && facts.FromValue != null)
            {
                if (!facts.TrySetAddress(facts.FromValue) && from?.Values[0].Kind == ReceivedTokenKind.Literal)
                {
                    TcpInfo.ReadLiteral(facts.FromValue, facts);
                }
            }

            return facts;
        }

        private static void ReadExtras(ReceivedClause? clause, ReceivedFacts facts)
        {
            if (clause is null)
            {
                return;
            }

            var i = 1;
            while (i < clause.Values.Count)
            {
                var taken = 0;
                foreach (var reader in ReceivedReaders.All)
                {
                    taken = reader.ReadExtraValues(clause, i, facts);
                    if (taken > 0)
                    {
                        break;
                    }
                }

                if (taken == 0)
                {
                    var text = clause.Values[i].Text;
                    if (text != ",")
                    {
                        facts.NotUnderstood.Add(text);
                    }

                    taken = 1;
                }

                i += taken;
            }
        }
    }
}
