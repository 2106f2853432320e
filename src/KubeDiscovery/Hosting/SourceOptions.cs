namespace KubeDiscovery.Hosting;

/// <summary>Which cluster the index follows: a live one (the default), a snapshot, or the bundled demo.</summary>
public sealed record SourceOptions
{
    /// <summary>Serve the bundled sample cluster.</summary>
    public bool Demo { get; init; }

    /// <summary>Snapshot files or directories (YAML/JSON).</summary>
    public IReadOnlyList<string> Snapshots { get; init; } = [];

    /// <summary>Kubeconfig of the live cluster; null resolves it as kubectl does.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>Kubeconfig context of the live cluster.</summary>
    public string? Context { get; init; }

    /// <summary>Live resources to follow; empty follows all.</summary>
    public IReadOnlyList<string> Resources { get; init; } = [];

    /// <summary>Live resources never to follow; null keeps the default exclusions.</summary>
    public IReadOnlyList<string>? ExcludeResources { get; init; }

    /// <summary>Relation rule files (<c>--relations</c>).</summary>
    public IReadOnlyList<string> Relations { get; init; } = [];

    public bool IsLive => !Demo && Snapshots.Count == 0;
}
