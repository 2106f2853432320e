using System.Diagnostics;
using KubeDiscovery.Graph.Search;

namespace KubeDiscovery.Bench.Suites;

/// <summary>The web view's finder (<see cref="NameSearch"/>) over a generated cluster: building its corpus once, then queries of each kind.</summary>
internal static class SearchBench
{
    public sealed record QueryTime(string Query, int Hits, double MedianMs, double P99Ms);

    public sealed record SearchResult(int Objects, double BuildMs, long CorpusBytesApprox, List<QueryTime> Queries);

    public static SearchResult Run(int objects)
    {
        var cache = Ingest.NewCache();
        Ingest.Fill(cache, objects);
        var search = new NameSearch(cache.Index, TimeProvider.System);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        search.Find("warm-up", 1);
        var build = clock.Elapsed.TotalMilliseconds;
        var corpus = GC.GetTotalMemory(forceFullCollection: true) - before;
        List<QueryTime> queries = [];
        // An exact name, a name prefix, a piece inside names, a kind and namespace, and one that matches nothing.
        foreach (var query in new[] { Generator.ClusterGenerator.QueryDeployment, "app-00001", "5d4f", "deployment/team-000/", "no-such-object" })
        {
            List<double> ms = [];
            var hits = 0;
            for (var i = 0; i < 200; i++)
            {
                var start = Stopwatch.GetTimestamp();
                hits = search.Find(query, 20).Hits.Count;
                ms.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            ms.Sort();
            queries.Add(new QueryTime(query, hits, Stats.Median(ms), Stats.Percentile(ms, 0.99)));
        }
        return new SearchResult(cache.Index.Count, build, corpus, queries);
    }
}
