using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.Tests.Api.History;

/// <summary>"What changed in this application": an object's tree and connections merged in time order, and the namespace and cluster timelines.</summary>
public sealed class ChangesApiTests : IAsyncLifetime
{
    private const string Shop = HistoryHost.Api + "/namespaces/shop";
    private readonly FakeTimeProvider _time = new();
    private HistoryHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await HistoryHost.StartAsync(_time);
        // The sample cluster was recorded at start; what follows happens two hours later.
        _time.Advance(TimeSpan.FromHours(2));
        await ChangeAsync("pods", "/pods/frontend-5c7d9f8b6d-x7k2p", o => o["metadata"]!["labels"]!["canary"] = "true", "900001");
        await ChangeAsync("configmaps", "/configmaps/shop-config", o => o["data"]!["mode"] = "maintenance", "900002");
        await ChangeAsync("services", "/services/frontend", o => o["metadata"]!["labels"]!["tier"] = "web", "900005");
        await ChangeAsync("deployments", "/deployments/cart", o => o["spec"]!["replicas"] = 9, "900003");
        await ChangeAsync("deployments", "/deployments/frontend", o => o["spec"]!["replicas"] = 4, "900004");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task ChangeAsync(string resource, string path, Action<System.Text.Json.Nodes.JsonObject> change, string resourceVersion)
    {
        var kept = await _host.KeptAsync(Shop + path);
        change(kept);
        _time.Advance(TimeSpan.FromMinutes(1));
        await _host.ChangeAsync(resource, kept, resourceVersion);
    }

    private static List<(string? Name, string? Via)> Items(JsonElement list) =>
        list.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("name").GetString(), i.TryGetProperty("via", out var via) ? via.GetString() : null)).ToList();

    [Fact]
    public async Task AnObjectsChanges_HoldItsTree_InTimeOrder_AndNothingElse()
    {
        var changes = await _host.GetJsonAsync(Shop + "/deployments/frontend/changes?since=1h");

        changes.GetProperty("kind").GetString().ShouldBe("ChangeList");
        // The pod is in the tree, and so is the ConfigMap its template mounts; cart and the Service are not.
        Items(changes).ShouldBe([("frontend-5c7d9f8b6d-x7k2p", "composition"), ("shop-config", "composition"), ("frontend", "self")]);
        var pod = changes.GetProperty("items")[0];
        pod.GetProperty("resource").GetString().ShouldBe("pods");
        pod.GetProperty("changedPaths")[0].GetString().ShouldBe("metadata.labels.canary");
    }

    [Fact]
    public async Task AnObjectsChanges_HoldWhatWasDeletedFromUnderIt_InTheWindow()
    {
        var pod = await _host.KeptAsync(Shop + "/pods/frontend-5c7d9f8b6d-q9w8z");
        _time.Advance(TimeSpan.FromMinutes(1));
        await _host.ChangeAsync("pods", pod, "900010", deleted: true);

        // The Pod is gone from the Deployment's tree, not from its history: the deletion is there, and says so.
        var changes = await _host.GetJsonAsync(Shop + "/deployments/frontend/changes?since=1h");
        Items(changes).ShouldContain(("frontend-5c7d9f8b6d-q9w8z", "departed"));
        changes.GetProperty("items").EnumerateArray().Last(i => i.GetProperty("name").GetString() == "frontend-5c7d9f8b6d-q9w8z")
            .GetProperty("change").GetString().ShouldBe("Deleted");
        // And from its ReplicaSet's, one level down; not from another Deployment's.
        Items(await _host.GetJsonAsync(Shop + "/replicasets/frontend-5c7d9f8b6d/changes?since=1h")).ShouldContain(("frontend-5c7d9f8b6d-q9w8z", "departed"));
        Items(await _host.GetJsonAsync(Shop + "/deployments/cart/changes?since=1h")).ShouldNotContain(i => i.Name == "frontend-5c7d9f8b6d-q9w8z");
    }

    [Fact]
    public async Task AnObjectsChanges_HoldItsDirectConnections()
    {
        var changes = await _host.GetJsonAsync(Shop + "/pods/frontend-5c7d9f8b6d-x7k2p/changes?since=1h");

        // The Service that selects the pod is no part of it, but is connected to it.
        Items(changes).ShouldBe([("frontend-5c7d9f8b6d-x7k2p", "self"), ("shop-config", "connection"), ("frontend", "connection")]);
        changes.GetProperty("items")[2].GetProperty("resource").GetString().ShouldBe("services");
    }

    [Fact]
    public async Task Since_BoundsTheWindow()
    {
        var lastTwoMinutes = await _host.GetJsonAsync(Shop + "/deployments/frontend/changes?since=2m30s");
        Items(lastTwoMinutes).Select(i => i.Name).ShouldBe(["frontend"]);

        var sinceStart = await _host.GetJsonAsync(Shop + "/deployments/frontend/changes?since=3h");
        sinceStart.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("change").GetString() == "Created").ShouldBeGreaterThan(3);
    }

    [Fact]
    public async Task TheNamespaceTimeline_HoldsEveryChangeThere_FilterableByResourceAndName()
    {
        Items(await _host.GetJsonAsync(Shop + "/changes?since=1h")).Select(i => i.Name)
            .ShouldBe(["frontend-5c7d9f8b6d-x7k2p", "shop-config", "frontend", "cart", "frontend"]);
        Items(await _host.GetJsonAsync(Shop + "/changes?since=1h&resource=deploy")).Select(i => i.Name).ShouldBe(["cart", "frontend"]);
        Items(await _host.GetJsonAsync(Shop + "/changes?since=1h&resource=deployments.apps&name=cart")).Select(i => i.Name).ShouldBe(["cart"]);
        (await _host.GetJsonAsync(HistoryHost.Api + "/namespaces/data/changes?since=1h")).GetProperty("items").GetArrayLength().ShouldBe(0);
        (await _host.GetJsonAsync(HistoryHost.Api + "/changes?since=1h")).GetProperty("items").GetArrayLength().ShouldBe(5);
    }

    [Fact]
    public async Task ALimit_PagesTheTimelineOldestFirst_AsOneList()
    {
        var first = await _host.GetJsonAsync(Shop + "/changes?since=1h&limit=2");
        Items(first).Select(i => i.Name).ShouldBe(["frontend-5c7d9f8b6d-x7k2p", "shop-config"]);
        var listedAt = first.GetProperty("metadata").GetProperty("resourceVersion").GetString();

        // Written after the first page: the watch's, not this list's.
        await ChangeAsync("deployments", "/deployments/frontend", o => o["spec"]!["replicas"] = 5, "900010");

        List<string?> rest = [];
        var token = first.GetProperty("metadata").GetProperty("continue").GetString();
        while (token is not null)
        {
            var page = await _host.GetJsonAsync(Shop + "/changes?since=1h&limit=2&continue=" + Uri.EscapeDataString(token));
            page.GetProperty("metadata").GetProperty("resourceVersion").GetString().ShouldBe(listedAt);
            rest.AddRange(Items(page).Select(i => i.Name));
            token = page.GetProperty("metadata").TryGetProperty("continue", out var next) ? next.GetString() : null;
        }
        rest.ShouldBe(["frontend", "cart", "frontend"]);
    }

    [Fact]
    public async Task ExactlyTheLimit_IsNoCut()
    {
        using var response = await _host.Server.Http.GetAsync(_host.Server.Url + Shop + "/changes?since=1h&limit=5");

        Items(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement).Count.ShouldBe(5);
        response.Headers.Contains("Warning").ShouldBeFalse();
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("metadata").TryGetProperty("continue", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task TheManagerFilter_ComesBeforeTheLimit()
    {
        // Older than the five changes of the setup, by another manager.
        var kept = await _host.KeptAsync(Shop + "/services/cart");
        kept["metadata"]!["labels"]!["tier"] = "api";
        kept["metadata"]!["managedFields"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
        {
            ["manager"] = "kubectl-label",
            ["operation"] = "Update",
            ["apiVersion"] = "v1",
            ["time"] = _time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = new System.Text.Json.Nodes.JsonObject { ["f:metadata"] = new System.Text.Json.Nodes.JsonObject { ["f:labels"] = new System.Text.Json.Nodes.JsonObject { ["f:tier"] = new System.Text.Json.Nodes.JsonObject() } } },
        });
        await _host.ChangeAsync("services", kept, "900006");
        await ChangeAsync("deployments", "/deployments/cart", o => o["spec"]!["replicas"] = 2, "900007");

        using var response = await _host.Server.Http.GetAsync(_host.Server.Url + Shop + "/changes?since=1h&manager=kubectl-label&limit=1");

        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Items(body).Select(i => i.Name).ShouldBe(["cart"]);
        body.GetProperty("metadata").TryGetProperty("continue", out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("99999999h")]
    [InlineData("1000-01-01T00:00:00Z")]
    public async Task ASinceBeforeAnythingStored_IsEverything(string since)
    {
        var all = await _host.GetJsonAsync(Shop + "/changes?since=" + since);

        all.GetProperty("items").GetArrayLength().ShouldBeGreaterThan(5);
    }

    [Theory]
    [InlineData("/changes?since=yesterday", "since must be a duration")]
    [InlineData("/changes?limit=0", "limit must be a whole number from 1 to 10000")]
    [InlineData("/changes?resource=widgets", "resource \"widgets\" is not served")]
    [InlineData("/changes?fieldSelector=metadata.name%3Dx", "changes are selected by resource, name, manager and since")]
    [InlineData("/changes?fieldSelector=resource!%3Ddeploy", "changes are selected by resource, name, manager and since")]
    [InlineData("/changes?resource=deploy&fieldSelector=resource%3Dsvc", "resource is asked twice")]
    [InlineData("/changes?labelSelector=app%3Dweb", "changes have no labels")]
    [InlineData("/changes?continue=eyJ2IjoxfQ", "the continue token is not one this server gave")]
    [InlineData("/changes?watch=maybe", "watch must be true or false")]
    public async Task BadQueries_Are400(string query, string message)
    {
        var (status, body, _) = await _host.GetAsync(Shop + query);

        status.ShouldBe(HttpStatusCode.BadRequest, body);
        JsonDocument.Parse(body).RootElement.GetProperty("message").GetString()!.ShouldContain(message);
    }

    [Fact]
    public async Task ASecretsValue_IsInNoAnswer_AndNotInTheDatabaseFile()
    {
        var versions = await _host.GetJsonAsync(HistoryHost.Api + "/namespaces/web/secrets/storefront-token-x2k9p/spechistory");
        // Its keys, and who wrote them as far as managedFields tell (this sample has none): never a value.
        versions.GetProperty("items")[0].GetProperty("object").GetProperty("data").GetProperty("token").GetString().ShouldBe("set");

        await _host.History.Recorder.FlushAsync(default);
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_host.DatabasePath)!))
        {
            var bytes = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file));
            bytes.ShouldNotContain("ZGVtby10b2tlbg=="); // the sample Secret's token, as stored
            bytes.ShouldNotContain("demo-token"); // and decoded
        }
    }
}
