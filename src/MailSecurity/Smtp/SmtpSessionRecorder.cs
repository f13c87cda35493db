using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;
using MailKit;

namespace MailSecurity.Smtp
{
    /// <summary>One complete SMTP reply as recorded.</summary>
    internal sealed class SmtpReply
    {
        public SmtpReply(int code, IReadOnlyList<string> texts, string? command, bool insideTls, TimeSpan at)
        {
            Code = code;
            Texts = texts;
            Command = command;
            InsideTls = insideTls;
            At = at;
        }

        public int Code { get; }

        public IReadOnlyList<string> Texts { get; }

        /// <summary>The verb the reply answers (EHLO, HELO, STARTTLS, QUIT...), or <c>null</c> for the greeting.</summary>
        public string? Command { get; }

        public bool InsideTls { get; }

        public TimeSpan At { get; }

        public string OneLine() => Code.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + string.Join(" ", Texts);
    }

    /// <summary>
    /// MailKit's protocol logger for a probe: it sees the plaintext SMTP dialogue on both sides of STARTTLS, so it
    /// is where the greeting, the EHLO replies before and after TLS, the STARTTLS reply, the phase boundaries and the
    /// transcript come from (MailKit itself only exposes the capabilities of the last EHLO). It also enforces the
    /// per-reply limits (line length, lines per reply) and re-arms the phase deadline on every command sent.
    /// Client lines that could carry secrets (AUTH and everything after a 334 challenge) are redacted.
    /// </summary>
    internal sealed class SmtpSessionRecorder : IProtocolLogger
    {
        private const int MaxStoredLines = 400;
        private readonly SmtpSessionGuard _guard;
        private readonly Stopwatch _clock;
        private readonly int _maxReplyLines;
        private readonly int _maxLineLength;
        private readonly object _gate = new object();
        private readonly List<SmtpTranscriptLine> _transcript = new List<SmtpTranscriptLine>();
        private readonly List<SmtpReply> _replies = new List<SmtpReply>();
        private readonly Queue<string> _pendingCommands = new Queue<string>();
        private readonly List<(SmtpProbePhase Phase, TimeSpan Start)> _phases = new List<(SmtpProbePhase, TimeSpan)>();
        private readonly StringBuilder _serverLine = new StringBuilder();
        private readonly List<string> _replyTexts = new List<string>();
        private int _droppedLines;
        private bool _inAuthExchange;

        public SmtpSessionRecorder(SmtpSessionGuard guard, Stopwatch clock, int maxReplyLines, int maxLineLength, bool implicitTls)
        {
            _guard = guard;
            _clock = clock;
            _maxReplyLines = maxReplyLines;
            _maxLineLength = maxLineLength;
            InsideTls = implicitTls;
        }

        public IAuthenticationSecretDetector? AuthenticationSecretDetector { get; set; }

        /// <summary>Called once, when the first command inside TLS is written (the handshake is complete by then).</summary>
        public Action? OnFirstTlsCommand { get; set; }

        /// <summary>True once the TLS session has started (after the 220 to STARTTLS, or from the start with implicit TLS).</summary>
        public bool InsideTls { get; private set; }

        /// <summary>The first reply line that was not an SMTP reply, or <c>null</c>.</summary>
        public string? MalformedLine { get; private set; }

        /// <summary>The longest server line seen, in octets including CRLF.</summary>
        public int LongestLine { get; private set; }

        /// <summary>Bytes of server data seen in plaintext.</summary>
        public long ServerBytes { get; private set; }

        public IReadOnlyList<SmtpReply> Replies
        {
            get
            {
                lock (_gate)
                {
                    return _replies.ToArray();
                }
            }
        }

        public IReadOnlyList<SmtpTranscriptLine> Transcript
        {
            get
            {
                lock (_gate)
                {
                    var list = new List<SmtpTranscriptLine>(_transcript);
                    if (_droppedLines > 0)
                    {
                        list.Add(new SmtpTranscriptLine(_clock.Elapsed, SmtpTranscriptDirection.Note, $"[{_droppedLines} more line(s) not kept]"));
                    }

                    if (_serverLine.Length > 0)
                    {
                        list.Add(new SmtpTranscriptLine(_clock.Elapsed, SmtpTranscriptDirection.Server, Clip(_serverLine.ToString()) + " [incomplete line]"));
                    }

                    return list;
                }
            }
        }

        /// <summary>The phase the session is in (the last one started).</summary>
        public SmtpProbePhase CurrentPhase
        {
            get
            {
                lock (_gate)
                {
                    return _phases.Count == 0 ? SmtpProbePhase.Connect : _phases[_phases.Count - 1].Phase;
                }
            }
        }

        /// <summary>Durations of each phase started, the last one ending at <paramref name="end"/>.</summary>
        public IReadOnlyList<SmtpPhaseTiming> Timings(TimeSpan end)
        {
            lock (_gate)
            {
                var list = new List<SmtpPhaseTiming>();
                for (var i = 0; i < _phases.Count; i++)
                {
                    var stop = i + 1 < _phases.Count ? _phases[i + 1].Start : end;
                    list.Add(new SmtpPhaseTiming(_phases[i].Phase, stop - _phases[i].Start));
                }

                return list;
            }
        }

        /// <summary>Starts a phase (and its deadline).</summary>
        public void BeginPhase(SmtpProbePhase phase)
        {
            lock (_gate)
            {
                if (_phases.Count == 0 || _phases[_phases.Count - 1].Phase != phase)
                {
                    _phases.Add((phase, _clock.Elapsed));
                }
            }

            _guard.Arm();
        }

        public void Note(string text)
        {
            lock (_gate)
            {
                Store(SmtpTranscriptDirection.Note, text);
            }
        }

        public void LogConnect(Uri uri)
        {
            // The prober writes its own note with the address actually connected to.
        }

        public void LogClient(byte[] buffer, int offset, int count)
        {
            if (InsideTls)
            {
                var first = OnFirstTlsCommand;
                OnFirstTlsCommand = null;
                first?.Invoke();
            }

            var text = Encoding.ASCII.GetString(buffer, offset, count);
            foreach (var raw in text.Split(new[] { "\r\n" }, StringSplitOptions.RemoveEmptyEntries))
            {
                var line = raw.TrimEnd('\n', '\r');
                var verb = Verb(line);
                string shown;
                if (string.Equals(verb, "AUTH", StringComparison.OrdinalIgnoreCase))
                {
                    // Keep the mechanism, never an initial response.
                    var parts = line.Split(' ');
                    shown = parts.Length > 1 ? $"AUTH {parts[1]} [redacted]" : "AUTH";
                    _inAuthExchange = true;
                }
                else if (_inAuthExchange || (AuthenticationSecretDetector?.DetectSecrets(buffer, offset, count).Count ?? 0) > 0)
                {
                    shown = "[redacted]";
                }
                else
                {
                    shown = line;
                }

                lock (_gate)
                {
                    Store(SmtpTranscriptDirection.Client, shown);
                    if (!_inAuthExchange || string.Equals(verb, "AUTH", StringComparison.OrdinalIgnoreCase))
                    {
                        _pendingCommands.Enqueue(verb.ToUpperInvariant());
                    }
                }

                var phase = verb.ToUpperInvariant() switch
                {
                    "EHLO" or "HELO" => InsideTls ? SmtpProbePhase.EhloAfterTls : SmtpProbePhase.Ehlo,
                    "STARTTLS" => SmtpProbePhase.StartTls,
                    "QUIT" => SmtpProbePhase.Quit,
                    _ => CurrentPhase,
                };
                BeginPhase(phase);
            }
        }

        public void LogServer(byte[] buffer, int offset, int count)
        {
            lock (_gate)
            {
                ServerBytes += count;
                for (var i = offset; i < offset + count; i++)
                {
                    var b = buffer[i];
                    if (b == (byte)'\n')
                    {
                        var length = _serverLine.Length + 1;
                        if (_serverLine.Length > 0 && _serverLine[_serverLine.Length - 1] == '\r')
                        {
                            _serverLine.Length--;
                        }

                        LongestLine = Math.Max(LongestLine, length);
                        var line = _serverLine.ToString();
                        _serverLine.Clear();
                        OnServerLine(line);
                        continue;
                    }

                    if (_serverLine.Length >= _maxLineLength)
                    {
                        LongestLine = Math.Max(LongestLine, _serverLine.Length);
                        _guard.Abort($"a reply line is longer than {_maxLineLength} octets");
                        return;
                    }

                    _serverLine.Append(b < 0x80 ? (char)b : '\uFFFD');
                }
            }
        }

        public void Dispose()
        {
        }

        private void OnServerLine(string line)
        {
            Store(SmtpTranscriptDirection.Server, line);
            if (!EhloCapabilities.TryParseReplyLine(line, out var code, out var isLast, out var text))
            {
                MalformedLine ??= line;
                // The client library fails the command whose reply this line breaks: that reply and its command are
                // abandoned, so a later reply (the 221 to the probe's own QUIT) is not taken as the answer to it.
                _replyTexts.Clear();
                if (_pendingCommands.Count > 0)
                {
                    _pendingCommands.Dequeue();
                }

                return;
            }

            _replyTexts.Add(text);
            if (_replyTexts.Count > _maxReplyLines)
            {
                _guard.Abort($"a reply has more than {_maxReplyLines} lines");
                return;
            }

            if (!isLast)
            {
                return;
            }

            var command = _pendingCommands.Count > 0 ? _pendingCommands.Dequeue() : null;
            var reply = new SmtpReply(code, _replyTexts.ToArray(), command, InsideTls, _clock.Elapsed);
            _replyTexts.Clear();
            _replies.Add(reply);
            if (code == 334)
            {
                _inAuthExchange = true;
            }
            else if (command == "AUTH" || _inAuthExchange)
            {
                _inAuthExchange = code == 334;
            }

            if (command == "STARTTLS" && code == 220)
            {
                // RFC 3207 §4.2: everything after this reply is inside TLS.
                InsideTls = true;
                _phases.Add((SmtpProbePhase.TlsHandshake, _clock.Elapsed));
                _guard.Arm();
            }
        }

        private void Store(SmtpTranscriptDirection direction, string text)
        {
            if (_transcript.Count >= MaxStoredLines)
            {
                _droppedLines++;
                return;
            }

            _transcript.Add(new SmtpTranscriptLine(_clock.Elapsed, direction, Clip(text)));
        }

        private static string Clip(string text)
        {
            // Printable escapes control characters and cuts after 256 characters (marking the cut with "...").
            var printable = Dns.DomainName.Printable(text);
            return text.Length > 256 ? printable + $" [{text.Length} octets]" : printable;
        }

        private static string Verb(string line)
        {
            var space = line.IndexOf(' ');
            return space < 0 ? line : line.Substring(0, space);
        }
    }
}
