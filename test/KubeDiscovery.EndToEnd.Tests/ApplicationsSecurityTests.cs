using System.Net;
using System.Text.Json;
using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>
/// Applications for two users of one server, behind the front proxy: each sees an application only
/// through the objects they may read — its counts, its cause and its Helm revision included.
/// </summary>
public sealed class ApplicationsSecurityTests(DelegatingDemoServer server) : IClassFixture<DelegatingDemoServer>
{
    private const string Store = "/apis/kubediscovery.io/v1/namespaces/store/appinstances";

    private FakeReviews Reviews => server.Cluster.Reviews;

    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private string Admin()
    {
        var name = NewName("root");
        Reviews.Allow(name, ["get", "list", "watch"], ["*"], ["*"]);
        return name;
    }

    /// <summary>May list applications in store and read its workloads: not its Services, ConfigMaps or Secrets.</summary>
    private string StoreWorkloadReader()
    {
        var name = NewName("wren");
        Reviews.Allow(name, ["get", "list", "watch"], ["kubediscovery.io"], ["appinstances"], "store");
        Reviews.Allow(name, ["get", "list"], ["", "apps"], ["deployments", "replicasets", "pods"], "store");
        return name;
    }

    private static JsonElement Item(JsonElement list, string name) =>
        list.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("metadata").GetProperty("name").GetString() == name);

    [Fact]
    public async Task AnApplicationsCounts_AndItsHelmRevision_HoldOnlyWhatTheUserMayRead()
    {
        var (_, all) = await server.GetAs(Admin(), Store);
        var (status, some) = await server.GetAs(StoreWorkloadReader(), Store);
        status.ShouldBe(HttpStatusCode.OK, some.ToString());

        var whole = Item(all, "helm.checkout").GetProperty("status");
        whole.GetProperty("objects").GetInt32().ShouldBe(6);
        whole.GetProperty("helm").GetProperty("revision").GetInt32().ShouldBe(2);
        var seen = Item(some, "helm.checkout").GetProperty("status");
        // Deployment, ReplicaSet and two Pods: the Service and ConfigMap are neither shown nor counted.
        seen.GetProperty("objects").GetInt32().ShouldBe(4);
        seen.GetProperty("members").GetInt32().ShouldBe(1);
        seen.TryGetProperty("hiddenObjects", out _).ShouldBeFalse();
        // The release's revision lives in Secrets' labels: she may not read Secrets.
        seen.TryGetProperty("helm", out _).ShouldBeFalse();
        seen.TryGetProperty("revision", out _).ShouldBeFalse();
        seen.GetProperty("cause")[0].GetProperty("reason").GetString().ShouldBe("ImagePullBackOff");
    }

    [Fact]
    public async Task AUserWhoMayReadNoneOfItsObjects_DoesNotLearnTheApplicationExists()
    {
        var name = NewName("otto");
        Reviews.Allow(name, ["get", "list", "watch"], ["kubediscovery.io"], ["appinstances"], "store");

        var (status, list) = await server.GetAs(name, Store);
        status.ShouldBe(HttpStatusCode.OK, list.ToString());
        list.GetProperty("items").GetArrayLength().ShouldBe(0);
        var (missing, body) = await server.GetAs(name, Store + "/helm.checkout");
        missing.ShouldBe(HttpStatusCode.NotFound);
        body.GetProperty("message").GetString().ShouldBe("appinstances.kubediscovery.io \"helm.checkout\" not found");
    }

    [Fact]
    public async Task ListingAnotherNamespacesApplications_IsForbidden_AsForAnyResource()
    {
        var (status, body) = await server.GetAs(StoreWorkloadReader(), "/apis/kubediscovery.io/v1/namespaces/argocd/appinstances");
        status.ShouldBe(HttpStatusCode.Forbidden, body.ToString());
    }
}
