using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.Tests.Api.History;

/// <summary>kube-apiserver's audit webhook posting EventList batches: recorded versions then name who made them.</summary>
public sealed class AuditWebhookTests : IAsyncLifetime
{
    private const string Frontend = HistoryHost.Api + "/namespaces/shop/deployments/frontend";
    private const string Uid = "db4c4004-cca5-5fa2-99a1-5156406afa8b";
    private readonly FakeTimeProvider _time = new();
    private HistoryHost _host = null!;

    public async Task InitializeAsync() => _host = await HistoryHost.StartAsync(_time);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>An audit.k8s.io/v1 event as kube-apiserver 1.19 writes one for a write at level RequestResponse.</summary>
    private JsonObject Event(string verb, string user, string uid, string resourceVersion, int code = 200, DateTimeOffset? at = null) => new()
    {
        ["level"] = "RequestResponse",
        ["auditID"] = Guid.NewGuid().ToString(),
        ["stage"] = "ResponseComplete",
        ["requestURI"] = "/apis/apps/v1/namespaces/shop/deployments/frontend?fieldManager=kubectl-set",
        ["verb"] = verb,
        ["user"] = new JsonObject { ["username"] = user, ["groups"] = new JsonArray("system:authenticated") },
        ["sourceIPs"] = new JsonArray("10.0.0.7"),
        ["userAgent"] = "kubectl/v1.19.16 (linux/amd64) kubernetes/e37e4ab",
        ["objectRef"] = new JsonObject { ["resource"] = "deployments", ["namespace"] = "shop", ["name"] = "frontend", ["apiGroup"] = "apps", ["apiVersion"] = "v1" },
        ["responseStatus"] = new JsonObject { ["metadata"] = new JsonObject(), ["code"] = code },
        ["requestObject"] = new JsonObject { ["kind"] = "Deployment" },
        ["responseObject"] = new JsonObject
        {
            ["kind"] = "Deployment",
            ["apiVersion"] = "apps/v1",
            ["metadata"] = new JsonObject { ["name"] = "frontend", ["namespace"] = "shop", ["uid"] = uid, ["resourceVersion"] = resourceVersion },
        },
        ["requestReceivedTimestamp"] = _time.GetUtcNow().ToString("O"),
        ["stageTimestamp"] = (at ?? _time.GetUtcNow()).ToString("O"),
        ["annotations"] = new JsonObject { ["authorization.k8s.io/decision"] = "allow" },
    };

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _host.Server.Http.PostAsync(_host.Server.Url + HistoryHost.Api + "/auditevents", content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string EventList(params JsonObject[] events) =>
        new JsonObject { ["kind"] = "EventList", ["apiVersion"] = "audit.k8s.io/v1", ["metadata"] = new JsonObject(), ["items"] = new JsonArray(events) }.ToJsonString();

    [Fact]
    public async Task AWritesAuditEvent_NamesTheUserOfTheVersionItProduced()
    {
        var kept = await _host.KeptAsync(Frontend);
        kept["spec"]!["replicas"] = 6;
        await _host.ChangeAsync("deployments", kept, "70001");

        var (status, body) = await PostAsync(EventList(
            Event("patch", "alice@example.com", Uid, "70001"),
            Event("get", "bob", Uid, "70001"), // a read changes nothing
            Event("patch", "mallory", Uid, "70002", code: 409))); // a refused write produced no version

        status.ShouldBe(HttpStatusCode.OK, body);
        JsonDocument.Parse(body).RootElement.GetProperty("message").GetString().ShouldBe("1 writes attributed, 1 new");
        var newest = (await _host.GetJsonAsync(Frontend + "/versions")).GetProperty("items")[0];
        newest.GetProperty("user").GetString().ShouldBe("alice@example.com");
        newest.GetProperty("userAgent").GetString()!.ShouldStartWith("kubectl/v1.19.16");
        newest.GetProperty("verb").GetString().ShouldBe("patch");
        var changes = await _host.GetJsonAsync(HistoryHost.Api + "/namespaces/shop/changes?since=1h&manager=alice@example.com");
        changes.GetProperty("items").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task ABatchThatIsNotAnEventList_Is400()
    {
        var (status, body) = await PostAsync("""{"kind":"PodList","items":[]}""");

        status.ShouldBe(HttpStatusCode.BadRequest);
        body.ShouldContain("expected an audit.k8s.io EventList or Event");
        (await PostAsync("not json")).Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task OtherWrites_AreStill405()
    {
        using var content = new StringContent("{}", Encoding.UTF8, "application/json");
        using var response = await _host.Server.Http.PostAsync(_host.Server.Url + Frontend + "/versions", content);

        response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
    }

    private async Task<string?> NewestUser()
    {
        var newest = (await _host.GetJsonAsync(Frontend + "/versions")).GetProperty("items")[0];
        return newest.TryGetProperty("user", out var user) ? user.GetString() : null;
    }

    [Fact]
    public async Task AWriterCannotClaimVersionsThatDoNotExistYet()
    {
        // Mallory may post audit events: she claims the next 300 versions of the Deployment.
        var claims = Enumerable.Range(80_001, 300).Select(rv => Event("patch", "mallory", Uid, rv.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        var (status, body) = await PostAsync(EventList(claims));
        status.ShouldBe(HttpStatusCode.OK, body);
        JsonDocument.Parse(body).RootElement.GetProperty("message").GetString().ShouldBe("0 writes attributed, 0 new; 300 waiting for their version to be recorded");

        // An hour later the admin scales it, producing one of those resourceVersions: it is not Mallory's.
        _time.Advance(TimeSpan.FromHours(1));
        var kept = await _host.KeptAsync(Frontend);
        kept["spec"]!["replicas"] = 7;
        await _host.ChangeAsync("deployments", kept, "80005");
        _time.Advance(TimeSpan.FromSeconds(1));

        (await NewestUser()).ShouldBeNull();
        // Nor is a claim dated in the future taken.
        var future = await PostAsync(EventList(Event("patch", "mallory", Uid, "80005", at: _time.GetUtcNow().AddMinutes(5))));
        future.Body.ShouldContain("1 refused");
        (await NewestUser()).ShouldBeNull();
    }

    [Fact]
    public async Task AnEventThatComesBeforeItsVersion_IsTakenWhenTheVersionIsRecorded_AndOnlyIfItFits()
    {
        var (_, body) = await PostAsync(EventList(Event("patch", "alice@example.com", Uid, "81001"), Event("delete", "mallory", Uid, "81002")));
        body.ShouldContain("2 waiting");

        var kept = await _host.KeptAsync(Frontend);
        kept["spec"]!["replicas"] = 8;
        await _host.ChangeAsync("deployments", kept, "81001");
        kept["spec"]!["replicas"] = 9;
        await _host.ChangeAsync("deployments", kept, "81002");

        // The retry runs every second of the server's clock.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var versions = JsonDocument.Parse("{}").RootElement;
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            versions = (await _host.GetJsonAsync(Frontend + "/versions")).GetProperty("items");
            if (versions[1].TryGetProperty("user", out _)) break;
            await Task.Delay(20);
        }
        versions[1].GetProperty("user").GetString().ShouldBe("alice@example.com");
        versions[0].TryGetProperty("user", out _).ShouldBeFalse(); // an update is no delete: Mallory's claim does not fit
    }
}
