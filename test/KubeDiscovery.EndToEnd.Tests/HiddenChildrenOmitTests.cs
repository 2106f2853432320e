using System.Net;
using System.Text.Json;
using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>With <c>--hidden-children=omit</c>, no surface says that objects the user may not read exist: not even how many.</summary>
public sealed class HiddenChildrenOmitTests(OmittingDemoServer server) : IClassFixture<OmittingDemoServer>
{
    private const string Api = "/apis/kubediscovery.io/v1";

    private FakeReviews Reviews => server.Cluster.Reviews;

    /// <summary>May read web but its Secrets; may list dangling in web and in default, but read nothing in default.</summary>
    private string Reader()
    {
        var name = $"olga-{Guid.NewGuid():N}"[..13];
        Reviews.Allow(name, ["get"], ["kubediscovery.io"], ["*/connections", "*/compositions"], "web");
        Reviews.Allow(name, ["list"], ["kubediscovery.io"], ["dangling"], "web");
        Reviews.Allow(name, ["list"], ["kubediscovery.io"], ["dangling"], "default");
        Reviews.Allow(name, ["get", "list"], ["", "apps", "batch"], ["pods", "replicasets", "deployments", "configmaps", "services", "serviceaccounts", "cronjobs"], "web");
        return name;
    }

    [Fact]
    public async Task Connections_ShowNoHiddenCount()
    {
        var (status, body) = await server.GetAs(Reader(), $"{Api}/namespaces/web/pods/storefront-7d9c5b8f6-abcde/connections");

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("nodes").EnumerateArray().ShouldNotContain(n => n.GetProperty("kind").GetString() == "Secret");
        body.TryGetProperty("hiddenNodes", out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("/namespaces/web/dangling")]
    [InlineData("/namespaces/default/dangling")] // a namespace she may read nothing in
    public async Task TheDanglingReport_ShowsNoHiddenCount(string path)
    {
        var (status, body) = await server.GetAs(Reader(), Api + path);

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.TryGetProperty("hiddenItems", out _).ShouldBeFalse();
        var admin = JsonDocument.Parse(await server.GetRaw(Api + path)).RootElement;
        admin.GetProperty("total").GetInt32().ShouldBeGreaterThan(body.GetProperty("total").GetInt32()); // there are hidden ones
    }

    [Fact]
    public async Task Compositions_ShowNoHiddenCount()
    {
        var (status, body) = await server.GetAs(Reader(), $"{Api}/namespaces/web/deployments/storefront/compositions");

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetRawText().ShouldNotContain("hiddenChildren");
    }
}
