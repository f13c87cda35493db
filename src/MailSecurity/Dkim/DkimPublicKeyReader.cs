using System;
using System.Text;
using MailSecurity.Runtime;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.Pkcs;

namespace MailSecurity.Dkim
{
    /// <summary>What the p= value of a key record holds.</summary>
    internal readonly struct DkimPublicKeyInfo
    {
        public DkimPublicKeyInfo(int? bits, string? encoding, string? error)
        {
            Bits = bits;
            Encoding = encoding;
            Error = error;
        }

        /// <summary>Key size in bits (RSA modulus length; 256 for Ed25519).</summary>
        public int? Bits { get; }

        /// <summary>SubjectPublicKeyInfo, RSAPublicKey or Raw.</summary>
        public string? Encoding { get; }

        /// <summary>Why the key could not be read; null on success.</summary>
        public string? Error { get; }
    }

    /// <summary>
    /// Reads the key size out of a DKIM p= value with BouncyCastle (already a MimeKit dependency): RSA modulus bits from
    /// a SubjectPublicKeyInfo or a bare PKCS#1 RSAPublicKey, and the raw 32-byte Ed25519 key of RFC 8463.
    /// </summary>
    internal static class DkimPublicKeyReader
    {
        /// <summary>Removes folding white space inside a base64 value (RFC 6376 §3.6.1 key-p-tag allows FWS).</summary>
        public static string Compact(string value)
        {
            var sb = new StringBuilder(value.Length);
            foreach (var c in value)
            {
                if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
                {
                    sb.Append(c);
                }
            }

            return sb.ToString();
        }

        /// <summary>Decodes a non-empty p= value (already compacted) for the declared key type.</summary>
        public static DkimPublicKeyInfo Read(string base64, DkimKeyType type)
        {
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(base64);
            }
            catch (FormatException)
            {
                return new DkimPublicKeyInfo(null, null, "p= is not valid base64");
            }

            if (type == DkimKeyType.Ed25519)
            {
                // RFC 8463 §4: the raw 32-byte public key, 44 base64 characters; not wrapped in SubjectPublicKeyInfo.
                return bytes.Length == 32
                    ? new DkimPublicKeyInfo(256, "Raw", null)
                    : new DkimPublicKeyInfo(null, null, $"an Ed25519 key must be 32 raw bytes (44 base64 characters) but p= decodes to {bytes.Length} bytes");
            }

            if (type != DkimKeyType.Rsa)
            {
                return new DkimPublicKeyInfo(null, null, null);
            }

            // Key material from DNS is untrusted: BouncyCastle signals malformed ASN.1 with several exception types.
            // The structure is read without BouncyCastle's key validation: only the modulus length is wanted here.
            try
            {
                var spki = SubjectPublicKeyInfo.GetInstance(Asn1Object.FromByteArray(bytes));
                if (!spki.Algorithm.Algorithm.Equals(PkcsObjectIdentifiers.RsaEncryption))
                {
                    return new DkimPublicKeyInfo(null, "SubjectPublicKeyInfo", $"k=rsa but p= holds a key of algorithm {spki.Algorithm.Algorithm.Id}");
                }

                var rsa = RsaPublicKeyStructure.GetInstance(spki.ParsePublicKey());
                return new DkimPublicKeyInfo(rsa.Modulus.BitLength, "SubjectPublicKeyInfo", null);
            }
            catch (Exception ex) when (ParseFailure.Is(ex))
            {
            }

            try
            {
                var rsa = RsaPublicKeyStructure.GetInstance(Asn1Sequence.GetInstance(Asn1Object.FromByteArray(bytes)));
                return new DkimPublicKeyInfo(rsa.Modulus.BitLength, "RSAPublicKey", null);
            }
            catch (Exception ex) when (ParseFailure.Is(ex))
            {
                return new DkimPublicKeyInfo(null, null, "p= is neither an RSA SubjectPublicKeyInfo nor an RSAPublicKey");
            }
        }
    }
}
