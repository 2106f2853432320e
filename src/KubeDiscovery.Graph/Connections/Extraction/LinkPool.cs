using System.Collections.Concurrent;

namespace KubeDiscovery.Graph.Connections.Extraction;

/// <summary>
/// One instance per distinct <see cref="LinkSet"/>: the Pods of one template on one Node make the
/// same references, so a million Pods hold a few thousand link sets. It belongs to its index and only
/// grows, so it stops taking new sets at <see cref="Capacity"/>: past that, records keep their own.
/// </summary>
public sealed class LinkPool
{
    private readonly ConcurrentDictionary<LinkSet, LinkSet> _links = new();

    public int Count => _links.Count;

    public const int Capacity = 200_000;

    public LinkSet Share(LinkSet links) =>
        _links.TryGetValue(links, out var shared) ? shared
        : _links.Count < Capacity ? _links.GetOrAdd(links, links)
        : links;
}
