using System.Text.Json;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Graph.Status;

namespace KubeDiscovery.Graph.Tests.Status;

public sealed class StatusRulesTests
{
    private static ObjectStatus Of(string group, string kind, string json) =>
        StatusRules.Summarize(group, kind, JsonDocument.Parse(json).RootElement);

    [Fact]
    public void RecordedDeployment_UsesTheAvailableCondition()
    {
        var status = StatusRules.Summarize("apps", "Deployment", RecordedCluster.RawItem("apis_apps_v1_namespaces_default_deployments.json", "nginx"));

        status.ShouldBe(new ObjectStatus(ReadyState.False, "MinimumReplicasUnavailable", "Deployment does not have minimum availability."));
    }

    [Fact]
    public void RecordedPendingPod_IsNotReadyWithReasonPending()
    {
        var status = StatusRules.Summarize("", "Pod", RecordedCluster.RawItem("api_v1_namespaces_default_pods.json", "nginx-66b956cf97-m4jh4"));

        status.Ready.ShouldBe(ReadyState.False);
        status.Reason.ShouldBe("Pending");
    }

    [Fact]
    public void RecordedReplicaSet_WithNoReadyPods_IsNotReady()
    {
        var status = StatusRules.Summarize("apps", "ReplicaSet", RecordedCluster.RawItem("apis_apps_v1_namespaces_default_replicasets.json", "nginx-66b956cf97"));

        status.ShouldBe(new ObjectStatus(ReadyState.False, "ReplicasNotReady", "0/3 replicas ready"));
    }

    [Fact]
    public void RecordedServiceAndCustomResourceWithoutConditions_HaveNoStatus()
    {
        StatusRules.Summarize("", "Service", RecordedCluster.RawItem("api_v1_namespaces_default_services.json", "pg1")).ShouldBe(ObjectStatus.None);
        StatusRules.Summarize("db.example.com", "Postgres", RecordedCluster.RawItem("apis_db.example.com_v1_namespaces_default_postgreses.json", "pg1")).ShouldBe(ObjectStatus.None);
    }

    [Fact]
    public void ReadyCondition_WinsOverAvailableAndKindRules()
    {
        var status = Of("", "Pod", """
            {"status":{"phase":"Running","conditions":[
              {"type":"Available","status":"False","reason":"Nope"},
              {"type":"Ready","status":"False","reason":"ContainersNotReady","message":"containers with unready status: [main]"}]}}
            """);

        status.ShouldBe(new ObjectStatus(ReadyState.False, "ContainersNotReady", "containers with unready status: [main]"));
    }

    [Fact]
    public void CustomResourceReadyCondition_IsUsed_AndUnknownStaysUnknown()
    {
        Of("db.example.com", "Postgres", """{"status":{"conditions":[{"type":"Ready","status":"True","reason":"Up"}]}}""")
            .ShouldBe(new ObjectStatus(ReadyState.True, "Up"));
        Of("db.example.com", "Postgres", """{"status":{"conditions":[{"type":"Ready","status":"Unknown"}]}}""")
            .Ready.ShouldBe(ReadyState.Unknown);
    }

    [Theory]
    [InlineData("Pending", ReadyState.False, "Pending")]
    [InlineData("Running", ReadyState.Unknown, "Running")]
    [InlineData("Succeeded", ReadyState.False, "Completed")]
    [InlineData("Failed", ReadyState.False, "Failed")]
    [InlineData("Unknown", ReadyState.Unknown, "Unknown")]
    public void PodWithoutConditions_FollowsItsPhase(string phase, ReadyState ready, string reason)
    {
        var status = Of("", "Pod", $$$"""{"status":{"phase":"{{{phase}}}"}}""");

        status.Ready.ShouldBe(ready);
        status.Reason.ShouldBe(reason);
    }

    [Fact]
    public void EvictedPod_ReportsTheKubeletReason()
    {
        Of("", "Pod", """{"status":{"phase":"Failed","reason":"Evicted","message":"The node was low on resource: memory."}}""")
            .ShouldBe(new ObjectStatus(ReadyState.False, "Evicted", "The node was low on resource: memory."));
    }

    [Fact]
    public void Job_IsReadyWhenComplete_NotWhenFailed_UnknownWhileRunning()
    {
        Of("batch", "Job", """{"status":{"succeeded":1,"conditions":[{"type":"Complete","status":"True"}]}}""")
            .ShouldBe(new ObjectStatus(ReadyState.True, "Complete"));
        Of("batch", "Job", """{"status":{"failed":1,"conditions":[{"type":"Failed","status":"True","reason":"BackoffLimitExceeded","message":"Job has reached the specified backoff limit"}]}}""")
            .ShouldBe(new ObjectStatus(ReadyState.False, "BackoffLimitExceeded", "Job has reached the specified backoff limit"));
        Of("batch", "Job", """{"status":{"active":2}}""")
            .ShouldBe(new ObjectStatus(ReadyState.Unknown, "Running", "2 active, 0 succeeded, 0 failed"));
    }

    [Theory]
    [InlineData("apps", "StatefulSet", """{"spec":{"replicas":3},"status":{"readyReplicas":3}}""", ReadyState.True, "3/3 replicas ready")]
    [InlineData("apps", "StatefulSet", """{"spec":{"replicas":3},"status":{"readyReplicas":2}}""", ReadyState.False, "2/3 replicas ready")]
    [InlineData("apps", "ReplicaSet", """{"spec":{"replicas":0},"status":{}}""", ReadyState.True, "0/0 replicas ready")]
    [InlineData("apps", "ReplicaSet", """{"status":{}}""", ReadyState.False, "0/1 replicas ready")]
    [InlineData("apps", "DaemonSet", """{"status":{"desiredNumberScheduled":2,"numberReady":2}}""", ReadyState.True, "2/2 replicas ready")]
    [InlineData("apps", "DaemonSet", """{"status":{"desiredNumberScheduled":3,"numberReady":1}}""", ReadyState.False, "1/3 replicas ready")]
    [InlineData("apps", "Deployment", """{"spec":{"replicas":2},"status":{"availableReplicas":2}}""", ReadyState.True, "2/2 replicas available")]
    [InlineData("", "ReplicationController", """{"spec":{"replicas":2},"status":{"readyReplicas":1}}""", ReadyState.False, "1/2 replicas ready")]
    public void WorkloadsWithoutConditions_CompareReadyCounts(string group, string kind, string json, ReadyState ready, string message)
    {
        var status = Of(group, kind, json);

        status.Ready.ShouldBe(ready);
        status.Message.ShouldBe(message);
    }

    [Fact]
    public void HandWrittenYamlBooleanConditionStatus_IsUnderstood()
    {
        Of("example.com", "Widget", """{"status":{"conditions":[{"type":"Ready","status":true}]}}""").Ready.ShouldBe(ReadyState.True);
    }
}
