using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using MimeKit;

namespace MailSecurity.Message.Protection
{
    /// <summary>
    /// Finds what protects a message's content end to end (draft-ietf-emailcore-as §6.2, §6.4) and hands it to the reader
    /// of its format: <see cref="SmimeReader"/> for S/MIME (RFC 8551 §3.3-§3.5), <see cref="OpenPgpReader"/> for PGP/MIME
    /// (RFC 3156 §4, §5) and inline OpenPGP blocks. The protected entity is the message body, or a direct child of a
    /// multipart/mixed body (a list footer added beside a signed part); protection nested deeper, such as a forwarded
    /// message/rfc822 attachment, belongs to another message and is not reported.
    /// </summary>
    internal static class ContentProtectionReader
    {
        private const string InlineSigned = "-----BEGIN PGP SIGNED MESSAGE-----";
        private const string InlineMessage = "-----BEGIN PGP MESSAGE-----";

        /// <summary>Reads the protection of <paramref name="message"/>; findings go to <paramref name="findings"/>.</summary>
        /// <param name="message">The parsed message.</param>
        /// <param name="bodyAvailable">False when only the header block was given: the structure is known from Content-Type, nothing can be verified.</param>
        /// <param name="verify">Verify S/MIME signatures (no network access is needed).</param>
        /// <param name="trustAnchors">Roots for the signer's certificate; <c>null</c> for the platform store (as for TLS).</param>
        /// <param name="findings">Receives the findings.</param>
        internal static MessageProtection Read(MimeMessage message, bool bodyAvailable, bool verify, IReadOnlyList<X509Certificate2>? trustAnchors, List<Finding> findings)
        {
            var root = message.Body;
            var target = message.From?.Mailboxes.FirstOrDefault()?.Address ?? "Message";
            MimeEntity? entity;
            bool whole;
            ContentType type;
            if (!bodyAvailable)
            {
                // Header text only: the top-level Content-Type field (which MimeKit keeps on the body entity) says what the
                // body is (RFC 2045 §5); nothing can be checked.
                entity = null;
                whole = true;
                if (root is null || !IsProtected(root.ContentType))
                {
                    return MessageProtection.Unprotected;
                }

                type = root.ContentType;
            }
            else
            {
                if (root is null)
                {
                    return MessageProtection.Unprotected;
                }

                (entity, whole) = Locate(root);
                if (entity is null)
                {
                    return MessageProtection.Unprotected;
                }

                type = entity.ContentType;
            }

            var senders = message.From?.Mailboxes.Select(m => m.Address)
                .Concat(message.Sender is null ? Enumerable.Empty<string>() : new[] { message.Sender.Address })
                .Where(a => !string.IsNullOrEmpty(a))
                .ToList() ?? new List<string>();
            var context = new ProtectionContext(bodyAvailable, verify, trustAnchors, senders, target, findings);

            MessageProtection result;
            if (type.IsMimeType("multipart", "signed"))
            {
                var protocol = (type.Parameters["protocol"] ?? string.Empty).Trim().ToLowerInvariant();
                var structure = $"multipart/signed; protocol={protocol}";
                var multipart = entity as Multipart;
                result = IsPkcs7Signature(protocol) ? SmimeReader.ReadDetached(multipart, structure, context)
                    : protocol == "application/pgp-signature" ? OpenPgpReader.ReadDetached(multipart, structure, context)
                    : new MessageProtection(new MessageProtectionBuilder
                    {
                        SignatureFormat = ContentProtectionFormat.None,
                        EncryptionFormat = ContentProtectionFormat.None,
                        Signed = true,
                        Structure = structure,
                        WholeMessage = whole,
                    });
            }
            else if (type.IsMimeType("multipart", "encrypted"))
            {
                var protocol = (type.Parameters["protocol"] ?? string.Empty).Trim().ToLowerInvariant();
                var structure = $"multipart/encrypted; protocol={protocol}";
                result = protocol == "application/pgp-encrypted"
                    ? OpenPgpReader.ReadEncrypted(entity as Multipart, structure, context)
                    : new MessageProtection(new MessageProtectionBuilder
                    {
                        SignatureFormat = ContentProtectionFormat.None,
                        EncryptionFormat = ContentProtectionFormat.None,
                        Encrypted = true,
                        Structure = structure,
                        WholeMessage = whole,
                    });
            }
            else if (IsPkcs7Mime(type))
            {
                result = SmimeReader.ReadPkcs7Mime(entity as MimePart, type, context);
            }
            else
            {
                result = OpenPgpReader.ReadInline((entity as TextPart)?.Text ?? string.Empty, context);
            }

            if (!whole)
            {
                findings.Add(MessageFindings.ProtectedPartOnly.Create(
                    $"The {result.Summary} part is one of {(root as Multipart)?.Count} parts of a multipart/mixed body; the other parts are not covered.", target));
                result = result.AsPart();
            }

            return result;
        }

        private static (MimeEntity? Entity, bool Whole) Locate(MimeEntity root)
        {
            if (IsProtected(root))
            {
                return (root, true);
            }

            if (root is Multipart mixed && root.ContentType.IsMimeType("multipart", "mixed"))
            {
                foreach (var child in mixed)
                {
                    if (IsProtected(child))
                    {
                        return (child, mixed.Count == 1);
                    }
                }
            }

            return (null, true);
        }

        private static bool IsProtected(ContentType type)
            => type.IsMimeType("multipart", "signed") || type.IsMimeType("multipart", "encrypted") || IsPkcs7Mime(type);

        private static bool IsProtected(MimeEntity entity)
        {
            var type = entity.ContentType;
            if (IsProtected(type))
            {
                return true;
            }

            // Inline OpenPGP: an armored block in a text/plain body (RFC 9580 §6.2 armor, §7 cleartext signature).
            if (!(entity is TextPart text) || !type.IsMimeType("text", "plain"))
            {
                return false;
            }

            var body = text.Text ?? string.Empty;
            return body.IndexOf(InlineSigned, StringComparison.Ordinal) >= 0 || body.IndexOf(InlineMessage, StringComparison.Ordinal) >= 0;
        }

        /// <summary>RFC 8551 §3.2.1: application/pkcs7-mime, and the x- spelling older agents send.</summary>
        internal static bool IsPkcs7Mime(ContentType type)
            => type.IsMimeType("application", "pkcs7-mime") || type.IsMimeType("application", "x-pkcs7-mime");

        private static bool IsPkcs7Signature(string protocol)
            => protocol == "application/pkcs7-signature" || protocol == "application/x-pkcs7-signature";

        /// <summary>The decoded content of a MIME part, or <c>null</c> when it has none.</summary>
        internal static byte[]? Decode(MimePart? part)
        {
            if (part?.Content is null)
            {
                return null;
            }

            using var buffer = new MemoryStream();
            part.Content.DecodeTo(buffer);
            return buffer.ToArray();
        }
    }

    /// <summary>What the readers of each format share for one message.</summary>
    internal sealed class ProtectionContext
    {
        public ProtectionContext(bool bodyAvailable, bool verify, IReadOnlyList<X509Certificate2>? trustAnchors, IReadOnlyList<string> senders, string target, List<Finding> findings)
        {
            BodyAvailable = bodyAvailable;
            Verify = verify;
            TrustAnchors = trustAnchors;
            Senders = senders;
            Target = target;
            Findings = findings;
        }

        /// <summary>False when only the header block was given.</summary>
        public bool BodyAvailable { get; }

        /// <summary>Verify S/MIME signatures.</summary>
        public bool Verify { get; }

        /// <summary>Roots for the signer's certificate; <c>null</c> for the platform store.</summary>
        public IReadOnlyList<X509Certificate2>? TrustAnchors { get; }

        /// <summary>The From and Sender addresses (RFC 8550 §3).</summary>
        public IReadOnlyList<string> Senders { get; }

        /// <summary>The target of the findings: the From address.</summary>
        public string Target { get; }

        /// <summary>Receives the findings.</summary>
        public List<Finding> Findings { get; }

        /// <summary>Adds a finding about this message.</summary>
        public void Add(FindingDescriptor descriptor, string message) => Findings.Add(descriptor.Create(message, Target));
    }
}
