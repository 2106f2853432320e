using KubeDiscovery.Graph.Index;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Compositions;

/// <summary>
/// The other direction of a composition: what an object belongs to. From the object, every owner that
/// exists (and counts, by Kubernetes' namespace rule), then theirs, up to the top — every path when an
/// object has several owners — so "what does this Pod belong to?" is one answer. Bounded like trees:
/// no recursion, each object expanded once (later occurrences are <see cref="CompositionNode.ExpandedElsewhere"/>),
/// cycles cut, the depth capped, at most <see cref="CompositionOptions.MaxNodes"/> nodes.
/// In each returned node, <see cref="CompositionNode.Children"/> holds that object's owners.
/// </summary>
public sealed class AncestorBuilder(ClusterIndex index, CompositionOptions? options = null)
{
    private readonly CompositionOptions _options = options ?? CompositionOptions.Default;

    /// <summary>
    /// A node for <paramref name="obj"/> whose <see cref="CompositionNode.Children"/> are its owners, each with
    /// its own owners (none for a root), and whose <see cref="CompositionNode.HiddenChildren"/> counts the
    /// owners the requester may not see.
    /// </summary>
    public CompositionNode Build(ObjectRecord obj) => Build(obj, new Session(_options.MaxNodes));

    /// <summary>
    /// The same, within one answer: the answer's node budget, and its record of ancestors already shown,
    /// so the roots of a list (a chain of ConfigMaps, each listed) do not each repeat the whole way up.
    /// </summary>
    internal CompositionNode Build(ObjectRecord obj, Session session)
    {
        var top = new CompositionNode(obj, 0);
        var expanded = session.Expanded;
        expanded.Add(obj.Uid);
        var pending = new Stack<(CompositionNode Node, List<string> Path)>();
        pending.Push((top, [obj.Uid]));
        List<(CompositionNode, List<string>)> next = [];
        while (pending.Count > 0)
        {
            var (node, path) = pending.Pop();
            next.Clear();
            foreach (var owner in Owners(node.Object))
            {
                if (!IsVisible(owner))
                {
                    if (_options.CountHidden) node.HiddenChildren++;
                    continue;
                }
                if (--session.Budget < 0)
                {
                    node.Truncated = true;
                    break;
                }
                var up = new CompositionNode(owner, node.Depth + 1);
                node.Children.Add(up);
                if (path.Contains(owner.Uid))
                {
                    up = new CompositionNode(owner, node.Depth + 1) { Cycle = true };
                    node.Children[^1] = up;
                    continue;
                }
                if (!expanded.Add(owner.Uid))
                {
                    up.ExpandedElsewhere = true;
                    continue;
                }
                if (up.Depth >= _options.DepthCap)
                {
                    up.Truncated = Owners(owner).Any(IsVisible);
                    continue;
                }
                next.Add((up, [.. path, owner.Uid]));
            }
            // Depth first, in ownerReference order: the first path to a shared owner is the one that expands it.
            for (var i = next.Count - 1; i >= 0; i--) pending.Push(next[i]);
        }
        return top;
    }

    /// <summary>
    /// Every object the ancestors of <paramref name="obj"/> can hold, whoever asks (for deciding
    /// visibility); objects in <paramref name="seen"/> are not walked again, and are added to it.
    /// </summary>
    internal List<ObjectRecord> Reachable(ObjectRecord obj, HashSet<string> seen, int budget)
    {
        List<ObjectRecord> found = [];
        var pending = new Stack<(ObjectRecord Record, int Depth)>();
        pending.Push((obj, 0));
        while (pending.Count > 0 && found.Count < budget)
        {
            var (record, depth) = pending.Pop();
            foreach (var owner in Owners(record))
            {
                if (!seen.Add(owner.Uid)) continue;
                found.Add(owner);
                if (depth + 1 < _options.DepthCap) pending.Push((owner, depth + 1));
            }
        }
        return found;
    }

    /// <summary>What the ancestors of one answer share: its node budget and the objects already shown.</summary>
    internal sealed class Session(int budget)
    {
        public int Budget = budget;
        public readonly HashSet<string> Expanded = new(StringComparer.Ordinal);
    }

    // Owners in ownerReference order, as the object lists them; references to nothing are dangling, not ancestors.
    private IEnumerable<ObjectRecord> Owners(ObjectRecord record)
    {
        foreach (var reference in record.Owners)
        {
            if (index.FindByUid(reference.Uid) is { } owner && OwnershipRules.IsValidDependent(owner, record)) yield return owner;
        }
    }

    private bool IsVisible(ObjectRecord record) => _options.IsVisible is null || _options.IsVisible(record);
}
