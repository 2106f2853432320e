using KubeDiscovery.Graph.Model;

namespace KubeDiscovery.Graph.Compositions;

/// <summary>What one composition answer may hold and show.</summary>
public sealed record CompositionOptions
{
    public const int DefaultMaxNodes = 100_000;

    /// <summary>
    /// Levels below a root that are ever expanded, whatever <c>depth</c> asks: deeper nodes say
    /// <c>truncated</c>. Far beyond any real ownership chain (a handful of levels), and low enough
    /// that every writer of the answer stays well within its own limits.
    /// </summary>
    public const int DefaultDepthCap = 500;

    public static readonly CompositionOptions Default = new();

    /// <summary>Nodes in one answer, all roots together.</summary>
    public int MaxNodes { get; init; } = DefaultMaxNodes;

    public int DepthCap { get; init; } = DefaultDepthCap;

    /// <summary>Which objects the requester may see; null for all. A hidden object is left out with everything under it.</summary>
    public Func<ObjectRecord, bool>? IsVisible { get; init; }

    /// <summary>
    /// True: a parent counts its hidden children (<c>hiddenChildren</c>). False: nothing reveals them,
    /// not even <c>truncated</c> at the depth limit.
    /// </summary>
    public bool CountHidden { get; init; } = true;

    /// <summary>Throws when a value is out of range.</summary>
    public CompositionOptions Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxNodes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(DepthCap, 1);
        return this;
    }
}
