using KubeDiscovery.Graph.Compositions;

namespace KubeDiscovery.Rendering;

/// <summary>
/// A tree as drawn lines, in pre-order: each node with its name drawn behind ├─/└─ branches
/// (<c>Deployment/web</c>, <c>└─ReplicaSet/web-6f5b</c>, <c>  └─Pod/web-6f5b-x</c>). Indentation stops at
/// <see cref="MaxDrawnDepth"/>; deeper nodes keep it and show their level as <c>[N]</c>, so a deep chain
/// costs linear text. One place for the drawing shared by <c>format=tree</c> and the Table's NAME column.
/// What the root belongs to comes first: its owners' chain, top first, each marked <c>(owner)</c>, with the
/// root drawn under the last, so a Pod reads as part of its Deployment; further owners and owners that do
/// not exist (an orphan) are named on the root's line.
/// </summary>
internal static class TreeLines
{
    public const int MaxDrawnDepth = 40;

    public static IEnumerable<(CompositionNode Node, string Name)> Draw(CompositionNode root)
    {
        // The first owner of each level, up to the top (ancestor nodes' children are their owners).
        List<CompositionNode> chain = [];
        for (var up = root.Ancestors.Count > 0 ? root.Ancestors[0] : null; up is not null && chain.Count < MaxDrawnDepth; up = up.Children.Count > 0 ? up.Children[0] : null)
        {
            chain.Add(up);
        }
        chain.Reverse();
        var (rootBranch, rootIndent) = ("", "");
        for (var i = 0; i < chain.Count; i++)
        {
            var o = chain[i].Object;
            yield return (chain[i], $"{rootIndent}{rootBranch}{o.Kind}/{o.Name} (owner)");
            if (i > 0) rootIndent += "  ";
            rootBranch = "└─";
        }

        // Explicit stack: trees are up to 500 levels deep.
        var pending = new Stack<(CompositionNode Node, string Branch, string Indent)>();
        pending.Push((root, rootIndent + rootBranch, chain.Count > 0 ? rootIndent + "  " : ""));
        while (pending.Count > 0)
        {
            var (node, branch, indent) = pending.Pop();
            yield return (node, ReferenceEquals(node, root) ? RootName(root, branch) : Name(node, branch));
            for (var i = node.Children.Count - 1; i >= 0; i--)
            {
                var last = i == node.Children.Count - 1;
                var deeper = node.Depth < MaxDrawnDepth ? indent + (last ? "  " : "│ ") : indent;
                pending.Push((node.Children[i], indent + (last ? "└─" : "├─"), deeper));
            }
        }
    }

    private static string RootName(CompositionNode root, string branch)
    {
        var name = Name(root, branch);
        foreach (var other in root.Ancestors.Skip(1)) name += $" (also owned by {other.Object.Kind}/{other.Object.Name})";
        foreach (var missing in root.DanglingOwners) name += $" (owner {missing.Kind}/{missing.Name} missing)";
        return name;
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
