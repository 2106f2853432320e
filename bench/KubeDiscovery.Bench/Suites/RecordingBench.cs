using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using KubeDiscovery.Bench.Generator;
using KubeDiscovery.History.Recording;
using KubeDiscovery.History.Storage;
using KubeDiscovery.Hosting;

namespace KubeDiscovery.Bench.Suites;

/// <summary>
/// A first recording of a large cluster (issue 24): the generated cluster's LIST pages handed to history as the
/// live source hands them (each item parsed on its own, a page waiting while the recorder's backlog is full),
/// into a fresh SQLite file. The process's resident set is read every 100 ms: its peak and its end, above what
/// it was before the first page, say whether recording is bounded or grows with the cluster.
/// </summary>
internal static class RecordingBench
{
    /// <param name="PeakGrowthMiB">The largest resident set while recording, above the one before it (less the generator's buffers).</param>
    /// <param name="EndGrowthMiB">The resident set once everything is written and a collection has given back what it could (as the server does at start-up).</param>
    /// <param name="PeakManagedMiB">The largest managed heap the collector had committed meanwhile (the rest of the peak is native: SQLite).</param>
    /// <param name="SqliteCacheMiB">SQLite's page cache as configured (<c>cache_size</c>): what the targets allow beside their 64 MiB.</param>
    public sealed record RecordingResult(int Objects, long Versions, double Seconds, double BaselineMiB, double PeakGrowthMiB, double EndGrowthMiB,
        double DatabaseMiB, double SqliteCacheMiB, long Dropped, double PeakManagedMiB = 0)
    {
        public double VersionsPerSecond => Versions / Seconds;

        /// <summary>The generator's own buffers, taken off both growths.</summary>
        public double GeneratorMiB { get; init; }
    }

    public static async Task<RecordingResult> RunAsync(int objects)
    {
        var directory = Directory.CreateTempSubdirectory("kd-bench-recording-").FullName;
        try
        {
            var path = Path.Combine(directory, "history.db");
            await using var store = await SqliteHistoryStore.OpenAsync(path, TimeProvider.System, default);
            var recorder = new HistoryRecorder(store, new RecorderOptions { ListBacklog = int.TryParse(Environment.GetEnvironmentVariable("KUBEDISCOVERY_BENCH_BACKLOG"), out var b) ? b : new RecorderOptions().ListBacklog }, TimeProvider.System);
            var feed = new HistoryFeed(recorder, new HistoryOptions { Database = path });
            // The generator's page buffers (tens of MiB, one set per generator) are the bench's, not history's: a
            // pass that records nothing measures them, and they are taken off the growth below.
            // The uids each LIST's end names are the index's strings in a server: gathered here, before the baseline, too.
            var uids = new Dictionary<Graph.Model.ResourceType, HashSet<string>>();
            var dry = new ClusterGenerator(objects);
            foreach (var page in dry.Pages())
            {
                if (!feed.Observes(page.Type)) continue;
                if (!uids.TryGetValue(page.Type, out var seen)) uids[page.Type] = seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var item in Items(page.Json)) seen.Add(item.GetProperty("metadata").GetProperty("uid").GetString()!);
            }
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            var afterDry = Rss();
            GC.KeepAlive(dry);
            dry = null;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            var baseline = Rss();
            var generatorMiB = Math.Max(0, afterDry - baseline); // what letting the first generator go gave back
            var generator = new ClusterGenerator(objects);

            var peak = baseline;
            var peakManaged = 0.0;
            using var stop = new CancellationTokenSource();
            var sampling = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    peak = Math.Max(peak, Rss());
                    peakManaged = Math.Max(peakManaged, GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576.0);
                    await Task.Delay(100);
                }
            });

            var clock = Stopwatch.StartNew();
            foreach (var page in generator.Pages())
            {
                if (feed.Observes(page.Type)) await feed.ListedAsync(page.Type, Items(page.Json), CancellationToken.None);
            }
            foreach (var (type, seen) in uids) feed.ListCompleted(type, "1", seen);
            await recorder.FlushAsync(CancellationToken.None);
            var seconds = clock.Elapsed.TotalSeconds;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            var end = Rss();
            await stop.CancelAsync();
            await sampling;

            var written = recorder.Written;
            var dropped = recorder.Dropped;
            await recorder.DisposeAsync();
            var database = new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0);
            GC.KeepAlive(generator);
            GC.KeepAlive(uids);
            return new RecordingResult(objects, written, seconds, baseline, peak - baseline - generatorMiB, end - baseline - generatorMiB, database / 1048576.0, 64, dropped, peakManaged)
            {
                GeneratorMiB = generatorMiB,
            };
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    // As the live source reads an observed kind's page: each item its own element (the page's buffer is reused).
    private static List<JsonElement> Items(ReadOnlyMemory<byte> page)
    {
        var reader = new Utf8JsonReader(page.Span);
        List<JsonElement> items = [];
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("items"u8)) continue;
            reader.Read();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) items.Add(JsonElement.ParseValue(ref reader));
            break;
        }
        return items;
    }

    private static double Rss() =>
        File.ReadLines("/proc/self/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024).First();
}
