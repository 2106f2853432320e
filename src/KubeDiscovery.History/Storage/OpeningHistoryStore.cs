namespace KubeDiscovery.History.Storage;

/// <summary>
/// A store that is opened in the background, retried with backoff until the database answers: a server
/// whose PostgreSQL is down still starts and serves compositions; until the store is open every call
/// throws <see cref="HistoryUnavailableException"/> (a 503 for history requests, a retry for the recorder).
/// </summary>
public sealed class OpeningHistoryStore : IHistoryStore
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _opening;
    private volatile IHistoryStore? _inner;
    private volatile string _why = "the history database is being opened";

    /// <param name="open">Opens the store; an exception is retried after the next delay.</param>
    /// <param name="onFailure">Told of each failed attempt (for the log).</param>
    public OpeningHistoryStore(Func<CancellationToken, Task<IHistoryStore>> open, TimeProvider time, TimeSpan firstDelay, TimeSpan maxDelay, Action<Exception>? onFailure = null)
    {
        _opening = Task.Run(async () =>
        {
            var delay = firstDelay;
            while (!_stopping.IsCancellationRequested)
            {
                try
                {
                    _inner = await open(_stopping.Token).ConfigureAwait(false);
                    return;
                }
                catch (Exception e)
                {
                    if (_stopping.IsCancellationRequested) return;
                    _why = $"the history database is not reachable: {e.Message}";
                    onFailure?.Invoke(e);
                }
                try
                {
                    await Task.Delay(delay, time, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, maxDelay.Ticks));
            }
        });
    }

    /// <summary>Completes when the store is open (or the server stops first).</summary>
    public Task Opened => _opening;

    public bool IsOpen => _inner is not null;

    private IHistoryStore Inner => _inner ?? throw new HistoryUnavailableException(_why);

    public int SchemaVersion => _inner?.SchemaVersion ?? 0;

    public Task<int> AppendAsync(IReadOnlyList<VersionRecord> batch, CancellationToken cancellationToken) => Inner.AppendAsync(batch, cancellationToken);

    public Task<List<StoredVersion>> VersionsAsync(string uid, int limit, CancellationToken cancellationToken) => Inner.VersionsAsync(uid, limit, cancellationToken);

    public Task<List<Incarnation>> IncarnationsAsync(string group, string resource, string? objectNamespace, string name, CancellationToken cancellationToken) =>
        Inner.IncarnationsAsync(group, resource, objectNamespace, name, cancellationToken);

    public Task<List<StoredVersion>> ChangesAsync(ChangeQuery query, CancellationToken cancellationToken) => Inner.ChangesAsync(query, cancellationToken);

    public Task<long> LastSeqAsync(CancellationToken cancellationToken) => Inner.LastSeqAsync(cancellationToken);

    public Task<List<LiveObject>> LiveObjectsAsync(string group, string resource, IReadOnlySet<string>? except, CancellationToken cancellationToken) =>
        Inner.LiveObjectsAsync(group, resource, except, cancellationToken);

    public Task<List<LatestVersion>> LatestAsync(IReadOnlyCollection<string> uids, CancellationToken cancellationToken) => Inner.LatestAsync(uids, cancellationToken);

    public Task<int> AttributeAsync(IReadOnlyList<Attribution> attributions, CancellationToken cancellationToken) => Inner.AttributeAsync(attributions, cancellationToken);

    public Task<List<(string Uid, long Number)>> RebaseCandidatesAsync(int maxVersionsPerObject, DateTimeOffset olderThan, CancellationToken cancellationToken) =>
        Inner.RebaseCandidatesAsync(maxVersionsPerObject, olderThan, cancellationToken);

    public Task SetSnapshotAsync(string uid, long number, string snapshot, CancellationToken cancellationToken) => Inner.SetSnapshotAsync(uid, number, snapshot, cancellationToken);

    public Task<int> PruneAsync(int maxVersionsPerObject, DateTimeOffset olderThan, CancellationToken cancellationToken) => Inner.PruneAsync(maxVersionsPerObject, olderThan, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _opening.ConfigureAwait(false);
        if (_inner is { } inner) await inner.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
