using System.Text.Json;
using KubeDiscovery.Api;
using KubeDiscovery.Graph.Connections;
using KubeDiscovery.Graph.Resources;

namespace KubeDiscovery.Rendering;

/// <summary>
/// Writes <c>Connections</c> (an object's neighbourhood: nodes and typed edges) and <c>DanglingReport</c>;
/// the one place that defines their wire shape (see docs/api.md).
/// </summary>
internal static class ConnectionJsonWriter
{
    public static void WriteConnections(Utf8JsonWriter w, ConnectionGraph graph, ConnectionWalk walk, ResourceCatalog catalog)
    {
        w.WriteStartObject();
        WriteHeader(w, graph.Nodes[0]);
        w.WriteString("root", graph.Nodes[0].Id);
        w.WriteNumber("depth", walk.Depth);
        w.WriteString("direction", Api.Connections.ConnectionQuery.Text(walk.Direction));
        if (walk.Kinds is { } kinds)
        {
            w.WriteStartArray("kinds");
            foreach (var kind in kinds.Order(StringComparer.Ordinal)) w.WriteStringValue(kind);
            w.WriteEndArray();
        }
        WriteGraph(w, graph, catalog);
        w.WriteEndObject();
    }

    /// <summary>A list's start: items are streamed as they are built, so its metadata comes after them (<see cref="WriteListEnd"/>).</summary>
    public static void WriteListStart(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("apiVersion", KubeDiscoveryApi.GroupVersion);
        w.WriteString("kind", "ConnectionsList");
        w.WriteStartArray("items");
    }

    /// <summary>A list's end, with where it continues: known only once the budget has said where the answer stops.</summary>
    public static void WriteListEnd(Utf8JsonWriter w, string? continueToken, long? remaining)
    {
        w.WriteEndArray();
        w.WriteStartObject("metadata");
        if (continueToken is not null) w.WriteString("continue", continueToken);
        if (remaining is { } r) w.WriteNumber("remainingItemCount", r);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteHeader(Utf8JsonWriter w, ConnectionNode root)
    {
        w.WriteString("apiVersion", KubeDiscoveryApi.GroupVersion);
        w.WriteString("kind", "Connections");
        w.WriteStartObject("metadata");
        w.WriteString("name", root.Key.Name);
        if (root.Key.Namespace.Length > 0) w.WriteString("namespace", root.Key.Namespace);
        w.WriteEndObject();
    }

    private static void WriteGraph(Utf8JsonWriter w, ConnectionGraph graph, ResourceCatalog catalog)
    {
        w.WriteStartArray("nodes");
        foreach (var node in graph.Nodes)
        {
            w.WriteStartObject();
            w.WriteString("id", node.Id);
            WriteIdentity(w, node.Key, node.Object, catalog);
            w.WriteNumber("depth", node.Depth);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("edges");
        foreach (var edge in graph.Edges)
        {
            w.WriteStartObject();
            w.WriteString("from", edge.From);
            w.WriteString("to", edge.To);
            w.WriteString("kind", edge.Link);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (graph.Hidden > 0) w.WriteNumber("hiddenNodes", graph.Hidden);
        if (graph.Truncated) w.WriteBoolean("truncated", true);
    }

    /// <summary>The node fields compositions write; a missing object has only what the reference says, and <c>missing: true</c>.</summary>
    private static void WriteIdentity(Utf8JsonWriter w, ObjectKey key, Graph.Model.ObjectRecord? o, ResourceCatalog catalog)
    {
        if (o is null)
        {
            var type = catalog.FindByKind(key.Group, key.Kind);
            w.WriteString("apiVersion", type?.GroupVersion ?? (key.Group.Length == 0 ? "v1" : key.Group));
            w.WriteString("kind", key.Kind);
            if (key.Namespace.Length > 0) w.WriteString("namespace", key.Namespace);
            w.WriteString("name", key.Name);
            w.WriteBoolean("missing", true);
            return;
        }
        w.WriteString("apiVersion", o.ApiVersion);
        w.WriteString("kind", o.Kind);
        if (o.Namespace is { } ns) w.WriteString("namespace", ns);
        w.WriteString("name", o.Name);
        w.WriteString("uid", o.Uid);
        if (o.CreationTimestamp is { } created) CompositionJsonWriter.WriteTimestamp(w, CompositionJsonWriter.CreationTimestamp, created);
        w.WriteStartObject("status");
        w.WriteString("ready", o.Status.ReadyText);
        if (o.Status.Reason is { } reason) w.WriteString("reason", reason);
        if (o.Status.Message is { } message) w.WriteString("message", message);
        w.WriteEndObject();
    }

    public static void WriteDangling(Utf8JsonWriter w, IReadOnlyList<DanglingGroup> groups, int hidden, string? @namespace, ResourceCatalog catalog)
    {
        w.WriteStartObject();
        w.WriteString("apiVersion", KubeDiscoveryApi.GroupVersion);
        w.WriteString("kind", "DanglingReport");
        w.WriteStartObject("metadata");
        if (@namespace is not null) w.WriteString("namespace", @namespace);
        w.WriteEndObject();
        w.WriteNumber("total", groups.Sum(g => g.Items.Count));
        w.WriteStartArray("groups");
        foreach (var group in groups)
        {
            w.WriteStartObject();
            w.WriteString("kind", group.Link);
            w.WriteStartObject("target");
            w.WriteString("group", group.TargetGroup);
            w.WriteString("kind", group.TargetKind);
            w.WriteEndObject();
            w.WriteNumber("count", group.Items.Count);
            w.WriteStartArray("items");
            foreach (var item in group.Items)
            {
                w.WriteStartObject();
                w.WritePropertyName("object");
                w.WriteStartObject();
                w.WriteString("apiVersion", item.Object.ApiVersion);
                w.WriteString("kind", item.Object.Kind);
                if (item.Object.Namespace is { } ns) w.WriteString("namespace", ns);
                w.WriteString("name", item.Object.Name);
                w.WriteString("uid", item.Object.Uid);
                w.WriteEndObject();
                w.WritePropertyName("target");
                w.WriteStartObject();
                WriteIdentity(w, item.Target, null, catalog);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (hidden > 0) w.WriteNumber("hiddenItems", hidden);
        w.WriteEndObject();
    }
}
