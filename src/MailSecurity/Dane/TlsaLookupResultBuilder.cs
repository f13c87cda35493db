using System;
using System.Collections.Generic;
using MailSecurity.Dns;

namespace MailSecurity.Dane
{
    /// <summary>The values of a <see cref="TlsaLookupResult"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class TlsaLookupResultBuilder
    {
        public string HostName = string.Empty;
        public int Port;
        public DnssecStatus? MxDnssecStatus;
        public TlsaLookupOutcome Outcome;
        public DnssecStatus AddressDnssecStatus;
        public IReadOnlyList<string> Addresses = Array.Empty<string>();
        public string? HostCanonicalName;
        public IReadOnlyList<string> CandidateNames = Array.Empty<string>();
        public string TlsaName = string.Empty;
        public string? TlsaBaseDomain;
        public string? TlsaCanonicalName;
        public DnssecStatus TlsaDnssecStatus;
        public bool TlsaQueried;
        public IReadOnlyList<TlsaRecordInfo> Records = Array.Empty<TlsaRecordInfo>();
        public IReadOnlyList<string> Evidence = Array.Empty<string>();
        public IReadOnlyList<Finding> Findings = Array.Empty<Finding>();
        public string Explanation = string.Empty;
    }
}
