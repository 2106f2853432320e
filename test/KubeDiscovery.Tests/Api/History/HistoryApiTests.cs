using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.Tests.Api.History;

/// <summary>An object's history through the HTTP API: versions, spechistory, diff and bisect, and their errors.</summary>
public sealed class HistoryApiTests : IAsyncLifetime
{
    private const string Frontend = HistoryHost.Api + "/namespaces/shop/deployments/frontend";
    private readonly FakeTimeProvider _time = new();
    private HistoryHost _host = null!;

    public async Task InitializeAsync() => _host = await HistoryHost.StartAsync(_time);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>frontend, then its image changed (version 2), then scaled (version 3).</summary>
    private async Task ImageChangeThenScaleAsync()
    {
        var kept = await _host.KeptAsync(Frontend);
        _time.Advance(TimeSpan.FromMinutes(5));
        kept["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "ghcr.io/acme/frontend:2.5.0";
        await _host.ChangeAsync("deployments", kept, "50001");
        _time.Advance(TimeSpan.FromMinutes(5));
        kept["spec"]!["replicas"] = 5;
        await _host.ChangeAsync("deployments", kept, "50002");
    }

    [Fact]
    public async Task Versions_AreNewestFirst_WithWhatChangedInEach()
    {
        await ImageChangeThenScaleAsync();

        var answer = await _host.GetJsonAsync(Frontend + "/versions");

        answer.GetProperty("kind").GetString().ShouldBe("VersionList");
        answer.GetProperty("object").GetProperty("uid").GetString().ShouldBe("db4c4004-cca5-5fa2-99a1-5156406afa8b");
        var items = answer.GetProperty("items").EnumerateArray().ToList();
        items.Select(i => i.GetProperty("number").GetInt64()).ShouldBe([3L, 2L, 1L]);
        items.Select(i => i.GetProperty("change").GetString()).ShouldBe(["Updated", "Updated", "Created"]);
        items[0].GetProperty("changedPaths").EnumerateArray().Select(p => p.GetString()).ShouldBe(["spec.replicas"]);
        items[1].GetProperty("changedPaths").EnumerateArray().Select(p => p.GetString()).ShouldBe(["spec.template.spec.containers[0].image"]);
        items[2].GetProperty("observedLate").GetBoolean().ShouldBeTrue(); // read from the snapshot, not seen happening
        items[0].GetProperty("resourceVersion").GetString().ShouldBe("50002");
    }

    [Fact]
    public async Task Diff_IsAJsonPatch_OrAUnifiedYamlDiff_OfTheWholeObjectOrOneField()
    {
        await ImageChangeThenScaleAsync();

        var patch = await _host.GetJsonAsync(Frontend + "/diff?start=1&end=3");
        patch.EnumerateArray().Select(op => (op.GetProperty("op").GetString(), op.GetProperty("path").GetString(), op.GetProperty("value").ToString()))
            .ShouldBe([("replace", "/spec/replicas", "5"), ("replace", "/spec/template/spec/containers/0/image", "ghcr.io/acme/frontend:2.5.0")], ignoreOrder: true);

        var field = await _host.GetJsonAsync(Frontend + "/diff?start=1&end=3&field=spec.replicas");
        field.EnumerateArray().Single().GetProperty("path").GetString().ShouldBe("/spec/replicas");

        var (status, text, type) = await _host.GetAsync(Frontend + "/diff?start=1&end=2&format=text");
        status.ShouldBe(HttpStatusCode.OK, text);
        type.ShouldBe("text/plain");
        text.ShouldStartWith("--- deployments/frontend version 1\n+++ deployments/frontend version 2\n@@ ");
        text.ShouldContain("\n-        image: ghcr.io/acme/frontend:2.4.1\n+        image: ghcr.io/acme/frontend:2.5.0\n");
        text.ShouldNotContain("replicas: 5");
    }

    [Fact]
    public async Task Diff_WithoutStart_ComparesTheNewestWithTheOneBefore()
    {
        await ImageChangeThenScaleAsync();

        var patch = await _host.GetJsonAsync(Frontend + "/diff");

        patch.EnumerateArray().Single().GetProperty("path").GetString().ShouldBe("/spec/replicas");
    }

    [Fact]
    public async Task Bisect_FindsTheFirstVersionWhereEveryFieldHasItsValue()
    {
        await ImageChangeThenScaleAsync();

        var found = await _host.GetJsonAsync(Frontend + "/bisect?field1=spec.template.spec.containers[0].image&value1=ghcr.io/acme/frontend:2.5.0");
        found.GetProperty("version").GetProperty("number").GetInt64().ShouldBe(2);
        var both = await _host.GetJsonAsync(Frontend + "/bisect?field1=/spec/replicas&value1=5&field2=metadata.name&value2=frontend");
        both.GetProperty("version").GetProperty("number").GetInt64().ShouldBe(3);
        both.GetProperty("object").GetProperty("spec").GetProperty("replicas").GetInt32().ShouldBe(5);

        var (status, body, _) = await _host.GetAsync(Frontend + "/bisect?field1=spec.replicas&value1=42");
        status.ShouldBe(HttpStatusCode.NotFound);
        body.ShouldContain("no kept version has spec.replicas=42");
    }

    [Fact]
    public async Task SpecHistory_HoldsTheObjectAtEachVersion_WithoutStatus()
    {
        await ImageChangeThenScaleAsync();

        var items = (await _host.GetJsonAsync(Frontend + "/spechistory")).GetProperty("items").EnumerateArray().ToList();

        items.Select(i => i.GetProperty("object").GetProperty("spec").GetProperty("replicas").GetInt32()).ShouldBe([5, 3, 3]);
        items.Count(i => i.GetProperty("object").TryGetProperty("status", out var status)).ShouldBe(0);
    }

    [Fact]
    public async Task ADeletedObject_StaysAnswerableByName_AndARecreatedOneKeepsItsEarlierLife()
    {
        var kept = await _host.KeptAsync(Frontend);
        await _host.ChangeAsync("deployments", kept, "50010", deleted: true);
        var reborn = JsonNode.Parse(kept.ToJsonString())!.AsObject();
        reborn["metadata"]!["uid"] = "11111111-2222-4333-8444-555555555555";
        _time.Advance(TimeSpan.FromMinutes(1));
        await _host.ChangeAsync("deployments", reborn, "50011");

        var now = await _host.GetJsonAsync(Frontend + "/versions");
        now.GetProperty("object").GetProperty("uid").GetString().ShouldBe("11111111-2222-4333-8444-555555555555");
        now.GetProperty("object").GetProperty("incarnations").GetArrayLength().ShouldBe(2);
        var before = await _host.GetJsonAsync(Frontend + "/versions?uid=db4c4004-cca5-5fa2-99a1-5156406afa8b");
        before.GetProperty("object").GetProperty("deleted").GetBoolean().ShouldBeTrue();
        before.GetProperty("items")[0].GetProperty("change").GetString().ShouldBe("Deleted");

        var (status, body, _) = await _host.GetAsync(Frontend + "/versions?uid=no-such-uid");
        status.ShouldBe(HttpStatusCode.NotFound);
        body.ShouldContain("with uid no-such-uid");
    }

    [Theory]
    [InlineData("/diff?start=one", "start must be a version number")]
    [InlineData("/diff?start=3&end=1", "start (3) must not come after end (1)")]
    [InlineData("/diff?format=html", "format must be json")]
    [InlineData("/diff?field=spec[", "unclosed [")]
    [InlineData("/bisect", "bisect needs field1 and value1")]
    [InlineData("/bisect?field1=spec.replicas", "field1 needs value1")]
    public async Task BadQueries_Are400_SayingWhatIsWanted(string query, string message)
    {
        var (status, body, _) = await _host.GetAsync(Frontend + query);

        status.ShouldBe(HttpStatusCode.BadRequest, body);
        var error = JsonDocument.Parse(body).RootElement;
        error.GetProperty("kind").GetString().ShouldBe("Status");
        error.GetProperty("message").GetString()!.ShouldContain(message);
    }

    [Fact]
    public async Task AVersionThatIsNotKept_Is404_ListingTheKeptOnes()
    {
        var (status, body, _) = await _host.GetAsync(Frontend + "/diff?start=1&end=7");

        status.ShouldBe(HttpStatusCode.NotFound);
        body.ShouldContain("version 7 is not kept (kept: 1)");
    }

    [Fact]
    public async Task AnObjectWithNoHistory_AndAnUnknownResource_AreAnsweredAsForCompositions()
    {
        var (missing, body, _) = await _host.GetAsync(HistoryHost.Api + "/namespaces/shop/deployments/nope/versions");
        missing.ShouldBe(HttpStatusCode.NotFound);
        JsonDocument.Parse(body).RootElement.GetProperty("message").GetString().ShouldBe("no history of deployments.apps \"nope\"");
        (await _host.GetAsync(HistoryHost.Api + "/namespaces/shop/nosuchkinds/x/versions")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await _host.GetAsync(HistoryHost.Api + "/namespaces/shop/deployments/*/versions")).Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Discovery_ListsTheHistorySubresources_AndTheChangesResource()
    {
        var resources = (await _host.GetJsonAsync(HistoryHost.Api)).GetProperty("resources").EnumerateArray()
            .Select(r => r.GetProperty("name").GetString()).ToList();

        resources.ShouldContain("deployments/versions");
        resources.ShouldContain("deployments/diff");
        resources.ShouldContain("configmaps/changes");
        resources.ShouldContain("changes");
    }
}
