using System;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace MailSecurity.Smtp
{
    /// <summary>
    /// Bounds one probe session in time and size. MailKit's own Timeout restarts with every read, so a server that
    /// drips one byte at a time never times out, and it reads a reply of any size; this guard gives each phase a
    /// deadline (re-armed when the client sends a command) and stops the session by closing the socket when the
    /// deadline passes or a limit is exceeded, recording why.
    /// </summary>
    internal sealed class SmtpSessionGuard : IDisposable
    {
        private readonly TimeSpan _phaseTimeout;
        private readonly CancellationTokenSource _watchdog = new CancellationTokenSource();
        private readonly CancellationTokenSource _linked;
        private readonly CancellationTokenRegistration _registration;
        private readonly CancellationToken _outer;
        private Socket? _socket;
        private int _stopped;

        public SmtpSessionGuard(TimeSpan phaseTimeout, CancellationToken outer)
        {
            _phaseTimeout = phaseTimeout;
            _outer = outer;
            _linked = CancellationTokenSource.CreateLinkedTokenSource(outer, _watchdog.Token);
            _registration = _linked.Token.Register(OnStop);
        }

        /// <summary>Cancelled when the deadline passes, a limit is exceeded or the caller cancels.</summary>
        public CancellationToken Token => _linked.Token;

        /// <summary>True when a phase deadline passed.</summary>
        public bool TimedOut { get; private set; }

        /// <summary>The limit that was exceeded, in plain words, or <c>null</c>.</summary>
        public string? Violation { get; private set; }

        /// <summary>True when the caller (not the guard) cancelled.</summary>
        public bool CancelledByCaller => _outer.IsCancellationRequested && !TimedOut && Violation is null;

        /// <summary>The socket to close when the session must stop.</summary>
        public Socket? Socket
        {
            set => _socket = value;
        }

        /// <summary>Starts (or restarts) the current phase's deadline.</summary>
        public void Arm()
        {
            try
            {
                _watchdog.CancelAfter(_phaseTimeout);
            }
            catch (ObjectDisposedException)
            {
            }
        }

        /// <summary>Stops the session because of a limit.</summary>
        public void Abort(string violation)
        {
            if (Violation is null && !TimedOut)
            {
                Violation = violation;
            }

            try
            {
                _watchdog.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        public void Dispose()
        {
            _registration.Dispose();
            _linked.Dispose();
            _watchdog.Dispose();
        }

        private void OnStop()
        {
            if (Interlocked.Exchange(ref _stopped, 1) == 1)
            {
                return;
            }

            if (Violation is null && !_outer.IsCancellationRequested)
            {
                TimedOut = true;
            }

            try
            {
                // Closing the socket fails every pending read or handshake at once, whatever API it is in.
                _socket?.Dispose();
            }
            catch (Exception)
            {
            }
        }
    }

    /// <summary>
    /// The socket stream handed to MailKit, counting every byte read (TLS records included) so that no server can
    /// make the probe read, or MailKit buffer, more than the session limit. Disposing it leaves the socket stream
    /// open: the prober owns the socket and may still need it to say QUIT after MailKit gave up.
    /// </summary>
    internal sealed class GuardedStream : Stream
    {
        private readonly Stream _inner;
        private readonly SmtpSessionGuard _guard;
        private readonly long _maxBytes;
        private long _read;

        public GuardedStream(Stream inner, SmtpSessionGuard guard, long maxBytes)
        {
            _inner = inner;
            _guard = guard;
            _maxBytes = maxBytes;
        }

        public long BytesRead => Interlocked.Read(ref _read);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int ReadTimeout
        {
            get => _inner.ReadTimeout;
            set => _inner.ReadTimeout = value;
        }

        public override int WriteTimeout
        {
            get => _inner.WriteTimeout;
            set => _inner.WriteTimeout = value;
        }

        public override bool CanTimeout => _inner.CanTimeout;

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = _inner.Read(buffer, offset, Allowance(count));
            return Count(n);
        }

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            var n = await _inner.ReadAsync(buffer, offset, Allowance(count), cancellationToken).ConfigureAwait(false);
            return Count(n);
        }

        public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => _inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override void Flush() => _inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        private int Allowance(int count)
        {
            var left = _maxBytes - BytesRead;
            if (left <= 0)
            {
                _guard.Abort($"the server sent more than {_maxBytes} bytes in one session");
                throw new IOException($"Session limit of {_maxBytes} bytes reached.");
            }

            return (int)Math.Min(count, left);
        }

        private int Count(int n)
        {
            if (n > 0)
            {
                Interlocked.Add(ref _read, n);
            }

            return n;
        }
    }
}
