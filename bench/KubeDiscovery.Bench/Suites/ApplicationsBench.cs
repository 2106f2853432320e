using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using KubeDiscovery.Bench.Generator;
using KubeDiscovery.Graph.Applications;

namespace KubeDiscovery.Bench.Suites;

/// <summary>
/// Applications over a generated cluster (every namespaced object a Helm chart's, releases of about 40
/// objects, one of about a thousand): <c>kubectl get appinstances -A</c> (the Table kubectl asks for) and
/// one application's YAML through the real server, one client at a time; moving an object between
/// applications; and the cost of following Warning Events (parse the watch line, keep it).
/// </summary>
internal static class ApplicationsBench
{
    private const int ChurnPerList = 100;
    private const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

    /// <summary>One request's figures: the client's (HTTPS on the same machine) and the server's own (its request-duration metric: authentication to the last byte written).</summary>
    public sealed record Timing(string What, int Items, int Objects, long Bytes, double MedianMs, double P99Ms, double ServerMedianMs, double ServerP99Ms);

    public sealed record ApplicationsResult(int Objects, int Applications, List<Timing> Timings, double MoveMicroseconds, double WarningEventMicroseconds,
        double CpuPercentAt100EventsPerSecond, long ListKeptBytes);

    public static async Task<ApplicationsResult> RunAsync(int objects, int requests)
    {
        var cache = Ingest.NewCache();
        Ingest.Fill(cache, objects);
        var applications = ApplicationTopology.List(cache.Index, null).Count;
        var directory = Directory.CreateTempSubdirectory("kd-bench-apps-").FullName;
        try
        {
            var (app, port, admin, _, _) = await HttpLoad.StartServerAsync(cache, directory);
            await using var _ = app;
            using var handler = new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true, LocalCertificateSelectionCallback = (_, _, _, _, _) => admin } };
            using var http = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{port}/apis/kubediscovery.io/v1/") };
            // Ingest leaves a heap to settle: a full compacting collection first, so the first query is not the one that pays for it.
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            (string What, string Path, string Accept)[] queries =
            [
                ("get appinstances -A (Table)", "appinstances", TableAccept),
                ("get appinstances -A (JSON)", "appinstances", "application/json"),
                ($"get appinstance helm.{ClusterGenerator.BigRelease} (JSON, with trees)", $"namespaces/{ClusterGenerator.QueryNamespace}/appinstances/helm.{ClusterGenerator.BigRelease}", "application/json"),
                ("get appinstances -n (Table)", $"namespaces/{ClusterGenerator.QueryNamespace}/appinstances", TableAccept),
            ];
            // A first pass of every query, not kept: the paths share code, and the JIT promotes it only once
            // all of them have run (the first query measured alone came out at 2.5× its later cost).
            foreach (var (what, path, accept) in queries) await TimeAsync(http, what, path, accept, requests / 4);
            List<Timing> timings = [];
            foreach (var (what, path, accept) in queries) timings.Add(await TimeAsync(http, what, path, accept, requests));
            // A live cluster changes between two lists: 100 Pods written again (a kubelet's status updates)
            // before each one, in as many applications; the list builds those again and keeps the rest.
            var pods = cache.Index.List(new Graph.Model.GroupResource("", "pods"), null);
            var written = 0;
            void Churn()
            {
                for (var i = 0; i < ChurnPerList; i++) cache.Index.Upsert(pods[(written++ * 7919) % pods.Length]);
            }
            timings.Add(await TimeAsync(http, $"get appinstances -A (Table) after {ChurnPerList} Pod changes", "appinstances", TableAccept, requests, Churn));
            // What lists keep between them (ApplicationListCache): the managed heap around one list answered
            // by a fresh instance, its answer let go (the HTTP path's pooled buffers stay out of the figure).
            var fresh = Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance<KubeDiscovery.Api.Applications.ApplicationAnswers>(app.Services);
            var reader = KubeDiscovery.Security.Authentication.UserInfo.Create("bench", groups: ["system:masters"]);
            var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            var once = await fresh.BuildAsync(reader, ApplicationTopology.List(cache.Index, null), withTrees: false, withUids: false, default);
            once = null;
            var keptBytes = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
            GC.KeepAlive(fresh);
            await app.StopAsync();
            var move = Move(cache, 2_000);
            var perEvent = WarningEvents(cache, 20_000);
            return new ApplicationsResult(cache.Index.Count, applications, timings, move, perEvent, perEvent * 100 / 1e6 * 100, keptBytes);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<Timing> TimeAsync(HttpClient http, string what, string path, string accept, int requests, Action? before = null)
    {
        // The server runs in this process: its own measure of each request, as /metrics would bucket it.
        List<double> server = [];
        var measuring = false;
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "apiserver_request_duration_seconds") l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<double>((_, seconds, _, _) =>
        {
            if (Volatile.Read(ref measuring)) lock (server) server.Add(seconds * 1000);
        });
        listener.Start();
        async Task<(HttpStatusCode Status, byte[] Body)> GetAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation("Accept", accept);
            using var response = await http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsByteArrayAsync());
        }
        // Connection, TLS, and the JIT's tiers, which promote in the background once new code stops appearing:
        // a hundred requests left the first query measured at 2.5× its cost; two seconds of them do not.
        var warm = Stopwatch.StartNew();
        for (var i = 0; i < 100 || warm.Elapsed < TimeSpan.FromSeconds(2); i++) await GetAsync();
        List<double> ms = [];
        var (status, body) = (HttpStatusCode.OK, Array.Empty<byte>());
        Volatile.Write(ref measuring, true);
        for (var i = 0; i < requests; i++)
        {
            before?.Invoke();
            var start = Stopwatch.GetTimestamp();
            (status, body) = await GetAsync();
            ms.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (status != HttpStatusCode.OK) throw new InvalidOperationException($"{path}: {status} {Encoding.UTF8.GetString(body)}");
        }
        Volatile.Write(ref measuring, false);
        ms.Sort();
        List<double> serverMs;
        lock (server) serverMs = [.. server.Order()];
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var items = root.TryGetProperty("rows", out var rows) ? rows.GetArrayLength() : root.TryGetProperty("items", out var list) ? list.GetArrayLength() : 1;
        var objects = root.TryGetProperty("status", out var status2) ? status2.GetProperty("objects").GetInt32() : 0;
        return new Timing(what, items, objects, body.Length, Stats.Median(ms), Stats.Percentile(ms, 0.99), Stats.Median(serverMs), Stats.Percentile(serverMs, 0.99));
    }

    // An annotation change moving a Deployment from one release to another and back: the index's write, no rescan.
    private static double Move(Graph.ClusterCache cache, int moves)
    {
        var deployment = cache.Index.List(new Graph.Model.GroupResource("apps", "deployments"), ClusterGenerator.QueryNamespace)[0];
        var other = new AppMarks(null, null, "moved", deployment.Namespace);
        var records = new[] { Rebuilt(deployment, other), deployment };
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < moves; i++) cache.Index.Upsert(records[i % 2]);
        return Stopwatch.GetElapsedTime(start).TotalMicroseconds / moves;
    }

    private static Graph.Model.ObjectRecord Rebuilt(Graph.Model.ObjectRecord r, AppMarks marks) =>
        new(r.Type, r.ApiVersion, r.Namespace, r.Name, r.Uid, r.CreationTimestamp, r.Owners, r.Labels, r.Status, r.Links, marks);

    // What the follower does per Warning Event: read the watch line, then keep it (five per object).
    private static double WarningEvents(Graph.ClusterCache cache, int events)
    {
        var pods = cache.Index.List(new Graph.Model.GroupResource("", "pods"), null);
        var lines = Enumerable.Range(0, events).Select(i =>
        {
            var pod = pods[i % pods.Length];
            return Encoding.UTF8.GetBytes($$$"""
                {"type":"ADDED","object":{"apiVersion":"v1","kind":"Event","metadata":{"name":"{{{pod.Name}}}.{{{i:x}}}","namespace":"{{{pod.Namespace}}}","uid":"e-{{{i}}}","resourceVersion":"{{{i}}}","creationTimestamp":"2026-11-20T08:00:00Z"},
                "involvedObject":{"apiVersion":"v1","kind":"Pod","name":"{{{pod.Name}}}","namespace":"{{{pod.Namespace}}}","uid":"{{{pod.Uid}}}","fieldPath":"spec.containers{main}"},
                "reason":"BackOff","message":"Back-off restarting failed container main in pod {{{pod.Name}}}","source":{"component":"kubelet","host":"node-1"},
                "firstTimestamp":"2026-11-20T08:00:00Z","lastTimestamp":"2026-11-20T08:{{{i % 60:D2}}}:00Z","count":{{{i % 7 + 1}}},"type":"Warning"}}
                """);
        }).ToList();
        var log = cache.Index.Warnings;
        var start = Stopwatch.GetTimestamp();
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            if (Graph.Events.WarningEvents.TryRead(doc.RootElement.GetProperty("object"), out _, out var about, out var warning)) log.Record(about, warning);
        }
        return Stopwatch.GetElapsedTime(start).TotalMicroseconds / events;
    }
}
