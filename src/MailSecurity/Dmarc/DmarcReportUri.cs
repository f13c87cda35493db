using System;
using MailSecurity.Dns;

namespace MailSecurity.Dmarc
{
    /// <summary>A DMARC reporting URI taken apart (RFC 9989 §4.8 <c>dmarc-uri</c> / <c>obs-dmarc-uri</c>).</summary>
    internal sealed class DmarcReportUri
    {
        private DmarcReportUri(string text, string? scheme, string? host, string? sizeSuffix, string? error)
        {
            Text = text;
            Scheme = scheme;
            Host = host;
            SizeSuffix = sizeSuffix;
            Error = error;
        }

        /// <summary>The entry as published.</summary>
        public string Text { get; }

        /// <summary>Lower-case scheme, or null when the URI does not parse.</summary>
        public string? Scheme { get; }

        /// <summary>The destination host: the domain of a mailto address, or the authority host (A-labels).</summary>
        public string? Host { get; }

        /// <summary>The obsolete <c>!size</c> suffix, if any.</summary>
        public string? SizeSuffix { get; }

        /// <summary>Why the URI is invalid; null when valid.</summary>
        public string? Error { get; }

        /// <summary>True when syntactically valid.</summary>
        public bool IsValid => Error is null;

        /// <summary>True for the one scheme every report generator must support (RFC 9989 §4.7 rua/ruf).</summary>
        public bool IsMailto => string.Equals(Scheme, "mailto", StringComparison.Ordinal);

        /// <summary>Parses one list entry.</summary>
        public static DmarcReportUri Parse(string entry)
        {
            var text = entry;
            string? size = null;
            var bang = text.LastIndexOf('!');
            if (bang >= 0)
            {
                // RFC 9989 §4.8: obs-dmarc-report-size = "!" 1*DIGIT [ "k" / "m" / "g" / "t" ]; any other "!" must be encoded.
                var suffix = text.Substring(bang + 1);
                if (!IsSizeSuffix(suffix) || text.IndexOf('!') != bang)
                {
                    return new DmarcReportUri(entry, null, null, null, "it contains an unencoded '!' that is not a size suffix");
                }

                size = suffix;
                text = text.Substring(0, bang);
            }

            foreach (var c in text)
            {
                if (c <= ' ' || c > '~')
                {
                    return new DmarcReportUri(entry, null, null, size, "it contains white space or a character not allowed in a URI");
                }
            }

            var colon = text.IndexOf(':');
            if (colon <= 0)
            {
                return new DmarcReportUri(entry, null, null, size, "it has no URI scheme (expected mailto:)");
            }

            var scheme = text.Substring(0, colon).ToLowerInvariant();
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
            {
                return new DmarcReportUri(entry, scheme, null, size, "it is not a valid URI");
            }

            if (scheme == "mailto")
            {
                var addr = text.Substring(colon + 1);
                var q = addr.IndexOf('?');
                if (q >= 0)
                {
                    addr = addr.Substring(0, q);
                }

                addr = Uri.UnescapeDataString(addr);
                var at = addr.LastIndexOf('@');
                if (at <= 0 || at == addr.Length - 1)
                {
                    return new DmarcReportUri(entry, scheme, null, size, "the mailto address has no local part or no domain");
                }

                if (!DomainName.TryNormalize(addr.Substring(at + 1), out var domain, out var why))
                {
                    return new DmarcReportUri(entry, scheme, null, size, "the mailto domain is invalid: " + why);
                }

                return new DmarcReportUri(entry, scheme, domain, size, null);
            }

            if (string.IsNullOrEmpty(uri.Host) || !DomainName.TryNormalize(uri.IdnHost, out var host, out _))
            {
                return new DmarcReportUri(entry, scheme, null, size, "it has no usable host");
            }

            return new DmarcReportUri(entry, scheme, host, size, null);
        }

        private static bool IsSizeSuffix(string s)
        {
            if (s.Length == 0)
            {
                return false;
            }

            var end = s.Length;
            var last = char.ToLowerInvariant(s[end - 1]);
            if (last == 'k' || last == 'm' || last == 'g' || last == 't')
            {
                end--;
            }

            if (end == 0)
            {
                return false;
            }

            for (var i = 0; i < end; i++)
            {
                if (s[i] < '0' || s[i] > '9')
                {
                    return false;
                }
            }

            return true;
        }
    }
}
