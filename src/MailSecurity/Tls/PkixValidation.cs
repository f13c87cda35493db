using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;

namespace MailSecurity
{
    /// <summary>What is wrong with a certificate chain under PKIX validation (RFC 5280 §6). Several can apply.</summary>
    [Flags]
    public enum CertificateProblems
    {
        /// <summary>Nothing: the chain validates.</summary>
        None = 0,
        /// <summary>The server presented no certificate.</summary>
        NoCertificate = 1,
        /// <summary>A certificate of the chain has expired (notAfter in the past).</summary>
        Expired = 2,
        /// <summary>A certificate of the chain is not valid yet (notBefore in the future).</summary>
        NotYetValid = 4,
        /// <summary>The chain ends at a root that is not trusted.</summary>
        Untrusted = 8,
        /// <summary>The server certificate is self-signed (its own issuer).</summary>
        SelfSigned = 16,
        /// <summary>The chain cannot be completed: an issuer was not sent and is not a trusted root (often a missing intermediate).</summary>
        IncompleteChain = 32,
        /// <summary>A certificate is not valid for TLS server authentication (extended key usage, key usage or CA constraints).</summary>
        WrongUsage = 64,
        /// <summary>A certificate was revoked (only with revocation checking on).</summary>
        Revoked = 128,
        /// <summary>Revocation status could not be determined (only with revocation checking on).</summary>
        RevocationUnknown = 256,
        /// <summary>A signature does not verify, or another structural error.</summary>
        InvalidChain = 512,
    }

    /// <summary>The result of PKIX-validating a presented certificate chain. Immutable.</summary>
    public sealed class PkixValidation
    {
        /// <summary>Creates a result.</summary>
        public PkixValidation(bool isValid, CertificateProblems problems, IReadOnlyList<string> reasons, IReadOnlyList<X509Certificate2> builtChain, DateTimeOffset validatedAt, bool revocationChecked)
        {
            IsValid = isValid;
            Problems = problems;
            Reasons = reasons ?? Array.Empty<string>();
            // Subjects only: the certificates themselves are in the result's CertificateChain, and nesting them here would
            // make every serialised probe deeper and larger (ConvertTo-Json -Depth 5).
            BuiltChain = new ValueList<string>((builtChain ?? Array.Empty<X509Certificate2>()).Select(c => c.Subject));
            ValidatedAt = validatedAt;
            RevocationChecked = revocationChecked;
        }

        /// <summary>True when the chain builds to a trusted root with no error.</summary>
        public bool IsValid { get; }

        /// <summary>What is wrong (<see cref="CertificateProblems.None"/> when valid).</summary>
        public CertificateProblems Problems { get; }

        /// <summary>The chain status reasons in plain words, one per problem and certificate (empty when valid).</summary>
        public IReadOnlyList<string> Reasons { get; }

        /// <summary>The subjects of the chain the platform built (leaf first, up to the root when one was found).</summary>
        public IReadOnlyList<string> BuiltChain { get; }

        /// <summary>The time the chain was validated for.</summary>
        public DateTimeOffset ValidatedAt { get; }

        /// <summary>True when revocation was checked (off unless asked for).</summary>
        public bool RevocationChecked { get; }

        /// <inheritdoc />
        public override string ToString() => IsValid ? "Valid" : $"{Problems}: {string.Join("; ", Reasons)}";
    }
}
