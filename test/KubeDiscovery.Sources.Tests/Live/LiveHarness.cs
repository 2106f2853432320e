using System.Diagnostics;
using k8s;
using KubeDiscovery.Graph;
using KubeDiscovery.Sources.Live;
using KubeDiscovery.TestDoubles;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace KubeDiscovery.Sources.Tests.Live;

/// <summary>A fake kube-apiserver seeded from the recordings, and a live source following it into a cache.</summary>
internal sealed class LiveHarness : IAsyncDisposable
{
    // Short timings so fault tests finish quickly; the logic is the production one.
    public static readonly LiveSourceOptions FastOptions = new()
    {
        Backoff = new RetrySchedule(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(50)),
        RediscoveryInterval = TimeSpan.FromMinutes(10),
    };

    private readonly string _directory = Directory.CreateTempSubdirectory("kd-live-").FullName;

    private LiveHarness(FakeKubeApiServer server)
    {
        Server = server;
        Lists = new(Meter, "kubediscovery_reflector_lists_total");
        Relists = new(Meter, "kubediscovery_reflector_relists_total");
        Events = new(Meter, "kubediscovery_watch_events_total");
        FirstSync = new(Meter, "kubediscovery_reflector_first_sync_duration_seconds");
        Metrics = new LiveSourceMetrics(Meter);
    }

    /// <summary>This harness's own meter, so parallel tests never count each other's measurements.</summary>
    public System.Diagnostics.Metrics.Meter Meter { get; } = new("KubeDiscovery");
    public LiveSourceMetrics Metrics { get; }
    public MetricCollector<long> Lists { get; }
    public MetricCollector<long> Relists { get; }
    public MetricCollector<long> Events { get; }
    public MetricCollector<double> FirstSync { get; }

    public FakeKubeApiServer Server { get; }
    public ClusterCache Cache { get; } = new();
    public LiveClusterSource Source { get; private set; } = null!;

    /// <summary>Everything the live source logged.</summary>
    public FakeLogCollector Logs { get; } = new();
    public string KubeconfigPath => Path.Combine(_directory, "kubeconfig");

    /// <param name="time">The live source's clock; the machine's by default (the double always runs on it).</param>
    public static async Task<LiveHarness> StartAsync(LiveSourceOptions? options = null, bool start = true, bool withObjects = true,
        TimeProvider? time = null, Action<FakeKubeApiServer>? configure = null, IObjectObserver? observer = null)
    {
        var server = await FakeKubeApiServer.StartWithRecordingsAsync(withObjects: withObjects, time: time);
        server.BookmarkInterval = TimeSpan.FromMilliseconds(200);
        configure?.Invoke(server);
        var harness = new LiveHarness(server);
        server.WriteKubeconfig(harness.KubeconfigPath);
        var (config, description) = ClusterConnection.Resolve(harness.KubeconfigPath, null);
        var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new FakeLoggerProvider(harness.Logs)));
        harness.Source = new LiveClusterSource(new Kubernetes(config), description, harness.Cache, options ?? FastOptions, loggers, time, harness.Metrics, observer);
        if (start)
        {
            await harness.Source.StartAsync(CancellationToken.None);
            await harness.Source.Synced.WaitAsync(TimeSpan.FromSeconds(20));
        }
        return harness;
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="what"/> after the timeout.</summary>
    public static async Task WaitUntil(Func<bool> condition, string what, double seconds = 20)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed.TotalSeconds > seconds) throw new TimeoutException($"not true after {seconds}s: {what}");
            await Task.Delay(10);
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds or the time is up; says which.</summary>
    public static async Task<bool> TryWaitUntil(Func<bool> condition, double seconds)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed.TotalSeconds > seconds) return false;
            await Task.Delay(10);
        }
        return true;
    }

    /// <summary>Differences between the double's store and the index, object by object; empty when equal.</summary>
    public List<string> Differences()
    {
        List<string> problems = [];
        var following = Source.Following;
        var followed = following.Select(t => t.GroupResource).ToHashSet();
        // A storage served under two groups is followed under one of them, whichever the store keeps it under.
        bool Followed(FakeResource r) => followed.Contains(new(r.Group, r.Plural))
            || (r.StorageVersionHash.Length > 0 && following.Any(t => t.Kind == r.Kind && t.StorageVersionHash == r.StorageVersionHash));
        var expected = Server.Store.Snapshot().Where(s => Followed(s.Resource)).ToList();
        var uids = new HashSet<string>();
        foreach (var (resource, obj) in expected)
        {
            var metadata = obj["metadata"]!;
            var uid = metadata["uid"]!.GetValue<string>();
            uids.Add(uid);
            var name = metadata["name"]!.GetValue<string>();
            var record = Cache.Index.FindByUid(uid);
            if (record is null)
            {
                problems.Add($"missing {resource.Kind} {name}");
                continue;
            }
            if (record.Name != name || record.Namespace != metadata["namespace"]?.GetValue<string>()) problems.Add($"wrong name for {uid}");
            var owners = metadata["ownerReferences"]?.AsArray().Select(o => o!["uid"]!.GetValue<string>()).ToList() ?? [];
            if (!owners.SequenceEqual(record.Owners.Select(o => o.Uid))) problems.Add($"wrong owners for {resource.Kind} {name}");
            var labels = metadata["labels"]?.AsObject().Select(l => $"{l.Key}={l.Value}").Order(StringComparer.Ordinal).ToList() ?? [];
            if (!labels.SequenceEqual(record.Labels.Select(l => $"{l.Key}={l.Value}"))) problems.Add($"wrong labels for {resource.Kind} {name}");
        }
        if (Cache.Index.Count != expected.Count) problems.Add($"index holds {Cache.Index.Count} objects, the store {expected.Count}");
        return problems;
    }

    public async ValueTask DisposeAsync()
    {
        await Source.DisposeAsync();
        await Server.DisposeAsync();
        Lists.Dispose();
        Relists.Dispose();
        Events.Dispose();
        FirstSync.Dispose();
        Meter.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
