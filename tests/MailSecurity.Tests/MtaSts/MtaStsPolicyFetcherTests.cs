using System;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using MailSecurity.MtaSts;
using MailSecurity.Tests.Dns;
using Xunit;

namespace MailSecurity.Tests.MtaSts
{
    /// <summary>
    /// The fetcher's connection and certificate rules on 127.0.0.1, for both HTTP clients. The HTTP-level scenarios (redirect,
    /// status, content type, size, slow and broken peers) run against the lab with a trusted CA (tests/Pester/MtaStsPolicy.Tests.ps1).
    /// </summary>
    public class MtaStsPolicyFetcherTests
    {
        /// <summary>The policy host resolves to 127.0.0.1 (where each test's peer listens).</summary>
        private static readonly ScriptedZone Loopback = new ScriptedZone().A("mta-sts.example.test", "127.0.0.1");

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task Refuses_an_untrusted_certificate_and_keeps_it_as_evidence(bool http11)
        {
            using var cert = SelfSigned("mta-sts.example.test");
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var server = Task.Run(async () =>
            {
                using var client = await listener.AcceptTcpClientAsync();
                using var ssl = new SslStream(client.GetStream());
                try
                {
                    await ssl.AuthenticateAsServerAsync(cert);
                }
                catch (Exception)
                {
                    // The client rejects the certificate; that is the point.
                }
            });
            try
            {
                var fetcher = new MtaStsPolicyFetcher(Loopback, TimeSpan.FromSeconds(10), port, http11);
                var result = await fetcher.FetchAsync("example.test");
                Assert.Equal(MtaStsFetchOutcome.CertificateInvalid, result.Fetch.Outcome);
                Assert.False(result.Fetch.CertificateValid);
                Assert.NotEmpty(result.Fetch.CertificateErrors);
                Assert.Equal(cert.Thumbprint, result.Fetch.Certificate!.Thumbprint);
                Assert.Null(result.Body);
                Assert.Null(result.Fetch.StatusCode);
                Assert.Equal(http11 ? "Http11" : "HttpClient", result.Fetch.Client);
                Assert.Equal("https://mta-sts.example.test/.well-known/mta-sts.txt", result.Fetch.Url);
            }
            finally
            {
                listener.Stop();
                await server;
            }
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task Reports_a_refused_connection(bool http11)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop(); // nothing listens there now
            var result = await new MtaStsPolicyFetcher(Loopback, TimeSpan.FromSeconds(5), port, http11).FetchAsync("example.test");
            Assert.Equal(MtaStsFetchOutcome.ConnectFailed, result.Fetch.Outcome);
            Assert.Equal("127.0.0.1", result.Fetch.Address);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task Times_out_on_a_silent_server_within_the_limit(bool http11)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start(); // accepts (kernel backlog) and never speaks TLS
            try
            {
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                var started = DateTime.UtcNow;
                var result = await new MtaStsPolicyFetcher(Loopback, TimeSpan.FromSeconds(1), port, http11).FetchAsync("example.test");
                Assert.Equal(MtaStsFetchOutcome.Timeout, result.Fetch.Outcome);
                Assert.InRange((DateTime.UtcNow - started).TotalSeconds, 0.9, 5);
            }
            finally
            {
                listener.Stop();
            }
        }

        [Fact]
        public async Task Passes_a_host_lookup_failure_through_unchanged()
        {
            // RFC 8461 §3.3 / DESIGN: a SERVFAIL for the policy host is a lookup failure, never "no host".
            var fetcher = new MtaStsPolicyFetcher(new ScriptedZone().ServFail("mta-sts.example.test"), TimeSpan.FromSeconds(1));
            var result = await fetcher.FetchAsync("example.test");
            Assert.Equal(MtaStsFetchOutcome.HostLookupFailed, result.Fetch.Outcome);
            Assert.Contains("mta-sts.example.test", result.Fetch.Error);
            Assert.Contains("SERVFAIL", result.Fetch.Error);
        }

        [Fact]
        public async Task Caller_cancellation_is_not_a_timeout()
        {
            using var cts = new CancellationTokenSource();
            cts.Cancel();
            var fetcher = new MtaStsPolicyFetcher(Loopback, TimeSpan.FromSeconds(5), 9);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetcher.FetchAsync("example.test", cts.Token));
        }

        private static X509Certificate2 SelfSigned(string name)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(name);
            request.CertificateExtensions.Add(san.Build());
            using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
        }
    }
}
