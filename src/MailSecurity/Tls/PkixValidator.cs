using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MailSecurity.Tls
{
    /// <summary>Settings for <see cref="PkixValidator"/>. Every default is stated.</summary>
    internal sealed class PkixValidationOptions
    {
        /// <summary>Check CRL/OCSP revocation (network access). Default: off, as most sending MTAs do (RFC 8461 §4.2 makes it optional).</summary>
        public bool CheckRevocation { get; set; }

        /// <summary>The time to validate for. Default: now.</summary>
        public DateTimeOffset? VerificationTime { get; set; }

        /// <summary>
        /// Trust only these roots instead of the platform store. Default: <c>null</c>, the platform store (on Linux it
        /// honours <c>SSL_CERT_FILE</c>/<c>SSL_CERT_DIR</c>).
        /// </summary>
        public IReadOnlyList<X509Certificate2>? TrustAnchors { get; set; }

        /// <summary>What the end-entity certificate must be good for. Default: <see cref="CertificatePurpose.TlsServer"/>.</summary>
        public CertificatePurpose Purpose { get; set; }
    }

    /// <summary>The use a certificate chain is validated for (the extended key usage of RFC 5280 §4.2.1.12).</summary>
    internal enum CertificatePurpose
    {
        /// <summary>A TLS server (id-kp-serverAuth): an MX host, an MTA-STS policy host.</summary>
        TlsServer,

        /// <summary>E-mail protection (id-kp-emailProtection): the signer of an S/MIME message (RFC 8550 §4.4.4).</summary>
        EmailProtection,
    }

    /// <summary>
    /// PKIX validation of a chain as a server presented it (RFC 5280 §6), through the platform's X509Chain, with the
    /// chain status reasons turned into plain words and <see cref="CertificateProblems"/> flags. It never fetches
    /// missing intermediates (AIA), because sending MTAs do not: a server that omits its intermediate fails here as
    /// it fails for them. The same validation, with <see cref="CertificatePurpose.EmailProtection"/>, judges the
    /// signer of an S/MIME message against the same trust store.
    /// </summary>
    internal static class PkixValidator
    {
        private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
        private const string EmailProtectionOid = "1.3.6.1.5.5.7.3.4";

        /// <summary>The words for one purpose: who the leaf is, where the rest of the chain came from, what the usage is.</summary>
        private sealed class Wording
        {
            public Wording(string leaf, string sender, string usage, string none)
            {
                Leaf = leaf;
                Sender = sender;
                Usage = usage;
                None = none;
            }

            public string Leaf { get; }

            public string Sender { get; }

            public string Usage { get; }

            public string None { get; }
        }

        private static readonly Wording TlsWords = new Wording("the server certificate", "was not sent by the server", "TLS server authentication", "The server presented no certificate.");
        private static readonly Wording EmailWords = new Wording("the signer's certificate", "is not in the message", "e-mail protection (S/MIME)", "The signature carries no certificate.");

        /// <summary>Validates <paramref name="presentedChain"/> (server certificate first, then what else the server sent).</summary>
        /// <param name="presentedChain">The certificates in the order presented; the first is the server certificate.</param>
        /// <param name="options">Revocation, time and trust settings (defaults when null).</param>
        public static PkixValidation Validate(IReadOnlyList<X509Certificate2> presentedChain, PkixValidationOptions? options = null)
        {
            options ??= new PkixValidationOptions();
            var at = options.VerificationTime ?? DateTimeOffset.UtcNow;
            var words = options.Purpose == CertificatePurpose.EmailProtection ? EmailWords : TlsWords;
            if (presentedChain is null || presentedChain.Count == 0)
            {
                return new PkixValidation(false, CertificateProblems.NoCertificate, new[] { words.None }, Array.Empty<X509Certificate2>(), at, options.CheckRevocation);
            }

            var leaf = presentedChain[0];
            using var chain = new X509Chain();
            var policy = chain.ChainPolicy;
            policy.RevocationMode = options.CheckRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck;
            policy.RevocationFlag = X509RevocationFlag.ExcludeRoot;
            policy.VerificationTime = at.UtcDateTime;
            policy.UrlRetrievalTimeout = TimeSpan.FromSeconds(10);
            // RFC 5280 §4.2.1.12: id-kp-serverAuth for a TLS server, id-kp-emailProtection for an S/MIME signer (RFC 8550 §4.4.4).
            policy.ApplicationPolicy.Add(new Oid(options.Purpose == CertificatePurpose.EmailProtection ? EmailProtectionOid : ServerAuthOid));
            for (var i = 1; i < presentedChain.Count; i++)
            {
                policy.ExtraStore.Add(presentedChain[i]);
            }

            var anchors = options.TrustAnchors;
#if NET8_0_OR_GREATER
            policy.DisableCertificateDownloads = true;
            if (anchors != null)
            {
                policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                foreach (var a in anchors)
                {
                    policy.CustomTrustStore.Add(a);
                }
            }
#else
            // netstandard2.0 has no DisableCertificateDownloads/CustomTrustStore; set the former where the runtime has it.
            typeof(X509ChainPolicy).GetProperty("DisableCertificateDownloads")?.SetValue(policy, true);
            if (anchors != null)
            {
                policy.VerificationFlags |= X509VerificationFlags.AllowUnknownCertificateAuthority;
                foreach (var a in anchors)
                {
                    policy.ExtraStore.Add(a);
                }
            }
#endif

            bool built;
            try
            {
                built = chain.Build(leaf);
            }
            catch (CryptographicException ex)
            {
                return new PkixValidation(false, CertificateProblems.InvalidChain, new[] { "The chain could not be built: " + ex.Message }, Array.Empty<X509Certificate2>(), at, options.CheckRevocation);
            }

            var elements = chain.ChainElements.Cast<X509ChainElement>().ToList();
            var builtChain = elements.Select(e => new X509Certificate2(e.Certificate.RawData)).ToList();
            var problems = CertificateProblems.None;
            var reasons = new List<string>();
#if !NET8_0_OR_GREATER
            // Without CustomTrustStore the chain is built with unknown roots allowed; the caller's anchors decide instead.
            var endsAtAnchor = anchors != null && elements.Count > 0 && anchors.Any(a => a.RawData.SequenceEqual(elements[elements.Count - 1].Certificate.RawData));
#endif
            for (var i = 0; i < elements.Count; i++)
            {
                var cert = elements[i].Certificate;
                var who = i == 0 ? words.Leaf : $"the issuer certificate '{cert.GetNameInfo(X509NameType.SimpleName, false)}'";
                foreach (var status in elements[i].ChainElementStatus)
                {
                    if (status.Status == X509ChainStatusFlags.NoError)
                    {
                        continue;
                    }

#if !NET8_0_OR_GREATER
                    if (endsAtAnchor && status.Status == X509ChainStatusFlags.UntrustedRoot)
                    {
                        continue; // the root is one of the caller's anchors
                    }
#endif
                    AddProblem(status.Status, cert, who, at, words, ref problems, reasons);
                }
            }

            // Statuses reported for the chain but not for an element (e.g. PartialChain on some platforms).
            foreach (var status in chain.ChainStatus)
            {
                if (status.Status == X509ChainStatusFlags.NoError || elements.Any(e => e.ChainElementStatus.Any(s => s.Status == status.Status)))
                {
                    continue;
                }

#if !NET8_0_OR_GREATER
                if (endsAtAnchor && status.Status == X509ChainStatusFlags.UntrustedRoot)
                {
                    continue;
                }
#endif
                AddProblem(status.Status, leaf, "the chain", at, words, ref problems, reasons);
            }

#if !NET8_0_OR_GREATER
            if (anchors != null && !endsAtAnchor && (problems & (CertificateProblems.Untrusted | CertificateProblems.IncompleteChain)) == 0)
            {
                problems |= CertificateProblems.Untrusted;
                reasons.Add("The chain does not end at one of the given trust anchors.");
            }
#endif

            if (IsSelfIssued(leaf) && presentedChain.Count == 1 && (problems & (CertificateProblems.Untrusted | CertificateProblems.IncompleteChain)) != 0)
            {
                problems |= CertificateProblems.SelfSigned;
                reasons.Insert(0, $"{Capital(words.Leaf)} '{leaf.Subject}' is self-signed.");
            }

            if (!built && problems == CertificateProblems.None)
            {
                problems = CertificateProblems.InvalidChain;
                reasons.Add("The platform rejected the chain without giving a reason.");
            }

            return new PkixValidation(problems == CertificateProblems.None, problems, reasons.Distinct().ToList(), builtChain, at, options.CheckRevocation);
        }

        /// <summary>True when the certificate names itself as its issuer.</summary>
        public static bool IsSelfIssued(X509Certificate2 certificate)
            => certificate.SubjectName.RawData.SequenceEqual(certificate.IssuerName.RawData);

        private static void AddProblem(X509ChainStatusFlags flag, X509Certificate2 cert, string who, DateTimeOffset at, Wording words, ref CertificateProblems problems, List<string> reasons)
        {
            var notAfter = new DateTimeOffset(cert.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            var notBefore = new DateTimeOffset(cert.NotBefore.ToUniversalTime(), TimeSpan.Zero);
            switch (flag)
            {
                case X509ChainStatusFlags.NotTimeValid:
                    if (notBefore > at)
                    {
                        problems |= CertificateProblems.NotYetValid;
                        reasons.Add($"NotTimeValid: {Capital(who)} is not valid before {Format(notBefore)}.");
                    }
                    else
                    {
                        problems |= CertificateProblems.Expired;
                        reasons.Add($"NotTimeValid: {Capital(who)} expired on {Format(notAfter)}.");
                    }

                    break;
                case X509ChainStatusFlags.UntrustedRoot:
                    problems |= CertificateProblems.Untrusted;
                    reasons.Add($"UntrustedRoot: the chain ends at '{cert.Subject}', which is not a trusted root.");
                    break;
                case X509ChainStatusFlags.PartialChain:
                    problems |= CertificateProblems.IncompleteChain;
                    reasons.Add($"PartialChain: the issuer '{cert.Issuer}' of {who} {words.Sender} and is not a trusted root (missing intermediate or unknown CA).");
                    break;
                case X509ChainStatusFlags.NotValidForUsage:
                case X509ChainStatusFlags.InvalidBasicConstraints:
                case X509ChainStatusFlags.InvalidExtension:
                case X509ChainStatusFlags.InvalidNameConstraints:
                case X509ChainStatusFlags.HasNotSupportedNameConstraint:
                case X509ChainStatusFlags.HasNotPermittedNameConstraint:
                case X509ChainStatusFlags.HasExcludedNameConstraint:
                case X509ChainStatusFlags.InvalidPolicyConstraints:
                    problems |= CertificateProblems.WrongUsage;
                    reasons.Add($"{flag}: {Capital(who)} is not valid for {words.Usage}.");
                    break;
                case X509ChainStatusFlags.Revoked:
                    problems |= CertificateProblems.Revoked;
                    reasons.Add($"Revoked: {Capital(who)} has been revoked.");
                    break;
                case X509ChainStatusFlags.RevocationStatusUnknown:
                case X509ChainStatusFlags.OfflineRevocation:
                    problems |= CertificateProblems.RevocationUnknown;
                    reasons.Add($"{flag}: the revocation status of {who} could not be determined.");
                    break;
                default:
                    problems |= CertificateProblems.InvalidChain;
                    reasons.Add($"{flag}: {Capital(who)} failed validation.");
                    break;
            }
        }

        private static string Format(DateTimeOffset t) => t.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

        private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s.Substring(1);
    }
}
