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

/// <summary>
/// A stored version with its number among the object's versions (1 for the first stored; never renumbered),
/// and who made it when an audit event said so.
/// </summary>
public sealed record StoredVersion(long Number, VersionRecord Version, Attribution? By = null)
{
    /// <summary>The store's order of writing: with the observed time, where a newest-first read continues (<see cref="ChangeQuery.Before"/>).</summary>
    public long Seq { get; init; }
}

/// <summary>A place in the newest-first order of changes: strictly older ones come after it.</summary>
public readonly record struct ChangeCursor(DateTimeOffset ObservedAt, long Seq)
{
    public static ChangeCursor Of(StoredVersion version) => new(version.Version.ObservedAt, version.Seq);
}

/// <summary>Who made a version, from kube-apiserver's audit event for the write that produced it (joined by uid and resourceVersion).</summary>
public sealed record Attribution(string Uid, string ResourceVersion, string User, string? UserAgent, string Verb, DateTimeOffset At);

/// <summary>One object's life under a name: a deleted and re-created object has one incarnation per uid.</summary>
public sealed record Incarnation(string Uid, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, bool Deleted);

/// <summary>What <see cref="IHistoryStore.ChangesAsync"/> selects: versions observed in [Since, Until), of these objects or matching these names.</summary>
public sealed record ChangeQuery
{
    public required DateTimeOffset Since { get; init; }

    public DateTimeOffset? Until { get; init; }

    /// <summary>Only these objects (a composition tree); null for any.</summary>
    public IReadOnlyCollection<string>? Uids { get; init; }

    public string? Group { get; init; }

    public string? Resource { get; init; }

    public string? Namespace { get; init; }

    public string? Name { get; init; }

    /// <summary>Which end of the window the answer starts from, and how <see cref="Limit"/> cuts it.</summary>
    public ChangeOrder Order { get; init; }

    /// <summary><see cref="ChangeOrder.NewestFirst"/>: only changes older than this (a read going on where it stopped); null for the newest.</summary>
    public ChangeCursor? Before { get; init; }

    /// <summary><see cref="ChangeOrder.OldestFirst"/>: only changes newer than this (the next page); null for the oldest.</summary>
    public ChangeCursor? After { get; init; }

    /// <summary><see cref="ChangeOrder.Written"/>: only rows written after this <see cref="StoredVersion.Seq"/> (a feed going on).</summary>
    public long? AfterSeq { get; init; }

    /// <summary>Only rows written up to this <see cref="StoredVersion.Seq"/>: the store as it was when a list began, so pages and the watch that follows neither repeat nor miss a row.</summary>
    public long? UpToSeq { get; init; }

    /// <summary>At most this many: the newest (<see cref="ChangeOrder.NewestFirst"/>) or the oldest (otherwise); the answer is oldest first, or in written order.</summary>
    public int Limit { get; init; } = 1000;

    /// <summary>Gaps in the window are part of the answer: they say where it may be incomplete.</summary>
    public bool IncludeGaps { get; init; } = true;
}

/// <summary>How <see cref="IHistoryStore.ChangesAsync"/> reads a window.</summary>
public enum ChangeOrder
{
    /// <summary>The newest <see cref="ChangeQuery.Limit"/> (by observed time), answered oldest first.</summary>
    NewestFirst,

    /// <summary>The oldest <see cref="ChangeQuery.Limit"/> (by observed time) after <see cref="ChangeQuery.After"/>, oldest first: pages of a list.</summary>
    OldestFirst,

    /// <summary>The first <see cref="ChangeQuery.Limit"/> rows written after <see cref="ChangeQuery.AfterSeq"/>, in the order written: a watch.</summary>
    Written,
}

/// <summary>An object whose newest version is not a deletion, with that version's resourceVersion.</summary>
public sealed record LiveObject(string Uid, string? Namespace, string Name, string ResourceVersion);

/// <summary>An object's newest stored version: its resourceVersion, and whether it records the object's deletion.</summary>
public sealed record LatestVersion(string Uid, string ResourceVersion, bool Deleted);
