using System;
using System.Threading;
using MailSecurity.Smtp;
using Xunit;

namespace MailSecurity.Tests.Smtp
{
    /// <summary>
    /// The guard's reason for stopping a session must be visible to whatever its cancellation wakes up. A pending read
    /// registers its own callback on the guard's token after the guard was created, and a token runs its callbacks
    /// last-registered first: a reason recorded from a callback of the guard's own ran after the read had resumed, and a
    /// slow server was reported as a protocol violation under load (Pester: slow-drip peer, Desktop pass).
    /// </summary>
    public sealed class SmtpSessionGuardTests
    {
        [Fact]
        public void A_deadline_is_recorded_before_the_token_wakes_a_pending_read()
        {
            using var guard = new SmtpSessionGuard(TimeSpan.FromMilliseconds(50), CancellationToken.None);
            bool? timedOutSeenByRead = null;
            string? violationSeenByRead = "unset";
            using var woken = new ManualResetEventSlim();
            // What a read does: register on the token after the guard exists.
            using var registration = guard.Token.Register(() =>
            {
                timedOutSeenByRead = guard.TimedOut;
                violationSeenByRead = guard.Violation;
                woken.Set();
            });

            guard.Arm();
            Assert.True(woken.Wait(TimeSpan.FromSeconds(10)), "the deadline never fired");
            Assert.True(timedOutSeenByRead);
            Assert.Null(violationSeenByRead);
            Assert.False(guard.CancelledByCaller);
        }

        [Fact]
        public void A_limit_is_recorded_before_the_token_wakes_a_pending_read()
        {
            using var guard = new SmtpSessionGuard(TimeSpan.FromMinutes(1), CancellationToken.None);
            string? seen = null;
            bool? timedOut = null;
            using var registration = guard.Token.Register(() =>
            {
                seen = guard.Violation;
                timedOut = guard.TimedOut;
            });

            guard.Abort("a reply line is longer than 4096 octets");
            Assert.Equal("a reply line is longer than 4096 octets", seen);
            Assert.False(timedOut);
        }

        [Fact]
        public void The_first_reason_wins_and_a_later_deadline_changes_nothing()
        {
            using var guard = new SmtpSessionGuard(TimeSpan.FromMilliseconds(20), CancellationToken.None);
            guard.Abort("too many bytes");
            guard.Arm();
            Thread.Sleep(200);
            Assert.Equal("too many bytes", guard.Violation);
            Assert.False(guard.TimedOut);
            Assert.True(guard.Token.IsCancellationRequested);
        }

        [Fact]
        public void The_callers_cancellation_is_neither_a_timeout_nor_a_violation()
        {
            using var outer = new CancellationTokenSource();
            using var guard = new SmtpSessionGuard(TimeSpan.FromMilliseconds(100), outer.Token);
            guard.Arm();
            outer.Cancel();
            Thread.Sleep(300);
            Assert.True(guard.Token.IsCancellationRequested);
            Assert.True(guard.CancelledByCaller);
            Assert.False(guard.TimedOut);
            Assert.Null(guard.Violation);
        }

        [Fact]
        public void An_armed_deadline_that_is_re_armed_does_not_fire_early()
        {
            using var guard = new SmtpSessionGuard(TimeSpan.FromMilliseconds(400), CancellationToken.None);
            guard.Arm();
            Thread.Sleep(250);
            guard.Arm();
            Thread.Sleep(250);
            Assert.False(guard.Token.IsCancellationRequested);
            Assert.True(SpinWait.SpinUntil(() => guard.TimedOut, TimeSpan.FromSeconds(10)));
        }
    }
}
