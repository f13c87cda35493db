using System.Text;

namespace MailSecurity.Message
{
    /// <summary>Text helpers shared by the header field parsers of message mode.</summary>
    internal static class FieldText
    {
        /// <summary>Removes folding (CR and LF) and trims; RFC 5322 §2.2.3 unfolding keeps the white space that follows a line break.</summary>
        internal static string Unfold(string value)
        {
            var sb = new StringBuilder(value.Length);
            foreach (var ch in value)
            {
                if (ch != '\r' && ch != '\n')
                {
                    sb.Append(ch);
                }
            }

            return sb.ToString().Trim();
        }
    }
}
