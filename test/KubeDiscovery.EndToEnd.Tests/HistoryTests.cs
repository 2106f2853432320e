using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>
/// History recorded from a live (fake) cluster's watches into SQLite, read with the real kubectl: what is
/// a version and what is not, deletion and re-creation, Secrets without values, per-user filtering.
/// </summary>
public sealed class HistoryTests(HistoryClusterServer server) : IClassFixture<HistoryClusterServer>
{
    private const string Api = "/apis/kubediscovery.io/v1";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    // The times written into objects and audit events: the server reads them as data, never compares them with its clock.
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = new();

    private FakeStore Store => server.Cluster.Store;

    private static JsonObject Deployment(string name, string image, int replicas = 1, string? tier = null, JsonObject? status = null) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = "default",
            ["labels"] = tier is null ? new JsonObject { ["app"] = name } : new JsonObject { ["app"] = name, ["tier"] = tier },
        },
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = image }) } },
        },
        ["status"] = status ?? new JsonObject { ["replicas"] = replicas },
    };

    /// <summary>Polls the server (not kubectl, for speed) until the versions list satisfies <paramref name="done"/>.</summary>
    private async Task<JsonElement> WaitForVersions(string path, Func<List<JsonElement>, bool> done)
    {
        var clock = Stopwatch.StartNew();
        string last = "";
        while (clock.Elapsed < Bound)
        {
            using var response = await server.Http.GetAsync(server.Url + path);
            last = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var body = JsonDocument.Parse(last).RootElement.Clone();
                if (done(body.GetProperty("items").EnumerateArray().ToList())) return body;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"{path} did not get there within {Bound}: {last}");
    }

    [Fact]
    public async Task ADeploymentsLife_IsOneVersionPerMeaningfulChange_ReadWithKubectl()
    {
        const string versions = Api + "/namespaces/default/deployments/hist-web/versions";
        Store.Apply(Deployment("hist-web", "nginx:1.25"));
        await WaitForVersions(versions, v => v.Count == 1);
        Store.Apply(Deployment("hist-web", "nginx:1.27"));
        await WaitForVersions(versions, v => v.Count == 2);
        Store.Apply(Deployment("hist-web", "nginx:1.27", tier: "front"));
        await WaitForVersions(versions, v => v.Count == 3);
        Store.Apply(Deployment("hist-web", "nginx:1.27", replicas: 3, tier: "front"));
        await WaitForVersions(versions, v => v.Count == 4);
        // A status-only update is no version; the annotation after it is (and proves the first was seen).
        Store.Apply(Deployment("hist-web", "nginx:1.27", replicas: 3, tier: "front", status: new JsonObject { ["replicas"] = 3, ["readyReplicas"] = 3 }));
        var annotated = Deployment("hist-web", "nginx:1.27", replicas: 3, tier: "front", status: new JsonObject { ["replicas"] = 3, ["readyReplicas"] = 3 });
        annotated["metadata"]!["annotations"] = new JsonObject { ["team"] = "shop" };
        Store.Apply(annotated);
        await WaitForVersions(versions, v => v.Count == 5);

        var answer = JsonDocument.Parse(await server.GetRaw(versions)).RootElement;
        var items = answer.GetProperty("items").EnumerateArray().ToList();
        items.Select(i => i.GetProperty("number").GetInt64()).ShouldBe([5L, 4L, 3L, 2L, 1L]);
        items.Select(i => string.Join(",", i.GetProperty("changedPaths").EnumerateArray().Select(p => p.GetString())))
            .ShouldBe(["metadata.annotations", "spec.replicas", "metadata.labels.tier", "spec.template.spec.containers[0].image", ""]);

        var patch = JsonDocument.Parse(await server.GetRaw(Api + "/namespaces/default/deployments/hist-web/diff?start=1&end=2")).RootElement;
        patch.EnumerateArray().Single().GetProperty("value").GetString().ShouldBe("nginx:1.27");
        var text = await server.GetRaw(Api + "/namespaces/default/deploy/hist-web/diff?start=1&end=4&format=text");
        text.ShouldContain("-        image: nginx:1.25\n+        image: nginx:1.27\n");
        text.ShouldContain("-  replicas: 1\n+  replicas: 3\n");
    }

    [Fact]
    public async Task ADeletedAndRecreatedObject_KeepsBothLives()
    {
        const string versions = Api + "/namespaces/default/deployments/hist-again/versions";
        Store.Apply(Deployment("hist-again", "redis:7"));
        var first = (await WaitForVersions(versions, v => v.Count == 1)).GetProperty("object").GetProperty("uid").GetString();
        Store.Delete("apps", "Deployment", "default", "hist-again").ShouldBeTrue();
        await WaitForVersions(versions, v => v.Count == 2 && v[0].GetProperty("change").GetString() == "Deleted");
        Store.Apply(Deployment("hist-again", "redis:8"));
        var now = await WaitForVersions(versions, v => v.Count == 1);

        now.GetProperty("object").GetProperty("uid").GetString().ShouldNotBe(first);
        var earlier = JsonDocument.Parse(await server.GetRaw($"{versions}?uid={first}")).RootElement;
        earlier.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("change").GetString()).ShouldBe(["Deleted", "Created"]);
    }

    [Fact]
    public async Task ASecret_IsRecordedByItsKeys_AndItsValuesNeverReachTheDatabaseFile()
    {
        const string value = "aHVudGVyMi1zZWNyZXQtdmFsdWU="; // hunter2-secret-value
        JsonObject Secret(string password, string manager) => new()
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject
            {
                ["name"] = "hist-db",
                ["namespace"] = "default",
                ["managedFields"] = new JsonArray(new JsonObject
                {
                    ["manager"] = manager,
                    ["operation"] = "Update",
                    ["apiVersion"] = "v1",
                    ["time"] = _time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                    ["fieldsType"] = "FieldsV1",
                    ["fieldsV1"] = new JsonObject { ["f:data"] = new JsonObject { ["f:password"] = new JsonObject() } },
                }),
            },
            ["type"] = "Opaque",
            ["data"] = new JsonObject { ["password"] = password },
        };
        const string versions = Api + "/namespaces/default/secrets/hist-db/versions";
        Store.Apply(Secret(value, "kubectl-create"));
        await WaitForVersions(versions, v => v.Count == 1);
        Store.Apply(Secret(value + "Zm9v", "kubectl-edit"));
        var answer = await WaitForVersions(versions, v => v.Count == 2);

        answer.GetProperty("items")[0].GetProperty("changedPaths")[0].GetString().ShouldBe("data.password (written)");
        (await server.GetRaw(Api + "/namespaces/default/secrets/hist-db/spechistory")).ShouldNotContain(value);
        foreach (var file in Directory.GetFiles(server.HistoryDirectory))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            var bytes = await reader.ReadToEndAsync();
            bytes.ShouldNotContain(value);
            bytes.ShouldNotContain("hunter2");
        }
    }

    [Fact]
    public async Task Changes_HoldOnlyWhatTheUserMayRead()
    {
        var user = $"carol-{Guid.NewGuid():N}"[..14];
        server.Cluster.Reviews.Allow(user, ["list"], ["kubediscovery.io"], ["changes"], "default");
        server.Cluster.Reviews.Allow(user, ["get", "list"], ["apps"], ["deployments"], "default");
        Store.Apply(Deployment("hist-visible", "busybox:1"));
        Store.Apply(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "hist-hidden", ["namespace"] = "default" },
            ["data"] = new JsonObject { ["k"] = "v" },
        });
        await WaitForVersions(Api + "/namespaces/default/configmaps/hist-hidden/versions", v => v.Count == 1);
        await WaitForVersions(Api + "/namespaces/default/deployments/hist-visible/versions", v => v.Count == 1);

        using var client = ClusterPki.Client(server.Pki.FrontProxy);
        using var request = new HttpRequestMessage(HttpMethod.Get, server.Url + Api + "/namespaces/default/changes?since=10m");
        request.Headers.Add("X-Remote-User", user);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        var names = JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray()
            .Where(i => i.TryGetProperty("name", out _)).Select(i => i.GetProperty("name").GetString()).ToList();
        names.ShouldContain("hist-visible");
        names.ShouldNotContain("hist-hidden");
        (await server.GetRaw(Api + "/namespaces/default/changes?since=10m")).ShouldContain("hist-hidden"); // the admin sees it

        using var forbidden = new HttpRequestMessage(HttpMethod.Get, server.Url + Api + "/namespaces/default/configmaps/hist-hidden/versions");
        forbidden.Headers.Add("X-Remote-User", user);
        (await client.SendAsync(forbidden)).StatusCode.ShouldBe(HttpStatusCode.Forbidden); // no get on configmaps/versions
    }

    [Fact]
    public async Task Changes_ApplyTheLimitAfterRbac_SoNeitherItemsNorItsWarningSayAnythingOfHiddenChanges()
    {
        var user = $"vera-{Guid.NewGuid():N}"[..13];
        server.Cluster.Reviews.Allow(user, ["list"], ["kubediscovery.io"], ["changes"], "default");
        server.Cluster.Reviews.Allow(user, ["get", "list"], ["apps"], ["deployments"], "default");
        foreach (var name in new[] { "hist-sec-a", "hist-sec-b" })
        {
            Store.Apply(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Secret",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
                ["data"] = new JsonObject { ["k"] = "dg==" },
            });
            await WaitForVersions(Api + $"/namespaces/default/secrets/{name}/versions", v => v.Count == 1);
        }
        Store.Apply(Deployment("hist-limit", "busybox:1"));
        await WaitForVersions(Api + "/namespaces/default/deployments/hist-limit/versions", v => v.Count == 1);

        async Task<(HttpStatusCode Status, List<string?> Names, string? Warning, bool Continues)> AsUser(string query)
        {
            using var client = ClusterPki.Client(server.Pki.FrontProxy);
            using var request = new HttpRequestMessage(HttpMethod.Get, server.Url + Api + "/namespaces/default/changes?" + query);
            request.Headers.Add("X-Remote-User", user);
            using var response = await client.SendAsync(request);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            var names = response.StatusCode == HttpStatusCode.OK
                ? body.GetProperty("items").EnumerateArray().Where(i => i.TryGetProperty("name", out _)).Select(i => i.GetProperty("name").GetString()).ToList()
                : [];
            return (response.StatusCode, names, response.Headers.TryGetValues("Warning", out var w) ? w.Single() : null,
                response.StatusCode == HttpStatusCode.OK && body.GetProperty("metadata").TryGetProperty("continue", out _));
        }

        // A Secret she may not read: the same empty answer, and no Warning, whether it exists or not.
        var secret = await AsUser("since=1h&resource=secrets&name=hist-sec-a&limit=1");
        var none = await AsUser("since=1h&resource=secrets&name=nosuch&limit=1");
        foreach (var answer in new[] { secret, none })
        {
            answer.Status.ShouldBe(HttpStatusCode.OK);
            answer.Names.ShouldBeEmpty();
            answer.Warning.ShouldBeNull();
            answer.Continues.ShouldBeFalse(); // a next page would say a hidden change exists
        }
        // Her own Deployment is not pushed out by newer hidden changes: limit 1 finds it.
        var mine = await AsUser("since=1h&resource=deployments&name=hist-limit&limit=1");
        mine.Names.ShouldBe(["hist-limit"]);
        mine.Warning.ShouldBeNull();
        mine.Continues.ShouldBeFalse(); // exactly the limit is no cut
        (await AsUser("since=99999999h&name=hist-limit")).Status.ShouldBe(HttpStatusCode.OK); // before anything stored: everything
    }

    [Fact]
    public async Task TheAuditWebhook_TakesEventsOnlyFromAUserAllowedToCreateThem_AndVersionsThenNameTheWriter()
    {
        const string versions = Api + "/namespaces/default/deployments/hist-audited/versions";
        var created = Store.Apply(Deployment("hist-audited", "nginx:1.25"));
        var recorded = await WaitForVersions(versions, v => v.Count == 1);
        // The event is dated as kube-apiserver dates it: when the write happened, which is when it was seen.
        var writtenAt = recorded.GetProperty("items")[0].GetProperty("time").GetString()!;
        var uid = created["metadata"]!["uid"]!.GetValue<string>();
        var rv = created["metadata"]!["resourceVersion"]!.GetValue<string>();
        // As kube-apiserver 1.19's webhook backend posts a batch: an EventList of ResponseComplete events.
        var batch = new JsonObject
        {
            ["kind"] = "EventList",
            ["apiVersion"] = "audit.k8s.io/v1",
            ["metadata"] = new JsonObject(),
            ["items"] = new JsonArray(new JsonObject
            {
                ["level"] = "RequestResponse",
                ["auditID"] = Guid.NewGuid().ToString(),
                ["stage"] = "ResponseComplete",
                ["requestURI"] = "/apis/apps/v1/namespaces/default/deployments",
                ["verb"] = "create",
                ["user"] = new JsonObject { ["username"] = "dana@example.com", ["groups"] = new JsonArray("system:authenticated") },
                ["userAgent"] = "kubectl/v1.19.16 (linux/amd64) kubernetes/e37e4ab",
                ["objectRef"] = new JsonObject { ["resource"] = "deployments", ["namespace"] = "default", ["name"] = "hist-audited", ["apiGroup"] = "apps", ["apiVersion"] = "v1" },
                ["responseStatus"] = new JsonObject { ["metadata"] = new JsonObject(), ["code"] = 201 },
                ["responseObject"] = new JsonObject { ["kind"] = "Deployment", ["apiVersion"] = "apps/v1", ["metadata"] = new JsonObject { ["uid"] = uid, ["resourceVersion"] = rv } },
                ["stageTimestamp"] = writtenAt,
            }),
        }.ToJsonString();

        // Only the webhook's user is bound to kubediscovery-audit-writer; anyone else is refused.
        var name = $"kube-apiserver-audit-{Guid.NewGuid():N}"[..28];
        server.Cluster.Reviews.Allow(name, ["create"], ["kubediscovery.io"], ["auditevents"]);
        using (var stranger = ClusterPki.Client(TestPki.SystemClock.Issue(server.Pki.ClientCa, $"mallory-{Guid.NewGuid():N}"[..16])))
        using (var refused = await stranger.PostAsync(server.Url + Api + "/auditevents", new StringContent(batch, Encoding.UTF8, "application/json")))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }
        using (var webhook = ClusterPki.Client(TestPki.SystemClock.Issue(server.Pki.ClientCa, name)))
        using (var accepted = await webhook.PostAsync(server.Url + Api + "/auditevents", new StringContent(batch, Encoding.UTF8, "application/json")))
        {
            accepted.StatusCode.ShouldBe(HttpStatusCode.OK, await accepted.Content.ReadAsStringAsync());
        }

        var answer = JsonDocument.Parse(await server.GetRaw(versions)).RootElement;
        answer.GetProperty("items")[0].GetProperty("user").GetString().ShouldBe("dana@example.com");
    }
}
