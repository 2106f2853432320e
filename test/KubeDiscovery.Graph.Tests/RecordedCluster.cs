using System.Text.Json;
using KubeDiscovery.Graph.Index;
using KubeDiscovery.Graph.Ingest;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Graph.Resources;
using KubeDiscovery.Sources.Discovery;

namespace KubeDiscovery.Graph.Tests;

/// <summary>
/// Test inputs made from the objects recorded from a real kube-apiserver 1.19
/// (test/fixtures/kube-apiserver-1.19): lists as served, items without apiVersion/kind.
/// </summary>
internal sealed class RecordedCluster
{
    public static readonly string ObjectsDirectory = Path.Combine(AppContext.BaseDirectory, "fixtures", "kube-apiserver-1.19", "objects");

    public ResourceCatalog Catalog { get; } = new ResourceCatalog(BuiltinDiscovery.Types).With(
    [
        new ResourceType { Group = "db.example.com", Version = "v1", Kind = "Postgres", Plural = "postgreses", Singular = "postgres", ShortNames = ["pg"], Namespaced = true },
    ]);

    public ObjectRecordReader Reader { get; } = new(new StringPool());

    /// <summary>Every recorded object of one list file, e.g. <c>api_v1_namespaces_default_pods.json</c>.</summary>
    public IReadOnlyList<ObjectRecord> Read(string listFile)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(ObjectsDirectory, listFile)));
        var list = doc.RootElement;
        var apiVersion = list.GetProperty("apiVersion").GetString()!;
        var kind = list.GetProperty("kind").GetString()![..^"List".Length];
        var type = Catalog.FindByKind(KindNames.SplitApiVersion(apiVersion).Group, kind)!;
        return list.GetProperty("items").EnumerateArray().Select(item => Reader.Read(item, type, (apiVersion, kind))).ToList();
    }

    /// <summary>The raw JSON of one recorded object, for status-rule tests.</summary>
    public static JsonElement RawItem(string listFile, string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(ObjectsDirectory, listFile)));
        return doc.RootElement.GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("metadata").GetProperty("name").GetString() == name).Clone();
    }

    /// <summary>An index holding the recorded Deployments, ReplicaSets, Pods, Services, Postgres and more.</summary>
    public ClusterIndex Index()
    {
        var index = new ClusterIndex();
        foreach (var file in Directory.GetFiles(ObjectsDirectory, "*_namespaces_default_*.json"))
        {
            foreach (var record in Read(Path.GetFileName(file))) index.Upsert(record);
        }
        return index;
    }
}
