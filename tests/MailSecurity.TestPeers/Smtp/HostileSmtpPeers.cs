using System;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MailSecurity.TestPeers.Smtp
{
    /// <summary>SMTP servers that misbehave on purpose, each the way a real one sometimes does.</summary>
    public static class HostileSmtpPeers
    {
        /// <summary>A greeting that never ends: "220-" continuation lines forever.</summary>
        [Peer("smtp-endless-banner")]
        public static Task EndlessBanner(string ip, int port, string[] options, CancellationToken cancellationToken)
            => SmtpPeerHost.ServeAsync(ip, port, async (socket, ct) =>
            {
                using var stream = new NetworkStream(socket);
                var line = Encoding.ASCII.GetBytes("220-endless.banner.test " + new string('x', 60) + "\r\n");
                while (!ct.IsCancellationRequested)
                {
                    await stream.WriteAsync(line, ct).ConfigureAwait(false);
                }
            }, cancellationToken);

        /// <summary>A normal greeting, then an EHLO reply of <c>size</c> bytes (default 10 MB) of 1000-byte extension lines.</summary>
        [Peer("smtp-huge-ehlo")]
        public static Task HugeEhlo(string ip, int port, string[] options, CancellationToken cancellationToken)
        {
            var size = SmtpPeerHost.IntOption(options, "size", 10 * 1024 * 1024);
            return SmtpPeerHost.ServeAsync(ip, port, async (socket, ct) =>
            {
                using var stream = new NetworkStream(socket);
                await SmtpPeerHost.WriteAsync(stream, "220 huge-ehlo.peer.test ESMTP\r\n", ct).ConfigureAwait(false);
                var line = await SmtpPeerHost.ReadLineAsync(stream, ct).ConfigureAwait(false);
                if (line is null)
                {
                    return;
                }

                var filler = Encoding.ASCII.GetBytes("250-X-FILLER " + new string('y', 984) + "\r\n");
                await SmtpPeerHost.WriteAsync(stream, "250-huge-ehlo.peer.test\r\n", ct).ConfigureAwait(false);
                for (var sent = 0; sent < size; sent += filler.Length)
                {
                    await stream.WriteAsync(filler, ct).ConfigureAwait(false);
                }

                await SmtpPeerHost.WriteAsync(stream, "250 STARTTLS\r\n", ct).ConfigureAwait(false);
                await SmtpPeerHost.ReadLineAsync(stream, ct).ConfigureAwait(false);
            }, cancellationToken);
        }

        /// <summary>Sends its greeting one byte every <c>interval</c> ms (default 1000).</summary>
        [Peer("smtp-slow-drip")]
        public static Task SlowDrip(string ip, int port, string[] options, CancellationToken cancellationToken)
        {
            var interval = SmtpPeerHost.IntOption(options, "interval", 1000);
            return SmtpPeerHost.ServeAsync(ip, port, async (socket, ct) =>
            {
                using var stream = new NetworkStream(socket);
                var greeting = Encoding.ASCII.GetBytes("220 slow-drip.peer.test ESMTP at one byte per interval\r\n");
                foreach (var b in greeting)
                {
                    await stream.WriteAsync(new[] { b }, ct).ConfigureAwait(false);
                    await Task.Delay(interval, ct).ConfigureAwait(false);
                }

                await SmtpPeerHost.ConverseAsync(stream, new[] { "slow-drip.peer.test" }, null, ct).ConfigureAwait(false);
            }, cancellationToken);
        }

        /// <summary>Offers STARTTLS and answers the STARTTLS command with 454.</summary>
        [Peer("smtp-starttls-454")]
        public static Task StartTls454(string ip, int port, string[] options, CancellationToken cancellationToken)
            => SmtpPeerHost.ServeAsync(ip, port, async (socket, ct) =>
            {
                using var stream = new NetworkStream(socket);
                await SmtpPeerHost.WriteAsync(stream, "220 starttls-454.peer.test ESMTP\r\n", ct).ConfigureAwait(false);
                await SmtpPeerHost.ConverseAsync(stream, new[] { "starttls-454.peer.test", "PIPELINING", "SIZE 10240000", "STARTTLS", "8BITMIME" }, async verb =>
                {
                    if (verb != "STARTTLS")
                    {
                        return PeerAction.NotHandled;
                    }

                    await SmtpPeerHost.WriteAsync(stream, "454 4.7.0 TLS not available due to local problem\r\n", ct).ConfigureAwait(false);
                    return PeerAction.Handled;
                }, ct).ConfigureAwait(false);
            }, cancellationToken);

        /// <summary>Accepts STARTTLS, reads the ClientHello and drops the connection in the middle of the handshake.</summary>
        [Peer("smtp-tls-abort")]
        public static Task TlsAbort(string ip, int port, string[] options, CancellationToken cancellationToken)
            => SmtpPeerHost.ServeAsync(ip, port, async (socket, ct) =>
            {
                using var stream = new NetworkStream(socket);
                await SmtpPeerHost.WriteAsync(stream, "220 tls-abort.peer.test ESMTP\r\n", ct).ConfigureAwait(false);
                var verb = await SmtpPeerHost.ConverseAsync(stream, new[] { "tls-abort.peer.test", "STARTTLS" }, async v =>
                {
                    if (v != "STARTTLS")
                    {
                        return PeerAction.NotHandled;
                    }

                    await SmtpPeerHost.WriteAsync(stream, "220 2.0.0 Ready to start TLS\r\n", ct).ConfigureAwait(false);
                    return PeerAction.Stop;
                }, ct).ConfigureAwait(false);
                if (verb == "STARTTLS")
                {
                    var hello = new byte[512];
                    _ = await stream.ReadAsync(hello, ct).ConfigureAwait(false);
                    socket.LingerState = new LingerOption(true, 0); // reset, as a crashing TLS stack would
                }
            }, cancellationToken);

        /// <summary>Another service on port 25: an SSH banner.</summary>
        [Peer("smtp-not-smtp")]
        public static Task NotSmtp(string ip, int port, string[] options, CancellationToken cancellationToken)
            => SmtpPeerHost.ServeAsync(ip, port, async (socket, ct) =>
            {
                using var stream = new NetworkStream(socket);
                await SmtpPeerHost.WriteAsync(stream, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n", ct).ConfigureAwait(false);
                while (await SmtpPeerHost.ReadLineAsync(stream, ct).ConfigureAwait(false) != null)
                {
                    await SmtpPeerHost.WriteAsync(stream, "Invalid SSH identification string.\r\n", ct).ConfigureAwait(false);
                }
            }, cancellationToken);

        /// <summary>Accepts and closes at once, without a greeting.</summary>
        [Peer("smtp-immediate-close")]
        public static Task ImmediateClose(string ip, int port, string[] options, CancellationToken cancellationToken)
            => SmtpPeerHost.ServeAsync(ip, port, (socket, ct) =>
            {
                socket.Shutdown(SocketShutdown.Both);
                return Task.CompletedTask;
            }, cancellationToken);
    }
}
