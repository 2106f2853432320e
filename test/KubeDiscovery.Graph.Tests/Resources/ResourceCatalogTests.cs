using KubeDiscovery.Graph.Resources;

namespace KubeDiscovery.Graph.Tests.Resources;

public sealed class ResourceCatalogTests
{
    private readonly ResourceCatalog _catalog = new RecordedCluster().Catalog;

    [Theory]
    [InlineData("deployments", "deployments.apps")]
    [InlineData("deployments.apps", "deployments.apps")]
    [InlineData("deployments.v1.apps", "deployments.apps")]
    [InlineData("deployment", "deployments.apps")]
    [InlineData("Deployment", "deployments.apps")]
    [InlineData("DEPLOY", "deployments.apps")]
    [InlineData("deploy", "deployments.apps")]
    [InlineData("pods", "pods")]
    [InlineData("po", "pods")]
    [InlineData("Pod", "pods")]
    [InlineData("pg", "postgreses.db.example.com")]
    [InlineData("postgres", "postgreses.db.example.com")]
    [InlineData("postgreses.db.example.com", "postgreses.db.example.com")]
    [InlineData("Postgres.db.example.com", "postgreses.db.example.com")]
    [InlineData("crd", "customresourcedefinitions.apiextensions.k8s.io")]
    [InlineData("cj", "cronjobs.batch")]
    [InlineData("ns", "namespaces")]
    public void EveryNameFormKubectlAccepts_Resolves(string name, string expected)
    {
        _catalog.Resolve(name)!.ToString().ShouldBe(expected);
    }

    [Fact]
    public void NameServedByTwoGroups_ResolvesByDiscoveryOrder_AndGroupDisambiguates()
    {
        _catalog.Resolve("events")!.ToString().ShouldBe("events");
        _catalog.Resolve("events.events.k8s.io")!.ToString().ShouldBe("events.events.k8s.io");
    }

    [Theory]
    [InlineData("")]
    [InlineData("frobnicators")]
    [InlineData("deployments.nosuchgroup")]
    [InlineData("deployments.v9.apps")]
    public void UnknownNames_DoNotResolve(string name)
    {
        _catalog.Resolve(name).ShouldBeNull();
    }

    [Theory]
    [InlineData("Pod", "pods")]
    [InlineData("Ingress", "ingresses")]
    [InlineData("NetworkPolicy", "networkpolicies")]
    [InlineData("Endpoints", "endpointses")]
    public void GuessPlural_FollowsApimachinery(string kind, string plural)
    {
        KindNames.GuessPlural(kind).ShouldBe(plural);
    }
}
