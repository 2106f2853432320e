using KubeDiscovery.Graph.Connections;

namespace KubeDiscovery.Graph.Tests.Connections;

/// <summary>Every kind of edge the sample cluster has, with its target deleted: the edge stays, to a missing node, and dangles.</summary>
public sealed class MissingTargetsTests
{
    public static TheoryData<string> EdgeKinds()
    {
        var demo = new DemoCluster();
        var kinds = new TheoryData<string>();
        foreach (var (link, targetKind) in OutEdges(demo).Select(e => (e.Link, e.Target.Key.Kind)).Distinct().Order())
        {
            kinds.Add($"{link} {targetKind}");
        }
        return kinds;
    }

    // Every edge leaving an object of the web namespace (and the cluster-scoped objects it uses).
    private static IEnumerable<(Model.ObjectRecord Source, string Link, ConnectionNode Target)> OutEdges(DemoCluster demo)
    {
        foreach (var type in demo.Cache.Catalog.Followed)
        {
            foreach (var record in demo.Cache.Index.List(type.GroupResource, null).Where(r => r.Namespace is "web" or null))
            {
                var graph = new ConnectionBuilder(demo.Cache.Index, demo.Cache.Relations.Current).Build(record, 1, Direction.Out, 10_000);
                foreach (var edge in graph.Edges.Where(e => e.Link != LinkNames.Owns))
                {
                    var target = graph.Nodes.Single(n => n.Id == edge.To);
                    if (!target.Missing) yield return (record, edge.Link, target);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(EdgeKinds))]
    public void DeletingTheTarget_LeavesTheEdgeToAMissingNode_BothWaysAndInTheReport(string edgeKind)
    {
        var demo = new DemoCluster();
        var (source, link, target) = OutEdges(demo).First(e => $"{e.Link} {e.Target.Key.Kind}" == edgeKind);
        var sourceId = ObjectKey.Of(source).DisplayName;

        demo.Cache.Index.Delete(target.Object!.Uid);

        var after = new ConnectionBuilder(demo.Cache.Index, demo.Cache.Relations.Current).Build(source, 1, Direction.Out, 10_000);
        if (link is LinkNames.Selects or LinkNames.Protects or LinkNames.AppliesTo or LinkNames.Aggregates or LinkNames.Labels)
        {
            // A selector names no object: what no longer exists is simply no longer selected.
            after.Nodes.ShouldNotContain(n => n.Id == target.Id);
            return;
        }
        after.Edges.ShouldContain(new ConnectionEdge(sourceId, target.Id, link));
        after.Nodes.Single(n => n.Id == target.Id).Missing.ShouldBeTrue();
        var report = DanglingReport.Build(demo.Cache.Index, demo.Cache.Relations.Current, null, (g, k) => demo.Cache.Catalog.FindByKind(g, k) is not null)
            .SelectMany(g => g.Items).ToList();
        if (source.Kind == "Event") report.ShouldNotContain(i => i.Object.Uid == source.Uid); // Events outlive their objects by design
        else report.ShouldContain(i => i.Object.Uid == source.Uid && i.Link == link && i.Target.DisplayName == target.Id);
    }
}
