using System;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace MailSecurity.Runtime
{
    /// <summary>
    /// The exceptions BouncyCastle and MimeKit throw when the bytes they are given (a DKIM key, a CMS structure, an
    /// OpenPGP packet) are malformed. Hostile input reaches these parsers, and each of them turns a bad structure into a
    /// finding; this list is what counts as "bad structure", so that a bug of our own still surfaces.
    /// </summary>
    internal static class ParseFailure
    {
        /// <summary>True when <paramref name="ex"/> means "the input is malformed".</summary>
        internal static bool Is(Exception ex)
            => ex is ArgumentException || ex is System.IO.IOException || ex is InvalidCastException || ex is InvalidOperationException
               || ex is Asn1Exception || ex is FormatException || ex is IndexOutOfRangeException
               || ex is NullReferenceException || ex is OverflowException || ex is NotSupportedException
               || ex is CmsException || ex is PgpException || ex is CryptoException || ex is SecurityUtilityException
               || ex is MimeKit.Cryptography.DigitalSignatureVerifyException;
    }
}
