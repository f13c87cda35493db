namespace MailSecurity.Dkim
{
    /// <summary>The values of a <see cref="ArcSetCheck"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class ArcSetCheckBuilder
    {
        public int Instance;
        public string? SealDomain;
        public string? SealSelector;
        public string? ChainValidation;
        public string? AuthServId;
        public string? Results;
        public bool? SealVerified;
        public bool? MessageSignatureVerified;
    }
}
