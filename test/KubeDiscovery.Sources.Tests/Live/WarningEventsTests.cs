using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Sources.Tests.Live;

/// <summary>Warning Events followed for causes only: kept per object, dropped when they expire or the object goes, never indexed.</summary>
public sealed class WarningEventsTests
{
    private static string EventJson(string name, string type, string reason, string podName, string podUid) => $$"""
        {"apiVersion": "v1", "kind": "Event",
         "metadata": {"name": "{{name}}", "namespace": "default"},
         "involvedObject": {"apiVersion": "v1", "kind": "Pod", "name": "{{podName}}", "namespace": "default", "uid": "{{podUid}}"},
         "type": "{{type}}", "reason": "{{reason}}", "message": "0/3 nodes are available: 3 Insufficient cpu.", "count": 4,
         "lastTimestamp": "2026-11-25T10:00:00Z"}
        """;

    [Fact]
    public async Task AWarningAboutAPod_IsKeptForItsCause_AndGoesWhenTheEventExpires()
    {
        await using var live = await LiveHarness.StartAsync();
        var pod = live.Cache.Index.List(new GroupResource("", "pods"), "default")[0];

        live.Server.Store.Apply(EventJson("unschedulable.1", "Warning", "FailedScheduling", pod.Name, pod.Uid));
        live.Server.Store.Apply(EventJson("scheduled.1", "Normal", "Scheduled", pod.Name, pod.Uid));
        await LiveHarness.WaitUntil(() => live.Cache.Index.Warnings.Of(pod.Uid).Count > 0, "the warning is kept");

        var warning = live.Cache.Index.Warnings.Of(pod.Uid).ShouldHaveSingleItem(); // the Normal Event is not followed
        (warning.Reason, warning.Message, warning.Count).ShouldBe(("FailedScheduling", "0/3 nodes are available: 3 Insufficient cpu.", 4));
        live.Cache.Index.List(new GroupResource("", "events"), null).ShouldBeEmpty(); // and Events are no objects of the index

        live.Server.Store.Delete("", "Event", "default", "unschedulable.1");
        await LiveHarness.WaitUntil(() => live.Cache.Index.Warnings.Of(pod.Uid).Count == 0, "the expired Event is dropped");
    }

    [Fact]
    public async Task AnObjectsWarnings_GoWithTheObject()
    {
        await using var live = await LiveHarness.StartAsync();
        var pod = live.Cache.Index.List(new GroupResource("", "pods"), "default")[0];
        live.Server.Store.Apply(EventJson("backoff.1", "Warning", "BackOff", pod.Name, pod.Uid));
        await LiveHarness.WaitUntil(() => live.Cache.Index.Warnings.Of(pod.Uid).Count > 0, "the warning is kept");

        live.Server.Store.Delete("", "Pod", "default", pod.Name);
        await LiveHarness.WaitUntil(() => live.Cache.Index.FindByUid(pod.Uid) is null, "the Pod is gone");
        live.Cache.Index.Warnings.Of(pod.Uid).ShouldBeEmpty();
    }
}
