using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>
/// The server following a live (fake) cluster: changes made in the cluster show in kubectl's answers
/// within a few seconds (five, for a busy machine). The time is measured by polling the server directly (so kubectl's own start-up
/// time is not counted); kubectl then confirms the answer.
/// </summary>
public sealed class LiveClusterTests(LiveClusterServer server) : IClassFixture<LiveClusterServer>
{
    private const string Api = "/apis/kubediscovery.io/v1";
    // A bound that proves the watch path (the periodic re-list would take minutes) yet holds on a busy
    // 2-CPU machine: the benchmark suite measures the real figure (p99 under 5 ms).
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task DeploymentCreatedInTheCluster_AppearsWithItsReplicaSetAndPod()
    {
        var store = server.Cluster.Store;
        var clock = Stopwatch.StartNew();
        var deployment = store.Apply("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"e2e-web","namespace":"default"},"spec":{"replicas":1},"status":{"availableReplicas":1}}""");
        var replicaSet = store.Apply(Owned("apps/v1", "ReplicaSet", "e2e-web-5d4f", deployment, """ "spec":{"replicas":1},"status":{"readyReplicas":1}"""));
        store.Apply(Owned("v1", "Pod", "e2e-web-5d4f-x2x9q", replicaSet, """ "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}"""));

        var path = $"{Api}/namespaces/default/deployments/e2e-web/compositions?format=tree";
        await WaitFor(path, body => body.Contains("Pod/e2e-web-5d4f-x2x9q"), clock);

        var tree = await server.GetRaw(path);
        tree.ShouldContain("Deployment/e2e-web");
        tree.ShouldContain("└─ReplicaSet/e2e-web-5d4f");
        tree.ShouldContain("  └─Pod/e2e-web-5d4f-x2x9q");
    }

    [Fact]
    public async Task PodDeletedInTheCluster_DisappearsFromItsDeployment()
    {
        var path = $"{Api}/namespaces/default/deployments/nginx/compositions?format=tree";
        var before = await server.GetRaw(path);
        var pod = server.Cluster.Store.Snapshot()
            .Where(s => s.Resource.Kind == "Pod" && s.Object["metadata"]!["name"]!.GetValue<string>().StartsWith("nginx-", StringComparison.Ordinal))
            .Select(s => s.Object["metadata"]!["name"]!.GetValue<string>())
            .First(before.Contains);

        var clock = Stopwatch.StartNew();
        server.Cluster.Store.Delete("", "Pod", "default", pod).ShouldBeTrue();
        await WaitFor(path, body => !body.Contains(pod), clock);

        (await server.GetRaw(path)).ShouldNotContain(pod);
    }

    [Fact]
    public async Task CrdAndCustomResourcesCreatedAfterStart_BecomeQueryable()
    {
        var store = server.Cluster.Store;
        var clock = Stopwatch.StartNew();
        store.Apply("""
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"queues.messaging.example.net"},
             "spec":{"group":"messaging.example.net","scope":"Namespaced","names":{"plural":"queues","singular":"queue","kind":"Queue","shortNames":["q"]},
                     "versions":[{"name":"v1","served":true,"storage":true}]}}
            """);
        var queue = store.Apply("""{"apiVersion":"messaging.example.net/v1","kind":"Queue","metadata":{"name":"orders","namespace":"default"},"status":{"conditions":[{"type":"Ready","status":"True"}]}}""");
        store.Apply(Owned("v1", "ConfigMap", "orders-settings", queue, """ "data":{"x":"y"}"""));

        await WaitFor(Api, body => body.Contains("\"queues/compositions\""), clock);
        await WaitFor($"{Api}/namespaces/default/queues/orders/compositions?format=tree", body => body.Contains("ConfigMap/orders-settings"), clock);

        (await server.GetRaw(Api)).ShouldContain("\"queues/compositions\"");
        var tree = await server.GetRaw($"{Api}/namespaces/default/q/orders/compositions?format=tree");
        tree.ShouldContain("Queue/orders");
        tree.ShouldContain("└─ConfigMap/orders-settings");
    }

    [Fact]
    public async Task ClientCaRotatedInTheAuthenticationConfigMap_IsTrustedWithinASecond()
    {
        var newCa = TestPki.SystemClock.CreateCa("rotated-client-ca");
        var user = TestPki.SystemClock.Issue(newCa, "rotated-admin", ["system:masters"]);
        using var client = ClusterPki.Client(user);
        (await client.GetAsync(server.Url + Api)).StatusCode.ShouldBe(System.Net.HttpStatusCode.Unauthorized);

        // kube-apiserver publishes the union of old and new CAs while a rotation is under way.
        server.Cluster.PublishAuthentication(TestPki.Bundle(server.Pki.ClientCa, newCa), TestPki.Pem(server.Pki.FrontProxyCa), [ClusterPki.FrontProxyName]);
        var clock = Stopwatch.StartNew();
        while ((await client.GetAsync(server.Url + Api)).StatusCode != System.Net.HttpStatusCode.OK)
        {
            clock.Elapsed.ShouldBeLessThan(Propagation, "the new client CA was not trusted in time");
            await Task.Delay(20);
        }
        (await server.GetRaw(Api)).ShouldContain("compositions"); // the old CA still works
    }

    [Fact]
    public async Task ReadyzVerbose_ListsEveryWatch()
    {
        var result = await server.Kubectl("get", "--raw", "/readyz?verbose");

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldContain("[+]informer-sync ok");
        result.Stdout.ShouldContain("[+]watch/pods ok");
        result.Stdout.ShouldContain("[+]watch/deployments.apps ok");
        result.Stdout.ShouldContain("readyz check passed");
    }

    [Fact]
    public async Task WatchesFailingAfterSync_ShowInReadyzVerbose_WhileAnswersContinue_ThenRecover()
    {
        server.Cluster.Faults.FailRequests(40);
        server.Cluster.Faults.DropOpenWatches();

        var degraded = await Poll("/readyz?verbose", body => body.Contains("[-]watch/"));
        degraded.ShouldContain("(not counted against readiness)");
        degraded.ShouldContain("readyz check passed");
        (await server.GetRaw($"{Api}/namespaces/default/deployments/nginx/compositions")).ShouldContain("nginx-66b956cf97");

        var recovered = await Poll("/readyz?verbose", body => !body.Contains("[-]"));
        recovered.ShouldContain("[+]watch/pods ok");
        server.Cluster.Faults.FailuresLeft.ShouldBe(0);
    }

    private async Task<string> Poll(string path, Func<string, bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var response = await server.Http.GetAsync(server.Url + path);
            var body = await response.Content.ReadAsStringAsync();
            if (done(body)) return body;
            if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"{path} never matched:\n{body}");
            await Task.Delay(10);
        }
    }

    private static string Owned(string apiVersion, string kind, string name, JsonObject owner, string rest, string ns = "default")
    {
        var ownerMeta = owner["metadata"]!;
        return $$"""
            {"apiVersion":"{{apiVersion}}","kind":"{{kind}}","metadata":{"name":"{{name}}","namespace":"{{ns}}",
              "ownerReferences":[{"apiVersion":"{{owner["apiVersion"]}}","kind":"{{owner["kind"]}}","name":"{{ownerMeta["name"]}}","uid":"{{ownerMeta["uid"]}}","controller":true}]},
             {{rest}}}
            """;
    }

    [Fact]
    public async Task KubectlGetCompositionsWatch_PrintsTheTreeAgainWhenAPodBecomesReady()
    {
        const string ns = "e2e-watch";
        var store = server.Cluster.Store;
        var deployment = store.Apply($$$"""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"w-app","namespace":"{{{ns}}}"},"spec":{"replicas":1},"status":{"availableReplicas":0}}""");
        var replicaSet = store.Apply(Owned("apps/v1", "ReplicaSet", "w-app-7c9", deployment, """ "spec":{"replicas":1},"status":{"readyReplicas":0}""", ns));
        store.Apply(Owned("v1", "Pod", "w-app-7c9-abcde", replicaSet, """ "status":{"phase":"Running","conditions":[{"type":"Ready","status":"False","reason":"ContainersNotReady"}]}""", ns));
        await WaitFor($"{Api}/namespaces/{ns}/compositions", body => body.Contains("w-app-7c9-abcde"), Stopwatch.StartNew());

        using var kubectl = StreamingKubectl("get", "compositions", "-n", ns, "-w");
        await kubectl.WaitForLine(l => l.Contains("Pod/w-app-7c9-abcde") && l.Contains("False"), TimeSpan.FromSeconds(30));

        var clock = Stopwatch.StartNew();
        store.Apply(Owned("v1", "Pod", "w-app-7c9-abcde", replicaSet, """ "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}""", ns));
        await kubectl.WaitForLine(l => l.Contains("Pod/w-app-7c9-abcde") && l.Contains("True"), Propagation);
        clock.Elapsed.ShouldBeLessThan(Propagation);
    }

    [Fact]
    public async Task WatchOverHttp_SendsModifiedThenDeleted_AndResumesAfterAResourceVersion()
    {
        const string ns = "e2e-watch-http";
        var store = server.Cluster.Store;
        store.Apply("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"e2e-watch-http","labels":{"app":"w"}}}""");
        await WaitFor($"{Api}/namespaces/{ns}/compositions", body => body.Contains("configmap.settings"), Stopwatch.StartNew());
        var list = System.Text.Json.JsonDocument.Parse(await server.GetRaw($"{Api}/namespaces/{ns}/compositions")).RootElement;
        var version = list.GetProperty("metadata").GetProperty("resourceVersion").GetString();

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{server.Url}{Api}/namespaces/{ns}/compositions?watch=true&resourceVersion={version}");
        using var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        store.Apply("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"e2e-watch-http","labels":{"app":"w","tier":"x"}}}""");
        var modified = System.Text.Json.JsonDocument.Parse((await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)))!).RootElement;
        modified.GetProperty("type").GetString().ShouldBe("MODIFIED");
        modified.GetProperty("object").GetProperty("metadata").GetProperty("labels").GetProperty("tier").GetString().ShouldBe("x");

        store.Delete("", "ConfigMap", ns, "settings");
        var deleted = System.Text.Json.JsonDocument.Parse((await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)))!).RootElement;
        deleted.GetProperty("type").GetString().ShouldBe("DELETED");
        deleted.GetProperty("object").GetProperty("metadata").GetProperty("name").GetString().ShouldBe("configmap.settings");

        // A version the change log does not cover is an ERROR event, as from kube-apiserver; one that is no version at all, a 400.
        var stale = await server.Http.GetStringAsync($"{server.Url}{Api}/namespaces/{ns}/compositions?watch=true&resourceVersion=999999999");
        stale.ShouldContain("\"type\":\"ERROR\"");
        stale.ShouldContain("\"code\":410");
        using var garbage = await server.Http.GetAsync($"{server.Url}{Api}/namespaces/{ns}/compositions?watch=true&resourceVersion=not-a-version");
        garbage.StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task WatchOnASubresourcePath_FollowsThatObjectsTree()
    {
        const string ns = "e2e-watch-sub";
        var store = server.Cluster.Store;
        var deployment = store.Apply("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"sub-app","namespace":"e2e-watch-sub"},"spec":{"replicas":1},"status":{"availableReplicas":1}}""");
        var replicaSet = store.Apply(Owned("apps/v1", "ReplicaSet", "sub-app-1", deployment, """ "spec":{"replicas":1},"status":{"readyReplicas":1}""", ns));
        await WaitFor($"{Api}/namespaces/{ns}/deployments/sub-app/compositions", body => body.Contains("sub-app-1"), Stopwatch.StartNew());

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{server.Url}{Api}/namespaces/{ns}/deployments/sub-app/compositions?watch=true");
        using var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var added = System.Text.Json.JsonDocument.Parse((await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)))!).RootElement;
        added.GetProperty("type").GetString().ShouldBe("ADDED");
        added.GetProperty("object").GetProperty("kind").GetString().ShouldBe("Composition");

        store.Apply(Owned("v1", "Pod", "sub-app-1-pod", replicaSet, """ "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}""", ns));
        var modified = System.Text.Json.JsonDocument.Parse((await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)))!).RootElement;
        modified.GetProperty("type").GetString().ShouldBe("MODIFIED");
        modified.GetProperty("object").GetProperty("root").GetProperty("children")[0].GetProperty("children")[0].GetProperty("name").GetString().ShouldBe("sub-app-1-pod");
    }

    private StreamingProcess StreamingKubectl(params string[] args) =>
        new("kubectl", ["--server", server.Url, "--insecure-skip-tls-verify", "--client-certificate", server.Pki.AdminCertFile, "--client-key", server.Pki.AdminKeyFile, .. args]);

    /// <summary>Polls the server until <paramref name="done"/>; fails unless that happened within a second of <paramref name="since"/>.</summary>
    private async Task WaitFor(string path, Func<string, bool> done, Stopwatch since)
    {
        while (true)
        {
            using var response = await server.Http.GetAsync(server.Url + path);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK && done(body)) break;
            if (since.Elapsed > TimeSpan.FromSeconds(10)) throw new TimeoutException($"{path} never showed the change:\n{body}\n{server.Output}");
            await Task.Delay(5);
        }
        since.Elapsed.ShouldBeLessThan(Propagation, $"{path} took {since.ElapsedMilliseconds} ms to show the change");
    }
}

/// <summary>The server before its first sync with the cluster: not ready, and saying so.</summary>
public sealed class UnsyncedLiveClusterTests(UnsyncedLiveClusterServer server) : IClassFixture<UnsyncedLiveClusterServer>
{
    [Fact]
    public async Task BeforeFirstSync_ReadyzAndCompositionsAre503_AndKubectlRetriesUntilTheSync()
    {
        const string path = "/apis/kubediscovery.io/v1/namespaces/default/deployments/nginx/compositions";
        using (var readyz = await server.Http.GetAsync(server.Url + "/readyz"))
        {
            readyz.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        }
        using (var early = await server.Http.GetAsync(server.Url + path))
        {
            early.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            early.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
            var status = JsonNode.Parse(await early.Content.ReadAsStringAsync())!;
            status["kind"]!.GetValue<string>().ShouldBe("Status");
            status["reason"]!.GetValue<string>().ShouldBe("ServiceUnavailable");
            status["code"]!.GetValue<int>().ShouldBe(503);
        }
        using (var livez = await server.Http.GetAsync(server.Url + "/livez"))
        {
            livez.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // kubectl asks now, is told to retry after a second, and gets the answer once the index syncs.
        var refusedBefore = Refusals(server.Output, path);
        var kubectl = server.Kubectl("get", "--raw", path);
        await WaitUntil(() => Refusals(server.Output, path) > refusedBefore, "kubectl to be told 503");
        server.Cluster.Faults.StallLists = false;
        var answer = await kubectl;

        answer.ExitCode.ShouldBe(0, answer.Stderr);
        answer.Stdout.ShouldContain("nginx-66b956cf97");
        using var ready = await server.Http.GetAsync(server.Url + "/readyz");
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    // The server logs each answer at -v 2.
    private static int Refusals(string output, string path) =>
        output.Split('\n').Count(line => line.Contains($"GET {path} answered 503", StringComparison.Ordinal));

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"not true after 60 s: {what}");
            await Task.Delay(10);
        }
    }
}
