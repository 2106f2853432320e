using System.Text.Json;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary><c>kubectl get compositions</c> as any kubectl user types it, against the demo cluster.</summary>
public sealed class KubectlGetCompositionsTests(DemoServer server) : IClassFixture<DemoServer>
{
    private async Task<string[]> Lines(params string[] args)
    {
        var result = await server.Kubectl(args);
        result.ExitCode.ShouldBe(0, result.Stderr);
        return result.Stdout.TrimEnd('\n').Split('\n').Select(l => l.TrimEnd()).ToArray();
    }

    /// <summary>Columns as kubectl printed them: split on runs of two or more spaces.</summary>
    private static string[] Cells(string line) => System.Text.RegularExpressions.Regex.Split(line, " {2,}");

    /// <summary>The NAME cell of a table row: up to where the header's next column starts (drawn names hold runs of spaces).</summary>
    private static string NameCell(string header, string line) => line[..Math.Min(line.Length, header.IndexOf("READY", StringComparison.Ordinal))].TrimEnd();

    [Fact]
    public async Task ApiResources_ListsCompositionsAndClusterCompositions()
    {
        var lines = await Lines("api-resources", "--api-group=kubediscovery.io", "--no-headers");

        lines.Select(l => Cells(l)[0]).ShouldBe(["appinstances", "clustercompositions", "compositions"]);
        Cells(lines[2]).ShouldBe(["compositions", "kubediscovery.io/v1", "true", "Composition"]);
        Cells(lines[1]).ShouldBe(["clustercompositions", "kubediscovery.io/v1", "false", "ClusterComposition"]);
        Cells(lines[0]).ShouldBe(["appinstances", "appi", "kubediscovery.io/v1", "true", "Application"]);
    }

    [Fact]
    public async Task GetCompositions_InANamespace_DrawsEachRootsTreeInTheNameColumn_RowsOfATreeTogether()
    {
        var lines = await Lines("get", "compositions", "-n", "shop");

        Cells(lines[0]).ShouldBe(["NAME", "READY", "REASON", "AGE"]);
        var names = lines[1..].Select(l => NameCell(lines[0], l)).ToArray();
        names.ShouldBe(
        [
            "Deployment/cart",
            "├─ConfigMap/shop-config",
            "└─ReplicaSet/cart-84c6d7b9f5",
            "  ├─Pod/cart-84c6d7b9f5-m4jh4",
            "  └─Pod/cart-84c6d7b9f5-x7k2p",
            "Deployment/frontend",
            "├─ConfigMap/shop-config",
            "├─ReplicaSet/frontend-5c7d9f8b6d",
            "│ ├─Pod/frontend-5c7d9f8b6d-m4jh4",
            "│ ├─Pod/frontend-5c7d9f8b6d-q9w8z",
            "│ └─Pod/frontend-5c7d9f8b6d-x7k2p",
            "└─ReplicaSet/frontend-6b8f7c9d4",
            "PersistentVolumeClaim/orders-db-data",
            "Postgres/orders-db",
            "├─Deployment/orders-db",
            "│ └─ReplicaSet/orders-db-6f5b8d7c9a",
            "│   └─Pod/orders-db-6f5b8d7c9a-x7k2p",
            "├─Secret/orders-db-creds",
            "└─Service/orders-db",
            "Service/cart",
            "Service/frontend",
            "└─EndpointSlice/frontend-k2x9d",
            "ServiceAccount/default",
        ]);
        Cells(lines[1])[1..3].ShouldBe(["False", "MinimumReplicasUnavailable"]);
        Cells(lines[2])[1].ShouldBe("-");
    }

    [Fact]
    public async Task AllNamespaces_AddsTheNamespaceColumn_AndWide_AddsUidAndMessage()
    {
        var all = await Lines("get", "compositions", "-A");
        Cells(all[0]).ShouldBe(["NAMESPACE", "NAME", "READY", "REASON", "AGE"]);
        all.ShouldContain(l => Cells(l)[0] == "batch-jobs" && Cells(l)[1] == "CronJob/nightly-report");
        all.Skip(1).Select(l => Cells(l)[0]).ShouldBeInOrder(SortDirection.Ascending, StringComparer.Ordinal);

        var wide = await Lines("get", "composition", "deployment.cart", "-n", "shop", "-o", "wide");
        Cells(wide[0]).ShouldBe(["NAME", "READY", "REASON", "AGE", "UID", "MESSAGE"]);
        Cells(wide[1])[^1].ShouldBe("Deployment does not have minimum availability.");
        Cells(wide[3])[^1].ShouldBe("1/2 replicas ready");
    }

    [Fact]
    public async Task OutputName_Json_AndGetByName_UseTheItemNames()
    {
        (await Lines("get", "compositions", "-n", "shop", "-o", "name")).ShouldBe(
        [
            "composition.kubediscovery.io/deployment.cart",
            "composition.kubediscovery.io/deployment.frontend",
            "composition.kubediscovery.io/persistentvolumeclaim.orders-db-data",
            "composition.kubediscovery.io/postgres.db.example.com.orders-db",
            "composition.kubediscovery.io/service.cart",
            "composition.kubediscovery.io/service.frontend",
            "composition.kubediscovery.io/serviceaccount.default",
        ]);

        var item = JsonDocument.Parse(string.Join('\n', await Lines("get", "composition", "postgres.db.example.com.orders-db", "-n", "shop", "-o", "json"))).RootElement;
        item.GetProperty("kind").GetString().ShouldBe("Composition");
        item.GetProperty("metadata").GetProperty("name").GetString().ShouldBe("postgres.db.example.com.orders-db");
        item.GetProperty("root").GetProperty("kind").GetString().ShouldBe("Postgres");
        item.GetProperty("root").GetProperty("children").GetArrayLength().ShouldBe(3);

        var list = JsonDocument.Parse(string.Join('\n', await Lines("get", "compositions", "-n", "shop", "-o", "json"))).RootElement;
        list.GetProperty("kind").GetString().ShouldBe("List");
        list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("kind").GetString()).Distinct().ShouldBe(["Composition"]);
    }

    [Fact]
    public async Task FieldAndLabelSelectors_ChooseRoots()
    {
        (await Lines("get", "compositions", "-A", "--field-selector", "root.kind=Deployment", "-o", "name"))
            .ShouldBe(["composition.kubediscovery.io/deployment.nginx", "composition.kubediscovery.io/deployment.guestbook-ui", "composition.kubediscovery.io/deployment.coredns", "composition.kubediscovery.io/deployment.prometheus", "composition.kubediscovery.io/deployment.podinfo", "composition.kubediscovery.io/deployment.cart", "composition.kubediscovery.io/deployment.frontend", "composition.kubediscovery.io/deployment.checkout", "composition.kubediscovery.io/deployment.payments", "composition.kubediscovery.io/deployment.storefront"]);
        (await Lines("get", "compositions", "-n", "shop", "-l", "app=cart", "-o", "name"))
            .ShouldBe(["composition.kubediscovery.io/deployment.cart", "composition.kubediscovery.io/service.cart"]);

        var bad = await server.Kubectl("get", "compositions", "-n", "shop", "--field-selector", "spec.replicas=1");
        bad.ExitCode.ShouldNotBe(0);
        bad.Stderr.ShouldContain("field label not supported: spec.replicas");
    }

    [Fact]
    public async Task ChunkSize2_PagesThroughTheSameList()
    {
        var whole = await Lines("get", "compositions", "-A", "-o", "name");
        var paged = await Lines("get", "compositions", "-A", "-o", "name", "--chunk-size", "2");

        paged.ShouldBe(whole);
        whole.Length.ShouldBeGreaterThan(10);
    }

    [Fact]
    public async Task ClusterCompositions_HoldClusterScopedRoots_AndAnyObjectIsGotByName()
    {
        var names = (await Lines("get", "clustercompositions", "-o", "name")).ToList();
        names.ShouldContain("clustercomposition.kubediscovery.io/node.node-1");
        names.ShouldContain("clustercomposition.kubediscovery.io/tenant.platform.example.com.acme");
        names.ShouldNotContain("clustercomposition.kubediscovery.io/namespace.shop"); // the Tenant owns it

        // The Namespace's own tree has a name of its own: the path namespaces/shop/compositions is the list.
        (await Lines("get", "clustercomposition", "namespace.shop", "--no-headers")).Select(l => Cells(l)[0]).ShouldBe(["Tenant/acme (owner)", "└─Namespace/shop"]);
        (await Lines("get", "composition", "replicaset.cart-84c6d7b9f5", "-n", "shop", "--no-headers")).Length.ShouldBe(4); // its Deployment, itself, two Pods
    }

    [Fact]
    public async Task MissingItem_AndMissingNamespace_AreNotFoundAsKubectlSaysThem()
    {
        var item = await server.Kubectl("get", "composition", "deployment.nope", "-n", "shop");
        item.ExitCode.ShouldNotBe(0);
        item.Stderr.Trim().ShouldBe("Error from server (NotFound): compositions.kubediscovery.io \"deployment.nope\" not found");

        var ns = await server.Kubectl("get", "composition", "deployment.nope", "-n", "nowhere");
        ns.Stderr.Trim().ShouldBe("Error from server (NotFound): namespaces \"nowhere\" not found");
    }

    [Fact]
    public async Task AnOwnedObjectsItem_DrawsItsOwnersAbove_AndAnOrphanSaysItsOwnerIsMissing()
    {
        var pod = await Lines("get", "composition", "pod.orders-db-6f5b8d7c9a-x7k2p", "-n", "shop");
        pod[1..].Select(l => NameCell(pod[0], l)).ShouldBe(
        [
            "Postgres/orders-db (owner)",
            "└─Deployment/orders-db (owner)",
            "  └─ReplicaSet/orders-db-6f5b8d7c9a (owner)",
            "    └─Pod/orders-db-6f5b8d7c9a-x7k2p",
        ]);

        var orphans = await Lines("get", "compositions", "-n", "default");
        orphans.ShouldContain(l => l.StartsWith("Pod/legacy-worker-5d8f9c7b6-w2x4r (owner ReplicaSet/legacy-worker-5d8f9c7b6 missing)", StringComparison.Ordinal));

        var tree = await server.GetRaw("/apis/kubediscovery.io/v1/namespaces/shop/configmaps/shop-config/compositions?format=tree");
        tree.ShouldContain("└─ConfigMap/shop-config (also owned by Deployment/cart)");
    }

    [Fact]
    public async Task ABareName_IsNotFound_NamingTheItemsItMayMean()
    {
        var bare = await server.Kubectl("get", "composition", "cart", "-n", "shop");

        bare.ExitCode.ShouldNotBe(0);
        bare.Stderr.Trim().ShouldBe("Error from server (NotFound): compositions.kubediscovery.io \"cart\" not found: item names are kind.name; did you mean deployment.cart or service.cart?");
    }

    [Theory]
    [InlineData("deployments.cart")]
    [InlineData("deploy.cart")]
    [InlineData("deployments.apps.cart")]
    [InlineData("deployment.cart")]
    public async Task AnItemName_TakesTheResourceNamesKubectlUsersType(string name)
    {
        var lines = await Lines("get", "composition", name, "-n", "shop", "--no-headers");

        Cells(lines[0])[0].ShouldBe("Deployment/cart");
    }

    [Fact]
    public async Task NamespacesPath_IsTheListOfTheNamespace_AsKubeApiserverReadsIt()
    {
        var list = JsonDocument.Parse(await server.GetRaw("/apis/kubediscovery.io/v1/namespaces/shop/compositions")).RootElement;

        list.GetProperty("kind").GetString().ShouldBe("CompositionList");
        list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("metadata").GetProperty("name").GetString())
            .ShouldContain("deployment.cart");
    }

    [Fact]
    public async Task Explain_DescribesCompositionsAndTheirNodes_FromOurOpenApi()
    {
        var top = string.Join('\n', await Lines("explain", "compositions"));
        top.ShouldContain("KIND:       Composition");
        top.ShouldContain("GROUP:      kubediscovery.io");
        top.ShouldContain("ancestors\t<[]AncestorNode>");
        top.ShouldContain("root\t<CompositionNode>");

        var status = string.Join('\n', await Lines("explain", "compositions.root.status"));
        status.ShouldContain("ready\t<string> -required-");
        status.ShouldContain("enum: True, False, Unknown");

        (await Lines("explain", "clustercompositions.root.children.expandedElsewhere")).ShouldContain(l => l.Contains("FIELD: expandedElsewhere <boolean>"));
    }

    [Theory]
    [InlineData("/openapi/v2")]
    [InlineData("/openapi/v3")]
    [InlineData("/openapi/v3/apis/kubediscovery.io/v1")]
    public async Task OpenApiDocuments_CarryAnETag_AndRevalidateWith304(string path)
    {
        using var first = await server.Http.GetAsync(server.Url + path);
        first.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        var etag = first.Headers.ETag!;

        using var again = new HttpRequestMessage(HttpMethod.Get, server.Url + path);
        again.Headers.IfNoneMatch.Add(etag);
        (await server.Http.SendAsync(again)).StatusCode.ShouldBe(System.Net.HttpStatusCode.NotModified);
    }
}
