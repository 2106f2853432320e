using System.Buffers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using KubeDiscovery.Bench.Generator;
using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Connections;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Rendering;

namespace KubeDiscovery.Bench.Suites;

/// <summary>
/// Connections at each cluster size, in-process: one Pod's neighbourhood at depth 1 (its ReplicaSet,
/// Service, EndpointSlice, ConfigMap, Secret, ServiceAccount, Node), built and written as JSON; "which
/// Pods mount this Secret" for a Secret 1,000 Pods mount; and the whole cluster's dangling report.
/// </summary>
[MemoryDiagnoser]
public class ConnectionBenchmarks
{
    public const int SharedSecretPods = 1_000;
    private const string SharedSecret = "shared-ca";

    private ClusterCache _cache = null!;
    private ObjectRecord _pod = null!;
    private ObjectRecord _secret = null!;
    private readonly ArrayBufferWriter<byte> _buffer = new(1024 * 1024);

    [ParamsSource(nameof(Sizes))]
    public int Objects { get; set; }

    public static IEnumerable<int> Sizes() => QueryBenchmarks.Sizes();

    [GlobalSetup]
    public void Setup()
    {
        _cache = Ingest.NewCache();
        Ingest.Fill(_cache, Objects);
        AddSecretMountedBy(_cache, SharedSecretPods);
        var deployment = _cache.Index.Find(new GroupResource("apps", "deployments"), ClusterGenerator.QueryNamespace, ClusterGenerator.QueryDeployment)!;
        var replicaSet = _cache.Index.Dependents.Sources(deployment.Uid)[0].Record;
        _pod = _cache.Index.Dependents.Sources(replicaSet.Uid)[0].Record;
        _secret = _cache.Index.Find(new GroupResource("", "secrets"), ClusterGenerator.QueryNamespace, SharedSecret)!;
        if (PodConnections().Edges.Count < 6) throw new InvalidOperationException("the query Pod is not connected as generated");
        if (SecretUsers().Edges.Count != SharedSecretPods) throw new InvalidOperationException($"the shared Secret is not mounted by {SharedSecretPods} Pods");
    }

    [Benchmark(Description = "one Pod's connections, depth 1 (build)")]
    public ConnectionGraph PodConnections() =>
        new ConnectionBuilder(_cache.Index, _cache.Relations.Current).Build(_pod, 1, Direction.Both, 10_000);

    [Benchmark(Description = "one Pod's connections, depth 1 (build + JSON)")]
    public int PodConnectionsJson()
    {
        _buffer.ResetWrittenCount();
        var graph = PodConnections();
        using (var writer = new Utf8JsonWriter(_buffer))
        {
            ConnectionJsonWriter.WriteConnections(writer, graph, new ConnectionWalk(), _cache.Catalog);
        }
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "Pods mounting a Secret mounted by 1,000 (build)")]
    public ConnectionGraph SecretUsers() =>
        new ConnectionBuilder(_cache.Index, _cache.Relations.Current).Build(_secret, 1, Direction.In, 10_000);

    [Benchmark(Description = "dangling report, whole cluster")]
    public int Dangling() =>
        DanglingReport.Build(_cache.Index, _cache.Relations.Current, null, (g, k) => _cache.Catalog.FindByKind(g, k) is not null).Count;

    /// <summary>A Secret and <paramref name="pods"/> Pods mounting it, ingested as a LIST page is.</summary>
    internal static void AddSecretMountedBy(ClusterCache cache, int pods)
    {
        var ns = ClusterGenerator.QueryNamespace;
        var page = new StringBuilder("""{"kind":"PodList","apiVersion":"v1","metadata":{},"items":[""");
        for (var i = 0; i < pods; i++)
        {
            if (i > 0) page.Append(',');
            page.Append($$$"""{"metadata":{"name":"mounter-{{{i}}}","namespace":"{{{ns}}}","uid":"mounter-{{{i}}}","labels":{"app":"mounter"}},"spec":{"nodeName":"node-{{{i % 50:000}}}","volumes":[{"name":"ca","secret":{"secretName":"{{{SharedSecret}}}"}}],"containers":[{"name":"c","image":"x"}]}}""");
        }
        page.Append("]}");
        var pod = cache.Catalog.FindByKind("", "Pod")!;
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(page.ToString()));
        foreach (var record in cache.Reader.ReadListPage(ref reader, pod).Items) cache.Index.Upsert(record);
        var secret = cache.Catalog.FindByKind("", "Secret")!;
        var secretPage = Encoding.UTF8.GetBytes($$$"""{"kind":"SecretList","apiVersion":"v1","metadata":{},"items":[{"metadata":{"name":"{{{SharedSecret}}}","namespace":"{{{ns}}}","uid":"shared-ca"}}]}""");
        var secretReader = new Utf8JsonReader(secretPage);
        foreach (var record in cache.Reader.ReadListPage(ref secretReader, secret).Items) cache.Index.Upsert(record);
    }
}
