using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Tests.Api.History;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.Tests.Api.Applications;

/// <summary>
/// <c>appinstances</c> on the sample cluster with history recorded: the watch that sends a row when an
/// application's health moves, its changes (what left it included), and the errors kubectl users meet.
/// </summary>
public sealed class ApplicationsApiTests : IAsyncLifetime
{
    private const string Store = HistoryHost.Api + "/namespaces/store/appinstances";
    private const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io";
    private readonly FakeTimeProvider _time = new();
    private HistoryHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await HistoryHost.StartAsync(_time);
        _time.Advance(TimeSpan.FromHours(2));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private ClusterCache Cache => _host.Server.App.Services.GetRequiredService<ClusterCache>();

    private ObjectRecord Find(string group, string plural, string name) => Cache.Index.Find(new GroupResource(group, plural), "store", name)!;

    // The sample's ImagePullBackOff Pod, its image pulled at last: Ready.
    private JsonObject PulledPod() => ReadyPod(Find("", "pods", "checkout-7d4b9c6f58-9vd7m"), Find("apps", "replicasets", "checkout-7d4b9c6f58"),
        new JsonObject { ["app.kubernetes.io/name"] = "checkout", ["app.kubernetes.io/instance"] = "checkout" });

    // A Pod as its kubelet reports it once it is ready, under its ReplicaSet.
    private static JsonObject ReadyPod(ObjectRecord pod, ObjectRecord owner, JsonObject? labels = null) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject
        {
            ["name"] = pod.Name,
            ["namespace"] = pod.Namespace,
            ["uid"] = pod.Uid,
            ["creationTimestamp"] = "2026-11-25T09:00:00Z",
            ["labels"] = labels ?? new JsonObject(),
            ["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet", ["name"] = owner.Name, ["uid"] = owner.Uid, ["controller"] = true }),
        },
        ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = "registry.example.com/store/checkout:2.1.0" }) },
        ["status"] = new JsonObject
        {
            ["phase"] = "Running",
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
        },
    };

    [Fact]
    public async Task AWatch_SendsARow_WhenAnApplicationBecomesReady_AndNothingForChangesItDoesNotShow()
    {
        // A watch from now: every application as ADDED first, then only what changes.
        using var request = new HttpRequestMessage(HttpMethod.Get, _host.Server.Url + Store + "?watch=true");
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(TableAccept));
        using var response = await _host.Server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var events = new StreamReader(await response.Content.ReadAsStreamAsync());
        async Task<(string Type, JsonElement Cells)> NextAsync()
        {
            var line = JsonDocument.Parse((await events.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)))!).RootElement;
            return (line.GetProperty("type").GetString()!, line.GetProperty("object").GetProperty("rows")[0].GetProperty("cells").Clone());
        }
        var added = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (type, cells) = await NextAsync();
            type.ShouldBe("ADDED");
            added.Add(cells[0].GetString()!);
        }
        added.ShouldBe(["helm.checkout", "instance.payments", "part-of.store"], ignoreOrder: true);

        // As the controllers follow: the Pod is ready, then its ReplicaSet, then the Deployment is available.
        await _host.ChangeAsync("pods", PulledPod(), "900001");
        var replicaSet = await _host.KeptAsync(HistoryHost.Api + "/namespaces/store/replicasets/checkout-7d4b9c6f58");
        replicaSet["status"] = new JsonObject { ["replicas"] = 2, ["readyReplicas"] = 2, ["availableReplicas"] = 2 };
        await _host.ChangeAsync("replicasets", replicaSet, "900002");
        var deployment = await _host.KeptAsync(HistoryHost.Api + "/namespaces/store/deployments/checkout");
        deployment["status"] = new JsonObject
        {
            ["availableReplicas"] = 2,
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Available", ["status"] = "True", ["reason"] = "MinimumReplicasAvailable" }),
        };
        await _host.ChangeAsync("deployments", deployment, "900003");

        var rows = new Dictionary<string, JsonElement>();
        bool Shows(string app, string ready) => rows.TryGetValue(app, out var row) && row[2].GetString() == ready;
        while (!Shows("helm.checkout", "1/1") || !Shows("part-of.store", "1/2"))
        {
            var (type, cells) = await NextAsync();
            type.ShouldBe("MODIFIED");
            rows[cells[0].GetString()!] = cells;
        }
        (rows["helm.checkout"][2].GetString(), rows["helm.checkout"][3].GetString(), rows["helm.checkout"][8].GetString()).ShouldBe(("1/1", "Ready", ""));
        // The group still waits for payments.
        (rows["part-of.store"][2].GetString(), rows["part-of.store"][3].GetString()).ShouldBe(("1/2", "instance.payments: MinimumReplicasUnavailable"));
        rows.Keys.ShouldNotContain("instance.payments"); // rebuilt with its parent, but nothing it shows moved: no event
    }

    [Fact]
    public async Task AListAskedAgain_ShowsWhatChangedSince_InTheApplicationItChanged()
    {
        // The second list is answered from what the first kept, except for what changed in between.
        static Dictionary<string, JsonElement> Statuses(JsonElement list) => list.GetProperty("items").EnumerateArray()
            .ToDictionary(i => i.GetProperty("metadata").GetProperty("name").GetString()!, i => i.GetProperty("status").Clone());
        var before = Statuses(await _host.GetJsonAsync(HistoryHost.Api + "/appinstances"));
        var podinfo = Cache.Index.Find(new GroupResource("", "pods"), "podinfo", "podinfo-6d8c9f7b5c-x2v9c")!;
        var sibling = Cache.Index.Find(new GroupResource("", "pods"), "podinfo", "podinfo-6d8c9f7b5c-k7m3p")!;
        var owner = Cache.Index.Find(new GroupResource("apps", "replicasets"), "podinfo", "podinfo-6d8c9f7b5c")!;
        _time.Advance(TimeSpan.FromMinutes(5));
        await _host.ChangeAsync("pods", ReadyPod(podinfo, owner), "900010");
        await _host.ChangeAsync("pods", ReadyPod(sibling, owner), "900011", deleted: true);
        var after = Statuses(await _host.GetJsonAsync(HistoryHost.Api + "/appinstances"));

        after["helmrelease.podinfo"].GetProperty("objects").GetInt32().ShouldBe(before["helmrelease.podinfo"].GetProperty("objects").GetInt32() - 1);
        var changed = after["helmrelease.podinfo"].GetProperty("lastChange").GetDateTimeOffset();
        changed.ShouldBeGreaterThan(_time.GetUtcNow() - TimeSpan.FromMinutes(1));
        before["helmrelease.podinfo"].TryGetProperty("lastChange", out var earlier).ShouldBe(earlier.ValueKind == JsonValueKind.String && earlier.GetDateTimeOffset() < changed);
        after["argocd.guestbook"].GetRawText().ShouldBe(before["argocd.guestbook"].GetRawText());
    }

    [Fact]
    public async Task AnApplicationsChanges_HoldWhatLeftIt_InTheWindow()
    {
        var pod = Find("", "pods", "checkout-7d4b9c6f58-5k2xq");
        var gone = PulledPod();
        gone["metadata"]!["name"] = pod.Name;
        gone["metadata"]!["uid"] = pod.Uid;
        await _host.ChangeAsync("pods", gone, "900002", deleted: true);

        var changes = await _host.GetJsonAsync(Store + "/helm.checkout/changes?since=1h");

        changes.GetProperty("application").GetProperty("name").GetString().ShouldBe("helm.checkout");
        var item = changes.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        (item.GetProperty("name").GetString(), item.GetProperty("change").GetString(), item.GetProperty("via").GetString()).ShouldBe((pod.Name, "Deleted", "departed"));
    }

    [Fact]
    public async Task LastChange_ComesFromHistory()
    {
        await _host.ChangeAsync("pods", PulledPod(), "900003");
        var list = await _host.GetJsonAsync(Store);
        var checkout = list.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("metadata").GetProperty("name").GetString() == "helm.checkout");
        DateTimeOffset.Parse(checkout.GetProperty("status").GetProperty("lastChange").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            .ShouldBe(_time.GetUtcNow(), TimeSpan.FromSeconds(1));
        // Nothing of payments changed since the sample was recorded, two hours ago.
        DateTimeOffset.Parse(list.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("metadata").GetProperty("name").GetString() == "instance.payments")
            .GetProperty("status").GetProperty("lastChange").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ShouldBe(_time.GetUtcNow() - TimeSpan.FromHours(2), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task AnApplication_DrawsAsItsMembersTrees()
    {
        var (status, tree, type) = await _host.GetAsync(Store + "/helm.checkout?format=tree");
        status.ShouldBe(HttpStatusCode.OK, tree);
        type.ShouldBe("text/plain");
        tree.ShouldContain("ConfigMap/checkout-config");
        tree.ShouldContain("Deployment/checkout");
        tree.ShouldContain("└─ReplicaSet/checkout-7d4b9c6f58");
        tree.ShouldContain("Service/checkout");
        var (_, dot, dotType) = await _host.GetAsync(Store + "/helm.checkout?format=dot");
        dotType.ShouldBe("text/vnd.graphviz");
        dot.ShouldStartWith("digraph");
    }

    [Theory]
    [InlineData("?fieldSelector=spec.replicas=1", "field label not supported: spec.replicas")]
    [InlineData("?labelSelector=a%20in", "")]
    [InlineData("/helm.checkout?watch=true", "watch a single application on the list")]
    [InlineData("/helm.checkout/changes?since=yesterday", "since")]
    [InlineData("/helm.checkout?format=svg", "unknown format")]
    public async Task BadRequests_AreA400StatusThatSaysWhy(string path, string says)
    {
        var (status, body, _) = await _host.GetAsync(Store + path);
        status.ShouldBe(HttpStatusCode.BadRequest, body);
        var error = JsonDocument.Parse(body).RootElement;
        error.GetProperty("kind").GetString().ShouldBe("Status");
        error.GetProperty("message").GetString()!.ShouldContain(says);
    }

    [Fact]
    public async Task AnUnknownApplication_IsA404StatusNamingTheResource()
    {
        var (status, body, _) = await _host.GetAsync(Store + "/helm.nothing/connections");
        status.ShouldBe(HttpStatusCode.NotFound, body);
        JsonDocument.Parse(body).RootElement.GetProperty("message").GetString().ShouldBe("appinstances.kubediscovery.io \"helm.nothing\" not found");
    }
}
