using System.Globalization;
using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Index;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Applications;

/// <summary>
/// Reads applications out of the <see cref="ApplicationIndex"/>: which exist in a namespace, their member
/// objects, their Helm revision, and how they nest (an Argo CD Application deployed by another, a
/// Kustomization applied by another, <c>app.kubernetes.io/part-of</c>). Costs the applications asked
/// about and their members, never the cluster.
/// </summary>
public static class ApplicationTopology
{
    /// <summary>
    /// The applications in <paramref name="namespace"/> (all when null), sorted by namespace then item
    /// name, each with its parent; a <c>part-of</c> application that only groups others is included.
    /// </summary>
    public static List<(AppKey Key, AppKey? Parent)> List(ClusterIndex index, string? @namespace)
    {
        // Kept while no application gained or lost anything (the version moves with every such change):
        // placing 2,000 applications costs more than a list of them answered from ApplicationListCache.
        var apps = index.Applications;
        var (version, settings) = (apps.Version, apps.Settings);
        if (apps.Listed is not { } listed || listed.Version != version || !ReferenceEquals(listed.Settings, settings))
        {
            listed = new ApplicationPlacement(version, settings, Place(index));
            apps.Listed = listed;
        }
        return @namespace is null ? [.. listed.All] : listed.All.FindAll(a => a.Key.Namespace == @namespace);
    }

    private static List<(AppKey Key, AppKey? Parent)> Place(ClusterIndex index)
    {
        var apps = index.Applications;
        Dictionary<AppKey, AppKey?> found = [];
        foreach (var key in apps.Keys())
        {
            if (!HasMembers(index, key) && apps.Root(key) is null) continue;
            found[key] = ParentOf(index, key);
        }
        foreach (var parent in found.Values.ToList())
        {
            if (parent is { Form: AppKey.PartOf } p && !found.ContainsKey(p)) found[p] = null;
        }
        var list = found.Select(p => (p.Key, p.Value)).ToList();
        list.Sort(static (a, b) => Compare(a.Key, b.Key));
        return list;
    }

    public static int Compare(AppKey a, AppKey b)
    {
        var c = string.CompareOrdinal(a.Namespace, b.Namespace);
        if (c == 0) c = string.CompareOrdinal(a.Form, b.Form);
        if (c == 0) c = string.CompareOrdinal(a.Name, b.Name);
        return c;
    }

    private static bool HasMembers(ClusterIndex index, AppKey key)
    {
        foreach (var entry in index.Applications.Members(key))
        {
            if (!entry.IsRemoved) return true;
        }
        return false;
    }

    /// <summary>Whether the application exists: it has members, a root, or children that name it (part-of).</summary>
    public static bool Exists(ClusterIndex index, AppKey key) =>
        HasMembers(index, key) || index.Applications.Root(key) is not null
        || (key.Form == AppKey.PartOf && List(index, key.Namespace).Any(a => a.Parent == key));

    /// <summary>The objects that are the application's own (not what they own), sorted by kind, then name (unless <paramref name="sorted"/> is false: a list's rollup needs no order).</summary>
    public static List<ObjectRecord> MemberRecords(ClusterIndex index, AppKey key, bool sorted = true)
    {
        var entries = index.Applications.Members(key);
        var members = new List<ObjectRecord>(entries.Length);
        foreach (var entry in entries)
        {
            if (!entry.IsRemoved) members.Add(entry.Record);
        }
        if (sorted && members.Count > 1) members.Sort(CompositionRoots.Order);
        return members;
    }

    /// <summary>The application this one is part of: the one that deployed its root object, else its members' <c>part-of</c>.</summary>
    public static AppKey? ParentOf(ClusterIndex index, AppKey key)
    {
        var apps = index.Applications;
        if (apps.Root(key) is { } root && apps.ClaimOf(root) is { } owner && owner != key) return owner;
        return key.Form != AppKey.PartOf && apps.PartOf(key) is { } group ? new AppKey(AppKey.PartOf, key.Namespace, group) : null;
    }

    /// <summary>The applications nested in this one.</summary>
    public static List<AppKey> ChildrenOf(ClusterIndex index, AppKey key)
    {
        var children = new List<AppKey>();
        foreach (var candidate in index.Applications.Keys())
        {
            if (candidate != key && ParentOf(index, candidate) == key) children.Add(candidate);
        }
        children.Sort(Compare);
        return children;
    }

    /// <summary>
    /// The applications a change to <paramref name="record"/> (before or after it) touches: the claim of the
    /// object nothing owns above it, and the application it is the root or a Helm release record of.
    /// </summary>
    public static IEnumerable<AppKey> Touched(ClusterIndex index, ObjectRecord? record)
    {
        if (record is null) yield break;
        if (index.Applications.ApplicationOf(record) is { } claim) yield return claim;
        if (record.Namespace is not { } ns) yield break;
        if (ApplicationMarkers.RootKinds.TryGetValue((record.Type.Group, record.Kind), out var form)) yield return new AppKey(form, ns, record.Name);
        if (ApplicationMarkers.IsHelmReleaseRecord(record)) yield return new AppKey(AppKey.Helm, ns, ApplicationMarkers.Label(record.Labels, "name")!);
    }

    /// <summary>A Helm release's records that still exist.</summary>
    public static IEnumerable<ObjectRecord> ReleaseRecords(ClusterIndex index, AppKey key)
    {
        if (key.Form != AppKey.Helm) yield break;
        foreach (var entry in index.Applications.Releases(key).ToArray())
        {
            if (!entry.IsRemoved) yield return entry.Record;
        }
    }

    /// <summary>A Helm release's newest record, from its labels alone (<c>version</c>, <c>status</c>); the payload is never read.</summary>
    public static HelmRevision? HelmOf(ClusterIndex index, AppKey key, Func<ObjectRecord, bool>? readable = null)
    {
        if (key.Form != AppKey.Helm) return null;
        HelmRevision? newest = null;
        foreach (var entry in index.Applications.Releases(key))
        {
            if (entry.IsRemoved || readable?.Invoke(entry.Record) == false) continue;
            var record = entry.Record;
            if (!int.TryParse(ApplicationMarkers.Label(record.Labels, "version"), NumberStyles.None, CultureInfo.InvariantCulture, out var version)) continue;
            if (newest is null || version > newest.Revision)
            {
                newest = new HelmRevision(version, ApplicationMarkers.Label(record.Labels, "status") ?? "unknown", record.CreationTimestamp);
            }
        }
        return newest;
    }
}
