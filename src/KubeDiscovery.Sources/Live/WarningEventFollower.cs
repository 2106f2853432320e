using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Events;
using Microsoft.Extensions.Logging;

namespace KubeDiscovery.Sources.Live;

/// <summary>
/// Follows the cluster's Warning Events (<c>fieldSelector=type=Warning</c>, all namespaces) into the index's
/// <see cref="WarningLog"/>, for the causes of not-ready objects only: Events are not indexed as objects,
/// not recorded in history, and at most five are kept per object. LIST then WATCH as a reflector does, a
/// fresh LIST after 410, the shared backoff after failures. Events nobody may list (RBAC) leave the log empty.
/// </summary>
internal sealed class WarningEventFollower(IKubernetes client, ClusterCache cache, LiveSourceOptions options, TimeProvider time, ILogger logger)
{
    private const string Selector = "type=Warning";
    private int _failures;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        string? resourceVersion = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                resourceVersion ??= await ListAsync(cancellationToken).ConfigureAwait(false);
                resourceVersion = await WatchAsync(resourceVersion, cancellationToken).ConfigureAwait(false);
                _failures = 0;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                if (e is HttpOperationException { Response.StatusCode: HttpStatusCode.Gone }) resourceVersion = null;
                var delay = options.Backoff.Delay(++_failures);
                // Said once, then at 2, 4, 8… failures: a cluster that never lets us list Events is not news every 30 s.
                if ((_failures & (_failures - 1)) == 0) LiveSourceLog.WarningEventsFailed(logger, _failures, delay.TotalSeconds, KubernetesErrors.Describe(e));
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<string> ListAsync(CancellationToken cancellationToken)
    {
        var kept = new HashSet<string>(StringComparer.Ordinal);
        string? continueToken = null, listVersion = null;
        do
        {
            using var response = await KubeRequests.GetAsync(client, KubeRequests.CollectionPath("", "v1", "events")
                + KubeRequests.Query(("continue", continueToken), ("fieldSelector", Selector), ("limit", options.PageSize)), null, cancellationToken).ConfigureAwait(false);
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var body = await JsonSerializer.DeserializeAsync(stream, LiveJsonContext.Default.JsonElement, cancellationToken).ConfigureAwait(false);
            if (body.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in items.EnumerateArray())
                {
                    if (Record(item) is { } uid) kept.Add(uid);
                }
            }
            var metadata = body.TryGetProperty("metadata", out var m) ? m : default;
            listVersion ??= Text(metadata, "resourceVersion");
            continueToken = Text(metadata, "continue");
        }
        while (!string.IsNullOrEmpty(continueToken));
        cache.Index.Warnings.Retain(kept);
        return listVersion ?? throw new InvalidOperationException("the list of Events carried no resourceVersion");
    }

    /// <returns>Where to resume; null to list again (410).</returns>
    private async Task<string?> WatchAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        var timeoutSeconds = Math.Max(1, (int)(options.WatchTimeout * (1 + Random.Shared.NextDouble())).TotalSeconds);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds + 30), time);
        using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        Exception? streamError = null;
        using var response = await KubeRequests.GetAsync(client, KubeRequests.WatchUri("", "v1", "events", null, resourceVersion, timeoutSeconds, Selector),
            null, watchdog.Token).ConfigureAwait(false);
        // The end of the stream is kube-apiserver's timeout: resume from the last event.
        await foreach (var (type, obj) in WatchReader.ReadAsync(response, e => streamError ??= e, watchdog.Token).ConfigureAwait(false))
        {
            var metadata = obj.TryGetProperty("metadata", out var m) ? m : default;
            if (type == WatchEventType.Deleted)
            {
                if (Text(metadata, "uid") is { } expired) cache.Index.Warnings.Expire(expired);
            }
            else if (type != WatchEventType.Bookmark)
            {
                Record(obj);
            }
            resourceVersion = Text(metadata, "resourceVersion") ?? resourceVersion;
        }
        return streamError switch
        {
            KubernetesException { Status.Code: 410 } => null,
            null => resourceVersion,
            _ => throw streamError,
        };
    }

    private string? Record(JsonElement item)
    {
        // A server that ignores the field selector (a test double, an old one) sends Normal Events too: TryRead skips them.
        if (!WarningEvents.TryRead(item, out var eventUid, out var about, out var warning)) return null;
        cache.Index.Warnings.Record(about, warning);
        return eventUid;
    }

    private static string? Text(JsonElement obj, string property) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
