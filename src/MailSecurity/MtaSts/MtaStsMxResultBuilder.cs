namespace MailSecurity.MtaSts
{
    /// <summary>The values of a <see cref="MtaStsMxResult"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class MtaStsMxResultBuilder
    {
        public string MxHost = string.Empty;
        public ushort Preference;
        public bool Covered;
        public string? MatchedPattern;
        public string? Address;
        public bool? TlsOk;
        public bool? CertificateValid;
        public bool? WouldDeliver;
        public string? Detail;
    }
}
