using KubeDiscovery.Api.History;
using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Applications;
using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.History.Storage;
using KubeDiscovery.Rendering;
using KubeDiscovery.Security;

namespace KubeDiscovery.Api.Applications;

/// <summary>
/// An application's history, when the server records one: LAST CHANGE for lists, and
/// <c>…/appinstances/{name}/changes?since=</c>, every member's changes in time order with who made them,
/// including objects that left the application in the window (a deleted Pod, a ConfigMap no longer in
/// the release). Only objects the user may read are asked about.
/// </summary>
internal sealed class ApplicationHistory(ClusterCache cache, AccessControl security, TimeProvider time, HistoryTargets targets, Hosting.HistoryService? history = null)
{
    public const string Subresource = "changes";

    // Asking the store about more objects than this at once for LAST CHANGE reads the newest changes instead.
    private const int MaxUidsAsked = 2_000;
    private const int NewestScanned = 5_000;
    private static readonly TimeSpan LastChangeWindow = TimeSpan.FromDays(30);

    public bool Enabled => history is not null;

    /// <summary>
    /// When each application last changed, within 30 days: <paramref name="owner"/> says which application
    /// each object the user sees belongs to (hidden ones are not in it). Empty without history.
    /// </summary>
    public async Task<Dictionary<AppKey, DateTimeOffset>> LastChangesAsync(Dictionary<string, AppKey>? owner, CancellationToken cancellationToken)
    {
        Dictionary<AppKey, DateTimeOffset> last = [];
        if (history is null || owner is null || owner.Count == 0 || !history.StoreOpen) return last;
        var namespaces = owner.Values.Select(k => k.Namespace).Distinct().Take(2).ToList();
        var query = new ChangeQuery
        {
            Since = time.GetUtcNow() - LastChangeWindow,
            Uids = owner.Count <= MaxUidsAsked ? owner.Keys : null,
            Namespace = owner.Count > MaxUidsAsked && namespaces.Count == 1 ? namespaces[0] : null,
            Order = ChangeOrder.NewestFirst,
            Limit = NewestScanned,
            IncludeGaps = false,
        };
        try
        {
            foreach (var row in await history.Store.ChangesAsync(query, cancellationToken))
            {
                if (owner.TryGetValue(row.Version.Uid, out var key) && (!last.TryGetValue(key, out var seen) || row.Version.ObservedAt > seen)) last[key] = row.Version.ObservedAt;
            }
        }
        catch (HistoryUnavailableException)
        {
            // LAST CHANGE is a courtesy of a list: without the database it shows "-", and the list still answers.
        }
        return last;
    }

    /// <summary>The uids whose changes belong to an application's history as this user sees it.</summary>
    public static Dictionary<string, string> Uids(ApplicationSummary app)
    {
        var via = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tree in app.Trees) Collect(tree, "member", via);
        return via;
    }

    public async Task ChangesAsync(HttpContext context, ApplicationSummary app, DateTimeOffset since, int limit)
    {
        if (await targets.EnabledAsync(context) is not { } history) return;
        var via = Uids(app);
        foreach (var uid in cache.Index.Applications.Departed(app.Key)) via.TryAdd(uid, ChangeScan.Departed);
        // Objects that left are no longer in the index: their rows are shown only where the user may read their kind and namespace.
        var scan = await ChangeScan.RunAsync(history.Store, new ChangeQuery { Since = since, Uids = via.Keys, IncludeGaps = false }, limit,
            ChangeScan.KeepDeparted(security.Filter, context.GetKubernetesUser(), via), context.RequestAborted);
        if (scan.Warning(limit) is { } warning) context.Response.Headers.Append("Warning", warning);
        await JsonAnswers.WriteListAsync(context, scan.Items, w =>
            {
                HistoryJsonWriter.WriteListStart(w, "ChangeList");
                w.WriteStartObject("application");
                w.WriteString("namespace", app.Key.Namespace);
                w.WriteString("name", app.Key.ItemName);
                w.WriteEndObject();
                w.WriteString("since", HistoryJsonWriter.Time(since));
                w.WriteStartArray("items");
            },
            (w, v) => HistoryJsonWriter.WriteVersion(w, v, withObject: true, via.GetValueOrDefault(v.Version.Uid),
                cache.Catalog.Find(new Graph.Model.GroupResource(v.Version.Group, v.Version.Resource))?.Kind),
            HistoryJsonWriter.WriteListEnd);
    }

    private static void Collect<T>(CompositionNode node, T value, Dictionary<string, T> into)
    {
        into.TryAdd(node.Object.Uid, value);
        foreach (var child in node.Children) Collect(child, value, into);
    }
}
