using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Ingest;
using KubeDiscovery.Graph.Model;
using Microsoft.Extensions.Logging;

namespace KubeDiscovery.Sources.Live;

/// <summary>
/// Keeps one resource of the index in step with the cluster, as client-go's reflector does: a paged
/// LIST replaces the resource's objects, then a WATCH from the list's resourceVersion applies each
/// change. A watch that ends is resumed from the last resourceVersion seen (events or bookmarks), so
/// nothing is lost or applied twice; <c>410 Gone</c> means that history is gone, so it lists again and
/// drops what vanished meanwhile. Failures back off with jitter and never stop the loop.
/// KubernetesClient has no informer, hence this class.
/// </summary>
internal sealed class Reflector
{
    private static readonly Dictionary<string, IReadOnlyList<string>> MetadataListHeaders = new()
    {
        ["Accept"] = ["application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1", "application/json"],
    };

    private static readonly Dictionary<string, IReadOnlyList<string>> MetadataWatchHeaders = new()
    {
        ["Accept"] = ["application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1", "application/json"],
    };

    private readonly IKubernetes _client;
    private readonly ClusterCache _cache;
    private readonly LiveSourceOptions _options;
    private readonly TimeProvider _time;
    private readonly ClusterReachability? _reachability;
    private readonly ILogger _logger;
    private readonly Action? _onChange;
    private readonly LiveSourceMetrics? _metrics;
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _metadataOnly;
    private readonly IObjectObserver? _observer;
    private int _failures;

    public Reflector(IKubernetes client, ResourceType type, ClusterCache cache, LiveSourceOptions options, TimeProvider time,
        ClusterReachability? reachability, ILogger logger, Action? onChange = null, LiveSourceMetrics? metrics = null, IObjectObserver? observer = null)
    {
        _observer = observer is not null && observer.Observes(type) ? observer : null;
        _metrics = metrics;
        _client = client;
        Type = type;
        _cache = cache;
        _options = options;
        _time = time;
        _reachability = reachability;
        _logger = logger;
        _onChange = onChange;
        // Whole objects only where ingest reads more than metadata (status, or a relation's paths such as a
        // Service's selector) or history records the kind. Secrets never: no plan reads them and history
        // keeps only their keys (from managedFields), so their data never crosses the wire.
        Fingerprint = cache.Relations.Current.Plans.For(type.Group, type.Kind).Fingerprint;
        var isSecret = type.Group.Length == 0 && type.Plural == "secrets";
        _metadataOnly = isSecret || (!cache.Relations.Current.Plans.NeedsBody(type.Group, type.Kind) && _observer is null);
        HealthName = $"watch/{type.GroupResource}";
    }

    public ResourceType Type { get; }

    /// <summary>The extraction plan this reflector reads under: a different one needs a new LIST.</summary>
    public string Fingerprint { get; }

    /// <summary>The name of this reflector's entry in <see cref="ClusterCache.Health"/>.</summary>
    public string HealthName { get; }

    /// <summary>Completes after the first full LIST has been applied.</summary>
    public Task Synced => _synced.Task;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _cache.Health.Report(HealthName, true, "listing");
        var started = _time.GetTimestamp();
        string? resourceVersion = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    resourceVersion = await ListAsync(cancellationToken).ConfigureAwait(false);
                    // Health first: whoever awaits Synced reads it next.
                    Recovered();
                    if (_synced.TrySetResult()) _metrics?.FirstSynced(Type, _time.GetElapsedTime(started));
                }
                var outcome = await WatchAsync(resourceVersion, cancellationToken).ConfigureAwait(false);
                resourceVersion = outcome.ResourceVersion;
                if (outcome.Failure is null) continue;
                if (resourceVersion is null)
                {
                    _metrics?.Relisted(Type);
                    LiveSourceLog.Relisting(_logger, Type, outcome.Failure);
                    continue; // history expired: list again right away
                }
                await BackOffAsync(Failed(outcome.Failure), outcome.Unreachable, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Forbidden && !_synced.Task.IsCompleted)
            {
                // RBAC hides this kind from us (a narrowed ClusterRole): count it as synced and empty, so
                // readiness does not wait forever, and keep asking in case access is granted later. The
                // health entry says so before Synced completes, so no one reads a stale "listing".
                var delay = Failed(KubernetesErrors.Describe(e));
                _synced.TrySetResult();
                await BackOffAsync(delay, unreachable: false, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                await BackOffAsync(Failed(KubernetesErrors.Describe(e)), IsUnreachable(e), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<string> ListAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            List<ObjectRecord> records = [];
            string? continueToken = null;
            string? listVersion = null;
            try
            {
                do
                {
                    if (_observer is not null)
                    {
                        // Observed kinds are read as documents, so the observer gets the same bytes the index was read from.
                        (listVersion, continueToken) = await ListObservedPageAsync(continueToken, listVersion, records, cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                    using var response = await KubeRequests.GetAsync(_client, ListUri(continueToken), _metadataOnly ? MetadataListHeaders : null,
                        cancellationToken).ConfigureAwait(false);
                    // Read straight into records (half the CPU of a first sync was building a document to read again),
                    // from pooled pieces (see PooledBody).
                    ListPage page;
                    using (var body = await PooledBody.ReadAsync(response, cancellationToken).ConfigureAwait(false)) page = ReadPage(body.Sequence);
                    // Every page of one list is served at the first page's resourceVersion.
                    listVersion ??= page.ResourceVersion;
                    records.AddRange(page.Items);
                    foreach (var error in page.Errors) LiveSourceLog.UnreadableObject(_logger, Type, error);
                    continueToken = page.Continue;
                }
                while (!string.IsNullOrEmpty(continueToken));
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Gone && continueToken is not null)
            {
                // The continue token outlived etcd's compaction: start the list over.
                _metrics?.Relisted(Type);
                LiveSourceLog.Relisting(_logger, Type, "continue token expired");
                continue;
            }

            if (string.IsNullOrEmpty(listVersion)) throw new InvalidOperationException("the list carried no resourceVersion");
            _cache.Index.ReplaceAll(Type.GroupResource, records);
            if (_observer is not null) _observer.ListCompleted(Type, listVersion, records.Select(r => r.Uid).ToHashSet(StringComparer.Ordinal));
            _metrics?.Listed(Type);
            LiveSourceLog.Listed(_logger, Type, records.Count, listVersion);
            return listVersion;
        }
    }

    private ListPage ReadPage(System.Buffers.ReadOnlySequence<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        return _cache.Reader.ReadListPage(ref reader, Type);
    }

    private string ListUri(string? continueToken) => KubeRequests.CollectionPath(Type.Group, Type.Version, Type.Plural)
        + KubeRequests.Query(("continue", continueToken), ("limit", _options.PageSize));

    private async Task<(string? ListVersion, string? Continue)> ListObservedPageAsync(string? continueToken, string? listVersion, List<ObjectRecord> records,
        CancellationToken cancellationToken)
    {
        using var response = await KubeRequests.GetAsync(_client, ListUri(continueToken), _metadataOnly ? MetadataListHeaders : null, cancellationToken)
            .ConfigureAwait(false);
        // Each item parsed on its own into an element that owns its bytes (the observer may keep it), from a body
        // held in pooled pieces: a page never exists as one large array, nor as one document the items would share.
        List<JsonElement> page = [];
        string? resourceVersion = null, next = null;
        using (var body = await PooledBody.ReadAsync(response, cancellationToken).ConfigureAwait(false))
        {
            (resourceVersion, next) = ReadObservedPage(body.Sequence, records, page);
        }
        await _observer!.ListedAsync(Type, page, cancellationToken).ConfigureAwait(false);
        return (listVersion ?? resourceVersion, next);
    }

    // A list page's metadata and items, read in one pass; anything else in it is skipped.
    private (string? ResourceVersion, string? Continue) ReadObservedPage(System.Buffers.ReadOnlySequence<byte> json, List<ObjectRecord> records, List<JsonElement> page)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("a list page is not a JSON object");
        string? resourceVersion = null, next = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.ValueTextEquals("metadata"u8) ? 1 : reader.ValueTextEquals("items"u8) ? 2 : 0;
            reader.Read();
            if (property == 1 && reader.TokenType == JsonTokenType.StartObject)
            {
                var metadata = JsonElement.ParseValue(ref reader);
                (resourceVersion, next) = (String(metadata, "resourceVersion"), String(metadata, "continue"));
            }
            else if (property == 2 && reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var item = JsonElement.ParseValue(ref reader);
                    if (Read(item) is not { } record) continue;
                    records.Add(record);
                    page.Add(item);
                }
            }
            else
            {
                reader.Skip();
            }
        }
        return (resourceVersion, next);
    }

    private async Task<WatchOutcome> WatchAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        // Jittered between 1x and 2x, so thousands of watches do not all reconnect in the same second.
        var timeout = _options.WatchTimeout * (1 + Random.Shared.NextDouble());
        var timeoutSeconds = Math.Max(1, (int)timeout.TotalSeconds);
        // A watch that stays silent well past its own timeout is dead (a half-open connection): cut it.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds) + TimeSpan.FromSeconds(30), _time);
        using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var opened = _time.GetTimestamp();

        Exception? streamError = null;
        var events = 0;
        HttpResponseMessage? response = null;
        _metrics?.WatchOpened(Type);
        try
        {
            try
            {
                response = await KubeRequests.GetAsync(_client, KubeRequests.WatchUri(Type.Group, Type.Version, Type.Plural, null, resourceVersion, timeoutSeconds),
                    _metadataOnly ? MetadataWatchHeaders : null, watchdog.Token).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Gone)
            {
                return new WatchOutcome(null, events, "410 Gone");
            }

            Recovered(); // the watch is open and has answered

            // ERROR events (410 included) come to onError; the stream goes on to its end.
            var stream = WatchReader.ReadAsync(response, e => streamError ??= e, watchdog.Token);
            await foreach (var (type, obj) in stream.ConfigureAwait(false))
            {
                events++;
                var received = _time.GetTimestamp();
                var rv = Apply(type, obj);
                _metrics?.EventApplied(Type, EventTypeName(type), _time.GetElapsedTime(received));
                if (rv is not null) resourceVersion = rv;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WatchOutcome(resourceVersion, events, "the watch went silent past its timeout");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A cut connection: resume from the last event applied, never from before it.
            return new WatchOutcome(resourceVersion, events, KubernetesErrors.Describe(e), IsUnreachable(e));
        }
        finally
        {
            response?.Dispose();
        }

        return streamError switch
        {
            null => Ended(resourceVersion, events, opened),
            k8s.Autorest.HttpOperationException { Response.StatusCode: HttpStatusCode.Gone } => new WatchOutcome(null, events, "410 Gone"),
            KubernetesException { Status.Code: 410 } k => new WatchOutcome(null, events, $"410 {k.Status.Reason}: {k.Status.Message}"),
            KubernetesException k => new WatchOutcome(resourceVersion, events, $"{k.Status?.Code} {k.Status?.Reason}: {k.Status?.Message}"),
            // A line that could not be read may have been an event: only a fresh list is safe.
            JsonException j => new WatchOutcome(null, events, $"unreadable watch event: {j.Message}"),
            _ => new WatchOutcome(resourceVersion, events, KubernetesErrors.Describe(streamError), IsUnreachable(streamError)),
        };
    }

    /// <summary>
    /// The server ended the watch normally (its timeout): resume at once, as client-go does, unless it
    /// ended at once with nothing in it, which client-go also treats as a failure to avoid spinning.
    /// </summary>
    private WatchOutcome Ended(string resourceVersion, int events, long opened)
    {
        if (events == 0 && _time.GetElapsedTime(opened) < TimeSpan.FromSeconds(1))
        {
            return new WatchOutcome(resourceVersion, events, "the watch closed at once with no event");
        }
        Recovered();
        LiveSourceLog.WatchEnded(_logger, Type, events, resourceVersion);
        return new WatchOutcome(resourceVersion, events, null);
    }

    /// <summary>Failures that mean kube-apiserver itself is out of reach, rather than this one resource failing.</summary>
    private static bool IsUnreachable(Exception e) => e switch
    {
        HttpOperationException http => (int)http.Response.StatusCode is 502 or 503 or 504,
        HttpRequestException or IOException or System.Net.Sockets.SocketException or TimeoutException => true,
        OperationCanceledException => true, // a client-side timeout
        _ => e.InnerException is { } inner && IsUnreachable(inner),
    };

    /// <summary>Applies one watch event; returns its resourceVersion.</summary>
    private string? Apply(WatchEventType type, JsonElement obj)
    {
        var metadata = obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        var rv = String(metadata, "resourceVersion");
        switch (type)
        {
            case WatchEventType.Added:
            case WatchEventType.Modified:
                var record = Read(obj);
                if (record is not null)
                {
                    _cache.Index.Upsert(record);
                    _observer?.Changed(Type, obj);
                    _onChange?.Invoke();
                }
                break;
            case WatchEventType.Deleted:
                var uid = String(metadata, "uid");
                if (uid is not null && _cache.Index.Delete(uid)) _onChange?.Invoke();
                if (uid is not null) _observer?.Deleted(Type, obj);
                break;
            case WatchEventType.Bookmark:
                break;
        }
        return string.IsNullOrEmpty(rv) ? null : rv;
    }

    private ObjectRecord? Read(JsonElement obj)
    {
        try
        {
            return _cache.Reader.ReadAs(obj, Type);
        }
        catch (InvalidObjectException e)
        {
            LiveSourceLog.UnreadableObject(_logger, Type, e.Message);
            return null;
        }
    }

    private static string EventTypeName(WatchEventType type) => type switch
    {
        WatchEventType.Added => "ADDED",
        WatchEventType.Modified => "MODIFIED",
        WatchEventType.Deleted => "DELETED",
        WatchEventType.Bookmark => "BOOKMARK",
        _ => "ERROR",
    };

    /// <summary>Counts a failure and reports it in health; returns how long to back off.</summary>
    private TimeSpan Failed(string reason)
    {
        _failures++;
        _metrics?.Failed(Type);
        var delay = _options.Backoff.Delay(_failures);
        _cache.Health.Report(HealthName, false,
            $"{reason}; retry {_failures} in {delay.TotalSeconds:0.##}s" + (_synced.Task.IsCompleted ? "; serving the last good data" : "; not synced yet"));
        LiveSourceLog.WatchFailed(_logger, Type, _failures, delay.TotalSeconds, reason);
        return delay;
    }

    /// <summary>Waits out the backoff, or less when the cluster is seen answering again after an outage.</summary>
    private async Task BackOffAsync(TimeSpan delay, bool unreachable, CancellationToken cancellationToken)
    {
        if (!unreachable || _reachability is null)
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            return;
        }
        var recovered = _reachability.Recovered;
        _reachability.ReportUnreachable();
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(Task.Delay(delay, _time, wake.Token), recovered).ConfigureAwait(false);
        await wake.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private void Recovered()
    {
        _reachability?.ReportReachable();
        if (_failures > 0) LiveSourceLog.Recovered(_logger, Type, _failures);
        _failures = 0;
        _cache.Health.Report(HealthName, true, "watching");
    }

    private static string? String(JsonElement obj, string property) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private sealed record WatchOutcome(string? ResourceVersion, int Events, string? Failure, bool Unreachable = false);
}
