using System.Text.Json;
using KubeDiscovery.Api;
using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Rendering;

/// <summary>
/// Writes <c>Composition</c> and <c>CompositionList</c> straight from the tree, with no intermediate
/// objects: this is the one place that defines their wire shape (see the README's API section).
/// </summary>
internal static class CompositionJsonWriter
{
    public static void WriteComposition(Utf8JsonWriter w, CompositionNode root)
    {
        w.WriteStartObject();
        w.WriteString("apiVersion", KubeDiscoveryApi.GroupVersion);
        w.WriteString("kind", "Composition");
        WriteBody(w, root);
        w.WriteEndObject();
    }

    public static void WriteList(Utf8JsonWriter w, IEnumerable<CompositionNode> roots)
    {
        w.WriteStartObject();
        w.WriteString("apiVersion", KubeDiscoveryApi.GroupVersion);
        w.WriteString("kind", "CompositionList");
        w.WriteStartObject("metadata");
        w.WriteEndObject();
        w.WriteStartArray("items");
        foreach (var root in roots)
        {
            w.WriteStartObject();
            WriteBody(w, root);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteBody(Utf8JsonWriter w, CompositionNode root)
    {
        w.WriteStartObject("metadata");
        w.WriteString("name", root.Object.Name);
        if (root.Object.Namespace is { } ns) w.WriteString("namespace", ns);
        w.WriteEndObject();
        w.WritePropertyName("root");
        WriteNode(w, root);
    }

    private static void WriteNode(Utf8JsonWriter w, CompositionNode node)
    {
        var o = node.Object;
        w.WriteStartObject();
        w.WriteString("apiVersion", o.ApiVersion);
        w.WriteString("kind", o.Kind);
        if (o.Namespace is { } ns) w.WriteString("namespace", ns);
        w.WriteString("name", o.Name);
        w.WriteString("uid", o.Uid);
        if (o.CreationTimestamp is { } created) w.WriteString("creationTimestamp", Rfc3339(created));

        w.WriteStartObject("status");
        w.WriteString("ready", o.Status.ReadyText);
        if (o.Status.Reason is { } reason) w.WriteString("reason", reason);
        if (o.Status.Message is { } message) w.WriteString("message", message);
        w.WriteEndObject();

        if (node.Cycle) w.WriteBoolean("cycle", true);
        if (node.Truncated) w.WriteBoolean("truncated", true);
        if (node.HiddenChildren > 0) w.WriteNumber("hiddenChildren", node.HiddenChildren);
        if (node.DanglingOwners.Count > 0)
        {
            w.WriteStartArray("danglingOwners");
            foreach (var owner in node.DanglingOwners) WriteOwner(w, owner);
            w.WriteEndArray();
        }

        w.WriteStartArray("children");
        foreach (var child in node.Children) WriteNode(w, child);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteOwner(Utf8JsonWriter w, OwnerReference owner)
    {
        w.WriteStartObject();
        w.WriteString("apiVersion", owner.ApiVersion);
        w.WriteString("kind", owner.Kind);
        w.WriteString("name", owner.Name);
        w.WriteString("uid", owner.Uid);
        if (owner.Controller) w.WriteBoolean("controller", true);
        w.WriteEndObject();
    }

    /// <summary>Kubernetes' timestamp format: RFC 3339, UTC, whole seconds.</summary>
    public static string Rfc3339(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
