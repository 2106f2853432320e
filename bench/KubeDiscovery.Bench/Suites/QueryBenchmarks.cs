using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using KubeDiscovery.Bench.Generator;
using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Rendering;

namespace KubeDiscovery.Bench.Suites;

/// <summary>
/// In-process answers at each cluster size: one Deployment's tree (1 Deployment, 1 ReplicaSet,
/// 10 Pods), built and then written as the JSON the server sends, and a namespace's Deployments
/// (<c>namespaces/{ns}/deployments/*/compositions</c>). Latency should not grow with the cluster.
/// </summary>
[MemoryDiagnoser]
public class QueryBenchmarks
{
    private ClusterCache _cache = null!;
    private ObjectRecord _deployment = null!;
    private readonly ArrayBufferWriter<byte> _buffer = new(256 * 1024);

    public const string SizesVariable = "KUBEDISCOVERY_BENCH_SIZES";

    public static IEnumerable<int> Sizes() =>
        (Environment.GetEnvironmentVariable(SizesVariable) ?? "10000,100000,1000000").Split(',').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture));

    [ParamsSource(nameof(Sizes))]
    public int Objects { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _cache = Ingest.NewCache();
        Ingest.Fill(_cache, Objects);
        _deployment = _cache.Index.Find(new GroupResource("apps", "deployments"), ClusterGenerator.QueryNamespace, ClusterGenerator.QueryDeployment)
            ?? throw new InvalidOperationException("the query Deployment was not generated");
        var tree = new CompositionBuilder(_cache.Index).Build(_deployment);
        if (tree.Children.Count != 1 || tree.Children[0].Children.Count != 10) throw new InvalidOperationException("the query Deployment is not 1+1+10");
    }

    [Benchmark(Description = "Deployment tree (build)")]
    public CompositionNode DeploymentTree() => new CompositionBuilder(_cache.Index).Build(_deployment);

    [Benchmark(Description = "Deployment tree (build + JSON)")]
    public int DeploymentTreeJson()
    {
        _buffer.ResetWrittenCount();
        var tree = new CompositionBuilder(_cache.Index).Build(_deployment);
        using (var writer = new Utf8JsonWriter(_buffer))
        {
            CompositionJsonWriter.WriteComposition(writer, tree);
        }
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "namespace */compositions (build + JSON)")]
    public int NamespaceList()
    {
        _buffer.ResetWrittenCount();
        // One answer, as the server builds it: one node budget, each object expanded once.
        var roots = _cache.Index.List(new GroupResource("apps", "deployments"), ClusterGenerator.QueryNamespace);
        var trees = new CompositionBuilder(_cache.Index).BuildAll(roots);
        using (var writer = new Utf8JsonWriter(_buffer))
        {
            CompositionJsonWriter.WriteList(writer, trees);
        }
        return _buffer.WrittenCount;
    }
}
