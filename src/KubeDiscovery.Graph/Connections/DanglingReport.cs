using KubeDiscovery.Graph.Index;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Connections;

/// <summary>One broken reference: the object that makes it, and what it names.</summary>
public sealed record DanglingReference(ObjectRecord Object, string Link, ObjectKey Target);

/// <summary>Broken references of one kind: the same edge to the same kind of target (every "mounts Secret" together).</summary>
public sealed record DanglingGroup(string Link, string TargetGroup, string TargetKind, IReadOnlyList<DanglingReference> Items);

/// <summary>
/// Every owner reference and relation that names an object which does not exist, from the sets of
/// missing owners and missing targets the index keeps per write: the report costs its answer, not the cluster. Targets of kinds the index does not
/// follow are not reported (nothing could be found for them); neither are Events, which outlive their
/// objects by design.
/// </summary>
public static class DanglingReport
{
    /// <summary>The link name under which broken owner references are grouped.</summary>
    public const string OwnerReference = "owner-reference";

    /// <param name="namespace">Only objects in this namespace; null for all.</param>
    /// <param name="isFollowed">Whether objects of (group, kind) are indexed at all.</param>
    public static IReadOnlyList<DanglingGroup> Build(ClusterIndex index, Rules.RelationRuleSet rules, string? @namespace, Func<string, string, bool> isFollowed)
    {
        Dictionary<(string Link, string Group, string Kind), List<DanglingReference>> groups = [];
        void Add(string link, ObjectKey target, ObjectRecord from)
        {
            var key = (link, target.Group, target.Kind);
            (groups.TryGetValue(key, out var list) ? list : groups[key] = []).Add(new DanglingReference(from, link, target));
        }

        foreach (var ownerUid in index.MissingOwners)
        {
            if (index.FindByUid(ownerUid) is not null) continue;
            foreach (var entry in index.Dependents.Sources(ownerUid))
            {
                var record = entry.Record;
                if (entry.IsRemoved || (@namespace is not null && record.Namespace != @namespace)) continue;
                foreach (var owner in record.Owners)
                {
                    if (owner.Uid == ownerUid) Add(OwnerReference, Neighbours.OwnerKey(owner, record), record);
                }
            }
        }

        foreach (var target in index.Links.MissingTargets)
        {
            var key = ObjectKey.Parse(target);
            if (!isFollowed(key.Group, key.Kind) || index.Resolve(key) is not null) continue;
            foreach (var entry in index.Links.Referrers(target))
            {
                var record = entry.Record;
                if (entry.IsRemoved || record.Links is not { } links || (@namespace is not null && record.Namespace != @namespace)) continue;
                if (record.Kind == "Event") continue;
                var plan = rules.Plans.For(record.Type.Group, record.Kind);
                foreach (var reference in links.References)
                {
                    if (reference.Target == target && plan.Makes(reference.Link)) Add(reference.Link, key, record);
                }
            }
        }

        return groups
            .OrderBy(g => g.Key.Link, StringComparer.Ordinal).ThenBy(g => g.Key.Kind, StringComparer.Ordinal).ThenBy(g => g.Key.Group, StringComparer.Ordinal)
            .Select(g => new DanglingGroup(g.Key.Link, g.Key.Group, g.Key.Kind,
                g.Value.OrderBy(r => r.Object, Comparer<ObjectRecord>.Create(ObjectOrder.CompareByNamespaceAndName)).ThenBy(r => r.Target.Name, StringComparer.Ordinal).ToList()))
            .ToList();
    }
}
