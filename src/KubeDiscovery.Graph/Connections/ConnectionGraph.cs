using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Connections;

/// <summary>Which edges of an object a connections answer follows.</summary>
public enum Direction
{
    /// <summary>What the object uses: edges from it.</summary>
    Out,
    /// <summary>What uses the object: edges to it.</summary>
    In,
    /// <summary>Both.</summary>
    Both,
}

/// <summary>One node of a connections answer: an object, or a referenced one that does not exist (<see cref="Object"/> null).</summary>
public sealed record ConnectionNode(ObjectKey Key, ObjectRecord? Object, int Depth)
{
    public string Id { get; } = Key.DisplayName;

    public bool Missing => Object is null;
}

/// <summary>A typed edge between two node ids: "<see cref="From"/> <see cref="Link"/> <see cref="To"/>".</summary>
public readonly record struct ConnectionEdge(string From, string To, string Link);

/// <summary>An object's neighbourhood: nodes in breadth-first order (the root first) and the edges between them.</summary>
public sealed record ConnectionGraph(IReadOnlyList<ConnectionNode> Nodes, IReadOnlyList<ConnectionEdge> Edges, int Hidden, bool Truncated);
