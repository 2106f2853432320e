using System.Globalization;
using System.Text.Json;
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
        if (node.Captures.Count > 0 && node.Captures.Any(c => c.Kind != CaptureKind.Notes))
        {
            CaptureValue(ref reader, node, found);
            return;
        }
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var notes = found.NotesAllowed == false ? null : node.Captures.FirstOrDefault(c => c.Kind == CaptureKind.Notes);
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
                    found.AddName(capture, capture.TargetGroup, capture.TargetKind, null, reader.GetString()!);
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

    private static void Apply(Capture capture, JsonElement value, Extracted found)
    {
        switch (capture.Kind)
        {
            case CaptureKind.ObjectReference when value.ValueKind == JsonValueKind.Object:
                if (!value.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String) return;
                var kind = value.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : capture.TargetKind;
                if (kind.Length == 0 || (capture.TargetKind.Length > 0 && kind != capture.TargetKind)) return;
                var group = Extracted.GroupOf(value);
                if (group == "\0") group = capture.TargetGroup;
                var ns = value.TryGetProperty("namespace", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                found.AddName(capture, group, kind, ns, name.GetString()!);
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
