using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KubeDiscovery.Api;
using KubeDiscovery.Graph.Applications;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Rendering;

/// <summary>
/// Writes <c>Application</c> and <c>ApplicationList</c> of the <c>appinstances</c> resource: the one place
/// that defines their wire shape. List items carry the rollup; a single application also carries its
/// members' trees, grouped by kind.
/// </summary>
internal static class ApplicationJsonWriter
{
    public const string Kind = "Application";
    public const string ListKind = "ApplicationList";

    private static readonly JsonEncodedText Time = JsonEncodedText.Encode("time");
    private static readonly JsonEncodedText LastChange = JsonEncodedText.Encode("lastChange");

    // Item names and uids, made once per application rather than per item written (a list of 2,000
    // applications wrote each several times): bounded, and forgotten whole when full.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<AppKey, (string ItemName, string Uid)> Names = new();
    private const int MaxNames = 100_000;

    private static (string ItemName, string Uid) NamesOf(AppKey key)
    {
        if (Names.TryGetValue(key, out var names)) return names;
        if (Names.Count >= MaxNames) Names.Clear();
        return Names.GetOrAdd(key, static k => (k.ItemName, MakeUid(k)));
    }

    /// <summary>The application's item name (<c>helm.cart</c>).</summary>
    public static string ItemNameOf(AppKey key) => NamesOf(key).ItemName;

    /// <summary>A stable uid per application (it has no object of its own to borrow one from): a name-based UUID of its key.</summary>
    public static string UidOf(AppKey key) => NamesOf(key).Uid;

    private static string MakeUid(AppKey key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{key.Namespace}/{key.Form}/{key.Name}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }

    public static void WriteItem(Utf8JsonWriter w, ApplicationSummary app, string resourceVersion, bool withMembers,
        DateTimeOffset? lastChange, Func<ObjectRecord, IReadOnlyList<AppKey>>? alsoClaimedBy)
    {
        w.WriteStartObject();
        w.WriteString("apiVersion", KubeDiscoveryApi.GroupVersion);
        w.WriteString("kind", Kind);
        WriteMetadata(w, app, resourceVersion);

        w.WriteStartObject("spec");
        w.WriteString("source", app.Key.SourceName);
        w.WriteString("form", app.Key.Form);
        w.WriteString("name", app.Key.Name);
        if (app.Root is { } root)
        {
            w.WriteStartObject("root");
            w.WriteString("apiVersion", root.ApiVersion);
            w.WriteString("kind", root.Kind);
            if (root.Namespace is { } ns) w.WriteString("namespace", ns);
            w.WriteString("name", root.Name);
            w.WriteEndObject();
        }
        if (app.Parent is { } parent) WriteRef(w, "parent", parent, app.Key.Namespace);
        w.WriteEndObject();

        w.WriteStartObject("status");
        w.WriteString("ready", app.Ready switch { ReadyState.True => "True", ReadyState.False => "False", _ => "Unknown" });
        w.WriteString("reason", app.Status);
        if (app.Root?.Status.Message is { } message) w.WriteString("message", message);
        w.WriteNumber("readyMembers", app.ReadyMembers);
        w.WriteNumber("membersWithStatus", app.MembersWithStatus);
        w.WriteNumber("members", app.Members.Count);
        w.WriteNumber("objects", app.Objects);
        if (app.Hidden > 0) w.WriteNumber("hiddenObjects", app.Hidden);
        if (app.Revision is { } revision) w.WriteString("revision", revision);
        if (app.Helm is { } helm)
        {
            w.WriteStartObject("helm");
            w.WriteNumber("revision", helm.Revision);
            w.WriteString("status", helm.Status);
            if (helm.Time is { } time) CompositionJsonWriter.WriteTimestamp(w, Time, time);
            w.WriteEndObject();
        }
        if (lastChange is { } changed) CompositionJsonWriter.WriteTimestamp(w, LastChange, changed);
        if (app.Causes.Count > 0) CompositionJsonWriter.WriteCauses(w, app.Causes);
        if (app.Children.Count > 0)
        {
            w.WriteStartArray("children");
            foreach (var child in app.Children) WriteRefValue(w, child, app.Key.Namespace);
            w.WriteEndArray();
        }
        if (alsoClaimedBy is not null) WriteConflicts(w, app, alsoClaimedBy);
        w.WriteEndObject();

        if (withMembers)
        {
            w.WriteStartArray("members");
            foreach (var group in app.Trees.GroupBy(t => (t.Object.Type.Group, t.Object.Kind)).OrderBy(g => g.Key.Kind, StringComparer.Ordinal).ThenBy(g => g.Key.Group, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                w.WriteString("kind", group.Key.Kind);
                w.WriteString("group", group.Key.Group);
                w.WriteStartArray("items");
                foreach (var tree in group) CompositionJsonWriter.WriteTree(w, tree);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    // Members also claimed by a less authoritative tool: each says who else claims it.
    private static void WriteConflicts(Utf8JsonWriter w, ApplicationSummary app, Func<ObjectRecord, IReadOnlyList<AppKey>> alsoClaimedBy)
    {
        var started = false;
        foreach (var member in app.Members)
        {
            var others = alsoClaimedBy(member);
            if (others.Count == 0) continue;
            if (!started)
            {
                w.WriteStartArray("alsoClaimedBy");
                started = true;
            }
            w.WriteStartObject();
            w.WriteString("object", $"{member.Kind}/{member.Name}");
            w.WriteStartArray("by");
            foreach (var other in others) WriteRefValue(w, other, app.Key.Namespace);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        if (started) w.WriteEndArray();
    }

    private static void WriteRef(Utf8JsonWriter w, string property, AppKey key, string ownNamespace)
    {
        w.WritePropertyName(property);
        WriteRefValue(w, key, ownNamespace);
    }

    // Another application, by item name; "namespace/name" when it lives elsewhere (Argo CD's in argocd).
    private static void WriteRefValue(Utf8JsonWriter w, AppKey key, string ownNamespace) =>
        w.WriteStringValue(key.Namespace == ownNamespace ? ItemNameOf(key) : $"{key.Namespace}/{ItemNameOf(key)}");

    public static void WriteMetadata(Utf8JsonWriter w, ApplicationSummary app, string resourceVersion)
    {
        w.WriteStartObject("metadata");
        var (itemName, uid) = NamesOf(app.Key);
        w.WriteString("name", itemName);
        w.WriteString("namespace", app.Key.Namespace);
        w.WriteString("uid", uid);
        w.WriteString("resourceVersion", resourceVersion);
        if (app.Created is { } created) CompositionJsonWriter.WriteTimestamp(w, CompositionJsonWriter.CreationTimestamp, created);
        if (app.Labels.Count > 0)
        {
            w.WriteStartObject("labels");
            foreach (var label in app.Labels) w.WriteString(label.Key, label.Value);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    public static string ReadyColumn(ApplicationSummary app) =>
        string.Create(CultureInfo.InvariantCulture, $"{app.ReadyMembers}/{app.MembersWithStatus}");
}
