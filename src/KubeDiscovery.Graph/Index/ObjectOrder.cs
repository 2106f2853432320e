using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Index;

/// <summary>The API's child order: kind, then namespace (cluster-scoped first), then name; ordinal.</summary>
public static class ObjectOrder
{
    public static int Compare(ObjectRecord a, ObjectRecord b)
    {
        var c = string.CompareOrdinal(a.Kind, b.Kind);
        if (c != 0) return c;
        c = string.CompareOrdinal(a.Namespace, b.Namespace);
        if (c != 0) return c;
        c = string.CompareOrdinal(a.Name, b.Name);
        return c != 0 ? c : string.CompareOrdinal(a.Uid, b.Uid);
    }

    /// <summary>List order for <c>*</c> answers: namespace, then name.</summary>
    public static int CompareByNamespaceAndName(ObjectRecord a, ObjectRecord b)
    {
        var c = string.CompareOrdinal(a.Namespace, b.Namespace);
        if (c != 0) return c;
        c = string.CompareOrdinal(a.Name, b.Name);
        return c != 0 ? c : string.CompareOrdinal(a.Uid, b.Uid);
    }
}
