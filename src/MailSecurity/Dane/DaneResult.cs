using System;
using System.Collections.Generic;
using System.Linq;
using MailSecurity.Dane;
using MailSecurity.Dns;

namespace MailSecurity
{
    /// <summary>What a DANE-capable sender concludes about one MX host (RFC 7672 §2.2, §3.2).</summary>
    public enum DaneVerdict
    {
        /// <summary>A usable secure TLSA record authenticates the presented chain.</summary>
        Valid = 0,
        /// <summary>Usable secure TLSA records exist but none authenticates the chain (or the name does not match): DANE senders will not deliver.</summary>
        NoMatch,
        /// <summary>DNSSEC proves there are no TLSA records: opportunistic TLS, no DANE.</summary>
        NoTlsa,
        /// <summary>DANE does not apply: insecure address records, insecure TLSA, or an IP address destination.</summary>
        Insecure,
        /// <summary>A lookup failed (bogus, SERVFAIL, timeout ...): DANE senders treat the host as unreachable.</summary>
        LookupFailed,
        /// <summary>Secure TLSA records exist, so TLS is mandatory, but TLS could not be established: DANE senders will not deliver.</summary>
        TlsFailed,
        /// <summary>Secure TLSA records exist but none is usable: DANE senders require TLS without authenticating it.</summary>
        AllRecordsUnusable,
        /// <summary>The host has no address records: no sender can reach it.</summary>
        NoAddress,
        /// <summary>The resolver does not validate DNSSEC, so no DANE decision can be made.</summary>
        ResolverNotValidating,
        /// <summary>Usable secure TLSA records exist; the server's chain was not checked against them.</summary>
        NotTested,
        /// <summary>Usable secure TLSA records exist; the host could not be reached to check them.</summary>
        ConnectFailed,
        /// <summary>The DNSSEC state of the answers could not be determined (the DNSSEC probe failed), so no DANE decision can be made.</summary>
        DnssecUndetermined,
    }

    /// <summary>
    /// The result of Test-DaneTlsa for one host: how TLSA discovery went (names, DNSSEC states), each record
    /// classified, how the presented chain fared against them, the verdict with its explanation, and findings.
    /// </summary>
    public sealed class DaneResult
    {
        private readonly TlsaLookupResult _lookup;
        private readonly TlsHandshakeOutcome _tls;
        private readonly TlsaMatchResult? _match;

        /// <summary>Creates the result from its parts.</summary>
        internal DaneResult(DaneResultBuilder b)
        {
            if (b.Target is null)
            {
                throw new ArgumentNullException(nameof(b.Target));
            }

            _lookup = b.Lookup ?? throw new ArgumentNullException(nameof(b.Lookup));
            _tls = b.Tls ?? TlsHandshakeOutcome.NotAttempted;
            _match = b.Match;
            Domain = b.Target.Domain ?? string.Empty;
            MxDnssecStatus = b.Target.MxDnssecStatus;
            Verdict = b.Verdict;
            Explanation = b.Explanation ?? string.Empty;
            ReferenceIdentifiers = ValueList.From(b.ReferenceIdentifiers);
            Findings = FindingList.From(b.Findings);
            ProbedAddresses = new ValueList<string>(_tls.Address is null ? Array.Empty<string>() : new[] { _tls.Address });
            CandidateNames = ValueList.From(_lookup.CandidateNames);
            Addresses = ValueList.From(_lookup.Addresses);
            Records = ValueList.From(_match is null ? _lookup.Records : _match.RecordMatches.Select(m => m.Record));
            RecordMatches = ValueList.From(_match?.RecordMatches);
            CertificateChain = CertificateInfo.FromChain(_tls.Chain);
            Evidence = ValueList.From(_lookup.Evidence);
        }

        private DaneResult(DaneResult other, IReadOnlyList<string> probedAddresses, FindingList findings)
        {
            CandidateNames = other.CandidateNames;
            Addresses = other.Addresses;
            Records = other.Records;
            RecordMatches = other.RecordMatches;
            CertificateChain = other.CertificateChain;
            Evidence = other.Evidence;
            _lookup = other._lookup;
            _tls = other._tls;
            _match = other._match;
            Domain = other.Domain;
            MxDnssecStatus = other.MxDnssecStatus;
            Verdict = other.Verdict;
            Explanation = other.Explanation;
            ReferenceIdentifiers = other.ReferenceIdentifiers;
            Findings = findings;
            ProbedAddresses = ValueList.From(probedAddresses);
        }

        /// <summary>The same result, standing for every address in <paramref name="addresses"/> (they gave the same outcome).</summary>
        internal DaneResult WithProbedAddresses(IReadOnlyList<string> addresses) => new DaneResult(this, addresses ?? Array.Empty<string>(), (FindingList)Findings);

        /// <summary>The same result with findings about the input added (such as a wildcard accepted domain).</summary>
        internal DaneResult WithAddedFindings(IEnumerable<Finding> added) => new DaneResult(this, ProbedAddresses, ((FindingList)Findings).With(added));

        /// <summary>The next-hop domain whose MX named the host; empty when the host was checked on its own.</summary>
        public string Domain { get; }

        /// <summary>The host (lower-case A-labels).</summary>
        public string HostName => _lookup.HostName;

        /// <summary>The TCP port.</summary>
        public int Port => _lookup.Port;

        /// <summary>The TLSA query name that decided, e.g. <c>_25._tcp.mx.example.com</c>.</summary>
        public string TlsaName => _lookup.TlsaName;

        /// <summary>The TLSA base domain (the candidate name with the secure RRset), or <c>null</c>.</summary>
        public string? TlsaBaseDomain => _lookup.TlsaBaseDomain;

        /// <summary>Where a CNAME at the TLSA name leads, or <c>null</c>.</summary>
        public string? TlsaCanonicalName => _lookup.TlsaCanonicalName;

        /// <summary>The names whose TLSA records were looked up, in order (RFC 7672 §2.2.3).</summary>
        public IReadOnlyList<string> CandidateNames { get; }

        /// <summary>DNSSEC state of the MX RRset; <c>null</c> when the host was checked on its own.</summary>
        public DnssecStatus? MxDnssecStatus { get; }

        /// <summary>DNSSEC state of the host's address records.</summary>
        public DnssecStatus AddressDnssecStatus => _lookup.AddressDnssecStatus;

        /// <summary>The host's addresses.</summary>
        public IReadOnlyList<string> Addresses { get; }

        /// <summary>DNSSEC state of the deciding TLSA answer (<see cref="DnssecStatus.Unknown"/> when not looked up).</summary>
        public DnssecStatus TlsaDnssecStatus => _lookup.TlsaDnssecStatus;

        /// <summary>Who established the DNSSEC states of the address and TLSA answers: the resolver, or this module's own validation.</summary>
        public DnssecValidatedBy DnssecValidatedBy => _lookup.DnssecValidatedBy;

        /// <summary>The TLSA records, classified.</summary>
        public IReadOnlyList<TlsaRecordInfo> Records { get; }

        /// <summary>Each record with how it fared against the chain (empty when no chain was checked).</summary>
        public IReadOnlyList<TlsaRecordMatch> RecordMatches { get; }

        /// <summary>The verdict.</summary>
        public DaneVerdict Verdict { get; }

        /// <summary>One plain sentence explaining the verdict.</summary>
        public string Explanation { get; }

        /// <summary>The record that matched (also set when authentication failed after the match; see <see cref="Verdict"/>).</summary>
        public TlsaRecordInfo? MatchedRecord => _match?.MatchedRecord;

        /// <summary>Chain position of the matched certificate (0 = server certificate), or <c>null</c>.</summary>
        public int? MatchDepth => _match?.MatchDepth;

        /// <summary>The reference identifier the server certificate matched (DANE-TA), or <c>null</c>.</summary>
        public string? MatchedName => _match?.MatchedName;

        /// <summary>The names a DANE-TA(2) chain's server certificate must carry, primary first (RFC 7672 §3.2.2).</summary>
        public IReadOnlyList<string> ReferenceIdentifiers { get; }

        /// <summary>
        /// The addresses whose TLS sessions this result describes: every address of the host when all of them gave the
        /// same outcome, otherwise those that gave this one (one result per distinct outcome); empty when no
        /// handshake was attempted.
        /// </summary>
        public IReadOnlyList<string> ProbedAddresses { get; }

        /// <summary>Summary: <see cref="ProbedAddresses"/> separated by ", ".</summary>
        public string ProbedAddressList => string.Join(", ", ProbedAddresses);

        /// <summary>The SNI name sent in the handshake (RFC 7672 §8.1: the TLSA base domain), or <c>null</c>.</summary>
        public string? ServerName => _tls.ServerName;

        /// <summary>How the TLS attempt ended.</summary>
        public TlsHandshakeStatus TlsStatus => _tls.Status;

        /// <summary>What happened during the TLS attempt, in plain words.</summary>
        public string TlsDescription => _tls.Description;

        /// <summary>The certificates the server presented, server certificate first (each item's ToPem() and ToX509Certificate2() give the certificate itself).</summary>
        public IReadOnlyList<CertificateInfo> CertificateChain { get; }

        /// <summary>Summary: the server certificate's SHA-1 thumbprint, or null.</summary>
        public string? CertificateThumbprint => CertificateChain.Count > 0 ? CertificateChain[0].Thumbprint : null;

        /// <summary>Summary: the server certificate's subject, or null.</summary>
        public string? CertificateSubject => CertificateChain.Count > 0 ? CertificateChain[0].Subject : null;

        /// <summary>Summary: the server certificate's issuer, or null.</summary>
        public string? CertificateIssuer => CertificateChain.Count > 0 ? CertificateChain[0].Issuer : null;

        /// <summary>Summary: the server certificate's notAfter, or null.</summary>
        public DateTimeOffset? CertificateNotAfter => CertificateChain.Count > 0 ? CertificateChain[0].NotAfter : (DateTimeOffset?)null;

        /// <summary>One line per DNS answer consulted.</summary>
        public IReadOnlyList<string> Evidence { get; }

        /// <summary>Findings, worst first.</summary>
        public IReadOnlyList<Finding> Findings { get; }

        /// <summary>Summary: true when secure TLSA records commit the host to TLS (RFC 7672 §2.2).</summary>
        public bool TlsRequired => _lookup.TlsRequired;

        /// <summary>Summary: true when DANE authenticates the host (verdict Valid).</summary>
        public bool Authenticated => Verdict == DaneVerdict.Valid;

        /// <summary>Summary: number of TLSA records.</summary>
        public int RecordCount => Records.Count;

        /// <summary>Summary: number of usable TLSA records.</summary>
        public int UsableRecordCount => Records.Count(r => r.Usable);

        /// <summary>Summary: the records in presentation format, separated by "; ".</summary>
        public string RecordList => string.Join("; ", Records.Select(r => r.Text));

        /// <summary>Summary: the matched record in presentation format, or empty.</summary>
        public string MatchedRecordText => MatchedRecord?.Text ?? string.Empty;

        /// <summary>Summary: number of findings.</summary>
        public int FindingCount => Findings.Count;

        /// <summary>Summary: the worst severity among the findings (Info when there are none).</summary>
        public Severity WorstSeverity => Finding.Worst(Findings) ?? Severity.Info;

        /// <inheritdoc />
        public override string ToString() => $"{HostName}:{Port} {Verdict}";
    }
}
