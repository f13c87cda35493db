using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using MailSecurity.Dns;
using Org.BouncyCastle.Asn1.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;
using BcCertificateParser = Org.BouncyCastle.X509.X509CertificateParser;

namespace MailSecurity.Tls
{
    /// <summary>
    /// Matches a server certificate against a reference host name under RFC 6125 §6.4 as mail senders apply it
    /// (RFC 7672 §3.2.3, RFC 8461 §4.2; SPEC §1.4, §2.6): DNS-IDs only when the certificate has any, the CN only
    /// when it has none; a wildcard only as the entire left-most label, standing for exactly one label; names
    /// compared as lower-case A-labels.
    /// </summary>
    /// <remarks>
    /// Written here because the platform does not do it right for this purpose: SslStream's name check is
    /// platform-dependent and only reports a flag, X509Certificate2.MatchesHostname is missing on
    /// netstandard2.0 and has its own rules, and BouncyCastle has no RFC 6125 matcher. Certificate parsing is
    /// BouncyCastle's.
    /// </remarks>
    internal static class HostNameMatcher
    {
        private const int DnsNameTag = 2; // GeneralName dNSName (RFC 5280 §4.2.1.6)

        /// <summary>Matches <paramref name="certificate"/> against one reference name.</summary>
        /// <param name="certificate">The server (leaf) certificate.</param>
        /// <param name="referenceName">The host name the client expects (U-labels are converted to A-labels).</param>
        /// <exception cref="ArgumentNullException"><paramref name="certificate"/> is null.</exception>
        public static HostNameMatch Match(X509Certificate2 certificate, string referenceName)
        {
            if (certificate is null)
            {
                throw new ArgumentNullException(nameof(certificate));
            }

            ReadIdentifiers(certificate, out var dnsIds, out var commonNames);
            return Match(dnsIds, commonNames, referenceName);
        }

        /// <summary>Matches already extracted identifiers against one reference name (for tests and other callers).</summary>
        /// <param name="dnsIds">subjectAltName dNSName values.</param>
        /// <param name="commonNames">Subject CN values (used only when <paramref name="dnsIds"/> is empty).</param>
        /// <param name="referenceName">The expected host name.</param>
        public static HostNameMatch Match(IReadOnlyList<string> dnsIds, IReadOnlyList<string> commonNames, string referenceName)
        {
            var ids = (dnsIds ?? Array.Empty<string>()).Select(NormalizePresented).ToList();
            var cns = (commonNames ?? Array.Empty<string>()).Select(NormalizePresented).ToList();
            if (!TryNormalizeReference(referenceName, out var reference, out var why))
            {
                return new HostNameMatch(referenceName ?? string.Empty, false, null, HostNameMatchSource.None, ids, cns, why);
            }

            // RFC 6125 §6.4.4: the CN is consulted only when the certificate has no DNS-ID at all.
            var useDnsIds = ids.Count > 0;
            var candidates = useDnsIds ? ids : cns;
            foreach (var presented in candidates)
            {
                if (MatchesPattern(presented, reference))
                {
                    var source = useDnsIds ? HostNameMatchSource.DnsId : HostNameMatchSource.CommonName;
                    var how = useDnsIds
                        ? $"The certificate's DNS-ID '{presented}' matches {reference}."
                        : $"The certificate has no DNS-ID; its common name '{presented}' matches {reference} (senders that require DNS-IDs, such as MTA-STS, reject this).";
                    return new HostNameMatch(reference, true, presented, source, ids, cns, how);
                }
            }

            string explanation;
            if (candidates.Count == 0)
            {
                explanation = $"The certificate carries no DNS-ID and no common name, so it cannot match {reference}.";
            }
            else if (useDnsIds)
            {
                explanation = $"None of the certificate's DNS-IDs ({string.Join(", ", ids.Select(Show))}) matches {reference}" +
                    (cns.Count > 0 && cns.Any(cn => MatchesPattern(cn, reference)) ? "; the common name would, but it is ignored when DNS-IDs exist." : ".");
            }
            else
            {
                explanation = $"The certificate has no DNS-ID and its common name ({string.Join(", ", cns.Select(Show))}) does not match {reference}.";
            }

            return new HostNameMatch(reference, false, null, HostNameMatchSource.None, ids, cns, explanation);
        }

        /// <summary>
        /// True when one presented identifier matches a normalised reference name: exact (case-insensitive) or a
        /// wildcard that is the whole left-most label and stands for exactly one non-empty label (RFC 6125 §6.4.3,
        /// RFC 7672 §3.2.3). Partial wildcards (<c>f*.example.com</c>), wildcards below the left-most label and
        /// wildcards over a single remaining label (<c>*.com</c>) never match.
        /// </summary>
        public static bool MatchesPattern(string presented, string reference)
        {
            if (string.IsNullOrEmpty(presented) || string.IsNullOrEmpty(reference) || reference.IndexOf('*') >= 0)
            {
                return false;
            }

            presented = NormalizePresented(presented);
            reference = reference.ToLowerInvariant();
            foreach (var ch in presented)
            {
                // Certificates carry A-labels (RFC 6125 §6.4.2); a U-label or control character never matches a DNS name.
                if (ch > 0x7E || ch < 0x21)
                {
                    return false;
                }
            }

            if (presented.IndexOf('*') < 0)
            {
                return string.Equals(presented, reference, StringComparison.Ordinal);
            }

            if (!presented.StartsWith("*.", StringComparison.Ordinal))
            {
                return false;
            }

            var rest = presented.Substring(2);
            if (rest.IndexOf('*') >= 0 || rest.IndexOf('.') < 0)
            {
                return false;
            }

            var dot = reference.IndexOf('.');
            return dot > 0 && string.Equals(reference.Substring(dot + 1), rest, StringComparison.Ordinal);
        }

        /// <summary>Reads the subjectAltName dNSName entries and the subject CNs of a certificate (lower case).</summary>
        /// <remarks>A malformed subjectAltName yields no DNS-ID and, deliberately, no CN fallback either.</remarks>
        public static void ReadIdentifiers(X509Certificate2 certificate, out IReadOnlyList<string> dnsIds, out IReadOnlyList<string> commonNames)
        {
            if (certificate is null)
            {
                throw new ArgumentNullException(nameof(certificate));
            }

            BcCertificate? bc = null;
            try
            {
                bc = new BcCertificateParser().ReadCertificate(certificate.RawData);
            }
            catch (Exception)
            {
                // Unparseable certificate: nothing can match.
            }

            ReadIdentifiers(bc, out dnsIds, out commonNames);
        }

        /// <summary>
        /// The first of <paramref name="referenceNames"/> (in order: RFC 7672 §3.2.2 lists the TLSA base domain first)
        /// that the presented identifiers match, with how it matched; <c>null</c> when none does.
        /// </summary>
        /// <param name="dnsIds">subjectAltName dNSName values.</param>
        /// <param name="commonNames">Subject CN values (used only when <paramref name="dnsIds"/> is empty).</param>
        /// <param name="referenceNames">The acceptable names, primary first.</param>
        public static HostNameMatch? FirstMatch(IReadOnlyList<string> dnsIds, IReadOnlyList<string> commonNames, IEnumerable<string>? referenceNames)
        {
            foreach (var reference in referenceNames ?? Array.Empty<string>())
            {
                var match = Match(dnsIds, commonNames, reference);
                if (match.Matches)
                {
                    return match;
                }
            }

            return null;
        }

        /// <summary>Reads the identifiers of a certificate already parsed by BouncyCastle (the DANE matcher has one); <c>null</c> gives none.</summary>
        internal static void ReadIdentifiers(BcCertificate? bc, out IReadOnlyList<string> dnsIds, out IReadOnlyList<string> commonNames)
        {
            var ids = new List<string>();
            var cns = new List<string>();
            if (bc != null)
            {
                var sanBroken = false;
                try
                {
                    var san = bc.GetSubjectAlternativeNames();
                    if (san != null)
                    {
                        foreach (var entry in san)
                        {
                            if (entry.Count >= 2 && entry[0] is int tag && tag == DnsNameTag && entry[1] is string name)
                            {
                                ids.Add(NormalizePresented(name));
                            }
                        }
                    }
                }
                catch (Exception)
                {
                    sanBroken = true;
                }

                if (!sanBroken)
                {
                    try
                    {
                        cns.AddRange(bc.SubjectDN.GetValueList(X509Name.CN).Select(NormalizePresented));
                    }
                    catch (Exception)
                    {
                        // No readable CN.
                    }
                }
            }

            dnsIds = ids.Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
            commonNames = cns.Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        }

        private static bool TryNormalizeReference(string? name, out string reference, out string why)
        {
            reference = string.Empty;
            if (name is null || name.IndexOf('*') >= 0)
            {
                why = $"'{DomainName.Printable(name ?? string.Empty)}' is not a usable reference name (empty or containing a wildcard).";
                return false;
            }

            if (System.Net.IPAddress.TryParse(name.Trim(), out _))
            {
                why = $"{name.Trim()} is an IP address, not a host name; DNS-ID matching needs a name.";
                return false;
            }

            if (!DomainName.TryNormalize(name, out reference, out var error))
            {
                why = error;
                return false;
            }

            why = string.Empty;
            return true;
        }

        private static string NormalizePresented(string name)
        {
            var n = (name ?? string.Empty).Trim();
            if (n.EndsWith(".", StringComparison.Ordinal))
            {
                n = n.Substring(0, n.Length - 1);
            }

            return n.ToLowerInvariant();
        }

        private static string Show(string s) => DisplayText.Shorten(s, DisplayText.MaxLength);
    }
}
