using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Index;
using KubeDiscovery.Graph.Model;
using static KubeDiscovery.Graph.Tests.Objects;

namespace KubeDiscovery.Graph.Tests.Compositions;

public sealed class AncestorBuilderTests
{
    private static string Up(CompositionNode node) =>
        $"{node.Object.Kind}/{node.Object.Name}{(node.Cycle ? "!cycle" : "")}{(node.ExpandedElsewhere ? "^" : "")}"
        + (node.Children.Count == 0 ? "" : "(" + string.Join(",", node.Children.Select(Up)) + ")");

    [Fact]
    public void RecordedPod_BelongsToItsReplicaSet_WhichBelongsToTheDeployment()
    {
        var index = new RecordedCluster().Index();
        var pod = index.List(new GroupResource("", "pods"), "default").First(p => p.Name.StartsWith("nginx-", StringComparison.Ordinal));

        var tree = new CompositionBuilder(index).Build(pod);

        tree.Ancestors.Select(Up).ShouldHaveSingleItem().ShouldMatch(@"^ReplicaSet/nginx-[a-z0-9]+\(Deployment/nginx\)$");
        tree.Children.ShouldBeEmpty();
    }

    [Fact]
    public void TwoOwners_GiveEveryPath_ExpandingASharedAncestorOnce()
    {
        var index = new ClusterIndex();
        var top = Make(Widgets, "top");
        var left = Make(Widgets, "left", owners: top);
        var right = Make(Widgets, "right", owners: top);
        var leaf = Make(ConfigMaps, "leaf", owners: [left, right]);
        foreach (var o in new[] { top, left, right, leaf }) index.Upsert(o);

        var up = new AncestorBuilder(index).Build(leaf);

        up.Children.Select(Up).ShouldBe(["Widget/left(Widget/top)", "Widget/right(Widget/top^)"]);
    }

    [Fact]
    public void OwnerCycle_IsCut_AndMissingOwnersAreDanglingNotAncestors()
    {
        var index = new ClusterIndex();
        var a = Make(Widgets, "a", uid: "uid-a");
        var b = Make(Widgets, "b", uid: "uid-b", owners: a);
        a = Make(Widgets, "a", uid: "uid-a", owners: b);
        index.Upsert(a);
        index.Upsert(b);
        var orphan = OwnedByUid(ConfigMaps, "orphan", "uid-gone");
        index.Upsert(orphan);

        new AncestorBuilder(index).Build(a).Children.Select(Up).ShouldBe(["Widget/b(Widget/a!cycle)"]);
        var tree = new CompositionBuilder(index).Build(orphan);
        tree.Ancestors.ShouldBeEmpty();
        tree.DanglingOwners.ShouldHaveSingleItem();
    }

    [Fact]
    public void HiddenOwners_AreLeftOutAndCounted_OrOmittedEntirely()
    {
        var index = new ClusterIndex();
        var tenant = Make(Tenants, "acme");
        var widget = Make(Widgets, "w", owners: tenant);
        index.Upsert(tenant);
        index.Upsert(widget);
        var noTenants = CompositionOptions.Default with { IsVisible = r => r.Kind != "Tenant" };

        var counted = new CompositionBuilder(index, noTenants).Build(widget);
        counted.Ancestors.ShouldBeEmpty();
        counted.HiddenAncestors.ShouldBe(1);
        new CompositionBuilder(index, noTenants with { CountHidden = false }).Build(widget).HiddenAncestors.ShouldBe(0);
    }

    [Fact]
    public void ChainOf2000Levels_UpwardIsCutAtTheDepthCap()
    {
        var index = new ClusterIndex();
        var owner = Make(ConfigMaps, "c0");
        index.Upsert(owner);
        for (var i = 1; i < 2000; i++)
        {
            owner = Make(ConfigMaps, $"c{i}", owners: owner);
            index.Upsert(owner);
        }

        var up = new AncestorBuilder(index).Build(owner);

        var depth = 0;
        for (var node = up; node.Children.Count > 0; node = node.Children[0]) depth++;
        depth.ShouldBe(CompositionOptions.DefaultDepthCap);
    }
}
