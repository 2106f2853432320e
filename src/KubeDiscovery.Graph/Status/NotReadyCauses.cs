using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Status;

/// <summary>One not-ready object at the bottom of a chain: what it is, and what it says.</summary>
public sealed record NotReadyCause(ObjectRecord Object, string Reason, string? Message)
{
    /// <summary>The latest Warning Event about the object, when one is kept (FailedScheduling, FailedMount…).</summary>
    public Events.Warning? LastWarning { get; init; }
}

/// <summary>
/// Why a tree is not ready: a walk down the already-built tree to the not-ready objects none of whose
/// children is not ready (the Pod under the ReplicaSet under the Deployment), with what their containers
/// or conditions say. Costs the tree, which the answer built anyway.
/// </summary>
public static class NotReadyCauses
{
    /// <summary>The most causes one answer names; the rest are counted by the caller's tree.</summary>
    public const int DefaultMax = 10;

    /// <param name="warnings">The latest Warning Events of an object (the index's, as the reader may see them), or null.</param>
    public static List<NotReadyCause> Find(IEnumerable<CompositionNode> roots, Func<ObjectRecord, IReadOnlyList<Events.Warning>>? warnings = null, int max = DefaultMax)
    {
        List<NotReadyCause> causes = [];
        foreach (var root in roots)
        {
            if (causes.Count >= max) break;
            Walk(root, causes, max);
        }
        if (warnings is null) return causes;
        for (var i = 0; i < causes.Count; i++)
        {
            if (warnings(causes[i].Object) is [var latest, ..])
            {
                // A Pod Pending with no container reason yet says nothing; its FailedScheduling Event does.
                causes[i] = causes[i].Message is null || causes[i].Reason is "Pending" or "NotReady"
                    ? causes[i] with { Reason = latest.Reason, Message = latest.Message, LastWarning = latest }
                    : causes[i] with { LastWarning = latest };
            }
        }
        return causes;
    }

    // Returns whether this subtree holds a not-ready object.
    private static bool Walk(CompositionNode node, List<NotReadyCause> causes, int max)
    {
        var below = false;
        foreach (var child in node.Children)
        {
            if (causes.Count >= max) return true;
            below |= Walk(child, causes, max);
        }
        var status = node.Object.Status;
        if (status.Ready != ReadyState.False) return below;
        if (!below && causes.Count < max) causes.Add(Of(node.Object));
        return true;
    }

    private static NotReadyCause Of(ObjectRecord record)
    {
        var status = record.Status;
        // A Pod's containers say more than its condition's "ContainersNotReady".
        if (status.Cause is { } cause)
        {
            var colon = cause.IndexOf(": ", StringComparison.Ordinal);
            return colon > 0 ? new NotReadyCause(record, cause[..colon], cause[(colon + 2)..]) : new NotReadyCause(record, cause, status.Message);
        }
        return new NotReadyCause(record, status.Reason ?? "NotReady", status.Message);
    }
}
