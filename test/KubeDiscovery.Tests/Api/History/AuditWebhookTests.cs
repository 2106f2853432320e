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
    private JsonObject Event(string verb, string user, string uid, string resourceVersion, int code = 200) => new()
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
        ["stageTimestamp"] = _time.GetUtcNow().ToString("O"),
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
}
