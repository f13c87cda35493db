using System;
using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Asn1.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace MailSecurity.Dane
{
    /// <summary>
    /// Matches a server certificate's names against reference identifiers the way RFC 7672 §3.2.3 asks:
    /// DNS-IDs (subjectAltName dNSName) only when the certificate has any, the CN otherwise; a wildcard only as
    /// the entire left-most label, matching exactly one label.
    /// </summary>
    /// <remarks>
    /// Written here rather than taken from the BCL because .NET's host-name matching (SslStream's callback,
    /// X509Certificate2.MatchesHostname) is platform-dependent, missing on netstandard2.0, or accepts more than
    /// RFC 7672 allows; BouncyCastle has no RFC 6125 matcher.
    /// </remarks>
    internal static class CertificateNameMatcher
    {
        private const int DnsNameTag = 2; // GeneralName.dNSName (RFC 5280 §4.2.1.6)

        /// <summary>The names used for matching: the DNS-IDs, or the CN values when there is no DNS-ID.</summary>
        public static IReadOnlyList<string> PresentedNames(BcCertificate? certificate, out bool fromSubjectAltName)
        {
            fromSubjectAltName = false;
            if (certificate is null)
            {
                return Array.Empty<string>();
            }

            var dnsIds = new List<string>();
            try
            {
                var san = certificate.GetSubjectAlternativeNames();
                if (san != null)
                {
                    foreach (var entry in san)
                    {
                        if (entry.Count >= 2 && entry[0] is int tag && tag == DnsNameTag && entry[1] is string name)
                        {
                            dnsIds.Add(Normalize(name));
                        }
                    }
                }
            }
            catch (Exception)
            {
                // A malformed subjectAltName: no usable DNS-ID, and no fallback to the CN either (RFC 6125 §6.4.4).
                fromSubjectAltName = true;
                return Array.Empty<string>();
            }

            if (dnsIds.Count > 0)
            {
                fromSubjectAltName = true;
                return dnsIds.Distinct(StringComparer.Ordinal).ToList();
            }

            // RFC 7672 §3.2.3 / RFC 6125 §6.4.4: the CN is used only when there is no DNS-ID.
            try
            {
                return certificate.SubjectDN.GetValueList(X509Name.CN).Select(Normalize).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
            }
            catch (Exception)
            {
                return Array.Empty<string>();
            }
        }

        /// <summary>The first reference identifier one of <paramref name="presented"/> matches, or <c>null</c>.</summary>
        public static string? FirstMatch(IReadOnlyList<string> presented, IReadOnlyList<string> referenceIdentifiers)
        {
            foreach (var reference in referenceIdentifiers)
            {
                foreach (var name in presented)
                {
                    if (Matches(name, reference))
                    {
                        return reference;
                    }
                }
            }

            return null;
        }

        /// <summary>True when the presented identifier matches the (normalised) reference identifier.</summary>
        public static bool Matches(string presented, string reference)
        {
            if (presented.Length == 0 || reference.Length == 0)
            {
                return false;
            }

            if (string.Equals(presented, reference, StringComparison.Ordinal))
            {
                return presented.IndexOf('*') < 0;
            }

            // RFC 7672 §3.2.3: '*' only as the complete left-most label, standing for exactly one label.
            if (!presented.StartsWith("*.", StringComparison.Ordinal))
            {
                return false;
            }

            var rest = presented.Substring(2);
            if (rest.IndexOf('*') >= 0 || rest.IndexOf('.') < 0)
            {
                return false; // "*.*.example" or "*.com": never a valid wildcard (RFC 6125 §7.2)
            }

            var dot = reference.IndexOf('.');
            return dot > 0 && string.Equals(reference.Substring(dot + 1), rest, StringComparison.Ordinal);
        }

        private static string Normalize(string name)
        {
            var n = name.Trim();
            if (n.EndsWith(".", StringComparison.Ordinal))
            {
                n = n.Substring(0, n.Length - 1);
            }

            foreach (var ch in n)
            {
                if (ch > 0x7E || ch < 0x21)
                {
                    return string.Empty; // certificates carry A-labels; anything else cannot match a DNS name
                }
            }

            return n.ToLowerInvariant();
        }
    }
}
