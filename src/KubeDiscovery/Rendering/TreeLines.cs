using KubeDiscovery.Graph.Compositions;

namespace KubeDiscovery.Rendering;

/// <summary>
/// A tree as drawn lines, in pre-order: each node with its name drawn behind ├─/└─ branches
/// (<c>Deployment/web</c>, <c>└─ReplicaSet/web-6f5b</c>, <c>  └─Pod/web-6f5b-x</c>). Indentation stops at
/// <see cref="MaxDrawnDepth"/>; deeper nodes keep it and show their level as <c>[N]</c>, so a deep chain
/// costs linear text. One place for the drawing shared by <c>format=tree</c> and the Table's NAME column.
/// </summary>
internal static class TreeLines
{
    public const int MaxDrawnDepth = 40;

    public static IEnumerable<(CompositionNode Node, string Name)> Draw(CompositionNode root)
    {
        // Explicit stack: trees are up to 500 levels deep.
        var pending = new Stack<(CompositionNode Node, string Branch, string Indent)>();
        pending.Push((root, "", ""));
        while (pending.Count > 0)
        {
            var (node, branch, indent) = pending.Pop();
            yield return (node, Name(node, branch));
            for (var i = node.Children.Count - 1; i >= 0; i--)
            {
                var last = i == node.Children.Count - 1;
                var deeper = node.Depth < MaxDrawnDepth ? indent + (last ? "  " : "│ ") : indent;
                pending.Push((node.Children[i], indent + (last ? "└─" : "├─"), deeper));
            }
        }
    }

    private static string Name(CompositionNode node, string branch)
    {
        var o = node.Object;
        var name = node.Depth > MaxDrawnDepth ? $"{branch}[{node.Depth}] {o.Kind}/{o.Name}" : $"{branch}{o.Kind}/{o.Name}";
        if (node.Cycle) name += " (cycle)";
        if (node.ExpandedElsewhere) name += " (expanded above)";
        if (node.Truncated) name += " (…)";
        if (node.HiddenChildren > 0) name += $" (+{node.HiddenChildren} hidden)";
        return name;
    }
}
