namespace MailSecurity.Spf
{
    /// <summary>The values of a <see cref="SpfTerm"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class SpfTermBuilder
    {
        public string Text = string.Empty;
        public int Index;
        public SpfTermKind Kind;
        public SpfQualifier Qualifier;
        public string? DomainSpec;
        public string? Network;
        public int? Ip4PrefixLength;
        public int? Ip6PrefixLength;
        public string? ModifierName;
        public string? ModifierValue;
        public string? Error;
    }
}
