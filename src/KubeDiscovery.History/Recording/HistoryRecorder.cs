using System.Text.Json.Nodes;
using System.Threading.Channels;
using KubeDiscovery.History.Storage;

namespace KubeDiscovery.History.Recording;

/// <summary>One object as a watch or a LIST delivered it (null when deleted), for the recorder.</summary>
public sealed record ObservedObject(string Uid, string ResourceVersion, string Group, string Resource, string? Namespace, string Name,
    JsonObject? Object, bool ObservedLate = false)
{
    /// <summary>The object as read from the wire (then <see cref="Object"/> is null): nothing is built from it but what history keeps.</summary>
    public System.Text.Json.JsonElement? Element { get; init; }

    /// <summary>The apiVersion and kind to record, for LIST items (which have none) and metadata-only objects (PartialObjectMetadata).</summary>
    public (string ApiVersion, string Kind)? TypeMeta { get; init; }
}

/// <summary>How the recorder buffers and writes. Each value has a reason; tests shorten them.</summary>
public sealed record RecorderOptions
{
    /// <summary>Observations waiting to be written (an object, or a page of a LIST); past it, changes are dropped and the span is recorded as a gap.</summary>
    public int QueueCapacity { get; init; } = 10_000;

    /// <summary>Versions written per transaction: a batch amortises the commit, the bound keeps it short.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>A whole copy of the object every this many kept versions, so rebuilding a version replays few patches.</summary>
    public int SnapshotEvery { get; init; } = 20;

    /// <summary>
    /// Bytes of last kept versions held to diff the next change against, for the objects changed most recently;
    /// others are rebuilt from the store. 16 MiB holds about ten thousand Deployments.
    /// </summary>
    public long CachedBytes { get; init; } = 16L << 20;

    /// <summary>
    /// Objects of LIST pages waiting to be recorded, at most: past it a LIST waits for the recorder, so the first
    /// recording of a large cluster streams to the store in bounded batches instead of queueing the cluster.
    /// </summary>
    public int ListBacklog { get; init; } = 2_000;

    /// <summary>The first wait after the store refused a batch; it doubles up to <see cref="MaxRetryDelay"/> while the queue holds what arrives meanwhile.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    public RecorderOptions Validate()
    {
        if (QueueCapacity < 1 || BatchSize < 1 || SnapshotEvery < 1 || CachedBytes < 0 || ListBacklog < 1) throw new ArgumentException("recorder sizes must be positive");
        if (RetryDelay <= TimeSpan.Zero || MaxRetryDelay < RetryDelay) throw new ArgumentException("recorder retry delays must be positive, the first no longer than the last");
        return this;
    }
}

/// <summary>
/// Turns observed objects into kept versions and writes them in batches. Sources hand objects over
/// without waiting (<see cref="Observe"/>, <see cref="ObserveListEnd"/>), and LIST pages waiting only for a bounded
/// backlog to drain (<see cref="ObservePageAsync"/>); a full
/// queue never blocks a watch: the change is dropped and the span from the first drop to the next write is
/// stored as a <see cref="ChangeKind.Gap"/>, so history says where it is incomplete. A store that refuses a
/// batch is retried with backoff while the queue buffers, so a short outage loses nothing and a long one
/// is a gap. Each object's last kept version is diffed against from a cache bounded in bytes
/// (<see cref="KeptForms"/>), or rebuilt from the store (<see cref="VersionReplay"/>) when it is not cached;
/// objects the store has never seen (a first recording) are found with one query per batch.
/// </summary>
public sealed partial class HistoryRecorder : IAsyncDisposable
{
    private readonly IHistoryStore _store;
    private readonly RecorderOptions _options;
    private readonly TimeProvider _time;
    private readonly Channel<Observation> _queue;
    private readonly KeptForms _kept;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private readonly Lock _gapLock = new();
    // This batch's kept versions, which the store does not have yet: the cache may already have evicted them.
    private readonly Dictionary<string, KeptForm?> _pending = new(StringComparer.Ordinal);
    // For this batch, what the store holds of objects not cached (null: nothing): asked once per batch.
    private readonly Dictionary<string, LatestVersion?> _latest = new(StringComparer.Ordinal);
    private DateTimeOffset? _gapStart;
    private long _dropped;
    private long _written;
    private long _failures;
    private long _lost;
    private long _unreadable;
    private int _unwritten; // observations taken from the queue and not yet written (or lost)
    private int _listed; // objects of LIST pages in the queue
    private Dictionary<string, KeptForm?> _inFlight = new(StringComparer.Ordinal);
    private volatile bool _disposing;
    private TaskCompletionSource _nextWrite = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _listRoom = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HistoryRecorder(IHistoryStore store, RecorderOptions options, TimeProvider time)
    {
        _store = store;
        _options = options.Validate();
        _time = time;
        _queue = Channel.CreateBounded<Observation>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite: a full queue refuses, and we record the gap
        });
        _kept = new KeptForms(options.CachedBytes);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Changes dropped because the queue was full (each span is stored as a gap).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Versions written so far (not counting ones already stored).</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Times the store refused a batch (each is retried).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Versions never written because the server stopped while the store was away.</summary>
    public long Lost => Interlocked.Read(ref _lost);

    /// <summary>Objects passed over because history could not read them (a malformed field).</summary>
    public long Unreadable => Interlocked.Read(ref _unreadable);

    /// <summary>
    /// Completes when the next batch has reached the store: what a watch of changes waits on. Take it
    /// before reading the store, so a write between the read and the wait is not missed.
    /// </summary>
    public Task NextWrite => Volatile.Read(ref _nextWrite).Task;

    /// <summary>Observations waiting to be written: the recording lag, in items.</summary>
    public int Queued => _queue.Reader.Count;

    /// <summary>Whether the last write reached the store (false while it is refusing batches).</summary>
    public bool StoreAnswering { get; private set; } = true;

    /// <summary>Hands an object over; never waits. False when the queue was full and the change was dropped.</summary>
    public bool Observe(ObservedObject observed) => Offer(new Observation(observed, null, null));

    /// <summary>
    /// Hands over one page of a LIST (each object observed late). Waits while <see cref="RecorderOptions.ListBacklog"/>
    /// objects of earlier pages are still queued, so a LIST moves at the pace history is written; it does not
    /// wait while the store is away (the page is queued, or dropped as a gap when the backlog is full).
    /// False when the page was dropped.
    /// </summary>
    public async ValueTask<bool> ObservePageAsync(IReadOnlyList<ObservedObject> page, CancellationToken cancellationToken)
    {
        if (page.Count == 0) return true;
        while (true)
        {
            var room = Volatile.Read(ref _listRoom).Task; // taken before the check, so a drain between the two is not missed
            if (Volatile.Read(ref _listed) < _options.ListBacklog || !StoreAnswering || _disposing) break;
            await room.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        if (Volatile.Read(ref _listed) >= _options.ListBacklog)
        {
            // The store is away and the backlog full: the page is a gap, never a heap that grows with the cluster.
            Drop(_time.GetUtcNow(), page.Count);
            return false;
        }
        Interlocked.Add(ref _listed, page.Count);
        if (Offer(new Observation(null, page, null))) return true;
        Interlocked.Add(ref _listed, -page.Count);
        return false;
    }

    // The queue drained of LIST objects, or the store went away, or the recorder is stopping: waiting pages look again.
    private void ListRoom() => Interlocked.Exchange(ref _listRoom, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>
    /// A LIST of one resource is complete: objects the history holds as alive and the list did not return
    /// were deleted while nobody watched, and are recorded so (observed late, at the list's resourceVersion).
    /// </summary>
    public bool ObserveListEnd(string group, string resource, string listResourceVersion, IReadOnlySet<string> uids) =>
        Offer(new Observation(null, null, new ListEnd(group, resource, listResourceVersion, uids)));

    private bool Offer(Observation observation)
    {
        var now = _time.GetUtcNow();
        if (_queue.Writer.TryWrite(observation with { At = now })) return true;
        Drop(now, 1);
        return false;
    }

    private void Drop(DateTimeOffset now, int changes)
    {
        Interlocked.Add(ref _dropped, changes);
        lock (_gapLock) _gapStart ??= now;
    }

    /// <summary>Waits until everything observed so far is written (for tests and a clean stop).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        while (_queue.Reader.Count > 0 || Volatile.Read(ref _unwritten) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Delay(5, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Takes a batch, turns it into versions, and hands them to the writer — which stores the batch before
    /// while this one is being turned into versions: the two halves of the work overlap, on two CPUs.
    /// One write is in flight at a time, in order.
    /// </summary>
    private async Task RunAsync()
    {
        var writing = Task.CompletedTask;
        List<Observation> taken = [];
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            taken.Clear();
            var objects = 0;
            // A list's end is handled alone, after what came before it is stored: it asks the store what is alive.
            while (objects < _options.BatchSize && _queue.Reader.TryPeek(out var next) && (next.End is null || taken.Count == 0) && _queue.Reader.TryRead(out var item))
            {
                taken.Add(item);
                objects += item.Page?.Count ?? 1;
                if (item.End is not null) break;
            }
            Interlocked.Add(ref _unwritten, taken.Count);
            if (taken.Sum(t => t.Page?.Count ?? 0) is var pages and > 0)
            {
                Interlocked.Add(ref _listed, -pages);
                ListRoom();
            }
            try
            {
                if (taken[0].End is not null) await writing.ConfigureAwait(false);
                var batch = await ToVersionsWithRetryAsync(taken).ConfigureAwait(false);
                await writing.ConfigureAwait(false);
                // The versions of the batch being written, which the store does not have yet: the next batch is
                // diffed against them, not against the store.
                _inFlight = new Dictionary<string, KeptForm?>(_pending, StringComparer.Ordinal);
                // On its own thread: SQLite's async calls complete synchronously, and would not overlap otherwise.
                var count = taken.Count;
                writing = Task.Run(() => WriteWithRetryAsync(batch, count));
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                // Stopped while the store was away: what was taken is lost, and counted.
                Interlocked.Add(ref _lost, objects);
                Interlocked.Add(ref _unwritten, -taken.Count);
            }
        }
        await writing.ConfigureAwait(false);
    }

    private async Task<List<VersionRecord>> ToVersionsWithRetryAsync(List<Observation> taken)
    {
        var delay = _options.RetryDelay;
        while (true)
        {
            List<VersionRecord> batch = [];
            _pending.Clear();
            try
            {
                await FindLatestAsync(taken).ConfigureAwait(false);
                foreach (var item in taken)
                {
                    foreach (var observed in item.Objects())
                    {
                        if (await ToVersionAsync(observed, item.At).ConfigureAwait(false) is { } version) batch.Add(version);
                    }
                    if (item.End is { } end) await AddDeletionsAsync(end, item.At, batch).ConfigureAwait(false);
                }
                return batch;
            }
            catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
            {
                // The store could not say what was kept last: diff these objects against it again once it answers.
                foreach (var item in taken) foreach (var observed in item.Objects()) _kept.Remove(observed.Uid);
                delay = await FailedAsync(delay).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Stores a batch, retrying the same versions (writes are idempotent) while the store refuses them; the
    /// queue keeps what arrives meanwhile, and overflows into a gap. Never throws.
    /// </summary>
    private async Task WriteWithRetryAsync(List<VersionRecord> batch, int observations)
    {
        var delay = _options.RetryDelay;
        try
        {
            while (true)
            {
                try
                {
                    var gap = PeekGap();
                    List<VersionRecord> writing = gap is null ? batch : [.. batch, gap];
                    if (writing.Count > 0 && await _store.AppendAsync(writing, CancellationToken.None).ConfigureAwait(false) is var stored and > 0)
                    {
                        Interlocked.Add(ref _written, stored);
                        Interlocked.Exchange(ref _nextWrite, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                    }
                    if (gap is not null) ClearGap(gap.ObservedAt);
                    StoreAnswering = true;
                    return;
                }
                catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
                {
                    delay = await FailedAsync(delay).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            Interlocked.Add(ref _lost, batch.Count);
        }
        finally
        {
            Interlocked.Add(ref _unwritten, -observations);
        }
    }

    /// <summary>Counts a refusal and waits before the next try (no longer once stopping); returns the next wait.</summary>
    private async Task<TimeSpan> FailedAsync(TimeSpan delay)
    {
        Interlocked.Increment(ref _failures);
        StoreAnswering = false;
        ListRoom();
        if (_disposing) await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.Delay(delay, _time, _stopping.Token).ConfigureAwait(false);
        return TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
    }

    private VersionRecord? PeekGap()
    {
        DateTimeOffset start;
        lock (_gapLock)
        {
            if (_gapStart is not { } s) return null;
            start = s;
        }
        var end = _time.GetUtcNow();
        return new VersionRecord("", $"gap-{start.ToUnixTimeMilliseconds()}", "", "", null, "", ChangeKind.Gap, end, null, [],
            [$"no history between {start:O} and {end:O}"], null, null);
    }

    // Only the gap that was written is cleared: a drop after it started a new one.
    private void ClearGap(DateTimeOffset writtenUpTo)
    {
        lock (_gapLock)
        {
            if (_gapStart is { } s && s <= writtenUpTo) _gapStart = null;
        }
    }

    /// <summary>Writes what is queued, unless the store is away: then what is left is counted in <see cref="Lost"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        _disposing = true;
        ListRoom();
        _queue.Writer.TryComplete();
        if (!StoreAnswering) await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        while (_queue.Reader.TryRead(out var left)) Interlocked.Add(ref _lost, left.Page?.Count ?? 1);
        _stopping.Dispose();
    }

    private sealed record ListEnd(string Group, string Resource, string ResourceVersion, IReadOnlySet<string> Uids);

    /// <summary>One queue slot: an object, a page of a LIST, or the end of a LIST.</summary>
    private sealed record Observation(ObservedObject? One, IReadOnlyList<ObservedObject>? Page, ListEnd? End)
    {
        public DateTimeOffset At { get; init; }

        public IEnumerable<ObservedObject> Objects() => One is not null ? [One] : Page ?? [];
    }
}
