using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Index;
using KubeDiscovery.Graph.Model;
using static KubeDiscovery.Graph.Tests.Objects;

namespace KubeDiscovery.Graph.Tests.Index;

public sealed class ClusterIndexTests
{
    [Fact]
    public void Upsert_FindsByUidAndByName_AndListsOneNamespaceSorted()
    {
        var index = new ClusterIndex();
        index.Upsert(Make(ConfigMaps, "b", "ns1"));
        index.Upsert(Make(ConfigMaps, "a", "ns1"));
        index.Upsert(Make(ConfigMaps, "c", "ns2"));

        index.FindByUid("uid-ConfigMap-ns1-a")!.Name.ShouldBe("a");
        index.Find(ConfigMaps.GroupResource, "ns2", "c").ShouldNotBeNull();
        index.Find(ConfigMaps.GroupResource, "ns1", "c").ShouldBeNull();
        index.List(ConfigMaps.GroupResource, "ns1").Select(o => o.Name).ShouldBe(["a", "b"]);
        index.List(ConfigMaps.GroupResource, null).Select(o => $"{o.Namespace}/{o.Name}").ShouldBe(["ns1/a", "ns1/b", "ns2/c"]);
    }

    [Fact]
    public void UpdatingOwnerReferences_MovesTheChildBetweenOwners()
    {
        var index = new ClusterIndex();
        var first = Make(Widgets, "first");
        var second = Make(Widgets, "second");
        index.Upsert(first);
        index.Upsert(second);
        index.Upsert(Make(ConfigMaps, "child", uid: "uid-child", owners: first));

        index.Upsert(Make(ConfigMaps, "child", uid: "uid-child", owners: second));

        index.Dependents.Sources(first.Uid).ShouldBeEmpty();
        index.Dependents.Sources(second.Uid).ShouldHaveSingleItem().Record.Name.ShouldBe("child");
    }

    [Fact]
    public void StatusUpdate_IsVisibleThroughTheParentWithoutReAdding()
    {
        var index = new ClusterIndex();
        var owner = Make(Widgets, "owner");
        index.Upsert(owner);
        var child = Make(ConfigMaps, "child", owners: owner);
        index.Upsert(child);
        var entryBefore = index.Dependents.Sources(owner.Uid)[0];

        index.Upsert(new ObjectRecord(child.Type, child.ApiVersion, child.Namespace, child.Name, child.Uid, child.CreationTimestamp,
            child.Owners, child.Labels, new ObjectStatus(ReadyState.True, "Fine")));

        var entryAfter = index.Dependents.Sources(owner.Uid).ShouldHaveSingleItem();
        entryAfter.ShouldBeSameAs(entryBefore);
        entryAfter.Record.Status.Reason.ShouldBe("Fine");
    }

    [Fact]
    public void Delete_RemovesFromEveryIndex_AndLeavesChildrenDangling()
    {
        var index = new ClusterIndex();
        var owner = Make(Widgets, "owner");
        var child = Make(ConfigMaps, "child", owners: owner);
        index.Upsert(owner);
        index.Upsert(child);

        index.Delete(owner.Uid).ShouldBeTrue();
        index.Delete(owner.Uid).ShouldBeFalse();

        index.FindByUid(owner.Uid).ShouldBeNull();
        index.Find(Widgets.GroupResource, "default", "owner").ShouldBeNull();
        index.Count.ShouldBe(1);
        new CompositionBuilder(index).Build(child).DanglingOwners.ShouldHaveSingleItem().Uid.ShouldBe(owner.Uid);
    }

    [Fact]
    public void RecreatedObject_WithSameNameAndNewUid_ReplacesTheOldOne()
    {
        var index = new ClusterIndex();
        index.Upsert(Make(ConfigMaps, "cm", uid: "old"));
        index.Upsert(Make(ConfigMaps, "cm", uid: "new"));

        index.FindByUid("old").ShouldBeNull();
        index.Find(ConfigMaps.GroupResource, "default", "cm")!.Uid.ShouldBe("new");
        index.Count.ShouldBe(1);
    }

    [Fact]
    public void ReplaceAll_DeletesObjectsOfThatResourceMissingFromTheNewList_Only()
    {
        var index = new ClusterIndex();
        index.Upsert(Make(ConfigMaps, "keep"));
        index.Upsert(Make(ConfigMaps, "gone"));
        index.Upsert(Make(Widgets, "other-resource"));

        index.ReplaceAll(ConfigMaps.GroupResource, [Make(ConfigMaps, "keep"), Make(ConfigMaps, "new")]);

        index.List(ConfigMaps.GroupResource, null).Select(o => o.Name).ShouldBe(["keep", "new"]);
        index.Find(Widgets.GroupResource, "default", "other-resource").ShouldNotBeNull();
    }

    [Fact]
    public async Task ConcurrentReaders_NeverFailAndSeeWholeTrees_WhileAWriterChurns()
    {
        var index = new ClusterIndex();
        var owner = Make(Widgets, "owner");
        index.Upsert(owner);
        using var stop = new CancellationTokenSource();

        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                var child = Make(ConfigMaps, $"c{i % 50}", owners: owner);
                if (i % 3 == 0) index.Delete(child.Uid); else index.Upsert(child);
            }
            stop.Cancel();
        });
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            var builder = new CompositionBuilder(index);
            var reads = 0;
            while (!stop.IsCancellationRequested || reads == 0)
            {
                var tree = builder.Build(owner);
                // Every child seen is a real, ordered, owned ConfigMap.
                tree.Children.ShouldAllBe(c => c.Object.Kind == "ConfigMap" && c.Object.Owners[0].Uid == owner.Uid);
                tree.Children.Select(c => c.Object.Name).ShouldBe(tree.Children.Select(c => c.Object.Name).Order(StringComparer.Ordinal));
                reads++;
            }
            return reads;
        })).ToArray();

        await Task.WhenAll([writer, .. readers]).WaitAsync(TimeSpan.FromSeconds(60));
        foreach (var reader in readers) (await reader).ShouldBeGreaterThan(0);
        index.Dependents.Sources(owner.Uid).Length.ShouldBe(index.List(ConfigMaps.GroupResource, "default").Length);
    }
}

public sealed class ClusterIndexSharingTests
{
    // The creation time, from the test's one clock.
    private static readonly DateTimeOffset Created = new Microsoft.Extensions.Time.Testing.FakeTimeProvider().GetUtcNow();

    private static ObjectRecord Pod(string name, string ownerUid, params (string Key, string Value)[] labels) =>
        new(Objects.ConfigMaps with { Kind = "Pod", Plural = "pods" }, "v1", "default", name, "uid-" + name, Created,
            [new OwnerReference("apps/v1", "ReplicaSet", "web-1", ownerUid, Controller: true)],
            labels.Select(l => new KeyValuePair<string, string>(l.Key, l.Value)).ToArray(), ObjectStatus.None);

    [Fact]
    public void Siblings_ShareOwnerAndLabelArrays_WhenTheyAreEqual()
    {
        var index = new ClusterIndex();
        var first = Pod("a", "rs-uid", ("app", "web"));
        var second = Pod("b", "rs-uid", ("app", "web"));
        var different = Pod("c", "rs-uid", ("app", "other"));
        index.Upsert(first);
        index.Upsert(second);
        index.Upsert(different);

        second.Owners.ShouldBeSameAs(first.Owners);
        second.Labels.ShouldBeSameAs(first.Labels);
        different.Owners.ShouldBeSameAs(first.Owners);
        different.Labels.ShouldNotBeSameAs(first.Labels);
        different.Labels.Single().Value.ShouldBe("other");
        index.Dependents.Sources("rs-uid").Length.ShouldBe(3);
    }

    [Fact]
    public void CreationTimestamp_SurvivesItsCompactForm() =>
        Pod("a", "x").CreationTimestamp.ShouldBe(Created);
}
