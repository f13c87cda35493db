using System.Text;

namespace MailSecurity.Spf
{
    /// <summary>
    /// The size limits RFC 5321 §4.5.3.1 sets on what an SMTP client may say, applied to the sender and HELO name given to
    /// check_host(): nothing longer can arrive in a real MAIL FROM or EHLO, so a longer argument is a mistake to report,
    /// not a value to evaluate.
    /// </summary>
    internal static class SmtpPathLimits
    {
        /// <summary>RFC 5321 §4.5.3.1.1: a local-part is at most 64 octets.</summary>
        public const int MaxLocalPartOctets = 64;

        /// <summary>RFC 5321 §4.5.3.1.2: a domain is at most 255 octets.</summary>
        public const int MaxDomainOctets = 255;

        /// <summary>RFC 5321 §4.5.3.1.3: a path is at most 256 octets including the angle brackets, so the address 254.</summary>
        public const int MaxAddressOctets = 254;

        /// <summary>Checks a MAIL FROM address (local-part@domain, or just a domain); false with a sentence saying which limit it breaks.</summary>
        public static bool TryCheckSender(string? sender, out string error)
        {
            error = string.Empty;
            if (sender is null)
            {
                return true;
            }

            var octets = Encoding.UTF8.GetByteCount(sender);
            if (octets > MaxAddressOctets)
            {
                error = $"The sender '{DisplayText.Shorten(sender)}' is {octets} octets long; a MAIL FROM address is at most {MaxAddressOctets} (RFC 5321 §4.5.3.1.3).";
                return false;
            }

            var at = sender.LastIndexOf('@');
            var local = at < 0 ? string.Empty : sender.Substring(0, at);
            if (Encoding.UTF8.GetByteCount(local) > MaxLocalPartOctets)
            {
                error = $"The local-part of the sender '{DisplayText.Shorten(sender)}' is {Encoding.UTF8.GetByteCount(local)} octets long; at most {MaxLocalPartOctets} are allowed (RFC 5321 §4.5.3.1.1).";
                return false;
            }

            return true;
        }

        /// <summary>Checks a HELO/EHLO name (a domain or an address literal); false with a sentence when it is too long.</summary>
        public static bool TryCheckHeloName(string? heloName, out string error)
        {
            error = string.Empty;
            if (heloName is null)
            {
                return true;
            }

            var octets = Encoding.UTF8.GetByteCount(heloName);
            if (octets > MaxDomainOctets)
            {
                error = $"The HELO name '{DisplayText.Shorten(heloName)}' is {octets} octets long; a domain is at most {MaxDomainOctets} (RFC 5321 §4.5.3.1.2).";
                return false;
            }

            return true;
        }
    }
}
