using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MailSecurity.TestPeers
{
    /// <summary>
    /// Runs named peers until stopped: <c>MailSecurity.TestPeers &lt;peer&gt; &lt;ip&gt; &lt;port&gt; [options]</c>.
    /// Each peer kind registers itself in <see cref="PeerRegistry"/>.
    /// </summary>
    public static class Program
    {
        public static async Task<int> Main(string[] args)
        {
            if (args.Length == 0 || args[0] == "--help")
            {
                Console.WriteLine("usage: MailSecurity.TestPeers <peer> <ip> <port> [key=value ...]  |  --list");
                return args.Length == 0 ? 2 : 0;
            }

            if (args[0] == "--list")
            {
                foreach (var name in PeerRegistry.Names)
                {
                    Console.WriteLine(name);
                }

                return 0;
            }

            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
            AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
            var specs = new List<string[]>();
            // Several peers in one process: separate them with "--".
            var current = new List<string>();
            foreach (var a in args)
            {
                if (a == "--")
                {
                    specs.Add(current.ToArray());
                    current.Clear();
                }
                else
                {
                    current.Add(a);
                }
            }

            specs.Add(current.ToArray());
            var tasks = new List<Task>();
            foreach (var spec in specs)
            {
                if (spec.Length < 3)
                {
                    Console.Error.WriteLine($"peer spec needs <peer> <ip> <port>: {string.Join(' ', spec)}");
                    return 2;
                }

                tasks.Add(PeerRegistry.RunAsync(spec[0], spec[1], int.Parse(spec[2], System.Globalization.CultureInfo.InvariantCulture), spec[3..], stop.Token));
            }

            Console.WriteLine("ready");
            try
            {
                await Task.WhenAll(tasks).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
        }
    }

    /// <summary>
    /// Marks a peer entry point: <c>public static Task Run(string ip, int port, string[] options, CancellationToken ct)</c>.
    /// Peers are found by reflection, so each peer kind lives in its own file and nothing central needs editing.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class PeerAttribute : Attribute
    {
        public PeerAttribute(string name) => Name = name;

        public string Name { get; }
    }

    /// <summary>Name → peer entry point, discovered from <see cref="PeerAttribute"/>.</summary>
    public static class PeerRegistry
    {
        private static readonly Lazy<Dictionary<string, Func<string, int, string[], CancellationToken, Task>>> Peers = new(Discover);

        public static IEnumerable<string> Names => Peers.Value.Keys;

        public static Task RunAsync(string name, string ip, int port, string[] options, CancellationToken cancellationToken)
        {
            if (!Peers.Value.TryGetValue(name, out var run))
            {
                throw new ArgumentException($"unknown peer '{name}'; known: {string.Join(", ", Peers.Value.Keys)}");
            }

            return run(ip, port, options, cancellationToken);
        }

        private static Dictionary<string, Func<string, int, string[], CancellationToken, Task>> Discover()
        {
            var map = new Dictionary<string, Func<string, int, string[], CancellationToken, Task>>(StringComparer.OrdinalIgnoreCase);
            foreach (var type in typeof(PeerRegistry).Assembly.GetTypes())
            {
                foreach (var method in type.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
                {
                    if (method.GetCustomAttributes(typeof(PeerAttribute), false) is [PeerAttribute attr])
                    {
                        map[attr.Name] = method.CreateDelegate<Func<string, int, string[], CancellationToken, Task>>();
                    }
                }
            }

            return map;
        }
    }
}
