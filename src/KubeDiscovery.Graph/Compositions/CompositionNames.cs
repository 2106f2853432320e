using System.Runtime.CompilerServices;
using KubeDiscovery.Graph.Index;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Graph.Resources;

namespace KubeDiscovery.Graph.Compositions;

/// <summary>
/// Names of the items of the listable <c>compositions</c> and <c>clustercompositions</c> resources: the
/// root's kind in lower case, its group unless the kind alone says it, and its name —
/// <c>deployment.frontend</c>, <c>postgres.db.example.com.orders-db</c>, <c>namespace.shop</c>. The group
/// is left out for Kubernetes' own groups (core, single-word groups such as <c>apps</c>, and
/// <c>*.k8s.io</c>) when the kind resolves to that resource alone; custom resources always carry it.
/// Every such name is also a valid Kubernetes object name (lower case, dots allowed).
/// </summary>
public static class CompositionNames
{
    private static readonly ConditionalWeakTable<ResourceCatalog, Prefixes> ByCatalog = [];

    public static string NameOf(ObjectRecord root, ResourceCatalog catalog) => $"{PrefixOf(root.Type, catalog)}.{root.Name}";

    /// <summary>The <c>kind[.group]</c> part of <paramref name="type"/>'s item names.</summary>
    public static string PrefixOf(ResourceType type, ResourceCatalog catalog)
    {
        var kind = type.Kind.ToLowerInvariant();
        return IsShortForm(type, kind, catalog) ? kind : $"{kind}.{type.Group}";
    }

    /// <summary>
    /// Finds the root an item name names, in <paramref name="namespace"/> (null for cluster-scoped roots).
    /// Names with dots can split more than one way (a ConfigMap may be called <c>app.config</c>): the
    /// longest prefix that names a resource and an existing object wins. The prefix is the item name's
    /// <c>kind[.group]</c>, or any name kubectl takes for the resource: <c>deployments.cart</c>,
    /// <c>deploy.cart</c>, <c>deployments.apps.cart</c>.
    /// </summary>
    public static ObjectRecord? Find(string itemName, string? @namespace, ResourceCatalog catalog, ClusterIndex index)
    {
        var prefixes = ByCatalog.GetValue(catalog, c => new Prefixes(c));
        for (var dot = itemName.LastIndexOf('.'); dot > 0; dot = itemName.LastIndexOf('.', dot - 1))
        {
            var prefix = itemName[..dot];
            var type = prefixes.Types.GetValueOrDefault(prefix) ?? catalog.Resolve(prefix);
            if (type is null || type.Namespaced != (@namespace is not null)) continue;
            var found = index.Find(type.Storage, @namespace, itemName[(dot + 1)..]);
            if (found is not null) return found;
        }
        return null;
    }

    /// <summary>Every object named <paramref name="objectName"/> in <paramref name="namespace"/>, of any followed kind: what a bare name may have meant.</summary>
    public static IEnumerable<ObjectRecord> Named(string objectName, string? @namespace, ResourceCatalog catalog, ClusterIndex index)
    {
        foreach (var type in catalog.Followed)
        {
            if (type.Namespaced != (@namespace is not null)) continue;
            if (index.Find(type.GroupResource, @namespace, objectName) is { } found) yield return found;
        }
    }

    private static bool IsShortForm(ResourceType type, string kind, ResourceCatalog catalog) =>
        (type.Group.Length == 0 || !type.Group.Contains('.') || type.Group.EndsWith(".k8s.io", StringComparison.Ordinal))
        && catalog.Resolve(kind) is { } resolved && resolved.Storage == type.Storage;

    /// <summary>Every item-name prefix a catalog's resources answer to.</summary>
    private sealed class Prefixes
    {
        public Prefixes(ResourceCatalog catalog)
        {
            foreach (var type in catalog.Followed)
            {
                var kind = type.Kind.ToLowerInvariant();
                Types.TryAdd($"{kind}.{type.Group}", type);
                if (IsShortForm(type, kind, catalog)) Types.TryAdd(kind, type);
            }
        }

        public Dictionary<string, ResourceType> Types { get; } = new(StringComparer.Ordinal);
    }
}
