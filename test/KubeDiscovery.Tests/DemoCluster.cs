using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Hosting;

namespace KubeDiscovery.Tests;

/// <summary>The bundled sample cluster, loaded once, for tests that render real trees.</summary>
internal static class DemoCluster
{
    // Loaded as the server loads --demo.
    private static readonly Lazy<ClusterCache> Loaded = new(() => IndexSource.OpenAsync(new SourceOptions { Demo = true }, default).GetAwaiter().GetResult().Cache);

    public static ClusterCache Cache => Loaded.Value;

    public static ObjectRecord Find(string group, string plural, string? ns, string name) =>
        Cache.Index.Find(new GroupResource(group, plural), ns, name) ?? throw new InvalidOperationException($"{plural} {ns}/{name} is not in the demo");
}
