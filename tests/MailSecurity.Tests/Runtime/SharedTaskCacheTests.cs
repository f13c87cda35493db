using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailSecurity.Runtime;
using Xunit;

namespace MailSecurity.Tests.Runtime
{
    public class SharedTaskCacheTests
    {
        [Fact]
        public async Task Concurrent_requests_for_one_key_share_one_task()
        {
            var cache = new SharedTaskCache<string, int>(100);
            var started = 0;
            var gate = new TaskCompletionSource<int>();
            var tasks = Enumerable.Range(0, 20).Select(i => cache.GetOrStart("k", _ => { Interlocked.Increment(ref started); return gate.Task; }, out _)).ToList();
            gate.SetResult(7);
            Assert.All(await Task.WhenAll(tasks), v => Assert.Equal(7, v));
            Assert.Equal(1, started);
        }

        [Fact]
        public void Keeps_at_most_capacity_entries_and_drops_the_least_recently_used_first()
        {
            var cache = new SharedTaskCache<int, int>(16);
            cache.GetOrStart(0, k => Task.FromResult(k), out _);
            for (var i = 1; i < 100; i++)
            {
                cache.GetOrStart(i, k => Task.FromResult(k), out _);
                // Key 0 is used all the time (a shared SPF provider): it must survive every eviction.
                cache.GetOrStart(0, _ => throw new InvalidOperationException("key 0 was evicted"), out var created);
                Assert.False(created);
            }

            Assert.True(cache.Count <= 16, $"{cache.Count} entries");
            Assert.True(cache.Evictions >= 100 - 16);
            Assert.True(cache.TryGetCompleted(0, out var zero));
            Assert.Equal(0, zero);
            Assert.False(cache.TryGetCompleted(1, out _));
        }

        [Fact]
        public void Never_evicts_work_still_in_flight()
        {
            var cache = new SharedTaskCache<int, int>(16);
            var pending = new TaskCompletionSource<int>();
            cache.GetOrStart(-1, _ => pending.Task, out _);
            for (var i = 0; i < 200; i++)
            {
                cache.GetOrStart(i, k => Task.FromResult(k), out _);
            }

            cache.GetOrStart(-1, _ => throw new InvalidOperationException("in-flight entry was evicted"), out var created);
            Assert.False(created);
        }

        [Fact]
        public async Task A_cancelled_entry_is_not_handed_to_the_next_caller()
        {
            var cache = new SharedTaskCache<string, int>(16);
            using var cts = new CancellationTokenSource();
            cts.Cancel();
            var first = cache.GetOrStart("k", _ => Task.FromCanceled<int>(cts.Token), out _);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
            var second = cache.GetOrStart("k", _ => Task.FromResult(5), out var created);
            Assert.True(created);
            Assert.Equal(5, await second);
        }

        [Fact]
        public async Task A_waiting_caller_can_give_up_while_the_shared_work_goes_on()
        {
            var gate = new TaskCompletionSource<int>();
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SharedTaskCache<string, int>.WaitAsync(gate.Task, cts.Token));
            gate.SetResult(3);
            Assert.Equal(3, await SharedTaskCache<string, int>.WaitAsync(gate.Task, CancellationToken.None));
        }
    }
}
