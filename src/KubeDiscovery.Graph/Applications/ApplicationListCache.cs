using KubeDiscovery.Graph.Index;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Applications;

/// <summary>
/// Applications as a reader who may read everything sees them in a list (counted, not drawn), kept
/// between lists: a list of 2,000 applications over 100,000 objects walks every object to count it,
/// and most of them did not change since the last list. Each list first reads the index's change log
/// from where the cache stands and forgets the applications those changes touched (see
/// <see cref="ApplicationTopology.Touched"/>, which the watch uses too); everything the log no longer
/// holds, or new application settings, forget them all. What is kept is what a list shows of an
/// application on its own — members, root, counts, Helm revision — never its parent or children, which
/// are read again per answer. A not-ready application is never kept: its cause reads Warning Events,
/// which are not in the change log.
/// </summary>
public sealed class ApplicationListCache(ClusterIndex index)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<AppKey, Entry> _entries = [];
    private readonly List<(ObjectRecord? Before, ObjectRecord? After)> _changes = [];
    private long _generation = -1;
    private ApplicationSettings? _settings;

    /// <summary>One application as a list shows it, with the uids of every object counted when they were asked for (LAST CHANGE).</summary>
    public sealed record Entry(ApplicationSummary Summary, IReadOnlyList<string>? Uids);

    /// <summary>Applications kept now, for the bench's and the tests' eyes.</summary>
    public int Count
    {
        get
        {
            lock (_lock) return _entries.Count;
        }
    }

    /// <summary>
    /// Brings the cache up to the index's generation now, forgetting what changed since; returns that
    /// generation, to pass back to <see cref="Store"/> for what the caller computes after this call.
    /// </summary>
    public long Refresh()
    {
        lock (_lock)
        {
            var upTo = index.Generation;
            var settings = index.Applications.Settings;
            _changes.Clear();
            if (!ReferenceEquals(settings, _settings) || !index.Changes.TryRead(_generation, upTo, _changes))
            {
                _entries.Clear();
                _settings = settings;
            }
            else
            {
                foreach (var (before, after) in _changes)
                {
                    foreach (var key in ApplicationTopology.Touched(index, before)) _entries.Remove(key);
                    foreach (var key in ApplicationTopology.Touched(index, after)) _entries.Remove(key);
                }
            }
            _changes.Clear();
            _generation = upTo;
            return upTo;
        }
    }

    /// <summary>The application as kept, when it is, and with uids when <paramref name="withUids"/>.</summary>
    public bool TryGet(AppKey key, bool withUids, out Entry entry)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(key, out entry!) && (!withUids || entry.Uids is not null);
        }
    }

    /// <summary>
    /// Keeps what was computed after <see cref="Refresh"/> returned <paramref name="generation"/>; dropped
    /// when another list has moved the cache on since (what was read may predate changes it forgot).
    /// </summary>
    public void Store(long generation, AppKey key, Entry entry)
    {
        if (entry.Summary.Ready == ReadyState.False) return;
        lock (_lock)
        {
            if (generation == _generation) _entries[key] = entry;
        }
    }
}
