using KubeDiscovery.History.Storage;

namespace KubeDiscovery.History.Tests.Storage;

/// <summary>A real store behind a seam: a test overrides the one call it needs to hold or fail.</summary>
internal class DelegatingStore(IHistoryStore inner) : IHistoryStore
{
    public int SchemaVersion => inner.SchemaVersion;

    public virtual Task<int> AppendAsync(IReadOnlyList<VersionRecord> batch, CancellationToken cancellationToken) => inner.AppendAsync(batch, cancellationToken);

    public virtual Task<List<StoredVersion>> VersionsAsync(string uid, int limit, CancellationToken cancellationToken) => inner.VersionsAsync(uid, limit, cancellationToken);

    public Task<List<Incarnation>> IncarnationsAsync(string group, string resource, string? objectNamespace, string name, CancellationToken cancellationToken) =>
        inner.IncarnationsAsync(group, resource, objectNamespace, name, cancellationToken);

    public Task<List<StoredVersion>> ChangesAsync(ChangeQuery query, CancellationToken cancellationToken) => inner.ChangesAsync(query, cancellationToken);

    public Task<long> LastSeqAsync(CancellationToken cancellationToken) => inner.LastSeqAsync(cancellationToken);

    public Task<List<LiveObject>> LiveObjectsAsync(string group, string resource, IReadOnlySet<string>? except, CancellationToken cancellationToken) =>
        inner.LiveObjectsAsync(group, resource, except, cancellationToken);

    public virtual Task<List<LatestVersion>> LatestAsync(IReadOnlyCollection<string> uids, CancellationToken cancellationToken) => inner.LatestAsync(uids, cancellationToken);

    public Task<int> AttributeAsync(IReadOnlyList<Attribution> attributions, CancellationToken cancellationToken) => inner.AttributeAsync(attributions, cancellationToken);

    public Task<List<(string Uid, long Number)>> RebaseCandidatesAsync(int maxVersionsPerObject, DateTimeOffset olderThan, CancellationToken cancellationToken) =>
        inner.RebaseCandidatesAsync(maxVersionsPerObject, olderThan, cancellationToken);

    public Task SetSnapshotAsync(string uid, long number, string snapshot, CancellationToken cancellationToken) => inner.SetSnapshotAsync(uid, number, snapshot, cancellationToken);

    public Task<int> PruneAsync(int maxVersionsPerObject, DateTimeOffset olderThan, CancellationToken cancellationToken) => inner.PruneAsync(maxVersionsPerObject, olderThan, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
