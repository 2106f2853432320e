using System.Runtime.InteropServices;
using KubeDiscovery.Graph.Index;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Compositions;

/// <summary>
/// Builds the trees of everything objects are composed of by following owner references downwards
/// through the index. Costs the size of the answer: each node is one lookup of pre-sorted children.
/// One call is one answer, and an answer is bounded whatever shape ownership takes (a namespace user
/// can build any DAG of ConfigMaps): each object is expanded at most once (a later occurrence is a
/// node marked <see cref="CompositionNode.ExpandedElsewhere"/>), the node budget holds for the whole
/// answer, and depth is capped. No recursion, so no chain is deep enough to overflow the stack.
/// </summary>
public sealed class CompositionBuilder(ClusterIndex index, CompositionOptions? options = null)
{
    /// <summary>Guards against answers no one can read; no real workload comes near it.</summary>
    public const int DefaultMaxNodes = CompositionOptions.DefaultMaxNodes;

    private readonly CompositionOptions _options = options ?? CompositionOptions.Default;

    public CompositionBuilder(ClusterIndex index, int maxNodes)
        : this(index, CompositionOptions.Default with { MaxNodes = maxNodes })
    {
    }

    /// <param name="maxDepth">Levels below the root to expand; null for all (up to <see cref="CompositionOptions.DepthCap"/>).</param>
    public CompositionNode Build(ObjectRecord root, int? maxDepth = null) => BuildAll([root], maxDepth)[0];

    /// <summary>Whether the last <see cref="BuildAll"/> stopped expanding because the node budget ran out.</summary>
    public bool BudgetExhausted { get; private set; }

    /// <summary>The trees of <paramref name="roots"/> as one answer: one budget, each object expanded once per tree.</summary>
    public List<CompositionNode> BuildAll(IEnumerable<ObjectRecord> roots, int? maxDepth = null)
    {
        var list = roots as IReadOnlyList<ObjectRecord> ?? roots.ToList();
        var state = new AnswerState(_options.MaxNodes);
        var depthLimit = Math.Min(maxDepth ?? int.MaxValue, _options.DepthCap);
        List<CompositionNode> trees = new(list.Count);
        foreach (var root in list)
        {
            var node = new CompositionNode(root, 0) { DanglingOwners = FindDanglingOwners(root) };
            // What it belongs to, for objects that have owners (a root-of-everything has none to look up).
            if (root.Owners.Count > 0)
            {
                var ancestors = new AncestorBuilder.Session(state.Budget); // per tree, as its children
                var up = new AncestorBuilder(index, _options).Build(root, ancestors);
                state.Budget = Math.Max(0, ancestors.Budget); // one budget for the answer, trees and ancestors alike
                (node.Ancestors, node.HiddenAncestors) = (up.Children, up.HiddenChildren);
            }
            state.Budget--;
            state.NewTree();
            state.FirstVisit(root);
            Expand(node, depthLimit, state);
            trees.Add(node);
        }
        BudgetExhausted = state.Cut;
        return trees;
    }

    /// <summary>
    /// Every object the answer for <paramref name="roots"/> can contain, each once, within the same
    /// budget and depth, whoever asks. What the builder may then show is decided on these (for example
    /// by RBAC, per kind and namespace) before building.
    /// </summary>
    public IEnumerable<ObjectRecord> Reachable(IEnumerable<ObjectRecord> roots, int? maxDepth = null)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var seenUp = new HashSet<string>(StringComparer.Ordinal);
        var depthLimit = Math.Min(maxDepth ?? int.MaxValue, _options.DepthCap);
        var budget = _options.MaxNodes;
        var pending = new Stack<(ObjectRecord Record, int Depth)>();
        foreach (var root in roots)
        {
            if (!seen.Add(root.Uid)) continue;
            yield return root;
            if (root.Owners.Count > 0)
            {
                // A set of its own: an ancestor met first must still have its subtree walked if it is listed too.
                foreach (var ancestor in new AncestorBuilder(index, _options).Reachable(root, seenUp, Math.Max(0, budget))) yield return ancestor;
            }
            pending.Push((root, 0));
            while (pending.Count > 0)
            {
                var (parent, depth) = pending.Pop();
                foreach (var entry in index.Dependents.Sources(parent.Uid))
                {
                    if (entry.IsRemoved || !OwnershipRules.IsValidDependent(parent, entry.Record)) continue;
                    var child = entry.Record;
                    if (!seen.Add(child.Uid)) continue;
                    yield return child; // also at the depth limit: whether to say "truncated" depends on it
                    if (--budget > 0 && depth + 1 < depthLimit) pending.Push((child, depth + 1));
                }
            }
        }
    }

    private void Expand(CompositionNode root, int depthLimit, AnswerState state)
    {
        if (!TryStartFrame(root, depthLimit, state, out var first)) return;
        // The open frames are the path from the root: a child already on it closes a cycle.
        var stack = state.Frames;
        stack.Clear();
        stack.Add(first);
        while (stack.Count > 0)
        {
            ref var frame = ref CollectionsMarshal.AsSpan(stack)[^1];
            if (frame.Next >= frame.Children.Length)
            {
                stack.RemoveAt(stack.Count - 1);
                continue;
            }
            var entry = frame.Children[frame.Next++];
            var parent = frame.Node;
            if (entry.IsRemoved || !OwnershipRules.IsValidDependent(parent.Object, entry.Record)) continue;
            var child = entry.Record;
            if (!IsVisible(child))
            {
                if (_options.CountHidden) parent.HiddenChildren++;
                continue;
            }
            if (state.Budget <= 0)
            {
                parent.Truncated = true;
                state.Cut = true;
                stack.RemoveAt(stack.Count - 1);
                continue;
            }
            state.Budget--;

            if (OnPath(stack, child))
            {
                parent.Children.Add(new CompositionNode(child, parent.Depth + 1) { Cycle = true });
                continue;
            }
            if (!state.FirstVisit(child))
            {
                parent.Children.Add(new CompositionNode(child, parent.Depth + 1) { ExpandedElsewhere = true });
                continue;
            }
            var node = new CompositionNode(child, parent.Depth + 1);
            parent.Children.Add(node);
            if (TryStartFrame(node, depthLimit, state, out var next)) stack.Add(next);
        }
    }

    private static bool OnPath(List<Frame> stack, ObjectRecord record)
    {
        foreach (ref var frame in CollectionsMarshal.AsSpan(stack))
        {
            if (ReferenceEquals(frame.Node.Object, record) || frame.Node.Object.Uid == record.Uid) return true;
        }
        return false;
    }

    /// <returns>Whether <paramref name="node"/> has children to expand; marks it truncated at the depth limit.</returns>
    private bool TryStartFrame(CompositionNode node, int depthLimit, AnswerState state, out Frame frame)
    {
        frame = default;
        var children = index.Dependents.Sources(node.Object.Uid);
        if (children.Length == 0) return false;
        if (node.Depth >= depthLimit || state.Budget <= 0)
        {
            node.Truncated = HasShowableChild(node.Object, children);
            if (node.Truncated && node.Depth < depthLimit) state.Cut = true;
            return false;
        }
        frame = new Frame(node, children);
        return true;
    }

    // "Truncated" says children exist: with hidden children omitted, only children the requester may see count.
    private bool HasShowableChild(ObjectRecord parent, ObjectEntry[] children)
    {
        foreach (var entry in children)
        {
            if (entry.IsRemoved || !OwnershipRules.IsValidDependent(parent, entry.Record)) continue;
            if (_options.CountHidden || IsVisible(entry.Record)) return true;
        }
        return false;
    }

    private bool IsVisible(ObjectRecord record) => _options.IsVisible is null || _options.IsVisible(record);

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "Most roots have none: the shared empty array, no list.")]
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

    /// <summary>
    /// What one answer has used, and what the tree being built has expanded. Each tree of a list reads as
    /// the item got alone, so a shared object is expanded in every tree that holds it (the node budget
    /// bounds the answer), and a page of a list reads the same whatever page it is on. Within a tree an
    /// object can recur only if it has several owners: only those are remembered, so the common tree of
    /// single-owner objects allocates no set.
    /// </summary>
    private sealed class AnswerState(int budget)
    {
        private HashSet<string>? _expanded;

        public int Budget = budget;
        public bool Cut;
        public readonly List<Frame> Frames = new(8);

        public void NewTree() => _expanded?.Clear();

        /// <summary>False when the object was already expanded in this tree; otherwise remembers it if it could recur.</summary>
        public bool FirstVisit(ObjectRecord record) =>
            record.Owners.Count <= 1 || (_expanded ??= new HashSet<string>(StringComparer.Ordinal)).Add(record.Uid);
    }

    private struct Frame(CompositionNode node, ObjectEntry[] children)
    {
        public readonly CompositionNode Node = node;
        public readonly ObjectEntry[] Children = children;
        public int Next;
    }
}
