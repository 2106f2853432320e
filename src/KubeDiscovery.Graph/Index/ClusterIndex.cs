using System.Collections.Concurrent;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Index;

/// <summary>
/// The in-memory index of cluster objects: by UID, by (resource, namespace, name), and the reverse maps
/// of every typed edge (children by owner UID first). Reads are lock-free and safe at any time; writes
/// are serialised by one lock, which suits the one-writer-per-cluster sources that feed it. A reader
/// racing a writer sees each object either before or after the change, never torn.
/// </summary>
public sealed class ClusterIndex
{
    private readonly Lock _writeLock = new();
    private readonly ConcurrentDictionary<string, ObjectEntry> _byUid = new(StringComparer.Ordinal);
    // resource → namespace ("" for cluster-scoped) → name → entry
    private readonly ConcurrentDictionary<GroupResource, ConcurrentDictionary<string, ConcurrentDictionary<string, ObjectEntry>>> _byName = new();
    private readonly Dictionary<EdgeKind, RelationIndex> _relations;
    private long _generation;
    private bool _notesMoved; // set under the write lock, raised after it

    public ClusterIndex() : this([RelationDefinition.OwnedBy])
    {
    }

    public ClusterIndex(IEnumerable<RelationDefinition> relations)
    {
        _relations = relations.ToDictionary(r => r.Kind, r => new RelationIndex(r));
        Links = new LinkIndexes(() => Entries(new GroupResource("", "pods")), key => ExistsKey(key));
        Applications.FindByUid = FindByUid;
        if (!_relations.ContainsKey(EdgeKind.OwnedBy))
        {
            throw new ArgumentException("The ownership relation is required.", nameof(relations));
        }
    }

    /// <summary>Number of objects indexed.</summary>
    public int Count => _byUid.Count;

    /// <summary>Every indexed object, in no order (a moment's view: writes go on beside it).</summary>
    public IEnumerable<ObjectRecord> All()
    {
        foreach (var pair in _byUid) yield return pair.Value.Record;
    }

    /// <summary>Objects per resource (for metrics): costs the number of namespaces per resource, not the objects.</summary>
    public IEnumerable<(GroupResource Resource, int Count)> CountsByResource()
    {
        foreach (var (resource, byNamespace) in _byName)
        {
            var count = 0;
            foreach (var ns in byNamespace) count += ns.Value.Count;
            yield return (resource, count);
        }
    }

    /// <summary>Increases on every change; lets callers tell whether anything moved.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>The recent changes, for watches.</summary>
    public ChangeLog Changes { get; } = new();

    /// <summary>The reverse side of connections: references, selectors, Pod labels, rule notes.</summary>
    public LinkIndexes Links { get; }

    /// <summary>The latest Warning Events per object, for causes; an object's go when it is deleted.</summary>
    public Events.WarningLog Warnings { get; } = new();

    /// <summary>Which objects belong to which application (Helm, Argo CD, Flux, labels, rules).</summary>
    public Applications.ApplicationIndex Applications { get; } = new();

    /// <summary>Files every object again under new application settings (rules, Argo CD's namespace).</summary>
    public void ConfigureApplications(Applications.ApplicationSettings settings)
    {
        lock (_writeLock)
        {
            if (settings == Applications.Settings) return;
            Applications.Reconfigure(settings, _byUid.Values);
            Interlocked.Increment(ref _generation);
        }
        Changes.Published();
    }

    /// <summary>Increases whenever an object carrying relation-rule notes changes.</summary>
    public long NotesVersion => Links.NotesVersion;

    public IEnumerable<ObjectRecord> NotedRecords() => Links.NotedRecords();

    /// <summary>Raised after a write that changed rule notes (a CRD's annotations, a rules ConfigMap), outside the write lock.</summary>
    public event Action? NotesChanged;

    /// <summary>The object a reference names, or null when it does not exist.</summary>
    public ObjectRecord? Resolve(Connections.ObjectKey key) =>
        Links.ResourceOf(key.Group, key.Kind) is { } resource ? Find(resource, key.Namespace.Length == 0 ? null : key.Namespace, key.Name) : null;

    /// <summary>Children by owner UID, in child order.</summary>
    public RelationIndex Dependents => _relations[EdgeKind.OwnedBy];

    public RelationIndex Relation(EdgeKind kind) => _relations[kind];

    public ObjectRecord? FindByUid(string uid) =>
        _byUid.TryGetValue(uid, out var entry) ? entry.Record : null;

    public ObjectRecord? Find(GroupResource resource, string? @namespace, string name) =>
        FindEntryByName(resource, @namespace, name)?.Record;

    /// <summary>
    /// The objects of one resource, in one namespace (or all namespaces when null), sorted by namespace
    /// then name. Costs the size of the answer, not of the cluster.
    /// </summary>
    public ObjectRecord[] List(GroupResource resource, string? @namespace)
    {
        if (!_byName.TryGetValue(resource, out var byNamespace)) return [];
        List<ObjectRecord> found = [];
        if (@namespace is not null)
        {
            if (byNamespace.TryGetValue(@namespace, out var byName))
            {
                foreach (var pair in byName) found.Add(pair.Value.Record);
            }
        }
        else
        {
            foreach (var ns in byNamespace)
            {
                foreach (var pair in ns.Value) found.Add(pair.Value.Record);
            }
        }
        var result = found.ToArray();
        Array.Sort(result, ObjectOrder.CompareByNamespaceAndName);
        return result;
    }

    private IEnumerable<ObjectEntry> Entries(GroupResource resource)
    {
        if (!_byName.TryGetValue(resource, out var byNamespace)) yield break;
        foreach (var ns in byNamespace)
        {
            foreach (var pair in ns.Value) yield return pair.Value;
        }
    }

    /// <summary>Indexes Pod labels under these keys from now on (what label rules read).</summary>
    public void IndexPodLabelKeys(IEnumerable<string> keys)
    {
        lock (_writeLock) Links.IndexPodLabelKeys(keys);
    }

    /// <summary>Adds the object, or replaces the one with the same UID.</summary>
    public void Upsert(ObjectRecord record)
    {
        lock (_writeLock)
        {
            UpsertLocked(record);
            Interlocked.Increment(ref _generation);
        }
        Changes.Published();
        RaiseNotes();
    }

    /// <summary>Removes the object with this UID; false when there was none.</summary>
    public bool Delete(string uid)
    {
        lock (_writeLock)
        {
            if (!DeleteLocked(uid)) return false;
            Interlocked.Increment(ref _generation);
        }
        Changes.Published();
        RaiseNotes();
        return true;
    }

    /// <summary>
    /// Makes the index hold exactly <paramref name="records"/> for <paramref name="resource"/>: objects of
    /// that resource missing from the list are deleted (what a re-list after 410 Gone needs).
    /// </summary>
    public void ReplaceAll(GroupResource resource, IReadOnlyCollection<ObjectRecord> records)
    {
        lock (_writeLock)
        {
            var keep = new HashSet<string>(records.Count, StringComparer.Ordinal);
            foreach (var record in records) keep.Add(record.Uid);
            if (_byName.TryGetValue(resource, out var byNamespace))
            {
                List<string> stale = [];
                foreach (var ns in byNamespace)
                {
                    foreach (var pair in ns.Value)
                    {
                        var uid = pair.Value.Record.Uid;
                        if (!keep.Contains(uid)) stale.Add(uid);
                    }
                }
                foreach (var uid in stale) DeleteLocked(uid);
            }
            foreach (var record in records) UpsertLocked(record);
            Interlocked.Increment(ref _generation);
        }
        Changes.Published();
        RaiseNotes();
    }

    // Owner UIDs that dependents name but no object has: the dangling report reads these, never scans.
    private readonly ConcurrentDictionary<string, byte> _missingOwners = new(StringComparer.Ordinal);

    /// <summary>Owner UIDs named by dependents that exist in no indexed object (kept per write).</summary>
    public IEnumerable<string> MissingOwners => _missingOwners.Keys;

    private void File(RelationIndex relation, string target, ObjectEntry entry)
    {
        relation.Add(target, entry);
        if (relation.Definition.Kind == EdgeKind.OwnedBy && !_byUid.ContainsKey(target)) _missingOwners.TryAdd(target, 0);
    }

    private void Unfile(RelationIndex relation, string target, ObjectEntry entry)
    {
        relation.Remove(target, entry);
        if (relation.Definition.Kind == EdgeKind.OwnedBy && relation.Sources(target).Length == 0) _missingOwners.TryRemove(target, out _);
    }

    /// <summary>Whether an object with this <see cref="Connections.ObjectKey"/> string exists, without allocating.</summary>
    internal bool ExistsKey(ReadOnlySpan<char> key)
    {
        if (key.Length < 2 || !Connections.ObjectKey.TryKindOf(key[0], out var group, out var kind)) return false;
        if (Links.ResourceOf(group, kind) is not { } resource || !_byName.TryGetValue(resource, out var byNamespace)) return false;
        var rest = key[1..];
        var slash = rest.IndexOf('/');
        if (slash < 0) return false;
        return byNamespace.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(rest[..slash], out var byName)
            && byName.GetAlternateLookup<ReadOnlySpan<char>>().ContainsKey(rest[(slash + 1)..]);
    }

    private void RaiseNotes()
    {
        bool moved;
        lock (_writeLock)
        {
            moved = _notesMoved;
            _notesMoved = false;
        }
        if (moved) NotesChanged?.Invoke();
    }

    private void UpsertLocked(ObjectRecord record)
    {
        ShareWithSiblings(record);

        // A different UID under the same name means the object was re-created while we were not
        // looking: the old one is gone.
        var existingByName = FindEntryByName(record.Type.GroupResource, record.Namespace, record.Name);
        if (existingByName is not null && existingByName.Record.Uid != record.Uid)
        {
            DeleteLocked(existingByName.Record.Uid);
        }

        if (_byUid.TryGetValue(record.Uid, out var entry))
        {
            var old = entry.Record;
            Changes.Append(_generation + 1, old, record);
            var identityChanged = !SameIdentity(old, record);
            if (identityChanged)
            {
                RemoveName(old, entry);
                foreach (var relation in _relations.Values)
                {
                    foreach (var target in relation.Definition.TargetKeys(old)) Unfile(relation, target, entry);
                }
                entry.Set(record);
                AddName(record, entry);
                foreach (var relation in _relations.Values)
                {
                    foreach (var target in relation.Definition.TargetKeys(record)) File(relation, target, entry);
                }
                _notesMoved |= Links.Move(entry, old, record);
                Applications.Move(entry, old, record);
                return;
            }

            // Same identity: only the edges that changed move; the entry keeps its place in every array.
            List<(RelationIndex Relation, HashSet<string> Before, HashSet<string> After)> changes = [];
            foreach (var relation in _relations.Values)
            {
                var before = relation.Definition.TargetKeys(old).ToHashSet(StringComparer.Ordinal);
                var after = relation.Definition.TargetKeys(record).ToHashSet(StringComparer.Ordinal);
                if (!before.SetEquals(after)) changes.Add((relation, before, after));
            }
            foreach (var (relation, before, after) in changes)
            {
                foreach (var target in before.Except(after)) Unfile(relation, target, entry);
            }
            entry.Set(record);
            foreach (var (relation, before, after) in changes)
            {
                foreach (var target in after.Except(before)) File(relation, target, entry);
            }
            _notesMoved |= Links.Move(entry, old, record);
            Applications.Move(entry, old, record);
            return;
        }

        Changes.Append(_generation + 1, null, record);
        entry = new ObjectEntry(record);
        _byUid[record.Uid] = entry;
        _missingOwners.TryRemove(record.Uid, out _); // it was someone's missing owner
        AddName(record, entry);
        foreach (var relation in _relations.Values)
        {
            foreach (var target in relation.Definition.TargetKeys(record)) File(relation, target, entry);
        }
        _notesMoved |= Links.Move(entry, null, record);
        Applications.Move(entry, null, record);
    }

    // Siblings — objects with the same owner — nearly always carry identical owner references and often
    // identical labels (the Pods of one ReplicaSet). Pointing the record at a sibling's arrays makes a
    // million Pods hold a few thousand copies instead of a million: the largest saving per object there is.
    private void ShareWithSiblings(ObjectRecord record)
    {
        if (record.Owners.Count == 0) return;
        var siblings = Dependents.Sources(record.Owners[0].Uid);
        if (siblings.Length == 0) return;
        var sibling = siblings[^1].Record;
        if (ReferenceEquals(sibling, record)) return;
        var owners = SameOwners(sibling.Owners, record.Owners) ? sibling.Owners : record.Owners;
        var labels = SameLabels(sibling.Labels, record.Labels) ? sibling.Labels : record.Labels;
        record.ShareArrays(owners, labels);
    }

    private static bool SameOwners(IReadOnlyList<OwnerReference> a, IReadOnlyList<OwnerReference> b)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a.Count != b.Count) return false;
        for (var i = 0; i < a.Count; i++)
        {
            if (a[i] != b[i]) return false;
        }
        return true;
    }

    private static bool SameLabels(IReadOnlyList<KeyValuePair<string, string>> a, IReadOnlyList<KeyValuePair<string, string>> b)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a.Count != b.Count) return false;
        for (var i = 0; i < a.Count; i++)
        {
            if (!string.Equals(a[i].Key, b[i].Key, StringComparison.Ordinal) || !string.Equals(a[i].Value, b[i].Value, StringComparison.Ordinal)) return false;
        }
        return true;
    }

    private bool DeleteLocked(string uid)
    {
        if (!_byUid.ContainsKey(uid)) return false;
        // Its warnings first: a reader that no longer finds the object must not find warnings about it.
        Warnings.Forget(uid);
        _byUid.TryRemove(uid, out var entry);
        var record = entry!.Record;
        Changes.Append(_generation + 1, record, null);
        RemoveName(record, entry);
        foreach (var relation in _relations.Values)
        {
            foreach (var target in relation.Definition.TargetKeys(record)) Unfile(relation, target, entry);
        }
        _notesMoved |= Links.Move(entry, record, null);
        Applications.Move(entry, record, null);
        // The entry's own dependents stay keyed by its UID: they now have a dangling owner.
        if (Dependents.Sources(uid).Length > 0) _missingOwners.TryAdd(uid, 0);
        entry.MarkRemoved();
        return true;
    }

    private ObjectEntry? FindEntryByName(GroupResource resource, string? @namespace, string name) =>
        _byName.TryGetValue(resource, out var byNamespace)
        && byNamespace.TryGetValue(@namespace ?? "", out var byName)
        && byName.TryGetValue(name, out var entry)
            ? entry
            : null;

    private void AddName(ObjectRecord record, ObjectEntry entry)
    {
        var byNamespace = _byName.GetOrAdd(record.Type.GroupResource, static _ => new(StringComparer.Ordinal));
        var byName = byNamespace.GetOrAdd(record.Namespace ?? "", static _ => new(StringComparer.Ordinal));
        byName[record.Name] = entry;
    }

    private void RemoveName(ObjectRecord record, ObjectEntry entry)
    {
        if (_byName.TryGetValue(record.Type.GroupResource, out var byNamespace)
            && byNamespace.TryGetValue(record.Namespace ?? "", out var byName))
        {
            byName.TryRemove(new KeyValuePair<string, ObjectEntry>(record.Name, entry));
        }
    }

    private static bool SameIdentity(ObjectRecord a, ObjectRecord b) =>
        a.Type.GroupResource == b.Type.GroupResource
        && a.Kind == b.Kind
        && a.Namespace == b.Namespace
        && a.Name == b.Name;
}
