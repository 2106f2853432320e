using System.Collections;
using KubeDiscovery.Graph.Index;
using KubeDiscovery.Graph.Selectors;

namespace KubeDiscovery.Graph.Connections;

/// <summary>One reference an object makes by name: the edge it is (<see cref="LinkNames"/>) and the target's key.</summary>
public readonly record struct Reference(string Link, string Target);

/// <summary>
/// A label selector an object holds (a Service's, a PodDisruptionBudget's): it points at every object of
/// the target kind, in the holder's namespace (cluster-wide when the holder is cluster-scoped), whose
/// labels match.
/// </summary>
public sealed record LinkSelector(string Link, string TargetGroup, string TargetKind, LabelSelector Selector);

/// <summary>
/// What the index keeps of an object's spec for connections: its references, its selectors, and the
/// few notes rule sources carry (a CRD's <c>resource/*</c> annotations, a rules ConfigMap's data).
/// Immutable and compared by content. Most of it is a <see cref="LinkSet"/> shared by every object that
/// makes the same references (a Deployment, its ReplicaSets and their Pods); what siblings never share —
/// the Node a Pod runs on, a claim only it mounts — is kept beside it, one small instance per object.
/// </summary>
public abstract class ObjectLinks : IEquatable<ObjectLinks>
{
    private protected ObjectLinks()
    {
    }

    /// <summary>The shared part.</summary>
    public abstract LinkSet SharedSet { get; }

    private protected virtual Reference First => default;

    private protected virtual Reference[] Rest => [];

    /// <summary>These links plus references of this object alone (not shared).</summary>
    public ObjectLinks With(ReadOnlySpan<Reference> own) => own.Length switch
    {
        0 => SharedSet,
        1 => new OwnLink(SharedSet, own[0]),
        _ => new OwnLinks(SharedSet, own[0], own[1..].ToArray()),
    };

    /// <summary>The shared ones (by link, then target), then the object's own; a target may appear under several links.</summary>
    public ReferenceList References => new(SharedSet.Shared, First, Rest);

    /// <summary>The object's own references (not in <see cref="SharedSet"/>).</summary>
    public ReferenceList OwnReferences => new([], First, Rest);

    public IReadOnlyList<LinkSelector> Selectors => SharedSet.SelectorArray;
    public IReadOnlyList<KeyValuePair<string, string>> Notes => SharedSet.NoteArray;

    public bool Equals(ObjectLinks? other) =>
        other is not null && (ReferenceEquals(this, other) || (First == other.First && Rest.AsSpan().SequenceEqual(other.Rest) && SharedSet.SameContent(other.SharedSet)));

    public override bool Equals(object? obj) => Equals(obj as ObjectLinks);

    public override int GetHashCode() => HashCode.Combine(SharedSet.Hash, First);

    // The common case, one own reference (a Pod's Node): no array.
    private sealed class OwnLink(LinkSet set, Reference first) : ObjectLinks
    {
        public override LinkSet SharedSet { get; } = set;

        private protected override Reference First { get; } = first;
    }

    private sealed class OwnLinks(LinkSet set, Reference first, Reference[] rest) : ObjectLinks
    {
        public override LinkSet SharedSet { get; } = set;

        private protected override Reference First { get; } = first;

        private protected override Reference[] Rest { get; } = rest;
    }
}

/// <summary>
/// The shared part of <see cref="ObjectLinks"/>, one instance per distinct content (see
/// <see cref="Extraction.LinkPool"/>). The index files each set once under every target it names, and
/// keeps on the set which entries hold it: "what mounts this Secret" reads the sets naming it, then their
/// holders, so a Deployment, its ReplicaSets and twenty Pods cost one filing per target, not twenty-two.
/// </summary>
public sealed class LinkSet : ObjectLinks
{
    public LinkSet(Reference[] references, LinkSelector[] selectors, KeyValuePair<string, string>[] notes)
    {
        (Shared, SelectorArray, NoteArray) = (references, selectors, notes);
        var hash = new HashCode();
        foreach (var r in references) hash.Add(r);
        foreach (var s in selectors) hash.Add(s);
        foreach (var n in notes) hash.Add(n);
        Hash = hash.ToHashCode();
    }

    public override LinkSet SharedSet => this;

    internal Reference[] Shared { get; }
    internal LinkSelector[] SelectorArray { get; }
    internal KeyValuePair<string, string>[] NoteArray { get; }
    internal int Hash { get; }

    // The entries whose records hold this set (a Slots list), kept by the index under its write lock.
    private object? _holders;

    /// <summary>The entries holding this set now. Some may be removed since: check <see cref="ObjectEntry.IsRemoved"/>.</summary>
    public ReadOnlySpan<ObjectEntry> Holders => Slots<ObjectEntry>.Read(Volatile.Read(ref _holders));

    /// <returns>How many hold it now.</returns>
    internal int AddHolder(ObjectEntry entry)
    {
        Volatile.Write(ref _holders, Slots<ObjectEntry>.Add(_holders, entry));
        return Slots<ObjectEntry>.Count(_holders);
    }

    /// <returns>How many still hold it.</returns>
    internal int RemoveHolder(ObjectEntry entry)
    {
        Volatile.Write(ref _holders, Slots<ObjectEntry>.Remove(_holders, entry));
        return Slots<ObjectEntry>.Count(_holders);
    }

    /// <summary>Whether the shared references are exactly <paramref name="references"/>.</summary>
    internal bool SharedEquals(List<Reference> references) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(references).SequenceEqual(Shared);

    internal bool SameContent(LinkSet other) =>
        ReferenceEquals(this, other) || (Hash == other.Hash && Shared.AsSpan().SequenceEqual(other.Shared)
            && SelectorArray.AsSpan().SequenceEqual(other.SelectorArray) && NoteArray.AsSpan().SequenceEqual(other.NoteArray));
}

/// <summary>The references of one object, without copying: the shared array, then its own ones.</summary>
public readonly struct ReferenceList(Reference[] shared, Reference first, Reference[] rest) : IReadOnlyList<Reference>
{
    private int Own => first.Link is null ? 0 : 1 + rest.Length;

    public int Count => shared.Length + Own;

    public Reference this[int index] =>
        index < shared.Length ? shared[index] : index == shared.Length && first.Link is not null ? first : rest[index - shared.Length - 1];

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<Reference> IEnumerable<Reference>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public struct Enumerator(ReferenceList list) : IEnumerator<Reference>
    {
        private int _at = -1;

        public readonly Reference Current => list[_at];

        readonly object IEnumerator.Current => Current;

        public bool MoveNext() => ++_at < list.Count;

        public void Reset() => _at = -1;

        public readonly void Dispose()
        {
        }
    }
}
