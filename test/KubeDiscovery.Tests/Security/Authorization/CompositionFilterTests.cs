using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Index;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Security;
using KubeDiscovery.Security.Authentication;
using KubeDiscovery.Security.Authorization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.Tests.Security.Authorization;

public sealed class CompositionFilterTests(ReviewCluster cluster) : IClassFixture<ReviewCluster>
{
    private static readonly ResourceType Deployments = new() { Group = "apps", Version = "v1", Kind = "Deployment", Plural = "deployments", Namespaced = true };
    private static readonly ResourceType ReplicaSets = new() { Group = "apps", Version = "v1", Kind = "ReplicaSet", Plural = "replicasets", Namespaced = true };
    private static readonly ResourceType Pods = new() { Group = "", Version = "v1", Kind = "Pod", Plural = "pods", Namespaced = true };

    private (CompositionFilter Filter, SubjectAccessReviewer Reviewer) Filter()
    {
        var reviewer = new SubjectAccessReviewer(cluster.Client(), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), new FakeTimeProvider(), NullLogger.Instance);
        return (new CompositionFilter(new Authorizer(reviewer, new SecurityOptions())), reviewer);
    }

    private static ObjectRecord Make(ResourceType type, string name, ObjectRecord? owner = null, string ns = "shop") =>
        new(type, type.GroupVersion, ns, name, $"{type.Kind}-{ns}-{name}", null,
            owner is null ? [] : [new OwnerReference(owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, Controller: true)], [], ObjectStatus.None);

    /// <summary>A Deployment with <paramref name="replicaSets"/> ReplicaSets of <paramref name="podsEach"/> Pods.</summary>
    private static (ClusterIndex Index, ObjectRecord Root) Tree(int replicaSets, int podsEach, string ns = "shop")
    {
        var index = new ClusterIndex();
        var deployment = Make(Deployments, "web", ns: ns);
        index.Upsert(deployment);
        for (var r = 0; r < replicaSets; r++)
        {
            var rs = Make(ReplicaSets, $"web-{r}", deployment, ns);
            index.Upsert(rs);
            for (var p = 0; p < podsEach; p++) index.Upsert(Make(Pods, $"web-{r}-{p}", rs, ns));
        }
        return (index, deployment);
    }

    private static async Task<List<CompositionNode>> Visible(CompositionFilter filter, UserInfo user, (ClusterIndex Index, ObjectRecord Root) tree,
        int? depth = null, CompositionOptions? options = null) =>
        (await filter.BuildAsync(user, tree.Index, [tree.Root], depth, options ?? CompositionOptions.Default, default)).Trees;

    private UserInfo WorkloadReader()
    {
        var user = UserInfo.Create("reader-" + Guid.NewGuid(), groups: ["system:authenticated"]);
        cluster.Reviews.Allow(user.Name, ["get", "list"], ["apps"], ["deployments", "replicasets"], "shop");
        return user;
    }

    [Fact]
    public async Task UserWhoMayNotReadPods_GetsTheTreeWithoutThem_AndHiddenChildrenCounts()
    {
        var (filter, _) = Filter();
        var visible = await Visible(filter, WorkloadReader(), Tree(replicaSets: 2, podsEach: 3));

        var root = visible.ShouldHaveSingleItem();
        root.HiddenChildren.ShouldBe(0);
        root.Children.Select(c => c.Object.Name).ShouldBe(["web-0", "web-1"]);
        root.Children.ShouldAllBe(rs => rs.Children.Count == 0 && rs.HiddenChildren == 3);
    }

    [Fact]
    public async Task UserWhoMayNotReadTheRoot_GetsNothing()
    {
        var (filter, _) = Filter();
        var user = UserInfo.Create("pods-only-" + Guid.NewGuid());
        cluster.Reviews.Allow(user.Name, ["get"], [""], ["pods"], "shop");
        (await Visible(filter, user, Tree(1, 2))).ShouldBeEmpty();
    }

    [Fact]
    public async Task NamespaceGrant_DoesNotReachOtherNamespaces()
    {
        var (filter, _) = Filter();
        (await Visible(filter, WorkloadReader(), Tree(1, 1, ns: "other"))).ShouldBeEmpty();
    }

    [Fact]
    public async Task ClusterWideReader_SeesEverything_WithOneReviewPerKind()
    {
        var (filter, reviewer) = Filter();
        var user = UserInfo.Create("viewer-" + Guid.NewGuid());
        cluster.Reviews.Allow(user.Name, ["get", "list"], ["*"], ["*"]);
        var root = (await Visible(filter, user, Tree(3, 10))).Single();
        root.Children.Sum(rs => rs.Children.Count).ShouldBe(30);
        reviewer.ReviewsSent.ShouldBe(3);
    }

    [Theory]
    [InlineData(1, 9)]     // 10 nodes below the root
    [InlineData(10, 99)]   // 1,000 nodes below the root
    public async Task ReviewsPerRequest_DoNotGrowWithTheTree(int replicaSets, int podsEach)
    {
        var (filter, reviewer) = Filter();
        var user = WorkloadReader();
        await Visible(filter, user, Tree(replicaSets, podsEach));
        // Three kinds in one namespace: at most "all namespaces", "get" and "list" for each.
        reviewer.ReviewsSent.ShouldBeLessThanOrEqualTo(9);

        // And a second request within the cache lifetime costs none.
        await Visible(filter, user, Tree(replicaSets, podsEach));
        reviewer.ReviewsSent.ShouldBeLessThanOrEqualTo(9);
    }

    [Fact]
    public async Task SystemMasters_AreNotReviewed()
    {
        var (filter, reviewer) = Filter();
        var root = (await Visible(filter, UserInfo.Create("admin", groups: ["system:masters"]), Tree(1, 5))).Single();
        root.Children.Single().Children.Count.ShouldBe(5);
        reviewer.ReviewsSent.ShouldBe(0);
    }

    [Fact]
    public async Task HiddenChildrenOmitted_NothingRevealsThem_NotEvenTruncatedAtTheDepthLimit()
    {
        var (filter, _) = Filter();
        var user = WorkloadReader();
        var omit = CompositionOptions.Default with { CountHidden = false };

        var full = (await Visible(filter, user, Tree(2, 3), options: omit)).Single();
        full.Children.ShouldAllBe(rs => rs.Children.Count == 0 && rs.HiddenChildren == 0 && !rs.Truncated);

        // Cut just above the Pods: a ReplicaSet whose only children are hidden says nothing about them.
        var cut = (await Visible(filter, user, Tree(2, 3), depth: 1, options: omit)).Single();
        cut.Children.ShouldAllBe(rs => !rs.Truncated && rs.HiddenChildren == 0);
        // Counted (the default), the same cut says the children are there.
        (await Visible(filter, user, Tree(2, 3), depth: 1)).Single().Children.ShouldAllBe(rs => rs.Truncated);
    }
}
