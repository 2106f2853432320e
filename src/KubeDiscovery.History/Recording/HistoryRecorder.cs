using System.Text.Json.Nodes;
using System.Threading.Channels;
using BitFaster.Caching.Lru;
using KubeDiscovery.History.Diffs;
using KubeDiscovery.History.Storage;

namespace KubeDiscovery.History.Recording;

/// <summary>One object as a watch or a LIST delivered it (null when deleted), for the recorder.</summary>
public sealed record ObservedObject(string Uid, string ResourceVersion, string Group, string Resource, string? Namespace, string Name,
    JsonObject? Object, bool ObservedLate = false);

/// <summary>How the recorder buffers and writes. Each value has a reason; tests shorten them.</summary>
public sealed record RecorderOptions
{
    /// <summary>Changes waiting to be written; past it, changes are dropped and the span is recorded as a gap.</summary>
    public int QueueCapacity { get; init; } = 10_000;

    /// <summary>Versions written per transaction: a batch amortises the commit, the bound keeps it short.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>A whole copy of the object every this many kept versions, so rebuilding a version replays few patches.</summary>
    public int SnapshotEvery { get; init; } = 20;

    /// <summary>Objects whose last kept version is held in memory to diff against; others are rebuilt from the store.</summary>
    public int CachedObjects { get; init; } = 10_000;

    public RecorderOptions Validate()
    {
        if (QueueCapacity < 1 || BatchSize < 1 || SnapshotEvery < 1 || CachedObjects < 3) throw new ArgumentException("recorder sizes must be positive");
        return this;
    }
}

/// <summary>
/// Turns observed objects into kept versions and writes them in batches. Sources hand objects over
/// without waiting (<see cref="Observe"/>); a full queue never blocks a watch: the change is dropped and
/// the span from the first drop to the next write is stored as a <see cref="ChangeKind.Gap"/>, so history
/// says where it is incomplete. Each object's last kept version is diffed against from a bounded cache,
/// or rebuilt from the store (<see cref="VersionReplay"/>) when it is not cached.
/// </summary>
public sealed class HistoryRecorder : IAsyncDisposable
{
    private readonly IHistoryStore _store;
    private readonly RecorderOptions _options;
    private readonly TimeProvider _time;
    private readonly Channel<(ObservedObject Observed, DateTimeOffset At)> _queue;
    private readonly ConcurrentLru<string, Kept> _kept;
    private readonly Task _loop;
    private readonly Lock _gapLock = new();
    // This batch's kept versions, which the store does not have yet: the cache may already have evicted them.
    private readonly Dictionary<string, Kept?> _pending = new(StringComparer.Ordinal);
    private DateTimeOffset? _gapStart;
    private long _dropped;
    private long _written;
    private long _failures;
    private int _busy; // 1 while a batch is being turned into versions and written

    public HistoryRecorder(IHistoryStore store, RecorderOptions options, TimeProvider time)
    {
        _store = store;
        _options = options.Validate();
        _time = time;
        _queue = Channel.CreateBounded<(ObservedObject, DateTimeOffset)>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite: a full queue refuses, and we record the gap
        });
        _kept = new ConcurrentLru<string, Kept>(options.CachedObjects);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Changes dropped because the queue was full (each span is stored as a gap).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Versions written so far (not counting ones already stored).</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Hands an object over; never waits. False when the queue was full and the change was dropped.</summary>
    public bool Observe(ObservedObject observed)
    {
        var now = _time.GetUtcNow();
        if (_queue.Writer.TryWrite((observed, now))) return true;
        Interlocked.Increment(ref _dropped);
        lock (_gapLock) _gapStart ??= now;
        return false;
    }

    /// <summary>Waits until everything observed so far is written (for tests and a clean stop).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        while (_queue.Reader.Count > 0 || Volatile.Read(ref _busy) != 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Delay(5, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task RunAsync()
    {
        List<VersionRecord> batch = [];
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            Interlocked.Exchange(ref _busy, 1);
            try
            {
                batch.Clear();
                _pending.Clear();
                while (batch.Count < _options.BatchSize && _queue.Reader.TryRead(out var item))
                {
                    if (await ToVersionAsync(item.Observed, item.At).ConfigureAwait(false) is { } version) batch.Add(version);
                }
                if (TakeGap() is { } gap) batch.Add(gap);
                if (batch.Count > 0) await WriteAsync(batch).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Exchange(ref _busy, 0);
            }
        }
    }

    private async Task WriteAsync(List<VersionRecord> batch)
    {
        try
        {
            Interlocked.Add(ref _written, await _store.AppendAsync(batch, CancellationToken.None).ConfigureAwait(false));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Never lost silently: the span is stored as a gap with the next write that succeeds, and these
            // objects are diffed against the store again, not against versions that were never written.
            Interlocked.Increment(ref _failures);
            foreach (var version in batch) _kept.TryRemove(version.Uid);
            var first = batch.Min(v => v.ObservedAt);
            lock (_gapLock) _gapStart = _gapStart is { } s && s < first ? s : first;
        }
    }

    /// <summary>Batches the store refused (each span is stored as a gap once it answers again).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    private VersionRecord? TakeGap()
    {
        DateTimeOffset start;
        lock (_gapLock)
        {
            if (_gapStart is not { } s) return null;
            start = s;
            _gapStart = null;
        }
        var end = _time.GetUtcNow();
        return new VersionRecord("", $"gap-{start.ToUnixTimeMilliseconds()}", "", "", null, "", ChangeKind.Gap, end, null, [],
            [$"no history between {start:O} and {end:O}"], null, null);
    }

    private async Task<VersionRecord?> ToVersionAsync(ObservedObject o, DateTimeOffset at)
    {
        var previous = _pending.TryGetValue(o.Uid, out var pending) ? pending
            : _kept.TryGet(o.Uid, out var kept) ? kept
            : await FromStoreAsync(o.Uid).ConfigureAwait(false);
        var change = ChangeRules.Compare(previous?.Object, o.Object);
        if (change is null) return null;
        var sinceSnapshot = change.Kind == ChangeKind.Created || previous is null ? 0 : previous.SinceSnapshot + 1;
        var snapshot = change.Kind == ChangeKind.Updated && sinceSnapshot >= _options.SnapshotEvery;
        if (snapshot) sinceSnapshot = 0;
        var next = o.Object is { } current ? new Kept(current, sinceSnapshot) : null;
        _pending[o.Uid] = next;
        if (next is not null) _kept.AddOrUpdate(o.Uid, next);
        else _kept.TryRemove(o.Uid);
        var generation = o.Object?["metadata"]?["generation"]?.GetValue<long>();
        return new VersionRecord(o.Uid, o.ResourceVersion, o.Group, o.Resource, o.Namespace, o.Name, change.Kind, at, generation,
            change.Managers, change.ChangedPaths, PatchOperation.Serialize(change.Patch),
            snapshot && o.Object is { } whole ? ChangeRules.Normalize(whole).ToJsonString() : null, o.ObservedLate);
    }

    // The last kept version, rebuilt: history keeps normalised objects, which diff the same as the raw ones.
    private async Task<Kept?> FromStoreAsync(string uid)
    {
        var stored = await _store.VersionsAsync(uid, int.MaxValue, CancellationToken.None).ConfigureAwait(false);
        if (stored.Count == 0) return null;
        var last = VersionReplay.Replay(Enumerable.Reverse(stored)).Last();
        if (last.Version.Version.Change == ChangeKind.Deleted || last.Object is not JsonObject obj) return null;
        return new Kept(obj, SinceSnapshot: 0);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private sealed record Kept(JsonObject Object, int SinceSnapshot);
}
