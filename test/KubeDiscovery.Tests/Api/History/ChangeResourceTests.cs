using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.Tests.Api.History;

/// <summary>
/// <c>changes</c> as kubectl uses a resource: each item a <c>Change</c> with its own metadata, a Table with
/// TIME, OBJECT, CHANGE, WHO and PATHS, a field selector for what kubectl cannot pass otherwise, and
/// <c>-w</c> streaming each new change after the list it watches from.
/// </summary>
public sealed class ChangeResourceTests : IAsyncLifetime
{
    private const string Shop = HistoryHost.Api + "/namespaces/shop";
    private const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
    private readonly FakeTimeProvider _time = new();
    private HistoryHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await HistoryHost.StartAsync(_time);
        _time.Advance(TimeSpan.FromHours(2));
        await ScaleAsync("cart", 9, "900001");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task ScaleAsync(string deployment, int replicas, string resourceVersion)
    {
        var kept = await _host.KeptAsync(Shop + "/deployments/" + deployment);
        kept["spec"]!["replicas"] = replicas;
        kept["metadata"]!["managedFields"] = new JsonArray(new JsonObject
        {
            ["manager"] = "kubectl-scale",
            ["operation"] = "Update",
            ["apiVersion"] = "apps/v1",
            ["time"] = _time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        });
        _time.Advance(TimeSpan.FromMinutes(1));
        await _host.ChangeAsync("deployments", kept, resourceVersion);
    }

    private async Task<JsonElement> TableAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _host.Server.Url + path);
        request.Headers.TryAddWithoutValidation("Accept", TableAccept);
        using var response = await _host.Server.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task EachItem_IsAChange_WithItsOwnMetadata_AsKubectlListsThem()
    {
        var list = await _host.GetJsonAsync(Shop + "/changes?since=1h");

        list.GetProperty("kind").GetString().ShouldBe("ChangeList");
        list.GetProperty("metadata").GetProperty("resourceVersion").GetString().ShouldNotBeNullOrEmpty();
        var change = list.GetProperty("items").EnumerateArray().Single();
        change.GetProperty("apiVersion").GetString().ShouldBe("kubediscovery.io/v1");
        change.GetProperty("kind").GetString().ShouldBe("Change");
        var metadata = change.GetProperty("metadata");
        metadata.GetProperty("name").GetString().ShouldStartWith("cart.2.");
        metadata.GetProperty("namespace").GetString().ShouldBe("shop");
        metadata.GetProperty("creationTimestamp").GetString().ShouldBe(change.GetProperty("time").GetString()![..19] + "Z");
        change.GetProperty("name").GetString().ShouldBe("cart"); // the object's own fields stay where they were
        change.GetProperty("objectKind").GetString().ShouldBe("Deployment");
        list.GetRawText().Split("\"kind\"").Length.ShouldBe(3); // the list's and the one Change's: no property twice
    }

    [Fact]
    public async Task TheTable_SaysWhenWhatAndWhoChangedWhichFields()
    {
        var table = await TableAsync(Shop + "/changes?limit=500");

        table.GetProperty("columnDefinitions").EnumerateArray().Where(c => c.GetProperty("priority").GetInt32() == 0)
            .Select(c => c.GetProperty("name").GetString()).ShouldBe(["Time", "Object", "Change", "Who", "Paths"]);
        var cells = table.GetProperty("rows").EnumerateArray().Single().GetProperty("cells").EnumerateArray().Select(c => c.GetString()).ToList();
        cells[1..5].ShouldBe(["Deployment/cart", "Updated", "kubectl-scale", "spec.replicas"]);
        DateTimeOffset.Parse(cells[0]!, System.Globalization.CultureInfo.InvariantCulture).ShouldBe(_time.GetUtcNow(), TimeSpan.FromSeconds(1)); // when it was observed
        var row = table.GetProperty("rows")[0].GetProperty("object").GetProperty("metadata");
        row.GetProperty("namespace").GetString().ShouldBe("shop"); // kubectl -A prints it
    }

    [Fact]
    public async Task AFieldSelector_NarrowsTheList_AsQueryParametersDo()
    {
        await ScaleAsync("frontend", 4, "900002");

        var deployments = await _host.GetJsonAsync(Shop + "/changes?fieldSelector=" + Uri.EscapeDataString("resource=deploy,name=frontend,since=2h"));
        deployments.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()).ShouldBe(["frontend"]);
        var none = await _host.GetJsonAsync(Shop + "/changes?fieldSelector=manager%3Dkubectl-edit");
        none.GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task AWatch_FromTheListsVersion_StreamsEachNewChange_AndNothingBefore()
    {
        var list = await _host.GetJsonAsync(Shop + "/changes");
        var version = list.GetProperty("metadata").GetProperty("resourceVersion").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Get, _host.Server.Url + Shop + "/changes?watch=true&resourceVersion=" + version);
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(TableAccept.Split(',')[0]));
        using var response = await _host.Server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var events = new StreamReader(await response.Content.ReadAsStreamAsync());
        var next = events.ReadLineAsync();

        await ScaleAsync("frontend", 4, "900002");

        var line = JsonDocument.Parse((await next.WaitAsync(TimeSpan.FromSeconds(30)))!).RootElement;
        line.GetProperty("type").GetString().ShouldBe("ADDED");
        var cells = line.GetProperty("object").GetProperty("rows")[0].GetProperty("cells");
        (cells[1].GetString(), cells[4].GetString()).ShouldBe(("Deployment/frontend", "spec.replicas"));

        // A change in another namespace is not this watch's.
        var dataNext = events.ReadLineAsync();
        var kept = await _host.KeptAsync(HistoryHost.Api + "/namespaces/data/statefulsets/redis");
        kept["spec"]!["replicas"] = 3;
        await _host.ChangeAsync("statefulsets", kept, "900003");
        await ScaleAsync("cart", 2, "900004");
        var after = JsonDocument.Parse((await dataNext.WaitAsync(TimeSpan.FromSeconds(30)))!).RootElement;
        after.GetProperty("object").GetProperty("rows")[0].GetProperty("cells")[1].GetString().ShouldBe("Deployment/cart");
    }

    [Fact]
    public async Task AWatchFromAVersionThisHistoryNeverGave_IsTold410()
    {
        using var response = await _host.Server.Http.GetAsync(_host.Server.Url + Shop + "/changes?watch=1&resourceVersion=99999999", HttpCompletionOption.ResponseHeadersRead);
        using var events = new StreamReader(await response.Content.ReadAsStreamAsync());

        var line = JsonDocument.Parse((await events.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)))!).RootElement;
        line.GetProperty("type").GetString().ShouldBe("ERROR");
        line.GetProperty("object").GetProperty("code").GetInt32().ShouldBe(410);
    }
}
