using System.Collections.Frozen;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Resources;

/// <summary>
/// An immutable view of the resources a cluster serves, in discovery priority order (core first,
/// then groups in <c>/apis</c> order), answering every name form kubectl users type. Sources swap in
/// a new catalog when CRDs come and go.
/// </summary>
public sealed class ResourceCatalog
{
    private readonly FrozenDictionary<GroupResource, ResourceType> _byGroupResource;
    private readonly FrozenDictionary<(string Group, string Kind), ResourceType> _byKind;
    private readonly FrozenDictionary<string, ResourceType> _byPlural;
    private readonly FrozenDictionary<string, ResourceType> _bySingular;
    private readonly FrozenDictionary<string, ResourceType> _byShortName;
    private readonly FrozenDictionary<string, ResourceType> _byKindName;

    public static readonly ResourceCatalog Empty = new([]);

    /// <param name="typesInPriorityOrder">Types, highest priority first; later duplicates of a group/resource are ignored.</param>
    public ResourceCatalog(IEnumerable<ResourceType> typesInPriorityOrder)
    {
        List<ResourceType> unique = [];
        var seen = new HashSet<GroupResource>();
        foreach (var type in typesInPriorityOrder)
        {
            if (seen.Add(type.GroupResource)) unique.Add(type with { AliasOf = null });
        }
        var types = MarkAliases(unique);
        Types = types;
        Followed = types.Where(t => t.AliasOf is null).ToList();

        _byGroupResource = types.ToFrozenDictionary(t => t.GroupResource);
        _byKind = FirstWins(types, t => [(t.Group, t.Kind)], EqualityComparer<(string, string)>.Default);
        _byPlural = FirstWins<string>(types, t => [t.Plural], StringComparer.OrdinalIgnoreCase);
        _bySingular = FirstWins<string>(types, t => [t.SingularOrKind], StringComparer.OrdinalIgnoreCase);
        _byShortName = FirstWins<string>(types, t => t.ShortNames, StringComparer.OrdinalIgnoreCase);
        _byKindName = FirstWins<string>(types, t => [t.Kind], StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>All types, highest priority first, aliases included (each answers under its own name).</summary>
    public IReadOnlyList<ResourceType> Types { get; }

    /// <summary>The types whose objects a source follows and indexes: every type but the aliases.</summary>
    public IReadOnlyList<ResourceType> Followed { get; }

    /// <summary>The type objects of <paramref name="type"/> are indexed as (itself unless it is an alias).</summary>
    public ResourceType StorageOf(ResourceType type) =>
        type.AliasOf is { } storage ? _byGroupResource.GetValueOrDefault(storage) ?? type : type;

    public ResourceType? Find(GroupResource resource) => _byGroupResource.GetValueOrDefault(resource);

    public ResourceType? FindByKind(string group, string kind) => _byKind.GetValueOrDefault((group, kind));

    /// <summary>The type of a bare kind name (<c>Secret</c>, <c>MysqlCluster</c>), highest priority first.</summary>
    public ResourceType? FindKindName(string kind) => _byKindName.GetValueOrDefault(kind);

    /// <summary>A catalog with <paramref name="more"/> appended after the existing types.</summary>
    public ResourceCatalog With(IEnumerable<ResourceType> more) => new(Types.Concat(more));

    /// <summary>
    /// Resolves <c>plural</c>, <c>singular</c>, short name or <c>Kind</c>, optionally qualified as
    /// <c>name.group</c> or <c>name.version.group</c>; case-insensitive. An unqualified name matching
    /// several groups resolves to the first in discovery order, as kubectl does.
    /// </summary>
    public ResourceType? Resolve(string name)
    {
        if (string.IsNullOrEmpty(name)) return null;
        var unqualified = _byPlural.GetValueOrDefault(name)
            ?? _bySingular.GetValueOrDefault(name)
            ?? _byShortName.GetValueOrDefault(name)
            ?? _byKindName.GetValueOrDefault(name);
        if (unqualified is not null) return unqualified;

        // Qualified forms: try each split point, so groups with dots (apps vs. db.example.com) work.
        for (var dot = name.IndexOf('.'); dot > 0; dot = name.IndexOf('.', dot + 1))
        {
            var head = name[..dot];
            var tail = name[(dot + 1)..];
            var match = MatchInGroup(head, tail, version: null);
            if (match is not null) return match;

            // name.version.group
            var versionDot = tail.IndexOf('.');
            if (versionDot > 0)
            {
                match = MatchInGroup(head, tail[(versionDot + 1)..], tail[..versionDot]);
                if (match is not null) return match;
            }
        }
        return null;
    }

    private ResourceType? MatchInGroup(string name, string group, string? version)
    {
        ResourceType? bySingular = null, byShort = null, byKind = null;
        foreach (var type in Types)
        {
            if (!type.Group.Equals(group, StringComparison.OrdinalIgnoreCase)) continue;
            if (version is not null && !type.Version.Equals(version, StringComparison.OrdinalIgnoreCase)) continue;
            if (type.Plural.Equals(name, StringComparison.OrdinalIgnoreCase)) return type;
            if (bySingular is null && type.SingularOrKind.Equals(name, StringComparison.OrdinalIgnoreCase)) bySingular = type;
            if (byShort is null && type.ShortNames.Any(s => s.Equals(name, StringComparison.OrdinalIgnoreCase))) byShort = type;
            if (byKind is null && type.Kind.Equals(name, StringComparison.OrdinalIgnoreCase)) byKind = type;
        }
        return bySingular ?? byShort ?? byKind;
    }

    /// <summary>
    /// Resources with one storage (equal kind and <c>storageVersionHash</c>) become aliases of one of them:
    /// the first in priority order (so the core group's <c>events</c>), passing over the deprecated
    /// <c>extensions</c> group, which 1.19 still lists before <c>networking.k8s.io</c>.
    /// </summary>
    private static List<ResourceType> MarkAliases(List<ResourceType> types)
    {
        var storage = new Dictionary<(string Kind, string Hash), ResourceType>();
        foreach (var type in types.OrderBy(t => t.Group == "extensions" ? 1 : 0))
        {
            if (type.StorageVersionHash.Length > 0) storage.TryAdd((type.Kind, type.StorageVersionHash), type);
        }
        return types.Select(t =>
            t.StorageVersionHash.Length > 0 && storage[(t.Kind, t.StorageVersionHash)] is var owner && owner != t
                ? t with { AliasOf = owner.GroupResource }
                : t).ToList();
    }

    private static FrozenDictionary<TKey, ResourceType> FirstWins<TKey>(
        IEnumerable<ResourceType> types, Func<ResourceType, IEnumerable<TKey>> keys, IEqualityComparer<TKey> comparer)
        where TKey : notnull
    {
        var map = new Dictionary<TKey, ResourceType>(comparer);
        foreach (var type in types)
        {
            foreach (var key in keys(type)) map.TryAdd(key, type);
        }
        return map.ToFrozenDictionary(comparer);
    }
}
