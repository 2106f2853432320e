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
    private long _notesVersion;

    /// <summary>Target key (<see cref="ObjectKey"/>) → the entries whose references name it.</summary>
    public PostingIndex<string> ReferencedBy { get; } = new(StringComparer.Ordinal);

    /// <summary>(target group, target kind, holder namespace or "") → the entries holding a selector over that kind.</summary>
    public PostingIndex<(string Group, string Kind, string Namespace)> SelectorHolders { get; } = new();

    /// <summary>(namespace, label key, label value) → the Pods carrying it: selectors narrow by their rarest pair.</summary>
    public PostingIndex<(string Namespace, string Key, string Value)> PodLabels { get; } = new();

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
        if (after is not null) _resourceByKind.TryAdd((after.Type.Group, after.Kind), after.Type.GroupResource);
        var sameNamespace = before?.Namespace == after?.Namespace;
        var beforeLinks = before?.Links;
        var afterLinks = after?.Links;

        if (!(sameNamespace && ReferenceEquals(beforeLinks, afterLinks)))
        {
            var old = Targets(beforeLinks);
            var now = Targets(afterLinks);
            foreach (var target in old) if (!now.Contains(target)) ReferencedBy.Remove(target, entry);
            foreach (var target in now) if (!old.Contains(target)) ReferencedBy.Add(target, entry);

            var oldHeld = Held(before);
            var nowHeld = Held(after);
            foreach (var key in oldHeld) if (!nowHeld.Contains(key)) SelectorHolders.Remove(key, entry);
            foreach (var key in nowHeld) if (!oldHeld.Contains(key)) SelectorHolders.Add(key, entry);
        }

        if ((before is not null && IsPod(before)) || (after is not null && IsPod(after)))
        {
            var sameLabels = sameNamespace && ReferenceEquals(before?.Labels, after?.Labels);
            if (!sameLabels)
            {
                var old = PodPairs(before);
                var now = PodPairs(after);
                foreach (var key in old) if (!now.Contains(key)) PodLabels.Remove(key, entry);
                foreach (var key in now) if (!old.Contains(key)) PodLabels.Add(key, entry);
            }
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

    private static HashSet<string> Targets(ObjectLinks? links)
    {
        if (links is null || links.References.Count == 0) return [];
        var set = new HashSet<string>(links.References.Count, StringComparer.Ordinal);
        foreach (var r in links.References) set.Add(r.Target);
        return set;
    }

    private static HashSet<(string, string, string)> Held(ObjectRecord? record)
    {
        if (record?.Links is not { Selectors.Count: > 0 } links) return [];
        return links.Selectors.Select(s => (s.TargetGroup, s.TargetKind, record.Namespace ?? "")).ToHashSet();
    }

    private static HashSet<(string, string, string)> PodPairs(ObjectRecord? record)
    {
        if (record is null || !IsPod(record) || record.Labels.Count == 0) return [];
        var ns = record.Namespace ?? "";
        return record.Labels.Select(l => (ns, l.Key, l.Value)).ToHashSet();
    }
}
