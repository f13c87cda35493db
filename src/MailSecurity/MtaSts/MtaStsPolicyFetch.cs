using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using MailSecurity.MtaSts;

namespace MailSecurity
{
    /// <summary>How the HTTPS fetch of an MTA-STS policy ended (RFC 8461 §3.3).</summary>
    public enum MtaStsFetchOutcome
    {
        /// <summary>HTTP 200, text/plain, complete body within the size limit.</summary>
        Success = 0,
        /// <summary>The policy host has no address (NXDOMAIN or NODATA for A and AAAA).</summary>
        HostNotFound,
        /// <summary>The policy host's address lookup failed (SERVFAIL, timeout).</summary>
        HostLookupFailed,
        /// <summary>No TCP connection could be made to port 443.</summary>
        ConnectFailed,
        /// <summary>The TLS handshake failed for a reason other than the certificate.</summary>
        TlsFailed,
        /// <summary>The certificate failed PKIX validation for the policy host.</summary>
        CertificateInvalid,
        /// <summary>The fetch did not complete within the timeout.</summary>
        Timeout,
        /// <summary>A 3xx redirect (not followed).</summary>
        Redirect,
        /// <summary>A status other than 200 (and not a redirect).</summary>
        HttpStatus,
        /// <summary>Status 200 with a media type other than text/plain.</summary>
        ContentType,
        /// <summary>The response body is larger than 64 KB.</summary>
        TooLarge,
        /// <summary>The connection closed before the body was complete.</summary>
        Truncated,
        /// <summary>The HTTP response was malformed.</summary>
        ProtocolError,
    }

    /// <summary>Evidence of one HTTPS fetch of <c>https://mta-sts.&lt;domain&gt;/.well-known/mta-sts.txt</c>. Immutable.</summary>
    public sealed class MtaStsPolicyFetch
    {
        /// <summary>Creates the evidence.</summary>
        internal MtaStsPolicyFetch(MtaStsPolicyFetchBuilder b)
        {
            Url = b.Url;
            PolicyHost = b.PolicyHost;
            Outcome = b.Outcome;
            Addresses = ValueList.From(b.Addresses);
            Address = b.Address;
            StatusCode = b.StatusCode;
            Location = b.Location;
            ContentType = b.ContentType;
            ContentLength = b.ContentLength;
            BodyBytesRead = b.BodyBytesRead;
            TlsProtocol = b.TlsProtocol;
            CipherSuite = b.CipherSuite;
            CertificateChain = CertificateInfo.FromChain(b.CertificateChain);
            CertificateValid = b.CertificateValid;
            CertificateErrors = ValueList.From(b.CertificateErrors);
            Duration = b.Duration;
            FetchedAt = b.FetchedAt;
            Client = b.Client;
            Error = b.Error;
        }

        /// <summary>The URL fetched.</summary>
        public string Url { get; }

        /// <summary>The policy host (<c>mta-sts.&lt;domain&gt;</c>), also the SNI name and the name the certificate must match.</summary>
        public string PolicyHost { get; }

        /// <summary>How the fetch ended.</summary>
        public MtaStsFetchOutcome Outcome { get; }

        /// <summary>The policy host's addresses from DNS (A then AAAA).</summary>
        public IReadOnlyList<string> Addresses { get; }

        /// <summary>The address connected to (the last one tried), or null.</summary>
        public string? Address { get; }

        /// <summary>The HTTP status code, or null when no response arrived.</summary>
        public int? StatusCode { get; }

        /// <summary>The Location header of a redirect (not followed), or null.</summary>
        public string? Location { get; }

        /// <summary>The Content-Type header as sent, or null.</summary>
        public string? ContentType { get; }

        /// <summary>The Content-Length header, or null when absent (chunked or close-delimited).</summary>
        public long? ContentLength { get; }

        /// <summary>Bytes of body read (at most 64 KB + 1: reading stops there).</summary>
        public int BodyBytesRead { get; }

        /// <summary>The negotiated TLS protocol (e.g. Tls13), or null.</summary>
        public string? TlsProtocol { get; }

        /// <summary>The negotiated cipher suite, or null when the platform does not report it.</summary>
        public string? CipherSuite { get; }

        /// <summary>The certificate chain the server presented, leaf first (each item's ToPem() and ToX509Certificate2() give the certificate itself).</summary>
        public IReadOnlyList<CertificateInfo> CertificateChain { get; }

        /// <summary>The server (leaf) certificate, or null.</summary>
        public CertificateInfo? Certificate => CertificateChain.Count > 0 ? CertificateChain[0] : null;

        /// <summary>Summary of the leaf certificate: subject, issuer, expiry and DNS names, or null.</summary>
        public string? CertificateSummary => Certificate is null
            ? null
            : string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0}; issuer {1}; expires {2:yyyy-MM-dd}; names {3}", Certificate.Subject, Certificate.Issuer, Certificate.NotAfter, string.Join(",", Certificate.DnsNames));

        /// <summary>True when the certificate passed PKIX validation for the policy host; null when no certificate was seen.</summary>
        public bool? CertificateValid { get; }

        /// <summary>Why PKIX validation failed (name mismatch, expiry, untrusted root...), empty when it passed.</summary>
        public IReadOnlyList<string> CertificateErrors { get; }

        /// <summary>Wall time of the fetch: connect, TLS, request and body.</summary>
        public TimeSpan Duration { get; }

        /// <summary>When the fetch started.</summary>
        public DateTimeOffset FetchedAt { get; }

        /// <summary>The HTTP client used: <c>HttpClient</c> (net8.0) or <c>Http11</c> (netstandard2.0, a minimal HTTP/1.1 GET over SslStream).</summary>
        public string Client { get; }

        /// <summary>What failed, in plain words; null on success.</summary>
        public string? Error { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Url}: {Outcome}{(StatusCode is null ? string.Empty : " " + StatusCode)}";

        internal static IReadOnlyList<string> NoErrors { get; } = Array.Empty<string>();
    }
}
