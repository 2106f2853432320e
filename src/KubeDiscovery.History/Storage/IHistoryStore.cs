namespace KubeDiscovery.History.Storage;

/// <summary>
/// Where kept versions live: SQLite for one replica (the default), PostgreSQL for several sharing one
/// history. Both stores behave alike, and one contract test suite holds them to it.
/// </summary>
public interface IHistoryStore : IAsyncDisposable
{
    /// <summary>The schema version the database is at after opening.</summary>
    int SchemaVersion { get; }

    /// <summary>Stores a batch in one transaction; returns how many were new (a version already stored, by uid and resourceVersion, is skipped).</summary>
    Task<int> AppendAsync(IReadOnlyList<VersionRecord> batch, CancellationToken cancellationToken);

    /// <summary>An object's versions, newest first, with the numbers they were stored under (1 for its first; retention does not renumber).</summary>
    Task<List<StoredVersion>> VersionsAsync(string uid, int limit, CancellationToken cancellationToken);

    /// <summary>Drops versions observed before <paramref name="olderThan"/> and all but the newest <paramref name="maxVersionsPerObject"/> of each object.</summary>
    Task<int> PruneAsync(int maxVersionsPerObject, DateTimeOffset olderThan, CancellationToken cancellationToken);
}
