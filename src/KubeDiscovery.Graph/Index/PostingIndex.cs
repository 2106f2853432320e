using System.Collections.Concurrent;

namespace KubeDiscovery.Graph.Index;

/// <summary>
/// Key → the items filed under it, unordered, for lookups whose lists grow large (every Pod of a
/// namespace mounts its <c>kube-root-ca.crt</c>): appends are amortised O(1) where the sorted arrays of
/// <see cref="RelationIndex"/> copy on every insert. Each value is a <see cref="Slots{T}"/> list, so a key
/// with one item (most keys) costs no array. Read without locks; written under the index's write lock.
/// </summary>
public sealed class PostingIndex<TKey, T> where TKey : notnull where T : class
{
    private readonly ConcurrentDictionary<TKey, object> _postings;

    public PostingIndex(IEqualityComparer<TKey>? comparer = null) => _postings = new(comparer);

    internal ConcurrentDictionary<TKey, object> Dictionary => _postings;

    /// <summary>The items under <paramref name="key"/>, in no particular order.</summary>
    public ReadOnlySpan<T> Get(TKey key) => Slots<T>.Read(_postings.GetValueOrDefault(key));

    public int CountOf(TKey key) => Slots<T>.Count(_postings.GetValueOrDefault(key));

    internal void Add(TKey key, T item)
    {
        var current = _postings.GetValueOrDefault(key);
        var next = Slots<T>.Add(current, item);
        if (!ReferenceEquals(current, next)) _postings[key] = next;
    }

    internal void Remove(TKey key, T item)
    {
        if (!_postings.TryGetValue(key, out var current)) return;
        var next = Slots<T>.Remove(current, item);
        if (next is null) _postings.TryRemove(key, out _);
        else if (!ReferenceEquals(current, next)) _postings[key] = next;
    }
}
