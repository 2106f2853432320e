using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Index;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Applications;

/// <summary>
/// What an application's trees hold, without building them: a list of applications needs their sizes,
/// not their nodes. Walks the ownership index under each member as <see cref="CompositionBuilder"/>
/// would show it to a reader who sees <c>visible</c> — a hidden object is counted and not walked into —
/// within one budget for the whole answer.
/// </summary>
public sealed class ApplicationRollup(ClusterIndex index, CompositionOptions options, Func<ObjectRecord, bool>? visible)
{
    private readonly Stack<(ObjectRecord Record, int Depth)> _pending = new();

    /// <summary>Nodes the walks may still visit; below zero the answer is cut.</summary>
    public int Budget { get; private set; } = options.MaxNodes;

    public bool Cut => Budget < 0;

    /// <summary>Objects under and including <paramref name="members"/>, and the hidden ones met; each uid into <paramref name="uids"/> when given.</summary>
    public (int Objects, int Hidden) Count(IReadOnlyList<ObjectRecord> members, ICollection<string>? uids = null)
    {
        int objects = 0, hidden = 0;
        var depthCap = options.DepthCap;
        foreach (var member in members)
        {
            objects++;
            uids?.Add(member.Uid);
            _pending.Push((member, 0));
            while (_pending.Count > 0 && --Budget >= 0)
            {
                var (parent, depth) = _pending.Pop();
                foreach (var entry in index.Dependents.Sources(parent.Uid))
                {
                    if (entry.IsRemoved) continue;
                    var child = entry.Record;
                    if (!OwnershipRules.IsValidDependent(parent, child)) continue;
                    if (visible is not null && !visible(child))
                    {
                        hidden++;
                        continue;
                    }
                    objects++;
                    uids?.Add(child.Uid);
                    if (depth + 1 < depthCap) _pending.Push((child, depth + 1));
                }
            }
            _pending.Clear();
        }
        return (objects, options.CountHidden ? hidden : 0);
    }
}
