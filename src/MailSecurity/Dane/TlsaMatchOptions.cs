using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;

namespace MailSecurity.Dane
{
    /// <summary>
    /// How <see cref="TlsaMatcher"/> matches: the SMTP rules of RFC 7672 (the default), or generic DANE
    /// (RFC 6698 / RFC 7671) for comparison with other implementations. Immutable.
    /// </summary>
    internal sealed class TlsaMatchOptions
    {
        /// <summary>Creates options.</summary>
        /// <param name="profile">SMTP (default): only DANE-TA(2) and DANE-EE(3) are usable. Generic: all four usages.</param>
        /// <param name="checkDaneEeNames">
        /// Generic profile only: also check the server certificate's names when a DANE-EE(3) record matches
        /// (OpenSSL's default). Default false. SMTP clients MUST NOT do this (RFC 7672 §3.2.1).
        /// </param>
        /// <param name="pkixTrustAnchors">
        /// Generic profile only: the roots PKIX-TA(0)/PKIX-EE(1) chains must reach. Default none (so PKIX usages never
        /// validate). The platform trust store is never consulted.
        /// </param>
        /// <param name="validationTime">The time at which certificate validity is checked. Default: the time of each match.</param>
        /// <exception cref="ArgumentException">DANE-EE name checks or PKIX trust anchors were asked for with the SMTP profile.</exception>
        public TlsaMatchOptions(
            TlsaUsageProfile profile = TlsaUsageProfile.Smtp,
            bool checkDaneEeNames = false,
            IEnumerable<X509Certificate2>? pkixTrustAnchors = null,
            DateTimeOffset? validationTime = null)
        {
            var anchors = pkixTrustAnchors?.Where(a => a != null).ToList() ?? new List<X509Certificate2>();
            if (profile == TlsaUsageProfile.Smtp && checkDaneEeNames)
            {
                throw new ArgumentException("SMTP clients must not check names for DANE-EE(3) matches (RFC 7672 §3.2.1).", nameof(checkDaneEeNames));
            }

            if (profile == TlsaUsageProfile.Smtp && anchors.Count > 0)
            {
                throw new ArgumentException("PKIX trust anchors apply only to the generic profile: SMTP does not use PKIX usages (RFC 7672 §3.1.3).", nameof(pkixTrustAnchors));
            }

            Profile = profile;
            CheckDaneEeNames = checkDaneEeNames;
            PkixTrustAnchors = anchors;
            ValidationTime = validationTime;
        }

        /// <summary>The SMTP rules of RFC 7672, checking validity at the time of each match.</summary>
        public static TlsaMatchOptions Smtp { get; } = new TlsaMatchOptions();

        /// <summary>The usage rules.</summary>
        public TlsaUsageProfile Profile { get; }

        /// <summary>Whether DANE-EE(3) matches also need a name match (generic profile only).</summary>
        public bool CheckDaneEeNames { get; }

        /// <summary>Roots for PKIX usages (generic profile only).</summary>
        public IReadOnlyList<X509Certificate2> PkixTrustAnchors { get; }

        /// <summary>The time at which validity is checked; <c>null</c> means the current time.</summary>
        public DateTimeOffset? ValidationTime { get; }
    }
}
