using System.Text;
using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Rendering;

/// <summary>
/// Compositions as pictures: Graphviz DOT (<c>format=dot</c>) and Mermaid flowcharts (<c>format=mermaid</c>).
/// One node per object (an object reached twice is one node with two edges, so shared owners draw as the
/// graph they are), edges from owner to owned, fill by readiness (green True, red False, yellow Unknown,
/// grey for kinds without one); missing owners, hidden children and cut branches drawn dashed.
/// </summary>
internal static class PictureWriter
{
    private enum Style
    {
        Ready,
        NotReady,
        Unknown,
        NoStatus,
        Missing,
        Hidden,
        Cut,
    }

    private sealed record Node(string Id, string Label, Style Style);

    private sealed record Edge(string From, string To, bool Dashed);

    public static string Dot(IReadOnlyList<CompositionNode> roots)
    {
        var (nodes, edges) = Collect(roots);
        var text = new StringBuilder("digraph composition {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n");
        foreach (var node in nodes)
        {
            var (fill, extra) = node.Style switch
            {
                Style.Ready => ("#c8e6c9", ""),
                Style.NotReady => ("#ffcdd2", ""),
                Style.Unknown => ("#fff9c4", ""),
                Style.NoStatus => ("#eeeeee", ""),
                Style.Missing => ("#ffffff", ", style=\"rounded,dashed\", color=\"#c62828\""),
                _ => ("#ffffff", ", style=\"rounded,dashed\""),
            };
            text.Append($"  \"{DotEscape(node.Id)}\" [label=\"{DotEscape(node.Label)}\", fillcolor=\"{fill}\"{extra}];\n");
        }
        foreach (var edge in edges)
        {
            text.Append($"  \"{DotEscape(edge.From)}\" -> \"{DotEscape(edge.To)}\"{(edge.Dashed ? " [style=dashed]" : "")};\n");
        }
        return text.Append("}\n").ToString();
    }

    public static string Mermaid(IReadOnlyList<CompositionNode> roots)
    {
        var (nodes, edges) = Collect(roots);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in nodes) ids[node.Id] = $"n{ids.Count}";
        var text = new StringBuilder("flowchart LR\n");
        foreach (var node in nodes)
        {
            text.Append($"  {ids[node.Id]}[\"{MermaidEscape(node.Label)}\"]:::{node.Style.ToString().ToLowerInvariant()}\n");
        }
        foreach (var edge in edges)
        {
            text.Append($"  {ids[edge.From]} {(edge.Dashed ? "-.->" : "-->")} {ids[edge.To]}\n");
        }
        text.Append(Escape.MermaidClasses);
        text.Append("  classDef hidden fill:#ffffff,stroke:#757575,stroke-dasharray:5 5\n");
        text.Append("  classDef cut fill:#ffffff,stroke:#757575,stroke-dasharray:5 5\n");
        return text.ToString();
    }

    /// <summary>Nodes (each object once, in the order first met) and edges (owner → owned, each once).</summary>
    private static (List<Node> Nodes, List<Edge> Edges) Collect(IReadOnlyList<CompositionNode> roots)
    {
        List<Node> nodes = [];
        List<Edge> edges = [];
        var seenNodes = new HashSet<string>(StringComparer.Ordinal);
        var seenEdges = new HashSet<(string, string)>();
        void AddNode(Node node)
        {
            if (seenNodes.Add(node.Id)) nodes.Add(node);
        }
        void AddEdge(string from, string to, bool dashed = false)
        {
            if (seenEdges.Add((from, to))) edges.Add(new Edge(from, to, dashed));
        }

        foreach (var root in roots)
        {
            var pending = new Stack<CompositionNode>([root]);
            while (pending.Count > 0)
            {
                var node = pending.Pop();
                AddNode(ObjectNode(node.Object));
                Marks(node, AddNode, AddEdge);
                foreach (var child in node.Children) AddEdge(node.Object.Uid, child.Object.Uid);
                for (var i = node.Children.Count - 1; i >= 0; i--) pending.Push(node.Children[i]); // children in answer order
            }
            foreach (var owner in root.DanglingOwners)
            {
                AddNode(new Node(owner.Uid, $"{owner.Kind}\n{owner.Name}\n(missing)", Style.Missing));
                AddEdge(owner.Uid, root.Object.Uid, dashed: true);
            }
            // Ancestors: each node's Children are its owners.
            var up = new Stack<(CompositionNode Node, string Owned)>(root.Ancestors.Select(a => (a, root.Object.Uid)));
            while (up.Count > 0)
            {
                var (owner, owned) = up.Pop();
                AddNode(ObjectNode(owner.Object));
                AddEdge(owner.Object.Uid, owned);
                for (var i = owner.Children.Count - 1; i >= 0; i--) up.Push((owner.Children[i], owner.Object.Uid));
            }
        }
        return (nodes, edges);
    }

    private static void Marks(CompositionNode node, Action<Node> addNode, Action<string, string, bool> addEdge)
    {
        var uid = node.Object.Uid;
        if (node.HiddenChildren > 0)
        {
            addNode(new Node($"{uid}/hidden", $"+{node.HiddenChildren} hidden", Style.Hidden));
            addEdge(uid, $"{uid}/hidden", true);
        }
        if (node.Truncated)
        {
            addNode(new Node($"{uid}/cut", "…", Style.Cut));
            addEdge(uid, $"{uid}/cut", true);
        }
    }

    private static Node ObjectNode(ObjectRecord o) => new(o.Uid, o.Namespace is { } ns ? $"{o.Kind}\n{o.Name}\n{ns}" : $"{o.Kind}\n{o.Name}", o.Status.Ready switch
    {
        ReadyState.True => Style.Ready,
        ReadyState.False => Style.NotReady,
        ReadyState.Unknown => Style.Unknown,
        _ => Style.NoStatus,
    });

    private static string DotEscape(string text) => Escape.Dot(text);

    private static string MermaidEscape(string text) => Escape.Mermaid(text);
}

/// <summary>Text inside the pictures' labels, and the styles both pictures share.</summary>
internal static class Escape
{
    /// <summary>Mermaid's classes for readiness, the same colours as DOT's fills.</summary>
    public const string MermaidClasses = """
          classDef ready fill:#c8e6c9,stroke:#2e7d32
          classDef notready fill:#ffcdd2,stroke:#c62828
          classDef unknown fill:#fff9c4,stroke:#f9a825
          classDef nostatus fill:#eeeeee,stroke:#757575
          classDef missing fill:#ffffff,stroke:#c62828,stroke-dasharray:5 5

        """;

    /// <summary>DOT strings: quotes and backslashes escaped; a line break is \n.</summary>
    public static string Dot(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Mermaid labels: quotes as entity codes, line breaks as &lt;br/&gt;.</summary>
    public static string Mermaid(string text) =>
        text.Replace("\"", "#quot;", StringComparison.Ordinal).Replace("\n", "<br/>", StringComparison.Ordinal);
}
