using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeDiscovery.History.Recording;

/// <summary>
/// An object as history keeps it, written straight from the observed document: status, bookkeeping
/// metadata (resourceVersion, managedFields, generation, selfLink, creationTimestamp) and ignored
/// annotations left out, a Secret's values replaced by its keys and who last wrote each. One pass of a
/// writer, no tree of nodes: recording thousands of versions a second depends on it.
/// </summary>
internal static class NormalizedJson
{
    private static readonly string[] BookkeepingMetadata = ["resourceVersion", "managedFields", "generation", "selfLink", "creationTimestamp"];

    public static JsonElement Write(JsonElement obj, (string ApiVersion, string Kind)? typeMeta, IReadOnlySet<string> ignoredAnnotations)
    {
        var apiVersion = typeMeta?.ApiVersion ?? Text(obj, "apiVersion");
        var kind = typeMeta?.Kind ?? Text(obj, "kind");
        var secret = kind == "Secret" && apiVersion == "v1";
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            if (apiVersion is not null) w.WriteString("apiVersion", apiVersion);
            if (kind is not null) w.WriteString("kind", kind);
            foreach (var p in obj.ValueKind == JsonValueKind.Object ? obj.EnumerateObject() : default)
            {
                if (p.NameEquals("apiVersion"u8) || p.NameEquals("kind"u8) || p.NameEquals("status"u8)) continue;
                if (secret && (p.NameEquals("data"u8) || p.NameEquals("stringData"u8))) continue;
                if (p.NameEquals("metadata"u8) && p.Value.ValueKind == JsonValueKind.Object)
                {
                    w.WritePropertyName("metadata");
                    WriteMetadata(w, p.Value, ignoredAnnotations, secret ? obj : null);
                    continue;
                }
                p.WriteTo(w);
            }
            if (secret)
            {
                // Never a value: a Secret is kept with its keys, each with who last wrote it (from managedFields),
                // so a write shows as that key changing, and the keys outlive a restart in the stored versions.
                var keys = SecretKeys.Summary(JsonObject.Create(obj)!);
                if (keys.Count > 0)
                {
                    w.WritePropertyName("data");
                    keys.WriteTo(w);
                }
            }
            w.WriteEndObject();
        }
        return Parse(buffer.WrittenSpan);
    }

    // One parse into an element that owns its memory: no document to dispose, no second copy.
    private static JsonElement Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        return JsonElement.ParseValue(ref reader);
    }

    /// <param name="secret">The whole Secret when it is one: its annotations are kept as keys and writers, never values.</param>
    private static void WriteMetadata(Utf8JsonWriter w, JsonElement metadata, IReadOnlySet<string> ignoredAnnotations, JsonElement? secret)
    {
        w.WriteStartObject();
        foreach (var p in metadata.EnumerateObject())
        {
            if (Array.Exists(BookkeepingMetadata, b => p.NameEquals(b))) continue;
            if (secret is { } whole && p.NameEquals("annotations"u8))
            {
                var summary = SecretKeys.AnnotationSummary(JsonObject.Create(whole)!);
                foreach (var ignored in ignoredAnnotations) summary.Remove(ignored);
                if (summary.Count == 0) continue;
                w.WritePropertyName("annotations");
                summary.WriteTo(w);
                continue;
            }
            if (p.NameEquals("annotations"u8) && p.Value.ValueKind == JsonValueKind.Object)
            {
                var kept = p.Value.EnumerateObject().Where(a => !ignoredAnnotations.Contains(a.Name)).ToList();
                if (kept.Count == 0) continue;
                w.WriteStartObject("annotations");
                foreach (var a in kept) a.WriteTo(w);
                w.WriteEndObject();
                continue;
            }
            p.WriteTo(w);
        }
        w.WriteEndObject();
    }

    /// <summary>Every entry of <c>metadata.managedFields</c>: who wrote, how, and when.</summary>
    public static List<FieldManager> Managers(JsonElement obj)
    {
        List<FieldManager> managers = [];
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty("metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object
            || !metadata.TryGetProperty("managedFields", out var entries) || entries.ValueKind != JsonValueKind.Array) return managers;
        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object) continue;
            managers.Add(new FieldManager(Text(entry, "manager") ?? "", Text(entry, "operation") ?? "", Text(entry, "time")));
        }
        return managers;
    }

    public static bool IsSecret(JsonElement normalized) => Text(normalized, "kind") == "Secret" && Text(normalized, "apiVersion") == "v1";

    public static JsonElement ToElement(JsonNode node)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer)) node.WriteTo(w);
        return Parse(buffer.WrittenSpan);
    }

    private static string? Text(JsonElement obj, string property) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
