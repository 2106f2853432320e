using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using KubeDiscovery.Bench.Generator;
using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Connections;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Sources.Live;
using KubeDiscovery.TestDoubles;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeDiscovery.Bench.Suites;

/// <summary>
/// The generated cluster served by the kube-apiserver double, followed by the live source:
/// time to first sync; update propagation (a Pod's readiness flipped in the double → the changed tree
/// built from the index) while a steady stream of other changes flows; and the anchor — the way
/// <c>kubectl tree</c> and kube-lineage answer: LIST every resource type, then build the tree.
/// </summary>
internal static class LiveCluster
{
    /// <param name="SelectorMs">A Service's selector changed in the double until its <c>selects</c> edges show the new Pods.</param>
    public sealed record LiveResult(int Objects, double SyncSeconds, List<double> PropagationMs, int BackgroundEvents, List<double> AnchorMs, long AnchorBytes,
        List<double>? SelectorMs = null);

    public static async Task<LiveResult> RunAsync(int objects, int probes, int backgroundPerSecond, int anchorRuns)
    {
        List<JsonObject> pods = [];
        var store = GeneratedStore(objects, pods);
        await using var server = await FakeKubeApiServer.StartAsync(store, Recordings.GroupOrder(Recordings.DefaultDirectory));
        server.BookmarkInterval = TimeSpan.FromSeconds(30);
        var kubeconfig = server.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"kd-bench-{Environment.ProcessId}.kubeconfig"));
        var (config, description) = ClusterConnection.Resolve(kubeconfig, null);
        File.Delete(kubeconfig);
        using var client = new Kubernetes(config);

        var cache = new ClusterCache();
        var clock = Stopwatch.StartNew();
        var source = new LiveClusterSource(client, description, cache, new LiveSourceOptions(), NullLoggerFactory.Instance);
        await source.StartAsync(CancellationToken.None);
        await source.Synced;
        var sync = clock.Elapsed.TotalSeconds;

        var probeDeployment = cache.Index.Find(new GroupResource("apps", "deployments"), ClusterGenerator.QueryNamespace, ClusterGenerator.QueryDeployment)!;
        var probePods = pods.Where(p => Owner(p).StartsWith(ClusterGenerator.QueryDeployment + "-", StringComparison.Ordinal)
            && p["metadata"]!["namespace"]!.GetValue<string>() == ClusterGenerator.QueryNamespace).ToList();
        var noisePods = pods.Where(p => !probePods.Contains(p)).ToList();

        // The steady stream: other Pods change readiness at a fixed rate the whole time.
        using var stopNoise = new CancellationTokenSource();
        var background = 0;
        var noise = Task.Run(async () =>
        {
            var interval = TimeSpan.FromSeconds(1.0 / backgroundPerSecond);
            var next = Stopwatch.GetTimestamp();
            var random = new Random(7);
            while (!stopNoise.IsCancellationRequested)
            {
                store.Apply(WithReady(noisePods[random.Next(noisePods.Count)], background % 2 == 0));
                background++;
                next += (long)(interval.TotalSeconds * Stopwatch.Frequency);
                var wait = next - Stopwatch.GetTimestamp();
                if (wait > 0) await Task.Delay(TimeSpan.FromSeconds(wait / (double)Stopwatch.Frequency));
            }
        });

        List<double> propagation = [];
        var builder = new CompositionBuilder(cache.Index);
        for (var i = 0; i < probes; i++)
        {
            var pod = probePods[i % probePods.Count];
            var name = pod["metadata"]!["name"]!.GetValue<string>();
            var ready = (i / probePods.Count) % 2 == 1;
            var start = Stopwatch.GetTimestamp();
            store.Apply(WithReady(pod, ready));
            var wanted = ready ? ReadyState.True : ReadyState.False;
            // Rebuild only when the index moved, and yield the CPU otherwise: on two cores a spinning
            // observer would slow down the very pipeline it measures.
            var seen = -1L;
            while (true)
            {
                var generation = cache.Index.Generation;
                if (generation != seen)
                {
                    seen = generation;
                    if (Shows(builder.Build(probeDeployment), name, wanted)) break;
                }
                if (Stopwatch.GetElapsedTime(start) > TimeSpan.FromSeconds(10)) throw new TimeoutException($"{name} never became {wanted}");
                Thread.Yield();
            }
            propagation.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            await Task.Delay(5);
        }
        // Connections under the same load: the query Service's selector flips between two apps' Pods.
        List<double> selector = [];
        var serviceName = ClusterGenerator.QueryDeployment;
        var otherApp = cache.Index.List(new GroupResource("", "services"), ClusterGenerator.QueryNamespace).Select(s => s.Name).First(n => n != serviceName);
        var services = new GroupResource("", "services");
        for (var i = 0; i < probes / 3; i++)
        {
            var app = i % 2 == 0 ? otherApp : serviceName;
            var service = store.Get("", "Service", ClusterGenerator.QueryNamespace, serviceName)!;
            service["spec"]!["selector"] = new System.Text.Json.Nodes.JsonObject { ["app"] = app };
            var start = Stopwatch.GetTimestamp();
            store.Apply(service);
            var seen = -1L;
            while (true)
            {
                var generation = cache.Index.Generation;
                if (generation != seen)
                {
                    seen = generation;
                    var record = cache.Index.Find(services, ClusterGenerator.QueryNamespace, serviceName)!;
                    var graph = new ConnectionBuilder(cache.Index, cache.Relations.Current).Build(record, 1, Direction.Out, 10_000);
                    var selected = graph.Edges.Where(e => e.Link == LinkNames.Selects).ToList();
                    if (selected.Count > 0 && selected.All(e => e.To.StartsWith($"Pod/{ClusterGenerator.QueryNamespace}/{app}-", StringComparison.Ordinal))) break;
                }
                if (Stopwatch.GetElapsedTime(start) > TimeSpan.FromSeconds(10)) throw new TimeoutException($"the selector app={app} never showed");
                Thread.Yield();
            }
            selector.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            await Task.Delay(5);
        }

        await stopNoise.CancelAsync();
        await noise;

        // The anchor: what kubectl tree does per invocation (discovery is cached on disk by kubectl, so
        // it is not counted): LIST every listable resource in parallel, then find the root and walk owners.
        List<double> anchor = [];
        long anchorBytes = 0;
        var listable = store.Resources.Where(r => r.Verbs.Contains("list")).ToList();
        for (var run = 0; run < anchorRuns; run++)
        {
            var start = Stopwatch.GetTimestamp();
            var lists = await Task.WhenAll(listable.Select(async r =>
            {
                using var response = await client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<JsonElement>(r.Group, r.Versions[0], r.Plural);
                return response.Body;
            }));
            var nodes = KubectlTreeWay(lists, ClusterGenerator.QueryNamespace, ClusterGenerator.QueryDeployment);
            anchor.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (nodes != 12) throw new InvalidOperationException($"the kubectl-tree way found {nodes} nodes, not 12");
            anchorBytes = lists.Sum(l => (long)l.GetRawText().Length);
        }

        await source.DisposeAsync();
        return new LiveResult(cache.Index.Count, sync, propagation, background, anchor, anchorBytes, selector);
    }

    /// <summary>The double's store holding the recorded CRDs and the generated cluster of about <paramref name="objects"/> objects.</summary>
    public static FakeStore GeneratedStore(int objects, List<JsonObject> pods)
    {
        var store = new FakeStore();
        Recordings.RegisterBuiltins(store, Recordings.DefaultDirectory);
        store.Seed(Recordings.Objects(Recordings.DefaultDirectory).Where(o => o["kind"]?.GetValue<string>() == "CustomResourceDefinition"));
        // 1.19 served CronJobs only as batch/v1beta1, which the recordings lack; the generated cluster is newer.
        if (store.FindResourceByKind("batch", "CronJob") is null)
        {
            store.Register(new FakeResource { Group = "batch", Versions = ["v1"], Plural = "cronjobs", Kind = "CronJob", Singular = "cronjob", ShortNames = ["cj"], Namespaced = true });
        }
        // Nor do they hold storage.k8s.io's resource list, where the generated PVs' StorageClass lives.
        if (store.FindResourceByKind("storage.k8s.io", "StorageClass") is null)
        {
            store.Register(new FakeResource { Group = "storage.k8s.io", Versions = ["v1"], Plural = "storageclasses", Kind = "StorageClass", Singular = "storageclass", ShortNames = ["sc"], Namespaced = false });
        }
        store.Seed(Generated(objects, pods));
        store.PrepareWireForms();
        return store;
    }

    // kubectl-tree's algorithm (github.com/ahmetb/kubectl-tree): index every object by its owners' UIDs,
    // then walk down from the root. Returns the number of nodes in the tree.
    private static int KubectlTreeWay(JsonElement[] lists, string ns, string name)
    {
        var children = new Dictionary<string, List<JsonElement>>(StringComparer.Ordinal);
        JsonElement? root = null;
        foreach (var list in lists)
        {
            var listKind = list.GetProperty("kind").GetString();
            foreach (var item in list.GetProperty("items").EnumerateArray())
            {
                var metadata = item.GetProperty("metadata");
                if (listKind == "DeploymentList" && metadata.GetProperty("name").GetString() == name
                    && metadata.TryGetProperty("namespace", out var n) && n.GetString() == ns)
                {
                    root = item;
                }
                if (!metadata.TryGetProperty("ownerReferences", out var owners)) continue;
                foreach (var owner in owners.EnumerateArray())
                {
                    var uid = owner.GetProperty("uid").GetString()!;
                    if (!children.TryGetValue(uid, out var list2)) children[uid] = list2 = [];
                    list2.Add(item);
                }
            }
        }
        return root is { } r ? Count(r, children) : 0;
    }

    private static int Count(JsonElement obj, Dictionary<string, List<JsonElement>> children)
    {
        var total = 1;
        if (children.TryGetValue(obj.GetProperty("metadata").GetProperty("uid").GetString()!, out var mine))
        {
            foreach (var child in mine) total += Count(child, children);
        }
        return total;
    }

    private static IEnumerable<JsonObject> Generated(int objects, List<JsonObject> pods)
    {
        foreach (var page in new ClusterGenerator(objects).Pages())
        {
            var list = JsonNode.Parse(page.Json.Span)!.AsObject();
            foreach (var item in list["items"]!.AsArray())
            {
                var copy = item!.DeepClone().AsObject();
                copy["apiVersion"] = page.Type.GroupVersion;
                copy["kind"] = page.Type.Kind;
                if (page.Type.Kind == "Pod") pods.Add(copy);
                yield return copy;
            }
        }
    }

    private static string Owner(JsonObject pod) =>
        pod["metadata"]!["ownerReferences"]?[0]?["name"]?.GetValue<string>() ?? "";

    private static JsonObject WithReady(JsonObject pod, bool ready)
    {
        var copy = pod.DeepClone().AsObject();
        foreach (var condition in copy["status"]!["conditions"]!.AsArray())
        {
            if (condition!["type"]!.GetValue<string>() is "Ready" or "ContainersReady") condition["status"] = ready ? "True" : "False";
        }
        return copy;
    }

    private static bool Shows(CompositionNode node, string name, ReadyState ready)
    {
        if (node.Object.Name == name) return node.Object.Status.Ready == ready;
        foreach (var child in node.Children)
        {
            if (Shows(child, name, ready)) return true;
        }
        return false;
    }
}
