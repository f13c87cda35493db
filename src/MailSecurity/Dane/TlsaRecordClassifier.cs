using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DnsClient.Protocol;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace MailSecurity.Dane
{
    /// <summary>
    /// Parses and classifies TLSA records: parameters, RFC 7218 mnemonics, and whether a client can use each
    /// record (RFC 6698 §4.1, RFC 7671 §4, RFC 7672 §3.1). Unusable records are returned, with the reason.
    /// </summary>
    internal static class TlsaRecordClassifier
    {
        /// <summary>Classifies one record given its fields.</summary>
        /// <param name="usage">Certificate usage field.</param>
        /// <param name="selector">Selector field.</param>
        /// <param name="matchingType">Matching type field.</param>
        /// <param name="associationData">Certificate association data (may be empty; never trusted).</param>
        /// <param name="ttl">The record's TTL.</param>
        /// <param name="profile">SMTP (default) or generic DANE rules.</param>
        public static TlsaRecordInfo Classify(byte usage, byte selector, byte matchingType, byte[]? associationData, TimeSpan ttl, TlsaUsageProfile profile = TlsaUsageProfile.Smtp)
        {
            var data = associationData ?? Array.Empty<byte>();
            var (reason, explanation) = Evaluate(usage, selector, matchingType, data, profile);
            return new TlsaRecordInfo(usage, selector, matchingType, (byte[])data.Clone(), ttl, profile, reason, explanation);
        }

        /// <summary>Classifies a TLSA record as returned by the DNS layer.</summary>
        /// <param name="record">The DnsClient TLSA record.</param>
        /// <param name="profile">SMTP (default) or generic DANE rules.</param>
        public static TlsaRecordInfo Classify(TlsaRecord record, TlsaUsageProfile profile = TlsaUsageProfile.Smtp)
        {
            if (record is null)
            {
                throw new ArgumentNullException(nameof(record));
            }

            return Classify((byte)record.CertificateUsage, (byte)record.Selector, (byte)record.MatchingType, record.CertificateAssociationData?.ToArray(), TimeSpan.FromSeconds(Math.Max(0, record.InitialTimeToLive)), profile);
        }

        /// <summary>Classifies every record of an RRset, in order.</summary>
        /// <param name="records">The TLSA records.</param>
        /// <param name="profile">SMTP (default) or generic DANE rules.</param>
        public static IReadOnlyList<TlsaRecordInfo> Classify(IEnumerable<TlsaRecord> records, TlsaUsageProfile profile = TlsaUsageProfile.Smtp)
            => (records ?? throw new ArgumentNullException(nameof(records))).Select(r => Classify(r, profile)).ToList();

        /// <summary>
        /// Parses a record in presentation format, <c>usage selector mtype hex</c> (hex may contain spaces or be
        /// split across several tokens, upper or lower case), and classifies it.
        /// </summary>
        /// <param name="text">The record text, e.g. <c>3 1 1 0123...</c>.</param>
        /// <param name="ttl">The TTL to record.</param>
        /// <param name="profile">SMTP (default) or generic DANE rules.</param>
        /// <param name="record">The classified record.</param>
        /// <param name="error">Why the text could not be parsed.</param>
        public static bool TryParse(string? text, TimeSpan ttl, TlsaUsageProfile profile, out TlsaRecordInfo? record, out string error)
        {
            record = null;
            error = string.Empty;
            if (string.IsNullOrWhiteSpace(text))
            {
                error = "The TLSA record text is empty.";
                return false;
            }

            var tokens = text!.Split(new[] { ' ', '\t', '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length < 3)
            {
                error = "A TLSA record needs at least three fields: usage, selector and matching type.";
                return false;
            }

            var fields = new byte[3];
            for (var i = 0; i < 3; i++)
            {
                if (!byte.TryParse(tokens[i], NumberStyles.None, CultureInfo.InvariantCulture, out fields[i]))
                {
                    error = $"TLSA field {i + 1} '{Dns.DomainName.Printable(tokens[i])}' is not a number from 0 to 255.";
                    return false;
                }
            }

            var hex = string.Concat(tokens.Skip(3));
            if (!TryParseHex(hex, out var data))
            {
                error = "The certificate association data is not an even number of hexadecimal digits.";
                return false;
            }

            record = Classify(fields[0], fields[1], fields[2], data, ttl, profile);
            return true;
        }

        private static (TlsaUnusableReason, string) Evaluate(byte usage, byte selector, byte matchingType, byte[] data, TlsaUsageProfile profile)
        {
            var u = (TlsaUsage)usage;
            var s = (TlsaSelector)selector;
            var m = (TlsaMatchingType)matchingType;
            var name = $"{usage} {selector} {matchingType} ({TlsaRecordInfo.MnemonicOf(u)} {TlsaRecordInfo.MnemonicOf(s)} {TlsaRecordInfo.MnemonicOf(m)})";

            // RFC 6698 §4.1: a record whose usage, selector or matching type is not understood is unusable.
            if (u == TlsaUsage.PrivCert || s == TlsaSelector.PrivSel || m == TlsaMatchingType.PrivMatch)
            {
                return (TlsaUnusableReason.PrivateUse, $"{name} uses a private-use value (255) that public clients do not understand, so the record is unusable (RFC 6698 §4.1).");
            }

            if (usage > 3)
            {
                return (TlsaUnusableReason.UnknownUsage, $"{name}: certificate usage {usage} is not assigned, so the record is unusable (RFC 6698 §4.1, §7.2).");
            }

            // RFC 7672 §3.1.3: PKIX-TA(0) and PKIX-EE(1) are not for SMTP; clients treat them as unusable.
            if (profile == TlsaUsageProfile.Smtp && (u == TlsaUsage.PkixTa || u == TlsaUsage.PkixEe))
            {
                return (TlsaUnusableReason.PkixUsageInSmtp, $"{name}: PKIX usages are not used for SMTP, so DANE SMTP clients treat this record as unusable (RFC 7672 §3.1.3).");
            }

            if (selector > 1)
            {
                return (TlsaUnusableReason.UnknownSelector, $"{name}: selector {selector} is not assigned, so the record is unusable (RFC 6698 §4.1, §7.3).");
            }

            if (matchingType > 2)
            {
                return (TlsaUnusableReason.UnknownMatchingType, $"{name}: matching type {matchingType} is not assigned, so the record is unusable (RFC 6698 §4.1, §7.4).");
            }

            if (data.Length == 0)
            {
                return (TlsaUnusableReason.MalformedData, $"{name} has no certificate association data, so the record is unusable (RFC 6698 §4.1).");
            }

            // RFC 6698 §4.1 / RFC 7671 §9: a digest of the wrong length is malformed and unusable.
            var expected = m == TlsaMatchingType.Sha256 ? 32 : m == TlsaMatchingType.Sha512 ? 64 : 0;
            if (expected != 0 && data.Length != expected)
            {
                return (TlsaUnusableReason.WrongDigestLength, $"{name}: a {TlsaRecordInfo.MnemonicOf(m)} digest is {expected} bytes, but the record holds {data.Length}, so it is unusable (RFC 6698 §4.1; RFC 7671 §9).");
            }

            if (m == TlsaMatchingType.Full)
            {
                var parseError = s == TlsaSelector.Cert ? CheckCertificate(data) : CheckSpki(data);
                if (parseError != null)
                {
                    return (TlsaUnusableReason.MalformedData, $"{name}: the data is not a valid DER {(s == TlsaSelector.Cert ? "certificate" : "SubjectPublicKeyInfo")} ({parseError}), so the record is unusable (RFC 6698 §4.1).");
                }
            }

            var what = s == TlsaSelector.Cert ? "certificate" : "public key";
            return u switch
            {
                TlsaUsage.DaneEe => (TlsaUnusableReason.None, $"{name} pins the server's {what}: a matching server certificate authenticates the host with no name and no expiry check (RFC 7672 §3.1.1)."),
                TlsaUsage.DaneTa => (TlsaUnusableReason.None, $"{name} pins a trust anchor {what}: the server's chain must build to it, be current, and name the host (RFC 7672 §3.1.2)."),
                TlsaUsage.PkixTa => (TlsaUnusableReason.None, $"{name} pins a CA {what} that must also be on a PKIX-valid chain to a trusted root (RFC 6698 §2.1.1)."),
                _ => (TlsaUnusableReason.None, $"{name} pins the server's {what}, which must also pass PKIX validation to a trusted root (RFC 6698 §2.1.1)."),
            };
        }

        // Hostile DNS data: any parser failure means "malformed"; BouncyCastle throws several unrelated exception types.
        private static string? CheckCertificate(byte[] data)
        {
            var certificate = new CandidateCertificate(data, null, -1);
            return certificate.Parsed != null || certificate.Spki != null ? null : certificate.ParseError;
        }

        private static string? CheckSpki(byte[] data)
        {
            try
            {
                SubjectPublicKeyInfo.GetInstance(Asn1Object.FromByteArray(data));
                return null;
            }
            catch (Exception ex)
            {
                return ex.Message;
            }
        }

        internal static bool TryParseHex(string hex, out byte[] bytes)
        {
            bytes = Array.Empty<byte>();
            if (hex.Length % 2 != 0)
            {
                return false;
            }

            var result = new byte[hex.Length / 2];
            for (var i = 0; i < result.Length; i++)
            {
                var hi = HexValue(hex[2 * i]);
                var lo = HexValue(hex[(2 * i) + 1]);
                if (hi < 0 || lo < 0)
                {
                    return false;
                }

                result[i] = (byte)((hi << 4) | lo);
            }

            bytes = result;
            return true;
        }

        private static int HexValue(char c)
            => c >= '0' && c <= '9' ? c - '0'
             : c >= 'a' && c <= 'f' ? c - 'a' + 10
             : c >= 'A' && c <= 'F' ? c - 'A' + 10
             : -1;
    }
}
