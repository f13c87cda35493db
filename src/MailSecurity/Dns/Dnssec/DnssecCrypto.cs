using System;
using System.Linq;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;

namespace MailSecurity.Dns.Dnssec
{
    /// <summary>How an algorithm number is treated by this validator.</summary>
    internal enum AlgorithmSupport
    {
        /// <summary>Verified, and trusted to make data secure.</summary>
        Supported,
        /// <summary>RSA/SHA-1 (5, 7): verifiable, but treated as unsupported, so zones using only it are insecure (RFC 9905 §2).</summary>
        Deprecated,
        /// <summary>Not implemented, or must not be used for validation (RSA/MD5, DSA, GOST): the zone is insecure (RFC 4035 §5.2).</summary>
        Unsupported,
    }

    /// <summary>
    /// Signature verification, key tags and DS digests for DNSSEC.
    /// </summary>
    /// <remarks>
    /// All algorithms run through BouncyCastle (already shipped with MimeKit) so that both builds — netstandard2.0 for
    /// Windows PowerShell 5.1 and net8.0 — verify exactly the same way; the BCL has no Ed25519/Ed448 on either.
    /// Algorithm policy follows the IANA "DNSSEC validation" column (RFC 9904; RFC 8624 §3.1 before it):
    /// 8, 10, 13, 14, 15 and 16 are validated; 5 and 7 (RSA/SHA-1) are verifiable but treated as unsupported (RFC 9905 §2)
    /// and reported as deprecated; 1 (RSA/MD5), 3/6 (DSA) and 12 (GOST) are never used.
    /// </remarks>
    internal static class DnssecCrypto
    {
        /// <summary>Largest RSA modulus accepted (RFC 3110 §2 allows 4096 bits; a hostile key must not cost unbounded CPU).</summary>
        private const int MaxRsaModulusBits = 4096;

        /// <summary>The treatment of a DNSKEY/RRSIG algorithm number.</summary>
        public static AlgorithmSupport Support(int algorithm)
        {
            switch (algorithm)
            {
                case 8: // RSASHA256 (RFC 5702)
                case 10: // RSASHA512 (RFC 5702)
                case 13: // ECDSAP256SHA256 (RFC 6605)
                case 14: // ECDSAP384SHA384 (RFC 6605)
                case 15: // ED25519 (RFC 8080)
                case 16: // ED448 (RFC 8080)
                    return AlgorithmSupport.Supported;
                case 5: // RSASHA1 (RFC 3110)
                case 7: // RSASHA1-NSEC3-SHA1 (RFC 5155)
                    return AlgorithmSupport.Deprecated;
                default:
                    return AlgorithmSupport.Unsupported;
            }
        }

        /// <summary>True for DS digest types this validator computes: 1 SHA-1 (RFC 4034), 2 SHA-256 (RFC 4509), 4 SHA-384 (RFC 6605).</summary>
        public static bool IsSupportedDigest(int digestType) => digestType == 1 || digestType == 2 || digestType == 4;

        /// <summary>
        /// Verifies <paramref name="signature"/> over <paramref name="data"/> with a DNSKEY public key field. Malformed keys
        /// or signatures verify as false; never throws for hostile input.
        /// </summary>
        public static bool Verify(int algorithm, byte[] publicKey, byte[] data, byte[] signature)
        {
            try
            {
                switch (algorithm)
                {
                    case 5:
                    case 7:
                        return VerifyRsa(publicKey, data, signature, new Sha1Digest());
                    case 8:
                        return VerifyRsa(publicKey, data, signature, new Sha256Digest());
                    case 10:
                        return VerifyRsa(publicKey, data, signature, new Sha512Digest());
                    case 13:
                        return VerifyEcdsa(publicKey, data, signature, "P-256", 32, new Sha256Digest());
                    case 14:
                        return VerifyEcdsa(publicKey, data, signature, "P-384", 48, new Sha384Digest());
                    case 15:
                        return VerifyEdwards(new Ed25519Signer(), publicKey.Length == 32 && signature.Length == 64 ? new Ed25519PublicKeyParameters(publicKey, 0) : null, data, signature);
                    case 16:
                        return VerifyEdwards(new Ed448Signer(Array.Empty<byte>()), publicKey.Length == 57 && signature.Length == 114 ? new Ed448PublicKeyParameters(publicKey, 0) : null, data, signature);
                    default:
                        return false;
                }
            }
            catch (Exception ex) when (ex is ArgumentException || ex is InvalidOperationException || ex is FormatException || ex is ArithmeticException || ex is IndexOutOfRangeException || ex is CryptoException)
            {
                return false;
            }
        }

        /// <summary>The key tag of a DNSKEY RDATA (RFC 4034 Appendix B; algorithm 1 excepted, which is never used).</summary>
        public static int KeyTag(byte[] dnskeyRdata)
        {
            long ac = 0;
            for (var i = 0; i < dnskeyRdata.Length; i++)
            {
                ac += (i & 1) == 1 ? dnskeyRdata[i] : dnskeyRdata[i] << 8;
            }

            ac += (ac >> 16) & 0xFFFF;
            return (int)(ac & 0xFFFF);
        }

        /// <summary>
        /// The DS digest of a DNSKEY: hash of the owner name in canonical wire form followed by the DNSKEY RDATA
        /// (RFC 4034 §5.1.4); null for an unsupported digest type.
        /// </summary>
        public static byte[]? DsDigest(int digestType, DnssecName owner, byte[] dnskeyRdata)
        {
            IDigest digest = digestType switch
            {
                1 => new Sha1Digest(),
                2 => new Sha256Digest(),
                4 => new Sha384Digest(),
                _ => null!,
            };
            if (digest is null)
            {
                return null;
            }

            var input = owner.ToWire(lowerCase: true).Concat(dnskeyRdata).ToArray();
            digest.BlockUpdate(input, 0, input.Length);
            var output = new byte[digest.GetDigestSize()];
            digest.DoFinal(output, 0);
            return output;
        }

        /// <summary>Iterated SHA-1 hash of a name for NSEC3 (RFC 5155 §5): IH(salt, x, 0) = H(x || salt), IH(k) = H(IH(k-1) || salt).</summary>
        public static byte[] Nsec3Hash(DnssecName name, byte[] salt, int iterations)
        {
            var digest = new Sha1Digest();
            var value = name.ToWire(lowerCase: true);
            var output = new byte[digest.GetDigestSize()];
            for (var i = 0; i <= iterations; i++)
            {
                digest.BlockUpdate(value, 0, value.Length);
                digest.BlockUpdate(salt, 0, salt.Length);
                digest.DoFinal(output, 0);
                value = (byte[])output.Clone();
            }

            return value;
        }

        private static bool VerifyRsa(byte[] key, byte[] data, byte[] signature, IDigest digest)
        {
            // RFC 3110 §2: exponent length in one octet, or zero then two octets; exponent; modulus.
            if (key.Length < 3)
            {
                return false;
            }

            int expLength = key[0], offset = 1;
            if (expLength == 0)
            {
                expLength = (key[1] << 8) | key[2];
                offset = 3;
            }

            if (expLength == 0 || offset + expLength >= key.Length)
            {
                return false;
            }

            var exponent = new BigInteger(1, key, offset, expLength);
            var modulus = new BigInteger(1, key, offset + expLength, key.Length - offset - expLength);
            if (modulus.BitLength > MaxRsaModulusBits || modulus.SignValue <= 0 || exponent.SignValue <= 0)
            {
                return false;
            }

            var signer = new RsaDigestSigner(digest);
            signer.Init(false, new RsaKeyParameters(false, modulus, exponent));
            signer.BlockUpdate(data, 0, data.Length);
            return signer.VerifySignature(signature);
        }

        private static bool VerifyEcdsa(byte[] key, byte[] data, byte[] signature, string curveName, int size, IDigest digest)
        {
            // RFC 6605 §4: the key is Q as x | y, the signature r | s, each exactly `size` octets.
            if (key.Length != 2 * size || signature.Length != 2 * size)
            {
                return false;
            }

            var curve = NistNamedCurves.GetByName(curveName);
            var point = curve.Curve.CreatePoint(new BigInteger(1, key, 0, size), new BigInteger(1, key, size, size));
            if (!point.IsValid())
            {
                return false;
            }

            var parameters = new ECPublicKeyParameters(point, new ECDomainParameters(curve.Curve, curve.G, curve.N, curve.H, curve.GetSeed()));
            digest.BlockUpdate(data, 0, data.Length);
            var hash = new byte[digest.GetDigestSize()];
            digest.DoFinal(hash, 0);
            var signer = new ECDsaSigner();
            signer.Init(false, parameters);
            return signer.VerifySignature(hash, new BigInteger(1, signature, 0, size), new BigInteger(1, signature, size, size));
        }

        private static bool VerifyEdwards(ISigner signer, AsymmetricKeyParameter? key, byte[] data, byte[] signature)
        {
            if (key is null)
            {
                return false;
            }

            signer.Init(false, key);
            signer.BlockUpdate(data, 0, data.Length);
            return signer.VerifySignature(signature);
        }
    }
}
