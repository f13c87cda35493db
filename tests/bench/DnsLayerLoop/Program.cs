// The DNS layer alone (issue 16): N distinct questions through MailSecurity's DnsResolver with a given cap on queries
// in flight, against a running bench lab, to set beside dnsperf on the same names and resolver (tests/bench/README.md,
// "Profiling"). Not part of the solution or the test run: a measuring tool, run by hand.
//   dotnet run -c Release --project tests/bench/DnsLayerLoop -- <server> <count> <maxInFlight> [type]
// Names: d00000.bulk.test .. d09999.bulk.test (the bench's generated zone). Two rounds: the first also pays the JIT.
using System.Diagnostics;
using DnsClient;
using MailSecurity.Dns;

var server = args[0];
var count = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
var maxInFlight = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
var type = args.Length > 3 ? Enum.Parse<QueryType>(args[3]) : QueryType.TXT;
for (var round = 0; round < 2; round++)
{
    var options = DnsResolver.CreateOptions(new[] { server }, TimeSpan.FromSeconds(10));
    options.MaxConcurrentQueries = maxInFlight;
    var dns = new DnsResolver(options);
    var process = Process.GetCurrentProcess();
    var cpu0 = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    var tasks = new Task<DnsAnswer>[count];
    for (var i = 0; i < count; i++)
    {
        tasks[i] = dns.QueryAsync($"d{i % 10000:d5}.bulk.test", type);
    }

    await Task.WhenAll(tasks).ConfigureAwait(false);
    clock.Stop();
    process.Refresh();
    var cpu = process.TotalProcessorTime - cpu0;
    var failed = tasks.Count(t => t.Result.Status != DnsLookupStatus.Success);
    var elapsed = tasks.Select(t => t.Result.Elapsed.TotalMilliseconds).OrderBy(x => x).ToArray();
    Console.WriteLine($"round {round}: {count} questions in {clock.Elapsed.TotalSeconds:f2} s = {count / clock.Elapsed.TotalSeconds:f0}/s; CPU {cpu.TotalMilliseconds / count:f3} ms/question; " +
        $"answer time p50 {elapsed[count / 2]:f0} p90 {elapsed[count * 9 / 10]:f0} p99 {elapsed[count * 99 / 100]:f0} max {elapsed[^1]:f0} ms; not Success {failed}; sent {dns.QueriesSent}; in flight <= {maxInFlight}");
}
