using MailSecurity.Message.Received;

namespace MailSecurity.Message
{
    /// <summary>
    /// Reads one <c>Received:</c> field value into a <see cref="MessageHop"/>, in two halves kept apart: parsing (the
    /// RFC 5321 §4.4 clause structure by <see cref="ReceivedGrammar"/>, then the MTA readers of <see cref="ReceivedReaders"/>
    /// into <see cref="ReceivedFacts"/>) and judging (<see cref="ReceivedHopJudge"/>: names, locality, TLS, authentication,
    /// findings). Total and linear: any string gives a hop; what is not understood is kept raw with a
    /// <see cref="ReceivedFindings.Unparsed"/> finding rather than turned into a wrong field.
    /// </summary>
    /// <remarks>
    /// Hand-written because no library parses Received fields: MimeKit keeps them as unstructured text, and the
    /// formats are MTA conventions layered on the RFC grammar.
    /// </remarks>
    internal static class ReceivedHeaderParser
    {
        /// <summary>At most this many characters of a field are read (a bound against hostile input).</summary>
        internal const int MaxLength = 256 * 1024;

        /// <summary>Parses one Received field value (the text after <c>Received:</c>; folding may still be in it).</summary>
        /// <param name="value">The field value.</param>
        /// <param name="hopIndex">The hop number used in finding messages (1 = oldest); 0 when unknown.</param>
        /// <returns>The interpreted field as a hop numbered <paramref name="hopIndex"/>, not yet placed in a path (no delay); never null.</returns>
        public static MessageHop Parse(string? value, int hopIndex = 0)
        {
            var raw = FieldText.Unfold(value ?? string.Empty);
            var truncated = raw.Length > MaxLength;
            var stamp = ReceivedGrammar.Parse(truncated ? raw.Substring(0, MaxLength) : raw, truncated);
            var facts = ReceivedFactReader.Read(stamp);
            return ReceivedHopJudge.Judge(facts, raw, hopIndex);
        }
    }
}
