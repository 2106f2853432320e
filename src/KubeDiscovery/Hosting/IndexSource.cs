using KubeDiscovery.Graph;
using KubeDiscovery.Sources.Live;
using KubeDiscovery.Sources.Snapshot;

namespace KubeDiscovery.Hosting;

/// <summary>
/// Where the index comes from, opened before the host is built: a snapshot is read whole (so a bad file is
/// a start-up error), a live cluster is resolved from its kubeconfig (it is listed later, by
/// <see cref="LiveSourceService"/>). Relation rule files are read first, so both start under the same rules.
/// </summary>
internal sealed record IndexSource(ClusterCache Cache, string Description, (k8s.KubernetesClientConfiguration Config, string Description)? Cluster, SnapshotReport? Snapshot)
{
    /// <exception cref="ServerStartupException">A rules file, the snapshot or the kubeconfig cannot be used.</exception>
    /// <param name="observer">Told of each object a snapshot holds as it loads (history).</param>
    public static async Task<IndexSource> OpenAsync(SourceOptions source, CancellationToken cancellationToken, Sources.IObjectObserver? observer = null)
    {
        var cache = new ClusterCache();
        // Before any object is filed: which application a tracking id names depends on it.
        cache.Index.ConfigureApplications(cache.Index.Applications.Settings with { ArgoNamespace = source.ArgoCdNamespace });
        cache.Relations.Documents = RelationRulesText.Documents;
        foreach (var file in source.Relations)
        {
            try
            {
                cache.Relations.AddFile(file, await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ServerStartupException($"cannot read --relations {file}: {e.Message}", e);
            }
        }

        if (source.IsLive)
        {
            try
            {
                var cluster = ClusterConnection.Resolve(source.Kubeconfig, source.Context);
                return new IndexSource(cache, cluster.Description, cluster, null);
            }
            catch (ClusterAccessException e)
            {
                throw new ServerStartupException($"cannot use the cluster: {e.Message}", e);
            }
        }
        try
        {
            var files = source.Snapshots.Count > 0 ? SnapshotLoader.Expand(source.Snapshots) : SnapshotLoader.Demo();
            var report = SnapshotLoader.Load(files, cache, observer);
            cache.MarkSynced();
            var description = source.Snapshots.Count > 0 ? $"snapshot {string.Join(", ", source.Snapshots)}" : "the bundled demo cluster";
            return new IndexSource(cache, description, null, report);
        }
        catch (SnapshotException e)
        {
            throw new ServerStartupException($"cannot load the snapshot: {e.Message}", e);
        }
    }
}
