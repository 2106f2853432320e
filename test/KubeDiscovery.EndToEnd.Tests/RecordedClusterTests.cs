using System.Text.Json;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>The server on objects recorded from a real kube-apiserver, passed as a --snapshot directory.</summary>
public sealed class RecordedClusterTests(RecordedClusterServer server) : IClassFixture<RecordedClusterServer>
{
    [Fact]
    public async Task RecordedDeployment_HasItsReplicaSetAndThreePendingPods()
    {
        var root = JsonDocument.Parse(await server.GetRaw("/apis/kubediscovery.io/v1/namespaces/default/deployments/nginx/compositions")).RootElement.GetProperty("root");

        root.GetProperty("status").GetProperty("reason").GetString().ShouldBe("MinimumReplicasUnavailable");
        var replicaSet = root.GetProperty("children").EnumerateArray().ShouldHaveSingleItem();
        replicaSet.GetProperty("name").GetString().ShouldBe("nginx-66b956cf97");
        var pods = replicaSet.GetProperty("children").EnumerateArray().ToList();
        pods.Count.ShouldBe(3);
        pods.ShouldAllBe(p => p.GetProperty("status").GetProperty("reason").GetString() == "Pending");
    }

    [Fact]
    public async Task RecordedCustomResource_IsServedByItsShortNameFromTheRecordedCrd()
    {
        var tree = await server.GetRaw("/apis/kubediscovery.io/v1/namespaces/default/pg/pg1/compositions?format=tree");

        tree.ShouldContain("Postgres/pg1");
        tree.ShouldContain("├─Deployment/pg1-db");
        tree.ShouldContain("└─Service/pg1");
    }
}
