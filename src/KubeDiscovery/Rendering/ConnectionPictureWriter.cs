using System.Text;
using KubeDiscovery.Graph.Connections;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Rendering;

/// <summary>
/// Connections as text and pictures: <c>format=tree</c> (each object under the one it was reached from,
/// the edge named and its direction shown), <c>format=dot</c> and <c>format=mermaid</c> (every node once,
/// every edge labelled with its kind). Fill by readiness as for compositions: green True, red False,
/// yellow Unknown, grey for kinds without a status; missing objects dashed red.
/// </summary>
internal static class ConnectionPictureWriter
{
    /// <summary>
    /// A spanning tree of the answer: <c>├─mounts→ Secret/web/keys</c> for an edge from the node above,
    /// <c>├─owns← ReplicaSet/web/x</c> for one to it. Edges between objects already drawn are counted on
    /// the last line (format=json lists every edge).
    /// </summary>
    public static string Tree(IReadOnlyList<ConnectionGraph> graphs)
    {
        var text = new StringBuilder();
        foreach (var graph in graphs)
        {
            var depths = graph.Nodes.ToDictionary(n => n.Id, n => n.Depth, StringComparer.Ordinal);
            // Each node's edges, once: a node hangs from its first edge to a node one level up.
            var edgesOf = new Dictionary<string, List<ConnectionEdge>>(StringComparer.Ordinal);
            foreach (var edge in graph.Edges)
            {
                foreach (var end in new[] { edge.From, edge.To })
                {
                    if (!edgesOf.TryGetValue(end, out var list)) edgesOf[end] = list = [];
                    list.Add(edge);
                }
            }
            var children = new Dictionary<string, List<(ConnectionNode Node, ConnectionEdge Edge)>>(StringComparer.Ordinal);
            var used = 0;
            foreach (var node in graph.Nodes.Skip(1))
            {
                foreach (var edge in edgesOf.GetValueOrDefault(node.Id) ?? [])
                {
                    var other = edge.From == node.Id ? edge.To : edge.From;
                    if (!depths.TryGetValue(other, out var depth) || depth != node.Depth - 1) continue;
                    if (!children.TryGetValue(other, out var list)) children[other] = list = [];
                    list.Add((node, edge));
                    used++;
                    break;
                }
            }
            text.Append(Label(graph.Nodes[0])).Append('\n');
            var pending = new Stack<(string Id, string Line, string Indent)>();
            PushChildren(graph.Nodes[0].Id, "");
            while (pending.Count > 0)
            {
                var (id, line, indent) = pending.Pop();
                text.Append(line).Append('\n');
                PushChildren(id, indent);
            }

            // In reverse, so the first comes out first and each subtree is drawn right under its line.
            void PushChildren(string id, string indent)
            {
                if (!children.TryGetValue(id, out var below)) return;
                for (var i = below.Count - 1; i >= 0; i--)
                {
                    var (child, edge) = below[i];
                    var last = i == below.Count - 1;
                    var arrow = edge.From == id ? $"{edge.Link}→ " : $"{edge.Link}← ";
                    pending.Push((child.Id, $"{indent}{(last ? "└─" : "├─")}{arrow}{Label(child)}", indent + (last ? "  " : "│ ")));
                }
            }
            var more = graph.Edges.Count - used;
            if (more > 0) text.Append($"({more} more edge{(more == 1 ? "" : "s")} between these objects: format=json lists every edge)\n");
            if (graph.Hidden > 0) text.Append($"(+{graph.Hidden} hidden)\n");
            if (graph.Truncated) text.Append("(… cut at the answer's budget)\n");
        }
        return text.ToString();
    }

    public static string Dot(IReadOnlyList<ConnectionGraph> graphs)
    {
        var text = new StringBuilder("digraph connections {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n");
        var (nodes, edges) = Collect(graphs);
        foreach (var node in nodes)
        {
            var extra = node.Missing ? ", style=\"rounded,dashed\", color=\"#c62828\"" : "";
            text.Append($"  \"{Escape.Dot(node.Id)}\" [label=\"{Escape.Dot(Lines(node))}\", fillcolor=\"{Fill(node)}\"{extra}];\n");
        }
        foreach (var edge in edges) text.Append($"  \"{Escape.Dot(edge.From)}\" -> \"{Escape.Dot(edge.To)}\" [label=\"{Escape.Dot(edge.Link)}\"];\n");
        return text.Append("}\n").ToString();
    }

    public static string Mermaid(IReadOnlyList<ConnectionGraph> graphs)
    {
        var (nodes, edges) = Collect(graphs);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in nodes) ids[node.Id] = $"n{ids.Count}";
        var text = new StringBuilder("flowchart LR\n");
        foreach (var node in nodes) text.Append($"  {ids[node.Id]}[\"{Escape.Mermaid(Lines(node))}\"]:::{Class(node)}\n");
        foreach (var edge in edges) text.Append($"  {ids[edge.From]} -->|\"{Escape.Mermaid(edge.Link)}\"| {ids[edge.To]}\n");
        text.Append(Escape.MermaidClasses);
        return text.ToString();
    }

    private static (List<ConnectionNode> Nodes, List<ConnectionEdge> Edges) Collect(IReadOnlyList<ConnectionGraph> graphs)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var seenEdges = new HashSet<ConnectionEdge>();
        List<ConnectionNode> nodes = [];
        List<ConnectionEdge> edges = [];
        foreach (var graph in graphs)
        {
            foreach (var node in graph.Nodes) if (seen.Add(node.Id)) nodes.Add(node);
            foreach (var edge in graph.Edges) if (seenEdges.Add(edge)) edges.Add(edge);
        }
        return (nodes, edges);
    }

    private static string Label(ConnectionNode node) => node.Missing ? $"{node.Id} (missing)" : node.Id;

    private static string Lines(ConnectionNode node)
    {
        var key = node.Key;
        var lines = key.Namespace.Length > 0 ? $"{key.Kind}\n{key.Name}\n{key.Namespace}" : $"{key.Kind}\n{key.Name}";
        return node.Missing ? lines + "\n(missing)" : lines;
    }

    private static string Class(ConnectionNode node) => node.Object?.Status.Ready switch
    {
        null => "missing",
        ReadyState.True => "ready",
        ReadyState.False => "notready",
        ReadyState.Unknown => "unknown",
        _ => "nostatus",
    };

    private static string Fill(ConnectionNode node) => node.Object?.Status.Ready switch
    {
        null => "#ffffff",
        ReadyState.True => "#c8e6c9",
        ReadyState.False => "#ffcdd2",
        ReadyState.Unknown => "#fff9c4",
        _ => "#eeeeee",
    };
}
