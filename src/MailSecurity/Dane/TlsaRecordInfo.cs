using System;
using System.Globalization;
using System.Text;

namespace MailSecurity
{
    /// <summary>
    /// One TLSA record, parsed and classified: its three parameters with RFC 7218 mnemonics, the association
    /// data in hex, its TTL, and whether an SMTP client can use it (and if not, why). Invalid records are kept,
    /// raw, with the reason. Created by <see cref="Dane.TlsaRecordClassifier"/>.
    /// </summary>
    public sealed class TlsaRecordInfo
    {
        private readonly byte[] _data;

        internal TlsaRecordInfo(byte usage, byte selector, byte matchingType, byte[] data, TimeSpan ttl, TlsaUsageProfile profile, TlsaUnusableReason reason, string explanation)
        {
            Usage = (TlsaUsage)usage;
            Selector = (TlsaSelector)selector;
            MatchingType = (TlsaMatchingType)matchingType;
            _data = data ?? Array.Empty<byte>();
            Ttl = ttl;
            Profile = profile;
            UnusableReason = reason;
            Explanation = explanation ?? string.Empty;
            AssociationData = ToHex(_data);
        }

        /// <summary>Certificate usage (the numeric value is the wire value; unknown values are kept as numbers).</summary>
        public TlsaUsage Usage { get; }

        /// <summary>Selector.</summary>
        public TlsaSelector Selector { get; }

        /// <summary>Matching type.</summary>
        public TlsaMatchingType MatchingType { get; }

        /// <summary>RFC 7218 mnemonic of the usage, e.g. <c>DANE-EE</c>; <c>Unassigned(7)</c> for values without one.</summary>
        public string UsageMnemonic => MnemonicOf(Usage);

        /// <summary>RFC 7218 mnemonic of the selector, e.g. <c>SPKI</c>.</summary>
        public string SelectorMnemonic => MnemonicOf(Selector);

        /// <summary>RFC 7218 mnemonic of the matching type, e.g. <c>SHA2-256</c>.</summary>
        public string MatchingTypeMnemonic => MnemonicOf(MatchingType);

        /// <summary>The three parameters as numbers, e.g. <c>3 1 1</c>.</summary>
        public string Parameters => string.Format(CultureInfo.InvariantCulture, "{0} {1} {2}", (byte)Usage, (byte)Selector, (byte)MatchingType);

        /// <summary>The three parameters as mnemonics, e.g. <c>DANE-EE SPKI SHA2-256</c>.</summary>
        public string ParameterMnemonics => UsageMnemonic + " " + SelectorMnemonic + " " + MatchingTypeMnemonic;

        /// <summary>Certificate association data as upper-case hex (empty when the record has none).</summary>
        public string AssociationData { get; }

        /// <summary>Length of the association data in bytes.</summary>
        public int DataLength => _data.Length;

        /// <summary>The record's TTL as served by the resolver.</summary>
        internal TimeSpan Ttl { get; }

        /// <summary>The record's TTL in seconds as served by the resolver (RFC 1035 §3.2.1: a DNS TTL is a number of seconds).</summary>
        public long TtlSeconds => (long)Ttl.TotalSeconds;

        /// <summary>The rules the record was classified under (SMTP unless a generic DANE check was asked for).</summary>
        public TlsaUsageProfile Profile { get; }

        /// <summary>True when a client following <see cref="Profile"/> can authenticate with this record.</summary>
        public bool Usable => UnusableReason == TlsaUnusableReason.None;

        /// <summary>Why the record is unusable; <see cref="TlsaUnusableReason.None"/> when it is usable.</summary>
        public TlsaUnusableReason UnusableReason { get; }

        /// <summary>One plain sentence: what the record pins and how a client uses it, or why it cannot.</summary>
        public string Explanation { get; }

        /// <summary>The record in presentation format: <c>usage selector mtype hex</c>.</summary>
        public string Text => AssociationData.Length == 0 ? Parameters : Parameters + " " + AssociationData;

        /// <summary>True for the record forms RFC 7672 §3.1 recommends: <c>3 1 1</c> and <c>2 0 1</c>.</summary>
        public bool IsRecommendedForm
            => MatchingType == TlsaMatchingType.Sha256
               && ((Usage == TlsaUsage.DaneEe && Selector == TlsaSelector.Spki) || (Usage == TlsaUsage.DaneTa && Selector == TlsaSelector.Cert));

        internal byte[] Data => _data;

        /// <inheritdoc />
        public override string ToString()
        {
            var hex = AssociationData.Length > 24 ? AssociationData.Substring(0, 24) + "..." : AssociationData;
            return $"{Parameters} {hex} ({ParameterMnemonics}; {(Usable ? "usable" : "unusable: " + UnusableReason)})";
        }

        /// <summary>RFC 7218 mnemonic of a usage value.</summary>
        public static string MnemonicOf(TlsaUsage usage) => usage switch
        {
            TlsaUsage.PkixTa => "PKIX-TA",
            TlsaUsage.PkixEe => "PKIX-EE",
            TlsaUsage.DaneTa => "DANE-TA",
            TlsaUsage.DaneEe => "DANE-EE",
            TlsaUsage.PrivCert => "PrivCert",
            _ => Unassigned((byte)usage),
        };

        /// <summary>RFC 7218 mnemonic of a selector value.</summary>
        public static string MnemonicOf(TlsaSelector selector) => selector switch
        {
            TlsaSelector.Cert => "Cert",
            TlsaSelector.Spki => "SPKI",
            TlsaSelector.PrivSel => "PrivSel",
            _ => Unassigned((byte)selector),
        };

        /// <summary>RFC 7218 mnemonic of a matching type value.</summary>
        public static string MnemonicOf(TlsaMatchingType matchingType) => matchingType switch
        {
            TlsaMatchingType.Full => "Full",
            TlsaMatchingType.Sha256 => "SHA2-256",
            TlsaMatchingType.Sha512 => "SHA2-512",
            TlsaMatchingType.PrivMatch => "PrivMatch",
            _ => Unassigned((byte)matchingType),
        };

        private static string Unassigned(byte value) => string.Format(CultureInfo.InvariantCulture, "Unassigned({0})", value);

        internal static string ToHex(byte[] bytes)
        {
            var sb = new StringBuilder(bytes.Length * 2);
            foreach (var b in bytes)
            {
                sb.Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }

            return sb.ToString();
        }
    }
}
