using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Applications;
using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Security;
using KubeDiscovery.Security.Authentication;

namespace KubeDiscovery.Api.Applications;

/// <summary>
/// Builds applications as one user may see them: their members' trees through the same visibility step
/// as compositions (one review per kind and namespace, before anything is counted), then the rollup. An
/// application none of whose members or root the user may read is left out, uncounted, and a child
/// application is named only when the user sees it.
/// </summary>
internal sealed class ApplicationAnswers(ClusterCache cache, AccessControl security, CompositionOptions options)
{
    /// <summary>
    /// The applications of <paramref name="keys"/> the user may see, in that order, and whether the node
    /// budget cut their trees. Children are found among <paramref name="keys"/>.
    /// </summary>
    public async ValueTask<(List<ApplicationSummary> Apps, bool Cut)> BuildAsync(UserInfo user, IReadOnlyList<(AppKey Key, AppKey? Parent)> keys,
        CancellationToken cancellationToken)
    {
        var index = cache.Index;
        var members = new List<(AppKey Key, List<ObjectRecord> Members, ObjectRecord? Root)>(keys.Count);
        List<ObjectRecord> all = [];
        List<ObjectRecord> rootObjects = [];
        foreach (var (key, _) in keys)
        {
            var records = ApplicationTopology.MemberRecords(index, key);
            var root = index.Applications.Root(key);
            members.Add((key, records, root));
            all.AddRange(records);
            if (root is not null) rootObjects.Add(root);
            rootObjects.AddRange(ApplicationTopology.ReleaseRecords(index, key));
        }
        var answer = await security.Filter.BuildAsync(user, index, all, null, options, cancellationToken);
        var treeOf = new Dictionary<ObjectRecord, CompositionNode>(ReferenceEqualityComparer.Instance);
        foreach (var tree in answer.Trees) treeOf[tree.Object] = tree;
        // Roots and Helm's release records (Secrets: their labels are the release's revision and status).
        var readableRoots = rootObjects.Count == 0 ? [] : (await security.Filter.ReadableAsync(user, rootObjects, cancellationToken)).ToHashSet(ReferenceEqualityComparer.Instance);

        var seen = new List<(AppKey Key, ObjectRecord? Root, List<CompositionNode> Trees)>(members.Count);
        var visible = new HashSet<AppKey>();
        foreach (var (key, records, root) in members)
        {
            var trees = new List<CompositionNode>(records.Count);
            foreach (var record in records)
            {
                if (treeOf.TryGetValue(record, out var tree)) trees.Add(tree);
            }
            var visibleRoot = root is not null && readableRoots.Contains(root) ? root : null;
            seen.Add((key, visibleRoot, trees));
            if (trees.Count > 0 || visibleRoot is not null) visible.Add(key);
        }
        var childrenOf = new Dictionary<AppKey, List<AppKey>>();
        foreach (var (key, parent) in keys)
        {
            if (parent is { } p && visible.Contains(key)) (childrenOf.TryGetValue(p, out var list) ? list : childrenOf[p] = []).Add(key);
        }
        var parents = new Dictionary<AppKey, AppKey?>(keys.Count);
        foreach (var (key, parent) in keys) parents[key] = parent;

        // Warning Events name a cause only where the user may read Events (a separate resource from the object's).
        Func<ObjectRecord, IReadOnlyList<Graph.Events.Warning>>? warnings = null;
        if (index.Warnings.Count > 0)
        {
            var namespaces = treeOf.Keys.Select(r => r.Namespace ?? "").Distinct().Select(ns => ("", "events", ns)).ToList();
            var mayRead = await security.Filter.ScopesAsync(user, namespaces, cancellationToken);
            warnings = r => mayRead is null || mayRead("", "events", r.Namespace ?? "") ? index.Warnings.Of(r.Uid) : [];
        }
        List<ApplicationSummary> apps = [];
        foreach (var (key, root, trees) in seen)
        {
            var children = childrenOf.GetValueOrDefault(key) ?? [];
            if (!visible.Contains(key) && children.Count == 0) continue;
            children.Sort(ApplicationTopology.Compare);
            // The parent is read from the root's marks, or from the members' part-of label: named only when those are readable.
            var parent = root is not null || trees.Count > 0 ? parents[key] : null;
            apps.Add(ApplicationSummary.Of(key, root, trees, ApplicationTopology.HelmOf(index, key, readableRoots.Contains), parent, children, warnings));
        }
        // A part-of application with no objects of its own rolls up its children.
        var byKey = apps.ToDictionary(a => a.Key);
        for (var i = 0; i < apps.Count; i++)
        {
            if (apps[i].Trees.Count == 0 && apps[i].Children.Count > 0)
            {
                apps[i] = apps[i].GroupOf(apps[i].Children.Select(byKey.GetValueOrDefault).OfType<ApplicationSummary>().ToList());
            }
        }
        return (apps, answer.Cut);
    }
}
