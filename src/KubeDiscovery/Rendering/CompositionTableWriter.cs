using System.Text.Json;
using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Rendering;

/// <summary>
/// Compositions as a <c>meta.k8s.io/v1</c> <c>Table</c>, what <c>kubectl get</c> asks for: one row per tree
/// node, the NAME cell drawn as the tree, then READY, REASON, AGE, and with <c>-o wide</c> UID and MESSAGE.
/// Rows of one tree stay together, in the order the trees are given. kubectl adds NAMESPACE (with
/// <c>-A</c>) from each row's object metadata.
/// </summary>
internal static class CompositionTableWriter
{
    /// <summary>What each row carries besides its cells (the <c>includeObject</c> parameter).</summary>
    public enum IncludeObject
    {
        Metadata,
        None,
        Object,
    }

    private static readonly (string Name, string Description, int Priority)[] Columns =
    [
        ("Name", "The root as Kind/name, then everything it owns, drawn as a tree", 0),
        ("Ready", "The object's readiness: True, False, Unknown, or - for kinds without one", 0),
        ("Reason", "Why it is (not) ready", 0),
        ("Age", "Time since the object was created", 0),
        ("UID", "The object's uid", 1),
        ("Message", "The readiness message", 1),
    ];

    /// <param name="trees">Each tree with its item name (the root row's object name).</param>
    public static void Write(Utf8JsonWriter w, IReadOnlyList<(CompositionNode Root, string ItemName)> trees, string resourceVersion,
        string? continueToken, long? remaining, IncludeObject include, string itemKind, DateTimeOffset now)
    {
        TableStart.Write(w, Columns, resourceVersion, continueToken, remaining, nameColumn: "Name");
        w.WriteStartArray("rows");
        foreach (var (root, itemName) in trees)
        {
            foreach (var (node, drawn) in TreeLines.Draw(root))
            {
                var o = node.Object;
                w.WriteStartObject();
                w.WriteStartArray("cells");
                w.WriteStringValue(drawn);
                w.WriteStringValue(o.Status.Ready == ReadyState.None ? "-" : o.Status.ReadyText);
                w.WriteStringValue(o.Status.Reason ?? "");
                w.WriteStringValue(o.CreationTimestamp is { } created ? HumanDuration.Format(now - created) : "<unknown>");
                w.WriteStringValue(o.Uid);
                w.WriteStringValue(o.Status.Message ?? "");
                w.WriteEndArray();
                var isRoot = ReferenceEquals(node, root);
                if (include == IncludeObject.Object && isRoot)
                {
                    w.WritePropertyName("object");
                    CompositionJsonWriter.WriteNamedItem(w, root, itemKind, itemName, resourceVersion);
                }
                else if (include != IncludeObject.None)
                {
                    w.WritePropertyName("object");
                    WriteMetadata(w, node, isRoot ? itemName : $"{o.Kind}/{o.Name}", resourceVersion);
                }
                w.WriteEndObject();
            }
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    // resourceVersion: kubectl get NAME -w watches from the row object's version (without it, from 0, and
    // would print the tree twice).
    private static void WriteMetadata(Utf8JsonWriter w, CompositionNode node, string name, string resourceVersion)
    {
        var o = node.Object;
        w.WriteStartObject();
        w.WriteString("kind", "PartialObjectMetadata");
        w.WriteString("apiVersion", "meta.k8s.io/v1");
        w.WriteStartObject("metadata");
        w.WriteString("name", name);
        if (o.Namespace is { } ns) w.WriteString("namespace", ns);
        w.WriteString("uid", o.Uid);
        w.WriteString("resourceVersion", resourceVersion);
        if (o.CreationTimestamp is { } created) CompositionJsonWriter.WriteTimestamp(w, CompositionJsonWriter.CreationTimestamp, created);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
