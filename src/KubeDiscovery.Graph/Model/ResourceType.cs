namespace KubeDiscovery.Graph.Model;

/// <summary>One API resource as discovery describes it: names, kind, scope and preferred version.</summary>
public sealed record ResourceType
{
    public required string Group { get; init; }
    public required string Version { get; init; }
    public required string Kind { get; init; }
    /// <summary>The plural resource name used in paths, e.g. <c>deployments</c>.</summary>
    public required string Plural { get; init; }
    public string Singular { get; init; } = "";
    public IReadOnlyList<string> ShortNames { get; init; } = [];
    public required bool Namespaced { get; init; }
    /// <summary>The verbs discovery lists; empty when the type was inferred from objects alone.</summary>
    public IReadOnlyList<string> Verbs { get; init; } = [];

    /// <summary>
    /// Discovery's <c>storageVersionHash</c>: equal for resources served from one storage under several
    /// groups (<c>ingresses</c> in <c>extensions</c> and <c>networking.k8s.io</c>, <c>events</c> in core and
    /// <c>events.k8s.io</c>). Empty when unknown.
    /// </summary>
    public string StorageVersionHash { get; init; } = "";

    /// <summary>
    /// For an alias (another group serving the same storage), the resource its objects are indexed and
    /// followed under; null for the resource that is followed itself.
    /// </summary>
    public GroupResource? AliasOf { get; init; }

    public GroupResource GroupResource => new(Group, Plural);

    /// <summary>Where objects of this resource live in the index: itself, or what it is an alias of.</summary>
    public GroupResource Storage => AliasOf ?? GroupResource;

    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The singular name, or the lower-cased kind when discovery left it empty (as 1.19 does).</summary>
    public string SingularOrKind => Singular.Length > 0 ? Singular : Kind.ToLowerInvariant();

    public override string ToString() => GroupResource.ToString();
}
