using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MailSecurity.Tests.Smtp
{
    /// <summary>
    /// A recorded SMTP session read from a resource file (Smtp/Transcripts/*.txt): the settings of the probe, the
    /// verdict expected (written by hand from the RFC) and the dialogue, one event a line. The idea is MailKit's
    /// SmtpReplayStream with resource files: the real client talks to a stream that plays the server's side and checks
    /// every command the client sends.
    /// </summary>
    /// <remarks>
    /// Line forms: <c># comment</c>; <c>@name: value</c> a probe setting; <c>= Property: value</c> an expected result
    /// property (<c>(none)</c> for null, lists joined with ", ", <c>Findings</c> the set of codes, <c>ErrorContains</c> a
    /// substring of Error); <c>S: text</c> one server read of text plus CRLF; <c>S~ text</c> one server read of text as
    /// is (no CRLF: a line split across reads, bare LF); <c>S! close</c> the server closes; <c>C: text</c> the command
    /// line the client must send next; <c>C! tls</c> the client starts the TLS handshake (its bytes are not checked).
    /// In S/C text, <c>\r \n \\ \xHH</c> are escapes and <c>{{N*text}}</c> repeats text N times.
    /// </remarks>
    public sealed class SmtpTranscript
    {
        private SmtpTranscript(string name)
        {
            Name = name;
        }

        public string Name { get; }

        public Dictionary<string, string> Settings { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public List<KeyValuePair<string, string>> Expected { get; } = new List<KeyValuePair<string, string>>();

        public List<SmtpReplayEvent> Events { get; } = new List<SmtpReplayEvent>();

        /// <summary>The names of the transcripts embedded in this assembly.</summary>
        public static IEnumerable<string> Names()
            => typeof(SmtpTranscript).Assembly.GetManifestResourceNames()
                .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
                .Select(n => n.Substring(ResourcePrefix.Length))
                .OrderBy(n => n, StringComparer.Ordinal);

        public static SmtpTranscript Load(string name)
        {
            using var stream = typeof(SmtpTranscript).Assembly.GetManifestResourceStream(ResourcePrefix + name)
                ?? throw new InvalidOperationException($"No transcript resource {name}.");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return Parse(name, reader.ReadToEnd());
        }

        public static SmtpTranscript Parse(string name, string text)
        {
            var t = new SmtpTranscript(name);
            var number = 0;
            foreach (var raw in text.Replace("\r\n", "\n").Split('\n'))
            {
                number++;
                var line = raw.TrimEnd();
                if (line.Length == 0 || line.StartsWith("#", StringComparison.Ordinal))
                {
                    continue;
                }

                if (line.StartsWith("@", StringComparison.Ordinal) || line.StartsWith("= ", StringComparison.Ordinal))
                {
                    var body = line.Substring(line[0] == '@' ? 1 : 2);
                    var colon = body.IndexOf(':');
                    if (colon <= 0)
                    {
                        throw new FormatException($"{name} line {number}: expected 'name: value'.");
                    }

                    var key = body.Substring(0, colon).Trim();
                    var value = body.Substring(colon + 1).Trim();
                    if (line[0] == '@')
                    {
                        t.Settings[key] = value;
                    }
                    else
                    {
                        t.Expected.Add(new KeyValuePair<string, string>(key, value));
                    }

                    continue;
                }

                if (line.Length < 2)
                {
                    throw new FormatException($"{name} line {number}: unknown line '{line}'.");
                }

                var payload = line.Length > 3 ? line.Substring(3) : string.Empty;
                t.Events.Add(line.Substring(0, 2) switch
                {
                    "S:" => SmtpReplayEvent.ServerSends(Unescape(payload) + "\r\n"),
                    "S~" => SmtpReplayEvent.ServerSends(Unescape(payload)),
                    "S!" when payload == "close" => SmtpReplayEvent.ServerCloses(),
                    "C:" => SmtpReplayEvent.ClientSends(Unescape(payload)),
                    "C!" when payload == "tls" => SmtpReplayEvent.ClientStartsTls(),
                    _ => throw new FormatException($"{name} line {number}: unknown line '{line}'."),
                });
            }

            return t;
        }

        public string Setting(string key, string fallback) => Settings.TryGetValue(key, out var v) ? v : fallback;

        private const string ResourcePrefix = "Transcripts.";

        private static string Unescape(string s)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < s.Length; i++)
            {
                if (s[i] == '{' && i + 1 < s.Length && s[i + 1] == '{')
                {
                    var end = s.IndexOf("}}", i, StringComparison.Ordinal);
                    var star = s.IndexOf('*', i);
                    if (end < 0 || star < 0 || star > end)
                    {
                        throw new FormatException($"Bad repetition in '{s}'.");
                    }

                    var count = int.Parse(s.Substring(i + 2, star - i - 2), NumberStyles.None, CultureInfo.InvariantCulture);
                    var unit = s.Substring(star + 1, end - star - 1);
                    for (var k = 0; k < count; k++)
                    {
                        sb.Append(unit);
                    }

                    i = end + 1;
                    continue;
                }

                if (s[i] != '\\' || i + 1 >= s.Length)
                {
                    sb.Append(s[i]);
                    continue;
                }

                var c = s[++i];
                switch (c)
                {
                    case 'r': sb.Append('\r'); break;
                    case 'n': sb.Append('\n'); break;
                    case '\\': sb.Append('\\'); break;
                    case 'x':
                        sb.Append((char)Convert.ToByte(s.Substring(i + 1, 2), 16));
                        i += 2;
                        break;
                    default: throw new FormatException($"Unknown escape \\{c} in '{s}'.");
                }
            }

            return sb.ToString();
        }
    }

    /// <summary>One step of a recorded dialogue.</summary>
    public sealed class SmtpReplayEvent
    {
        private SmtpReplayEvent(char side, string? text, bool close, bool tls)
        {
            Side = side;
            Text = text;
            Close = close;
            Tls = tls;
        }

        /// <summary>'S' for the server, 'C' for the client.</summary>
        public char Side { get; }

        /// <summary>Server bytes (as Latin-1 characters) or the client's command line.</summary>
        public string? Text { get; }

        public bool Close { get; }

        public bool Tls { get; }

        public static SmtpReplayEvent ServerSends(string text) => new SmtpReplayEvent('S', text, false, false);

        public static SmtpReplayEvent ServerCloses() => new SmtpReplayEvent('S', null, true, false);

        public static SmtpReplayEvent ClientSends(string line) => new SmtpReplayEvent('C', line, false, false);

        public static SmtpReplayEvent ClientStartsTls() => new SmtpReplayEvent('C', null, false, true);

        public override string ToString()
            => Side == 'S' ? (Close ? "S! close" : "S: " + Text) : (Tls ? "C! tls" : "C: " + Text);
    }

    /// <summary>
    /// The server side of a recorded dialogue as a stream: each read returns the next server event's bytes (one event,
    /// one read, so a reply split across events reaches the client split across reads); each command line the client
    /// writes must be the next client event. A client that reads when it should write, writes something else, or
    /// writes after the server closed is recorded in <see cref="Mismatch"/> and fails its I/O.
    /// </summary>
    public sealed class SmtpReplayStream : Stream
    {
        private static readonly Encoding Latin1 = Encoding.Latin1;
        private readonly IReadOnlyList<SmtpReplayEvent> _events;
        private readonly StringBuilder _clientLine = new StringBuilder();
        private int _next;
        private byte[]? _pending;
        private int _pendingOffset;
        private bool _closed;
        private bool _inTls;

        public SmtpReplayStream(IReadOnlyList<SmtpReplayEvent> events)
        {
            _events = events;
        }

        /// <summary>The first way the client departed from the transcript, or <c>null</c>.</summary>
        public string? Mismatch { get; private set; }

        /// <summary>The events the client did not reach (a close after the client stopped is not one: it need not read it).</summary>
        public IEnumerable<SmtpReplayEvent> Remaining => _events.Skip(_next).Where(e => !e.Close);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override bool CanTimeout => false;

        public override int ReadTimeout { get; set; }

        public override int WriteTimeout { get; set; }

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_pending is null)
            {
                if (_closed || _next >= _events.Count)
                {
                    return 0; // the server has closed (or the recording ends): end of stream
                }

                var e = _events[_next];
                if (e.Side == 'C')
                {
                    return Fail($"the client reads, but the transcript expects it to send '{e}'");
                }

                _next++;
                if (e.Close)
                {
                    _closed = true;
                    return 0;
                }

                _pending = Latin1.GetBytes(e.Text!);
                _pendingOffset = 0;
            }

            var n = Math.Min(count, _pending.Length - _pendingOffset);
            Buffer.BlockCopy(_pending, _pendingOffset, buffer, offset, n);
            _pendingOffset += n;
            if (_pendingOffset >= _pending.Length)
            {
                _pending = null;
            }

            return n;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (_inTls)
            {
                return; // TLS records from the client: not checked
            }

            if (_next < _events.Count && _events[_next].Tls)
            {
                // The first bytes after the 220 to STARTTLS (or from the start with implicit TLS): the ClientHello.
                _next++;
                _inTls = true;
                return;
            }

            for (var i = offset; i < offset + count; i++)
            {
                var c = (char)buffer[i];
                if (c != '\n')
                {
                    _clientLine.Append(c);
                    continue;
                }

                var line = _clientLine.ToString().TrimEnd('\r');
                _clientLine.Clear();
                if (_next >= _events.Count || _events[_next].Side != 'C' || _events[_next].Tls)
                {
                    Fail($"the client sent '{line}', but the transcript expects {(_next < _events.Count ? "'" + _events[_next] + "'" : "nothing more")}");
                }

                if (!string.Equals(line, _events[_next].Text, StringComparison.Ordinal))
                {
                    Fail($"the client sent '{line}', but the transcript expects '{_events[_next]}'");
                }

                _next++;
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult(Read(buffer, offset, count));
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        private int Fail(string why)
        {
            Mismatch ??= why;
            throw new IOException("Replay: " + why + ".");
        }
    }
}
