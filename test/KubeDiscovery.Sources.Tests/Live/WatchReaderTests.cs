using System.Net;
using System.Text;
using System.Text.Json;
using k8s;
using KubeDiscovery.Sources.Live;

namespace KubeDiscovery.Sources.Tests.Live;

public sealed class WatchReaderTests
{
    private static async Task<(List<(WatchEventType Type, string? Name)> Events, List<Exception> Errors)> ReadAsync(string body)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        List<Exception> errors = [];
        List<(WatchEventType, string?)> events = [];
        await foreach (var (type, obj) in WatchReader.ReadAsync(response, errors.Add, default))
        {
            events.Add((type, obj.TryGetProperty("metadata", out var m) && m.TryGetProperty("name", out var name) ? name.GetString() : null));
        }
        return (events, errors);
    }

    [Fact]
    public async Task EveryLine_IsAnEvent_AndBookmarksPassThrough()
    {
        var (events, errors) = await ReadAsync("""
            {"type":"ADDED","object":{"kind":"Pod","metadata":{"name":"a","resourceVersion":"1"}}}

            {"type":"MODIFIED","object":{"kind":"Pod","metadata":{"name":"a","resourceVersion":"2"}}}
            {"type":"BOOKMARK","object":{"kind":"Pod","metadata":{"resourceVersion":"3"}}}
            {"type":"DELETED","object":{"kind":"Pod","metadata":{"name":"a","resourceVersion":"4"}}}
            """);

        events.ShouldBe([(WatchEventType.Added, "a"), (WatchEventType.Modified, "a"), (WatchEventType.Bookmark, null), (WatchEventType.Deleted, "a")]);
        errors.ShouldBeEmpty();
    }

    [Fact]
    public async Task AnErrorEvent_IsTheStatusItCarries_AndReadingGoesOn()
    {
        var (events, errors) = await ReadAsync("""
            {"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 1 (5)","reason":"Expired","code":410}}
            {"type":"ADDED","object":{"kind":"Pod","metadata":{"name":"b"}}}
            """);

        var status = errors.ShouldHaveSingleItem().ShouldBeOfType<KubernetesException>().Status;
        (status.Code, status.Reason).ShouldBe((410, "Expired"));
        events.ShouldBe([(WatchEventType.Added, "b")]);
    }

    [Fact]
    public async Task ALineThatIsNoEvent_IsAnError_NotAnEvent()
    {
        var (events, errors) = await ReadAsync("""
            {"type":"ADDED","object":{"kind":"Pod","metadata":{"name":"c"}}
            {"type":"RENAMED","object":{}}
            {"object":{}}
            """);

        events.ShouldBeEmpty();
        errors.Count.ShouldBe(3);
        errors.ShouldAllBe(e => e is JsonException);
    }

    [Fact]
    public void Paths_AreTheCoreGroupsOrANamedGroups_WithTheQueryEscaped()
    {
        KubeRequests.CollectionPath("", "v1", "configmaps", "kube-system").ShouldBe("api/v1/namespaces/kube-system/configmaps");
        KubeRequests.CollectionPath("apps", "v1", "deployments").ShouldBe("apis/apps/v1/deployments");
        KubeRequests.Query(("fieldSelector", "type=Warning"), ("continue", null), ("limit", 500), ("watch", true))
            .ShouldBe("?fieldSelector=type%3DWarning&limit=500&watch=true");
    }
}
