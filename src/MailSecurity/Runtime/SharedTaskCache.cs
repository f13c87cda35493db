using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace MailSecurity.Runtime
{
    /// <summary>
    /// A run-scoped cache of asynchronous results. Concurrent requests for one key share one task, completed results
    /// are reused, and at most <see cref="Capacity"/> entries are kept — the least recently used completed ones go first —
    /// so that memory stays flat however many inputs a bulk run has, while results many inputs share stay hot.
    /// </summary>
    /// <typeparam name="TKey">The key.</typeparam>
    /// <typeparam name="TValue">The result.</typeparam>
    internal sealed class SharedTaskCache<TKey, TValue>
        where TKey : notnull
    {
        private readonly ConcurrentDictionary<TKey, Entry> _entries;
        private long _clock;
        private long _evictions;
        private int _count;
        private int _evicting;

        public SharedTaskCache(int capacity, IEqualityComparer<TKey>? comparer = null)
        {
            Capacity = Math.Max(16, capacity);
            // One lock per processor (the default) had hundreds of in-flight questions of a bulk run queue for two locks
            // (issue 16); 32 stripes cost a few objects.
            _entries = new ConcurrentDictionary<TKey, Entry>(32, 31, comparer ?? EqualityComparer<TKey>.Default);
        }

        /// <summary>Most entries kept.</summary>
        public int Capacity { get; }

        /// <summary>Entries held now.</summary>
        public int Count => Volatile.Read(ref _count);

        /// <summary>Completed entries dropped to respect <see cref="Capacity"/>.</summary>
        public long Evictions => Interlocked.Read(ref _evictions);

        /// <summary>The shared task for <paramref name="key"/>, started with <paramref name="factory"/> when none is held.</summary>
        /// <param name="key">The key.</param>
        /// <param name="factory">Starts the work; runs at most once per held entry.</param>
        /// <param name="created">True when this call started the work (a cache miss).</param>
        public Task<TValue> GetOrStart(TKey key, Func<TKey, Task<TValue>> factory, out bool created)
        {
            // TryGetValue/TryAdd rather than GetOrAdd: GetOrAdd may run its factory for an entry it then discards, so it
            // cannot tell this caller whether it added the entry, and the count of entries is kept here because
            // ConcurrentDictionary.Count takes every lock of the dictionary (it was a hot spot in bulk runs, issue 16).
            var made = false;
            Entry? entry;
            while (!_entries.TryGetValue(key, out entry))
            {
                var fresh = new Entry(new Lazy<Task<TValue>>(() => factory(key), LazyThreadSafetyMode.ExecutionAndPublication));
                if (_entries.TryAdd(key, fresh))
                {
                    entry = fresh;
                    made = true;
                    Interlocked.Increment(ref _count);
                    break;
                }
            }

            entry.Touch(Interlocked.Increment(ref _clock));
            created = made;
            var task = entry.Value.Value;
            if (task.IsCanceled)
            {
                // A cancelled run leaves cancelled entries; a later caller must not inherit them.
                Remove(new KeyValuePair<TKey, Entry>(key, entry));
            }

            if (made && Volatile.Read(ref _count) > Capacity)
            {
                Evict();
            }

            return task;
        }

        /// <summary>A completed result for <paramref name="key"/>, without starting anything.</summary>
        public bool TryGetCompleted(TKey key, out TValue value)
        {
            if (_entries.TryGetValue(key, out var entry) && entry.Value.IsValueCreated && entry.Value.Value.Status == TaskStatus.RanToCompletion)
            {
                value = entry.Value.Value.Result;
                return true;
            }

            value = default!;
            return false;
        }

        /// <summary>
        /// Waits for a shared task with this caller's token: the caller stops waiting when cancelled, while the shared
        /// work (tied to the run) goes on for the others.
        /// </summary>
        public static async Task<T> WaitAsync<T>(Task<T> task, CancellationToken cancellationToken)
        {
            if (!cancellationToken.CanBeCanceled || task.IsCompleted)
            {
                return await task.ConfigureAwait(false);
            }

#if NET6_0_OR_GREATER
            // The runtime's own wait: one allocation, where the portable way below costs a promise, a registration and a
            // WhenAny per question (a measurable share of a bulk run, tests/bench/README.md).
            return await task.WaitAsync(cancellationToken).ConfigureAwait(false);
#else
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
            {
                if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
                {
                    throw new OperationCanceledException(cancellationToken);
                }
            }

            return await task.ConfigureAwait(false);
#endif
        }

        private bool Remove(KeyValuePair<TKey, Entry> pair)
        {
            if (((ICollection<KeyValuePair<TKey, Entry>>)_entries).Remove(pair))
            {
                Interlocked.Decrement(ref _count);
                return true;
            }

            return false;
        }

        private void Evict()
        {
            if (Interlocked.CompareExchange(ref _evicting, 1, 0) != 0)
            {
                return;
            }

            try
            {
                // Drop to three quarters of the capacity, oldest use first, never an entry still in flight.
                var target = Capacity * 3 / 4;
                var excess = Volatile.Read(ref _count) - target;
                if (excess <= 0)
                {
                    return;
                }

                var victims = _entries
                    .Where(kv => kv.Value.Value.IsValueCreated && kv.Value.Value.Value.IsCompleted)
                    .OrderBy(kv => kv.Value.LastUse)
                    .Take(excess)
                    .ToList();
                foreach (var victim in victims)
                {
                    if (Remove(victim))
                    {
                        Interlocked.Increment(ref _evictions);
                    }
                }
            }
            finally
            {
                Interlocked.Exchange(ref _evicting, 0);
            }
        }

        private sealed class Entry
        {
            private long _lastUse;

            public Entry(Lazy<Task<TValue>> value) => Value = value;

            public Lazy<Task<TValue>> Value { get; }

            public long LastUse => Interlocked.Read(ref _lastUse);

            public void Touch(long tick) => Interlocked.Exchange(ref _lastUse, tick);
        }
    }
}
