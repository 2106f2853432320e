using System.Text.Json;
using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Rendering;

/// <summary>
/// The 2018 kubediscovery answer: a JSON array of <c>{"Level","Kind","Name","Status","Children"}</c>,
/// the root at level 0, for clients (KubePlus) written against it.
/// </summary>
internal static class LegacyJsonWriter
{
    public static void Write(Utf8JsonWriter w, IEnumerable<CompositionNode> roots)
    {
        w.WriteStartArray();
        foreach (var root in roots) WriteNode(w, root);
        w.WriteEndArray();
    }

    private static void WriteNode(Utf8JsonWriter w, CompositionNode node)
    {
        w.WriteStartObject();
        w.WriteNumber("Level", node.Depth);
        w.WriteString("Kind", node.Object.Kind);
        w.WriteString("Name", node.Object.Name);
        w.WriteString("Status", StatusText(node.Object.Status));
        w.WriteStartArray("Children");
        foreach (var child in node.Children) WriteNode(w, child);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    // The old server reported a single word: the reason when there is one, else the readiness.
    private static string StatusText(ObjectStatus status) =>
        status.Reason ?? (status.Ready == ReadyState.None ? "" : status.ReadyText);
}
