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
    /// deadline (re-armed when the client sends a command) and stops the session by cancelling its token and closing
    /// the socket when the deadline passes or a limit is exceeded, recording why.
    /// </summary>
    /// <remarks>
    /// The reason (<see cref="TimedOut"/> or <see cref="Violation"/>) is recorded before the token is cancelled. A
    /// cancelled read can resume on another thread at once, and callbacks registered on a token run last-registered
    /// first, so a reason set from a callback registered at construction would be set after the read's own
    /// cancellation callback: under load the prober then saw a cancelled read with no reason and reported a slow
    /// server as a protocol violation. The deadline is therefore a timer of our own, not <c>CancelAfter</c>.
    /// </remarks>
    internal sealed class SmtpSessionGuard : IDisposable
    {
        private readonly TimeSpan _phaseTimeout;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly CancellationTokenSource _linked;
        private readonly CancellationTokenRegistration _closeOnStop;
        private readonly CancellationToken _outer;
        private readonly Timer _deadline;
        private Socket? _socket;
        private int _stopped;
        private volatile bool _timedOut;
        private volatile string? _violation;

        public SmtpSessionGuard(TimeSpan phaseTimeout, CancellationToken outer)
        {
            _phaseTimeout = phaseTimeout;
            _outer = outer;
            _linked = CancellationTokenSource.CreateLinkedTokenSource(outer, _stop.Token);
            _deadline = new Timer(_ => Stop(timedOut: true, violation: null), null, Timeout.Infinite, Timeout.Infinite);
            // Registered first, so it runs after a pending read's own callback: a caller's cancellation (its own reason,
            // CancelledByCaller) reaches the read as a cancellation before the socket is closed under it.
            _closeOnStop = _linked.Token.Register(CloseSocket);
        }

        /// <summary>Cancelled when the deadline passes, a limit is exceeded or the caller cancels.</summary>
        public CancellationToken Token => _linked.Token;

        /// <summary>True when a phase deadline passed; set before <see cref="Token"/> is cancelled.</summary>
        public bool TimedOut => _timedOut;

        /// <summary>The limit that was exceeded, in plain words, or <c>null</c>; set before <see cref="Token"/> is cancelled.</summary>
        public string? Violation => _violation;

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
            if (Volatile.Read(ref _stopped) == 1)
            {
                return;
            }

            try
            {
                _deadline.Change(_phaseTimeout, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
            }
        }

        /// <summary>Stops the session because of a limit.</summary>
        public void Abort(string violation) => Stop(timedOut: false, violation);

        public void Dispose()
        {
            _deadline.Dispose();
            _closeOnStop.Dispose();
            _linked.Dispose();
            _stop.Dispose();
        }

        private void Stop(bool timedOut, string? violation)
        {
            // The first reason wins; a deadline that fires after the caller cancelled is not a timeout.
            if (Interlocked.Exchange(ref _stopped, 1) == 1)
            {
                return;
            }

            if (violation != null)
            {
                _violation = violation;
            }
            else if (timedOut && !_outer.IsCancellationRequested)
            {
                _timedOut = true;
            }

            try
            {
                _stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }

            CloseSocket();
        }

        private void CloseSocket()
        {
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
