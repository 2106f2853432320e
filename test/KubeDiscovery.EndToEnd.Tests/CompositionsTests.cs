using System.Text.Json;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>Compositions as a kubectl user sees them, on the bundled sample cluster.</summary>
public sealed class CompositionsTests(DemoServer server) : IClassFixture<DemoServer>
{
    private const string Api = "/apis/kubediscovery.io/v1";

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    private static string Line(JsonElement node) =>
        $"{node.GetProperty("kind").GetString()}/{node.GetProperty("name").GetString()}={node.GetProperty("status").GetProperty("ready").GetString()}"
        + (node.GetProperty("status").TryGetProperty("reason", out var r) ? $"({r.GetString()})" : "");

    private static IEnumerable<string> Flatten(JsonElement node, int depth = 0) =>
        new[] { new string(' ', depth * 2) + Line(node) }.Concat(node.GetProperty("children").EnumerateArray().SelectMany(c => Flatten(c, depth + 1)));

    [Fact]
    public async Task DeploymentTree_HasItsReplicaSetAndPods_WithTheirStatuses()
    {
        var composition = Json(await server.GetRaw($"{Api}/namespaces/shop/deployments/cart/compositions"));

        composition.GetProperty("apiVersion").GetString().ShouldBe("kubediscovery.io/v1");
        composition.GetProperty("kind").GetString().ShouldBe("Composition");
        Flatten(composition.GetProperty("root")).ShouldBe(
        [
            "Deployment/cart=False(MinimumReplicasUnavailable)",
            "  ConfigMap/shop-config=-",
            "  ReplicaSet/cart-84c6d7b9f5=False(ReplicasNotReady)",
            "    Pod/cart-84c6d7b9f5-m4jh4=False(ContainersNotReady)",
            "    Pod/cart-84c6d7b9f5-x7k2p=True",
        ]);
    }

    [Fact]
    public async Task CustomResourceTree_HasDeploymentChainSecretAndService()
    {
        var root = Json(await server.GetRaw($"{Api}/namespaces/shop/pg/orders-db/compositions")).GetProperty("root");

        Flatten(root).ShouldBe(
        [
            "Postgres/orders-db=True(DatabaseAvailable)",
            "  Deployment/orders-db=True(MinimumReplicasAvailable)",
            "    ReplicaSet/orders-db-6f5b8d7c9a=True",
            "      Pod/orders-db-6f5b8d7c9a-x7k2p=True",
            "  Secret/orders-db-creds=-",
            "  Service/orders-db=-",
        ]);
        root.GetProperty("apiVersion").GetString().ShouldBe("db.example.com/v1");
        root.GetProperty("uid").GetString().ShouldNotBeNullOrEmpty();
        root.GetProperty("creationTimestamp").GetString().ShouldBe("2026-11-21T09:00:00Z");
    }

    [Fact]
    public async Task SecretContents_NeverAppearInAnAnswer()
    {
        var body = await server.GetRaw($"{Api}/namespaces/shop/secrets/*/compositions");

        body.ShouldContain("orders-db-creds");
        body.ShouldNotContain("UkVEQUNURUQ="); // the sample's secret values
        body.ShouldNotContain("password");
    }

    [Theory]
    [InlineData("*")]
    [InlineData("%2A")]
    public async Task Star_ListsEveryObjectOfTheKindInTheNamespace_SortedByName(string star)
    {
        var list = Json(await server.GetRaw($"{Api}/namespaces/shop/deployments/{star}/compositions"));

        list.GetProperty("kind").GetString().ShouldBe("CompositionList");
        list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("metadata").GetProperty("name").GetString())
            .ShouldBe(["cart", "frontend", "orders-db"]);
    }

    [Fact]
    public async Task StarWithoutNamespace_ListsAcrossAllNamespaces_SortedByNamespaceThenName()
    {
        var list = Json(await server.GetRaw($"{Api}/deployments/*/compositions?depth=0"));

        list.GetProperty("items").EnumerateArray()
            .Select(i => $"{i.GetProperty("metadata").GetProperty("namespace").GetString()}/{i.GetProperty("metadata").GetProperty("name").GetString()}")
            .ShouldBe(["data/analytics", "default/nginx", "guestbook/guestbook-ui", "kube-system/coredns", "monitoring/prometheus", "podinfo/podinfo", "shop/cart", "shop/frontend", "shop/orders-db", "store/checkout", "store/payments", "web/storefront"]);
    }

    [Fact]
    public async Task ClusterScopedOwner_HasNamespacedChildren()
    {
        var root = Json(await server.GetRaw($"{Api}/tenants/acme/compositions")).GetProperty("root");

        Flatten(root).ShouldBe(
        [
            "Tenant/acme=True(Reconciled)",
            "  Namespace/shop=-",
            "  ResourceQuota/acme-quota=-",
            "  RoleBinding/acme-developers=-",
        ]);
        root.TryGetProperty("namespace", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task ObjectWithTwoOwners_AppearsUnderBoth()
    {
        var frontend = await server.GetRaw($"{Api}/namespaces/shop/deployments/frontend/compositions?depth=1");
        var cart = await server.GetRaw($"{Api}/namespaces/shop/deployments/cart/compositions?depth=1");

        frontend.ShouldContain("\"name\":\"shop-config\"");
        cart.ShouldContain("\"name\":\"shop-config\"");
    }

    [Fact]
    public async Task OwnerThatNoLongerExists_IsReportedAsDangling()
    {
        var root = Json(await server.GetRaw($"{Api}/namespaces/default/pods/legacy-worker-5d8f9c7b6-w2x4r/compositions")).GetProperty("root");

        var dangling = root.GetProperty("danglingOwners").EnumerateArray().ShouldHaveSingleItem();
        dangling.GetProperty("kind").GetString().ShouldBe("ReplicaSet");
        dangling.GetProperty("name").GetString().ShouldBe("legacy-worker-5d8f9c7b6");
    }

    [Fact]
    public async Task DepthLimitsTheTree()
    {
        var root = Json(await server.GetRaw($"{Api}/namespaces/data/statefulsets/redis/compositions?depth=0")).GetProperty("root");

        root.GetProperty("children").GetArrayLength().ShouldBe(0);
        root.GetProperty("truncated").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task MissingObject_IsNotFound_AsKubectlPrintsIt()
    {
        var result = await server.Kubectl("get", "--raw", $"{Api}/namespaces/shop/deployments/nope/compositions");

        result.ExitCode.ShouldNotBe(0);
        result.Stderr.Trim().ShouldBe("Error from server (NotFound): deployments.apps \"nope\" not found");
    }

    [Fact]
    public async Task UnknownResource_IsNotFound_NamingWhatWasAskedFor()
    {
        var result = await server.Kubectl("get", "--raw", $"{Api}/namespaces/shop/frobnicators/x/compositions");

        result.Stderr.Trim().ShouldBe("Error from server (NotFound): the server doesn't have a resource type \"frobnicators\"");
    }

    [Fact]
    public async Task WrongScope_IsBadRequest_ExplainingTheRightPath()
    {
        var namespacedWithout = await server.Kubectl("get", "--raw", $"{Api}/deployments/cart/compositions");
        var clusterScopedUnder = await server.Kubectl("get", "--raw", $"{Api}/namespaces/shop/nodes/node-1/compositions");

        namespacedWithout.Stderr.ShouldContain("Error from server (BadRequest): deployments.apps is namespaced: ask /apis/kubediscovery.io/v1/namespaces/{namespace}/deployments/cart/compositions");
        clusterScopedUnder.Stderr.ShouldContain("Error from server (BadRequest): nodes is cluster-scoped: ask /apis/kubediscovery.io/v1/nodes/node-1/compositions");
    }

    [Fact]
    public async Task FormatTree_DrawsLikeKubectlTree()
    {
        var text = await server.GetRaw($"{Api}/namespaces/shop/deployments/frontend/compositions?format=tree");

        // AGE depends on today's date: compare everything before it.
        var lines = text.TrimEnd('\n').Split('\n').Select(l => l[..l.LastIndexOf("  ", StringComparison.Ordinal)].TrimEnd()).ToArray();
        lines.ShouldBe(
        [
            "NAMESPACE  NAME                               READY  REASON",
            "shop       Deployment/frontend                True   MinimumReplicasAvailable",
            "shop       ├─ConfigMap/shop-config            -",
            "shop       ├─ReplicaSet/frontend-5c7d9f8b6d   True",
            "shop       │ ├─Pod/frontend-5c7d9f8b6d-m4jh4  True",
            "shop       │ ├─Pod/frontend-5c7d9f8b6d-q9w8z  True",
            "shop       │ └─Pod/frontend-5c7d9f8b6d-x7k2p  True",
            "shop       └─ReplicaSet/frontend-6b8f7c9d4    True",
        ]);
        text.Split('\n')[1].ShouldMatch(@"\d+[smhdy]\w*$");
    }

    [Theory]
    [InlineData("deployments")]
    [InlineData("deployments.apps")]
    [InlineData("deployment")]
    [InlineData("Deployment")]
    [InlineData("deploy")]
    public async Task EveryResourceNameForm_Answers(string resource)
    {
        Json(await server.GetRaw($"{Api}/namespaces/shop/{resource}/cart/compositions")).GetProperty("root").GetProperty("name").GetString().ShouldBe("cart");
    }

    [Fact]
    public async Task LegacyEndpoint_AnswersThe2018Shape()
    {
        var answer = Json(await server.GetRaw($"{Api}/composition?kind=Deployment&instance=cart&namespace=shop"));

        var root = answer.EnumerateArray().ShouldHaveSingleItem();
        root.GetProperty("Level").GetInt32().ShouldBe(0);
        root.GetProperty("Kind").GetString().ShouldBe("Deployment");
        root.GetProperty("Name").GetString().ShouldBe("cart");
        root.GetProperty("Status").GetString().ShouldBe("MinimumReplicasUnavailable");
        var replicaSet = root.GetProperty("Children").EnumerateArray().Single(c => c.GetProperty("Kind").GetString() == "ReplicaSet");
        replicaSet.GetProperty("Level").GetInt32().ShouldBe(1);
        replicaSet.GetProperty("Children").EnumerateArray().Select(p => p.GetProperty("Level").GetInt32()).ShouldAllBe(l => l == 2);
        root.EnumerateObject().Select(p => p.Name).ShouldBe(["Level", "Kind", "Name", "Status", "Children"]);
    }

    [Fact]
    public async Task LegacyEndpoint_StarListsAll_InTheDefaultNamespaceByDefault()
    {
        var answer = Json(await server.GetRaw($"{Api}/composition?kind=Deployment&instance=*"));

        answer.EnumerateArray().Select(r => r.GetProperty("Name").GetString()).ShouldBe(["nginx"]);
    }

    [Fact]
    public async Task PodsComposition_SaysWhatItBelongsTo_UpToTheTop()
    {
        var composition = Json(await server.GetRaw($"{Api}/namespaces/shop/pods/orders-db-6f5b8d7c9a-x7k2p/compositions"));

        var replicaSet = composition.GetProperty("ancestors").EnumerateArray().Single();
        replicaSet.GetProperty("kind").GetString().ShouldBe("ReplicaSet");
        replicaSet.GetProperty("status").GetProperty("ready").GetString().ShouldBe("True");
        var deployment = replicaSet.GetProperty("ancestors").EnumerateArray().Single();
        deployment.GetProperty("name").GetString().ShouldBe("orders-db");
        var postgres = deployment.GetProperty("ancestors").EnumerateArray().Single();
        (postgres.GetProperty("kind").GetString(), postgres.GetProperty("apiVersion").GetString()).ShouldBe(("Postgres", "db.example.com/v1"));
        postgres.GetProperty("ancestors").GetArrayLength().ShouldBe(0);

        // A root belongs to nothing.
        Json(await server.GetRaw($"{Api}/namespaces/shop/deployments/cart/compositions")).GetProperty("ancestors").GetArrayLength().ShouldBe(0);
    }

    [Theory]
    [InlineData("/namespaces/shop/postgreses/orders-db/compositions?format=dot")]
    [InlineData("/namespaces/shop/deployments/*/compositions?format=dot")]
    [InlineData("/namespaces/shop/pods/orders-db-6f5b8d7c9a-x7k2p/compositions?format=dot")]
    [InlineData("/namespaces/shop/compositions?format=dot")]
    [InlineData("/tenants/acme/compositions?format=dot")]
    public async Task FormatDot_IsAcceptedByGraphviz(string path)
    {
        var dot = await server.GetRaw(Api + path);
        var svg = await Graphviz.SvgAsync(dot);

        svg.ShouldContain("<svg");
        svg.ShouldContain("shop");
    }

    [Fact]
    public async Task FormatMermaid_DrawsTheSharedConfigMapOnceWithTwoOwners()
    {
        var mermaid = await server.GetRaw($"{Api}/namespaces/shop/deployments/*/compositions?format=mermaid");

        var lines = mermaid.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("flowchart LR");
        var config = lines.Single(l => l.Contains("ConfigMap<br/>shop-config", StringComparison.Ordinal)).Trim().Split('[')[0];
        lines.Count(l => l.TrimEnd().EndsWith($"--> {config}", StringComparison.Ordinal)).ShouldBe(2);
    }
}
