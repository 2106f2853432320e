using System.Text;

namespace KubeDiscovery.Graph.Connections.Extraction;

/// <summary>
/// A trie of the JSON paths a kind's captures read: the reader descends only where a node has a child
/// and skips everything else, so extraction costs the paths, not the object. "[]" steps into list items.
/// </summary>
internal sealed class PathNode
{
    public const string Items = "[]";

    private readonly List<(byte[] Utf8, PathNode Node)> _properties = [];

    public PathNode? ItemNode { get; private set; }

    public List<Capture> Captures { get; } = [];

    /// <summary>A capture that takes this node's whole value (not only notes under it).</summary>
    public bool TakesValue { get; private set; }

    /// <summary>Every capture here is an object reference (read without a document).</summary>
    public bool OnlyReferences { get; private set; }

    /// <summary>The notes capture at this node, if any.</summary>
    public Capture? Notes { get; private set; }

    public bool HasChildren => _properties.Count > 0 || ItemNode is not null;

    public PathNode Child(string step)
    {
        if (step == Items) return ItemNode ??= new PathNode();
        var utf8 = Encoding.UTF8.GetBytes(step);
        foreach (var (bytes, node) in _properties)
        {
            if (bytes.AsSpan().SequenceEqual(utf8)) return node;
        }
        var child = new PathNode();
        _properties.Add((utf8, child));
        return child;
    }

    /// <summary>The child for the property name the reader stands on, if any.</summary>
    public PathNode? Find(ref System.Text.Json.Utf8JsonReader reader)
    {
        foreach (var (bytes, node) in _properties)
        {
            if (reader.ValueTextEquals(bytes)) return node;
        }
        return null;
    }

    public void Add(Capture capture)
    {
        var node = this;
        foreach (var step in capture.Path) node = node.Child(step);
        node.Captures.Add(capture);
        node.TakesValue = node.Captures.Exists(c => c.Kind != CaptureKind.Notes);
        node.OnlyReferences = node.Captures.TrueForAll(c => c.Kind == CaptureKind.ObjectReference);
        node.Notes = node.Captures.Find(c => c.Kind == CaptureKind.Notes);
    }
}
