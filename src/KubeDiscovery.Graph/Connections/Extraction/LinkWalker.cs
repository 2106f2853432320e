using System.Globalization;
using System.Text.Json;
using KubeDiscovery.Graph.Resources;
using KubeDiscovery.Graph.Selectors;

namespace KubeDiscovery.Graph.Connections.Extraction;

/// <summary>
/// Walks a JSON value along a <see cref="PathNode"/> trie, reading only what captures need: the rest is
/// skipped token by token, never materialised. Malformed values (a number where a name belongs) are
/// ignored: a reference that does not parse is no reference, and never fails the object.
/// </summary>
internal static class LinkWalker
{
    /// <summary>The reader stands on the value's first token; it ends on the value's last.</summary>
    public static void Walk(ref Utf8JsonReader reader, PathNode node, Extracted found)
    {
        if (node.TakesValue)
        {
            CaptureValue(ref reader, node, found);
            return;
        }
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var notes = found.NotesAllowed == false ? null : node.Notes;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var child = node.Find(ref reader);
                    string? noteKey = notes is not null && reader.GetString() is { } k && k.StartsWith(notes.NotePrefix, StringComparison.Ordinal) ? k : null;
                    reader.Read();
                    if (noteKey is not null && reader.TokenType == JsonTokenType.String)
                    {
                        found.AddNote(noteKey, reader.GetString()!);
                    }
                    else if (child is not null)
                    {
                        Walk(ref reader, child, found);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                break;
            case JsonTokenType.StartArray:
                if (node.ItemNode is not { } items)
                {
                    reader.Skip();
                    break;
                }
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) Walk(ref reader, items, found);
                break;
            default:
                reader.Skip();
                break;
        }
    }

    private static void CaptureValue(ref Utf8JsonReader reader, PathNode node, Extracted found)
    {
        if (reader.TokenType == JsonTokenType.StartObject && node.OnlyReferences)
        {
            // The common case (an Endpoints' targetRef per Pod): read the few strings, build no document.
            string? name = null, ns = null, kind = null, apiVersion = null, apiGroup = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                ref var slot = ref name;
                if (reader.ValueTextEquals("name"u8)) slot = ref name;
                else if (reader.ValueTextEquals("namespace"u8)) slot = ref ns;
                else if (reader.ValueTextEquals("kind"u8)) slot = ref kind;
                else if (reader.ValueTextEquals("apiVersion"u8)) slot = ref apiVersion;
                else if (reader.ValueTextEquals("apiGroup"u8)) slot = ref apiGroup;
                else
                {
                    reader.Read();
                    reader.Skip();
                    continue;
                }
                reader.Read();
                if (reader.TokenType == JsonTokenType.String) slot = reader.GetString();
                else reader.Skip();
            }
            foreach (var capture in node.Captures) AddReference(capture, name, ns, kind, GroupOf(apiGroup, apiVersion), found);
            return;
        }
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            using var doc = JsonDocument.ParseValue(ref reader);
            foreach (var capture in node.Captures) Apply(capture, doc.RootElement, found);
            return;
        }
        foreach (var capture in node.Captures)
        {
            switch (capture.Kind)
            {
                case CaptureKind.Name when reader.TokenType == JsonTokenType.String:
                    if (!found.TryAddKey(capture, ref reader)) found.AddName(capture, capture.TargetGroup, capture.TargetKind, null, reader.GetString()!);
                    break;
                case CaptureKind.ClaimTemplate when reader.TokenType == JsonTokenType.String:
                    found.AddClaimTemplate(capture, reader.GetString()!);
                    break;
                case CaptureKind.Replicas:
                    found.Replicas = reader.TokenType switch
                    {
                        JsonTokenType.Number when reader.TryGetInt64(out var n) => n,
                        JsonTokenType.String when long.TryParse(reader.GetString(), CultureInfo.InvariantCulture, out var n) => n,
                        _ => null,
                    };
                    break;
            }
        }
    }

    // group null: the reference does not say (the capture's own group applies).
    private static void AddReference(Capture capture, string? name, string? ns, string? kind, string? group, Extracted found)
    {
        if (name is null) return;
        kind ??= capture.TargetKind;
        if (kind.Length == 0 || (capture.TargetKind.Length > 0 && kind != capture.TargetKind)) return;
        found.AddName(capture, group ?? capture.TargetGroup, kind, ns, name);
    }

    // apiGroup when given, else the group of apiVersion; null when neither says (the capture's group applies).
    private static string? GroupOf(string? apiGroup, string? apiVersion) =>
        apiGroup ?? (apiVersion is null ? null : KindNames.SplitApiVersion(apiVersion).Group);

    private static string? Text(JsonElement obj, string property) =>
        obj.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static void Apply(Capture capture, JsonElement value, Extracted found)
    {
        switch (capture.Kind)
        {
            case CaptureKind.ObjectReference when value.ValueKind == JsonValueKind.Object:
                AddReference(capture, Text(value, "name"), Text(value, "namespace"), Text(value, "kind"), GroupOf(Text(value, "apiGroup"), Text(value, "apiVersion")), found);
                break;
            case CaptureKind.Selector when LabelSelector.FromLabelSelector(value) is { } selector:
                found.AddSelector(capture, selector);
                break;
            case CaptureKind.SelectorMap when LabelSelector.FromMap(value) is { } map:
                found.AddSelector(capture, map);
                break;
        }
    }
}
