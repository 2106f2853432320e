using System.Collections.Concurrent;
using KubeDiscovery.Graph.Connections;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Index;

/// <summary>
/// The reverse side of connections, kept current on every write so no query scans: who references a
/// key, who holds a selector over a kind in a namespace, which Pods carry a label, and which objects
/// carry rule notes. Each write moves only the keys that changed.
/// </summary>
public sealed class LinkIndexes
{
    private readonly ConcurrentDictionary<(string Group, string Kind), GroupResource> _resourceByKind = new();
    private readonly ConcurrentDictionary<string, ObjectEntry> _noted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _podLabelKeys = new(StringComparer.Ordinal);
    private readonly Func<IEnumerable<ObjectEntry>> _allPods;
    private readonly Func<ReadOnlySpan<char>, bool> _exists;
    private readonly ConcurrentDictionary<string, byte> _missing = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, object>.AlternateLookup<ReadOnlySpan<char>> _referencedBySpan;
    private long _notesVersion;
    private ResourceType? _lastType;

    internal LinkIndexes(Func<IEnumerable<ObjectEntry>> allPods, Func<ReadOnlySpan<char>, bool> exists)
    {
        _allPods = allPods;
        _exists = exists;
        _referencedBySpan = ReferencedBy.Dictionary.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>
    /// Target keys something names that no indexed object has, kept per write (a target filed, an object
    /// arriving or leaving): the dangling report reads these instead of scanning.
    /// </summary>
    public IEnumerable<string> MissingTargets => _missing.Keys;

    /// <summary>
    /// Target key (<see cref="ObjectKey"/>) → what names it: a <see cref="LinkSet"/> (every entry holding
    /// it, see <see cref="LinkSet.Holders"/>) for shared references, an <see cref="ObjectEntry"/> for an
    /// object's own ones.
    /// </summary>
    public PostingIndex<string, object> ReferencedBy { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Selector holders, filed under one (key, value) pair every match must carry — (target group, target
    /// kind, holder namespace or "", key, value) — so "what selects this Pod" reads only the holders
    /// under the Pod's own labels; a selector with no such pair (<c>{}</c>, only sets) is filed under
    /// key and value "" and checked for every object of the kind.
    /// </summary>
    public PostingIndex<(string Group, string Kind, string Namespace, string Key, string Value), ObjectEntry> SelectorHolders { get; } = new();

    /// <summary>
    /// (namespace, label key, label value) → the Pods carrying it: selectors narrow by their rarest pair.
    /// Only keys some selector requires are indexed (<c>app</c>, not <c>pod-template-hash</c>): a key
    /// is indexed, from every Pod, when the first selector requiring it arrives.
    /// </summary>
    public PostingIndex<(string Namespace, string Key, string Value), ObjectEntry> PodLabels { get; } = new();

    /// <summary>Whether <see cref="PodLabels"/> holds this label key.</summary>
    public bool IsPodLabelIndexed(string key) => _podLabelKeys.ContainsKey(key);

    /// <summary>Increases whenever an object carrying rule notes changes.</summary>
    public long NotesVersion => Interlocked.Read(ref _notesVersion);

    public IEnumerable<ObjectRecord> NotedRecords() => _noted.Values.Select(e => e.Record).Where(r => r.Links is { Notes.Count: > 0 });

    /// <summary>The resource objects of a kind are indexed under, once one has been seen.</summary>
    public GroupResource? ResourceOf(string group, string kind) =>
        _resourceByKind.TryGetValue((group, kind), out var resource) ? resource : null;

    internal static bool IsPod(ObjectRecord record) => record.Type.Group.Length == 0 && record.Kind == "Pod";

    // The write lock is held. Returns true when rule notes changed.
    internal bool Move(ObjectEntry entry, ObjectRecord? before, ObjectRecord? after)
    {
        if (after is not null && !ReferenceEquals(after.Type, _lastType))
        {
            _resourceByKind.TryAdd((after.Type.Group, after.Kind), after.Type.GroupResource);
            _lastType = after.Type; // a LIST brings one type after another: learn each once
        }
        var sameNamespace = before?.Namespace == after?.Namespace;
        var beforeLinks = before?.Links;
        var afterLinks = after?.Links;

        if (!(sameNamespace && ReferenceEquals(beforeLinks, afterLinks)))
        {
            if (sameNamespace && beforeLinks is not null && afterLinks is not null && ReferenceEquals(beforeLinks.SharedSet, afterLinks.SharedSet))
            {
                // Same shared part (a Pod moved to another Node): only its own references move.
                FileOwn(entry, beforeLinks, adding: false);
                FileOwn(entry, afterLinks, adding: true);
            }
            else
            {
                if (beforeLinks is not null) File(entry, before!, beforeLinks, adding: false);
                if (afterLinks is not null) File(entry, after!, afterLinks, adding: true);
            }
        }

        if (before is null || !SameName(before, after))
        {
            if (before is not null) Left(before);
            if (after is not null) Arrived(after);
        }

        if (before is null || after is null)
        {
            var record = (after ?? before)!;
            if (IsPod(record))
            {
                var adding = after is not null;
                var ns = record.Namespace ?? "";
                foreach (var label in record.Labels)
                {
                    if (!_podLabelKeys.ContainsKey(label.Key)) continue;
                    if (adding) PodLabels.Add((ns, label.Key, label.Value), entry); else PodLabels.Remove((ns, label.Key, label.Value), entry);
                }
            }
        }
        else if ((IsPod(before) || IsPod(after)) && !(sameNamespace && ReferenceEquals(before.Labels, after.Labels)))
        {
            var old = PodPairs(before);
            var now = PodPairs(after);
            foreach (var key in old) if (!now.Contains(key)) PodLabels.Remove(key, entry);
            foreach (var key in now) if (!old.Contains(key)) PodLabels.Add(key, entry);
        }

        var hadNotes = beforeLinks is { Notes.Count: > 0 };
        var hasNotes = afterLinks is { Notes.Count: > 0 };
        if (!hadNotes && !hasNotes) return false;
        if (hadNotes && hasNotes && ReferenceEquals(beforeLinks, afterLinks)) return false;
        if (hasNotes) _noted[after!.Uid] = entry;
        else _noted.TryRemove(before!.Uid, out _);
        Interlocked.Increment(ref _notesVersion);
        return true;
    }

    private static bool SameName(ObjectRecord before, ObjectRecord? after) =>
        after is not null && before.Name == after.Name && before.Namespace == after.Namespace && ReferenceEquals(before.Type, after.Type);

    // An object arriving heals the references to it; one leaving breaks them. Its key is built on the stack
    // and looked up by span: nothing is allocated for the objects no one references.
    private void Arrived(ObjectRecord record)
    {
        if (ReferencedKey(record) is { } key) _missing.TryRemove(key, out _);
    }

    private void Left(ObjectRecord record)
    {
        if (ReferencedKey(record) is { } key) _missing.TryAdd(key, 0);
    }

    // The record's key as filed in ReferencedBy, or null when nothing names it.
    private string? ReferencedKey(ObjectRecord record)
    {
        Span<char> key = stackalloc char[512];
        var length = ObjectKey.Write(key, record.Type.Group, record.Kind, record.Namespace ?? "", record.Name);
        return length > 0 && _referencedBySpan.TryGetValue(key[..length], out var actual, out _) ? actual : null;
    }

    private void FileTarget(string target, object referrer)
    {
        var first = ReferencedBy.CountOf(target) == 0;
        ReferencedBy.Add(target, referrer);
        if (first && !_exists(target)) _missing.TryAdd(target, 0);
    }

    private void UnfileTarget(string target, object referrer)
    {
        ReferencedBy.Remove(target, referrer);
        if (ReferencedBy.CountOf(target) == 0) _missing.TryRemove(target, out _);
    }

    // A set is filed under its targets when its first holder arrives and unfiled when its last leaves.
    private void File(ObjectEntry entry, ObjectRecord record, ObjectLinks links, bool adding)
    {
        var set = links.SharedSet;
        var holders = adding ? set.AddHolder(entry) : set.RemoveHolder(entry);
        if ((adding && holders == 1) || (!adding && holders == 0))
        {
            var shared = set.Shared;
            for (var i = 0; i < shared.Length; i++)
            {
                var target = shared[i].Target;
                if (SeenBefore(shared, i, target)) continue;
                if (adding) FileTarget(target, set); else UnfileTarget(target, set);
            }
        }
        FileOwn(entry, links, adding);
        if (links.Selectors.Count > 0)
        {
            foreach (var key in Held(record))
            {
                if (adding) SelectorHolders.Add(key, entry); else SelectorHolders.Remove(key, entry);
            }
            if (adding) IndexSelectorKeys(links);
        }
    }

    private void FileOwn(ObjectEntry entry, ObjectLinks links, bool adding)
    {
        foreach (var reference in links.OwnReferences)
        {
            if (adding) FileTarget(reference.Target, entry); else UnfileTarget(reference.Target, entry);
        }
    }

    /// <summary>The entries whose references name <paramref name="target"/> (each once; some may be removed since).</summary>
    public List<ObjectEntry> Referrers(string target)
    {
        List<ObjectEntry> found = [];
        foreach (var item in ReferencedBy.Get(target))
        {
            if (item is LinkSet set)
            {
                foreach (var holder in set.Holders) found.Add(holder);
            }
            else
            {
                found.Add((ObjectEntry)item);
            }
        }
        return found.Count < 2 ? found : found.Distinct().ToList();
    }

    /// <summary>Indexes, from every Pod, the label keys a label rule reads (called when the rules change).</summary>
    internal void IndexPodLabelKeys(IEnumerable<string> keys)
    {
        foreach (var key in keys) IndexPodLabelKey(key);
    }

    private void IndexSelectorKeys(ObjectLinks links)
    {
        foreach (var selector in links.Selectors)
        {
            if (selector.TargetGroup.Length != 0 || selector.TargetKind != "Pod") continue;
            foreach (var pair in selector.Selector.RequiredPairs()) IndexPodLabelKey(pair.Key);
        }
    }

    // The first selector to require a key: file every Pod under it once; Pods after that on arrival.
    private void IndexPodLabelKey(string key)
    {
        if (!_podLabelKeys.TryAdd(key, 0)) return;
        foreach (var pod in _allPods())
        {
            var record = pod.Record;
            foreach (var label in record.Labels)
            {
                if (label.Key == key) PodLabels.Add((record.Namespace ?? "", label.Key, label.Value), pod);
            }
        }
    }

    // A target named under two links (mounted and read as env) is filed once.
    private static bool SeenBefore(Reference[] references, int at, string target)
    {
        for (var i = 0; i < at; i++)
        {
            if (ReferenceEquals(references[i].Target, target) || references[i].Target == target) return true;
        }
        return false;
    }

    private static HashSet<(string, string, string, string, string)> Held(ObjectRecord? record)
    {
        HashSet<(string, string, string, string, string)> held = [];
        if (record?.Links is not { Selectors.Count: > 0 } links) return held;
        foreach (var s in links.Selectors)
        {
            var pair = s.Selector.RequiredPairs().FirstOrDefault();
            held.Add((s.TargetGroup, s.TargetKind, record.Namespace ?? "", pair.Key ?? "", pair.Value ?? ""));
        }
        return held;
    }


    private HashSet<(string, string, string)> PodPairs(ObjectRecord? record)
    {
        if (record is null || !IsPod(record) || record.Labels.Count == 0) return [];
        var ns = record.Namespace ?? "";
        return record.Labels.Where(l => _podLabelKeys.ContainsKey(l.Key)).Select(l => (ns, l.Key, l.Value)).ToHashSet();
    }
}
