using KubeDiscovery.Graph.Selectors;

namespace KubeDiscovery.Graph.Connections;

/// <summary>One reference an object makes by name: the edge it is (<see cref="LinkNames"/>) and the target's key.</summary>
public readonly record struct Reference(string Link, string Target);

/// <summary>
/// A label selector an object holds (a Service's, a PodDisruptionBudget's): it points at every object of
/// the target kind, in the holder's namespace (cluster-wide when the holder is cluster-scoped), whose
/// labels match.
/// </summary>
public sealed record LinkSelector(string Link, string TargetGroup, string TargetKind, LabelSelector Selector);

/// <summary>
/// What the index keeps of an object's spec for connections: its references, its selectors, and the
/// few notes rule sources carry (a CRD's <c>resource/*</c> annotations, a rules ConfigMap's data).
/// Immutable and compared by content, so objects with the same links share one instance.
/// </summary>
public sealed class ObjectLinks : IEquatable<ObjectLinks>
{
    public ObjectLinks(Reference[] references, LinkSelector[] selectors, KeyValuePair<string, string>[] notes)
    {
        References = references;
        Selectors = selectors;
        Notes = notes;
        var hash = new HashCode();
        foreach (var r in references) hash.Add(r);
        foreach (var s in selectors) hash.Add(s);
        foreach (var n in notes) hash.Add(n);
        _hash = hash.ToHashCode();
    }

    private readonly int _hash;

    /// <summary>Sorted by link then target; a target may appear under several links (mounted and read as env).</summary>
    public IReadOnlyList<Reference> References { get; }
    public IReadOnlyList<LinkSelector> Selectors { get; }
    public IReadOnlyList<KeyValuePair<string, string>> Notes { get; }

    public bool Equals(ObjectLinks? other) =>
        other is not null && (ReferenceEquals(this, other) || (_hash == other._hash
            && References.SequenceEqual(other.References) && Selectors.SequenceEqual(other.Selectors) && Notes.SequenceEqual(other.Notes)));

    public override bool Equals(object? obj) => Equals(obj as ObjectLinks);

    public override int GetHashCode() => _hash;
}
