using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace MailSecurity.Dane
{
    /// <summary>
    /// A certificate that can appear on a chain being matched: presented by the server, taken from a Full(0)
    /// TLSA record, or (generic profile) a PKIX trust anchor. Parsed once with BouncyCastle; digests and
    /// signature checks cached.
    /// </summary>
    internal sealed class CandidateCertificate
    {
        private readonly Dictionary<int, byte[]> _digests = new Dictionary<int, byte[]>();
        private readonly Dictionary<CandidateCertificate, bool> _signedBy = new Dictionary<CandidateCertificate, bool>();
        private AsymmetricKeyParameter? _publicKey;
        private bool _publicKeyTried;

        public CandidateCertificate(byte[] der, X509Certificate2? presented, int presentedIndex)
        {
            Der = der;
            Presented = presented;
            PresentedIndex = presentedIndex;
            try
            {
                Parsed = new BcCertificate(X509CertificateStructure.GetInstance(Asn1Object.FromByteArray(der)));
                Spki = Parsed.CertificateStructure.SubjectPublicKeyInfo.GetEncoded(Asn1Encodable.Der);
            }
            catch (Exception ex)
            {
                // BouncyCastle's strict parser refuses some certificates (an empty issuer name, for one) that DANE-EE
                // must still match: they match Cert(0) byte for byte, and SPKI(1) through a generic read of the DER.
                ParseError = ex.Message;
                Spki = ReadSpkiLeniently(der);
            }
        }

        /// <summary>The subjectPublicKeyInfo field of a DER certificate read as plain ASN.1 (RFC 5280 §4.1), or <c>null</c>.</summary>
        private static byte[]? ReadSpkiLeniently(byte[] der)
        {
            try
            {
                var certificate = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(der));
                var tbs = Asn1Sequence.GetInstance(certificate[0]);
                var first = tbs[0] is Asn1TaggedObject ? 1 : 0; // optional [0] version
                return SubjectPublicKeyInfo.GetInstance(tbs[first + 5]).GetEncoded(Asn1Encodable.Der);
            }
            catch (Exception)
            {
                return null;
            }
        }

        public byte[] Der { get; }

        public X509Certificate2? Presented { get; }

        /// <summary>Position in the presented chain, or -1.</summary>
        public int PresentedIndex { get; }

        public bool FromDns { get; set; }

        public bool IsPkixAnchor { get; set; }

        public BcCertificate? Parsed { get; }

        public byte[]? Spki { get; }

        public string? ParseError { get; }

        public string Subject => Parsed?.SubjectDN.ToString() ?? "(unreadable certificate)";

        public string Issuer => Parsed?.IssuerDN.ToString() ?? "(unreadable certificate)";

        public bool IsSelfIssued => Parsed != null && Parsed.SubjectDN.Equivalent(Parsed.IssuerDN, true);

        public AsymmetricKeyParameter? PublicKey
        {
            get
            {
                if (!_publicKeyTried)
                {
                    _publicKeyTried = true;
                    _publicKey = CreateKey(Spki);
                }

                return _publicKey;
            }
        }

        public X509Certificate2 ToX509Certificate2()
        {
            if (Presented != null)
            {
                return Presented;
            }
#if NET9_0_OR_GREATER
            return X509CertificateLoader.LoadCertificate(Der);
#else
            return new X509Certificate2(Der);
#endif
        }

        public byte[]? Select(TlsaSelector selector) => selector == TlsaSelector.Cert ? Der : selector == TlsaSelector.Spki ? Spki : null;

        /// <summary>True when the record's data matches this certificate (RFC 6698 §2.1.2, §2.1.3).</summary>
        public bool Matches(TlsaRecordInfo record)
        {
            var selected = Select(record.Selector);
            if (selected is null)
            {
                return false;
            }

            switch (record.MatchingType)
            {
                case TlsaMatchingType.Full:
                    return Equal(selected, record.Data);
                case TlsaMatchingType.Sha256:
                case TlsaMatchingType.Sha512:
                    return Equal(Digest(record.Selector, record.MatchingType) ?? Array.Empty<byte>(), record.Data);
                default:
                    return false;
            }
        }

        public byte[]? Digest(TlsaSelector selector, TlsaMatchingType matchingType)
        {
            var key = ((int)selector << 8) | (int)matchingType;
            if (_digests.TryGetValue(key, out var cached))
            {
                return cached;
            }

            var selected = Select(selector);
            if (selected is null)
            {
                return null;
            }

            byte[]? digest = null;
            if (matchingType == TlsaMatchingType.Sha256)
            {
                using (var sha = SHA256.Create())
                {
                    digest = sha.ComputeHash(selected);
                }
            }
            else if (matchingType == TlsaMatchingType.Sha512)
            {
                using (var sha = SHA512.Create())
                {
                    digest = sha.ComputeHash(selected);
                }
            }

            if (digest != null)
            {
                _digests[key] = digest;
            }

            return digest;
        }

        /// <summary>True when <paramref name="issuer"/> names this certificate's issuer and its key verifies the signature.</summary>
        public bool IsIssuedBy(CandidateCertificate issuer)
        {
            if (_signedBy.TryGetValue(issuer, out var known))
            {
                return known;
            }

            var result = Parsed != null && issuer.Parsed != null
                && issuer.Parsed.SubjectDN.Equivalent(Parsed.IssuerDN, true)
                && issuer.PublicKey != null
                && IsSignedBy(issuer.PublicKey);
            _signedBy[issuer] = result;
            return result;
        }

        /// <summary>True when the key verifies this certificate's signature. Unsupported algorithms verify nothing.</summary>
        public bool IsSignedBy(AsymmetricKeyParameter key)
        {
            if (Parsed is null)
            {
                return false;
            }

            try
            {
                return Parsed.IsSignatureValid(key);
            }
            catch (Exception)
            {
                return false; // unknown signature algorithm or a key of the wrong type: not a signature by this key
            }
        }

        public DateTime? NotBefore => Parsed is null ? (DateTime?)null : AsUtc(Parsed.NotBefore);

        public DateTime? NotAfter => Parsed is null ? (DateTime?)null : AsUtc(Parsed.NotAfter);

        public bool IsValidAt(DateTime utc) => Parsed != null && utc >= NotBefore && utc <= NotAfter;

        private static DateTime AsUtc(DateTime value)
            => value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);

        internal static AsymmetricKeyParameter? CreateKey(byte[]? spki)
        {
            if (spki is null)
            {
                return null;
            }

            try
            {
                return PublicKeyFactory.CreateKey(spki);
            }
            catch (Exception)
            {
                return null; // key algorithm BouncyCastle does not know: the key can still match byte for byte
            }
        }

        internal static bool Equal(byte[] a, byte[] b)
        {
            if (a.Length != b.Length)
            {
                return false;
            }

            for (var i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
