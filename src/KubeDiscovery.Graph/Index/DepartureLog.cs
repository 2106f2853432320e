using System.Collections.Concurrent;

namespace KubeDiscovery.Graph.Index;

/// <summary>
/// Which objects left something lately — an application, a composition tree — so its history still shows
/// their changes once they are gone from the index: the newest <see cref="PerKey"/> uids per key, for at most
/// <see cref="MaxKeys"/> keys (past that, all are forgotten at once: a bound, not a cache). In memory only.
/// Written under the index's write lock; read with a lock per ring.
/// </summary>
public sealed class DepartureLog<TKey> where TKey : notnull
{
    public const int PerKey = 256;
    public const int MaxKeys = 10_000;

    private readonly ConcurrentDictionary<TKey, Ring> _rings;

    public DepartureLog(IEqualityComparer<TKey>? comparer = null) => _rings = new(comparer);

    public IReadOnlyList<string> Of(TKey key) => _rings.TryGetValue(key, out var ring) ? ring.Snapshot() : [];

    internal void Add(TKey key, string uid)
    {
        if (_rings.Count >= MaxKeys && !_rings.ContainsKey(key)) _rings.Clear();
        _rings.GetOrAdd(key, static _ => new Ring()).Add(uid);
    }

    private sealed class Ring
    {
        private readonly string[] _uids = new string[PerKey];
        private int _next, _count;

        public void Add(string uid)
        {
            lock (_uids)
            {
                _uids[_next] = uid;
                _next = (_next + 1) % _uids.Length;
                _count = Math.Min(_count + 1, _uids.Length);
            }
        }

        public string[] Snapshot()
        {
            lock (_uids) return _count < _uids.Length ? _uids[.._count] : [.. _uids];
        }
    }
}
