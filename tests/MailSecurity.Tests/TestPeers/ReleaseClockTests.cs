using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailSecurity.TestPeers.Delay;
using Xunit;

namespace MailSecurity.Tests.TestPeers
{
    /// <summary>
    /// The delay proxies' release clock (the bench's instrument): never releases early, releases in due order, wakes
    /// for an earlier waiter that arrives while it waits for a later one, and runs continuations on its own thread.
    /// No assertion here is about how late a release is: that is the bench's business (tests/bench/README.md).
    /// </summary>
    public class ReleaseClockTests
    {
        private static long In(double milliseconds) => Stopwatch.GetTimestamp() + (long)(milliseconds * Stopwatch.Frequency / 1000);

        [Fact]
        public async Task Releases_never_early_and_in_due_order_whatever_the_order_of_arrival()
        {
            var random = new Random(7);
            var dues = Enumerable.Range(0, 300).Select(_ => In(100 + (random.NextDouble() * 40))).ToArray();
            var released = new ConcurrentQueue<(long Due, long Called, long At, string? Thread)>();
            var waits = dues.Select(async due =>
            {
                var called = Stopwatch.GetTimestamp();
                await ReleaseClock.WaitUntilAsync(due).ConfigureAwait(false);
                released.Enqueue((due, called, Stopwatch.GetTimestamp(), Thread.CurrentThread.Name));
            }).ToArray();
            await Task.WhenAll(waits);

            var all = released.ToArray();
            Assert.Equal(dues.Length, all.Length);
            Assert.All(all, r => Assert.True(r.At >= r.Due, $"released {(r.Due - r.At) * 1000.0 / Stopwatch.Frequency:F3} ms early"));

            // A wait whose time has already come when it is asked for completes at once on the caller's thread; every
            // other one is released by the clock's thread, in due order.
            var byClock = all.Where(r => r.Thread == ReleaseClock.ThreadName).ToArray();
            Assert.All(all.Except(byClock), r => Assert.True(r.Called >= r.Due, "a future wait completed off the clock's thread"));
            Assert.NotEmpty(byClock);
            Assert.Equal(byClock.Select(r => r.Due).OrderBy(d => d), byClock.Select(r => r.Due));
        }

        [Fact]
        public async Task An_earlier_waiter_that_arrives_during_a_long_wait_is_released_before_the_later_due_time()
        {
            var lateDue = In(400);
            var late = ReleaseClock.WaitUntilAsync(lateDue);
            await Task.Delay(20);
            await ReleaseClock.WaitUntilAsync(In(30));
            var releasedAt = Stopwatch.GetTimestamp();
            Assert.True(releasedAt < lateDue, "the clock slept through an earlier waiter until the later due time");
            Assert.False(late.IsCompleted);
            await late;
        }

        [Fact]
        public void A_due_time_already_past_completes_at_once()
        {
            Assert.True(ReleaseClock.WaitUntilAsync(Stopwatch.GetTimestamp() - 1).IsCompleted);
        }
    }
}
