using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace KubeDiscovery.Sources.Live;

/// <summary>What a watch event says happened, as kube-apiserver spells it in <c>type</c>.</summary>
public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
    Error,
}

/// <summary>
/// Reads a watch response, one JSON event per line, as client-go's decoder does: each event's object is
/// handed out owned (kept by whoever wants it). An <c>ERROR</c> event (410 Gone, most often) and a line
/// that is not an event are given to <c>onError</c> and reading goes on, as the package's watcher did;
/// the end of the stream (kube-apiserver's timeout) ends the enumeration. Hand-written because the
/// package's readers are not in its trimmed build.
/// </summary>
public static class WatchReader
{
    public static async IAsyncEnumerable<(WatchEventType Type, JsonElement Object)> ReadAsync(HttpResponseMessage response, Action<Exception> onError,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var lines = new StreamReader(stream, Encoding.UTF8);
        while (await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0) continue;
            (WatchEventType Type, JsonElement Object)? read = null;
            try
            {
                read = Parse(line);
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
            {
                onError(e as JsonException ?? new JsonException($"not a watch event: {e.Message}", e));
            }
            if (read is not { } e2) continue;
            if (e2.Type == WatchEventType.Error)
            {
                onError(new KubernetesException(KubernetesJson.Deserialize<V1Status>(e2.Object)));
                continue;
            }
            yield return e2;
        }
    }

    private static (WatchEventType, JsonElement) Parse(string line)
    {
        // Parsed into a document of its own (not a pooled one): the object outlives this line.
        var bytes = Encoding.UTF8.GetBytes(line);
        var reader = new Utf8JsonReader(bytes);
        var root = JsonElement.ParseValue(ref reader);
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || !root.TryGetProperty("object", out var obj))
        {
            throw new JsonException("a watch event has a type and an object");
        }
        return (type.GetString() switch
        {
            "ADDED" => WatchEventType.Added,
            "MODIFIED" => WatchEventType.Modified,
            "DELETED" => WatchEventType.Deleted,
            "BOOKMARK" => WatchEventType.Bookmark,
            "ERROR" => WatchEventType.Error,
            var other => throw new JsonException($"unknown watch event type {other}"),
        }, obj);
    }
}
