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
    // Property names encoded once: a tree writes each of them at every node.
    private static readonly JsonEncodedText ApiVersion = JsonEncodedText.Encode("apiVersion");
    private static readonly JsonEncodedText Kind = JsonEncodedText.Encode("kind");
    private static readonly JsonEncodedText Namespace = JsonEncodedText.Encode("namespace");
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText Uid = JsonEncodedText.Encode("uid");
    public static readonly JsonEncodedText CreationTimestamp = JsonEncodedText.Encode("creationTimestamp");
    private static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText Ready = JsonEncodedText.Encode("ready");
    private static readonly JsonEncodedText Reason = JsonEncodedText.Encode("reason");
    private static readonly JsonEncodedText Message = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText Children = JsonEncodedText.Encode("children");
    private static readonly JsonEncodedText Ancestors = JsonEncodedText.Encode("ancestors");

    public static void WriteComposition(Utf8JsonWriter w, CompositionNode root)
    {
        w.WriteStartObject();
        w.WriteString("apiVersion", KubeDiscoveryApi.GroupVersion);
        w.WriteString("kind", "Composition");
        WriteBody(w, root);
        w.WriteEndObject();
    }

    /// <summary>
    /// An item of the listable <c>compositions</c>/<c>clustercompositions</c> resources: named by its item
    /// name (<c>deployment.frontend</c>), with apiVersion and kind so each item stands alone.
    /// </summary>
    public static void WriteNamedItem(Utf8JsonWriter w, CompositionNode root, string kind, string itemName, string resourceVersion)
    {
        w.WriteStartObject();
        w.WriteString("apiVersion", KubeDiscoveryApi.GroupVersion);
        w.WriteString("kind", kind);
        w.WriteStartObject("metadata");
        w.WriteString("name", itemName);
        if (root.Object.Namespace is { } ns) w.WriteString("namespace", ns);
        w.WriteString("uid", root.Object.Uid);
        w.WriteString("resourceVersion", resourceVersion);
        if (root.Object.CreationTimestamp is { } created) WriteTimestamp(w, CreationTimestamp, created);
        if (root.Object.Labels.Count > 0)
        {
            w.WriteStartObject("labels");
            foreach (var label in root.Object.Labels) w.WriteString(label.Key, label.Value);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WritePropertyName("root");
        WriteNode(w, root);
        WriteAncestors(w, root);
        WriteCause(w, root);
        w.WriteEndObject();
    }

    // A not-ready tree says why: the not-ready objects at the bottom of its chains (what the user may read of them).
    private static void WriteCause(Utf8JsonWriter w, CompositionNode root)
    {
        if (root.Object.Status.Ready != ReadyState.False) return;
        var causes = Graph.Status.NotReadyCauses.Find([root]);
        if (causes.Count == 0) return;
        w.WriteStartObject("status");
        w.WriteString("ready", "False");
        WriteCauses(w, causes);
        w.WriteEndObject();
    }

    /// <summary>A list of named items, up to its first item.</summary>
    public static void WriteNamedListStart(Utf8JsonWriter w, string listKind, string resourceVersion, string? continueToken, long? remaining)
    {
        w.WriteStartObject();
        w.WriteString("apiVersion", KubeDiscoveryApi.GroupVersion);
        w.WriteString("kind", listKind);
        w.WriteStartObject("metadata");
        w.WriteString("resourceVersion", resourceVersion);
        if (continueToken is not null) w.WriteString("continue", continueToken);
        if (remaining is { } r) w.WriteNumber("remainingItemCount", r);
        w.WriteEndObject();
        w.WriteStartArray("items");
    }

    public static void WriteList(Utf8JsonWriter w, IEnumerable<CompositionNode> roots)
    {
        WriteListStart(w);
        foreach (var root in roots) WriteItem(w, root);
        WriteListEnd(w);
    }

    /// <summary>A <c>CompositionList</c> up to its first item, for answers streamed item by item.</summary>
    public static void WriteListStart(Utf8JsonWriter w) => WriteListStart(w, null, null);

    public static void WriteListStart(Utf8JsonWriter w, string? continueToken, long? remaining)
    {
        w.WriteStartObject();
        w.WriteString("apiVersion", KubeDiscoveryApi.GroupVersion);
        w.WriteString("kind", "CompositionList");
        w.WriteStartObject("metadata");
        if (continueToken is not null) w.WriteString("continue", continueToken);
        if (remaining is { } r) w.WriteNumber("remainingItemCount", r);
        w.WriteEndObject();
        w.WriteStartArray("items");
    }

    public static void WriteItem(Utf8JsonWriter w, CompositionNode root)
    {
        w.WriteStartObject();
        WriteBody(w, root);
        w.WriteEndObject();
    }

    public static void WriteListEnd(Utf8JsonWriter w)
    {
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
        WriteAncestors(w, root);
        WriteCause(w, root);
    }

    /// <summary><c>ancestors</c>: the root's owners, each with its own <c>ancestors</c>, up to the top.</summary>
    private static void WriteAncestors(Utf8JsonWriter w, CompositionNode root)
    {
        w.WriteStartArray(Ancestors);
        foreach (var owner in root.Ancestors) WriteNode(w, owner, upward: true);
        w.WriteEndArray();
        if (root.HiddenAncestors > 0) w.WriteNumber("hiddenAncestors", root.HiddenAncestors);
    }

    /// <summary>One node and everything under it, as a composition's <c>root</c> is written.</summary>
    public static void WriteTree(Utf8JsonWriter w, CompositionNode node) => WriteNode(w, node);

    /// <summary><c>cause</c>: the not-ready objects at the bottom of the chains, with what they say.</summary>
    public static void WriteCauses(Utf8JsonWriter w, IReadOnlyList<Graph.Status.NotReadyCause> causes)
    {
        w.WriteStartArray("cause");
        foreach (var cause in causes)
        {
            w.WriteStartObject();
            w.WriteString("object", $"{cause.Object.Kind}/{cause.Object.Name}");
            if (cause.Object.Namespace is { } ns) w.WriteString("namespace", ns);
            w.WriteString("reason", cause.Reason);
            if (cause.Message is { } message) w.WriteString("message", message);
            if (cause.LastWarning is { } warning)
            {
                w.WriteStartObject("lastWarning");
                w.WriteString("reason", warning.Reason);
                w.WriteString("message", warning.Message);
                w.WriteNumber("count", warning.Count);
                if (warning.LastSeen is { } seen) WriteTimestamp(w, JsonEncodedText.Encode("lastSeen"), seen);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>A cause as one line: <c>Pod/cart-84c6d7b9f5-m4jh4: ImagePullBackOff: Back-off pulling image "cart:1.4"</c>.</summary>
    public static string CauseLine(Graph.Status.NotReadyCause cause) =>
        cause.Message is { } m ? $"{cause.Object.Kind}/{cause.Object.Name}: {cause.Reason}: {m}" : $"{cause.Object.Kind}/{cause.Object.Name}: {cause.Reason}";

    /// <param name="upward">An ancestor: its <see cref="CompositionNode.Children"/> are its owners, written as <c>ancestors</c>.</param>
    private static void WriteNode(Utf8JsonWriter w, CompositionNode node, bool upward = false)
    {
        w.WriteStartObject();
        WriteIdentityAndStatus(w, node, upward);
        w.WriteStartArray(upward ? Ancestors : Children);
        foreach (var child in node.Children) WriteNode(w, child, upward);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>A timestamp in Kubernetes' format, written without allocating.</summary>
    public static void WriteTimestamp(Utf8JsonWriter w, JsonEncodedText name, DateTimeOffset time)
    {
        Span<byte> text = stackalloc byte[20];
        w.WriteString(name, Rfc3339(time, text));
    }

    // Upward (an ancestor), the node's Children are its owners: hidden ones are hiddenAncestors.
    private static void WriteIdentityAndStatus(Utf8JsonWriter w, CompositionNode node, bool upward)
    {
        var o = node.Object;
        w.WriteString(ApiVersion, o.ApiVersion);
        w.WriteString(Kind, o.Kind);
        if (o.Namespace is { } ns) w.WriteString(Namespace, ns);
        w.WriteString(Name, o.Name);
        w.WriteString(Uid, o.Uid);
        if (o.CreationTimestamp is { } created) WriteTimestamp(w, CreationTimestamp, created);

        w.WriteStartObject(Status);
        w.WriteString(Ready, o.Status.ReadyText);
        if (o.Status.Reason is { } reason) w.WriteString(Reason, reason);
        if (o.Status.Message is { } message) w.WriteString(Message, message);
        w.WriteEndObject();

        if (node.Cycle) w.WriteBoolean("cycle", true);
        if (node.ExpandedElsewhere) w.WriteBoolean("expandedElsewhere", true);
        if (node.Truncated) w.WriteBoolean("truncated", true);
        if (node.HiddenChildren > 0) w.WriteNumber(upward ? "hiddenAncestors" : "hiddenChildren", node.HiddenChildren);
        if (node.DanglingOwners.Count > 0)
        {
            w.WriteStartArray("danglingOwners");
            foreach (var owner in node.DanglingOwners) WriteOwner(w, owner);
            w.WriteEndArray();
        }
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

    /// <summary>Kubernetes' timestamp format (RFC 3339, UTC, whole seconds) as UTF-8 into <paramref name="into"/> (20 bytes), without a format string or an allocation.</summary>
    public static ReadOnlySpan<byte> Rfc3339(DateTimeOffset time, Span<byte> into)
    {
        var t = time.UtcDateTime;
        Digits(into[..4], t.Year);
        into[4] = (byte)'-';
        Digits(into[5..7], t.Month);
        into[7] = (byte)'-';
        Digits(into[8..10], t.Day);
        into[10] = (byte)'T';
        Digits(into[11..13], t.Hour);
        into[13] = (byte)':';
        Digits(into[14..16], t.Minute);
        into[16] = (byte)':';
        Digits(into[17..19], t.Second);
        into[19] = (byte)'Z';
        return into[..20];
    }

    private static void Digits(Span<byte> into, int value)
    {
        for (var i = into.Length - 1; i >= 0; i--)
        {
            into[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}
