using KubeDiscovery.History.Recording;

namespace KubeDiscovery.History.Storage;

/// <summary>
/// One kept version of one object, as stored: who it is (uid, and the names it answered to), when it was
/// seen, what changed and by whom, and enough to rebuild it — the JSON Patch from the previous kept
/// version, and every so often (and at creation) the whole object as history keeps it.
/// </summary>
public sealed record VersionRecord(
    string Uid,
    string ResourceVersion,
    string Group,
    string Resource,
    string? Namespace,
    string Name,
    ChangeKind Change,
    DateTimeOffset ObservedAt,
    long? Generation,
    IReadOnlyList<FieldManager> Managers,
    IReadOnlyList<string> ChangedPaths,
    string? Patch,
    string? Snapshot,
    bool ObservedLate = false);

/// <summary>A stored version with its number among the object's versions (1 for the first stored; never renumbered).</summary>
public sealed record StoredVersion(long Number, VersionRecord Version);
