using System.Collections.Concurrent;
using KubeDiscovery.Graph.Index;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Applications;

/// <summary>
/// Which objects belong to which application, kept per write like the relation indexes: an object nothing
/// owns is filed under the application of its most authoritative claim (<see cref="ApplicationMarkers"/>),
/// so a label or annotation change moves it at once and a listing never scans the cluster. What an
/// object owns comes with it through the ownership index. Read without locks; written under the
/// <see cref="ClusterIndex"/>'s write lock.
/// </summary>
public sealed class ApplicationIndex
{
    private readonly PostingIndex<AppKey, ObjectEntry> _members = new();
    private readonly PostingIndex<AppKey, ObjectEntry> _releases = new();
    private readonly ConcurrentDictionary<AppKey, ObjectEntry> _roots = new();
    private readonly DepartureLog<AppKey> _departed = new();
    private ApplicationSettings _settings = ApplicationSettings.Default;

    /// <summary>Finds an owner by uid (the index's own lookup), to tell which application a deleted Pod belonged to.</summary>
    internal Func<string, ObjectRecord?>? FindByUid { get; set; }
    private long _version;

    /// <summary>Increases whenever an application gains or loses a member, a root or a release record, or its members' part-of changes.</summary>
    public long Version => Interlocked.Read(ref _version);

    public ApplicationSettings Settings => Volatile.Read(ref _settings);

    /// <summary>Every application with a member or a root (an Argo CD Application with nothing deployed yet is one).</summary>
    public IEnumerable<AppKey> Keys()
    {
        // Enumerated, not through .Keys: that takes every lock of the dictionary and copies them.
        var members = _members.Dictionary;
        foreach (var pair in members) yield return pair.Key;
        foreach (var pair in _roots) if (!members.ContainsKey(pair.Key)) yield return pair.Key;
    }

    /// <summary>The list of every application as <see cref="ApplicationTopology.List"/> last made it, and the <see cref="Version"/> it was made at.</summary>
    internal ApplicationPlacement? Listed { get; set; }

    /// <summary>The objects filed under <paramref name="key"/> as theirs (not what they own), in no order.</summary>
    public ReadOnlySpan<ObjectEntry> Members(AppKey key) => _members.Get(key);

    public int MemberCount(AppKey key) => _members.CountOf(key);

    /// <summary>The object the application is (an Argo CD Application, a Flux Kustomization or HelmRelease), or null.</summary>
    public ObjectRecord? Root(AppKey key) => _roots.TryGetValue(key, out var entry) && !entry.IsRemoved ? entry.Record : null;

    /// <summary>A Helm release's records (one Secret per revision), in no order.</summary>
    public ReadOnlySpan<ObjectEntry> Releases(AppKey key) => _releases.Get(key);

    /// <summary>Whether an application by this key exists.</summary>
    public bool Exists(AppKey key) => _members.CountOf(key) > 0 || _roots.ContainsKey(key);

    /// <summary>The claims on <paramref name="record"/> under the current settings, most authoritative first.</summary>
    public List<AppKey> ClaimsOf(ObjectRecord record) =>
        record.Owners.Count == 0 ? ApplicationMarkers.ClaimsOf(record, Settings.ArgoNamespace, Settings.Rules) : [];

    /// <summary>
    /// The application <paramref name="record"/> belongs to, through its owners: the claim of the object at
    /// the top of its (first) owner chain; null when none. For a deleted object, while its owners remain.
    /// </summary>
    public AppKey? ApplicationOf(ObjectRecord record) => ClaimOf(TopOf(record, null));

    // Up the first owner of each, as far as they exist (cycles bounded); each owner passed to visit.
    private ObjectRecord TopOf(ObjectRecord record, Action<ObjectRecord>? visit)
    {
        if (FindByUid is not { } find) return record;
        for (var depth = 0; depth < 32 && record.Owners.Count > 0 && find(record.Owners[0].Uid) is { } owner; depth++)
        {
            visit?.Invoke(owner);
            record = owner;
        }
        return record;
    }

    /// <summary>The application <paramref name="record"/> belongs to itself (not through an owner), or null.</summary>
    public AppKey? ClaimOf(ObjectRecord record) => ClaimsOf(record) is [var first, ..] ? first : null;

    /// <summary>
    /// Uids of objects that left the application lately (deleted, or moved to another): its history still
    /// shows their changes. At most 256 per application, newest kept; forgotten at a restart.
    /// </summary>
    public IReadOnlyList<string> Departed(AppKey key) => _departed.Of(key);

    /// <summary>
    /// Uids of objects deleted lately from under <paramref name="ownerUid"/>'s tree, at any depth (a Pod of a
    /// Deployment's ReplicaSet): a composition's history still shows them. The same bounds.
    /// </summary>
    public IReadOnlyList<string> DepartedFrom(string ownerUid) => _departedFrom.Of(ownerUid);

    private readonly DepartureLog<string> _departedFrom = new(StringComparer.Ordinal);

    /// <summary>Files every object again under new settings (a rule added or removed); called under the write lock.</summary>
    internal void Reconfigure(ApplicationSettings settings, IEnumerable<ObjectEntry> all)
    {
        var entries = all.ToList();
        foreach (var entry in entries) Move(entry, entry.Record, null);
        Volatile.Write(ref _settings, settings);
        foreach (var entry in entries) Move(entry, null, entry.Record);
    }

    internal void Move(ObjectEntry entry, ObjectRecord? before, ObjectRecord? after)
    {
        var moved = false;
        var (oldClaim, newClaim) = (before is null ? null : ClaimOf(before), after is null ? null : ClaimOf(after));
        if (oldClaim != newClaim)
        {
            if (oldClaim is { } o)
            {
                _members.Remove(o, entry);
                Depart(o, entry.Record.Uid);
            }
            if (newClaim is { } n) _members.Add(n, entry);
            moved = true;
        }
        var (oldRoot, newRoot) = (RootKeyOf(before), RootKeyOf(after));
        if (oldRoot != newRoot)
        {
            if (oldRoot is { } o) _roots.TryRemove(new KeyValuePair<AppKey, ObjectEntry>(o, entry));
            if (newRoot is { } n) _roots[n] = entry;
            moved = true;
        }
        var (oldRelease, newRelease) = (ReleaseKeyOf(before), ReleaseKeyOf(after));
        if (oldRelease != newRelease)
        {
            if (oldRelease is { } o) _releases.Remove(o, entry);
            if (newRelease is { } n) _releases.Add(n, entry);
            moved = true;
        }
        var (oldVote, newVote) = (PartOfVote(before, oldClaim), PartOfVote(after, newClaim));
        if (oldVote != newVote)
        {
            moved = true; // a parent changed
            if (oldVote is { } o) Vote(o.App, o.Group, -1);
            if (newVote is { } n) Vote(n.App, n.Group, +1);
        }
        if (moved) Interlocked.Increment(ref _version);
        // An owned object deleted (a Pod of a member Deployment): its owners are still here to say whose it
        // was — every tree above it, and the application of the top one.
        if (after is null && before is { Owners.Count: > 0 })
        {
            var top = TopOf(before, owner => _departedFrom.Add(owner.Uid, before.Uid));
            if (!ReferenceEquals(top, before) && ClaimOf(top) is { } app) Depart(app, before.Uid);
        }
    }

    private void Depart(AppKey key, string uid) => _departed.Add(key, uid);

    /// <summary>
    /// The <c>app.kubernetes.io/part-of</c> value an application's members carry (the first in ordinal order
    /// when they disagree), or null: kept as the members move, so a list of applications need not read every
    /// member's labels to place each one.
    /// </summary>
    public string? PartOf(AppKey key) => _partOf.TryGetValue(key, out var votes) && votes.Length > 0 ? votes[0].Key : null;

    // Members per part-of value, sorted by value; replaced whole on a change (one writer, under the index's
    // write lock), so readers never see one half-updated.
    private readonly ConcurrentDictionary<AppKey, KeyValuePair<string, int>[]> _partOf = new();

    private static (AppKey App, string Group)? PartOfVote(ObjectRecord? record, AppKey? claim) =>
        record is not null && claim is { Form: not AppKey.PartOf } app
        && ApplicationMarkers.Label(record.Labels, ApplicationMarkers.PartOf) is { Length: > 0 } group
            ? (app, group)
            : null;

    private void Vote(AppKey app, string group, int delta)
    {
        var votes = _partOf.GetValueOrDefault(app) ?? [];
        var list = votes.ToList();
        var at = list.FindIndex(v => v.Key == group);
        if (at >= 0) list[at] = new(group, list[at].Value + delta);
        else if (delta > 0) list.Add(new(group, delta));
        list.RemoveAll(v => v.Value <= 0);
        if (list.Count == 0)
        {
            _partOf.TryRemove(app, out _);
            return;
        }
        list.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        _partOf[app] = [.. list];
    }

    private static AppKey? RootKeyOf(ObjectRecord? record) =>
        record is { Namespace: { } ns } && ApplicationMarkers.RootKinds.TryGetValue((record.Type.Group, record.Kind), out var form)
            ? new AppKey(form, ns, record.Name)
            : null;

    private static AppKey? ReleaseKeyOf(ObjectRecord? record) =>
        record is not null && ApplicationMarkers.IsHelmReleaseRecord(record)
            ? new AppKey(AppKey.Helm, record.Namespace!, ApplicationMarkers.Label(record.Labels, "name")!)
            : null;
}

/// <summary>Every application with its parent, sorted, as made at one <see cref="ApplicationIndex.Version"/> (one reference: read and replaced whole).</summary>
internal sealed record ApplicationPlacement(long Version, ApplicationSettings Settings, List<(AppKey Key, AppKey? Parent)> All);

/// <summary>Where Argo CD keeps its Applications, and the platform's own grouping rules.</summary>
public sealed record ApplicationSettings(string ArgoNamespace, IReadOnlyList<ApplicationRule> Rules)
{
    public static readonly ApplicationSettings Default = new("argocd", []);
}
