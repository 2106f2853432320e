using System.Text.Json;

namespace KubeDiscovery.EndToEnd.Tests;

/// <summary>Connections and the dangling report as a kubectl user sees them, on the bundled sample cluster.</summary>
public sealed class ConnectionsTests(DemoServer server) : IClassFixture<DemoServer>
{
    private const string Api = "/apis/kubediscovery.io/v1";

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    private static List<string> Edges(JsonElement answer) =>
        answer.GetProperty("edges").EnumerateArray()
            .Select(e => $"{e.GetProperty("from").GetString()} {e.GetProperty("kind").GetString()} {e.GetProperty("to").GetString()}").ToList();

    [Fact]
    public async Task WhatMountsASecret_ThroughKubectl()
    {
        var result = await server.Kubectl("get", "--raw", $"{Api}/namespaces/web/secrets/session-keys/connections?direction=in");

        result.ExitCode.ShouldBe(0, result.Stderr);
        var answer = Json(result.Stdout);
        (answer.GetProperty("apiVersion").GetString(), answer.GetProperty("kind").GetString(), answer.GetProperty("root").GetString())
            .ShouldBe(("kubediscovery.io/v1", "Connections", "Secret/web/session-keys"));
        Edges(answer).ShouldBe(
        [
            "Deployment.apps/web/storefront mounts Secret/web/session-keys",
            "Pod/web/storefront-7d9c5b8f6-abcde mounts Secret/web/session-keys",
            "Pod/web/storefront-7d9c5b8f6-fghij mounts Secret/web/session-keys",
            "ReplicaSet.apps/web/storefront-7d9c5b8f6 mounts Secret/web/session-keys",
        ], ignoreOrder: true);
    }

    [Fact]
    public async Task APodsNeighbourhood_HasNodesWithStatus_AndAMissingTargetIsMarked()
    {
        var answer = Json(await server.GetRaw($"{Api}/namespaces/web/pods/debug-shell/connections"));

        var nodes = answer.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("id").GetString()!);
        nodes["Pod/web/debug-shell"].GetProperty("status").GetProperty("ready").GetString().ShouldBe("False");
        nodes["Pod/web/debug-shell"].GetProperty("depth").GetInt32().ShouldBe(0);
        var missing = nodes["ConfigMap/web/debug-tools"];
        missing.GetProperty("missing").GetBoolean().ShouldBeTrue();
        missing.TryGetProperty("uid", out _).ShouldBeFalse();
        nodes["Node/node-2"].GetProperty("uid").GetString().ShouldNotBeNullOrEmpty();
        Edges(answer).ShouldContain("Pod/web/debug-shell runs-on Node/node-2");
    }

    [Fact]
    public async Task ClusterScopedObjects_AndEveryNameForm_Work()
    {
        Edges(Json(await server.GetRaw($"{Api}/clusterroles.rbac.authorization.k8s.io/web-reader/connections?direction=out")))
            .ShouldContain("ClusterRole.rbac.authorization.k8s.io/web-reader aggregates ClusterRole.rbac.authorization.k8s.io/web-reader-pods");
        Edges(Json(await server.GetRaw($"{Api}/namespaces/web/svc/storefront/connections?direction=out")))
            .ShouldContain("Service/web/storefront selects Pod/web/storefront-7d9c5b8f6-abcde");
        var list = Json(await server.GetRaw($"{Api}/namespaces/web/ingresses/*/connections"));
        list.GetProperty("kind").GetString().ShouldBe("ConnectionsList");
        list.GetProperty("items").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task FormatTree_HangsEachObjectFromTheOneItWasReachedFrom_WithTheEdgeNamed()
    {
        var tree = (await server.GetRaw($"{Api}/namespaces/web/secrets/session-keys/connections?direction=in&depth=2&format=tree")).Split('\n');

        tree[0].ShouldBe("Secret/web/session-keys");
        tree.ShouldContain("├─mounts← Deployment.apps/web/storefront");
        // The Pods hang from the Secret they mount (depth 1), not again from their ReplicaSet.
        tree.ShouldContain("├─mounts← Pod/web/storefront-7d9c5b8f6-abcde");
        tree.ShouldContain(l => l.EndsWith("more edges between these objects: format=json lists every edge)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/namespaces/web/pods/storefront-7d9c5b8f6-abcde/connections?format=dot")]
    [InlineData("/namespaces/shop/deployments/*/connections?depth=2&format=dot")]
    public async Task FormatDot_IsAcceptedByGraphviz_WithEdgesLabelled(string path)
    {
        var dot = await server.GetRaw(Api + path);
        var svg = await Graphviz.SvgAsync(dot);

        svg.ShouldContain("<svg");
        dot.ShouldContain("[label=\"mounts\"]");
    }

    [Fact]
    public async Task FormatMermaid_LabelsEveryEdgeWithItsKind()
    {
        var mermaid = (await server.GetRaw($"{Api}/namespaces/web/pods/storefront-7d9c5b8f6-abcde/connections?format=mermaid")).Split('\n');

        mermaid[0].ShouldBe("flowchart LR");
        mermaid.ShouldContain(l => l.Contains("-->|\"mounts\"|", StringComparison.Ordinal));
        mermaid.Where(l => l.Contains("-->", StringComparison.Ordinal)).ShouldAllBe(l => l.Contains("-->|\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Discovery_ListsTheConnectionsSubresource()
    {
        var resources = Json(await server.GetRaw(Api)).GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();

        resources.ShouldContain("pods/connections");
        resources.ShouldContain("secrets/connections");
    }

    [Theory]
    [InlineData("namespaces/web/pods/debug-shell/connections?direction=sideways", 400, "direction must be out, in or both, not \"sideways\"")]
    [InlineData("namespaces/web/pods/debug-shell/connections?depth=11", 400, "depth 11 is too large: connections go at most 10 levels out")]
    [InlineData("namespaces/web/pods/debug-shell/connections?depth=-1", 400, "depth must be an integer from 0 to 10, not \"-1\"")]
    [InlineData("namespaces/web/pods/nope/connections", 404, "pods \"nope\" not found")]
    [InlineData("namespaces/web/pods/debug-shell/connections?format=bogus", 400, "unknown format \"bogus\": use format=json (the default), tree, dot or mermaid")]
    [InlineData("namespaces/web/pods/*/connections?format=bogus", 400, "unknown format \"bogus\": use format=json (the default), tree, dot or mermaid")]
    [InlineData("namespaces/web/pods/debug-shell/connections?through=Pod", 400, "through names hub kinds to walk through (CSIDriver, ClusterRole, IngressClass, Namespace, Node, PodSecurityPolicy, PriorityClass, RuntimeClass, ServiceAccount, StorageClass) or all, not \"Pod\"")]
    [InlineData("namespaces/web/pods/debug-shell/connections?kinds=Mounts", 400, "kinds must be edge kinds separated by commas, such as kinds=mounts,selects (format=json names them in edges[].kind), not \"Mounts\"")]
    [InlineData("namespaces/web/nodes/node-1/connections", 400, "nodes is cluster-scoped: ask /apis/kubediscovery.io/v1/nodes/node-1/connections, without namespaces/web")]
    public async Task BadRequests_AreKubernetesStatuses(string path, int code, string message)
    {
        var response = await server.Http.GetAsync($"{server.Url}{Api}/{path}");

        ((int)response.StatusCode).ShouldBe(code);
        var status = Json(await response.Content.ReadAsStringAsync());
        (status.GetProperty("kind").GetString(), status.GetProperty("code").GetInt32(), status.GetProperty("message").GetString()).ShouldBe(("Status", code, message));
    }

    [Fact]
    public async Task TheDanglingReport_GroupsBrokenReferencesByKind()
    {
        var report = Json(await server.GetRaw($"{Api}/namespaces/web/dangling"));

        report.GetProperty("kind").GetString().ShouldBe("DanglingReport");
        report.GetProperty("groups").EnumerateArray()
            .Select(g => $"{g.GetProperty("kind").GetString()} {g.GetProperty("target").GetProperty("kind").GetString()}: "
                + string.Join(",", g.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("target").GetProperty("name").GetString())))
            .ShouldBe(["mounts ConfigMap: debug-tools", "reads-env-from Secret: report-credentials", "routes-to Service: storefront-admin"]);
        Json(await server.GetRaw($"{Api}/dangling")).GetProperty("total").GetInt32().ShouldBe(5);
    }
}
