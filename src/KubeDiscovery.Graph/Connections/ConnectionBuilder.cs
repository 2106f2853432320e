using KubeDiscovery.Graph.Connections.Rules;
using KubeDiscovery.Graph.Index;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Connections;

/// <summary>
/// Builds an object's neighbourhood breadth-first: depth 1 is its direct neighbours, each further level
/// the neighbours of the last. A node is expanded once; a missing object is a leaf; so is a node the
/// user may not see, which is left out (with its edges) and counted, never walked through. The node
/// budget bounds the answer whatever the graph (a Node with ten thousand Pods).
/// </summary>
public sealed class ConnectionBuilder(ClusterIndex index, RelationRuleSet rules)
{
    /// <summary>Levels ever expanded, whatever <c>depth</c> asks: a connections graph widens fast.</summary>
    public const int MaxDepth = 10;

    private readonly Neighbours _neighbours = new(index, rules);

    /// <param name="isVisible">Whether the user may see a node (by key; its record when it exists); null: everything.</param>
    public ConnectionGraph Build(ObjectRecord root, int depth, Direction direction, int maxNodes, Func<ObjectKey, ObjectRecord?, bool>? isVisible = null)
    {
        depth = Math.Clamp(depth, 0, MaxDepth);
        var rootNode = new ConnectionNode(ObjectKey.Of(root), root, 0);
        List<ConnectionNode> nodes = [rootNode];
        var byId = new Dictionary<string, ConnectionNode>(StringComparer.Ordinal) { [rootNode.Id] = rootNode };
        List<ConnectionEdge> edges = [];
        var seenEdges = new HashSet<ConnectionEdge>();
        var hidden = new HashSet<string>(StringComparer.Ordinal);
        var truncated = false;

        for (var at = 0; at < nodes.Count; at++)
        {
            var node = nodes[at];
            if (node.Depth >= depth || node.Object is not { } record) continue;
            foreach (var (next, id) in Around(record, direction))
            {
                if (isVisible is not null && !byId.ContainsKey(id) && !isVisible(next.Key, next.Object))
                {
                    hidden.Add(id);
                    continue;
                }
                if (!byId.ContainsKey(id))
                {
                    if (nodes.Count >= maxNodes)
                    {
                        truncated = true;
                        continue;
                    }
                    var added = new ConnectionNode(next.Key, next.Object, node.Depth + 1) { };
                    byId[id] = added;
                    nodes.Add(added);
                }
                var edge = next.Outgoing ? new ConnectionEdge(node.Id, id, next.Link) : new ConnectionEdge(id, node.Id, next.Link);
                if (seenEdges.Add(edge)) edges.Add(edge);
            }
        }
        return new ConnectionGraph(nodes, edges, hidden.Count, truncated);
    }

    /// <summary>Every key within <paramref name="depth"/> of <paramref name="root"/>, unfiltered: what visibility must be decided for.</summary>
    public IEnumerable<(ObjectKey Key, ObjectRecord? Object)> Reachable(ObjectRecord root, int depth, Direction direction, int maxNodes) =>
        Build(root, depth, direction, maxNodes).Nodes.Select(n => (n.Key, n.Object));

    // Neighbours in a stable order: outgoing first, by link, then by id (each id made once).
    private List<(Neighbour Next, string Id)> Around(ObjectRecord record, Direction direction)
    {
        List<(Neighbour, string)> around = [];
        if (direction != Direction.In)
        {
            foreach (var next in _neighbours.Out(record)) around.Add((next, next.Key.DisplayName));
        }
        if (direction != Direction.Out)
        {
            foreach (var next in _neighbours.In(record)) around.Add((next, next.Key.DisplayName));
        }
        around.Sort(static (a, b) =>
            a.Item1.Outgoing != b.Item1.Outgoing ? (a.Item1.Outgoing ? -1 : 1)
            : string.CompareOrdinal(a.Item1.Link, b.Item1.Link) is var c && c != 0 ? c
            : string.CompareOrdinal(a.Item2, b.Item2));
        return around;
    }
}
