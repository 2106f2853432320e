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

    /// <summary>The objects that answered to a name, newest first (one per uid: deleted and re-created objects have several).</summary>
    Task<List<Incarnation>> IncarnationsAsync(string group, string resource, string? objectNamespace, string name, CancellationToken cancellationToken);

    /// <summary>
    /// Versions (and gaps) observed in a window, as <see cref="ChangeQuery.Order"/> says; at most <see cref="ChangeQuery.Limit"/>.
    /// Without their patches and whole copies (<see cref="VersionRecord.Patch"/>, <see cref="VersionRecord.Snapshot"/> are null):
    /// a list of changes never shows them, and <see cref="VersionsAsync"/> reads them.
    /// </summary>
    Task<List<StoredVersion>> ChangesAsync(ChangeQuery query, CancellationToken cancellationToken);

    /// <summary>The <see cref="StoredVersion.Seq"/> of the newest row written; 0 when there is none. A list's resourceVersion.</summary>
    Task<long> LastSeqAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The objects of one resource whose newest version is not a deletion, but for those in <paramref name="except"/>:
    /// a LIST's end asks for the ones it no longer holds, and the rows it holds are passed over as they are read,
    /// never gathered (a million of them would be a heap of their own).
    /// </summary>
    Task<List<LiveObject>> LiveObjectsAsync(string group, string resource, IReadOnlySet<string>? except, CancellationToken cancellationToken);

    /// <summary>
    /// The newest stored version of each of these objects; an object never stored has none. What the recorder
    /// asks once for a batch, instead of reading each object's versions: most objects of a LIST are new to it or unchanged.
    /// </summary>
    Task<List<LatestVersion>> LatestAsync(IReadOnlyCollection<string> uids, CancellationToken cancellationToken);

    /// <summary>Stores who made versions (from audit events); idempotent. Returns how many were new.</summary>
    Task<int> AttributeAsync(IReadOnlyList<Attribution> attributions, CancellationToken cancellationToken);

    /// <summary>For each object about to lose older versions, its first version that stays, when that one holds no whole copy.</summary>
    Task<List<(string Uid, long Number)>> RebaseCandidatesAsync(int maxVersionsPerObject, DateTimeOffset olderThan, CancellationToken cancellationToken);

    /// <summary>Makes a stored version hold the whole object, so it no longer needs the versions before it.</summary>
    Task SetSnapshotAsync(string uid, long number, string snapshot, CancellationToken cancellationToken);

    /// <summary>Drops versions observed before <paramref name="olderThan"/> and all but the newest <paramref name="maxVersionsPerObject"/> of each object.</summary>
    /// <remarks>Use <see cref="Retention"/>, which first gives the versions that stay the whole copies they need.</remarks>
    Task<int> PruneAsync(int maxVersionsPerObject, DateTimeOffset olderThan, CancellationToken cancellationToken);
}
