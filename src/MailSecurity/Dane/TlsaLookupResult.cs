using System.Collections.Generic;
using MailSecurity.Dane;
using MailSecurity.Dns;

namespace MailSecurity
{
    /// <summary>How TLSA discovery for one host ended (RFC 7672 §2.1-§2.3).</summary>
    internal enum TlsaLookupOutcome
    {
        /// <summary>A secure, non-empty TLSA RRset was found: the host has committed to TLS.</summary>
        Found = 0,
        /// <summary>DNSSEC proves there is no TLSA RRset for any candidate name.</summary>
        NoTlsa,
        /// <summary>TLSA records or their denial are not DNSSEC-validated: DANE does not apply.</summary>
        TlsaInsecure,
        /// <summary>The host's address records are insecure, so TLSA is not looked up: DANE does not apply.</summary>
        AddressInsecure,
        /// <summary>The host has no A/AAAA records.</summary>
        NoAddress,
        /// <summary>The address lookups failed: the host cannot be used.</summary>
        AddressLookupFailed,
        /// <summary>A TLSA lookup failed (bogus, SERVFAIL, timeout ...): DANE senders treat the host as unreachable.</summary>
        TlsaLookupFailed,
        /// <summary>The MX lookup this host came from failed (bogus or indeterminate): the destination is unknown.</summary>
        MxLookupFailed,
        /// <summary>The resolver returns DNSSEC signatures without validating them: no DANE decision is possible.</summary>
        ResolverNotValidating,
        /// <summary>
        /// Signed answers without AD, and the probe that tells an island of security from a non-validating resolver failed
        /// (see the <c>Dns.DnssecProbeFailed</c> finding): no DANE decision is possible. Not a lookup failure.
        /// </summary>
        DnssecUndetermined,
        /// <summary>The destination is an IP address: DANE does not apply.</summary>
        NotApplicable,
        /// <summary>The host name is not a valid DNS name (or the TLSA name would be too long).</summary>
        InvalidName,
    }

    /// <summary>
    /// The DNS half of a DANE check for one host: address lookups, CNAME-expanded candidates, the TLSA query
    /// name and base domain, DNSSEC states, and the TLSA records classified. Immutable.
    /// </summary>
    internal sealed class TlsaLookupResult
    {
        /// <summary>Creates the result.</summary>
        internal TlsaLookupResult(TlsaLookupResultBuilder b)
        {
            HostName = b.HostName;
            Port = b.Port;
            MxDnssecStatus = b.MxDnssecStatus;
            Outcome = b.Outcome;
            AddressDnssecStatus = b.AddressDnssecStatus;
            Addresses = b.Addresses;
            HostCanonicalName = b.HostCanonicalName;
            CandidateNames = b.CandidateNames;
            TlsaName = b.TlsaName;
            TlsaBaseDomain = b.TlsaBaseDomain;
            TlsaCanonicalName = b.TlsaCanonicalName;
            TlsaDnssecStatus = b.TlsaDnssecStatus;
            TlsaQueried = b.TlsaQueried;
            Records = b.Records;
            Evidence = b.Evidence;
            Findings = b.Findings;
            Explanation = b.Explanation;
        }

        /// <summary>The host as given (normalised).</summary>
        public string HostName { get; }

        /// <summary>The TCP port whose TLSA records were looked up.</summary>
        public int Port { get; }

        /// <summary>DNSSEC state of the MX RRset the host came from; <c>null</c> when the host was checked on its own.</summary>
        public DnssecStatus? MxDnssecStatus { get; }

        /// <summary>How discovery ended.</summary>
        public TlsaLookupOutcome Outcome { get; }

        /// <summary>DNSSEC state of the host's address records (of the first address answer with data).</summary>
        public DnssecStatus AddressDnssecStatus { get; }

        /// <summary>The host's IPv4 and IPv6 addresses.</summary>
        public IReadOnlyList<string> Addresses { get; }

        /// <summary>The name the host's CNAME chain ends at, when it has one.</summary>
        public string? HostCanonicalName { get; }

        /// <summary>The names whose TLSA records were (or would be) asked for, in order (RFC 7672 §2.2.3).</summary>
        public IReadOnlyList<string> CandidateNames { get; }

        /// <summary>The TLSA query name that decided, e.g. <c>_25._tcp.mx.example.com</c>.</summary>
        public string TlsaName { get; }

        /// <summary>The TLSA base domain: the candidate whose secure TLSA RRset was found; <c>null</c> otherwise.</summary>
        public string? TlsaBaseDomain { get; }

        /// <summary>Where a CNAME at the TLSA name leads, when it has one (the base domain stays the candidate).</summary>
        public string? TlsaCanonicalName { get; }

        /// <summary>DNSSEC state of the deciding TLSA answer; <see cref="DnssecStatus.Unknown"/> when TLSA was not looked up.</summary>
        public DnssecStatus TlsaDnssecStatus { get; }

        /// <summary>
        /// Who established the DNSSEC states of the address and TLSA answers: <see cref="Dns.DnssecValidatedBy.Local"/> when
        /// this module validated any of them itself (<c>-DnssecValidation Local</c>, or Auto behind a resolver that does not
        /// validate), otherwise <see cref="Dns.DnssecValidatedBy.Resolver"/>.
        /// </summary>
        public DnssecValidatedBy DnssecValidatedBy { get; internal init; }

        /// <summary>True when TLSA records were asked for (false when the address records already ruled DANE out).</summary>
        public bool TlsaQueried { get; }

        /// <summary>The TLSA records, classified (empty unless an RRset was returned; insecure records are listed too).</summary>
        public IReadOnlyList<TlsaRecordInfo> Records { get; }

        /// <summary>One line per DNS answer consulted.</summary>
        public IReadOnlyList<string> Evidence { get; }

        /// <summary>Findings about the lookups.</summary>
        public IReadOnlyList<Finding> Findings { get; }

        /// <summary>One plain sentence on how discovery ended.</summary>
        public string Explanation { get; }

        /// <summary>True when the host published a secure TLSA RRset, which commits it to TLS (RFC 7672 §2.2).</summary>
        public bool TlsRequired => Outcome == TlsaLookupOutcome.Found;

        /// <inheritdoc />
        public override string ToString() => $"{TlsaName}: {Outcome}";
    }
}
