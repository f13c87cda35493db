using System;
using System.Collections.Generic;

namespace MailSecurity.Dane
{
    /// <summary>The values of a <see cref="DaneResult"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class DaneResultBuilder
    {
        public DaneTarget Target = null!;
        public TlsaLookupResult Lookup = null!;
        public TlsHandshakeOutcome Tls = null!;
        public TlsaMatchResult? Match;
        public DaneVerdict Verdict;
        public string Explanation = string.Empty;
        public IReadOnlyList<string> ReferenceIdentifiers = Array.Empty<string>();
        public IReadOnlyList<Finding> Findings = Array.Empty<Finding>();
    }
}
