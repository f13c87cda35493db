using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MailSecurity.TestPeers.Smtp
{
    /// <summary>What a peer's command hook did with a command.</summary>
    public enum PeerAction
    {
        NotHandled,
        Handled,
        Stop,
    }

    /// <summary>Accept loop shared by the SMTP peers: one task per connection, until cancelled.</summary>
    public static class SmtpPeerHost
    {
        public static async Task ServeAsync(string ip, int port, Func<Socket, CancellationToken, Task> handler, CancellationToken cancellationToken)
        {
            var listener = new TcpListener(IPAddress.Parse(ip), port);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start(512);
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    Socket socket;
                    try
                    {
                        socket = await listener.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                    catch (SocketException)
                    {
                        continue;
                    }

                    _ = Task.Run(async () =>
                    {
                        try
                        {
                            await handler(socket, cancellationToken).ConfigureAwait(false);
                        }
                        catch (Exception)
                        {
                            // A client that goes away is normal for these peers.
                        }
                        finally
                        {
                            socket.Dispose();
                        }
                    }, CancellationToken.None);
                }
            }
            finally
            {
                listener.Stop();
            }
        }

        /// <summary>Reads one CRLF- or LF-terminated line (at most 4096 bytes), byte by byte so nothing is read ahead of STARTTLS.</summary>
        public static async Task<string?> ReadLineAsync(Stream stream, CancellationToken cancellationToken)
        {
            var bytes = new List<byte>();
            var one = new byte[1];
            while (bytes.Count < 4096)
            {
                var n = await stream.ReadAsync(one.AsMemory(0, 1), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    return bytes.Count == 0 ? null : Encoding.ASCII.GetString(bytes.ToArray());
                }

                if (one[0] == (byte)'\n')
                {
                    break;
                }

                bytes.Add(one[0]);
            }

            return Encoding.ASCII.GetString(bytes.ToArray()).TrimEnd('\r');
        }

        public static Task WriteAsync(Stream stream, string text, CancellationToken cancellationToken)
            => stream.WriteAsync(Encoding.ASCII.GetBytes(text), cancellationToken).AsTask();

        public static string Option(string[] options, string name, string fallback)
        {
            foreach (var o in options)
            {
                var eq = o.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0 && string.Equals(o[..eq], name, StringComparison.OrdinalIgnoreCase))
                {
                    return o[(eq + 1)..];
                }
            }

            return fallback;
        }

        public static int IntOption(string[] options, string name, int fallback)
            => int.Parse(Option(options, name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

        /// <summary>
        /// Reads the client's commands until QUIT or close, answering EHLO with <paramref name="ehloLines"/> and the rest with
        /// 250/221/502. <paramref name="onCommand"/> may answer a verb itself: Handled goes on reading, Stop returns the verb.
        /// </summary>
        public static async Task<string?> ConverseAsync(Stream stream, string[] ehloLines, Func<string, Task<PeerAction>>? onCommand, CancellationToken cancellationToken)
        {
            while (true)
            {
                var line = await ReadLineAsync(stream, cancellationToken).ConfigureAwait(false);
                if (line is null)
                {
                    return null;
                }

                var verb = line.Split(' ')[0].ToUpperInvariant();
                var action = onCommand is null ? PeerAction.NotHandled : await onCommand(verb).ConfigureAwait(false);
                if (action == PeerAction.Stop)
                {
                    return verb;
                }

                if (action == PeerAction.Handled)
                {
                    continue;
                }

                switch (verb)
                {
                    case "EHLO":
                        var sb = new StringBuilder();
                        for (var i = 0; i < ehloLines.Length; i++)
                        {
                            sb.Append(i == ehloLines.Length - 1 ? "250 " : "250-").Append(ehloLines[i]).Append("\r\n");
                        }

                        await WriteAsync(stream, sb.ToString(), cancellationToken).ConfigureAwait(false);
                        break;
                    case "HELO":
                    case "NOOP":
                    case "RSET":
                        await WriteAsync(stream, "250 2.0.0 OK\r\n", cancellationToken).ConfigureAwait(false);
                        break;
                    case "QUIT":
                        await WriteAsync(stream, "221 2.0.0 Bye\r\n", cancellationToken).ConfigureAwait(false);
                        return verb;
                    case "MAIL":
                    case "RCPT":
                    case "DATA":
                        await WriteAsync(stream, "554 5.7.1 This test peer accepts no mail\r\n", cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        await WriteAsync(stream, "502 5.5.2 Command not implemented\r\n", cancellationToken).ConfigureAwait(false);
                        break;
                }
            }
        }
    }
}
