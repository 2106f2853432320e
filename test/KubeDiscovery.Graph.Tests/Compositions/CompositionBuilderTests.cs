using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Index;
using KubeDiscovery.Graph.Model;
using static KubeDiscovery.Graph.Tests.Objects;

namespace KubeDiscovery.Graph.Tests.Compositions;

public sealed class CompositionBuilderTests
{
    private static readonly GroupResource Deployments = new("apps", "deployments");

    private static string Shape(CompositionNode node) =>
        $"{node.Object.Kind}/{node.Object.Name}{(node.Cycle ? "!cycle" : "")}{(node.Truncated ? "…" : "")}"
        + (node.Children.Count == 0 ? "" : "(" + string.Join(",", node.Children.Select(Shape)) + ")");

    [Fact]
    public void RecordedDeployment_HasItsReplicaSetAndThreePendingPods()
    {
        var index = new RecordedCluster().Index();
        var nginx = index.Find(Deployments, "default", "nginx")!;

        var tree = new CompositionBuilder(index).Build(nginx);

        Shape(tree).ShouldBe("Deployment/nginx(ReplicaSet/nginx-66b956cf97(Pod/nginx-66b956cf97-fhp45,Pod/nginx-66b956cf97-m4jh4,Pod/nginx-66b956cf97-s9hgs))");
        tree.Object.Status.Ready.ShouldBe(ReadyState.False);
        tree.Object.Status.Reason.ShouldBe("MinimumReplicasUnavailable");
        tree.Children[0].Children.ShouldAllBe(pod => pod.Object.Status.Reason == "Pending" && pod.Object.Status.Ready == ReadyState.False);
        tree.Children[0].Children.Select(c => c.Depth).ShouldAllBe(d => d == 2);
    }

    [Fact]
    public void RecordedCustomResource_OwnsDeploymentChainAndService_InKindOrder()
    {
        var index = new RecordedCluster().Index();
        var pg1 = index.Find(new GroupResource("db.example.com", "postgreses"), "default", "pg1")!;

        var tree = new CompositionBuilder(index).Build(pg1);

        // Kind order puts Deployment before Service; the Service's EndpointSlices hang below it.
        Shape(tree).ShouldBe("Postgres/pg1(Deployment/pg1-db(ReplicaSet/pg1-db-577c9f6d86(Pod/pg1-db-577c9f6d86-sn7xs)),Service/pg1(EndpointSlice/pg1-cbqcr,EndpointSlice/pg1-fkzbl))");
    }

    [Fact]
    public void DepthLimit_StopsExpandingAndMarksCutNodes()
    {
        var index = new RecordedCluster().Index();
        var nginx = index.Find(Deployments, "default", "nginx")!;
        var builder = new CompositionBuilder(index);

        Shape(builder.Build(nginx, maxDepth: 0)).ShouldBe("Deployment/nginx…");
        Shape(builder.Build(nginx, maxDepth: 1)).ShouldBe("Deployment/nginx(ReplicaSet/nginx-66b956cf97…)");
        Shape(builder.Build(nginx, maxDepth: 2)).ShouldNotContain("…");
    }

    [Fact]
    public void Cycle_IsCutAtTheRepeatedNodeAndMarked()
    {
        var index = new ClusterIndex();
        var a = Make(Widgets, "a", uid: "uid-a");
        var b = Make(Widgets, "b", uid: "uid-b", owners: a);
        // a is owned by b: a cycle only hand-written references can make.
        a = Make(Widgets, "a", uid: "uid-a", owners: b);
        index.Upsert(a);
        index.Upsert(b);

        Shape(new CompositionBuilder(index).Build(a)).ShouldBe("Widget/a(Widget/b(Widget/a!cycle))");
    }

    [Fact]
    public void SelfOwnership_IsACycleToo()
    {
        var index = new ClusterIndex();
        index.Upsert(new ObjectRecord(Widgets, "example.com/v1", "default", "me", "uid-me", null,
            [new OwnerReference("example.com/v1", "Widget", "me", "uid-me", false)], [], ObjectStatus.None));

        Shape(new CompositionBuilder(index).Build(index.FindByUid("uid-me")!)).ShouldBe("Widget/me(Widget/me!cycle)");
    }

    [Fact]
    public void ObjectWithTwoOwners_AppearsUnderEach()
    {
        var index = new ClusterIndex();
        var first = Make(Widgets, "first");
        var second = Make(Widgets, "second");
        var shared = Make(ConfigMaps, "shared", owners: [first, second]);
        foreach (var o in new[] { first, second, shared }) index.Upsert(o);

        var builder = new CompositionBuilder(index);
        Shape(builder.Build(first)).ShouldBe("Widget/first(ConfigMap/shared)");
        Shape(builder.Build(second)).ShouldBe("Widget/second(ConfigMap/shared)");
    }

    [Fact]
    public void OwnerMissingFromCluster_IsReportedAsDanglingOnTheChild()
    {
        var index = new ClusterIndex();
        var orphan = OwnedByUid(ConfigMaps, "orphan", "uid-that-is-gone");
        index.Upsert(orphan);

        var tree = new CompositionBuilder(index).Build(orphan);

        tree.DanglingOwners.ShouldHaveSingleItem().Uid.ShouldBe("uid-that-is-gone");
    }

    [Fact]
    public void ClusterScopedOwner_OwnsNamespacedChildrenInAnyNamespace()
    {
        var index = new ClusterIndex();
        var tenant = Make(Tenants, "acme", ns: null);
        index.Upsert(tenant);
        index.Upsert(Make(ConfigMaps, "quota", ns: "team-b", owners: tenant));
        index.Upsert(Make(ConfigMaps, "quota", ns: "team-a", owners: tenant));

        var tree = new CompositionBuilder(index).Build(tenant);

        tree.Children.Select(c => c.Object.Namespace).ShouldBe(["team-a", "team-b"]);
    }

    [Fact]
    public void NamespacedOwnerInAnotherNamespace_IsIgnoredLikeTheGarbageCollectorDoes()
    {
        var index = new ClusterIndex();
        var owner = Make(Widgets, "owner", ns: "a");
        var sameNs = Make(ConfigMaps, "same", ns: "a", owners: owner);
        var otherNs = Make(ConfigMaps, "other", ns: "b", owners: owner);
        foreach (var o in new[] { owner, sameNs, otherNs }) index.Upsert(o);
        var builder = new CompositionBuilder(index);

        Shape(builder.Build(owner)).ShouldBe("Widget/owner(ConfigMap/same)");
        builder.Build(otherNs).DanglingOwners.ShouldHaveSingleItem().Name.ShouldBe("owner");
    }

    [Fact]
    public void Children_AreOrderedByKindThenNamespaceThenName_WhateverTheInsertOrder()
    {
        var index = new ClusterIndex();
        var tenant = Make(Tenants, "t", ns: null);
        index.Upsert(tenant);
        index.Upsert(Make(Widgets, "b", ns: "x", owners: tenant));
        index.Upsert(Make(ConfigMaps, "z", ns: "y", owners: tenant));
        index.Upsert(Make(Widgets, "a", ns: "y", owners: tenant));
        index.Upsert(Make(ConfigMaps, "a", ns: "y", owners: tenant));
        index.Upsert(Make(Widgets, "a", ns: "x", owners: tenant));

        var children = new CompositionBuilder(index).Build(tenant).Children.Select(c => $"{c.Object.Kind}/{c.Object.Namespace}/{c.Object.Name}");

        children.ShouldBe(["ConfigMap/y/a", "ConfigMap/y/z", "Widget/x/a", "Widget/x/b", "Widget/y/a"]);
    }

    [Fact]
    public void NodeBudget_TruncatesExponentialSharedOwnershipInsteadOfExploding()
    {
        // A ladder where each level's two objects both own both objects of the next level: 2^30 paths.
        var index = new ClusterIndex();
        var level = new[] { Make(Widgets, "l0-a"), Make(Widgets, "l0-b") };
        foreach (var o in level) index.Upsert(o);
        var root = level[0];
        for (var i = 1; i <= 30; i++)
        {
            level = [Make(Widgets, $"l{i}-a", owners: level), Make(Widgets, $"l{i}-b", owners: level)];
            foreach (var o in level) index.Upsert(o);
        }

        var tree = new CompositionBuilder(index, maxNodes: 1000).Build(root);

        Flatten(tree).Count.ShouldBeLessThanOrEqualTo(1000);
    }

    [Fact]
    public void ChainOf100000Levels_IsCutAtTheDepthCap_WithoutOverflowingTheStack()
    {
        var index = new ClusterIndex();
        var owner = Make(ConfigMaps, "c0");
        var root = owner;
        index.Upsert(owner);
        for (var i = 1; i < 100_000; i++)
        {
            var next = Make(ConfigMaps, $"c{i}", owners: owner);
            index.Upsert(next);
            owner = next;
        }

        var tree = new CompositionBuilder(index).Build(root);

        var nodes = Flatten(tree);
        nodes.Count.ShouldBe(CompositionOptions.DefaultDepthCap + 1);
        var deepest = nodes[^1];
        deepest.Depth.ShouldBe(CompositionOptions.DefaultDepthCap);
        deepest.Truncated.ShouldBeTrue();
        new CompositionBuilder(index).Reachable([root]).Count().ShouldBe(CompositionOptions.DefaultDepthCap + 1);
    }

    [Fact]
    public void SharedOwnersInTwentyLayers_EachObjectIsExpandedOnce_LaterOccurrencesPointBack()
    {
        // a{k} and b{k} are each owned by both a{k-1} and b{k-1}: 2^20 paths through 41 ConfigMaps.
        var index = new ClusterIndex();
        var root = Make(ConfigMaps, "root");
        index.Upsert(root);
        ObjectRecord[] layer = [root];
        var all = new List<ObjectRecord> { root };
        for (var k = 1; k <= 20; k++)
        {
            layer = [Make(ConfigMaps, $"a{k}", owners: layer), Make(ConfigMaps, $"b{k}", owners: layer)];
            foreach (var o in layer) index.Upsert(o);
            all.AddRange(layer);
        }

        var nodes = Flatten(new CompositionBuilder(index).Build(root));
        var expanded = nodes.Where(n => !n.ExpandedElsewhere).ToList();
        expanded.Select(n => n.Object.Uid).ShouldBeUnique();
        expanded.Count.ShouldBe(41);
        nodes.Count.ShouldBe(1 + 2 + (38 * 2)); // every expanded object but the last layer shows its two children once
        nodes.Where(n => n.ExpandedElsewhere).ShouldAllBe(n => n.Children.Count == 0);

        // Every ConfigMap as a root, as configmaps/* asks: each tree is the one got alone, whatever came before it.
        var ordered = all.OrderBy(o => o.Name, StringComparer.Ordinal).ToList();
        var list = new CompositionBuilder(index).BuildAll(ordered);
        list.Count.ShouldBe(41);
        for (var i = 0; i < list.Count; i++)
        {
            Flatten(list[i]).Where(n => !n.ExpandedElsewhere).Select(n => n.Object.Uid).ShouldBeUnique();
            Flatten(list[i]).Count.ShouldBe(Flatten(new CompositionBuilder(index).Build(ordered[i])).Count);
        }
    }

    [Fact]
    public void NodeBudget_HoldsForTheWholeAnswer_NotPerRoot()
    {
        var index = new ClusterIndex();
        List<ObjectRecord> roots = [];
        for (var r = 0; r < 10; r++)
        {
            var owner = Make(Widgets, $"w{r}");
            index.Upsert(owner);
            roots.Add(owner);
            for (var c = 0; c < 100; c++) index.Upsert(Make(ConfigMaps, $"w{r}-c{c}", owners: owner));
        }

        var trees = new CompositionBuilder(index, maxNodes: 300).BuildAll(roots);

        trees.Count.ShouldBe(10); // every root is answered
        trees.SelectMany(Flatten).Count().ShouldBeLessThanOrEqualTo(300 + 10);
        trees[^1].Truncated.ShouldBeTrue();
    }

    /// <summary>Every node, parents before children, without recursion.</summary>
    private static List<CompositionNode> Flatten(CompositionNode root)
    {
        List<CompositionNode> nodes = [];
        var pending = new Stack<CompositionNode>([root]);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            nodes.Add(node);
            for (var i = node.Children.Count - 1; i >= 0; i--) pending.Push(node.Children[i]);
        }
        return nodes;
    }
}
