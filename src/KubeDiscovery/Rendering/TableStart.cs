using System.Text.Json;

namespace KubeDiscovery.Rendering;

/// <summary>The start of a <c>meta.k8s.io/v1</c> <c>Table</c>: its list metadata and column definitions, up to its rows.</summary>
internal static class TableStart
{
    /// <param name="nameColumn">The column kubectl treats as the name (<c>format: name</c>), if any.</param>
    public static void Write(Utf8JsonWriter w, IEnumerable<(string Name, string Description, int Priority)> columns, string resourceVersion,
        string? continueToken, long? remaining, string? nameColumn)
    {
        w.WriteStartObject();
        w.WriteString("kind", "Table");
        w.WriteString("apiVersion", "meta.k8s.io/v1");
        w.WriteStartObject("metadata");
        w.WriteString("resourceVersion", resourceVersion);
        if (continueToken is not null) w.WriteString("continue", continueToken);
        if (remaining is { } r) w.WriteNumber("remainingItemCount", r);
        w.WriteEndObject();

        w.WriteStartArray("columnDefinitions");
        foreach (var (name, description, priority) in columns)
        {
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WriteString("type", "string");
            w.WriteString("format", name == nameColumn ? "name" : "");
            w.WriteString("description", description);
            w.WriteNumber("priority", priority);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
