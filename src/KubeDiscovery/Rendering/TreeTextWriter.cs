using System.Text;
using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Rendering;

/// <summary>
/// Draws trees the way the <c>kubectl tree</c> plugin does: NAMESPACE, NAME (Kind/name behind
/// ├─/└─ branches, see <see cref="TreeLines"/>), READY, REASON, AGE, in columns two spaces apart.
/// </summary>
internal static class TreeTextWriter
{
    private static readonly string[] Header = ["NAMESPACE", "NAME", "READY", "REASON", "AGE"];

    public static string Render(IReadOnlyList<CompositionNode> roots, DateTimeOffset now)
    {
        if (roots.Count == 0) return "No resources found.\n";

        List<string[]> rows = [Header];
        foreach (var root in roots)
        {
            foreach (var (node, name) in TreeLines.Draw(root))
            {
                var o = node.Object;
                rows.Add(
                [
                    o.Namespace ?? "",
                    name,
                    o.Status.Ready == ReadyState.None ? "-" : o.Status.ReadyText,
                    o.Status.Reason ?? "",
                    o.CreationTimestamp is { } created ? HumanDuration.Format(now - created) : "<unknown>",
                ]);
            }
        }

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
}
