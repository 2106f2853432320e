using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Compositions;

/// <summary>One node of a composition tree: an object and what it is composed of.</summary>
public sealed class CompositionNode
{
    public CompositionNode(ObjectRecord obj, int depth) => (Object, Depth) = (obj, depth);

    public ObjectRecord Object { get; }

    /// <summary>Distance from the root (0 for the root).</summary>
    public int Depth { get; }

    public List<CompositionNode> Children { get; } = [];

    /// <summary>This object already appears above it on the path: the tree is cut here.</summary>
    public bool Cycle { get; init; }

    /// <summary>
    /// This object appears, expanded, earlier in the same answer (same uid): its children are shown
    /// there, not repeated here. Objects with several owners are expanded once per answer.
    /// </summary>
    public bool ExpandedElsewhere { get; set; }

    /// <summary>Children exist but were not expanded (the depth limit or the node budget was reached).</summary>
    public bool Truncated { get; set; }

    /// <summary>Children left out because the requesting user may not read them.</summary>
    public int HiddenChildren { get; set; }

    /// <summary>
    /// What the root belongs to (root only; see <see cref="AncestorBuilder"/>): its owners, whose
    /// <see cref="Children"/> are their owners in turn. Empty for a root object.
    /// </summary>
    public IReadOnlyList<CompositionNode> Ancestors
    {
        get => _root?.Ancestors ?? [];
        set => RootFacts().Ancestors = value;
    }

    /// <summary>Owners of the root that the requesting user may not read (root only).</summary>
    public int HiddenAncestors
    {
        get => _root?.HiddenAncestors ?? 0;
        set => RootFacts().HiddenAncestors = value;
    }

    /// <summary>Owner references of the root that name no object in the cluster (root only).</summary>
    public IReadOnlyList<OwnerReference> DanglingOwners
    {
        get => _root?.DanglingOwners ?? [];
        set
        {
            if (value.Count > 0 || _root is not null) RootFacts().DanglingOwners = value;
        }
    }

    // What only a root has, apart: every other node of a tree stays as small as before ancestors existed.
    private RootOnly? _root;

    private RootOnly RootFacts() => _root ??= new RootOnly();

    private sealed class RootOnly
    {
        public IReadOnlyList<CompositionNode> Ancestors = [];
        public int HiddenAncestors;
        public IReadOnlyList<OwnerReference> DanglingOwners = [];
    }
}
