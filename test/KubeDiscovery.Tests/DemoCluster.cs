using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Sources.Snapshot;

namespace KubeDiscovery.Tests;

/// <summary>The bundled sample cluster, loaded once, for tests that render real trees.</summary>
internal static class DemoCluster
{
    private static readonly Lazy<ClusterCache> Loaded = new(() =>
    {
        var cache = new ClusterCache();
        cache.Relations.Documents = RelationRulesText.Documents;
        SnapshotLoader.Load(SnapshotLoader.Demo(), cache);
        cache.MarkSynced();
        return cache;
    });

    public static ClusterCache Cache => Loaded.Value;

    public static ObjectRecord Find(string group, string plural, string? ns, string name) =>
        Cache.Index.Find(new GroupResource(group, plural), ns, name) ?? throw new InvalidOperationException($"{plural} {ns}/{name} is not in the demo");
}
