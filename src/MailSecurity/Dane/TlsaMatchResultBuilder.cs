using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;

namespace MailSecurity.Dane
{
    /// <summary>The values of a <see cref="TlsaMatchResult"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class TlsaMatchResultBuilder
    {
        public TlsaMatchStatus Status;
        public TlsaRecordInfo? MatchedRecord;
        public int? MatchDepth;
        public X509Certificate2? MatchedCertificate;
        public string? MatchedName;
        public IReadOnlyList<string> PresentedNames = Array.Empty<string>();
        public IReadOnlyList<TlsaRecordMatch> RecordMatches = Array.Empty<TlsaRecordMatch>();
        public string Explanation = string.Empty;
        public IReadOnlyList<Finding> Findings = Array.Empty<Finding>();
    }
}
