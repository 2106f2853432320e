using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Index;

/// <summary>
/// The index's recent changes, for watches: each write's object before and after, tagged with the index
/// generation it produced, in a fixed ring (no allocation per write). A watcher reads what came after its
/// generation, or learns that it is too far behind (the ring moved on) and must list again — the 410
/// kube-apiserver answers when etcd has compacted a watcher's resourceVersion.
/// </summary>
public sealed class ChangeLog(int capacity = ChangeLog.DefaultCapacity)
{
    // 4,096 entries are 98 KB; 65,536 would add 1.5 MB, a quarter of a 10k-object index's heap. Watchers read
    // the log as soon as it moves (they lag only behind a slow client), and 4,096 changes are tens of seconds
    // of a busy cluster.
    public const int DefaultCapacity = 4_096;

    private readonly Lock _lock = new();
    private readonly Entry[] _ring = new Entry[capacity];
    private long _appended;
    private long _oldestKept;
    private TaskCompletionSource? _waiter;

    /// <summary>Recorded by the index under its write lock: one change that the next generation makes visible.</summary>
    internal void Append(long generation, ObjectRecord? before, ObjectRecord? after)
    {
        lock (_lock)
        {
            var slot = (int)(_appended % _ring.Length);
            if (_appended >= _ring.Length) _oldestKept = Math.Max(_oldestKept, _ring[slot].Generation);
            _ring[slot] = new Entry(generation, before, after);
            _appended++;
        }
    }

    /// <summary>Wakes whoever waits for <see cref="WaitAsync"/>; called once a generation is complete.</summary>
    internal void Published()
    {
        TaskCompletionSource? waiter;
        lock (_lock)
        {
            waiter = _waiter;
            _waiter = null;
        }
        waiter?.TrySetResult();
    }

    /// <summary>
    /// The changes of generations after <paramref name="after"/> up to <paramref name="upTo"/>, oldest first;
    /// false when some of them are no longer kept.
    /// </summary>
    public bool TryRead(long after, long upTo, List<(ObjectRecord? Before, ObjectRecord? After)> into)
    {
        lock (_lock)
        {
            if (after < _oldestKept) return false;
            var first = Math.Max(0, _appended - _ring.Length);
            for (var i = first; i < _appended; i++)
            {
                var entry = _ring[(int)(i % _ring.Length)];
                if (entry.Generation > after && entry.Generation <= upTo) into.Add((entry.Before, entry.After));
            }
            return true;
        }
    }

    /// <summary>Whether changes after <paramref name="generation"/> are all still kept.</summary>
    public bool Covers(long generation)
    {
        lock (_lock) return generation >= _oldestKept;
    }

    /// <summary>Completes at the next published generation (or at once if <paramref name="seen"/> is already behind <paramref name="current"/>).</summary>
    public Task WaitAsync(long seen, Func<long> current, CancellationToken cancellationToken)
    {
        Task task;
        lock (_lock)
        {
            if (current() > seen) return Task.CompletedTask;
            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            task = _waiter.Task;
        }
        return task.WaitAsync(cancellationToken);
    }

    private readonly record struct Entry(long Generation, ObjectRecord? Before, ObjectRecord? After);
}
