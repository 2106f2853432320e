using System.Collections.Concurrent;

namespace KubeDiscovery.Graph.Index;

/// <summary>
/// The reverse map of one edge kind: target key → the entries pointing at it, kept sorted in
/// <see cref="ObjectOrder"/> so readers never sort. Arrays are copy-on-write: readers take the current
/// array without locks; the index's single writer replaces it.
/// </summary>
public sealed class RelationIndex
{
    private readonly ConcurrentDictionary<string, ObjectEntry[]> _sources = new(StringComparer.Ordinal);

    internal RelationIndex(RelationDefinition definition) => Definition = definition;

    public RelationDefinition Definition { get; }

    /// <summary>The entries pointing at <paramref name="target"/>, in child order. Never null.</summary>
    public ObjectEntry[] Sources(string target) =>
        _sources.TryGetValue(target, out var entries) ? entries : [];

    // Called with the index's write lock held.
    internal void Add(string target, ObjectEntry entry)
    {
        var current = Sources(target);
        var record = entry.Record;
        int lo = 0, hi = current.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (ObjectOrder.Compare(current[mid].Record, record) < 0) lo = mid + 1; else hi = mid;
        }
        var next = new ObjectEntry[current.Length + 1];
        Array.Copy(current, next, lo);
        next[lo] = entry;
        Array.Copy(current, lo, next, lo + 1, current.Length - lo);
        _sources[target] = next;
    }

    // Called with the index's write lock held. Matches by reference, so it works even if the
    // entry's sort key changed since it was added.
    internal void Remove(string target, ObjectEntry entry)
    {
        if (!_sources.TryGetValue(target, out var current)) return;
        var at = Array.IndexOf(current, entry);
        if (at < 0) return;
        if (current.Length == 1)
        {
            _sources.TryRemove(target, out _);
            return;
        }
        var next = new ObjectEntry[current.Length - 1];
        Array.Copy(current, next, at);
        Array.Copy(current, at + 1, next, at, current.Length - at - 1);
        _sources[target] = next;
    }
}
