using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Sources.Live;

/// <summary>
/// Which listable resources the live source follows, from <c>--resources</c> and
/// <c>--exclude-resources</c> (each name <c>plural</c> or <c>plural.group</c>, case-insensitive).
/// </summary>
public sealed class ResourceFilter
{
    /// <summary>
    /// Excluded unless named in <c>--resources</c>. Events never own anything and are owned by
    /// nothing (they point at their object through <c>involvedObject</c>, not an owner reference), yet
    /// they are the highest-churn kind of every cluster — one write per step of every Pod's life — so
    /// following them would cost memory and CPU for no composition answer.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultExclusions = ["events", "events.events.k8s.io"];

    private readonly HashSet<string> _include;
    private readonly HashSet<string> _exclude;

    /// <param name="include">Follow only these; empty follows all. When given, the default exclusions do not apply.</param>
    /// <param name="exclude">Never follow these; null means <see cref="DefaultExclusions"/>.</param>
    public ResourceFilter(IReadOnlyList<string> include, IReadOnlyList<string>? exclude)
    {
        _include = new(include.Select(Normalize), StringComparer.OrdinalIgnoreCase);
        var excluded = exclude ?? (include.Count > 0 ? [] : DefaultExclusions);
        _exclude = new(excluded.Select(Normalize), StringComparer.OrdinalIgnoreCase);
    }

    public bool Follows(ResourceType type)
    {
        string[] names = type.Group.Length == 0 ? [type.Plural] : [type.Plural, $"{type.Plural}.{type.Group}"];
        if (names.Any(_exclude.Contains)) return false;
        return _include.Count == 0 || names.Any(_include.Contains);
    }

    private static string Normalize(string name) => name.Trim().TrimEnd('.');
}
