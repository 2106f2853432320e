using KubeDiscovery.Graph.Connections.Rules;
using KubeDiscovery.Graph.Index;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Connections;

/// <summary>
/// Builds an object's neighbourhood breadth-first: depth 1 is its direct neighbours, each further level
/// the neighbours of the last. A node is expanded once; a missing object is a leaf; so is a hub
/// (<see cref="ConnectionWalk"/>) and a node the user may not see, which is left out (with its edges) and
/// counted, never walked through. One <see cref="ConnectionBudget"/> bounds the answer whatever the graph
/// (a Node with ten thousand Pods), and the request's cancellation stops it between nodes.
/// </summary>
public sealed class ConnectionBuilder(ClusterIndex index, RelationRuleSet rules)
{
    /// <summary>Levels ever expanded, whatever <c>depth</c> asks: a connections graph widens fast.</summary>
    public const int MaxDepth = 10;

    private readonly Neighbours _neighbours = new(index, rules);

    /// <param name="isVisible">Whether the user may see a node (by key; its record when it exists); null: everything.</param>
    public ConnectionGraph Build(ObjectRecord root, int depth, Direction direction, int maxNodes, Func<ObjectKey, ObjectRecord?, bool>? isVisible = null) =>
        Build(root, new ConnectionWalk { Depth = depth, Direction = direction, AllHubs = true }, ConnectionBudget.For(maxNodes), isVisible, CancellationToken.None);

    /// <summary>The neighbourhood of <paramref name="root"/>, spending <paramref name="budget"/> (shared by the answer's other roots).</summary>
    /// <exception cref="OperationCanceledException">The request went away.</exception>
    public ConnectionGraph Build(ObjectRecord root, ConnectionWalk walk, ConnectionBudget budget, Func<ObjectKey, ObjectRecord?, bool>? isVisible,
        CancellationToken cancellationToken)
    {
        var depth = Math.Clamp(walk.Depth, 0, MaxDepth);
        var rootNode = new ConnectionNode(ObjectKey.Of(root), root, 0);
        budget.Nodes--;
        List<ConnectionNode> nodes = [rootNode];
        var byId = new Dictionary<string, ConnectionNode>(StringComparer.Ordinal) { [rootNode.Id] = rootNode };
        List<ConnectionEdge> edges = [];
        var seenEdges = new HashSet<ConnectionEdge>();
        var hidden = new HashSet<string>(StringComparer.Ordinal);
        var truncated = false;

        for (var at = 0; at < nodes.Count; at++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var node = nodes[at];
            if (node.Depth >= depth || node.Object is not { } record) continue;
            if (at > 0 && !walk.Expands(record.Type.Group, record.Kind)) continue;
            if (budget.Steps <= 0)
            {
                truncated = true;
                break;
            }
            foreach (var (next, id) in Around(record, walk, budget))
            {
                if (isVisible is not null && !byId.ContainsKey(id) && !isVisible(next.Key, next.Object))
                {
                    hidden.Add(id);
                    continue;
                }
                if (!byId.ContainsKey(id))
                {
                    if (budget.Nodes <= 0)
                    {
                        truncated = true;
                        continue;
                    }
                    budget.Nodes--;
                    var added = new ConnectionNode(next.Key, next.Object, node.Depth + 1);
                    byId[id] = added;
                    nodes.Add(added);
                }
                var edge = next.Outgoing ? new ConnectionEdge(node.Id, id, next.Link) : new ConnectionEdge(id, node.Id, next.Link);
                if (seenEdges.Add(edge)) edges.Add(edge);
            }
            if (budget.Steps <= 0) truncated = true;
        }
        return new ConnectionGraph(nodes, edges, hidden.Count, truncated);
    }

    /// <summary>Every key within <paramref name="depth"/> of <paramref name="root"/>, unfiltered: what visibility must be decided for.</summary>
    public IEnumerable<(ObjectKey Key, ObjectRecord? Object)> Reachable(ObjectRecord root, int depth, Direction direction, int maxNodes) =>
        Build(root, depth, direction, maxNodes).Nodes.Select(n => (n.Key, n.Object));

    /// <summary>The same, within what is left of <paramref name="budget"/>, which it leaves untouched.</summary>
    public IEnumerable<(ObjectKey Key, ObjectRecord? Object)> Reachable(ObjectRecord root, ConnectionWalk walk, ConnectionBudget budget, CancellationToken cancellationToken) =>
        Build(root, walk, budget.Copy(), null, cancellationToken).Nodes.Select(n => (n.Key, n.Object));

    // Neighbours in a stable order: outgoing first, by link, then by id (each id made once). Each one looked
    // at is a step of the budget; when it runs out, what was gathered is what there is.
    private List<(Neighbour Next, string Id)> Around(ObjectRecord record, ConnectionWalk walk, ConnectionBudget budget)
    {
        List<(Neighbour, string)> around = [];
        if (walk.Direction != Direction.In) Gather(_neighbours.Out(record), walk, budget, around);
        if (walk.Direction != Direction.Out) Gather(_neighbours.In(record), walk, budget, around);
        around.Sort(static (a, b) =>
            a.Item1.Outgoing != b.Item1.Outgoing ? (a.Item1.Outgoing ? -1 : 1)
            : string.CompareOrdinal(a.Item1.Link, b.Item1.Link) is var c && c != 0 ? c
            : string.CompareOrdinal(a.Item2, b.Item2));
        return around;
    }

    private static void Gather(IEnumerable<Neighbour> neighbours, ConnectionWalk walk, ConnectionBudget budget, List<(Neighbour, string)> into)
    {
        foreach (var next in neighbours)
        {
            if (--budget.Steps < 0) return;
            if (walk.Follows(next.Link)) into.Add((next, next.Key.DisplayName));
        }
    }
}
