using System.Runtime.CompilerServices;
using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Connections;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Security.Authentication;
using KubeDiscovery.Security.Authorization;

namespace KubeDiscovery.Api.Connections;

/// <summary>
/// Builds neighbourhoods as one user may see them. Visibility is decided before each answer is built,
/// per (group, resource, namespace) of everything reachable — a node that does not exist included, by
/// its kind — so a hidden node never shapes the answer: it is left out with its edges, not walked
/// through, and counted only when <c>--hidden-children=count</c>. Roots are built one at a time, as they
/// are written, from one <see cref="ConnectionBudget"/> for the whole answer.
/// </summary>
internal sealed class ConnectionGraphs(ClusterCache cache, CompositionFilter filter, bool countHidden)
{
    /// <returns>One graph per root the user may read, in root order; it stops when the budget is spent.</returns>
    public async IAsyncEnumerable<(ObjectRecord Root, ConnectionGraph Graph)> StreamAsync(UserInfo user, IReadOnlyList<ObjectRecord> roots, ConnectionWalk walk,
        ConnectionBudget budget, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var span = Observability.Tracing.Source.StartActivity("connections.build");
        span?.SetTag("kubediscovery.roots", roots.Count);
        span?.SetTag("kubediscovery.depth", walk.Depth);
        var builder = new ConnectionBuilder(cache.Index, cache.Relations.Current);
        var catalog = cache.Catalog;
        foreach (var root in roots)
        {
            if (budget.Spent) yield break;
            // A dry run decides what to review; who may read everything needs none.
            var scopes = filter.SeesEverything(user) ? null
                : await filter.ScopesAsync(user, builder.Reachable(root, walk, budget, cancellationToken).Select(n => ScopeOf(n.Key, n.Object, catalog)), cancellationToken).ConfigureAwait(false);
            bool Visible(ObjectKey key, ObjectRecord? record)
            {
                var (group, resource, ns) = ScopeOf(key, record, catalog);
                return resource.Length > 0 && (scopes is null || scopes(group, resource, ns));
            }

            if (!Visible(ObjectKey.Of(root), root)) continue;
            var graph = builder.Build(root, walk, budget, scopes is null ? null : Visible, cancellationToken);
            yield return (root, countHidden ? graph : graph with { Hidden = 0 });
        }
    }

    /// <returns>One graph per root the user may read, in root order.</returns>
    public async ValueTask<List<ConnectionGraph>> BuildAsync(UserInfo user, IReadOnlyList<ObjectRecord> roots, ConnectionWalk walk, int maxNodes,
        CancellationToken cancellationToken)
    {
        List<ConnectionGraph> graphs = new(roots.Count);
        await foreach (var (_, graph) in StreamAsync(user, roots, walk, ConnectionBudget.For(maxNodes), cancellationToken).ConfigureAwait(false)) graphs.Add(graph);
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
