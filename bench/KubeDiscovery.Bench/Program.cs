using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using KubeDiscovery.Bench;
using KubeDiscovery.Bench.Suites;

// The benchmark suite. One command runs it all and writes bench/results/report.md and report.json:
//   dotnet run -c Release --project bench/KubeDiscovery.Bench -- [--sizes 10000,100000,1000000] [--runs 3] [--out bench/results]
// Every timed part runs in fresh processes (`child …`), so no run's JIT work, caches or leftovers
// weigh on another's heap or timings; query latency runs under BenchmarkDotNet (its own processes).
if (args is ["child", var part, var n, ..])
{
    var objects = int.Parse(n, CultureInfo.InvariantCulture);
    object result = part switch
    {
        "ingest" => Ingest.Run(objects),
        "http" => await HttpLoad.RunAsync(objects, [1, 4, 16, 64], TimeSpan.FromSeconds(5), kubectlRuns: 10),
        "live" => await LiveCluster.RunAsync(objects, probes: 300, backgroundPerSecond: 200, anchorRuns: 5),
        "memory" => await ServerMemory.RunAsync(objects, load: TimeSpan.FromSeconds(5)),
        "builds" => await BuildsHttps.RunAsync(objects, [1, 4, 16], TimeSpan.FromSeconds(3), kubectlRuns: 10),
        "history" => await HistoryBench.RunAsync(objects),
        "recording" => await RecordingBench.RunAsync(objects),
        "search" => SearchBench.Run(objects),
        "ui" => await UiBench.RunAsync(objects, runs: 5),
        "applications" => await ApplicationsBench.RunAsync(objects, requests: 200),
        _ => throw new ArgumentException($"unknown part {part}"),
    };
    Console.WriteLine(JsonSerializer.Serialize(result, result.GetType(), BenchJson.Default));
    return 0;
}

var options = SuiteOptions.Parse(args);
Directory.CreateDirectory(options.Output);
var report = new SuiteReport(options.Sizes, options.Runs, Environment.ProcessorCount, System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription, DateTimeOffset.UtcNow);
Console.WriteLine($"KubeDiscovery benchmark suite: sizes {string.Join(", ", options.Sizes.Select(s => s.ToString("N0", CultureInfo.InvariantCulture)))}; {options.Runs} runs each; {report.Cpus} CPUs; {report.Runtime}");

foreach (var size in options.Includes("ingest") ? options.Sizes : [])
{
    for (var run = 0; run < options.Runs; run++)
    {
        var r = await Child<Ingest.IngestResult>("ingest", size);
        Console.WriteLine($"ingest {size:N0}: {r.ObjectsPerSecond:N0} objects/s, {r.HeapBytesPerObject:0} B/object");
        report.Ingest.Add(r);
    }
}

if (options.Includes("query"))
{
    report.Query.AddRange(QueryRunner.Run(options.Sizes, Path.Combine(options.Output, "BenchmarkDotNet")));
}
else if (options.Only.Contains("connections"))
{
    // The connection benchmarks alone (they are part of "query").
    report.Query.AddRange(QueryRunner.Run(options.Sizes, Path.Combine(options.Output, "BenchmarkDotNet"), connectionsOnly: true));
}

var httpSize = options.Sizes.Where(s => s <= 100_000).DefaultIfEmpty(options.Sizes.Min()).Max();
for (var run = 0; run < (options.Includes("http") ? options.Runs : 0); run++)
{
    var r = await Child<HttpLoad.HttpResult>("http", httpSize);
    Console.WriteLine($"https {httpSize:N0}: {string.Join("; ", r.Levels.Select(l => $"{l.Clients} clients {l.RequestsPerSecond:N0}/s p99 {l.P99Ms:0.00} ms"))}");
    report.Http.Add(r);
}

// The same HTTPS load on the builds as shipped, each its own process (JIT and native), at the HTTPS size.
for (var run = 0; run < (options.Includes("builds") ? options.Runs : 0); run++)
{
    var r = await Child<BuildsHttps.BuildsResult>("builds", httpSize);
    foreach (var l in r.Loads) Console.WriteLine($"builds {r.Objects:N0}, {l.Build}, {l.Query}, {l.Clients} clients: {l.RequestsPerSecond:N0}/s, p50 {l.P50Ms:0.00} ms, p99 {l.P99Ms:0.00} ms, {l.Errors} errors");
    foreach (var k in r.Kubectl) Console.WriteLine($"builds {r.Objects:N0}, {k.Build}: kubectl get --raw {k.MedianMs:0} ms (min {k.MinMs:0})");
    foreach (var x in r.Rounds) Console.WriteLine($"builds {r.Objects:N0}, {x.Query}, {x.Clients} clients: native / JIT {Stats.Median(x.Ratios):0.00} (rounds {string.Join(", ", x.Ratios.Select(v => v.ToString("0.00", CultureInfo.InvariantCulture)))})");
    report.Builds.Add(r);
}

// The double keeps every object as a JSON tree; a million of them is beyond this machine's memory.
foreach (var size in options.Sizes.Where(s => s <= 100_000 && options.Includes("live")))
{
    for (var run = 0; run < options.Runs; run++)
    {
        var r = await Child<LiveCluster.LiveResult>("live", size);
        Console.WriteLine($"live {size:N0}: sync {r.SyncSeconds:0.00} s, propagation p99 {Stats.Percentile(r.PropagationMs.Order().ToList(), 0.99):0.00} ms, kubectl-tree way {Stats.Median(r.AnchorMs):0} ms");
        report.Live.Add(r);
    }
}

// The server as operators run it, at the size its memory target is stated for.
// Every GC setting at 10k; the builds as shipped (JIT and native, history off and on) at each size up to 100k.
if (options.Includes("memory") && ServerMemory.NativeBinary is null)
{
    Console.WriteLine("memory: no native binary (dotnet build test/KubeDiscovery.EndToEnd.Native.Tests, or KUBEDISCOVERY_NATIVE_BINARY): the JIT build only");
}
foreach (var size in options.Includes("memory") ? options.Sizes.Where(s => s <= 100_000) : [])
{
    for (var run = 0; run < options.Runs; run++)
    {
        var r = await Child<ServerMemory.MemoryResult>("memory", size);
        foreach (var v in r.Variants) Console.WriteLine($"memory {r.Objects:N0}, {v.Cpus} CPUs, {v.Name}: RSS {v.RssMiB:0} MiB (peak {v.PeakRssMiB:0}; anon {v.AnonMiB:0}, files {v.FileMiB:0}, shared {v.SharedMiB:0}), managed {v.ManagedMiB:0} MiB, {v.RequestsPerSecond:N0} queries/s, sync {v.SyncSeconds:0.0} s");
        foreach (var d in r.Starts) Console.WriteLine($"demo start, {d.Build}: {d.MedianMs:0} ms to /readyz (min {d.MinMs:0}), idle RSS {d.IdleRssMiB:0} MiB");
        report.Memory.Add(r);
    }
}

// History: recording into SQLite and PostgreSQL, its queries, and compositions while it records.
for (var run = 0; run < (options.Includes("history") ? options.Runs : 0); run++)
{
    var r = await Child<HistoryBench.HistoryResult>("history", 10_000);
    foreach (var s in r.Stores)
    {
        Console.WriteLine($"history {s.Store}: {s.VersionsPerSecond:N0} versions/s, {s.BytesPerImageUpdate:0} B per image update, versions(1,000) {s.VersionsQueryMedianMs:0.00} ms, changes(100-node tree) {s.ChangesQueryMedianMs:0.00} ms, changes page(500) {s.TimelinePageMedianMs:0.00} ms, feed(500) {s.FeedBatchMedianMs:0.00} ms");
    }
    Console.WriteLine($"history: composition p99 {r.CompositionP99IdleMs:0.000} ms alone, {r.CompositionP99PacedMs:0.000} ms recording 1,000/s, {r.CompositionP99RecordingMs:0.000} ms recording flat out");
    report.History.Add(r);
}

// History's first recording of the generated cluster, at every size (1M included): is its memory bounded?
foreach (var size in options.Includes("recording") ? options.Sizes : [])
{
    for (var run = 0; run < options.Runs; run++)
    {
        var r = await Child<RecordingBench.RecordingResult>("recording", size);
        Console.WriteLine($"recording {r.Objects:N0}: {r.Versions:N0} versions in {r.Seconds:0.0} s ({r.VersionsPerSecond:N0}/s), RSS +{r.PeakGrowthMiB:0} MiB at peak, +{r.EndGrowthMiB:0} MiB after (from {r.BaselineMiB:0}); database {r.DatabaseMiB:0} MiB; dropped {r.Dropped}");
        report.Recording.Add(r);
    }
}

// The finder, at the largest size.
for (var run = 0; run < (options.Includes("search") ? options.Runs : 0); run++)
{
    var r = await Child<SearchBench.SearchResult>("search", options.Sizes.Max());
    Console.WriteLine($"search {r.Objects:N0}: corpus built in {r.BuildMs:0} ms ({r.CorpusBytesApprox / 1048576.0:0} MiB); " + string.Join("; ", r.Queries.Select(q => $"\"{q.Query}\" {q.MedianMs:0.00} ms")));
    report.Search.Add(r);
}

// Applications: listing them all, one of a thousand objects, moving one object, following Warning Events.
foreach (var size in options.Includes("applications") ? options.Sizes.Where(s => s <= 100_000) : [])
{
    for (var run = 0; run < options.Runs; run++)
    {
        var r = await Child<ApplicationsBench.ApplicationsResult>("applications", size);
        Console.WriteLine($"applications {r.Objects:N0} in {r.Applications:N0}: " + string.Join("; ", r.Timings.Select(t => $"{t.What} server {t.ServerMedianMs:0.00} ms (p99 {t.ServerP99Ms:0.00}), client {t.MedianMs:0.00} ms (p99 {t.P99Ms:0.00}), {t.Items} items, {t.Bytes / 1024.0:N0} KiB"))
            + $"; kept between lists {r.ListKeptBytes / 1024.0:N0} KiB; move {r.MoveMicroseconds:0.0} µs; warning event {r.WarningEventMicroseconds:0.0} µs ({r.CpuPercentAt100EventsPerSecond:0.000}% CPU at 100/s)");
        report.Applications.Add(r);
    }
}

if (options.Includes("ui"))
{
    // One child: five fresh browsers on each page (the suite's runs are for the server-side figures).
    var r = await Child<UiBench.UiResult>("ui", 10_000);
    report.Ui.Add(r);
    Console.WriteLine($"ui: composition {r.CompositionNodes:N0} nodes drawn {Stats.Median(r.Composition.Select(p => p.DrawnMs)):0} ms ({r.Composition[0].Layout}); "
        + $"neighbourhood {r.NeighbourhoodNodes:N0} drawn {Stats.Median(r.Neighbourhood.Select(p => p.DrawnMs)):0} ms, longest main-thread task {Stats.Median(r.Neighbourhood.Select(p => p.LongestTaskMs)):0} ms, "
        + $"search answered {Stats.Median(r.Neighbourhood.Select(p => p.SearchAnsweredMs ?? 0)):0} ms while loading");
}

var markdown = ReportWriter.Markdown(report);
File.WriteAllText(Path.Combine(options.Output, "report.md"), markdown);
File.WriteAllText(Path.Combine(options.Output, "report.json"), JsonSerializer.Serialize(report, BenchJson.Indented.SuiteReport));
Console.WriteLine();
Console.WriteLine(markdown);
Console.WriteLine($"Written to {Path.GetFullPath(options.Output)}/report.md and report.json");
return 0;

static async Task<T> Child<T>(string part, int objects)
{
    var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (var arg in new[] { typeof(SuiteReport).Assembly.Location, "child", part, objects.ToString(CultureInfo.InvariantCulture) }) info.ArgumentList.Add(arg);
    using var child = Process.Start(info)!;
    var output = child.StandardOutput.ReadToEndAsync();
    var error = child.StandardError.ReadToEndAsync();
    await child.WaitForExitAsync();
    if (child.ExitCode != 0) throw new InvalidOperationException($"{part} {objects} failed with {child.ExitCode}: {await error}\n{await output}");
    var last = (await output).Trim().Split('\n')[^1];
    return (T)JsonSerializer.Deserialize(last, typeof(T), BenchJson.Default)!;
}
