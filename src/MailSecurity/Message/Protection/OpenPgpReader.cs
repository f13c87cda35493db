using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using MailSecurity.Runtime;
using MimeKit;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace MailSecurity.Message.Protection
{
    /// <summary>
    /// OpenPGP: PGP/MIME (RFC 3156 §5 multipart/signed, §4 multipart/encrypted) and inline armored blocks (RFC 9580 §6.2,
    /// §7). BouncyCastle reads the packets: the signing key id, hash and key algorithms and creation time of a signature
    /// (RFC 9580 §5.2), the recipient key ids of encrypted data (§5.1). Signatures are not verified: that needs the
    /// signer's public key, which a message does not carry in a form one can trust, and this module keeps no key ring.
    /// </summary>
    internal static class OpenPgpReader
    {
        private const int MaxPackets = 64;

        /// <summary>multipart/signed with application/pgp-signature (RFC 3156 §5).</summary>
        internal static MessageProtection ReadDetached(Multipart? multipart, string structure, ProtectionContext context)
        {
            ContentSignature signature;
            if (!context.BodyAvailable || multipart is null || multipart.Count == 0)
            {
                signature = Described(null, "only the header block was given", context);
            }
            else if (multipart.Count != 2 || !(multipart[1] is MimePart part))
            {
                signature = Malformed($"the multipart/signed has {multipart.Count} part(s) instead of the content and the signature", context);
            }
            else
            {
                signature = FromPackets(ContentProtectionReader.Decode(part), context);
            }

            return new MessageProtection(new MessageProtectionBuilder
            {
                SignatureFormat = ContentProtectionFormat.OpenPgp,
                EncryptionFormat = ContentProtectionFormat.None,
                Signed = true,
                Structure = structure,
                WholeMessage = true,
                Signatures = new[] { signature },
            });
        }

        /// <summary>multipart/encrypted with application/pgp-encrypted (RFC 3156 §4): the second part holds the encrypted data.</summary>
        internal static MessageProtection ReadEncrypted(Multipart? multipart, string structure, ProtectionContext context)
        {
            var recipients = new List<string>();
            if (context.BodyAvailable && multipart != null && multipart.Count > 0)
            {
                if (multipart.Count != 2 || !(multipart[1] is MimePart part) || !TryRecipients(ContentProtectionReader.Decode(part), recipients, out var error))
                {
                    context.Add(OpenPgpFindings.Malformed, $"The {structure} part holds no readable encrypted data{(multipart.Count != 2 ? $" (it has {multipart.Count} parts instead of 2)" : string.Empty)}.");
                }
            }

            return EncryptedResult(structure, recipients, context);
        }

        /// <summary>An inline block in a text/plain body: a cleartext signature (RFC 9580 §7) or an armored message (§6.2).</summary>
        internal static MessageProtection ReadInline(string text, ProtectionContext context)
        {
            var signedAt = text.IndexOf("-----BEGIN PGP SIGNED MESSAGE-----", StringComparison.Ordinal);
            if (signedAt >= 0)
            {
                var block = Armored(text, "-----BEGIN PGP SIGNATURE-----", "-----END PGP SIGNATURE-----", signedAt);
                var signature = block is null
                    ? Malformed("the cleartext-signed text has no signature block", context)
                    : FromPackets(Encoding.ASCII.GetBytes(block), context);
                return new MessageProtection(new MessageProtectionBuilder
                {
                    SignatureFormat = ContentProtectionFormat.OpenPgp,
                    EncryptionFormat = ContentProtectionFormat.None,
                    Signed = true,
                    Structure = "text/plain; inline OpenPGP cleartext signature",
                    WholeMessage = true,
                    Signatures = new[] { signature },
                });
            }

            var message = Armored(text, "-----BEGIN PGP MESSAGE-----", "-----END PGP MESSAGE-----", 0);
            var recipients = new List<string>();
            if (message != null && TryRecipients(Encoding.ASCII.GetBytes(message), recipients, out _))
            {
                return EncryptedResult("text/plain; inline OpenPGP message", recipients, context);
            }

            // An armored message that is not encrypted data: a signed (possibly compressed) message (RFC 9580 §10.3).
            var inner = message is null ? null : FromPackets(Encoding.ASCII.GetBytes(message), context);
            return new MessageProtection(new MessageProtectionBuilder
            {
                SignatureFormat = ContentProtectionFormat.OpenPgp,
                EncryptionFormat = ContentProtectionFormat.None,
                Signed = true,
                Structure = "text/plain; inline OpenPGP message",
                WholeMessage = true,
                Signatures = inner is null ? Array.Empty<ContentSignature>() : new[] { inner },
            });
        }

        private static MessageProtection EncryptedResult(string structure, List<string> recipients, ProtectionContext context)
        {
            context.Add(OpenPgpFindings.Encrypted, recipients.Count == 0
                ? "The content is OpenPGP-encrypted."
                : $"The content is OpenPGP-encrypted for {recipients.Count} key(s): {string.Join(", ", recipients)}.");
            return new MessageProtection(new MessageProtectionBuilder
            {
                SignatureFormat = ContentProtectionFormat.None,
                EncryptionFormat = ContentProtectionFormat.OpenPgp,
                Encrypted = true,
                Structure = structure,
                WholeMessage = true,
                Recipients = recipients,
            });
        }

        /// <summary>The first signature in the packets: a signature packet, or the one-pass header of a signed message.</summary>
        private static ContentSignature FromPackets(byte[]? bytes, ProtectionContext context)
        {
            if (bytes is null || bytes.Length == 0)
            {
                return Malformed("the signature part is empty", context);
            }

            try
            {
                var factory = new PgpObjectFactory(PgpUtilities.GetDecoderStream(new MemoryStream(bytes)));
                for (var i = 0; i < MaxPackets; i++)
                {
                    switch (factory.NextPgpObject())
                    {
                        case null:
                            return Malformed("no signature packet was found", context);
                        case PgpSignatureList list when list.Count > 0:
                            var s = list[0];
                            return Described(new Packet(s.KeyId, s.HashAlgorithm, s.KeyAlgorithm, s.CreationTime), null, context);
                        case PgpOnePassSignatureList onePass when onePass.Count > 0:
                            var o = onePass[0];
                            return Described(new Packet(o.KeyId, o.HashAlgorithm, o.KeyAlgorithm, null), null, context);
                        case PgpCompressedData compressed:
                            factory = new PgpObjectFactory(compressed.GetDataStream());
                            break;
                    }
                }

                return Malformed($"no signature packet in the first {MaxPackets} packets", context);
            }
            catch (Exception ex) when (ParseFailure.Is(ex))
            {
                return Malformed("the packets cannot be read: " + ex.Message, context);
            }
        }

        private static bool TryRecipients(byte[]? bytes, List<string> recipients, out string? error)
        {
            error = null;
            if (bytes is null || bytes.Length == 0)
            {
                error = "empty";
                return false;
            }

            try
            {
                var factory = new PgpObjectFactory(PgpUtilities.GetDecoderStream(new MemoryStream(bytes)));
                for (var i = 0; i < MaxPackets; i++)
                {
                    var o = factory.NextPgpObject();
                    if (o is null)
                    {
                        break;
                    }

                    if (o is PgpEncryptedDataList list)
                    {
                        foreach (var data in list.GetEncryptedDataObjects())
                        {
                            recipients.Add(data is PgpPublicKeyEncryptedData pk ? KeyId(pk.KeyId) : "a passphrase");
                        }

                        return true;
                    }
                }
            }
            catch (Exception ex) when (ParseFailure.Is(ex))
            {
                error = ex.Message;
            }

            return false;
        }

        private static string? Armored(string text, string begin, string end, int from)
        {
            var start = text.IndexOf(begin, from, StringComparison.Ordinal);
            if (start < 0)
            {
                return null;
            }

            var stop = text.IndexOf(end, start, StringComparison.Ordinal);
            return stop < 0 ? null : text.Substring(start, stop + end.Length - start) + "\n";
        }

        private sealed class Packet
        {
            public Packet(long keyId, HashAlgorithmTag hash, PublicKeyAlgorithmTag key, DateTime? created)
            {
                KeyId = keyId;
                Hash = hash;
                Key = key;
                Created = created;
            }

            public long KeyId { get; }

            public HashAlgorithmTag Hash { get; }

            public PublicKeyAlgorithmTag Key { get; }

            public DateTime? Created { get; }
        }

        private static ContentSignature Described(Packet? packet, string? why, ProtectionContext context)
        {
            var keyId = packet is null ? null : KeyId(packet.KeyId);
            var hash = packet is null ? null : HashName(packet.Hash);
            var key = packet is null ? null : KeyName(packet.Key);
            var reason = why ?? "OpenPGP signatures are not verified here (no key ring is consulted)";
            context.Add(OpenPgpFindings.Signed, packet is null
                ? $"The message is OpenPGP-signed ({reason})."
                : $"The message is OpenPGP-signed by key {keyId} ({key}, {hash}); the signature is not verified here.");
            DateTimeOffset? created = packet?.Created is DateTime t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : (DateTimeOffset?)null;
            return new ContentSignature(new ContentSignatureBuilder
            {
                Format = ContentProtectionFormat.OpenPgp,
                Result = ContentSignatureResult.NotVerified,
                Reason = reason,
                CertificateProblems = CertificateProblems.None,
                DigestAlgorithm = hash,
                KeyAlgorithm = key,
                SigningTime = created,
                KeyId = keyId,
            });
        }

        private static ContentSignature Malformed(string why, ProtectionContext context)
        {
            context.Add(OpenPgpFindings.Malformed, $"The OpenPGP signature cannot be read: {why}.");
            return new ContentSignature(new ContentSignatureBuilder
            {
                Format = ContentProtectionFormat.OpenPgp,
                Result = ContentSignatureResult.PermError,
                Reason = why,
                CertificateProblems = CertificateProblems.None,
            });
        }

        /// <summary>A key id as gpg prints it with --keyid-format long: 16 upper-case hex digits.</summary>
        private static string KeyId(long id) => id.ToString("X16", CultureInfo.InvariantCulture);

        private static string HashName(HashAlgorithmTag tag)
        {
            switch (tag)
            {
                case HashAlgorithmTag.MD5: return "MD5";
                case HashAlgorithmTag.Sha1: return "SHA-1";
                case HashAlgorithmTag.Sha224: return "SHA-224";
                case HashAlgorithmTag.Sha256: return "SHA-256";
                case HashAlgorithmTag.Sha384: return "SHA-384";
                case HashAlgorithmTag.Sha512: return "SHA-512";
                default: return tag.ToString();
            }
        }

        private static string KeyName(PublicKeyAlgorithmTag tag)
        {
            switch (tag)
            {
                case PublicKeyAlgorithmTag.RsaGeneral:
                case PublicKeyAlgorithmTag.RsaSign:
                    return "RSA";
                case PublicKeyAlgorithmTag.Dsa: return "DSA";
                case PublicKeyAlgorithmTag.ECDsa: return "ECDSA";
                default: return tag.ToString().StartsWith("EdDsa", StringComparison.Ordinal) ? "EdDSA" : tag.ToString();
            }
        }
    }
}
