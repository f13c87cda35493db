using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using MailSecurity.Runtime;
using MailSecurity.Tls;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto.Parameters;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;
using ContentInfo = Org.BouncyCastle.Asn1.Cms.ContentInfo;

namespace MailSecurity.Message.Protection
{
    /// <summary>
    /// S/MIME (RFC 8551): a detached signature (multipart/signed, §3.5.3), an opaque one (application/pkcs7-mime
    /// signed-data, §3.5.2) or encryption (enveloped-data §3.3, authEnveloped-data RFC 5083). MimeKit reads the CMS and
    /// checks the signature over the content; the signer's certificate is then validated by <see cref="PkixValidator"/>
    /// for e-mail protection against the same trust store the TLS checks use, so one store decides trust everywhere
    /// (MimeKit's own chain building would need a certificate database of its own). Encrypted content is not decrypted:
    /// its algorithm and recipients are read from the CMS header.
    /// </summary>
    internal static class SmimeReader
    {
        private const string SignedDataOid = "1.2.840.113549.1.7.2";
        private const string EnvelopedDataOid = "1.2.840.113549.1.7.3";
        private const string AuthEnvelopedDataOid = "1.2.840.113549.1.9.16.1.23";
        private const string CompressedDataOid = "1.2.840.113549.1.9.16.1.9";

        /// <summary>Content encryption algorithms by OID, and whether S/MIME 4.0 still counts them safe (RFC 8551 §2.7, Appendix B).</summary>
        private static readonly Dictionary<string, (string Name, bool Weak)> ContentAlgorithms = new Dictionary<string, (string, bool)>
        {
            ["2.16.840.1.101.3.4.1.2"] = ("AES-128-CBC", false),
            ["2.16.840.1.101.3.4.1.22"] = ("AES-192-CBC", false),
            ["2.16.840.1.101.3.4.1.42"] = ("AES-256-CBC", false),
            ["2.16.840.1.101.3.4.1.6"] = ("AES-128-GCM", false),
            ["2.16.840.1.101.3.4.1.26"] = ("AES-192-GCM", false),
            ["2.16.840.1.101.3.4.1.46"] = ("AES-256-GCM", false),
            ["1.2.840.113549.1.9.16.3.18"] = ("ChaCha20-Poly1305", false),
            ["1.2.840.113549.3.7"] = ("3DES-CBC", true),
            ["1.3.14.3.2.7"] = ("DES-CBC", true),
            ["1.2.840.113549.3.2"] = ("RC2-CBC", true),
        };

        /// <summary>multipart/signed with application/pkcs7-signature (RFC 8551 §3.5.3).</summary>
        internal static MessageProtection ReadDetached(Multipart? multipart, string structure, ProtectionContext context)
        {
            IReadOnlyList<ContentSignature> signatures;
            if (!context.BodyAvailable || multipart is null || multipart.Count == 0)
            {
                signatures = new[] { NotVerified("only the header block was given, so the signature could not be checked", context) };
            }
            else if (!(multipart is MultipartSigned signed) || multipart.Count != 2 || !(multipart[1] is MimePart signaturePart))
            {
                signatures = new[] { Malformed($"the multipart/signed has {multipart.Count} part(s) instead of the content and the signature", context) };
            }
            else
            {
                signatures = Signatures(ContentProtectionReader.Decode(signaturePart), ctx => signed.Verify(ctx), context);
            }

            return SignedWhole(structure, signatures);
        }

        /// <summary>application/pkcs7-mime: signed-data, enveloped-data or authEnveloped-data (RFC 8551 §3.2.2).</summary>
        internal static MessageProtection ReadPkcs7Mime(MimePart? part, ContentType type, ProtectionContext context)
        {
            var declared = (type.Parameters["smime-type"] ?? string.Empty).Trim().ToLowerInvariant();
            var structure = $"{type.MimeType.ToLowerInvariant()}{(declared.Length == 0 ? string.Empty : "; smime-type=" + declared)}";
            var bytes = context.BodyAvailable ? ContentProtectionReader.Decode(part) : null;
            string? contentType = null;
            Asn1Encodable? content = null;
            string? error = null;
            if (bytes != null && bytes.Length > 0)
            {
                try
                {
                    var info = ContentInfo.GetInstance(Asn1Object.FromByteArray(bytes));
                    contentType = info.ContentType.Id;
                    content = info.Content;
                }
                catch (Exception ex) when (ParseFailure.Is(ex))
                {
                    error = ex.Message;
                }
            }

            // The CMS content type decides; smime-type is what the sender declared (and all there is with headers only).
            var kind = contentType ?? (declared == "signed-data" ? SignedDataOid : declared == "enveloped-data" ? EnvelopedDataOid
                : declared == "authenveloped-data" ? AuthEnvelopedDataOid : declared == "compressed-data" ? CompressedDataOid : null);
            if (kind == SignedDataOid)
            {
                IReadOnlyList<ContentSignature> signatures;
                if (bytes is null || bytes.Length == 0 || !(part is ApplicationPkcs7Mime opaque))
                {
                    signatures = new[] { context.BodyAvailable ? Malformed("the application/pkcs7-mime part is empty", context) : NotVerified("only the header block was given, so the signature could not be checked", context) };
                }
                else
                {
                    signatures = Signatures(bytes, ctx => opaque.Verify((SecureMimeContext)ctx, out _), context);
                }

                return SignedWhole(structure, signatures);
            }

            if (kind == EnvelopedDataOid || kind == AuthEnvelopedDataOid)
            {
                return Encrypted(kind, content, structure, context);
            }

            if (error != null || (context.BodyAvailable && kind is null))
            {
                context.Add(SmimeFindings.Malformed, $"The {structure} part is not a readable CMS structure{(error is null ? string.Empty : ": " + error)}.");
            }

            // compressed-data (RFC 8551 §3.6) or an unreadable part: neither signed nor encrypted as far as can be seen.
            var plain = Whole(structure);
            plain.Signed = false;
            return new MessageProtection(plain);
        }

        private static MessageProtection Encrypted(string kind, Asn1Encodable? content, string structure, ProtectionContext context)
        {
            string? algorithm = null;
            var weak = false;
            var recipients = new List<string>();
            if (content != null)
            {
                try
                {
                    AlgorithmIdentifier cipher;
                    Asn1Set infos;
                    if (kind == EnvelopedDataOid)
                    {
                        var enveloped = EnvelopedData.GetInstance(content);
                        cipher = enveloped.EncryptedContentInfo.ContentEncryptionAlgorithm;
                        infos = enveloped.RecipientInfos;
                    }
                    else
                    {
                        var auth = AuthEnvelopedData.GetInstance(content);
                        cipher = auth.AuthEncryptedContentInfo.ContentEncryptionAlgorithm;
                        infos = auth.RecipientInfos;
                    }

                    var oid = cipher.Algorithm.Id;
                    (algorithm, weak) = ContentAlgorithms.TryGetValue(oid, out var known) ? known : (oid, false);
                    recipients.AddRange(infos.Cast<Asn1Encodable>().Select(r => Recipient(RecipientInfo.GetInstance(r))));
                }
                catch (Exception ex) when (ParseFailure.Is(ex))
                {
                    context.Add(SmimeFindings.Malformed, $"The {structure} part cannot be read: {ex.Message}.");
                }
            }

            var what = kind == AuthEnvelopedDataOid ? "authEnveloped-data" : "enveloped-data";
            context.Add(SmimeFindings.Encrypted, algorithm is null
                ? $"The content is S/MIME-encrypted ({what})."
                : $"The content is S/MIME-encrypted ({what}, {algorithm}) for {recipients.Count} recipient(s): {string.Join("; ", recipients)}.");
            if (weak)
            {
                context.Add(SmimeFindings.WeakAlgorithm, $"The content is encrypted with {algorithm}, which S/MIME 4.0 no longer counts safe; use AES (RFC 8551 §2.7).");
            }

            var encrypted = Whole(structure);
            encrypted.EncryptionFormat = ContentProtectionFormat.SMime;
            encrypted.Encrypted = true;
            encrypted.EncryptionAlgorithm = algorithm;
            encrypted.Recipients = recipients;
            return new MessageProtection(encrypted);
        }

        /// <summary>S/MIME covering the whole message, signed: the signed-data and multipart/signed exits.</summary>
        private static MessageProtection SignedWhole(string structure, IReadOnlyList<ContentSignature> signatures)
        {
            var signed = Whole(structure);
            signed.SignatureFormat = ContentProtectionFormat.SMime;
            signed.Signed = true;
            signed.Signatures = signatures;
            return new MessageProtection(signed);
        }

        /// <summary>What every S/MIME exit shares: the structure, covering the whole message, neither signed nor encrypted yet.</summary>
        private static MessageProtectionBuilder Whole(string structure)
            => new MessageProtectionBuilder
            {
                SignatureFormat = ContentProtectionFormat.None,
                EncryptionFormat = ContentProtectionFormat.None,
                Structure = structure,
                WholeMessage = true,
            };

        /// <summary>A recipient in words: the certificate it is encrypted to, or the kind of key (RFC 5652 §6.2).</summary>
        private static string Recipient(RecipientInfo info)
        {
            switch (info.Info)
            {
                case KeyTransRecipientInfo ktri:
                    var rid = ktri.RecipientIdentifier;
                    if (rid.IsTagged)
                    {
                        return "subject key id " + Hex(Asn1OctetString.GetInstance(rid.ID).GetOctets());
                    }

                    var iasn = IssuerAndSerialNumber.GetInstance(rid.ID);
                    // The issuer as .NET and Windows print it (CN first), like ContentSignature.Issuer.
                    var issuer = new X500DistinguishedName(iasn.Issuer.GetEncoded()).Name;
                    return $"{issuer}, serial {iasn.SerialNumber.Value.ToString(16).ToUpperInvariant()}";
                case KeyAgreeRecipientInfo _:
                    return "a key-agreement (ECDH) recipient";
                case KekRecipientInfo _:
                    return "a pre-shared key-encryption key";
                case PasswordRecipientInfo _:
                    return "a password";
                default:
                    return "an unknown recipient type";
            }
        }

        /// <summary>The signatures of a signed-data CMS: described, and verified when verification is on.</summary>
        private static IReadOnlyList<ContentSignature> Signatures(byte[]? cms, Func<CryptographyContext, DigitalSignatureCollection> read, ProtectionContext context)
        {
            if (cms is null || cms.Length == 0)
            {
                return new[] { Malformed("the signature part is empty", context) };
            }

            DigitalSignatureCollection collection;
            List<X509Certificate2> embedded;
            try
            {
                embedded = new CmsSignedData(cms).GetCertificates().EnumerateMatches(null).Select(c => new X509Certificate2(c.GetEncoded())).ToList();
                using var crypto = new TemporarySecureMimeContext();
                collection = read(crypto);
            }
            catch (Exception ex) when (ParseFailure.Is(ex))
            {
                return new[] { Malformed("the signature is not a readable CMS SignedData: " + ex.Message, context) };
            }

            if (collection.Count == 0)
            {
                return new[] { Malformed("the SignedData has no signer", context) };
            }

            return collection.Select(s => Check(s as SecureMimeDigitalSignature, embedded, context)).ToList();
        }

        private static ContentSignature Check(SecureMimeDigitalSignature? signature, List<X509Certificate2> embedded, ProtectionContext context)
        {
            if (signature is null)
            {
                return Malformed("the signature is not an S/MIME signature", context);
            }

            var bc = (signature.SignerCertificate as SecureMimeDigitalCertificate)?.Certificate;
            var digest = DigestName(signature.DigestAlgorithm);
            DateTimeOffset? signingTime = signature.CreationDate == DateTime.MinValue || signature.CreationDate == default
                ? (DateTimeOffset?)null
                : new DateTimeOffset(DateTime.SpecifyKind(signature.CreationDate, DateTimeKind.Utc));
            if (bc is null)
            {
                context.Add(SmimeFindings.NotVerified, "The message is S/MIME-signed, but the signer's certificate is not in the message, so the signature cannot be checked.");
                var noCertificate = Signature(ContentSignatureResult.NotVerified, "the signer's certificate is not in the message");
                noCertificate.DigestAlgorithm = digest;
                noCertificate.SigningTime = signingTime;
                return new ContentSignature(noCertificate);
            }

            var der = bc.GetEncoded();
            var leaf = new X509Certificate2(der);
            var addresses = Addresses(bc);
            bool? matches = addresses.Count == 0 ? (bool?)null
                : addresses.Any(a => context.Senders.Any(s => string.Equals(a, s, StringComparison.OrdinalIgnoreCase))); // compared case-insensitively, as mail systems do
            var (keyAlgorithm, keySize) = Key(bc);
            var weak = new List<string>();
            if (signature.DigestAlgorithm == DigestAlgorithm.MD5 || signature.DigestAlgorithm == DigestAlgorithm.Sha1
                || signature.DigestAlgorithm == DigestAlgorithm.MD2 || signature.DigestAlgorithm == DigestAlgorithm.MD4)
            {
                weak.Add($"the {digest} digest (RFC 8551 §2.1 requires SHA-256 or SHA-512)");
            }

            if ((keyAlgorithm == "RSA" || keyAlgorithm == "DSA") && keySize < 2048)
            {
                weak.Add($"a {keySize}-bit {keyAlgorithm} key (RFC 8551 §6: under 2048 bits is insecure)");
            }

            string signer = leaf.Subject;
            bool? signatureValid = null;
            bool? certificateValid = null;
            var problems = CertificateProblems.None;
            IReadOnlyList<string> certificateReasons = Array.Empty<string>();
            ContentSignatureResult result;
            string reason;
            if (!context.Verify)
            {
                result = ContentSignatureResult.NotVerified;
                reason = "signature verification was switched off";
                context.Add(SmimeFindings.NotVerified, $"The message is S/MIME-signed by {signer}; the signature was not verified (verification was switched off).");
            }
            else
            {
                try
                {
                    signatureValid = signature.Verify(true); // the signature over the content only; the chain is judged below
                }
                catch (Exception ex) when (ParseFailure.Is(ex))
                {
                    // MimeKit wraps a digest mismatch and a broken signature value alike: the content does not match the signature.
                    signatureValid = false;
                }

                var chain = new List<X509Certificate2> { leaf };
                chain.AddRange(embedded.Where(c => !c.RawData.SequenceEqual(der)));
                var pkix = PkixValidator.Validate(chain, new PkixValidationOptions { Purpose = CertificatePurpose.EmailProtection, TrustAnchors = context.TrustAnchors });
                certificateValid = pkix.IsValid;
                problems = pkix.Problems;
                certificateReasons = pkix.Reasons;
                if (signatureValid == false)
                {
                    result = ContentSignatureResult.Fail;
                    reason = "the signature does not verify over the content";
                    context.Add(SmimeFindings.SignatureInvalid, $"The S/MIME signature of {signer} does not verify: the signed content was changed after signing, or the signature is corrupt.");
                }
                else if (!pkix.IsValid)
                {
                    result = ContentSignatureResult.CertificateInvalid;
                    reason = "the signature verifies, but the signer's certificate does not validate: " + string.Join(" ", pkix.Reasons);
                    context.Add(SmimeFindings.CertificateInvalid, $"The S/MIME signature of {signer} verifies, but the certificate does not validate for e-mail protection: {string.Join(" ", pkix.Reasons)}");
                }
                else
                {
                    result = ContentSignatureResult.Pass;
                    reason = $"the signature verifies and the certificate, issued by {leaf.Issuer}, validates for e-mail protection";
                    context.Add(SmimeFindings.SignatureValid, $"The message is S/MIME-signed by {signer} ({digest}, {keyAlgorithm} {keySize}); the signature verifies and the certificate validates.");
                }
            }

            if (matches == false)
            {
                context.Add(SmimeFindings.SignerNotSender, $"The signer's certificate names {string.Join(", ", addresses)}; the From/Sender address is {(context.Senders.Count == 0 ? "missing" : string.Join(", ", context.Senders))}.");
            }

            if (weak.Count > 0)
            {
                context.Add(SmimeFindings.WeakAlgorithm, $"The S/MIME signature of {signer} uses {string.Join(" and ", weak)}.");
            }

            return new ContentSignature(new ContentSignatureBuilder
            {
                Format = ContentProtectionFormat.SMime,
                Result = result,
                Reason = reason,
                SignatureValid = signatureValid,
                CertificateValid = certificateValid,
                CertificateProblems = problems,
                CertificateReasons = certificateReasons,
                Signer = signer,
                SignerAddresses = addresses,
                SignerMatchesSender = matches,
                Issuer = leaf.Issuer,
                SerialNumber = leaf.SerialNumber,
                Thumbprint = leaf.Thumbprint,
                NotBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime(), TimeSpan.Zero),
                NotAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero),
                DigestAlgorithm = digest,
                KeyAlgorithm = keyAlgorithm,
                KeySize = keySize,
                SigningTime = signingTime,
                Certificate = der,
            });
        }

        /// <summary>The certificate's mail addresses: subjectAltName rfc822Name (RFC 8550 §4.4.3) and the legacy emailAddress RDN.</summary>
        private static IReadOnlyList<string> Addresses(BcCertificate certificate)
        {
            var list = new List<string>();
            foreach (var name in certificate.GetSubjectAlternativeNames() ?? new List<IList<object>>())
            {
                if (name.Count >= 2 && name[0] is int tag && tag == GeneralName.Rfc822Name && name[1] is string address)
                {
                    list.Add(address);
                }
            }

            foreach (var value in certificate.SubjectDN.GetValueList(X509Name.EmailAddress))
            {
                list.Add(value);
            }

            return list.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        }

        private static (string? Algorithm, int? Size) Key(BcCertificate certificate)
        {
            switch (certificate.GetPublicKey())
            {
                case RsaKeyParameters rsa:
                    return ("RSA", rsa.Modulus.BitLength);
                case ECPublicKeyParameters ec:
                    return ("ECDSA", ec.Parameters.Curve.FieldSize);
                case DsaPublicKeyParameters dsa:
                    return ("DSA", dsa.Parameters.P.BitLength);
                case Ed25519PublicKeyParameters _:
                    return ("Ed25519", 256);
                case Ed448PublicKeyParameters _:
                    return ("Ed448", 456);
                default:
                    return (null, null);
            }
        }

        private static string DigestName(DigestAlgorithm algorithm)
        {
            switch (algorithm)
            {
                case DigestAlgorithm.MD5: return "MD5";
                case DigestAlgorithm.Sha1: return "SHA-1";
                case DigestAlgorithm.Sha224: return "SHA-224";
                case DigestAlgorithm.Sha256: return "SHA-256";
                case DigestAlgorithm.Sha384: return "SHA-384";
                case DigestAlgorithm.Sha512: return "SHA-512";
                default: return algorithm.ToString();
            }
        }

        private static ContentSignature NotVerified(string why, ProtectionContext context)
        {
            context.Add(SmimeFindings.NotVerified, $"The message is S/MIME-signed, but {why}.");
            return Bare(ContentSignatureResult.NotVerified, why);
        }

        private static ContentSignature Malformed(string why, ProtectionContext context)
        {
            context.Add(SmimeFindings.Malformed, $"The S/MIME signature cannot be read: {why}.");
            return Bare(ContentSignatureResult.PermError, why);
        }

        private static ContentSignature Bare(ContentSignatureResult result, string why) => new ContentSignature(Signature(result, why));

        /// <summary>What every S/MIME signature reports: its result and why; each exit adds what it could read.</summary>
        private static ContentSignatureBuilder Signature(ContentSignatureResult result, string reason)
            => new ContentSignatureBuilder
            {
                Format = ContentProtectionFormat.SMime,
                Result = result,
                Reason = reason,
                CertificateProblems = CertificateProblems.None,
            };

        private static string Hex(byte[] bytes) => string.Concat(bytes.Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));
    }
}
