using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeDiscovery.History.Recording;
using KubeDiscovery.History.Storage;

namespace KubeDiscovery.Rendering;

/// <summary>History answers as JSON: versions, changes and the object each version held.</summary>
internal static class HistoryJsonWriter
{
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static void WriteListStart(Utf8JsonWriter w, string kind, string? resourceVersion = null, string? continueToken = null)
    {
        w.WriteStartObject();
        w.WriteString("apiVersion", Api.KubeDiscoveryApi.GroupVersion);
        w.WriteString("kind", kind);
        w.WriteStartObject("metadata");
        if (resourceVersion is not null) w.WriteString("resourceVersion", resourceVersion);
        if (continueToken is not null) w.WriteString("continue", continueToken);
        w.WriteEndObject();
    }

    /// <summary>Which object a per-object answer is about: its names, the uid answered for, and its other incarnations.</summary>
    public static void WriteTarget(Utf8JsonWriter w, Api.History.HistoryObject target)
    {
        w.WriteStartObject("object");
        w.WriteString("apiGroup", target.Group);
        w.WriteString("resource", target.Resource);
        w.WriteString("kind", target.Type.Kind);
        if (target.Namespace is { } ns) w.WriteString("namespace", ns);
        w.WriteString("name", target.Name);
        w.WriteString("uid", target.Uid);
        w.WriteBoolean("deleted", target.Deleted);
        if (target.Incarnations.Count > 1)
        {
            w.WriteStartArray("incarnations");
            foreach (var i in target.Incarnations)
            {
                w.WriteStartObject();
                w.WriteString("uid", i.Uid);
                w.WriteString("firstSeen", Time(i.FirstSeen));
                w.WriteString("lastSeen", Time(i.LastSeen));
                w.WriteBoolean("deleted", i.Deleted);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    /// <summary>
    /// One version (or gap) as <c>versions</c> lists it; <paramref name="withObject"/> makes it a <c>Change</c>
    /// of <c>changes</c>: with its own metadata (as an Event has, so kubectl lists and watches it), and whom
    /// it belongs to.
    /// </summary>
    /// <param name="kind">The object's kind, when the caller knows it: a Change names it as <c>objectKind</c>.</param>
    public static void WriteVersion(Utf8JsonWriter w, StoredVersion stored, bool withObject = false, string? via = null, string? kind = null)
    {
        var v = stored.Version;
        w.WriteStartObject();
        if (withObject) WriteChangeHeader(w, stored);
        w.WriteString("time", Time(v.ObservedAt));
        w.WriteString("change", v.Change.ToString());
        if (v.Change == ChangeKind.Gap)
        {
            w.WriteString("message", v.ChangedPaths.Count > 0 ? v.ChangedPaths[0] : "history is incomplete here");
            w.WriteEndObject();
            return;
        }
        if (withObject)
        {
            w.WriteString("apiGroup", v.Group);
            w.WriteString("resource", v.Resource);
            if (kind is not null) w.WriteString("objectKind", kind); // "kind" is the Change's own
            if (v.Namespace is { } ns) w.WriteString("namespace", ns);
            w.WriteString("name", v.Name);
            w.WriteString("uid", v.Uid);
            if (via is not null) w.WriteString("via", via);
        }
        w.WriteNumber("number", stored.Number);
        w.WriteString("resourceVersion", v.ResourceVersion);
        if (v.Generation is { } generation) w.WriteNumber("generation", generation);
        if (v.ObservedLate) w.WriteBoolean("observedLate", true);
        if (stored.By is { } by)
        {
            w.WriteString("user", by.User);
            if (by.UserAgent is { } agent) w.WriteString("userAgent", agent);
            w.WriteString("verb", by.Verb);
        }
        w.WriteStartArray("managers");
        foreach (var m in v.Managers)
        {
            w.WriteStartObject();
            w.WriteString("manager", m.Manager);
            w.WriteString("operation", m.Operation);
            if (m.Time is { } time) w.WriteString("time", time);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("changedPaths");
        foreach (var path in v.ChangedPaths) w.WriteStringValue(path);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>
    /// A change's own name: the object's name, its version number and the start of its uid (unique: a uid
    /// numbers its versions once); a gap is named by where history wrote it.
    /// </summary>
    public static string ChangeName(StoredVersion stored)
    {
        var v = stored.Version;
        return v.Change == ChangeKind.Gap
            ? string.Create(CultureInfo.InvariantCulture, $"gap.{stored.Seq}")
            : string.Create(CultureInfo.InvariantCulture, $"{v.Name}.{stored.Number}.{v.Uid[..Math.Min(8, v.Uid.Length)]}");
    }

    /// <summary>Who made a change, as far as history knows: the audited user, else the field manager that wrote last.</summary>
    public static string Who(StoredVersion stored) =>
        stored.By?.User ?? stored.Version.Managers.Where(m => m.Time is not null).MaxBy(m => m.Time, StringComparer.Ordinal)?.Manager
            ?? (stored.Version.Managers.Count == 1 ? stored.Version.Managers[0].Manager : "");

    private static void WriteChangeHeader(Utf8JsonWriter w, StoredVersion stored)
    {
        w.WriteString("apiVersion", Api.KubeDiscoveryApi.GroupVersion);
        w.WriteString("kind", "Change");
        WriteChangeMetadata(w, stored);
    }

    /// <summary>A Change's own <c>metadata</c>, the same in the item and in a Table row's object.</summary>
    public static void WriteChangeMetadata(Utf8JsonWriter w, StoredVersion stored)
    {
        w.WriteStartObject("metadata");
        w.WriteString("name", ChangeName(stored));
        if (stored.Version.Namespace is { Length: > 0 } ns) w.WriteString("namespace", ns);
        w.WriteString("creationTimestamp", stored.Version.ObservedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        w.WriteString("resourceVersion", stored.Seq.ToString(CultureInfo.InvariantCulture));
        w.WriteEndObject();
    }

    /// <summary>One version and the object as history kept it then (null when it cannot be rebuilt: a gap before it).</summary>
    public static void WriteSpec(Utf8JsonWriter w, StoredVersion stored, JsonNode? obj)
    {
        var v = stored.Version;
        w.WriteStartObject();
        w.WriteNumber("number", stored.Number);
        w.WriteString("resourceVersion", v.ResourceVersion);
        w.WriteString("time", Time(v.ObservedAt));
        w.WriteString("change", v.Change.ToString());
        w.WritePropertyName("object");
        if (obj is null) w.WriteNullValue();
        else obj.WriteTo(w);
        w.WriteEndObject();
    }

    public static void WriteListEnd(Utf8JsonWriter w)
    {
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
