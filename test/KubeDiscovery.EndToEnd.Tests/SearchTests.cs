using System.Net;
using System.Text.Json;
using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary><c>…/search</c> behind the front proxy: best matches first, and nothing a user may not read.</summary>
public sealed class SearchTests(DelegatingDemoServer server) : IClassFixture<DelegatingDemoServer>
{
    private const string Api = "/apis/kubediscovery.io/v1";

    private FakeReviews Reviews => server.Cluster.Reviews;

    private Task<(HttpStatusCode Status, JsonElement Body)> Get(string user, string path) => server.GetAs(user, path);

    private static List<string> Found(JsonElement body) =>
        body.GetProperty("items").EnumerateArray().Select(i => $"{i.GetProperty("kind").GetString()}/{i.GetProperty("name").GetString()}").ToList();

    [Fact]
    public async Task AUserWhoMayNotReadSecrets_FindsNone_WhileAnAdminDoes()
    {
        var user = $"erin-{Guid.NewGuid():N}"[..13];
        Reviews.Allow(user, ["list"], ["kubediscovery.io"], ["search"]);
        Reviews.Allow(user, ["get", "list"], ["", "apps"], ["pods", "replicasets", "deployments", "configmaps", "services", "serviceaccounts"], "web");

        var (status, mine) = await Get(user, $"{Api}/search?q=storefront&limit=200");
        status.ShouldBe(HttpStatusCode.OK, mine.ToString());
        Found(mine).ShouldContain("Deployment/storefront");
        Found(mine).ShouldNotContain(f => f.StartsWith("Secret/", StringComparison.Ordinal));

        var admin = JsonDocument.Parse(await server.GetRaw($"{Api}/search?q=storefront&limit=200")).RootElement;
        Found(admin).ShouldContain(f => f.StartsWith("Secret/", StringComparison.Ordinal));
        Found(admin)[0].ShouldBe("Deployment/storefront"); // the exact name first
    }

    [Fact]
    public async Task SearchIsAuthorizedAsAListOfSearch_AndATooShortQueryIs400()
    {
        var user = $"finn-{Guid.NewGuid():N}"[..13];
        (await Get(user, $"{Api}/search?q=storefront")).Status.ShouldBe(HttpStatusCode.Forbidden);

        var result = await server.Kubectl("get", "--raw", $"{Api}/search?q=s");
        result.ExitCode.ShouldNotBe(0);
        result.Stderr.ShouldContain("search needs q, two characters or more");
    }
}
