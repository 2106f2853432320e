using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Index;

/// <summary>
/// Declares one kind of typed edge: for a record, the keys of the objects it points at. The index keeps
/// the reverse map (key → pointing entries), so "who points at X" costs the size of the answer.
/// </summary>
public sealed record RelationDefinition(EdgeKind Kind, Func<ObjectRecord, IEnumerable<string>> TargetKeys)
{
    /// <summary>Ownership: a record points at each distinct owner UID it names.</summary>
    public static readonly RelationDefinition OwnedBy = new(
        EdgeKind.OwnedBy,
        static record => record.Owners.Count switch
        {
            0 => [],
            1 => [record.Owners[0].Uid],
            _ => record.Owners.Select(o => o.Uid).Distinct(StringComparer.Ordinal),
        });
}
