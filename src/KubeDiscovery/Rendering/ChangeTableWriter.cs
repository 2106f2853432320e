using System.Globalization;
using System.Text;
using System.Text.Json;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Graph.Resources;
using KubeDiscovery.History.Recording;
using KubeDiscovery.History.Storage;

namespace KubeDiscovery.Rendering;

/// <summary>
/// Changes as a <c>meta.k8s.io/v1</c> <c>Table</c>, what <c>kubectl get changes</c> asks for: one row per
/// change, TIME, OBJECT, CHANGE, WHO and PATHS, and with <c>-o wide</c> the version number and the
/// resourceVersion. kubectl adds NAMESPACE (with <c>-A</c>) from each row's object metadata.
/// </summary>
internal static class ChangeTableWriter
{
    // PATHS is a summary: the first paths, then how many more (the Change itself lists them all).
    private const int PathsWidth = 80;

    private static readonly (string Name, string Description, int Priority)[] Columns =
    [
        ("Time", "When the change was observed (UTC)", 0),
        ("Object", "The object changed, as Kind/name", 0),
        ("Change", "Created, Updated, Deleted, or Gap where history may be incomplete", 0),
        ("Who", "The user who made it (from audit events), else the field manager that wrote last", 0),
        ("Paths", "The fields that changed; for a gap, why it is one", 0),
        ("Version", "The object's version number in its history (versions, diff)", 1),
        ("Resource Version", "The object's resourceVersion after the change", 1),
    ];

    public static void Write(Utf8JsonWriter w, IEnumerable<StoredVersion> changes, string resourceVersion, string? continueToken,
        CompositionTableWriter.IncludeObject include, ResourceCatalog catalog)
    {
        TableStart.Write(w, Columns, resourceVersion, continueToken, remaining: null, nameColumn: null);
        w.WriteStartArray("rows");
        foreach (var stored in changes) WriteRow(w, stored, include, catalog);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteRow(Utf8JsonWriter w, StoredVersion stored, CompositionTableWriter.IncludeObject include, ResourceCatalog catalog)
    {
        var v = stored.Version;
        var gap = v.Change == ChangeKind.Gap;
        w.WriteStartObject();
        w.WriteStartArray("cells");
        w.WriteStringValue(v.ObservedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        w.WriteStringValue(gap ? "-" : Object(v, catalog));
        w.WriteStringValue(v.Change.ToString());
        w.WriteStringValue(gap ? "" : HistoryJsonWriter.Who(stored));
        w.WriteStringValue(Paths(gap && v.ChangedPaths.Count == 0 ? ["history is incomplete here"] : v.ChangedPaths));
        w.WriteStringValue(gap ? "" : stored.Number.ToString(CultureInfo.InvariantCulture));
        w.WriteStringValue(gap ? "" : v.ResourceVersion);
        w.WriteEndArray();
        switch (include)
        {
            case CompositionTableWriter.IncludeObject.Object:
                w.WritePropertyName("object");
                HistoryJsonWriter.WriteVersion(w, stored, withObject: true, kind: catalog.Find(new GroupResource(stored.Version.Group, stored.Version.Resource))?.Kind);
                break;
            case CompositionTableWriter.IncludeObject.Metadata:
                w.WritePropertyName("object");
                w.WriteStartObject();
                w.WriteString("kind", "PartialObjectMetadata");
                w.WriteString("apiVersion", "meta.k8s.io/v1");
                HistoryJsonWriter.WriteChangeMetadata(w, stored);
                w.WriteEndObject();
                break;
        }
        w.WriteEndObject();
    }

    private static string Object(VersionRecord v, ResourceCatalog catalog) =>
        catalog.Find(new GroupResource(v.Group, v.Resource)) is { } type
            ? $"{type.Kind}/{v.Name}"
            : $"{(v.Group.Length == 0 ? v.Resource : v.Resource + "." + v.Group)}/{v.Name}";

    internal static string Paths(IReadOnlyList<string> paths)
    {
        var text = new StringBuilder();
        for (var i = 0; i < paths.Count; i++)
        {
            var more = paths.Count - i;
            if (i > 0 && text.Length + 2 + paths[i].Length > PathsWidth)
            {
                text.Append(CultureInfo.InvariantCulture, $" (+{more} more)");
                break;
            }
            if (i > 0) text.Append(", ");
            text.Append(paths[i]);
        }
        return text.ToString();
    }
}
