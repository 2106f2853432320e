using System.Collections.Concurrent;

namespace KubeDiscovery.Graph.Index;

/// <summary>
/// Key → the entries filed under it, unordered, for lookups whose lists grow large (every Pod of a
/// namespace mounts its <c>kube-root-ca.crt</c>): appends are amortised O(1) where the sorted arrays of
/// <see cref="RelationIndex"/> copy on every insert. Readers take a published (array, count) pair without
/// locks; the single writer appends past every published count, and copies on removal.
/// </summary>
public sealed class PostingIndex<TKey> where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Posting> _postings;

    public PostingIndex(IEqualityComparer<TKey>? comparer = null) => _postings = new(comparer);

    public int KeyCount => _postings.Count;

    public IEnumerable<TKey> Keys => _postings.Keys;

    /// <summary>The entries under <paramref name="key"/>, in no particular order. Some may be removed since: check <see cref="ObjectEntry.IsRemoved"/>.</summary>
    public ReadOnlySpan<ObjectEntry> Get(TKey key) =>
        _postings.TryGetValue(key, out var p) ? p.Items.AsSpan(0, p.Count) : [];

    public int CountOf(TKey key) => _postings.TryGetValue(key, out var p) ? p.Count : 0;

    // Called with the index's write lock held.
    internal void Add(TKey key, ObjectEntry entry)
    {
        if (!_postings.TryGetValue(key, out var current))
        {
            _postings[key] = new Posting([entry], 1);
            return;
        }
        var items = current.Items;
        if (current.Count == items.Length)
        {
            var grown = new ObjectEntry[Math.Max(4, items.Length * 2)];
            Array.Copy(items, grown, current.Count);
            items = grown;
        }
        items[current.Count] = entry;
        _postings[key] = new Posting(items, current.Count + 1);
    }

    // Called with the index's write lock held.
    internal void Remove(TKey key, ObjectEntry entry)
    {
        if (!_postings.TryGetValue(key, out var current)) return;
        var at = Array.IndexOf(current.Items, entry, 0, current.Count);
        if (at < 0) return;
        if (current.Count == 1)
        {
            _postings.TryRemove(key, out _);
            return;
        }
        // Copy, so that readers holding the old pair still see every entry they were promised.
        var next = new ObjectEntry[current.Count - 1 + Math.Min(current.Count / 4, 64)];
        Array.Copy(current.Items, next, at);
        Array.Copy(current.Items, at + 1, next, at, current.Count - at - 1);
        _postings[key] = new Posting(next, current.Count - 1);
    }

    private sealed record Posting(ObjectEntry[] Items, int Count);
}
