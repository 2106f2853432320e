using System.Net;
using System.Text.Json;
using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>
/// Answers over crowds stay within one budget per answer, and caps and counts are applied to what the
/// asking user may read, never before: behind the front proxy, as kube-apiserver forwards requests.
/// </summary>
public sealed class BudgetedAnswersTests(CrowdedClusterServer server) : IClassFixture<CrowdedClusterServer>
{
    private const string Api = "/apis/kubediscovery.io/v1";

    private FakeReviews Reviews => server.Cluster.Reviews;

    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private static long Nodes(JsonElement list) => list.GetProperty("items").EnumerateArray().Sum(i => i.GetProperty("nodes").GetArrayLength());

    [Fact]
    public async Task Search_CapsAndCountsOnlyWhatTheUserMayRead()
    {
        var tess = NewName("tess");
        Reviews.Allow(tess, ["list"], ["kubediscovery.io"], ["search"]);
        Reviews.Allow(tess, ["get", "list"], [""], ["configmaps"], "team-a");

        // 50,001 ConfigMaps she may not read match too: they neither take her results' places nor earn her a Warning.
        var (status, all, response) = await server.GetAs(tess, $"{Api}/search?q=configmap/&limit=200");
        status.ShouldBe(HttpStatusCode.OK, all.ToString());
        all.GetProperty("items").GetArrayLength().ShouldBe(CrowdedClusterServer.TeamConfigMaps);
        response.Headers.Contains("Warning").ShouldBeFalse();
        all.GetProperty("metadata").TryGetProperty("remainingItemCount", out _).ShouldBeFalse();

        // Cut by the limit: says how many more of hers match.
        var (_, five, _) = await server.GetAs(tess, $"{Api}/search?q=configmap/&limit=5");
        five.GetProperty("items").GetArrayLength().ShouldBe(5);
        five.GetProperty("metadata").GetProperty("remainingItemCount").GetInt32().ShouldBe(CrowdedClusterServer.TeamConfigMaps - 5);

        // The admin, who may read them all, is told the query is too broad.
        using var admin = await server.Http.GetAsync(server.Url + Api + "/search?q=configmap/&limit=5");
        admin.Headers.GetValues("Warning").Single().ShouldContain("more than 50000 objects match");
    }

    [Theory]
    [InlineData("&limit=25")]
    [InlineData("")]
    public async Task ConnectionsOfEveryPod_StayWithinOneBudget_AndContinueWhereTheyStopped(string limit)
    {
        var path = $"{Api}/namespaces/load/pods/*/connections?depth=10&direction=both{limit}";

        var first = JsonDocument.Parse(await server.Http.GetStringAsync(server.Url + path)).RootElement;

        // Before, each of the 25 Pods had a budget of its own: 50,075 nodes; without a limit, no answer in 30 s.
        Nodes(first).ShouldBeLessThanOrEqualTo(10_000);
        var items = first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("metadata").GetProperty("name").GetString()!).ToList();
        items.ShouldNotBeEmpty();
        var token = first.GetProperty("metadata").GetProperty("continue").GetString()!;
        first.GetProperty("metadata").GetProperty("remainingItemCount").GetInt64().ShouldBe(CrowdedClusterServer.LoadPods - items.Count);

        var next = JsonDocument.Parse(await server.Http.GetStringAsync(server.Url + path + "&continue=" + Uri.EscapeDataString(token))).RootElement;
        var following = next.GetProperty("items")[0].GetProperty("metadata").GetProperty("name").GetString()!;
        string.CompareOrdinal(following, items[^1]).ShouldBeGreaterThan(0);
        following.ShouldBe($"p-{items.Count:D4}"); // nothing skipped
    }
}
