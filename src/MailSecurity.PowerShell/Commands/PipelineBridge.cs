using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MailSecurity.Commands
{
    /// <summary>
    /// Runs per-input work off the pipeline thread with bounded concurrency and hands the results back in
    /// input order. The pipeline thread never blocks on a task: it waits on a signal that completions and
    /// log messages raise, so it can write progress and verbose output and react to Ctrl+C while waiting.
    /// </summary>
    internal sealed class PipelineBridge : IDisposable
    {
        private readonly Queue<Entry> _window = new Queue<Entry>();
        private readonly SemaphoreSlim _throttle;
        // An event that does not spin: a SemaphoreSlim spins before it blocks, and the pipeline thread waking for every
        // completion of a bulk run spent a tenth of the run's CPU spinning there (issue 16). Set after the data it
        // announces is queued; the pipeline thread resets it before it drains, so no announcement is lost.
        private readonly ManualResetEventSlim _signal = new ManualResetEventSlim(false, spinCount: 0);
        // 1 once the signal has been raised since the pipeline thread last reset it: only the first completion of a wake
        // cycle takes the event's lock. With 64 inputs in flight every worker setting the event contended for that lock
        // with the waking pipeline thread, a tenth of a bulk run's busy CPU (tests/bench/README.md, issue 16).
        private int _raised;
        private readonly ConcurrentQueue<string> _messages = new ConcurrentQueue<string>();
        private readonly CancellationToken _cancellationToken;

        public PipelineBridge(int throttleLimit, CancellationToken cancellationToken)
        {
            ThrottleLimit = Math.Max(1, throttleLimit);
            // Results finished ahead of a slow head wait here; the bound keeps memory flat for any input size.
            WindowSize = Math.Max(16, ThrottleLimit * 4);
            _throttle = new SemaphoreSlim(ThrottleLimit);
            _cancellationToken = cancellationToken;
        }

        public int ThrottleLimit { get; }

        public int WindowSize { get; }

        public int Pending => _window.Count;

        public int Started { get; private set; }

        public int Completed { get; private set; }

        /// <summary>Queues work for one input. Must be called on the pipeline thread.</summary>
        public void Add(object target, Func<CancellationToken, Task<IReadOnlyList<object>>> work)
        {
            Started++;
            var task = RunAsync(work);
            // Raised once the task has completed, not from inside it: a raise from the work's own finally block came before
            // the task was done, so the pipeline thread could wake, find the head unfinished, and sleep out its 200 ms
            // wait with nothing left to wake it (seen as 370 ms instead of 170 ms in single-domain latency runs).
            task.ContinueWith(static (done, state) => ((PipelineBridge)state!).OnWorkCompleted(done), this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            _window.Enqueue(new Entry(target, task));
        }

        /// <summary>Queues an input whose outcome is already known (e.g. a validation error), keeping its place in order.</summary>
        public void AddCompleted(object target, IReadOnlyList<object> outputs)
        {
            Started++;
            _window.Enqueue(new Entry(target, Task.FromResult(outputs)));
        }

        /// <summary>A message to write on the pipeline thread (e.g. a DNS query for -Verbose). Thread-safe.</summary>
        public void PostMessage(string message)
        {
            _messages.Enqueue(message);
            Raise();
        }

        public bool TryDequeueMessage(out string message) => _messages.TryDequeue(out message!);

        /// <summary>Removes the head entry when its work has finished.</summary>
        public bool TryTakeCompleted(out object target, out Task<IReadOnlyList<object>> task)
        {
            if (_window.Count > 0 && _window.Peek().Task.IsCompleted)
            {
                var e = _window.Dequeue();
                Completed++;
                target = e.Target;
                task = e.Task;
                return true;
            }

            target = null!;
            task = null!;
            return false;
        }

        /// <summary>Waits until something completes or a message arrives, or the timeout passes.</summary>
        /// <exception cref="OperationCanceledException">The run was stopped.</exception>
        public void WaitForActivity(TimeSpan timeout)
        {
            _signal.Wait(timeout, _cancellationToken);
            _signal.Reset();
            // After the reset, before the caller drains: whoever raised since then sees 0 and sets the event again; whoever
            // saw 1 queued its data before this exchange, so the drain that follows finds it. Interlocked: a full fence.
            Interlocked.Exchange(ref _raised, 0);
        }

        /// <summary>Wakes the pipeline thread, after the data it announces is queued.</summary>
        private void Raise()
        {
            if (Interlocked.Exchange(ref _raised, 1) == 0)
            {
                _signal.Set();
            }
        }

        public void Dispose()
        {
            _throttle.Dispose();
            _signal.Dispose();
        }

        private async Task<IReadOnlyList<object>> RunAsync(Func<CancellationToken, Task<IReadOnlyList<object>>> work)
        {
            await _throttle.WaitAsync(_cancellationToken).ConfigureAwait(false);
            try
            {
                // Task.Run: the work's synchronous prefix must not run on the pipeline thread.
                return await Task.Run(() => work(_cancellationToken), _cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _throttle.Release();
            }
        }

        /// <summary>For tests: called with each input's task when its completion wakes the pipeline thread.</summary>
        internal Action<Task>? CompletionRaised { get; set; }

        private void OnWorkCompleted(Task done)
        {
            CompletionRaised?.Invoke(done);
            RaiseUnlessDisposed();
        }

        private void RaiseUnlessDisposed()
        {
            try
            {
                Raise();
            }
            catch (ObjectDisposedException)
            {
                // The command already ended (stopped); nobody is waiting.
            }
        }

        private readonly struct Entry
        {
            public Entry(object target, Task<IReadOnlyList<object>> task)
            {
                Target = target;
                Task = task;
            }

            public object Target { get; }

            public Task<IReadOnlyList<object>> Task { get; }
        }
    }
}
