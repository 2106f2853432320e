using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Index;
using KubeDiscovery.Graph.Model;
using static KubeDiscovery.Graph.Tests.Objects;

namespace KubeDiscovery.Graph.Tests.Compositions;

public sealed class CompositionNamesTests
{
    private readonly RecordedCluster _cluster = new();

    [Theory]
    [InlineData("apps", "deployments", "nginx", "deployment.nginx")]
    [InlineData("", "services", "pg1", "service.pg1")]
    [InlineData("db.example.com", "postgreses", "pg1", "postgres.db.example.com.pg1")]
    public void ItemNames_AreKindGroupName_WithTheGroupOnlyWhereTheKindDoesNotSayIt(string group, string plural, string name, string expected)
    {
        var index = _cluster.Index();
        var record = index.Find(new GroupResource(group, plural), "default", name)!;

        CompositionNames.NameOf(record, _cluster.Catalog).ShouldBe(expected);
        CompositionNames.Find(expected, "default", _cluster.Catalog, index).ShouldBeSameAs(record);
    }

    [Fact]
    public void NameWithDots_IsFoundWhicheverWayItSplits()
    {
        var index = _cluster.Index();
        var dotted = new ObjectRecord(_cluster.Catalog.Resolve("configmaps")!, "v1", "default", "app.config.v2", "uid-dotted", null, [], [], ObjectStatus.None);
        index.Upsert(dotted);

        CompositionNames.NameOf(dotted, _cluster.Catalog).ShouldBe("configmap.app.config.v2");
        CompositionNames.Find("configmap.app.config.v2", "default", _cluster.Catalog, index).ShouldBeSameAs(dotted);
        CompositionNames.Find("configmap.app.config.v2", "other", _cluster.Catalog, index).ShouldBeNull();
        CompositionNames.Find("nothing.here", "default", _cluster.Catalog, index).ShouldBeNull();
    }

    [Fact]
    public void Roots_AreObjectsWithoutAnOwnerThatExists_SortedByNamespaceKindName()
    {
        var index = _cluster.Index();

        var roots = CompositionRoots.List(index, _cluster.Catalog, "default", clusterScoped: false);

        roots.ShouldContain(r => r.Kind == "Deployment" && r.Name == "nginx");
        roots.ShouldContain(r => r.Kind == "Postgres" && r.Name == "pg1");
        roots.ShouldNotContain(r => r.Kind == "ReplicaSet" || r.Kind == "Pod");
        roots.ShouldNotContain(r => r.Name == "pg1-db"); // owned by the Postgres
        roots.Select(r => r.Kind).ShouldBeInOrder(SortDirection.Ascending, StringComparer.Ordinal);
    }

    [Fact]
    public void ObjectWhoseOwnerIsGone_IsARoot_AndClusterScopedRootsAreApart()
    {
        var index = new ClusterIndex();
        var catalog = new KubeDiscovery.Graph.Resources.ResourceCatalog([ConfigMaps, Widgets, Tenants]);
        var tenant = Make(Tenants, "acme");
        index.Upsert(tenant);
        index.Upsert(Make(Widgets, "owned", owners: tenant));
        index.Upsert(OwnedByUid(ConfigMaps, "orphan", "uid-gone"));

        CompositionRoots.List(index, catalog, null, clusterScoped: false).Select(r => r.Name).ShouldBe(["orphan"]);
        CompositionRoots.List(index, catalog, null, clusterScoped: true).Select(r => CompositionNames.NameOf(r, catalog)).ShouldBe(["tenant.example.com.acme"]);
    }
}
