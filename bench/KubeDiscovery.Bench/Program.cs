using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using k8s;
using KubeDiscovery.Bench;
using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Sources.Live;
using KubeDiscovery.TestDoubles;
using Microsoft.Extensions.Logging.Abstractions;

// Usage: dotnet run -c Release --project bench/KubeDiscovery.Bench -- [deployments=5000] [runs=3] [events=200]
// Each run is a fresh process (`child` mode), so no run's JIT work, caches or leftovers weigh on another's heap.
if (args is ["child", var d, var e, var r])
{
    var result = await RunChild(int.Parse(d, CultureInfo.InvariantCulture), int.Parse(e, CultureInfo.InvariantCulture), int.Parse(r, CultureInfo.InvariantCulture));
    Console.WriteLine(JsonSerializer.Serialize(result, BenchJson.Default.RunResult));
    return 0;
}

var deployments = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5000;
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
var eventCount = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;

Console.WriteLine($"Live source against the kube-apiserver double: {deployments:N0} Deployments → {deployments * SyntheticCluster.ObjectsPerDeployment:N0} objects, {runs} runs (one process each)");
Console.WriteLine($"{Environment.ProcessorCount} CPUs, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, workstation non-concurrent GC");

List<double> syncSeconds = [], bytesPerObject = [], latencyMs = [];
for (var run = 1; run <= runs; run++)
{
    var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
    foreach (var arg in new[] { typeof(SyntheticCluster).Assembly.Location, "child", deployments.ToString(CultureInfo.InvariantCulture), eventCount.ToString(CultureInfo.InvariantCulture), run.ToString(CultureInfo.InvariantCulture) })
    {
        info.ArgumentList.Add(arg);
    }
    using var child = Process.Start(info)!;
    var output = await child.StandardOutput.ReadToEndAsync();
    await child.WaitForExitAsync();
    if (child.ExitCode != 0) throw new InvalidOperationException($"run {run} failed with {child.ExitCode}: {output}");
    var result = JsonSerializer.Deserialize(output.Trim().Split('\n')[^1], BenchJson.Default.RunResult)!;
    var perObject = result.HeapBytes / (double)result.Objects;
    Console.WriteLine($"run {run}: first sync {result.SyncSeconds:0.00} s for {result.Objects:N0} objects; managed heap +{result.HeapBytes / 1048576.0:0.0} MiB = {perObject:0} bytes/object");
    syncSeconds.Add(result.SyncSeconds);
    bytesPerObject.Add(perObject);
    latencyMs.AddRange(result.LatenciesMs);
}

latencyMs.Sort();
Console.WriteLine();
Console.WriteLine("| measure | median | min | max |");
Console.WriteLine("|---|---|---|---|");
Console.WriteLine($"| time to first sync ({deployments * SyntheticCluster.ObjectsPerDeployment:N0} objects) | {Median(syncSeconds):0.00} s | {syncSeconds.Min():0.00} s | {syncSeconds.Max():0.00} s |");
Console.WriteLine($"| managed heap per indexed object | {Median(bytesPerObject):0} B | {bytesPerObject.Min():0} B | {bytesPerObject.Max():0} B |");
Console.WriteLine($"| watch event → composition answer ({latencyMs.Count} events; p99 {latencyMs[(int)(latencyMs.Count * 0.99)]:0.00} ms) | {Median(latencyMs):0.00} ms | {latencyMs[0]:0.00} ms | {latencyMs[^1]:0.00} ms |");
return 0;

static async Task<RunResult> RunChild(int deployments, int eventCount, int run)
{
    var store = SyntheticCluster.Store(deployments);
    store.PrepareWireForms(); // the double's serialized forms are in the baseline, not in the index's share
    await using var server = await FakeKubeApiServer.StartAsync(store, Recordings.GroupOrder(Recordings.DefaultDirectory));
    server.BookmarkInterval = TimeSpan.FromSeconds(30);
    var kubeconfig = server.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"kd-bench-{Environment.ProcessId}.kubeconfig"));
    var (config, description) = ClusterConnection.Resolve(kubeconfig, null);
    File.Delete(kubeconfig);
    using var client = new Kubernetes(config);

    // Warm-up on a few kinds (full objects and metadata-only), so one-time costs — JIT, the client's
    // serializer metadata, connection set-up — are in the baseline, not counted per object.
    var warmCache = new ClusterCache();
    var warm = new LiveClusterSource(client, description, warmCache, new LiveSourceOptions { Resources = ["deployments", "services"] }, NullLoggerFactory.Instance);
    await warm.StartAsync(CancellationToken.None);
    await warm.Synced;
    await warm.DisposeAsync();

    var baseline = HeapAfterFullGc();
    var cache = new ClusterCache();
    var clock = Stopwatch.StartNew();
    var source = new LiveClusterSource(client, description, cache, new LiveSourceOptions(), NullLoggerFactory.Instance);
    await source.StartAsync(CancellationToken.None);
    await source.Synced;
    var sync = clock.Elapsed.TotalSeconds;
    var heap = HeapAfterFullGc() - baseline;

    // Watch event → composition answer: flip a Pod's phase in the double and time until the
    // Deployment's composition (built from the index, as the HTTP answer is) shows it.
    List<double> latencies = [];
    var builder = new CompositionBuilder(cache.Index);
    var deploymentType = cache.Catalog.Resolve("deployments")!;
    for (var i = 0; i < eventCount; i++)
    {
        var d = (i * 7919) % deployments;
        var app = $"app-{d:D5}";
        var ns = $"team-{d % 50:D2}";
        var rsName = $"{app}-07c9f{d % 97:D2}";
        var podName = $"{rsName}-{i % 10:D2}x4k";
        var phase = ((i / 10) + run) % 2 == 0 ? "Pending" : "Running";
        var wanted = phase == "Running" ? ReadyState.True : ReadyState.False;
        var root = cache.Index.Find(deploymentType.GroupResource, ns, app)!;

        var start = Stopwatch.GetTimestamp();
        store.Apply(SyntheticCluster.Pod(ns, app, podName, SyntheticCluster.Uid('p', (d * 10) + (i % 10)), rsName, SyntheticCluster.Uid('r', d * 2), phase));
        while (!Shows(builder.Build(root), podName, wanted))
        {
            if (Stopwatch.GetElapsedTime(start) > TimeSpan.FromSeconds(10)) throw new TimeoutException($"{podName} never became {wanted}");
            Thread.SpinWait(50);
        }
        latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }
    var objects = cache.Index.Count;
    await source.DisposeAsync();
    GC.KeepAlive(warmCache);
    return new RunResult(sync, heap, objects, latencies);
}

static bool Shows(CompositionNode node, string name, ReadyState ready)
{
    if (node.Object.Name == name) return node.Object.Status.Ready == ready;
    foreach (var child in node.Children)
    {
        if (Shows(child, name, ready)) return true;
    }
    return false;
}

static long HeapAfterFullGc()
{
    for (var i = 0; i < 3; i++)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }
    return GC.GetTotalMemory(forceFullCollection: true);
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

internal sealed record RunResult(double SyncSeconds, long HeapBytes, int Objects, List<double> LatenciesMs);

[System.Text.Json.Serialization.JsonSerializable(typeof(RunResult))]
internal sealed partial class BenchJson : System.Text.Json.Serialization.JsonSerializerContext;
