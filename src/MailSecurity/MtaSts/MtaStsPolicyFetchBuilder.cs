using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;

namespace MailSecurity.MtaSts
{
    /// <summary>The values of a <see cref="MtaStsPolicyFetch"/> before it is frozen (results are built one way: see docs/ARCHITECTURE.md).</summary>
    internal sealed class MtaStsPolicyFetchBuilder
    {
        public string Url = string.Empty;
        public string PolicyHost = string.Empty;
        public MtaStsFetchOutcome Outcome;
        public IReadOnlyList<string> Addresses = Array.Empty<string>();
        public string? Address;
        public int? StatusCode;
        public string? Location;
        public string? ContentType;
        public long? ContentLength;
        public int BodyBytesRead;
        public string? TlsProtocol;
        public string? CipherSuite;
        public IReadOnlyList<X509Certificate2> CertificateChain = Array.Empty<X509Certificate2>();
        public bool? CertificateValid;
        public IReadOnlyList<string> CertificateErrors = Array.Empty<string>();
        public TimeSpan Duration;
        public DateTimeOffset FetchedAt;
        public string Client = string.Empty;
        public string? Error;
    }
}
