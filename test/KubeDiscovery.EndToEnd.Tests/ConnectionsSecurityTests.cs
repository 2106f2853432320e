using System.Net;
using System.Text.Json;
using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>Connections and dangling references filtered by the asking user's RBAC, behind the front proxy.</summary>
public sealed class ConnectionsSecurityTests(DelegatingDemoServer server) : IClassFixture<DelegatingDemoServer>
{
    private const string Api = "/apis/kubediscovery.io/v1";

    private FakeReviews Reviews => server.Cluster.Reviews;

    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>May ask for connections in web, and read everything there but Secrets.</summary>
    private string PodReader()
    {
        var name = NewName("dora");
        Reviews.Allow(name, ["get"], ["kubediscovery.io"], ["*/connections"], "web");
        Reviews.Allow(name, ["list"], ["kubediscovery.io"], ["dangling"], "web");
        Reviews.Allow(name, ["get", "list"], ["", "apps", "batch", "networking.k8s.io"], ["pods", "replicasets", "deployments", "configmaps", "services", "persistentvolumeclaims", "serviceaccounts", "cronjobs", "ingresses"], "web");
        return name;
    }

    private Task<(HttpStatusCode Status, JsonElement Body)> Get(string user, string path) => server.GetAs(user, path);

    [Fact]
    public async Task AUserWhoMayNotReadSecrets_SeesNoSecretNodes_AndTheirCount()
    {
        var (status, body) = await Get(PodReader(), $"{Api}/namespaces/web/pods/storefront-7d9c5b8f6-abcde/connections");

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        var ids = body.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()!).ToList();
        ids.ShouldNotContain(id => id.StartsWith("Secret/", StringComparison.Ordinal));
        ids.ShouldContain("ConfigMap/web/storefront-config");
        body.GetProperty("edges").EnumerateArray().ShouldNotContain(e => e.GetProperty("to").GetString()!.StartsWith("Secret/", StringComparison.Ordinal));
        // session-keys, storefront-db, registry-creds; plus what it may not read beyond web (its Node, classes) and its Event.
        body.GetProperty("hiddenNodes").GetInt32().ShouldBeGreaterThanOrEqualTo(3);

        // An admin sees them.
        var admin = JsonDocument.Parse(await server.GetRaw($"{Api}/namespaces/web/pods/storefront-7d9c5b8f6-abcde/connections")).RootElement;
        admin.GetProperty("nodes").EnumerateArray().Count(n => n.GetProperty("kind").GetString() == "Secret").ShouldBe(3);
        admin.TryGetProperty("hiddenNodes", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task AsSecretsRoot_TheSameUserGets404_AsForAMissingOne()
    {
        var user = PodReader();

        var (status, _) = await Get(user, $"{Api}/namespaces/web/secrets/session-keys/connections");
        var (missing, _) = await Get(user, $"{Api}/namespaces/web/secrets/no-such-secret/connections");

        status.ShouldBe(HttpStatusCode.NotFound);
        missing.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TheDanglingReport_HidesReferencesToKindsTheUserMayNotRead()
    {
        var (status, body) = await Get(PodReader(), $"{Api}/namespaces/web/dangling");

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("target").GetProperty("kind").GetString())
            .ShouldBe(["ConfigMap", "Service"]); // the CronJob's missing Secret is hidden
        body.GetProperty("hiddenItems").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task WithoutTheConnectionsGrant_ItIs403()
    {
        var user = NewName("erin");
        Reviews.Allow(user, ["get"], ["kubediscovery.io"], ["*/compositions"], "web");

        var (status, body) = await Get(user, $"{Api}/namespaces/web/pods/debug-shell/connections");

        status.ShouldBe(HttpStatusCode.Forbidden);
        body.GetProperty("message").GetString().ShouldBe($"pods.kubediscovery.io \"debug-shell\" is forbidden: User \"{user}\" cannot get resource \"pods/connections\" in API group \"kubediscovery.io\" in the namespace \"web\"");
    }
}
