using System.Security.Authentication;

namespace MailSecurity
{
    /// <summary>A TLS protocol version, as negotiated or as probed (RFC 8446, RFC 5246, RFC 8996).</summary>
    public enum TlsVersion
    {
        /// <summary>TLS 1.0 (RFC 2246); deprecated by RFC 8996.</summary>
        Tls10 = 10,
        /// <summary>TLS 1.1 (RFC 4346); deprecated by RFC 8996.</summary>
        Tls11 = 11,
        /// <summary>TLS 1.2 (RFC 5246).</summary>
        Tls12 = 12,
        /// <summary>TLS 1.3 (RFC 8446).</summary>
        Tls13 = 13,
    }

    /// <summary>Conversions between <see cref="TlsVersion"/> and the platform's <see cref="SslProtocols"/>.</summary>
    internal static class TlsVersions
    {
        // SslProtocols.Tls13 is missing from netstandard2.0; the numeric value is the same on every platform.
        private const SslProtocols Tls13Value = (SslProtocols)12288;

        /// <summary>The platform flag for one version.</summary>
        public static SslProtocols ToSslProtocols(TlsVersion version)
        {
#pragma warning disable CS0618, SYSLIB0039 // TLS 1.0/1.1 are obsolete: named here only so they can be probed on purpose
            switch (version)
            {
                case TlsVersion.Tls10: return SslProtocols.Tls;
                case TlsVersion.Tls11: return SslProtocols.Tls11;
                case TlsVersion.Tls12: return SslProtocols.Tls12;
                default: return Tls13Value;
            }
#pragma warning restore CS0618, SYSLIB0039
        }

        /// <summary>The version a negotiated <see cref="SslProtocols"/> value stands for, or <c>null</c> for SSL and unknown values.</summary>
        public static TlsVersion? FromSslProtocols(SslProtocols protocol)
        {
#pragma warning disable CS0618, SYSLIB0039
            if (protocol == Tls13Value)
            {
                return TlsVersion.Tls13;
            }

            if (protocol == SslProtocols.Tls12)
            {
                return TlsVersion.Tls12;
            }

            if (protocol == SslProtocols.Tls11)
            {
                return TlsVersion.Tls11;
            }

            if (protocol == SslProtocols.Tls)
            {
                return TlsVersion.Tls10;
            }
#pragma warning restore CS0618, SYSLIB0039
            return null;
        }

        /// <summary>True for TLS 1.0 and 1.1, which RFC 8996 §2–3 forbids.</summary>
        public static bool IsLegacy(TlsVersion version) => version < TlsVersion.Tls12;

        /// <summary>The conventional name, e.g. <c>TLSv1.3</c> (as OpenSSL and Postfix logs write it).</summary>
        public static string ToDisplayName(TlsVersion version) => version switch
        {
            TlsVersion.Tls10 => "TLSv1",
            TlsVersion.Tls11 => "TLSv1.1",
            TlsVersion.Tls12 => "TLSv1.2",
            _ => "TLSv1.3",
        };
    }
}
