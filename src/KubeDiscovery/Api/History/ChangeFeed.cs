using System.Text.Json;
using KubeDiscovery.Api.Compositions;
using KubeDiscovery.History.Storage;
using KubeDiscovery.Hosting;

namespace KubeDiscovery.Api.History;

/// <summary>
/// <c>?watch=true</c> on <c>changes</c>: <c>kubectl get changes -w</c>, a live "what is changing" feed. Every
/// change history writes after the watch's <c>resourceVersion</c> (the store's row sequence, which the list
/// gave) comes as one <c>ADDED</c> event, filtered as the list is (RBAC, resource, name, manager). The feed
/// follows the store, not memory: it wakes when this server's recorder writes and, for rows other
/// replicas write into a shared PostgreSQL, every <see cref="PollInterval"/>. A slow reader only falls
/// behind; a store that stops answering is retried, and the feed goes on where it was. Without a
/// <c>resourceVersion</c> it starts with the window's newest changes, as a list would give them.
/// </summary>
internal sealed class ChangeFeed(TimeProvider time, ShutdownGate shutdown)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan BookmarkInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);
    private const int Batch = 500;
    private const int FirstChanges = 1000;

    /// <param name="filter">The changes asked for (namespace, resource, name, gaps); its window is the first events' only.</param>
    /// <param name="keep">Of a batch, what the user may see.</param>
    /// <param name="write">Writes one event's object: the Change (JSON) or a Table of its row.</param>
    public async Task RunAsync(HttpContext context, HistoryService history, ChangeQuery filter, WatchQuery query,
        Func<List<StoredVersion>, CancellationToken, ValueTask<IEnumerable<StoredVersion>>> keep, Action<Utf8JsonWriter, StoredVersion> write)
    {
        WatchEvents.KeepSlowReaders(context); // a slow reader falls behind the store and costs no memory here
        var store = history.Store;
        var response = context.Response;
        using var ended = new CancellationTokenSource(query.Timeout ?? DefaultTimeout, time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, ended.Token, shutdown.Closing);
        var last = await store.LastSeqAsync(stop.Token);
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-cache, private";
        long cursor;
        if (query.ResourceVersion is null or 0)
        {
            cursor = last;
            var first = await ChangeScan.RunAsync(store, filter with { UpToSeq = last }, FirstChanges, keep, stop.Token);
            await WatchEvents.StartAsync(response, stop.Token);
            foreach (var change in first.Items) await WatchEvents.WriteAsync(context, "ADDED", w => write(w, change), stop.Token);
        }
        else
        {
            cursor = query.ResourceVersion.Value;
            await WatchEvents.StartAsync(response, stop.Token);
            if (cursor > last)
            {
                // Not a version of this history (another server's, or a database since replaced): list again.
                await WatchEvents.WriteAsync(context, "ERROR", w => WatchEvents.Gone(w, $"resourceVersion {cursor} is newer than this server's history ({last}): list again"), stop.Token);
                return;
            }
        }

        var feed = filter with { Since = DateTimeOffset.UnixEpoch, Until = null, Order = ChangeOrder.Written, UpToSeq = null, Limit = Batch };
        var quietSince = time.GetUtcNow();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var written = history.Recorder.NextWrite; // before reading: a write from now on wakes the wait below
                List<StoredVersion> rows;
                try
                {
                    rows = await store.ChangesAsync(feed with { AfterSeq = cursor }, stop.Token);
                }
                catch (Exception e) when (HistoryGuard.Unavailable(e))
                {
                    rows = []; // the store is away: the cursor waits, nothing is skipped
                }
                if (rows.Count > 0)
                {
                    cursor = rows[^1].Seq;
                    foreach (var change in await keep(rows, stop.Token))
                    {
                        await WatchEvents.WriteAsync(context, "ADDED", w => write(w, change), stop.Token);
                        quietSince = time.GetUtcNow();
                    }
                    if (rows.Count == Batch) continue;
                }
                if (query.Bookmarks && time.GetUtcNow() - quietSince >= BookmarkInterval)
                {
                    var at = cursor;
                    await WatchEvents.WriteAsync(context, "BOOKMARK", w => WatchEvents.Bookmark(w, "Change", at), stop.Token);
                    quietSince = time.GetUtcNow();
                }
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                await Task.WhenAny(written, Task.Delay(PollInterval, time, wake.Token));
                await wake.CancelAsync(); // the poll's timer goes with the wait it was for
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The client went away, the watch reached its timeout, or the server is stopping: end the stream normally.
        }
    }
}
