using KubeDiscovery.Graph.Index;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Compositions;

/// <summary>
/// Builds the tree of everything an object is composed of by following owner references downwards
/// through the index. Costs the size of the answer: each node is one lookup of pre-sorted children.
/// </summary>
public sealed class CompositionBuilder(ClusterIndex index, int maxNodes = CompositionBuilder.DefaultMaxNodes)
{
    /// <summary>
    /// Guards against a hand-made graph of shared owners whose tree grows exponentially; no real
    /// workload comes near it.
    /// </summary>
    public const int DefaultMaxNodes = 100_000;

    /// <param name="maxDepth">Levels below the root to expand; null for all.</param>
    public CompositionNode Build(ObjectRecord root, int? maxDepth = null)
    {
        var node = new CompositionNode(root, 0) { DanglingOwners = FindDanglingOwners(root) };
        var budget = maxNodes - 1;
        var path = new List<string> { root.Uid };
        Expand(node, path, maxDepth ?? int.MaxValue, ref budget);
        return node;
    }

    private void Expand(CompositionNode parent, List<string> path, int maxDepth, ref int budget)
    {
        var children = index.Dependents.Sources(parent.Object.Uid);
        if (children.Length == 0) return;
        if (parent.Depth >= maxDepth)
        {
            parent.Truncated = HasValidChild(parent.Object, children);
            return;
        }

        foreach (var entry in children)
        {
            if (entry.IsRemoved) continue;
            var child = entry.Record;
            if (!OwnershipRules.IsValidDependent(parent.Object, child)) continue;
            if (budget <= 0)
            {
                parent.Truncated = true;
                return;
            }
            budget--;

            if (path.Contains(child.Uid))
            {
                parent.Children.Add(new CompositionNode(child, parent.Depth + 1) { Cycle = true });
                continue;
            }
            var node = new CompositionNode(child, parent.Depth + 1);
            parent.Children.Add(node);
            path.Add(child.Uid);
            Expand(node, path, maxDepth, ref budget);
            path.RemoveAt(path.Count - 1);
        }
    }

    private static bool HasValidChild(ObjectRecord parent, ObjectEntry[] children)
    {
        foreach (var entry in children)
        {
            if (!entry.IsRemoved && OwnershipRules.IsValidDependent(parent, entry.Record)) return true;
        }
        return false;
    }

    private IReadOnlyList<OwnerReference> FindDanglingOwners(ObjectRecord root)
    {
        List<OwnerReference>? dangling = null;
        foreach (var owner in root.Owners)
        {
            var found = index.FindByUid(owner.Uid);
            if (found is null || !OwnershipRules.IsValidDependent(found, root))
            {
                (dangling ??= []).Add(owner);
            }
        }
        return dangling ?? (IReadOnlyList<OwnerReference>)[];
    }
}
