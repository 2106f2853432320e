using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.History.Recording;
using KubeDiscovery.Sources;
using KubeDiscovery.Sources.Live;

namespace KubeDiscovery.Hosting;

/// <summary>What the sources deliver, handed to the history recorder for the resources history records.</summary>
internal sealed class HistoryFeed(HistoryRecorder recorder, HistoryOptions options) : IObjectObserver
{
    private readonly ResourceFilter _filter = new(options.Resources, options.ExcludeResources ?? (options.Resources.Count > 0 ? [] : HistoryOptions.DefaultExclusions));

    public bool Observes(ResourceType type) => _filter.Follows(type);

    public void Changed(ResourceType type, JsonElement obj)
    {
        if (ToObserved(type, obj, deleted: false, late: false) is { } observed) recorder.Observe(observed);
    }

    public void Deleted(ResourceType type, JsonElement obj)
    {
        if (ToObserved(type, obj, deleted: true, late: false) is { } observed) recorder.Observe(observed);
    }

    public async ValueTask ListedAsync(ResourceType type, IReadOnlyList<JsonElement> page, CancellationToken cancellationToken) =>
        await recorder.ObservePageAsync(page.Select(e => ToObserved(type, e, deleted: false, late: true)).OfType<ObservedObject>().ToList(), cancellationToken)
            .ConfigureAwait(false);

    public void ListCompleted(ResourceType type, string resourceVersion, IReadOnlySet<string> uids) =>
        recorder.ObserveListEnd(type.Group, type.Plural, resourceVersion, uids);

    private static ObservedObject? ToObserved(ResourceType type, JsonElement obj, bool deleted, bool late)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty("metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object) return null;
        if (Text(metadata, "uid") is not { Length: > 0 } uid || Text(metadata, "name") is not { Length: > 0 } name) return null;
        // A snapshot written by hand may carry no resourceVersion: its content names the version instead,
        // so a later snapshot with other content is a new version and the same content is the same one.
        var resourceVersion = Text(metadata, "resourceVersion") is { Length: > 0 } rv ? rv
            : "sha256-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(obj.GetRawText())))[..16];
        // LIST items come without apiVersion and kind, and metadata-only ones (Secrets) as PartialObjectMetadata:
        // every version is recorded as the kind it is, so list and watch agree.
        return new ObservedObject(uid, resourceVersion, type.Group, type.Plural, Text(metadata, "namespace"), name, null, late)
        {
            Element = deleted ? null : obj,
            TypeMeta = (type.GroupVersion, type.Kind),
        };
    }

    private static string? Text(JsonElement obj, string property) =>
        obj.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
