using System.Text.Json;
using System.Text.Json.Nodes;
using KubeDiscovery.Graph.Connections;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Graph.Resources;
using KubeDiscovery.Sources.Snapshot;

namespace KubeDiscovery.Graph.Tests.Connections;

/// <summary>The bundled sample cluster (samples/demo-cluster), loaded as <c>--demo</c> loads it, and its connections as edge strings.</summary>
internal sealed class DemoCluster
{
    public DemoCluster()
    {
        SnapshotLoader.Load(SnapshotLoader.Demo(), Cache);
    }

    public ClusterCache Cache { get; } = new();

    public ObjectRecord Get(string resource, string? ns, string name)
    {
        var type = Cache.Catalog.Resolve(resource) ?? throw new InvalidOperationException($"no resource {resource}");
        return Cache.Index.Find(Cache.Catalog.StorageOf(type).GroupResource, ns, name) ?? throw new InvalidOperationException($"no {resource} {ns}/{name}");
    }

    public ConnectionGraph Around(string resource, string? ns, string name, int depth = 1, Direction direction = Direction.Both, int maxNodes = 10_000) =>
        new ConnectionBuilder(Cache.Index, Cache.Relations.Current).Build(Get(resource, ns, name), depth, direction, maxNodes);

    /// <summary>Writes an object into the index as a watch event would: read whole, then upserted.</summary>
    public ObjectRecord Apply(JsonObject obj)
    {
        var (group, _) = KindNames.SplitApiVersion(obj["apiVersion"]!.GetValue<string>());
        var type = Cache.Catalog.FindByKind(group, obj["kind"]!.GetValue<string>()) ?? throw new InvalidOperationException("unknown kind");
        using var doc = JsonDocument.Parse(obj.ToJsonString());
        var record = Cache.Reader.Read(doc.RootElement, Cache.Catalog.StorageOf(type));
        Cache.Index.Upsert(record);
        return record;
    }

    /// <summary>The sample object as a mutable JSON tree, to change and <see cref="Apply"/>.</summary>
    public static JsonObject Sample(string kind, string? ns, string name)
    {
        foreach (var file in SnapshotLoader.Demo())
        {
            using var stream = file.Open();
            using var reader = new StreamReader(stream);
            foreach (var document in RelationRulesText.Documents(reader.ReadToEnd()))
            {
                var items = document.TryGetProperty("items", out var list) ? list.EnumerateArray().ToList() : [document];
                foreach (var item in items)
                {
                    var meta = item.GetProperty("metadata");
                    if (item.GetProperty("kind").GetString() == kind && meta.GetProperty("name").GetString() == name
                        && (meta.TryGetProperty("namespace", out var n) ? n.GetString() : null) == ns)
                    {
                        return JsonNode.Parse(item.GetRawText())!.AsObject();
                    }
                }
            }
        }
        throw new InvalidOperationException($"no sample {kind} {ns}/{name}");
    }

    /// <summary>Every edge as "from link to", e.g. <c>Pod/web/x mounts Secret/web/y</c>.</summary>
    public List<string> Edges(string resource, string? ns, string name, int depth = 1, Direction direction = Direction.Both) =>
        Around(resource, ns, name, depth, direction).Edges.Select(e => $"{e.From} {e.Link} {e.To}").ToList();
}
