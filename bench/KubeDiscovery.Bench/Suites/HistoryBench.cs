using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeDiscovery.History.Recording;
using KubeDiscovery.History.Storage;
using KubeDiscovery.Rendering;
using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.Bench.Suites;

/// <summary>
/// History: recording throughput into SQLite and PostgreSQL (the recorder as the sources drive it: one
/// observed object at a time, batched writes), storage per Deployment image update, the store's answers
/// to versions (1,000 versions of one object) and changes (a 100-object tree among 10,000 recorded
/// changes), and composition query latency while recording runs flat out beside it.
/// </summary>
internal static class HistoryBench
{
    private const int Objects = 2_000;
    private const int UpdatesPerObject = 25; // 50,000 updates after 2,000 creations
    private const int QueryRuns = 200;
    private const int Chunk = 10_000; // five updates of every object

    public sealed record StoreResult(string Store, int Versions, double Seconds, double VersionsPerSecond, double BytesPerImageUpdate,
        double VersionsQueryMedianMs, double VersionsQueryP99Ms, double ChangesQueryMedianMs, double ChangesQueryP99Ms,
        double TimelinePageMedianMs, double TimelinePageP99Ms, double FeedBatchMedianMs, double FeedBatchP99Ms);

    public sealed record HistoryResult(List<StoreResult> Stores, double CompositionP99IdleMs, double CompositionP99PacedMs, double CompositionP99RecordingMs, int ClusterObjects);

    public static async Task<HistoryResult> RunAsync(int clusterObjects)
    {
        var directory = Directory.CreateTempSubdirectory("kd-bench-history-").FullName;
        try
        {
            List<StoreResult> stores = [];
            await using (var sqlite = await SqliteHistoryStore.OpenAsync(Path.Combine(directory, "history.db"), TimeProvider.System, default))
            {
                stores.Add(await MeasureAsync("SQLite", sqlite, () => SqliteBytes(Path.Combine(directory, "history.db"))));
            }
            await using (var postgres = await PostgresServer.StartAsync())
            {
                var connection = await postgres.NewDatabaseAsync();
                await using var store = await PostgresHistoryStore.OpenAsync(connection, TimeProvider.System, default);
                stores.Add(await MeasureAsync("PostgreSQL", store, () => PostgresBytes(connection)));
            }
            var (idle, paced, flatOut) = await CompositionLatencyAsync(clusterObjects, directory);
            return new HistoryResult(stores, idle, paced, flatOut, clusterObjects);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<StoreResult> MeasureAsync(string name, IHistoryStore store, Func<Task<long>> bytes)
    {
        var template = Fixture();
        const int Updates = UpdatesPerObject * Objects;
        await using var recorder = new HistoryRecorder(store, new RecorderOptions { QueueCapacity = Chunk }, TimeProvider.System);
        foreach (var o in Enumerable.Range(0, Objects).Select(i => Observed(template, i, 0))) recorder.Observe(o);
        await recorder.FlushAsync(default);
        var before = await bytes();

        // Sustained: the updates are handed over as the watch path hands them (already read from the wire —
        // that parse is the watch's, shared with the index, and is done before the clock runs), in chunks of
        // 10,000 so the objects waiting their turn never outweigh the recording on the heap; the clock runs
        // from each chunk's first hand-over until its last version is written.
        var seconds = 0.0;
        for (var first = 1; first <= UpdatesPerObject; first += Chunk / Objects)
        {
            var chunk = Enumerable.Range(first, Chunk / Objects).SelectMany(u => Enumerable.Range(0, Objects).Select(i => Observed(template, i, u))).ToList();
            var clock = Stopwatch.StartNew();
            foreach (var o in chunk) recorder.Observe(o);
            await recorder.FlushAsync(default);
            seconds += clock.Elapsed.TotalSeconds;
        }
        if (recorder.Written != Objects + Updates || recorder.Dropped > 0) throw new InvalidOperationException($"{name}: wrote {recorder.Written} of {Objects + Updates}, dropped {recorder.Dropped}");
        var perUpdate = (double)(await bytes() - before) / Updates;

        // One object with 1,000 versions; then the versions answer, as the endpoint builds it.
        foreach (var o in Enumerable.Range(1, 1_000).Select(u => Observed(template, Objects, u))) recorder.Observe(o);
        await recorder.FlushAsync(default);
        var versionsMs = Time(() => WriteVersionsAsync(store, Uid(Objects)));

        // A tree of 100 objects (every 20th), among the 52,000+ recorded changes; the window holds the newest 10,000.
        var tree = Enumerable.Range(0, 100).Select(i => Uid(i * 20)).ToList();
        var window = await store.ChangesAsync(new ChangeQuery { Since = DateTimeOffset.MinValue, Limit = 10_000, IncludeGaps = false }, default);
        var since = window[0].Version.ObservedAt;
        var changesMs = Time(() => WriteChangesAsync(store, tree, since));

        // kubectl get changes: a page of 500 (kubectl's chunk) from the middle of the same window, oldest first,
        // as a Table; and a watch's step: the next 500 rows written after a resourceVersion.
        var middle = window[window.Count / 2];
        var last = await store.LastSeqAsync(default);
        var pageMs = Time(() => WriteTimelinePageAsync(store, since, ChangeCursor.Of(middle), last));
        var feedMs = Time(() => FeedBatchAsync(store, middle.Seq));
        return new StoreResult(name, Updates, seconds, Updates / seconds, perUpdate,
            Stats.Median(versionsMs), Stats.Percentile(versionsMs.Order().ToList(), 0.99), Stats.Median(changesMs), Stats.Percentile(changesMs.Order().ToList(), 0.99),
            Stats.Median(pageMs), Stats.Percentile(pageMs.Order().ToList(), 0.99), Stats.Median(feedMs), Stats.Percentile(feedMs.Order().ToList(), 0.99));
    }

    private static List<double> Time(Func<Task<int>> query)
    {
        for (var i = 0; i < 10; i++) query().GetAwaiter().GetResult(); // warm up
        List<double> ms = [];
        for (var i = 0; i < QueryRuns; i++)
        {
            var clock = Stopwatch.StartNew();
            query().GetAwaiter().GetResult();
            ms.Add(clock.Elapsed.TotalMilliseconds);
        }
        return ms;
    }

    private static async Task<int> WriteVersionsAsync(IHistoryStore store, string uid)
    {
        var versions = await store.VersionsAsync(uid, int.MaxValue, default);
        using var buffer = new MemoryStream();
        await using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var v in versions) HistoryJsonWriter.WriteVersion(w, v);
            w.WriteEndArray();
        }
        return versions.Count == 1_000 ? (int)buffer.Length : throw new InvalidOperationException($"{versions.Count} versions");
    }

    private static async Task<int> WriteChangesAsync(IHistoryStore store, List<string> tree, DateTimeOffset since)
    {
        var changes = await store.ChangesAsync(new ChangeQuery { Since = since, Uids = tree }, default);
        using var buffer = new MemoryStream();
        await using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var v in changes) HistoryJsonWriter.WriteVersion(w, v, withObject: true, "composition");
            w.WriteEndArray();
        }
        return changes.Count > 0 ? (int)buffer.Length : throw new InvalidOperationException("the tree has no changes in the window");
    }

    private static async Task<int> WriteTimelinePageAsync(IHistoryStore store, DateTimeOffset since, ChangeCursor after, long upTo)
    {
        var page = await store.ChangesAsync(new ChangeQuery { Since = since, Order = ChangeOrder.OldestFirst, After = after, UpToSeq = upTo, Limit = 501 }, default);
        using var buffer = new MemoryStream();
        await using (var w = new Utf8JsonWriter(buffer))
        {
            ChangeTableWriter.Write(w, page.Take(500), upTo.ToString(System.Globalization.CultureInfo.InvariantCulture), "next",
                CompositionTableWriter.IncludeObject.Metadata, Graph.Resources.ResourceCatalog.Empty);
        }
        return page.Count == 501 ? (int)buffer.Length : throw new InvalidOperationException($"a page of {page.Count}");
    }

    private static async Task<int> FeedBatchAsync(IHistoryStore store, long afterSeq)
    {
        var rows = await store.ChangesAsync(new ChangeQuery { Since = DateTimeOffset.UnixEpoch, Order = ChangeOrder.Written, AfterSeq = afterSeq, Limit = 500 }, default);
        // Each event on its own line, as the watch writes them.
        using var buffer = new MemoryStream();
        foreach (var v in rows)
        {
            await using var w = new Utf8JsonWriter(buffer);
            HistoryJsonWriter.WriteVersion(w, v, withObject: true, kind: "Deployment");
            await w.FlushAsync();
            buffer.WriteByte((byte)'\n');
        }
        return rows.Count == 500 ? (int)buffer.Length : throw new InvalidOperationException($"a batch of {rows.Count}");
    }

    /// <summary>
    /// A Deployment's composition over HTTPS (the real server, one keep-alive client, 5 s), p99: alone, while
    /// the recorder writes 1,000 versions a second into SQLite (a busy cluster's change rate), and while it
    /// records flat out.
    /// </summary>
    private static async Task<(double Idle, double Paced, double FlatOut)> CompositionLatencyAsync(int clusterObjects, string directory)
    {
        var cache = Ingest.NewCache();
        Ingest.Fill(cache, clusterObjects);
        var (app, port, admin, _, _) = await HttpLoad.StartServerAsync(cache, directory);
        await using var _ = app;
        var url = $"https://127.0.0.1:{port}{HttpLoad.Tree}";
        var idle = (await HttpLoad.LoadAsync(url, admin, 1, TimeSpan.FromSeconds(5))).P99Ms;

        await using var store = await SqliteHistoryStore.OpenAsync(Path.Combine(directory, "latency.db"), TimeProvider.System, default);
        await using var recorder = new HistoryRecorder(store, new RecorderOptions(), TimeProvider.System);
        var template = Fixture();
        var paced = await WhileRecordingAsync(recorder, template, perSecond: 1_000, () => HttpLoad.LoadAsync(url, admin, 1, TimeSpan.FromSeconds(5)));
        var flatOut = await WhileRecordingAsync(recorder, template, perSecond: null, () => HttpLoad.LoadAsync(url, admin, 1, TimeSpan.FromSeconds(5)));
        await app.StopAsync();
        return (idle, paced.P99Ms, flatOut.P99Ms);
    }

    private static async Task<HttpLoad.Level> WhileRecordingAsync(HistoryRecorder recorder, JsonObject template, int? perSecond, Func<Task<HttpLoad.Level>> load)
    {
        using var stop = new CancellationTokenSource();
        var feeder = Task.Run(async () =>
        {
            var started = Stopwatch.GetTimestamp();
            for (long n = 0; !stop.IsCancellationRequested; n++)
            {
                if (perSecond is { } rate)
                {
                    var due = TimeSpan.FromSeconds((double)n / rate) - Stopwatch.GetElapsedTime(started);
                    if (due > TimeSpan.Zero) await Task.Delay(due);
                }
                while (recorder.Queued > 5_000 && !stop.IsCancellationRequested) await Task.Delay(1);
                recorder.Observe(Observed(template, (int)(n % Objects), 100 + (int)(n / Objects)));
            }
        });
        var result = await load();
        await stop.CancelAsync();
        await feeder;
        await recorder.FlushAsync(default);
        return result;
    }

    private static JsonObject Fixture()
    {
        var list = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "kube-apiserver-1.19", "objects", "apis_apps_v1_namespaces_default_deployments.json")))!;
        return list["items"]![0]!.AsObject();
    }

    private static string Uid(int i) => $"00000000-0000-4000-8000-{i:x12}";

    /// <summary>
    /// Object <paramref name="i"/> at its <paramref name="update"/>-th image change, as the watch path hands it
    /// over: read from its bytes into an element, as the feed passes it on.
    /// </summary>
    private static ObservedObject Observed(JsonObject template, int i, int update)
    {
        var uid = Uid(i);
        var name = $"app-{i:D5}";
        var rv = (1_000_000L + ((long)update * 100_000) + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
        byte[] bytes;
        lock (template)
        {
            template["metadata"]!["uid"] = uid;
            template["metadata"]!["name"] = name;
            template["metadata"]!["resourceVersion"] = rv;
            template["metadata"]!["generation"] = update + 1;
            template["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = $"registry.example/app:{update}.0.{i % 7}";
            bytes = JsonSerializer.SerializeToUtf8Bytes(template);
        }
        using var document = JsonDocument.Parse(bytes);
        return new ObservedObject(uid, rv, "apps", "deployments", "default", name, null) { Element = document.RootElement.Clone() };
    }

    private static async Task<long> SqliteBytes(string path)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using (var checkpoint = connection.CreateCommand())
        {
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await checkpoint.ExecuteNonQueryAsync();
        }
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (page_count - freelist_count) * page_size FROM pragma_page_count(), pragma_page_size(), pragma_freelist_count();";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<long> PostgresBytes(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("CHECKPOINT; SELECT pg_total_relation_size('versions')", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
