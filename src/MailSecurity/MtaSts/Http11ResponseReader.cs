using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MailSecurity.MtaSts
{
    /// <summary>The status line and headers of an HTTP/1.1 response.</summary>
    internal sealed class Http11ResponseHead
    {
        public Http11ResponseHead(int statusCode, IReadOnlyList<KeyValuePair<string, string>> headers)
        {
            StatusCode = statusCode;
            Headers = headers;
        }

        public int StatusCode { get; }

        public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

        /// <summary>The first value of a header (case-insensitive name), or null.</summary>
        public string? Header(string name)
        {
            foreach (var h in Headers)
            {
                if (string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase))
                {
                    return h.Value;
                }
            }

            return null;
        }
    }

    /// <summary>A body read with a size cap.</summary>
    internal sealed class CappedBody
    {
        public CappedBody(byte[] bytes, bool tooLarge, bool truncated, string? protocolError)
        {
            Bytes = bytes;
            TooLarge = tooLarge;
            Truncated = truncated;
            ProtocolError = protocolError;
        }

        /// <summary>The bytes read: at most cap + 1.</summary>
        public byte[] Bytes { get; }

        /// <summary>More than the cap was announced or received; reading stopped.</summary>
        public bool TooLarge { get; }

        /// <summary>The stream ended before the announced length or the last chunk.</summary>
        public bool Truncated { get; }

        /// <summary>A framing error (bad chunk size), or null.</summary>
        public string? ProtocolError { get; }
    }

    /// <summary>Thrown for a malformed HTTP response head.</summary>
    internal sealed class Http11ProtocolException : IOException
    {
        public Http11ProtocolException(string message)
            : base(message)
        {
        }
    }

    /// <summary>
    /// Reads one HTTP/1.1 response (RFC 9112: status line, header fields, then a body framed by chunked transfer coding,
    /// Content-Length or connection close) from a stream, with hard limits on line length, header size and body size.
    /// Written by hand because the netstandard2.0 build (Windows PowerShell 5.1) has no SocketsHttpHandler: .NET Framework's
    /// HttpClient cannot be told which address to connect to or which SNI name to send. Only what a policy fetch needs.
    /// </summary>
    internal sealed class Http11ResponseReader
    {
        private const int MaxLine = 8192;
        private const int MaxHeaderBytes = 64 * 1024;
        private readonly Stream _stream;
        private readonly byte[] _buffer = new byte[8192];
        private int _start;
        private int _end;

        public Http11ResponseReader(Stream stream) => _stream = stream;

        /// <summary>Reads the status line and headers, skipping interim 1xx responses.</summary>
        public async Task<Http11ResponseHead> ReadHeadAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var total = 0;
                var statusLine = await ReadLineAsync(cancellationToken).ConfigureAwait(false)
                    ?? throw new EndOfStreamException("the server closed the connection without sending a response");
                total += statusLine.Length;
                var status = ParseStatusLine(statusLine);
                // Values are built in place: appending each folded continuation to a copied string was quadratic.
                var names = new List<string>();
                var values = new List<StringBuilder>();
                while (true)
                {
                    var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false)
                        ?? throw new EndOfStreamException("the server closed the connection in the middle of the response headers");
                    total += line.Length + 2;
                    if (total > MaxHeaderBytes)
                    {
                        throw new Http11ProtocolException($"the response headers exceed {MaxHeaderBytes / 1024} KB");
                    }

                    if (line.Length == 0)
                    {
                        break;
                    }

                    if (line[0] == ' ' || line[0] == '\t')
                    {
                        // Obsolete line folding (RFC 9112 §5.2): a client may replace it with a space.
                        if (values.Count == 0)
                        {
                            throw new Http11ProtocolException("the response begins with a continuation line");
                        }

                        values[values.Count - 1].Append(' ').Append(line.Trim());
                        continue;
                    }

                    var colon = line.IndexOf(':');
                    if (colon <= 0)
                    {
                        throw new Http11ProtocolException($"the header line '{DisplayText.Shorten(line)}' has no name");
                    }

                    names.Add(line.Substring(0, colon).Trim());
                    values.Add(new StringBuilder(line.Substring(colon + 1).Trim(' ', '\t')));
                }

                var headers = new List<KeyValuePair<string, string>>(names.Count);
                for (var i = 0; i < names.Count; i++)
                {
                    headers.Add(new KeyValuePair<string, string>(names[i], values[i].ToString()));
                }

                if (status >= 100 && status < 200 && status != 101)
                {
                    continue;
                }

                return new Http11ResponseHead(status, headers);
            }
        }

        /// <summary>Reads the body, keeping at most <paramref name="cap"/> + 1 bytes and stopping as soon as the cap is passed.</summary>
        public async Task<CappedBody> ReadBodyAsync(Http11ResponseHead head, int cap, CancellationToken cancellationToken)
        {
            var output = new MemoryStream();
            var transferEncoding = head.Header("Transfer-Encoding");
            if (transferEncoding != null && transferEncoding.Trim().EndsWith("chunked", StringComparison.OrdinalIgnoreCase))
            {
                while (true)
                {
                    var sizeLine = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
                    if (sizeLine is null)
                    {
                        return new CappedBody(output.ToArray(), false, true, null);
                    }

                    var semi = sizeLine.IndexOf(';');
                    var hex = (semi >= 0 ? sizeLine.Substring(0, semi) : sizeLine).Trim();
                    if (hex.Length == 0 || hex.Length > 8 || !long.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
                    {
                        return new CappedBody(output.ToArray(), false, false, $"the chunk size '{DisplayText.Shorten(sizeLine)}' is not valid");
                    }

                    if (size == 0)
                    {
                        // Trailer fields end with an empty line; a missing one after the last chunk is tolerated.
                        string? trailer;
                        do
                        {
                            trailer = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
                        }
                        while (!string.IsNullOrEmpty(trailer));
                        return new CappedBody(output.ToArray(), false, false, null);
                    }

                    var result = await CopyAsync(output, size, cap, cancellationToken).ConfigureAwait(false);
                    if (result != null)
                    {
                        return result;
                    }

                    var end = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
                    if (end is null)
                    {
                        return new CappedBody(output.ToArray(), false, true, null);
                    }

                    if (end.Length != 0)
                    {
                        return new CappedBody(output.ToArray(), false, false, "a chunk is longer than its announced size");
                    }
                }
            }

            var lengthText = head.Header("Content-Length");
            if (lengthText != null)
            {
                if (!long.TryParse(lengthText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var length))
                {
                    return new CappedBody(Array.Empty<byte>(), false, false, $"the Content-Length '{DisplayText.Shorten(lengthText)}' is not a number");
                }

                if (length > cap)
                {
                    return new CappedBody(Array.Empty<byte>(), true, false, null);
                }

                return await CopyAsync(output, length, cap, cancellationToken).ConfigureAwait(false)
                    ?? new CappedBody(output.ToArray(), false, false, null);
            }

            // Close-delimited body (RFC 9112 §6.3 rule 8).
            return await CopyAsync(output, long.MaxValue, cap, cancellationToken).ConfigureAwait(false)
                ?? new CappedBody(output.ToArray(), false, false, null);
        }

        /// <summary>Copies up to <paramref name="count"/> bytes; returns a final result on cap, end of stream (truncation unless close-delimited), else null.</summary>
        private async Task<CappedBody?> CopyAsync(MemoryStream output, long count, int cap, CancellationToken cancellationToken)
        {
            var closeDelimited = count == long.MaxValue;
            while (count > 0)
            {
                if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    return new CappedBody(output.ToArray(), false, !closeDelimited, null);
                }

                var n = (int)Math.Min(count, _end - _start);
                var room = cap + 1 - (int)output.Length;
                var take = Math.Min(n, room);
                output.Write(_buffer, _start, take);
                _start += take;
                count -= take;
                if (output.Length > cap)
                {
                    return new CappedBody(output.ToArray(), true, false, null);
                }
            }

            return null;
        }

        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            _start = 0;
            _end = await _stream.ReadAsync(_buffer, 0, _buffer.Length, cancellationToken).ConfigureAwait(false);
            return _end > 0;
        }

        /// <summary>Reads a line ending in LF (a preceding CR is dropped); null at end of stream before any byte.</summary>
        private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            var line = new StringBuilder();
            var any = false;
            while (true)
            {
                if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (any)
                    {
                        throw new EndOfStreamException("the connection closed in the middle of a line");
                    }

                    return null;
                }

                any = true;
                while (_start < _end)
                {
                    var b = _buffer[_start++];
                    if (b == (byte)'\n')
                    {
                        if (line.Length > 0 && line[line.Length - 1] == '\r')
                        {
                            line.Length--;
                        }

                        return line.ToString();
                    }

                    if (line.Length >= MaxLine)
                    {
                        throw new Http11ProtocolException($"a response line is longer than {MaxLine} bytes");
                    }

                    // Header bytes are ISO-8859-1 (RFC 9110 §5.5).
                    line.Append((char)b);
                }
            }
        }

        private static int ParseStatusLine(string line)
        {
            // status-line = HTTP-version SP status-code SP [ reason-phrase ]
            if (!line.StartsWith("HTTP/", StringComparison.Ordinal) || line.Length < 12 || line[8] != ' ')
            {
                throw new Http11ProtocolException($"'{DisplayText.Shorten(line)}' is not an HTTP status line");
            }

            var code = line.Substring(9, 3);
            if (!int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status < 100)
            {
                throw new Http11ProtocolException($"'{DisplayText.Shorten(line)}' has no valid status code");
            }

            return status;
        }
    }
}
