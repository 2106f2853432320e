using System.Text.RegularExpressions;
using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Index;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Rendering;

namespace KubeDiscovery.Tests.Rendering;

public sealed partial class PictureWriterTests
{
    private static readonly ResourceType Widgets = new() { Group = "example.com", Version = "v1", Kind = "Widget", Plural = "widgets", Namespaced = true };
    private static readonly ResourceType Pods = new() { Group = "", Version = "v1", Kind = "Pod", Plural = "pods", Namespaced = true };

    private static ObjectRecord Make(ResourceType type, string name, ReadyState ready, params string[] ownerUids) =>
        new(type, type.GroupVersion, "ns", name, $"uid-{name}", null,
            ownerUids.Select(u => new OwnerReference("example.com/v1", "Widget", u, u, false)).ToArray(), [], new ObjectStatus(ready));

    /// <summary>Two owners sharing a child, a hidden Pod, a missing owner, and an ancestor.</summary>
    private static List<CompositionNode> Trees()
    {
        var index = new ClusterIndex();
        index.Upsert(Make(Widgets, "top", ReadyState.True, "uid-gone"));
        index.Upsert(Make(Widgets, "a", ReadyState.False, "uid-top"));
        index.Upsert(Make(Widgets, "b", ReadyState.Unknown, "uid-top"));
        index.Upsert(Make(Widgets, "shared", ReadyState.None, "uid-a", "uid-b"));
        index.Upsert(Make(Pods, "p", ReadyState.True, "uid-shared"));
        var options = CompositionOptions.Default with { IsVisible = r => r.Kind != "Pod" };
        return new CompositionBuilder(index, options).BuildAll([index.FindByUid("uid-top")!, index.FindByUid("uid-a")!]);
    }

    [Fact]
    public void Mermaid_DefinesEveryNodeOnce_EdgesOnlyBetweenDefinedNodes_StyledByReadiness()
    {
        var lines = PictureWriter.Mermaid(Trees()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        lines[0].ShouldBe("flowchart LR");
        var nodes = lines.Select(l => MermaidNode().Match(l)).Where(m => m.Success).ToDictionary(m => m.Groups["id"].Value, m => (Label: m.Groups["label"].Value, Class: m.Groups["class"].Value));
        var edges = lines.Select(l => MermaidEdge().Match(l)).Where(m => m.Success).Select(m => (From: m.Groups["from"].Value, To: m.Groups["to"].Value, Dashed: m.Groups["arrow"].Value == "-.->")).ToList();
        var classes = lines.Where(l => l.TrimStart().StartsWith("classDef ", StringComparison.Ordinal)).Select(l => l.Trim().Split(' ')[1]).ToHashSet();
        (nodes.Count + edges.Count + classes.Count + 1).ShouldBe(lines.Length, "every line is a node, an edge or a class");

        nodes.Values.Select(n => n.Label).ShouldBe(
            ["Widget<br/>top<br/>ns", "+1 hidden", "Widget<br/>a<br/>ns", "Widget<br/>shared<br/>ns", "Widget<br/>b<br/>ns", "Widget<br/>uid-gone<br/>(missing)"], ignoreOrder: true);
        nodes.Values.ShouldAllBe(n => classes.Contains(n.Class));
        edges.ShouldAllBe(e => nodes.ContainsKey(e.From) && nodes.ContainsKey(e.To));
        string Id(string label) => nodes.Single(n => n.Value.Label.StartsWith(label, StringComparison.Ordinal)).Key;
        nodes[Id("Widget<br/>top")].Class.ShouldBe("ready");
        nodes[Id("Widget<br/>a<")].Class.ShouldBe("notready");
        nodes[Id("Widget<br/>b<")].Class.ShouldBe("unknown");
        nodes[Id("Widget<br/>shared")].Class.ShouldBe("nostatus");
        nodes[Id("+1 hidden")].Class.ShouldBe("hidden");
        nodes[Id("Widget<br/>uid-gone")].Class.ShouldBe("missing");
        // The shared child is one node with an edge from each owner; the missing owner's edge is dashed.
        edges.Count(e => e.To == Id("Widget<br/>shared")).ShouldBe(2);
        edges.Single(e => e.From == Id("Widget<br/>uid-gone")).Dashed.ShouldBeTrue();
    }

    [Fact]
    public void Dot_QuotesWhatItMust()
    {
        var index = new ClusterIndex();
        index.Upsert(new ObjectRecord(Widgets, "example.com/v1", "ns", "we\"ird\\name", "uid-1", null, [], [], ObjectStatus.None));

        var dot = PictureWriter.Dot([new CompositionBuilder(index).Build(index.FindByUid("uid-1")!)]);

        dot.ShouldStartWith("digraph composition {");
        dot.ShouldContain("label=\"Widget\\nwe\\\"ird\\\\name\\nns\"");
    }

    [GeneratedRegex(@"^\s+(?<id>n\d+)\[""(?<label>[^""]*)""\]:::(?<class>\w+)$")]
    private static partial Regex MermaidNode();

    [GeneratedRegex(@"^\s+(?<from>n\d+) (?<arrow>-->|-\.->) (?<to>n\d+)$")]
    private static partial Regex MermaidEdge();
}
