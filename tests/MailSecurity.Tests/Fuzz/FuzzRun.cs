using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using CsCheck;
using Xunit.Sdk;

namespace MailSecurity.Tests.Fuzz
{
    /// <summary>
    /// How long each fuzz property runs, and the seed. In the test suite: a fixed number of inputs per target
    /// (<see cref="CiIterations"/>) from a random seed, printed when a property fails. Long runs (<c>build.ps1 -Task Fuzz
    /// -Minutes N</c>) set <c>MAILSECURITY_FUZZ_SECONDS</c> per target; <c>MAILSECURITY_FUZZ_SEED</c> replays one failure;
    /// <c>MAILSECURITY_FUZZ_REPORT</c> names a file that gets one line per target (inputs tried, seconds).
    /// </summary>
    internal static class FuzzRun
    {
        /// <summary>Inputs per target in the normal test run.</summary>
        public const int CiIterations = 1500;

        /// <summary>Seconds per target for a long run, or 0.</summary>
        public static int Seconds => int.TryParse(Environment.GetEnvironmentVariable("MAILSECURITY_FUZZ_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;

        private static string? Seed => Environment.GetEnvironmentVariable("MAILSECURITY_FUZZ_SEED") is { Length: > 0 } s ? s : null;

        /// <summary>Runs <paramref name="property"/> on inputs from <paramref name="gen"/>; a failure names the target, the input and the seed.</summary>
        public static void Check<T>(string target, Gen<T> gen, Action<T> property, Func<T, string> show, int iterations = CiIterations)
        {
            var count = 0L;
            var clock = Stopwatch.StartNew();
            void Counted(T input)
            {
                Interlocked.Increment(ref count);
                property(input);
            }

            try
            {
                // One thread: the machine is shared, and a long run gets its own process per target anyway.
                gen.Sample(Counted, seed: Seed, iter: Seconds > 0 ? -1 : iterations, time: Seconds > 0 ? Seconds : -1, threads: 1, print: show);
            }
            catch (Exception ex) when (ex is not XunitException)
            {
                Report(target, count, clock.Elapsed, "FAILED");
                throw new XunitException($"Fuzz target {target} failed. Reproduce with MAILSECURITY_FUZZ_SEED set to the seed below (build.ps1 -Task Fuzz -Seed <seed>, or the environment variable with dotnet test).{Environment.NewLine}{ex.Message}{Environment.NewLine}Cause: {Cause(ex)}", ex);
            }

            Report(target, count, clock.Elapsed, "ok");
        }

        /// <summary>As <see cref="Check{T}"/>, for asynchronous properties.</summary>
        public static void CheckAsync<T>(string target, Gen<T> gen, Func<T, Task> property, Func<T, string> show, int iterations = CiIterations)
            => Check(target, gen, input => property(input).GetAwaiter().GetResult(), show, iterations);

        private static string Cause(Exception ex)
        {
            var inner = ex.InnerException ?? ex;
            var text = $"{inner.GetType().Name}: {inner.Message}";
            return text.Length > 1500 ? text.Substring(0, 1500) + "..." : text;
        }

        private static void Report(string target, long count, TimeSpan elapsed, string verdict)
        {
            var path = Environment.GetEnvironmentVariable("MAILSECURITY_FUZZ_REPORT");
            if (!string.IsNullOrEmpty(path))
            {
                File.AppendAllText(path, string.Create(CultureInfo.InvariantCulture, $"{target}\t{verdict}\t{count}\t{elapsed.TotalSeconds:0}{Environment.NewLine}"));
            }
        }
    }

    /// <summary>
    /// Complexity as a ratio: the CPU time of this thread (not wall time, so other processes on a loaded 2-core machine do
    /// not count) for an input of size 2n against size n, best of several runs each. A linear parser gives about 2, a
    /// quadratic one about 4; the verdict allows up to 3.
    /// </summary>
    internal static class Growth
    {
        /// <summary>The largest allowed time ratio when the input doubles.</summary>
        public const double MaxRatio = 3.0;

        /// <summary>
        /// Best-of-<paramref name="runs"/> thread CPU time of <paramref name="work"/> at sizes n and 2n, as the ratio
        /// t(2n)/t(n). The size n is grown first until one run takes at least 20 ms, so timer resolution does not decide.
        /// </summary>
        public static (double Ratio, int Size, double SmallMs, double LargeMs) DoublingRatio(Func<int, object?> build, Action<object?> work, int startSize, int maxSize = 64_000_000, int runs = 7)
        {
            var n = startSize;
            var input = build(n);
            var reps = 1;
            work(input); // JIT and tiering
            while (Measure(work, input, 1, reps) < 20 && reps < 1_000_000)
            {
                // Grow the input while the parser's own limits allow it, then repeat the work instead.
                if (2 * n <= maxSize / 2)
                {
                    n *= 2;
                    input = build(n);
                }
                else
                {
                    reps *= 2;
                }
            }

            var large = build(2 * n);
            work(large);
            var small = Measure(work, input, runs, reps);
            while (small < 20 && reps < 1_000_000)
            {
                // The first single run was slowed by the load: the best of several must itself be long enough to time.
                reps *= 2;
                small = Measure(work, input, runs, reps);
            }

            var big = Measure(work, large, runs, reps);
            return (big / small, n, small, big);
        }

        private static double Measure(Action<object?> work, object? input, int runs, int reps)
        {
            var best = double.MaxValue;
            for (var i = 0; i < runs; i++)
            {
                var start = ThreadCpuMilliseconds();
                for (var r = 0; r < reps; r++)
                {
                    work(input);
                }

                best = Math.Min(best, ThreadCpuMilliseconds() - start);
            }

            return best;
        }

        /// <summary>This thread's CPU time (CLOCK_THREAD_CPUTIME_ID on Linux; wall time elsewhere, where this suite does not run).</summary>
        public static double ThreadCpuMilliseconds()
        {
            if (OperatingSystem.IsLinux() && clock_gettime(3, out var ts) == 0)
            {
                return (ts.Seconds * 1000.0) + (ts.Nanoseconds / 1_000_000.0);
            }

            return Stopwatch.GetTimestamp() * 1000.0 / Stopwatch.Frequency;
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct TimeSpec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int clock_gettime(int clockId, out TimeSpec time);
    }
}
