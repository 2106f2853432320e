using KubeDiscovery.Graph.Index;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Graph.Resources;

namespace KubeDiscovery.Graph.Compositions;

/// <summary>
/// The roots whose compositions are the items of <c>compositions</c> (namespaced roots) and
/// <c>clustercompositions</c> (cluster-scoped ones): objects with no owner, or none that exists (an
/// owner in another namespace does not count, as for Kubernetes' garbage collector).
/// </summary>
public static class CompositionRoots
{
    public static bool IsRoot(ObjectRecord record, ClusterIndex index)
    {
        foreach (var owner in record.Owners)
        {
            if (index.FindByUid(owner.Uid) is { } found && OwnershipRules.IsValidDependent(found, record)) return false;
        }
        return true;
    }

    /// <summary>
    /// Namespaced roots in <paramref name="namespace"/> (every namespace when null), or with
    /// <paramref name="clusterScoped"/> the cluster-scoped roots; sorted by namespace, kind, name.
    /// Costs the objects of the scope, not of the cluster.
    /// </summary>
    public static List<ObjectRecord> List(ClusterIndex index, ResourceCatalog catalog, string? @namespace, bool clusterScoped)
    {
        List<ObjectRecord> roots = [];
        foreach (var type in catalog.Followed)
        {
            if (type.Namespaced == clusterScoped) continue;
            foreach (var record in index.List(type.GroupResource, clusterScoped ? null : @namespace))
            {
                if (IsRoot(record, index)) roots.Add(record);
            }
        }
        roots.Sort(Order);
        return roots;
    }

    /// <summary>The items' order: namespace, kind, name (and group, where kinds repeat).</summary>
    public static int Order(ObjectRecord a, ObjectRecord b)
    {
        var c = string.CompareOrdinal(a.Namespace, b.Namespace);
        if (c == 0) c = string.CompareOrdinal(a.Kind, b.Kind);
        if (c == 0) c = string.CompareOrdinal(a.Type.Group, b.Type.Group);
        if (c == 0) c = string.CompareOrdinal(a.Name, b.Name);
        return c;
    }
}
