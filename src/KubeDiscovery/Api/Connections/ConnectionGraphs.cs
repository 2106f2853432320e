using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Connections;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Security.Authentication;
using KubeDiscovery.Security.Authorization;

namespace KubeDiscovery.Api.Connections;

/// <summary>
/// Builds neighbourhoods as one user may see them. Visibility is decided before the answer is built,
/// per (group, resource, namespace) of everything reachable — a node that does not exist included, by
/// its kind — so a hidden node never shapes the answer: it is left out with its edges, counted, and
/// not walked through.
/// </summary>
internal sealed class ConnectionGraphs(ClusterCache cache, CompositionFilter filter, int maxNodes)
{
    /// <returns>One graph per root the user may read, in root order.</returns>
    public async ValueTask<List<ConnectionGraph>> BuildAsync(UserInfo user, IReadOnlyList<ObjectRecord> roots, int depth, Direction direction,
        CancellationToken cancellationToken)
    {
        using var span = Observability.Tracing.Source.StartActivity("connections.build");
        span?.SetTag("kubediscovery.roots", roots.Count);
        span?.SetTag("kubediscovery.depth", depth);
        var builder = new ConnectionBuilder(cache.Index, cache.Relations.Current);
        var catalog = cache.Catalog;
        var reachable = roots.SelectMany(r => builder.Reachable(r, depth, direction, maxNodes)).ToList();
        var scopes = await filter.ScopesAsync(user, reachable.Select(n => ScopeOf(n.Key, n.Object, catalog)), cancellationToken).ConfigureAwait(false);
        bool Visible(ObjectKey key, ObjectRecord? record)
        {
            var (group, resource, ns) = ScopeOf(key, record, catalog);
            return resource.Length > 0 && (scopes is null || scopes(group, resource, ns));
        }

        List<ConnectionGraph> graphs = new(roots.Count);
        foreach (var root in roots)
        {
            if (!Visible(ObjectKey.Of(root), root)) continue;
            graphs.Add(builder.Build(root, depth, direction, maxNodes, scopes is null ? null : Visible));
        }
        return graphs;
    }

    /// <summary>
    /// The RBAC scope of a node: its resource and namespace. A missing object's resource comes from the
    /// catalog; a kind the cluster does not serve has none ("" — hidden from everyone but who sees all).
    /// </summary>
    public static (string Group, string Resource, string Namespace) ScopeOf(ObjectKey key, ObjectRecord? record, Graph.Resources.ResourceCatalog catalog)
    {
        if (record is not null) return (record.Type.Group, record.Type.Plural, record.Namespace ?? "");
        var type = catalog.FindByKind(key.Group, key.Kind);
        return (key.Group, type?.Plural ?? "", key.Namespace);
    }
}
