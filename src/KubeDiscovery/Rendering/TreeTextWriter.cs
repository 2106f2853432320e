using System.Text;
using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Rendering;

/// <summary>
/// Draws trees the way the <c>kubectl tree</c> plugin does: NAMESPACE, NAME (Kind/name behind
/// ├─/└─ branches), READY, REASON, AGE, in columns two spaces apart.
/// </summary>
internal static class TreeTextWriter
{
    private static readonly string[] Header = ["NAMESPACE", "NAME", "READY", "REASON", "AGE"];

    /// <summary>
    /// Levels drawn with indentation; deeper nodes keep this indentation and show their level as
    /// <c>[N]</c>, so a deep chain costs linear, not quadratic, text.
    /// </summary>
    public const int MaxDrawnDepth = 40;

    public static string Render(IReadOnlyList<CompositionNode> roots, DateTimeOffset now)
    {
        if (roots.Count == 0) return "No resources found.\n";

        List<string[]> rows = [Header];
        foreach (var root in roots) AddRows(rows, root, "", "", now);

        var widths = new int[Header.Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++) widths[i] = Math.Max(widths[i], row[i].Length);
        }

        var text = new StringBuilder();
        foreach (var row in rows)
        {
            var line = new StringBuilder();
            for (var i = 0; i < row.Length; i++)
            {
                if (i > 0) line.Append("  ");
                line.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i]));
            }
            text.Append(line.ToString().TrimEnd()).Append('\n');
        }
        return text.ToString();
    }

    private static void AddRows(List<string[]> rows, CompositionNode node, string branch, string indent, DateTimeOffset now)
    {
        var o = node.Object;
        var name = $"{branch}{o.Kind}/{o.Name}";
        if (node.Depth > MaxDrawnDepth) name = $"{branch}[{node.Depth}] {o.Kind}/{o.Name}";
        if (node.Cycle) name += " (cycle)";
        if (node.ExpandedElsewhere) name += " (expanded above)";
        if (node.Truncated) name += " (…)";
        if (node.HiddenChildren > 0) name += $" (+{node.HiddenChildren} hidden)";
        rows.Add(
        [
            o.Namespace ?? "",
            name,
            o.Status.Ready == ReadyState.None ? "-" : o.Status.ReadyText,
            o.Status.Reason ?? "",
            o.CreationTimestamp is { } created ? HumanDuration.Format(now - created) : "<unknown>",
        ]);

        for (var i = 0; i < node.Children.Count; i++)
        {
            var last = i == node.Children.Count - 1;
            var deeper = node.Depth < MaxDrawnDepth ? indent + (last ? "  " : "│ ") : indent;
            AddRows(rows, node.Children[i], indent + (last ? "└─" : "├─"), deeper, now);
        }
    }
}
