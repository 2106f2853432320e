using System.Globalization;
using System.Text.Json;
using KubeDiscovery.Graph.Applications;
using static KubeDiscovery.Rendering.CompositionTableWriter;

namespace KubeDiscovery.Rendering;

/// <summary>The <c>Table</c> kubectl prints for <c>kubectl get appinstances</c>.</summary>
internal static class ApplicationTableWriter
{
    private static readonly (string Name, string Description, int Priority)[] Columns =
    [
        ("Name", "The application's item name: how it is recognised, then its name (helm.cart, argocd.guestbook)", 0),
        ("Source", "What recognised it: helm, argocd, flux, labels or rule", 0),
        ("Ready", "Members that are ready, of those with a notion of readiness", 0),
        ("Status", "The application's own state, else its worst member's reason", 0),
        ("Revision", "The revision it applied (Argo CD, Flux) or the Helm release's", 0),
        ("Objects", "Objects in the members' trees the user may read", 0),
        ("Last Change", "When a member last changed (with --history-db)", 0),
        ("Age", "Since its oldest member was created", 0),
        ("Cause", "The not-ready object at the bottom of the chain, and what it says", 1),
        ("Parent", "The application it is part of", 1),
    ];

    public static void Write(Utf8JsonWriter w, IReadOnlyList<ApplicationSummary> apps, string resourceVersion, IncludeObject include,
        DateTimeOffset now, Func<ApplicationSummary, DateTimeOffset?> lastChange)
    {
        TableStart.Write(w, Columns, resourceVersion, null, null, nameColumn: "Name");
        w.WriteStartArray("rows");
        foreach (var app in apps)
        {
            var changed = lastChange(app);
            w.WriteStartObject();
            w.WriteStartArray("cells");
            w.WriteStringValue(ApplicationJsonWriter.ItemNameOf(app.Key));
            w.WriteStringValue(app.Key.SourceName);
            w.WriteStringValue(ApplicationJsonWriter.ReadyColumn(app));
            w.WriteStringValue(app.Status);
            w.WriteStringValue(Short(app.Revision));
            w.WriteStringValue(app.Objects.ToString(CultureInfo.InvariantCulture));
            w.WriteStringValue(changed is { } c ? HumanDuration.Format(now - c) : "-");
            w.WriteStringValue(app.Created is { } created ? HumanDuration.Format(now - created) : "<unknown>");
            w.WriteStringValue(app.Causes.Count > 0 ? CompositionJsonWriter.CauseLine(app.Causes[0]) + (app.Causes.Count > 1 ? $" (+{app.Causes.Count - 1} more)" : "") : "");
            w.WriteStringValue(app.Parent is { } parent ? (parent.Namespace == app.Key.Namespace ? ApplicationJsonWriter.ItemNameOf(parent) : $"{parent.Namespace}/{ApplicationJsonWriter.ItemNameOf(parent)}") : "");
            w.WriteEndArray();
            if (include == IncludeObject.Object)
            {
                w.WritePropertyName("object");
                ApplicationJsonWriter.WriteItem(w, app, resourceVersion, withMembers: false, changed, null);
            }
            else if (include != IncludeObject.None)
            {
                w.WritePropertyName("object");
                w.WriteStartObject();
                w.WriteString("kind", "PartialObjectMetadata");
                w.WriteString("apiVersion", "meta.k8s.io/v1");
                ApplicationJsonWriter.WriteMetadata(w, app, resourceVersion);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    // A git SHA in a column: its first 12 characters, as Argo CD's UI shows a revision; "main@sha1:…" keeps its ref.
    private static string Short(string? revision)
    {
        if (revision is null) return "-";
        var at = revision.IndexOf("@sha1:", StringComparison.Ordinal);
        if (at > 0) return revision[..Math.Min(revision.Length, at + 6 + 12)];
        return revision.Length == 40 && revision.All(char.IsAsciiHexDigit) ? revision[..12] : revision;
    }
}
