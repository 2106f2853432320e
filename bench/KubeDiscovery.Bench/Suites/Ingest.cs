using System.Diagnostics;
using System.Text.Json;
using KubeDiscovery.Bench.Generator;
using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Graph.Resources;
using KubeDiscovery.Sources.Discovery;

namespace KubeDiscovery.Bench.Suites;

/// <summary>
/// Objects per second from JSON LIST pages into the index — the live source's path: read each page
/// straight into <see cref="ObjectRecord"/>s (<c>ObjectRecordReader.ReadListPage</c>), replace the
/// resource's objects — and the managed heap each indexed object costs after a full GC. Generation is
/// not timed.
/// </summary>
internal static class Ingest
{
    /// <param name="IndexSeconds">The part of <paramref name="Seconds"/> spent adding records to the index.</param>
    public sealed record IngestResult(int Objects, long JsonBytes, double Seconds, double IndexSeconds, long HeapBytes)
    {
        public double ObjectsPerSecond => Objects / Seconds;
        public double HeapBytesPerObject => HeapBytes / (double)Objects;
    }

    public static ClusterCache NewCache()
    {
        var cache = new ClusterCache();
        cache.Catalog = new ResourceCatalog(BuiltinDiscovery.Types.Append(ClusterGenerator.Postgres));
        return cache;
    }

    /// <summary>Fills a cache with the generated cluster of about <paramref name="objects"/> objects.</summary>
    public static IngestResult Fill(ClusterCache cache, int objects)
    {
        var records = new Dictionary<ResourceType, List<ObjectRecord>>();
        long ticks = 0, bytes = 0;
        var count = 0;
        foreach (var page in new ClusterGenerator(objects).Pages())
        {
            var start = Stopwatch.GetTimestamp();
            if (!records.TryGetValue(page.Type, out var list)) records[page.Type] = list = [];
            var reader = new Utf8JsonReader(page.Json.Span);
            list.AddRange(cache.Reader.ReadListPage(ref reader, page.Type).Items);
            ticks += Stopwatch.GetTimestamp() - start;
            bytes += page.Json.Length;
            count += page.Count;
        }
        var replace = Stopwatch.GetTimestamp();
        foreach (var (type, list) in records) cache.Index.ReplaceAll(type.GroupResource, list);
        var indexTicks = Stopwatch.GetTimestamp() - replace;
        ticks += indexTicks;
        cache.MarkSynced();
        return new IngestResult(count, bytes, ticks / (double)Stopwatch.Frequency, indexTicks / (double)Stopwatch.Frequency, 0);
    }

    /// <summary>One measured run, in a fresh process so the heap holds nothing else.</summary>
    public static IngestResult Run(int objects)
    {
        // Warm up on a small cluster that is then dropped, pausing so tiered compilation can finish its
        // optimised code in the background: a server ingests for hours, not for the first second.
        for (var i = 0; i < 2; i++)
        {
            Fill(NewCache(), 20_000);
            Thread.Sleep(500);
        }
        var baseline = Heap.AfterFullGc();
        var cache = NewCache();
        var result = Fill(cache, objects);
        var heap = Heap.AfterFullGc() - baseline;
        GC.KeepAlive(cache);
        return result with { HeapBytes = heap };
    }
}
