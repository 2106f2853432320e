using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Connections;
using KubeDiscovery.Rendering;
using KubeDiscovery.Security;

namespace KubeDiscovery.Api.Connections;

/// <summary>
/// <c>…/dangling</c> and <c>…/namespaces/{ns}/dangling</c>: every owner reference and relation naming an
/// object that does not exist, grouped by the kind of breakage. An item shows only when the user may
/// read both the object that makes the reference and the kind it names there; the rest are counted
/// (<c>hiddenItems</c>) only with <c>--hidden-children=count</c>.
/// </summary>
internal sealed class DanglingEndpoints(ClusterCache cache, AccessControl security, Graph.Compositions.CompositionOptions options)
{
    public const string Resource = "dangling";

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet($"{KubeDiscoveryApi.Prefix}/{Resource}", c => Get(c).Answer(c, null));
        routes.MapGet($"{KubeDiscoveryApi.Prefix}/namespaces/{{namespace}}/{Resource}", c => Get(c).Answer(c, (string)c.Request.RouteValues["namespace"]!));
    }

    private static DanglingEndpoints Get(HttpContext context) => context.RequestServices.GetRequiredService<DanglingEndpoints>();

    private async Task Answer(HttpContext context, string? ns)
    {
        if (!await Preconditions.AcceptableAndSyncedAsync(context, cache, "application/json")) return;
        var catalog = cache.Catalog;
        var groups = DanglingReport.Build(cache.Index, cache.Relations.Current, ns, (g, k) => catalog.FindByKind(g, k) is not null);

        var scopes = await security.Filter.ScopesAsync(context.GetKubernetesUser(),
            groups.SelectMany(g => g.Items).SelectMany(i => new[] { ConnectionGraphs.ScopeOf(ObjectKey.Of(i.Object), i.Object, catalog), ConnectionGraphs.ScopeOf(i.Target, null, catalog) }),
            context.RequestAborted);
        var hidden = 0;
        if (scopes is not null)
        {
            bool Visible(DanglingReference item)
            {
                var a = ConnectionGraphs.ScopeOf(ObjectKey.Of(item.Object), item.Object, catalog);
                var b = ConnectionGraphs.ScopeOf(item.Target, null, catalog);
                return scopes(a.Group, a.Resource, a.Namespace) && b.Resource.Length > 0 && scopes(b.Group, b.Resource, b.Namespace);
            }
            var total = groups.Sum(g => g.Items.Count);
            groups = groups.Select(g => g with { Items = g.Items.Where(Visible).ToList() }).Where(g => g.Items.Count > 0).ToList();
            // With --hidden-children=omit nothing says hidden references exist, not even how many.
            hidden = options.CountHidden ? total - groups.Sum(g => g.Items.Count) : 0;
        }
        await JsonAnswers.WriteAsync(context, w => ConnectionJsonWriter.WriteDangling(w, groups, hidden, ns, catalog));
    }
}
