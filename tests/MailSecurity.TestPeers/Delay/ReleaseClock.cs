using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace MailSecurity.TestPeers.Delay
{
    /// <summary>
    /// Releases what the delay proxies hold at its due time, to a fraction of a millisecond: the benchmarks read a ratio
    /// to "round trips × RTT", so the instrument must add the RTT it is told, not the RTT plus timer slack.
    /// </summary>
    /// <remarks>
    /// <para>Why not <c>Task.Delay</c> (what the proxies used until 2026-12-07): a .NET timer has millisecond
    /// granularity, the proxies rounded each wait up to a whole millisecond so as never to release early, and the
    /// callback then waits for a thread-pool thread. That added about 1–1.5 ms each way, 2–3 ms per round trip (measured
    /// with dig, tests/bench/README.md), which the benchmarks charged to the client.</para>
    /// <para>Here one dedicated thread keeps the waiters in a queue ordered by due time. It waits on a monitor while
    /// the next release is more than <see cref="CoarseWindow"/> away (so a new, earlier waiter can wake it), then sleeps
    /// the rest with <c>clock_nanosleep</c> (Linux hrtimers, ~50 µs slack) in slices of <see cref="FineSlice"/>, and
    /// completes the waiters on its own thread: their continuations (a UDP send, a TCP send) run at once, not after a
    /// thread-pool hop.
    /// No spinning: the proxies share the cores with the client under test. Elsewhere than Linux it falls back to
    /// <c>Thread.Sleep(1)</c> steps (the lab and the bench run on Linux only).</para>
    /// </remarks>
    public static class ReleaseClock
    {
        private static readonly long CoarseWindow = Stopwatch.Frequency * 4 / 1000; // 4 ms: a monitor wait may overshoot by ~1 ms
        private static readonly long FineSlice = Stopwatch.Frequency / 2000; // 0.5 ms
        private static readonly object Gate = new();
        private static readonly PriorityQueue<TaskCompletionSource, long> Waiters = new();
        private static readonly bool SleepFallback = !OperatingSystem.IsLinux(); // the lab and the bench run on Linux

        /// <summary>The name of the clock's thread, on which precise waits complete.</summary>
        public const string ThreadName = "delay release clock";

        private static Thread? _thread;

        /// <summary>A task that completes, on the clock's thread, once <see cref="Stopwatch.GetTimestamp"/> reaches <paramref name="dueTimestamp"/>; never before.</summary>
        /// <param name="dueTimestamp">A <see cref="Stopwatch"/> timestamp.</param>
        public static Task WaitUntilAsync(long dueTimestamp)
        {
            if (Stopwatch.GetTimestamp() >= dueTimestamp)
            {
                return Task.CompletedTask;
            }

            // Continuations run on the clock thread (no RunContinuationsAsynchronously): that is the point.
            var waiter = new TaskCompletionSource();
            lock (Gate)
            {
                EnsureThread();
                var head = Waiters.TryPeek(out _, out var headDue) ? headDue : long.MaxValue;
                Waiters.Enqueue(waiter, dueTimestamp);
                if (dueTimestamp < head)
                {
                    Monitor.Pulse(Gate);
                }
            }

            return waiter.Task;
        }

        private static void EnsureThread()
        {
            if (_thread is not null)
            {
                return;
            }

            _thread = new Thread(Run) { IsBackground = true, Name = ThreadName };
            _thread.Start();
        }

        private static void Run()
        {
            var due = new List<TaskCompletionSource>();
            while (true)
            {
                long sleepUntil;
                lock (Gate)
                {
                    while (!Waiters.TryPeek(out _, out sleepUntil))
                    {
                        Monitor.Wait(Gate);
                    }

                    var now = Stopwatch.GetTimestamp();
                    if (sleepUntil <= now)
                    {
                        while (Waiters.TryPeek(out var waiter, out var at) && at <= now)
                        {
                            Waiters.Dequeue();
                            due.Add(waiter);
                        }
                    }
                    else if (sleepUntil - now > CoarseWindow)
                    {
                        // Far away: wait where Enqueue can wake us, and stop 3 ms early (a monitor wait overshoots).
                        var ms = (int)((sleepUntil - now) * 1000 / Stopwatch.Frequency) - 3;
                        Monitor.Wait(Gate, Math.Max(ms, 1));
                        continue;
                    }
                }

                if (due.Count == 0)
                {
                    // Near: sleep precisely, in slices, so that a new, earlier waiter is at most a slice late.
                    SleepUntil(Math.Min(sleepUntil, Stopwatch.GetTimestamp() + FineSlice));
                    continue;
                }

                foreach (var waiter in due)
                {
                    try
                    {
                        waiter.TrySetResult();
                    }
                    catch (Exception ex)
                    {
                        // A continuation that throws synchronously must not stop the clock for everyone else.
                        Console.Error.WriteLine($"delay release clock: {ex.GetType().Name}: {ex.Message}");
                    }
                }

                due.Clear();
            }
        }

        private static void SleepUntil(long dueTimestamp)
        {
            while (true)
            {
                var remaining = dueTimestamp - Stopwatch.GetTimestamp();
                if (remaining <= 0)
                {
                    return;
                }

                if (SleepFallback)
                {
                    Thread.Sleep(1);
                    continue;
                }

                var ns = (long)(remaining * (1_000_000_000.0 / Stopwatch.Frequency));
                var request = new Timespec { Seconds = ns / 1_000_000_000, Nanoseconds = ns % 1_000_000_000 };
                _ = ClockNanosleep(ClockMonotonic, 0, ref request, IntPtr.Zero); // EINTR or done: the loop re-checks
            }
        }

        private const int ClockMonotonic = 1;

        [StructLayout(LayoutKind.Sequential)]
        private struct Timespec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        [DllImport("libc", EntryPoint = "clock_nanosleep")]
        private static extern int ClockNanosleep(int clockId, int flags, ref Timespec request, IntPtr remain);
    }
}
