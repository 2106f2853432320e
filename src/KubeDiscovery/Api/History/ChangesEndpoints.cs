using KubeDiscovery.Api.Connections;
using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Connections;
using KubeDiscovery.History.Recording;
using KubeDiscovery.History.Storage;
using KubeDiscovery.Rendering;
using KubeDiscovery.Security;

namespace KubeDiscovery.Api.History;

/// <summary>
/// What changed, in time order: <c>…/{resource}/{name}/changes?since=1h</c> for an object, everything in its
/// composition tree and its direct connections ("what changed in this application"); and the timelines
/// <c>…/namespaces/{ns}/changes</c> and <c>…/changes</c>, filterable by <c>resource</c>, <c>name</c> and
/// <c>manager</c>. Every answer holds only objects the user may <c>get</c>; gaps are shown to everyone.
/// </summary>
internal sealed class ChangesEndpoints(ClusterCache cache, AccessControl security, CompositionOptions options, HistoryTargets targets, TimeProvider time)
{
    public const string Subresource = "changes";
    private const int DefaultLimit = 1000;

    public static void Map(IEndpointRouteBuilder routes)
    {
        var prefix = KubeDiscoveryApi.Prefix;
        routes.MapGet(prefix + "/namespaces/{namespace}/" + Subresource, c => Get(c).TimelineAsync(c, (string)c.Request.RouteValues["namespace"]!));
        routes.MapGet(prefix + "/" + Subresource, c => Get(c).TimelineAsync(c, null));
        routes.MapGet(prefix + "/namespaces/{namespace}/{resource}/{name}/" + Subresource, c => Get(c).ObjectAsync(c, (string)c.Request.RouteValues["namespace"]!));
        routes.MapGet(prefix + "/{resource}/{name}/" + Subresource, c => Get(c).ObjectAsync(c, null));
    }

    private static ChangesEndpoints Get(HttpContext context) => context.RequestServices.GetRequiredService<ChangesEndpoints>();

    private Task ObjectAsync(HttpContext context, string? ns) => HistoryGuard.RunAsync(context, async () =>
    {
        if (!TryReadWindow(context, out var since, out var limit, out var error))
        {
            await StatusErrors.BadRequest(context, error);
            return;
        }
        if (await targets.EnabledAsync(context) is not { } history) return;
        var values = context.Request.RouteValues;
        if (await targets.ResolveAsync(context, history, ns, (string)values["resource"]!, (string)values["name"]!, Subresource) is not { } target) return;

        var user = context.GetKubernetesUser();
        var via = new Dictionary<string, string>(StringComparer.Ordinal) { [target.Uid] = "self" };
        if (target.Live is { } root)
        {
            // The tree and the neighbours as this user may see them: a hidden object's changes are not shown.
            var tree = await security.Filter.BuildAsync(user, cache.Index, [root], null, options, context.RequestAborted);
            foreach (var node in tree.Trees.SelectMany(Flatten)) via.TryAdd(node.Object.Uid, "composition");
            var graphs = await new ConnectionGraphs(cache, security.Filter, options.CountHidden)
                .BuildAsync(user, [root], new ConnectionWalk(), options.MaxNodes, context.RequestAborted);
            foreach (var node in graphs.SelectMany(g => g.Nodes)) if (node.Object is { } o) via.TryAdd(o.Uid, "connection");
        }
        // Every object asked about is one the user may see: the limit counts visible changes already.
        var scan = await ChangeScan.RunAsync(history.Store, new ChangeQuery { Since = since, Uids = via.Keys }, limit,
            (rows, _) => ValueTask.FromResult<IEnumerable<StoredVersion>>(rows), context.RequestAborted);
        WarnIfCut(context, scan, limit);
        await JsonAnswers.WriteListAsync(context, scan.Items, w =>
            {
                HistoryJsonWriter.WriteListStart(w, "ChangeList");
                HistoryJsonWriter.WriteTarget(w, target);
                w.WriteString("since", HistoryJsonWriter.Time(since));
                w.WriteStartArray("items");
            },
            (w, v) => HistoryJsonWriter.WriteVersion(w, v, withObject: true, via.GetValueOrDefault(v.Version.Uid)), HistoryJsonWriter.WriteListEnd);
    });

    private Task TimelineAsync(HttpContext context, string? ns) => HistoryGuard.RunAsync(context, async () =>
    {
        if (!TryReadWindow(context, out var since, out var limit, out var error))
        {
            await StatusErrors.BadRequest(context, error);
            return;
        }
        var query = context.Request.Query;
        string? group = null, resource = null;
        if (query["resource"].ToString() is { Length: > 0 } asked)
        {
            if (cache.Catalog.Resolve(asked) is not { } type)
            {
                await StatusErrors.BadRequest(context, $"resource \"{asked}\" is not served by this cluster (write it as kubectl does: deployments, deploy, deployments.apps)");
                return;
            }
            (group, resource) = (type.Storage.Group, type.Storage.Resource);
        }
        if (await targets.EnabledAsync(context) is not { } history) return;
        var name = query["name"].ToString();
        var manager = query["manager"].ToString();
        var user = context.GetKubernetesUser();
        // RBAC and the manager first, then the limit: neither the items, nor the limit's Warning, says
        // anything of changes the user may not see.
        var scan = await ChangeScan.RunAsync(history.Store, new ChangeQuery
        {
            Since = since,
            Namespace = ns,
            Group = group,
            Resource = resource,
            Name = name.Length > 0 ? name : null,
            IncludeGaps = manager.Length == 0,
        }, limit, async (rows, ct) =>
        {
            var visible = await security.Filter.ScopesAsync(user,
                rows.Where(c => c.Version.Change != ChangeKind.Gap).Select(c => (c.Version.Group, c.Version.Resource, c.Version.Namespace ?? "")), ct);
            return rows.Where(c => c.Version.Change == ChangeKind.Gap
                || ((visible is null || visible(c.Version.Group, c.Version.Resource, c.Version.Namespace ?? ""))
                    && (manager.Length == 0 || c.Version.Managers.Any(m => m.Manager == manager) || c.By?.User == manager)));
        }, context.RequestAborted);
        WarnIfCut(context, scan, limit);
        var shown = scan.Items;
        await JsonAnswers.WriteListAsync(context, shown, w =>
            {
                HistoryJsonWriter.WriteListStart(w, "ChangeList");
                w.WriteString("since", HistoryJsonWriter.Time(since));
                w.WriteStartArray("items");
            },
            (w, v) => HistoryJsonWriter.WriteVersion(w, v, withObject: true), HistoryJsonWriter.WriteListEnd);
    });

    private bool TryReadWindow(HttpContext context, out DateTimeOffset since, out int limit, out string error)
    {
        limit = DefaultLimit;
        return HistoryQuery.TryReadSince(context.Request.Query, time.GetUtcNow(), out since, out error)
            && QueryLimit.TryRead(context.Request.Query, DefaultLimit, HistoryQuery.MaxLimit, out limit, out error);
    }

    private static void WarnIfCut(HttpContext context, ChangeScan.Result scan, int limit)
    {
        if (scan.Warning(limit) is { } warning) context.Response.Headers.Append("Warning", warning);
    }

    private static IEnumerable<CompositionNode> Flatten(CompositionNode node) => node.Children.SelectMany(Flatten).Prepend(node);
}
