using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Index;

/// <summary>
/// The stable slot of one object UID in the index. Relation arrays hold entries rather than records,
/// so a status update swaps one reference instead of copying every parent's child array.
/// </summary>
public sealed class ObjectEntry
{
    private ObjectRecord _record;
    private volatile bool _removed;

    internal ObjectEntry(ObjectRecord record) => _record = record;

    public ObjectRecord Record => Volatile.Read(ref _record);

    /// <summary>True once deleted; a reader that still holds an older relation array skips it.</summary>
    public bool IsRemoved => _removed;

    internal void Set(ObjectRecord record) => Volatile.Write(ref _record, record);

    internal void MarkRemoved() => _removed = true;
}
