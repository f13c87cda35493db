using System;
using System.IO;
using System.Net;
using System.Text.Json;
using Xunit;

namespace MailSecurity.Tests.Lab
{
    /// <summary>
    /// The running lab (tests/lab), as described by its lab.env.json. Lab tests use <see cref="LabFactAttribute"/>:
    /// skipped (visibly) when the lab is not running, except when MAILSECURITY_REQUIRE_LAB=1 (CI), where they run and
    /// fail with a clear message.
    /// </summary>
    public sealed class LabEnvironment
    {
        private static readonly Lazy<LabEnvironment?> Current = new Lazy<LabEnvironment?>(Load);

        private LabEnvironment(JsonElement root)
        {
            Resolver = IPAddress.Parse(root.GetProperty("Resolver").GetString()!);
            NonValidatingResolver = IPAddress.Parse(root.GetProperty("NonValidatingResolver").GetString()!);
            BlackholeResolver = IPAddress.Parse(root.GetProperty("BlackholeResolver").GetString()!);
            UnusedAddress = IPAddress.Parse(root.GetProperty("UnusedAddress").GetString()!);
            Net = root.TryGetProperty("Net", out var net) ? net.GetString()! : "127.0";
            DsDroppingResolver = IPAddress.Parse(root.GetProperty("DsDroppingResolver").GetString()!);
            DsDelayingResolver = IPAddress.Parse(root.GetProperty("DsDelayingResolver").GetString()!);
        }

        public IPAddress Resolver { get; }

        public IPAddress NonValidatingResolver { get; }

        public IPAddress BlackholeResolver { get; }

        public IPAddress UnusedAddress { get; }

        /// <summary>A resolver front (test peer) that passes everything to the non-validating Unbound but never answers DS.</summary>
        public IPAddress DsDroppingResolver { get; }

        /// <summary>The same front, but it answers DS questions after 30 s.</summary>
        public IPAddress DsDelayingResolver { get; }

        public string Net { get; }

        public static bool Required => Environment.GetEnvironmentVariable("MAILSECURITY_REQUIRE_LAB") == "1";

        public static LabEnvironment Get()
            => Current.Value ?? throw new InvalidOperationException("The lab is not running (tests/lab/lab.sh start, as root). It is required in CI.");

        public static bool IsAvailable => Current.Value != null;

        private static LabEnvironment? Load()
        {
            if (Environment.GetEnvironmentVariable("MAILSECURITY_LAB") == "0")
            {
                return null;
            }

            var net = Environment.GetEnvironmentVariable("MAILSECURITY_LAB_NET") ?? "127.0";
            var dir = Environment.GetEnvironmentVariable("MAILSECURITY_LAB_DIR")
                ?? Path.Combine(Path.GetTempPath(), net == "127.0" ? "mailsecurity-lab" : "mailsecurity-lab-" + net);
            var file = Path.Combine(dir, "lab.env.json");
            if (!File.Exists(file))
            {
                return null;
            }

            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            return new LabEnvironment(doc.RootElement.Clone());
        }
    }

    /// <summary>A fact that needs the lab: skipped outside CI when the lab is down, failing in CI.</summary>
    public sealed class LabFactAttribute : FactAttribute
    {
        public LabFactAttribute()
        {
            if (!LabEnvironment.IsAvailable && !LabEnvironment.Required)
            {
                Skip = "The lab is not running (start it as root: tests/lab/lab.sh start).";
            }
        }
    }
}
