using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Rendering;

namespace KubeDiscovery.Bench.Suites;

/// <summary>
/// One tree far above the node budget: a ReplicaSet owning 100,000 Pods. Cut at the server's default
/// budget (10,000 nodes) the answer costs a tenth of the whole; the whole (budget 100,001) is for comparison.
/// </summary>
[MemoryDiagnoser]
public class HugeTreeBenchmarks
{
    public const int Pods = 100_000;

    private ClusterCache _cache = null!;
    private ObjectRecord _replicaSet = null!;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024 * 1024);

    [GlobalSetup]
    public void Setup()
    {
        _cache = Ingest.NewCache();
        var replicaSets = _cache.Catalog.Resolve("replicasets.apps")!;
        var pods = _cache.Catalog.Resolve("pods")!;
        _replicaSet = new ObjectRecord(replicaSets, "apps/v1", "wide", "big", "uid-big", DateTimeOffset.UnixEpoch, [], [], new ObjectStatus(ReadyState.True));
        _cache.Index.Upsert(_replicaSet);
        var owner = new[] { new OwnerReference("apps/v1", "ReplicaSet", "big", "uid-big", Controller: true) };
        for (var i = 0; i < Pods; i++)
        {
            _cache.Index.Upsert(new ObjectRecord(pods, "v1", "wide", $"big-{i:D6}", $"uid-pod-{i}", DateTimeOffset.UnixEpoch, owner, [], new ObjectStatus(ReadyState.True)));
        }
    }

    [Benchmark(Description = "100,000-Pod tree cut at 10,000 nodes (build + JSON)")]
    public int Cut() => Write(10_000);

    [Benchmark(Description = "100,000-Pod tree whole (build + JSON)")]
    public int Whole() => Write(Pods + 1);

    private int Write(int maxNodes)
    {
        _buffer.ResetWrittenCount();
        var tree = new CompositionBuilder(_cache.Index, maxNodes).Build(_replicaSet);
        using (var writer = new Utf8JsonWriter(_buffer))
        {
            CompositionJsonWriter.WriteComposition(writer, tree);
        }
        return _buffer.WrittenCount;
    }
}
