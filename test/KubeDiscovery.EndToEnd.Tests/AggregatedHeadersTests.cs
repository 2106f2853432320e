using System.Net;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>Headers kube-apiserver's aggregator adds itself are not sent again through it.</summary>
public sealed class AggregatedHeadersTests(DelegatingDemoServer server) : IClassFixture<DelegatingDemoServer>
{
    private const string Page = "/apis/kubediscovery.io/v1/ui/";

    [Fact]
    public async Task ThePage_LeavesCacheControlToTheAggregator_ButSendsItToADirectClient()
    {
        var user = $"uma-{Guid.NewGuid():N}"[..12];
        server.Cluster.Reviews.Allow(user, ["get", "list"], ["kubediscovery.io"], ["ui"]);
        using var proxy = ClusterPki.Client(server.Pki.FrontProxy);
        using var request = new HttpRequestMessage(HttpMethod.Get, server.Url + Page);
        request.Headers.Add("X-Remote-User", user);

        // kube-apiserver sets "Cache-Control: no-cache, private" before it proxies: one more from us made two.
        using var aggregated = await proxy.SendAsync(request);
        using var direct = await server.Http.GetAsync(server.Url + Page);

        aggregated.StatusCode.ShouldBe(HttpStatusCode.OK);
        aggregated.Headers.Contains("Cache-Control").ShouldBeFalse();
        direct.StatusCode.ShouldBe(HttpStatusCode.OK);
        direct.Headers.GetValues("Cache-Control").ShouldBe(["no-cache, private"]);
    }
}
