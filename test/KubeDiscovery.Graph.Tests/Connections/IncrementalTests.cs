using System.Text.Json.Nodes;
using KubeDiscovery.Graph.Connections;

namespace KubeDiscovery.Graph.Tests.Connections;

/// <summary>Each write moves exactly its own edges: nothing is rescanned, answers are current at once.</summary>
public sealed class IncrementalTests
{
    private readonly DemoCluster _demo = new();

    [Fact]
    public void ChangingAServiceSelector_MovesItsSelectsEdges()
    {
        var service = DemoCluster.Sample("Service", "web", "storefront");
        service["spec"]!["selector"] = new JsonObject { ["app"] = "cache" };

        _demo.Apply(service);

        _demo.Edges("services", "web", "storefront", direction: Direction.Out).Where(e => e.Contains(" selects ", StringComparison.Ordinal))
            .ShouldBe(["Service/web/storefront selects Pod/web/cache-0", "Service/web/storefront selects Pod/web/cache-1"], ignoreOrder: true);
        _demo.Edges("pods", "web", "storefront-7d9c5b8f6-abcde", direction: Direction.In).ShouldNotContain(e => e.StartsWith("Service/", StringComparison.Ordinal));
    }

    [Fact]
    public void RelabellingAPod_MovesItOutOfTheSelectorsThatNoLongerMatch()
    {
        var pod = DemoCluster.Sample("Pod", "web", "storefront-7d9c5b8f6-abcde");
        pod["metadata"]!["labels"]!["app"] = "quarantined";

        _demo.Apply(pod);

        _demo.Edges("services", "web", "storefront", direction: Direction.Out)
            .ShouldNotContain("Service/web/storefront selects Pod/web/storefront-7d9c5b8f6-abcde");
        var into = _demo.Edges("pods", "web", "storefront-7d9c5b8f6-abcde", direction: Direction.In);
        into.ShouldNotContain(e => e.StartsWith("PodDisruptionBudget", StringComparison.Ordinal));
        into.ShouldContain(e => e.StartsWith("NetworkPolicy", StringComparison.Ordinal)); // tier=web still matches
    }

    [Fact]
    public void RemovingAVolume_RemovesTheEdge_BothWays()
    {
        var pod = DemoCluster.Sample("Pod", "web", "storefront-7d9c5b8f6-abcde");
        var volumes = pod["spec"]!["volumes"]!.AsArray();
        volumes.Remove(volumes.Single(v => v!["name"]!.GetValue<string>() == "keys"));

        _demo.Apply(pod);

        _demo.Edges("pods", "web", "storefront-7d9c5b8f6-abcde", direction: Direction.Out).ShouldNotContain(e => e.Contains("session-keys", StringComparison.Ordinal));
        _demo.Edges("secrets", "web", "session-keys", direction: Direction.In).ShouldNotContain(e => e.StartsWith("Pod/web/storefront-7d9c5b8f6-abcde ", StringComparison.Ordinal));
    }

    [Fact]
    public void ObjectsMakingTheSameReferences_ShareOneLinkSet()
    {
        var a = _demo.Get("pods", "web", "cache-0");
        var template = _demo.Get("replicasets", "web", "storefront-7d9c5b8f6");
        var deployment = _demo.Get("deployments", "web", "storefront");

        ReferenceEquals(template.Links, deployment.Links).ShouldBeTrue();
        a.Links.ShouldNotBeNull();
    }

    [Fact]
    public void ListPagesAndSingleObjects_ExtractTheSameLinks()
    {
        var pod = DemoCluster.Sample("Pod", "web", "storefront-7d9c5b8f6-abcde");
        var single = _demo.Apply(pod);
        var page = System.Text.Encoding.UTF8.GetBytes($$"""{"kind":"PodList","apiVersion":"v1","metadata":{},"items":[{{pod.ToJsonString()}}]}""");
        var reader = new System.Text.Json.Utf8JsonReader(page);

        var streamed = _demo.Cache.Reader.ReadListPage(ref reader, single.Type).Items.ShouldHaveSingleItem();

        streamed.Links.ShouldBe(single.Links); // equal content; each Pod holds its own Node beside the shared part
        streamed.Links!.References.Count.ShouldBe(12);
    }
}
