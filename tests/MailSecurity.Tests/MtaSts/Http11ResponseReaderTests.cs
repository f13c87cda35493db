using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailSecurity.MtaSts;
using Xunit;

namespace MailSecurity.Tests.MtaSts
{
    /// <summary>The minimal HTTP/1.1 reader of the netstandard2.0 build: framing (RFC 9112 §6, §7.1) and hard limits.</summary>
    public class Http11ResponseReaderTests
    {
        private static async Task<(Http11ResponseHead Head, CappedBody Body)> Read(string wire, int cap = 64)
        {
            var reader = new Http11ResponseReader(new MemoryStream(Encoding.Latin1.GetBytes(wire)));
            var head = await reader.ReadHeadAsync(CancellationToken.None);
            return (head, await reader.ReadBodyAsync(head, cap, CancellationToken.None));
        }

        [Fact]
        public async Task Reads_a_Content_Length_body()
        {
            var (head, body) = await Read("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhelloEXTRA");
            Assert.Equal(200, head.StatusCode);
            Assert.Equal("text/plain", head.Header("content-type"));
            Assert.Equal("hello", Encoding.ASCII.GetString(body.Bytes));
            Assert.False(body.Truncated);
            Assert.False(body.TooLarge);
        }

        [Fact]
        public async Task Decodes_chunked_bodies_with_extensions_and_trailers()
        {
            var (_, body) = await Read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: 1\r\n\r\n");
            Assert.Equal("hello world", Encoding.ASCII.GetString(body.Bytes));
            Assert.False(body.Truncated);
        }

        [Fact]
        public async Task Reads_a_close_delimited_body()
        {
            var (_, body) = await Read("HTTP/1.0 200 OK\n\nversion: STSv1\n");
            Assert.Equal("version: STSv1\n", Encoding.ASCII.GetString(body.Bytes));
            Assert.False(body.Truncated);
        }

        [Fact]
        public async Task Says_when_the_body_is_shorter_than_announced()
        {
            var (_, body) = await Read("HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\nshort");
            Assert.True(body.Truncated);
            Assert.Equal(5, body.Bytes.Length);
        }

        [Fact]
        public async Task Says_when_the_last_chunk_never_comes()
        {
            var (_, body) = await Read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
            Assert.True(body.Truncated);
        }

        [Fact]
        public async Task Stops_one_byte_past_the_cap()
        {
            var (_, body) = await Read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n" + new string('a', 64) + "\r\n40\r\n" + new string('b', 64) + "\r\n0\r\n\r\n", cap: 100);
            Assert.True(body.TooLarge);
            Assert.Equal(101, body.Bytes.Length);
        }

        [Fact]
        public async Task Refuses_an_announced_length_over_the_cap_without_reading()
        {
            var (_, body) = await Read("HTTP/1.1 200 OK\r\nContent-Length: 10485760\r\n\r\naaaa", cap: 100);
            Assert.True(body.TooLarge);
            Assert.Empty(body.Bytes);
        }

        [Fact]
        public async Task Skips_interim_responses()
        {
            var (head, _) = await Read("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
            Assert.Equal(404, head.StatusCode);
        }

        [Fact]
        public async Task Keeps_the_Location_of_a_redirect()
        {
            var (head, _) = await Read("HTTP/1.1 301 Moved\r\nLocation: https://elsewhere.example/p\r\nContent-Length: 0\r\n\r\n");
            Assert.Equal(301, head.StatusCode);
            Assert.Equal("https://elsewhere.example/p", head.Header("Location"));
        }

        [Theory]
        [InlineData("SMTP 220 hello\r\n\r\n")]
        [InlineData("HTTP/1.1 2x0 OK\r\n\r\n")]
        [InlineData("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n")]
        public async Task Rejects_malformed_heads(string wire)
            => await Assert.ThrowsAsync<Http11ProtocolException>(() => Read(wire));

        [Fact]
        public async Task Rejects_endless_header_lines()
            => await Assert.ThrowsAsync<Http11ProtocolException>(() => Read("HTTP/1.1 200 OK\r\nX: " + new string('a', 20000) + "\r\n\r\n"));

        [Fact]
        public async Task Reports_a_bad_chunk_size_as_a_framing_error()
        {
            var (_, body) = await Read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
            Assert.NotNull(body.ProtocolError);
        }

        [Fact]
        public async Task A_connection_closed_before_any_response_is_an_end_of_stream()
            => await Assert.ThrowsAsync<EndOfStreamException>(() => Read(string.Empty));
    }
}
