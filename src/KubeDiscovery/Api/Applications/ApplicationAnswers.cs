using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Applications;
using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Graph.Status;
using KubeDiscovery.Security;
using KubeDiscovery.Security.Authentication;

namespace KubeDiscovery.Api.Applications;

/// <summary>
/// Builds applications as one user may see them, through the same visibility step as compositions (one
/// review per kind and namespace, decided before anything is counted). A list counts each application's
/// objects with <see cref="ApplicationRollup"/> and builds trees only under not-ready members, for their
/// cause; one application is built whole. An application none of whose members or root the user may
/// read is left out, uncounted, and a child application is named only when the user sees it.
/// </summary>
internal sealed class ApplicationAnswers(ClusterCache cache, AccessControl security, CompositionOptions options)
{
    private readonly ApplicationListCache _listCache = new(cache.Index);

    /// <summary>What one answer holds, and whether its node budget cut it.</summary>
    public sealed record Answer(List<ApplicationSummary> Apps, bool Cut, Dictionary<string, AppKey>? Uids);

    /// <param name="keys">The applications, in answer order, each with its parent; children are found among them.</param>
    /// <param name="withTrees">Build the members' trees (one application's answer); else count them.</param>
    /// <param name="withUids">Also say which application each object the user sees belongs to (LAST CHANGE).</param>
    public async ValueTask<Answer> BuildAsync(UserInfo user, IReadOnlyList<(AppKey Key, AppKey? Parent)> keys, bool withTrees, bool withUids,
        CancellationToken cancellationToken)
    {
        var index = cache.Index;
        var members = new List<(AppKey Key, List<ObjectRecord> Members, ObjectRecord? Root, ApplicationListCache.Entry? Kept)>(keys.Count);
        List<ObjectRecord> all = [];
        List<ObjectRecord> extras = [];
        // Who may read everything needs no decision, and no list of what the answer can hold; their list is
        // answered from what was kept where nothing changed since (ApplicationListCache).
        var filter = security.Filter;
        var everything = filter.SeesEverything(user);
        var kept = everything && !withTrees ? _listCache : null;
        var keptAt = kept?.Refresh() ?? 0;
        foreach (var (key, _) in keys)
        {
            if (kept is not null && kept.TryGet(key, withUids, out var entry))
            {
                members.Add((key, [], null, entry));
                continue;
            }
            var records = ApplicationTopology.MemberRecords(index, key, sorted: withTrees);
            var root = index.Applications.Root(key);
            members.Add((key, records, root, null));
            if (everything && !withTrees) continue;
            all.AddRange(records);
            if (root is not null) extras.Add(root);
            extras.AddRange(ApplicationTopology.ReleaseRecords(index, key));
        }
        // One decision for the answer: the kinds and namespaces of everything it can hold, roots and Helm's
        // release records (Secrets: their labels are the release's revision and status) included.
        Func<ObjectRecord, bool>? visible = null;
        if (!everything)
        {
            var reachable = new CompositionBuilder(index, options).Reachable(all).Concat(extras);
            visible = await filter.VisibilityAsync(user, reachable, cancellationToken);
        }
        var builderOptions = visible is null ? options : options with { IsVisible = visible };
        var rollup = new ApplicationRollup(index, options, visible);
        Dictionary<ObjectRecord, CompositionNode>? treeOf = null;
        var cut = false;
        if (withTrees)
        {
            var builder = new CompositionBuilder(index, builderOptions);
            treeOf = new Dictionary<ObjectRecord, CompositionNode>(ReferenceEqualityComparer.Instance);
            foreach (var tree in builder.BuildAll(visible is null ? all : all.Where(visible))) treeOf[tree.Object] = tree;
            cut = builder.BudgetExhausted;
        }
        var uids = withUids ? new Dictionary<string, AppKey>(StringComparer.Ordinal) : null;

        // Warning Events name a cause only where the user may read Events (a separate resource from the object's).
        Func<ObjectRecord, IReadOnlyList<Graph.Events.Warning>>? warnings = null;
        if (index.Warnings.Count > 0)
        {
            Func<string, string, string, bool>? mayRead = null;
            if (!everything)
            {
                var namespaces = members.SelectMany(m => m.Members).Select(r => r.Namespace ?? "").Distinct().Select(ns => ("", "events", ns)).ToList();
                mayRead = await filter.ScopesAsync(user, namespaces, cancellationToken);
            }
            warnings = r => mayRead is null || mayRead("", "events", r.Namespace ?? "") ? index.Warnings.Of(r.Uid) : [];
        }

        var seen = new List<ApplicationSummary>(members.Count);
        List<CompositionNode> noTrees = [];
        var shown = new HashSet<AppKey>();
        var causeBuilder = new CompositionBuilder(index, builderOptions);
        foreach (var (key, records, root, entry) in members)
        {
            if (entry is not null)
            {
                seen.Add(entry.Summary);
                if (uids is not null) foreach (var uid in entry.Uids!) uids.TryAdd(uid, key);
                if (entry.Summary.Members.Count > 0 || entry.Summary.Root is not null) shown.Add(key);
                continue;
            }
            var mine = visible is null ? records : records.Where(visible).ToList();
            var visibleRoot = root is not null && (visible is null || visible(root)) ? root : null;
            var trees = treeOf is null ? noTrees : [];
            (int Objects, int Hidden) counts;
            List<string>? objectUids = null;
            if (treeOf is not null)
            {
                foreach (var record in mine) if (treeOf.TryGetValue(record, out var tree)) trees.Add(tree);
                counts = Count(trees);
            }
            else
            {
                objectUids = uids is null ? null : [];
                counts = rollup.Count(mine, objectUids);
                if (objectUids is not null) foreach (var uid in objectUids) uids!.TryAdd(uid, key);
            }
            // Why it is not ready: the trees under its not-ready members only.
            List<ObjectRecord>? notReady = null;
            foreach (var m in mine) if (m.Status.Ready == ReadyState.False) (notReady ??= []).Add(m);
            if (!withTrees && notReady is { Count: > 1 }) notReady.Sort(CompositionRoots.Order);
            IReadOnlyList<NotReadyCause> causes = notReady is null ? Array.Empty<NotReadyCause>()
                : NotReadyCauses.Find(treeOf is not null ? trees.Where(t => t.Object.Status.Ready == ReadyState.False) : causeBuilder.BuildAll(notReady), warnings);
            var summary = ApplicationSummary.Of(key, visibleRoot, mine, trees, counts, causes, ApplicationTopology.HelmOf(index, key, visible), null, []);
            seen.Add(summary);
            if (mine.Count > 0 || visibleRoot is not null) shown.Add(key);
            // Kept only whole: a count the answer's node budget cut is this answer's, not the next one's.
            if (kept is not null && notReady is null && !rollup.Cut) kept.Store(keptAt, key, new ApplicationListCache.Entry(summary, objectUids));
        }
        if (treeOf is null) cut = rollup.Cut;

        var childrenOf = new Dictionary<AppKey, List<AppKey>>();
        foreach (var (key, parent) in keys)
        {
            if (parent is { } p && shown.Contains(key)) (childrenOf.TryGetValue(p, out var list) ? list : childrenOf[p] = []).Add(key);
        }
        var parents = new Dictionary<AppKey, AppKey?>(keys.Count);
        foreach (var (key, parent) in keys) parents[key] = parent;

        List<ApplicationSummary> apps = [];
        foreach (var summary in seen)
        {
            var key = summary.Key;
            var children = childrenOf.GetValueOrDefault(key) ?? [];
            if (!shown.Contains(key) && children.Count == 0) continue;
            children.Sort(ApplicationTopology.Compare);
            // The parent is read from the root's marks, or from the members' part-of label: named only when those are readable.
            var parent = summary.Root is not null || summary.Members.Count > 0 ? parents[key] : null;
            apps.Add(summary.InFamily(parent, children));
        }
        // A part-of application with no objects of its own rolls up its children.
        var byKey = apps.ToDictionary(a => a.Key);
        for (var i = 0; i < apps.Count; i++)
        {
            if (apps[i].Members.Count == 0 && apps[i].Children.Count > 0)
            {
                apps[i] = apps[i].GroupOf(apps[i].Children.Select(byKey.GetValueOrDefault).OfType<ApplicationSummary>().ToList());
            }
        }
        return new Answer(apps, cut, uids);
    }

    private (int Objects, int Hidden) Count(List<CompositionNode> trees)
    {
        int objects = 0, hidden = 0;
        var pending = new Stack<CompositionNode>(trees);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            objects++;
            hidden += node.HiddenChildren;
            foreach (var child in node.Children) pending.Push(child);
        }
        return (objects, options.CountHidden ? hidden : 0);
    }
}
