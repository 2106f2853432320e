using System.Globalization;
using System.Text.Json;
using KubeDiscovery.Api.Compositions;
using KubeDiscovery.Api.Connections;
using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Connections;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.History.Recording;
using KubeDiscovery.History.Storage;
using KubeDiscovery.Rendering;
using KubeDiscovery.Security;
using KubeDiscovery.Security.Authentication;

namespace KubeDiscovery.Api.History;

/// <summary>
/// What changed, in time order: <c>…/{resource}/{name}/changes?since=1h</c> for an object, everything in its
/// composition tree and its direct connections ("what changed in this application"); and the timelines
/// <c>…/namespaces/{ns}/changes</c> and <c>…/changes</c>, filterable by <c>resource</c>, <c>name</c> and
/// <c>manager</c>. Every answer holds only objects the user may <c>get</c>; gaps are shown to everyone.
/// </summary>
internal sealed class ChangesEndpoints(ClusterCache cache, AccessControl security, CompositionOptions options, HistoryTargets targets, ChangeFeed feed, TimeProvider time)
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
        // Objects deleted from under it lately are gone from the tree, not from its history.
        foreach (var uid in cache.Index.Applications.DepartedFrom(target.Uid)) via.TryAdd(uid, ChangeScan.Departed);
        // Every live object asked about is one the user may see; a departed one, only where they may read its
        // kind and namespace. So the limit counts visible changes.
        var scan = await ChangeScan.RunAsync(history.Store, new ChangeQuery { Since = since, Uids = via.Keys }, limit,
            ChangeScan.KeepDeparted(security.Filter, user, via), context.RequestAborted);
        WarnIfCut(context, scan, limit);
        await JsonAnswers.WriteListAsync(context, scan.Items, w =>
            {
                HistoryJsonWriter.WriteListStart(w, "ChangeList");
                HistoryJsonWriter.WriteTarget(w, target);
                w.WriteString("since", HistoryJsonWriter.Time(since));
                w.WriteStartArray("items");
            },
            (w, v) => HistoryJsonWriter.WriteVersion(w, v, withObject: true, via.GetValueOrDefault(v.Version.Uid), KindOf(v)), HistoryJsonWriter.WriteListEnd);
    });

    private Task TimelineAsync(HttpContext context, string? ns) => HistoryGuard.RunAsync(context, async () =>
    {
        var q = context.Request.Query;
        if (!ChangeFilters.TryRead(q, out var filters, out var error)
            || !HistoryQuery.TryReadSince(filters.Since, time.GetUtcNow(), out var since, out error)
            || !QueryLimit.TryRead(q, DefaultLimit, HistoryQuery.MaxLimit, out var limit, out error)
            || !WatchQuery.TryRead(q, out var watchQuery, out error)
            || !IncludeObjectQuery.TryRead(q, out var include, out error))
        {
            await StatusErrors.BadRequest(context, error);
            return;
        }
        string? group = null, resource = null;
        if (filters.Resource is { Length: > 0 } asked)
        {
            if (cache.Catalog.Resolve(asked) is not { } type)
            {
                await StatusErrors.BadRequest(context, $"resource \"{asked}\" is not served by this cluster (write it as kubectl does: deployments, deploy, deployments.apps)");
                return;
            }
            (group, resource) = (type.Storage.Group, type.Storage.Resource);
        }
        var table = AcceptHeader.WantsTable(context.Request);
        if (!table && !AcceptHeader.Allows(context.Request, "application/json"))
        {
            await StatusErrors.NotAcceptable(context, "application/json");
            return;
        }
        if (await targets.EnabledAsync(context) is not { } history) return;
        var manager = filters.Manager ?? "";
        var filter = new ChangeQuery
        {
            Since = since,
            Namespace = ns,
            Group = group,
            Resource = resource,
            Name = filters.Name is { Length: > 0 } name ? name : null,
            IncludeGaps = manager.Length == 0,
        };
        var keep = Keep(context.GetKubernetesUser(), manager);
        Action<Utf8JsonWriter, StoredVersion> writeOne = table
            ? (w, v) => ChangeTableWriter.Write(w, [v], v.Seq.ToString(CultureInfo.InvariantCulture), null, include, cache.Catalog)
            : (w, v) => HistoryJsonWriter.WriteVersion(w, v, withObject: true, kind: KindOf(v));
        if (watchQuery.Watch)
        {
            await feed.RunAsync(context, history, filter, watchQuery, keep, writeOne);
            return;
        }

        // One list, paged oldest first (kubectl's --chunk-size): the first page fixes the window's start and
        // the store's last row, so the pages read as one list and the watch that follows starts after it.
        var listed = string.Join('\n', ns ?? "", group ?? "", resource ?? "", filter.Name ?? "", manager);
        ChangePages.Position position;
        if (q["continue"].ToString() is { Length: > 0 } token)
        {
            if (ChangePages.Read(token, listed) is not { } read)
            {
                await StatusErrors.BadRequest(context, "the continue token is not one this server gave for this list: repeat the list without it");
                return;
            }
            position = read;
        }
        else
        {
            position = new ChangePages.Position(since, await history.Store.LastSeqAsync(context.RequestAborted), null);
        }
        // RBAC and the manager first, then the limit: neither the items, nor whether a page follows, says
        // anything of changes the user may not see.
        var page = await ChangeScan.ForwardAsync(history.Store, filter with { Since = position.Since, UpToSeq = position.UpToSeq, After = position.After },
            limit, keep, context.RequestAborted);
        var next = page.Next is { } at ? ChangePages.Token(listed, position with { After = at }) : null;
        if (next is not null && q["limit"].Count == 0)
        {
            context.Response.Headers.Append("Warning", $"299 - \"more than {limit} changes: the rest follow with ?continue= (kubectl pages by itself)\"");
        }
        var rv = position.UpToSeq.ToString(CultureInfo.InvariantCulture);
        if (table)
        {
            await JsonAnswers.WriteAsync(context, w => ChangeTableWriter.Write(w, page.Items, rv, next, include, cache.Catalog));
            return;
        }
        await JsonAnswers.WriteListAsync(context, page.Items, w =>
            {
                HistoryJsonWriter.WriteListStart(w, "ChangeList", rv, next);
                w.WriteString("since", HistoryJsonWriter.Time(position.Since));
                w.WriteStartArray("items");
            },
            (w, v) => HistoryJsonWriter.WriteVersion(w, v, withObject: true, kind: KindOf(v)), HistoryJsonWriter.WriteListEnd);
    });

    /// <summary>Of a batch, the changes this user may see (RBAC on each object's kind and namespace) and, when asked, of this manager; gaps are everyone's.</summary>
    private Func<List<StoredVersion>, CancellationToken, ValueTask<IEnumerable<StoredVersion>>> Keep(UserInfo user, string manager) => async (rows, ct) =>
    {
        var visible = await security.Filter.ScopesAsync(user,
            rows.Where(c => c.Version.Change != ChangeKind.Gap).Select(c => (c.Version.Group, c.Version.Resource, c.Version.Namespace ?? "")), ct);
        return rows.Where(c => c.Version.Change == ChangeKind.Gap
            || ((visible is null || visible(c.Version.Group, c.Version.Resource, c.Version.Namespace ?? ""))
                && (manager.Length == 0 || c.Version.Managers.Any(m => m.Manager == manager) || c.By?.User == manager)));
    };

    private string? KindOf(StoredVersion v) => cache.Catalog.Find(new GroupResource(v.Version.Group, v.Version.Resource))?.Kind;

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
