using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using MailSecurity.Commands;
using Xunit;

namespace MailSecurity.Tests.Commands
{
    /// <summary>
    /// The bridge between the pipeline thread and the per-input work: it must wake the pipeline thread only once the work's
    /// task is complete, so a wake-up always finds the result it announces.
    /// </summary>
    public class PipelineBridgeTests
    {
        [Fact]
        public void Every_wake_up_finds_a_finished_result_and_none_is_lost()
        {
            // The pipeline thread's loop (MailSecurityCmdlet.Pump): take what is finished, else wait. A wake-up raised before
            // the task completed let the thread find the head unfinished and sleep out the whole wait with nothing left to
            // wake it; with a 30 s wait, one lost wake-up in 300 inputs shows as a run of 30 s or more.
            using var bridge = new PipelineBridge(16, CancellationToken.None);
            const int inputs = 300;
            var raisedBeforeDone = 0;
            var raised = 0;
            bridge.CompletionRaised = task =>
            {
                Interlocked.Increment(ref raised);
                if (!task.IsCompleted)
                {
                    Interlocked.Increment(ref raisedBeforeDone);
                }
            };
            for (var i = 0; i < inputs; i++)
            {
                var n = i;
                bridge.Add(n, async ct =>
                {
                    await Task.Yield();
                    return new List<object> { n };
                });
            }

            var clock = Stopwatch.StartNew();
            var taken = new List<object>();
            var waits = 0;
            while (taken.Count < inputs && clock.Elapsed < TimeSpan.FromSeconds(120))
            {
                while (bridge.TryTakeCompleted(out var target, out var task))
                {
                    Assert.True(task.IsCompletedSuccessfully);
                    taken.Add(target);
                }

                if (taken.Count < inputs)
                {
                    var before = clock.Elapsed;
                    bridge.WaitForActivity(TimeSpan.FromSeconds(30));
                    waits++;
                    Assert.True(clock.Elapsed - before < TimeSpan.FromSeconds(25), $"wait {waits} ran into its timeout: a wake-up was lost");
                }
            }

            Assert.Equal(inputs, taken.Count);
            // The last continuations may still be running when the pipeline thread has taken every result.
            SpinWait.SpinUntil(() => Volatile.Read(ref raised) == inputs, TimeSpan.FromSeconds(10));
            Assert.Equal(inputs, Volatile.Read(ref raised)); // one wake-up per input, each after its task completed
            Assert.Equal(0, Volatile.Read(ref raisedBeforeDone));
            for (var i = 0; i < inputs; i++)
            {
                Assert.Equal(i, taken[i]); // results leave in input order
            }
        }
    }
}
