using System.Globalization;
using System.Text;
using KubeDiscovery.Bench.Suites;

namespace KubeDiscovery.Bench;

/// <summary>The Markdown report: medians across runs, percentiles within them, the targets beside them.</summary>
internal static class ReportWriter
{
    public static string Markdown(SuiteReport r)
    {
        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        md.AppendLine(c, $"# KubeDiscovery benchmarks ({r.Started:yyyy-MM-dd}, {r.Cpus} CPUs, {r.Runtime}, {r.Runs} runs)");
        md.AppendLine();

        md.AppendLine("## Ingest: JSON LIST pages → index (one thread), and memory");
        md.AppendLine();
        md.AppendLine("| objects | JSON per object | objects/s (median) | min – max | managed heap per object (median) | min – max |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var size in r.Ingest.GroupBy(i => Round(i.Objects)))
        {
            var rate = size.Select(i => i.ObjectsPerSecond).ToList();
            var heap = size.Select(i => i.HeapBytesPerObject).ToList();
            md.AppendLine(c, $"| {size.Key:N0} | {size.Average(i => i.JsonBytes / (double)i.Objects):N0} B | {Stats.Median(rate):N0} | {rate.Min():N0} – {rate.Max():N0} | {Stats.Median(heap):N0} B | {heap.Min():N0} – {heap.Max():N0} B |");
        }
        md.AppendLine();

        if (r.Query.Count > 0)
        {
            md.AppendLine("## Query latency in-process (BenchmarkDotNet)");
            md.AppendLine();
            md.AppendLine("| answer | objects | median | p95 | allocated |");
            md.AppendLine("|---|---|---|---|---|");
            foreach (var q in r.Query.OrderBy(q => q.Benchmark, StringComparer.Ordinal).ThenBy(q => q.Objects))
            {
                md.AppendLine(c, $"| {q.Benchmark} | {q.Objects:N0} | {Time(q.MedianNs)} | {Time(q.P95Ns)} | {q.AllocatedBytes:N0} B |");
            }
            foreach (var benchmark in r.Query.GroupBy(q => q.Benchmark).Where(b => b.Count() > 1))
            {
                var smallest = benchmark.MinBy(q => q.Objects)!;
                var largest = benchmark.MaxBy(q => q.Objects)!;
                md.AppendLine(c, $"- {benchmark.Key}: {largest.Objects:N0} objects / {smallest.Objects:N0} objects = **{largest.MedianNs / smallest.MedianNs:0.00}×**");
            }
            md.AppendLine();
        }

        if (r.Http.Count > 0)
        {
            md.AppendLine(c, $"## One Deployment tree over HTTPS ({r.Http[0].Objects:N0} objects; keep-alive, client certificate; client and server on the same {r.Cpus} CPUs)");
            md.AppendLine();
            md.AppendLine("| clients | requests/s (median) | min – max | p50 | p99 |");
            md.AppendLine("|---|---|---|---|---|");
            foreach (var level in r.Http.SelectMany(h => h.Levels).GroupBy(l => l.Clients))
            {
                var rps = level.Select(l => l.RequestsPerSecond).ToList();
                md.AppendLine(c, $"| {level.Key} | {Stats.Median(rps):N0} | {rps.Min():N0} – {rps.Max():N0} | {Stats.Median(level.Select(l => l.P50Ms)):0.00} ms | {Stats.Median(level.Select(l => l.P99Ms)):0.00} ms |");
            }
            var kubectl = r.Http.SelectMany(h => h.KubectlMs).Order().ToList();
            md.AppendLine();
            md.AppendLine(c, $"Through `kubectl get --raw` (a new process per query): median {Stats.Median(kubectl):0} ms, p90 {Stats.Percentile(kubectl, 0.9):0} ms over {kubectl.Count} runs.");
            md.AppendLine();
        }

        if (r.Builds.Count > 0)
        {
            md.AppendLine(c, $"## HTTPS on the builds as shipped ({r.Builds[0].Objects:N0} objects; each build its own process following the double; medians of {r.Builds.Count} runs)");
            md.AppendLine();
            md.AppendLine(c, $"The builds take turns in {BuildsHttps.RoundCount} rounds per row, the order reversed each round; requests/s and percentiles over each build's windows; native / JIT is the median of the rounds' ratios (median over runs), with the runs' rounds' range.");
            md.AppendLine();
            md.AppendLine("| query | clients | JIT build: requests/s, p50, p99 | native binary: requests/s, p50, p99 | native / JIT requests/s | rounds' range |");
            md.AppendLine("|---|---|---|---|---|---|");
            foreach (var level in r.Builds.SelectMany(b => b.Loads).GroupBy(l => (l.Query, l.Clients)))
            {
                string Cell(string build)
                {
                    var mine = level.Where(l => l.Build == build).ToList();
                    return $"{Stats.Median(mine.Select(l => l.RequestsPerSecond)):N0}/s, {Stats.Median(mine.Select(l => l.P50Ms)):0.00} ms, {Stats.Median(mine.Select(l => l.P99Ms)):0.00} ms";
                }
                var rounds = r.Builds.SelectMany(b => b.Rounds).Where(x => x.Query == level.Key.Query && x.Clients == level.Key.Clients).ToList();
                var ratio = Stats.Median(rounds.Select(x => Stats.Median(x.Ratios)));
                var range = $"{rounds.Min(x => x.Ratios.Min()):0.00}–{rounds.Max(x => x.Ratios.Max()):0.00}";
                md.AppendLine(c, $"| {level.Key.Query} | {level.Key.Clients} | {Cell("JIT build")} | {Cell("native binary")} | {ratio:0.00}× | {range} |");
            }
            md.AppendLine();
            foreach (var build in r.Builds.SelectMany(b => b.Kubectl).GroupBy(k => k.Build))
            {
                md.AppendLine(c, $"- `kubectl get --raw` of the tree, {build.Key}: median {Stats.Median(build.Select(k => k.MedianMs)):0} ms (fastest {build.Min(k => k.MinMs):0} ms)");
            }
            md.AppendLine();
        }

        if (r.Live.Count > 0)
        {
            md.AppendLine("## Live: first sync, update propagation, and the kubectl-tree way");
            md.AppendLine();
            md.AppendLine("| objects | first sync | propagation p50 | p99 | (background changes) | kubectl-tree way per query | its LIST bytes | ratio to in-process tree | ratio to HTTPS tree |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|");
            foreach (var size in r.Live.GroupBy(l => Round(l.Objects)))
            {
                var propagation = size.SelectMany(l => l.PropagationMs).Order().ToList();
                var anchor = Stats.Median(size.SelectMany(l => l.AnchorMs));
                var inProcess = r.Query.Where(q => q.Benchmark.Contains("build + JSON", StringComparison.Ordinal) && q.Benchmark.StartsWith("Deployment", StringComparison.Ordinal))
                    .MinBy(q => Math.Abs(q.Objects - size.Key));
                var https = r.Http.Count > 0 ? Stats.Median(r.Http.SelectMany(h => h.Levels).Where(l => l.Clients == 1).Select(l => l.P50Ms)) : double.NaN;
                var ratio = inProcess is null ? "–" : string.Create(c, $"{anchor * 1e6 / inProcess.MedianNs:N0}×");
                md.AppendLine(c, $"| {size.Key:N0} | {Stats.Median(size.Select(l => l.SyncSeconds)):0.00} s | {Stats.Percentile(propagation, 0.5):0.00} ms | {Stats.Percentile(propagation, 0.99):0.00} ms | {size.Average(l => l.BackgroundEvents):N0} | {anchor:N0} ms | {size.Average(l => l.AnchorBytes) / 1048576:N0} MiB | {ratio} | {anchor / https:N0}× |");
            }
            md.AppendLine();
            var selector = r.Live.Where(l => l.SelectorMs is { Count: > 0 }).ToList();
            if (selector.Count > 0)
            {
                md.AppendLine("Connections under the same load: a Service's selector changed in the double until its `selects` edges show the new Pods.");
                md.AppendLine();
                md.AppendLine("| objects | selector change p50 | p99 | max |");
                md.AppendLine("|---|---|---|---|");
                foreach (var size in selector.GroupBy(l => Round(l.Objects)))
                {
                    var ms = size.SelectMany(l => l.SelectorMs!).Order().ToList();
                    md.AppendLine(c, $"| {size.Key:N0} | {Stats.Percentile(ms, 0.5):0.00} ms | {Stats.Percentile(ms, 0.99):0.00} ms | {ms[^1]:0.00} ms |");
                }
                md.AppendLine();
            }
        }
        if (r.Memory.Count > 0)
        {
            md.AppendLine("## Memory: the server process following a cluster, by GC setting");
            md.AppendLine();
            md.AppendLine("| objects | CPUs | GC setting | resident set | of it private | mapped files | shared (JIT code) | peak | managed heap | queries/s (4 clients) | first sync |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (var group in r.Memory.SelectMany(m => m.Variants.Select(v => (m.Objects, v))).GroupBy(x => (Round(x.Objects), x.v.Cpus, x.v.Name)))
            {
                var (objects, cpus, name) = group.Key;
                var v = group.Select(x => x.v).ToList();
                md.AppendLine(c, $"| {objects:N0} | {cpus} | {name} | {Stats.Median(v.Select(x => x.RssMiB)):0} MiB | {Stats.Median(v.Select(x => x.AnonMiB)):0} MiB | {Stats.Median(v.Select(x => x.FileMiB)):0} MiB | {Stats.Median(v.Select(x => x.SharedMiB)):0} MiB | {Stats.Median(v.Select(x => x.PeakRssMiB)):0} MiB | {Stats.Median(v.Select(x => x.ManagedMiB)):0} MiB | {Stats.Median(v.Select(x => x.RequestsPerSecond)):N0} | {Stats.Median(v.Select(x => x.SyncSeconds)):0.0} s |");
            }
            md.AppendLine();
            var starts = r.Memory.SelectMany(m => m.Starts).GroupBy(d => d.Build).ToList();
            if (starts.Count > 0)
            {
                md.AppendLine("| the demo (targets, native: to /readyz ≤ 150 ms, idle ≤ 40 MiB) | start to /readyz, median of runs' medians | fastest | idle resident set |");
                md.AppendLine("|---|---|---|---|");
                foreach (var d in starts)
                {
                    md.AppendLine(c, $"| {d.Key} | {Stats.Median(d.Select(x => x.MedianMs)):0} ms | {d.Min(x => x.MinMs):0} ms | {Stats.Median(d.Select(x => x.IdleRssMiB)):0} MiB |");
                }
                md.AppendLine();
            }
        }
        var churns = r.Memory.SelectMany(m => m.Variants.Where(v => v.Churn is not null).Select(v => (m.Objects, v))).GroupBy(x => (Round(x.Objects), x.v.Name)).ToList();
        if (churns.Count > 0)
        {
            md.AppendLine("## History under churn: 10,000 patches in 60 s after the first recording (target: none lost)");
            md.AppendLine();
            md.AppendLine("| objects | server | first recording done | resident set after it | during churn (end / peak) | lost | patch to visible version, median / p99 |");
            md.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var group in churns)
            {
                var v = group.Select(x => x.v).ToList();
                var ch = v.Select(x => x.Churn!).ToList();
                md.AppendLine(c, $"| {group.Key.Item1:N0} | {group.Key.Name} | {Stats.Median(v.Select(x => x.RecordedSeconds ?? 0)):0.0} s | {Stats.Median(v.Select(x => x.RssMiB)):0} MiB | {Stats.Median(ch.Select(x => x.RssMiB)):0} / {Stats.Median(ch.Select(x => x.PeakRssMiB)):0} MiB | {ch.Sum(x => x.Lost)} | {Stats.Median(ch.Select(x => x.MedianMs)):0.0} / {Stats.Median(ch.Select(x => x.P99Ms)):0.0} ms |");
            }
            md.AppendLine();
        }
        if (r.Recording.Count > 0)
        {
            md.AppendLine("## A first recording, in process (target: RSS ≤ 64 MiB beyond SQLite's page cache, at every size)");
            md.AppendLine();
            md.AppendLine("| objects | versions | versions/s | RSS growth at peak | RSS growth after | database | dropped |");
            md.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var group in r.Recording.GroupBy(x => Round(x.Objects)))
            {
                var v = group.ToList();
                md.AppendLine(c, $"| {group.Key:N0} | {Stats.Median(v.Select(x => (double)x.Versions)):N0} | {Stats.Median(v.Select(x => x.VersionsPerSecond)):N0} | {Stats.Median(v.Select(x => x.PeakGrowthMiB)):0} MiB | {Stats.Median(v.Select(x => x.EndGrowthMiB)):0} MiB | {Stats.Median(v.Select(x => x.DatabaseMiB)):0} MiB | {v.Sum(x => x.Dropped)} |");
            }
            md.AppendLine();
        }
        if (r.History.Count > 0)
        {
            md.AppendLine("## History: recording and its queries (targets: ≥ 9,050 versions/s — 50× the 181 writes/s kube-apiserver sustained on this machine —, versions < 10 ms, changes < 20 ms, ≤ 1 KB per image update)");
            md.AppendLine();
            md.AppendLine("| store | versions/s (Deployment image updates) | bytes per image update | versions of an object with 1,000 (median / p99) | changes of a 100-object tree, 10,000 in the window (median / p99) | `kubectl get changes`: a page of 500 as a Table (median / p99) | `-w`: the next 500 rows written (median / p99) |");
            md.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var store in r.History.SelectMany(h => h.Stores).GroupBy(s => s.Store))
            {
                var s = store.ToList();
                md.AppendLine(c, $"| {store.Key} | {Stats.Median(s.Select(x => x.VersionsPerSecond)):N0} | {Stats.Median(s.Select(x => x.BytesPerImageUpdate)):0} B | {Stats.Median(s.Select(x => x.VersionsQueryMedianMs)):0.00} / {Stats.Median(s.Select(x => x.VersionsQueryP99Ms)):0.00} ms | {Stats.Median(s.Select(x => x.ChangesQueryMedianMs)):0.00} / {Stats.Median(s.Select(x => x.ChangesQueryP99Ms)):0.00} ms | {Stats.Median(s.Select(x => x.TimelinePageMedianMs)):0.00} / {Stats.Median(s.Select(x => x.TimelinePageP99Ms)):0.00} ms | {Stats.Median(s.Select(x => x.FeedBatchMedianMs)):0.00} / {Stats.Median(s.Select(x => x.FeedBatchP99Ms)):0.00} ms |");
            }
            var idle = Stats.Median(r.History.Select(h => h.CompositionP99IdleMs));
            var paced = Stats.Median(r.History.Select(h => h.CompositionP99PacedMs));
            var recording = Stats.Median(r.History.Select(h => h.CompositionP99RecordingMs));
            md.AppendLine();
            md.AppendLine(c, $"A Deployment's composition over HTTPS ({r.History[0].ClusterObjects:N0} objects, one client), p99: {idle:0.000} ms alone, {paced:0.000} ms ({paced / idle:0.00}×) while recording 1,000 versions/s, {recording:0.000} ms ({recording / idle:0.00}×) while recording flat out into SQLite (target ≤ 1.2×).");
            md.AppendLine();
        }
        if (r.Search.Count > 0)
        {
            md.AppendLine("## Search (target: < 10 ms at 1M objects)");
            md.AppendLine();
            md.AppendLine(c, $"{r.Search[0].Objects:N0} objects; corpus built in {Stats.Median(r.Search.Select(s => s.BuildMs)):0} ms, {Stats.Median(r.Search.Select(s => (double)s.CorpusBytesApprox)) / 1048576:0} MiB.");
            md.AppendLine();
            md.AppendLine("| query | hits (of 20) | median | p99 |");
            md.AppendLine("|---|---|---|---|");
            foreach (var q in r.Search.SelectMany(s => s.Queries).GroupBy(q => q.Query))
            {
                md.AppendLine(c, $"| `{q.Key}` | {q.First().Hits} | {Stats.Median(q.Select(x => x.MedianMs)):0.00} ms | {Stats.Median(q.Select(x => x.P99Ms)):0.00} ms |");
            }
            md.AppendLine();
        }
        if (r.Applications.Count > 0)
        {
            md.AppendLine("## Applications (targets: all of them < 20 ms at 100k objects; one of 1,000 objects < 5 ms; following 100 Warning Events/s < 5% CPU)");
            md.AppendLine();
            md.AppendLine("| objects | applications | request | items | objects in it | bytes | server median / p99 | client median / p99 |");
            md.AppendLine("|---|---|---|---|---|---|---|---|");
            foreach (var size in r.Applications.GroupBy(a => a.Objects))
            {
                foreach (var t in size.SelectMany(a => a.Timings).GroupBy(t => t.What))
                {
                    md.AppendLine(c, $"| {size.Key:N0} | {size.First().Applications:N0} | {t.Key} | {t.First().Items:N0} | {t.First().Objects:N0} | {t.First().Bytes:N0} | {Stats.Median(t.Select(x => x.ServerMedianMs)):0.00} / {Stats.Median(t.Select(x => x.ServerP99Ms)):0.00} ms | {Stats.Median(t.Select(x => x.MedianMs)):0.00} / {Stats.Median(t.Select(x => x.P99Ms)):0.00} ms |");
                }
                md.AppendLine(c, $"| {size.Key:N0} | | moving a Deployment to another release (index write) | | | | {Stats.Median(size.Select(a => a.MoveMicroseconds)):0.0} µs | |");
                md.AppendLine(c, $"| {size.Key:N0} | | kept between lists (ApplicationListCache: managed heap around one list by a fresh one) | | | {Stats.Median(size.Select(a => (double)a.ListKeptBytes)):N0} | ({Stats.Median(size.Select(a => (double)a.ListKeptBytes)) / size.Key:0.0} B per object) | |");
                md.AppendLine(c, $"| {size.Key:N0} | | one Warning Event read and kept | | | | {Stats.Median(size.Select(a => a.WarningEventMicroseconds)):0.0} µs ({Stats.Median(size.Select(a => a.CpuPercentAt100EventsPerSecond)):0.000}% of a CPU at 100/s) | |");
            }
            md.AppendLine();
        }
        if (r.Ui.Count > 0)
        {
            var u = r.Ui[0];
            md.AppendLine("## Web view, headless Chromium (targets: first paint of a 1,000-node composition < 1 s; a 10,000-object neighbourhood interactive)");
            md.AppendLine();
            md.AppendLine(c, $"{u.Objects:N0} objects; {u.Composition.Count} fresh browsers per page; times from navigation start, medians (min–max).");
            md.AppendLine();
            md.AppendLine("| page | nodes | first paint | better layout in place | longest main-thread task | finder answered while loading |");
            md.AppendLine("|---|---|---|---|---|---|");
            static string Range(IEnumerable<double> values)
            {
                var list = values.ToList();
                return list.Count == 0 ? "—" : $"{Stats.Median(list):0} ms ({list.Min():0}–{list.Max():0})";
            }
            foreach (var (name, nodes, runs) in new[] { ("composition", u.CompositionNodes, u.Composition), ("connections, depth 1", u.NeighbourhoodNodes, u.Neighbourhood) })
            {
                md.AppendLine(c, $"| {name} | {nodes:N0} | {Range(runs.Select(p => p.DrawnMs))} ({runs[0].Layout}) | {Range(runs.Where(p => p.RefinedMs is not null).Select(p => p.RefinedMs!.Value))} | {Range(runs.Select(p => p.LongestTaskMs))} | {Range(runs.Where(p => p.SearchAnsweredMs is not null).Select(p => p.SearchAnsweredMs!.Value))} |");
            }
            md.AppendLine();
        }
        return md.ToString();
    }

    // Generated clusters land a few objects past the size asked for.
    private static int Round(int objects) => objects < 1000 ? objects : (int)(Math.Round(objects / 1000.0) * 1000);

    private static string Time(double ns) => ns switch
    {
        < 1_000 => $"{ns:0} ns",
        < 1_000_000 => $"{ns / 1_000:0.00} µs",
        _ => $"{ns / 1_000_000:0.00} ms",
    };
}
