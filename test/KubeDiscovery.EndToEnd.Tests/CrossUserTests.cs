using System.Net;
using System.Text.Json;
using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>
/// Two users of one shared server, behind the front proxy: neither can evict, slow or learn of what the
/// other may not see — not by an item, a count, a Warning or a continue token.
/// </summary>
public sealed class CrossUserTests(DelegatingDemoServer server) : IClassFixture<DelegatingDemoServer>
{
    private const string Api = "/apis/kubediscovery.io/v1";

    private FakeReviews Reviews => server.Cluster.Reviews;

    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>May read everything, everywhere.</summary>
    private string Admin()
    {
        var name = NewName("root");
        Reviews.Allow(name, ["get", "list", "watch"], ["*"], ["*"]);
        return name;
    }

    /// <summary>May list compositions in shop and read its Deployments, ReplicaSets and Pods: not its Services, ConfigMaps, Secrets.</summary>
    private string ShopWorkloadReader()
    {
        var name = NewName("tess");
        Reviews.Allow(name, ["get", "list", "watch"], ["kubediscovery.io"], ["compositions"], "shop");
        Reviews.Allow(name, ["get", "list"], ["", "apps"], ["deployments", "replicasets", "pods"], "shop");
        return name;
    }

    private static List<string> Names(JsonElement list) =>
        list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("metadata").GetProperty("name").GetString()!).ToList();

    [Fact]
    public async Task AnotherUsersManyLists_NeverExpireAnAdminsContinueToken()
    {
        var admin = Admin();
        var (_, whole) = await server.GetAs(admin, $"{Api}/compositions");
        var (status, first) = await server.GetAs(admin, $"{Api}/compositions?limit=2");
        status.ShouldBe(HttpStatusCode.OK, first.ToString());
        var token = first.GetProperty("metadata").GetProperty("continue").GetString()!;

        // The old store held 32 lists for everyone: 33 of another user's pushed the admin's out (410).
        var tess = ShopWorkloadReader();
        for (var i = 0; i < 40; i++)
        {
            (await server.GetAs(tess, $"{Api}/namespaces/shop/compositions?limit=1")).Status.ShouldBe(HttpStatusCode.OK);
        }
        var (again, second) = await server.GetAs(admin, $"{Api}/compositions?limit=2&continue={Uri.EscapeDataString(token)}");

        again.ShouldBe(HttpStatusCode.OK, second.ToString());
        Names(second).ShouldBe(Names(whole)[2..4]);
    }

    [Fact]
    public async Task PagesAndRemainingCounts_CountOnlyWhatTheUserMayRead()
    {
        var tess = ShopWorkloadReader();
        var (_, whole) = await server.GetAs(tess, $"{Api}/namespaces/shop/compositions");
        var visible = Names(whole);
        visible.ShouldNotBeEmpty();
        visible.ShouldAllBe(n => n.StartsWith("deployment.", StringComparison.Ordinal) || n.StartsWith("replicaset.", StringComparison.Ordinal) || n.StartsWith("pod.", StringComparison.Ordinal));

        var (_, page) = await server.GetAs(tess, $"{Api}/namespaces/shop/compositions?limit=1");

        // Hidden roots (Services, PVCs, the Postgres) neither fill the page nor count as remaining.
        Names(page).ShouldBe(visible[..1]);
        page.GetProperty("metadata").GetProperty("remainingItemCount").GetInt64().ShouldBe(visible.Count - 1);
    }

    [Fact]
    public async Task ANotFoundHint_NamesOnlyWhatTheUserMayRead()
    {
        var (status, body) = await server.GetAs(ShopWorkloadReader(), $"{Api}/namespaces/shop/compositions/cart");

        status.ShouldBe(HttpStatusCode.NotFound);
        // Service/cart exists, but she may not read Services: the hint does not say so.
        body.GetProperty("message").GetString().ShouldBe("compositions.kubediscovery.io \"cart\" not found: item names are kind.name; did you mean deployment.cart?");
    }
}
