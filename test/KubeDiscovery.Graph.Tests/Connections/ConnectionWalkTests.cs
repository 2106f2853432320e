using KubeDiscovery.Graph.Connections;

namespace KubeDiscovery.Graph.Tests.Connections;

/// <summary>How far an answer walks: hubs stop it, edge kinds choose it, one budget bounds it, a cancellation ends it.</summary>
public sealed class ConnectionWalkTests
{
    private static readonly DemoCluster Demo = new();

    private static ConnectionGraph Walk(ConnectionWalk walk, int maxNodes = 10_000, CancellationToken cancellationToken = default) =>
        new ConnectionBuilder(Demo.Cache.Index, Demo.Cache.Relations.Current)
            .Build(Demo.Get("deployments", "shop", "cart"), walk, ConnectionBudget.For(maxNodes), null, cancellationToken);

    [Fact]
    public void AtDepthFive_HubsAreShownButNotWalkedThrough_SoTheAnswerStaysInTheApplication()
    {
        var stopped = Walk(new ConnectionWalk { Depth = 5 });
        var through = Walk(new ConnectionWalk { Depth = 5, AllHubs = true });

        // Its Pods run on a Node and use the default ServiceAccount: both shown, neither walked into.
        stopped.Nodes.ShouldContain(n => n.Key.Kind == "Node");
        stopped.Nodes.ShouldContain(n => n.Key.Kind == "ServiceAccount");
        stopped.Nodes.ShouldNotContain(n => n.Key.Namespace == "kube-system");
        // Walking through them floods into other namespaces, as the old answer did.
        through.Nodes.ShouldContain(n => n.Key.Namespace == "kube-system");
        through.Nodes.Count.ShouldBeGreaterThan(stopped.Nodes.Count * 2);
    }

    [Fact]
    public void Through_NamesTheHubKindsToWalkThrough()
    {
        var viaNodes = Walk(new ConnectionWalk { Depth = 4, Through = new HashSet<string>(StringComparer.Ordinal) { "Node" } });
        var stopped = Walk(new ConnectionWalk { Depth = 4 });

        // Through the Node (Deployment, ReplicaSet, Pod, Node, …): Pods of other namespaces that run on it.
        viaNodes.Nodes.ShouldContain(n => n.Key.Kind == "Pod" && n.Key.Namespace != "shop");
        stopped.Nodes.ShouldNotContain(n => n.Key.Kind == "Pod" && n.Key.Namespace != "shop");
    }

    [Fact]
    public void Kinds_FollowOnlyTheEdgeKindsAskedFor()
    {
        var owns = Walk(new ConnectionWalk { Depth = 3, Kinds = new HashSet<string>(StringComparer.Ordinal) { LinkNames.Owns } });

        owns.Edges.ShouldNotBeEmpty();
        owns.Edges.ShouldAllBe(e => e.Link == LinkNames.Owns);
        owns.Nodes.ShouldNotContain(n => n.Key.Kind == "Service" || n.Key.Kind == "Node" || n.Key.Kind == "ServiceAccount");
    }

    [Fact]
    public void OneBudget_IsSharedByEveryRootOfAnAnswer()
    {
        var budget = ConnectionBudget.For(6);
        var builder = new ConnectionBuilder(Demo.Cache.Index, Demo.Cache.Relations.Current);
        var walk = new ConnectionWalk { Depth = 2 };

        var first = builder.Build(Demo.Get("deployments", "shop", "cart"), walk, budget, null, CancellationToken.None);
        var second = builder.Build(Demo.Get("deployments", "shop", "frontend"), walk, budget, null, CancellationToken.None);

        (first.Nodes.Count + second.Nodes.Count).ShouldBeLessThanOrEqualTo(7); // the second root is always shown
        first.Truncated.ShouldBeTrue();
        budget.Spent.ShouldBeTrue();
    }

    [Fact]
    public void ACancelledRequest_StopsTheWalk()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Should.Throw<OperationCanceledException>(() => Walk(new ConnectionWalk { Depth = 10, AllHubs = true }, cancellationToken: cancelled.Token));
    }
}
