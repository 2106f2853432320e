namespace KubeDiscovery.Graph.Index;

/// <summary>
/// The typed edges the index keeps reverse lookups for. Ownership is the first; selector, volume and
/// backend references (the coming <c>connections</c>) are further <see cref="RelationDefinition"/>s.
/// </summary>
public enum EdgeKind
{
    /// <summary>Child → owner, from <c>metadata.ownerReferences</c>; keyed by the owner's UID.</summary>
    OwnedBy,
}
